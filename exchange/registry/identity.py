"""Resident ID numbers and mobile numbers: normalising what a person typed and checking it.

Pure functions. The check digit and birth date come from python-stdnum; the birthplace look-up,
which is the slow part, is cached per (prefix, birth year), because a county's IDs repeat a
handful of prefixes. An unknown birthplace is a warning: old codes stay on valid cards."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from stdnum.cn import ric
from stdnum.exceptions import ValidationError

from exchange.core.clock import age_on
from exchange.core.i18n import _l
from exchange.core.parsing import FieldProblem

MIN_AGE, MAX_AGE = 16, 65
_FULLWIDTH = str.maketrans("０１２３４５６７８９ｘＸ", "0123456789XX")
_SPACES = re.compile(r"[\s\u3000\-]+")
_ID_SHAPE = re.compile(r"^\d{17}[\dX]$")
_MOBILE = re.compile(r"^1\d{10}$")  # domain.md: 11 digits starting with 1


@dataclass(frozen=True)
class ResidentId:
    number: str
    birth_date: date
    gender: str            # "M" | "F" from the order code's parity
    birthplace_known: bool


def normalise_national_id(raw: object) -> str:
    if isinstance(raw, float):
        # An 18-digit number does not survive as a spreadsheet number: the last digits are gone.
        raise FieldProblem("bad_national_id", _l("The ID number was stored as a number by the spreadsheet and its last digits are lost; format the column as text and type it again"))
    return _SPACES.sub("", str(raw).translate(_FULLWIDTH)).upper()


def check_national_id(raw: object, today: date) -> ResidentId:
    number = normalise_national_id(raw)
    if not _ID_SHAPE.match(number):
        raise FieldProblem("bad_national_id", _l("An ID number has 18 characters: 17 digits and a digit or X"))
    if ric.calc_check_digit(number) != number[-1]:
        raise FieldProblem("bad_national_id", _l("The check digit of the ID number is wrong (a digit was mistyped)"))
    try:
        # stdnum.cn.ric.get_birth_date reads the same eight digits; slicing the already
        # normalised number directly is several times faster for a 100,000-row import.
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise FieldProblem("bad_national_id", _l("The birth date inside the ID number is not a real date")) from None
    if born > today:
        raise FieldProblem("bad_national_id", _l("The birth date inside the ID number lies in the future"))
    age = age_on(born, today)
    if not MIN_AGE <= age <= MAX_AGE:
        raise FieldProblem("bad_value", _l("Age %(age)s: registration is for people aged %(min)s to %(max)s", age=age, min=MIN_AGE, max=MAX_AGE))
    return ResidentId(number=number, birth_date=born, gender="M" if int(number[16]) % 2 else "F",
                      birthplace_known=birthplace_known(number[:6], born.year, today.year))


# Resident ID numbers were first issued in 1984: nobody's number was assigned before then.
FIRST_ISSUED = 1984


@lru_cache(maxsize=8192)
def birthplace_known(prefix: str, born: int, this_year: int) -> bool:
    """Whether the prefix named a county at some time the number could have been assigned: the
    year of birth (registration at birth), the first year of ID cards for people born before
    them, or now."""
    return any(_county_in(prefix, year) for year in sorted({max(born, FIRST_ISSUED), born, this_year}))


@lru_cache(maxsize=8192)
def _county_in(prefix: str, year: int) -> bool:
    try:
        ric.get_birth_place(f"{prefix}{year:04d}0101000")  # only prefix and year are read
        return True
    except (ValidationError, KeyError, ValueError):  # a prefix naming only a province has no county
        return False


def birthplace_name(prefix: str, year: int) -> str | None:
    try:
        info = ric.get_birth_place(f"{prefix}{year:04d}0101000")
    except (ValidationError, KeyError, ValueError):
        return None
    return "".join(info.get(k, "") for k in ("province", "prefecture", "county")) or None


def normalise_phone(raw: object) -> str:
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = re.sub(r"[\s\u3000\-()（）]+", "", str(raw).translate(_FULLWIDTH))
    if text.startswith("+86"):
        text = text[3:]
    elif text.startswith("0086"):
        text = text[4:]
    if not _MOBILE.match(text):
        raise FieldProblem("bad_phone", _l("A mobile number has 11 digits and starts with 1"))
    return text
