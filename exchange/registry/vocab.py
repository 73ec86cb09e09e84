"""The registry's vocabularies and what clerks type for them (男/女, 初中, 建档立卡 …).

Pure functions turning a typed value into the protocol's code, or raising FieldProblem."""
from __future__ import annotations

from exchange.core.i18n import _l
from exchange.core.parsing import FieldProblem, lookup_key, remembered

GENDERS = ("M", "F")
EDUCATION_LEVELS = ("primary", "junior", "senior", "college")
WORK_TYPES = ("long_term", "seasonal")
HOUSEHOLD_STATUSES = ("registered_poor", "monitored", "other")

_GENDER = {"m": "M", "male": "M", "男": "M", "f": "F", "female": "F", "女": "F"}
_EDUCATION = {
    "primary": "primary", "junior": "junior", "senior": "senior", "college": "college",
    "小学": "primary", "小学及以下": "primary", "小学以下": "primary", "文盲": "primary", "半文盲": "primary",
    "初中": "junior", "中学": "junior",
    "高中": "senior", "中专": "senior", "职高": "senior", "技校": "senior", "高中/中专": "senior", "高中及中专": "senior",
    "大专及以上": "college", "大专": "college", "本科": "college", "大学": "college", "研究生": "college",
    "大学及以上": "college", "本科及以上": "college",
}
_WORK_TYPE = {"long_term": "long_term", "long-term": "long_term", "长期": "long_term", "长期工": "long_term",
              "seasonal": "seasonal", "季节性": "seasonal", "季节工": "seasonal", "季节性用工": "seasonal"}
_HOUSEHOLD = {
    "registered_poor": "registered_poor", "建档立卡": "registered_poor", "建档立卡户": "registered_poor",
    "建档立卡贫困户": "registered_poor", "脱贫户": "registered_poor", "脱贫人口": "registered_poor",
    "monitored": "monitored", "监测对象": "monitored", "监测户": "monitored", "防返贫监测对象": "monitored",
    "other": "other", "一般": "other", "一般户": "other", "普通": "other", "其他": "other",
}

# The registry's codes as a person reads them (in the request's language; exports and print
# are rendered in Chinese).
LABELS = {
    "gender": {"M": _l("male"), "F": _l("female")},
    "education": {"primary": _l("primary school"), "junior": _l("junior middle school"),
                  "senior": _l("senior middle school"), "college": _l("college or above")},
    "work_type": {"long_term": _l("long-term"), "seasonal": _l("seasonal")},
    "household_status": {"registered_poor": _l("registered poor household"), "monitored": _l("monitored household"),
                         "other": _l("general household")},
}


def _choice(table: dict[str, str], value: object, allowed: str):
    code = table.get(lookup_key(value))
    if code is None:
        raise FieldProblem("bad_value", _l("%(value)s is not one of: %(allowed)s", value=str(value)[:40], allowed=allowed))
    return code


@remembered
def parse_gender(value: object) -> str:
    return _choice(_GENDER, value, "男/女 (M/F)")


@remembered
def parse_education(value: object) -> str:
    return _choice(_EDUCATION, value, "小学/初中/高中/大专及以上")


@remembered
def parse_work_type(value: object) -> str:
    return _choice(_WORK_TYPE, value, "长期/季节性")


@remembered
def parse_household_status(value: object) -> str:
    return _choice(_HOUSEHOLD, value, "建档立卡/监测对象/一般")


