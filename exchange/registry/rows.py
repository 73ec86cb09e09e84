"""One seeker's fields as a person typed them → the registry's values, or every problem found.

The single place where the registry's field rules live: the JSON API and the spreadsheet import
both pass through `clean_seeker`, so a value accepted by one is accepted by the other."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable, Mapping

from exchange.core.i18n import _l
from exchange.core import parsing
from exchange.core.parsing import FieldProblem
from exchange.registry import vocab
from exchange.registry.identity import check_national_id, normalise_phone


@dataclass
class Problem:
    field: str
    code: str
    message: Any

    def as_dict(self, row: int | None = None) -> dict[str, Any]:
        out = {"field": self.field, "code": self.code, "message": str(self.message)}
        return {"row": row, **out} if row is not None else out


@dataclass
class CleanSeeker:
    values: dict[str, Any]
    national_id: str
    phone: str
    bank_account: str | None = None
    emergency_contact_phone: str | None = None
    warnings: list[Problem] = field(default_factory=list)


class RowProblems(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(problems)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def _text(max_length: int) -> Callable[[object], str]:
    def parse(value: object) -> str:
        text = str(value).strip()
        if len(text) > max_length:
            raise FieldProblem("bad_value", _l("At most %(n)s characters", n=max_length))
        return text
    return parse


def _name(value: object) -> str:
    text = _text(64)(value)
    if any(ch.isdigit() for ch in text):
        raise FieldProblem("bad_value", _l("A name has no digits"))
    return text


# field → (parser, default when blank; REQUIRED when it must be given)
REQUIRED = object()
FIELDS: dict[str, tuple[Callable[[object], Any], Any]] = {
    "name": (_name, REQUIRED),
    "education": (vocab.parse_education, REQUIRED),
    "skills": (parsing.parse_list, []),
    "occupations_wanted": (parsing.parse_list, []),
    "wage_expectation_fen": (parsing.parse_fen, None),
    "work_type": (vocab.parse_work_type, "long_term"),
    "available_from": (parsing.parse_date, None),   # blank: available from today
    "household_status": (vocab.parse_household_status, "other"),
    "consent_to_share": (parsing.parse_bool, False),
    "township": (_text(32), None),
    "household_no": (_text(32), None),   # 户编号: the household of the poverty registry (blank: none)
    "bank_name": (_text(40), None),      # 开户银行: which bank the subsidy goes to
    "emergency_contact_name": (_text(64), None),
    "note": (_text(500), None),
}


def clean_seeker(raw: Mapping[str, object], today: date) -> CleanSeeker:
    """Raises RowProblems listing every field that is wrong."""
    problems: list[Problem] = []
    warnings: list[Problem] = []
    values: dict[str, Any] = {}
    # A NUL character (a JSON "\u0000", a stray byte in a CSV) is stored by no database column.
    for name, value in raw.items():
        if (type(value) is str and "\x00" in value) or (type(value) is list and any("\x00" in str(v) for v in value)):
            problems.append(Problem(name, "bad_value", _l("Text may not contain a NUL character")))

    resident = None
    if _blank(raw.get("national_id")):
        problems.append(Problem("national_id", "missing", _l("The ID number is missing")))
    else:
        try:
            resident = check_national_id(raw["national_id"], today)
        except FieldProblem as p:
            problems.append(Problem("national_id", p.code, p.message))

    phone = ""
    if _blank(raw.get("phone")):
        problems.append(Problem("phone", "missing", _l("The mobile number is missing")))
    else:
        try:
            phone = normalise_phone(raw["phone"])
        except FieldProblem as p:
            problems.append(Problem("phone", p.code, p.message))

    # A spreadsheet's 期望月薪 is in yuan; the API's wage_expectation_fen in fen.
    if not _blank(raw.get("wage_expectation_yuan")):
        try:
            values["wage_expectation_fen"] = parsing.parse_yuan_to_fen(raw["wage_expectation_yuan"])
        except FieldProblem as p:
            problems.append(Problem("wage_expectation_fen", p.code, p.message))

    done = set(values) | {p.field for p in problems}
    for name, (parse, default) in FIELDS.items():
        if name in done:
            continue
        value = raw.get(name)
        if value is None or value == "" or value == [] or (type(value) is str and not value.strip()):
            if default is REQUIRED:
                problems.append(Problem(name, "missing", _l("This field is required")))
            else:
                values[name] = list(default) if isinstance(default, list) else default
            continue
        try:
            values[name] = parse(value)
        except FieldProblem as p:
            problems.append(Problem(name, p.code, p.message))

    gender = None
    if not _blank(raw.get("gender")):
        try:
            gender = vocab.parse_gender(raw["gender"])
        except FieldProblem as p:
            problems.append(Problem("gender", p.code, p.message))
    if resident is not None:
        if gender is None and _blank(raw.get("gender")):
            gender = resident.gender
        elif gender is not None and gender != resident.gender:
            warnings.append(Problem("gender", "gender_differs_from_id", _l("The gender differs from the one the ID number encodes; please check")))
        if not resident.birthplace_known:
            warnings.append(Problem("national_id", "unknown_birthplace", _l("The first six digits %(code)s are not a known region code (an old code is possible); please check", code=resident.number[:6])))

    bank_account = None
    if not _blank(raw.get("bank_account")):
        bank_account = "".join(str(raw["bank_account"]).split())
        if not bank_account.isdigit() or not 8 <= len(bank_account) <= 30:
            problems.append(Problem("bank_account", "bad_value", _l("A bank account has 8 to 30 digits")))
    emergency_phone = None
    if not _blank(raw.get("emergency_contact_phone")):
        try:
            emergency_phone = normalise_phone(raw["emergency_contact_phone"])
        except FieldProblem as p:
            problems.append(Problem("emergency_contact_phone", p.code, p.message))

    if problems:
        raise RowProblems(problems)
    if values.get("available_from") is None:
        values["available_from"] = today
    values.update(gender=gender, birth_date=resident.birth_date)
    return CleanSeeker(values=values, national_id=resident.number, phone=phone, bank_account=bank_account,
                       emergency_contact_phone=emergency_phone, warnings=warnings)
