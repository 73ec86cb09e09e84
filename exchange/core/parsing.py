"""Parsing what a person typed into a form or a spreadsheet cell: dates, yes/no, lists, money.

Pure functions; each returns the value or raises FieldProblem with a code and a message."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from exchange.core.i18n import _l
from exchange.core.money import yuan_to_fen


class FieldProblem(Exception):
    def __init__(self, code: str, message):
        self.code, self.message = code, message
        super().__init__(code)


_TRUE = {"true", "yes", "y", "1", "是", "同意", "有", "√"}
_FALSE = {"false", "no", "n", "0", "否", "不同意", "无", "×"}
_LIST_SPLIT = re.compile(r"[,，、;；/|\n]+")
_EXCEL_EPOCH = date(1899, 12, 30)


_WHITESPACE = {ord(ch): None for ch in " \t\r\n\u3000\xa0"}


def lookup_key(value: object) -> str:
    """A typed word without spaces, lower-cased, for look-up tables."""
    return str(value).translate(_WHITESPACE).lower()


def remembered(parse):
    """Remembers what a typed string parsed to: a spreadsheet repeats 初中, 是, 2026-03-01 in
    thousands of rows. Only strings are remembered, and only a bounded number of them."""
    cache: dict[str, tuple[bool, object]] = {}

    def wrapper(value):
        if type(value) is not str:
            return parse(value)
        hit = cache.get(value)
        if hit is None:
            try:
                hit = (True, parse(value))
            except FieldProblem as problem:
                hit = (False, (problem.code, problem.message))
            if len(cache) < 4096:
                cache[value] = hit
        if not hit[0]:
            raise FieldProblem(*hit[1])
        result = hit[1]
        return list(result) if isinstance(result, list) else result

    wrapper.__wrapped__ = parse
    wrapper.__doc__ = parse.__doc__
    return wrapper


@remembered
def parse_bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    word = lookup_key(value)
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise FieldProblem("bad_value", _l("%(value)s is not 是/否", value=str(value)[:40]))


@remembered
def parse_list(value: object) -> list[str]:
    if isinstance(value, (list, tuple)):
        items = [str(v).strip() for v in value]
    else:
        items = [part.strip() for part in _LIST_SPLIT.split(str(value))]
    return list(dict.fromkeys(item for item in items if item))[:20]


@remembered
def parse_date(value: object) -> date:
    """2026-03-01, 2026/3/1, 2026.3.1, 2026年3月1日, an Excel date or an Excel serial number;
    in the years 1900–2100."""
    day = _any_date(value)
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise FieldProblem("bad_value", out_of_years(day))
    return day


def _any_date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 2958466:
            return _EXCEL_EPOCH + timedelta(days=int(value))
        raise FieldProblem("bad_value", _l("%(value)s is not a date", value=value))
    text = str(value).strip()
    match = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?", text)
    if not match:
        raise FieldProblem("bad_value", _l("%(value)s is not a date such as 2026-03-01", value=text[:40]))
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise FieldProblem("bad_value", _l("%(value)s is not a real date", value=text[:40])) from None


FIRST_YEAR, LAST_YEAR = 1900, 2100


def out_of_years(day: date) -> str:
    return _l("%(value)s is outside the years %(first)s–%(last)s", value=day.isoformat(), first=FIRST_YEAR,
              last=LAST_YEAR)


@remembered
def parse_yuan_to_fen(value: object) -> int:
    """A monthly wage in yuan as a person types it: 4500, 4500元, 4,500, 4500.00."""
    text = str(value).strip().removesuffix("元").removesuffix("/月").strip()
    try:
        fen = yuan_to_fen(text)
    except ValueError:
        raise FieldProblem("bad_value", _l("%(value)s is not an amount in yuan", value=str(value)[:40])) from None
    if fen < 0 or fen > 100_000_000:
        raise FieldProblem("bad_value", _l("%(value)s is not a plausible monthly wage", value=str(value)[:40]))
    return fen


@remembered
def parse_fen(value: object) -> int:
    if isinstance(value, bool):
        raise FieldProblem("bad_value", _l("%(value)s is not an amount in fen", value=value))
    try:
        fen = int(value) if not isinstance(value, float) or value.is_integer() else None
    except (TypeError, ValueError):
        fen = None
    if fen is None or fen < 0 or fen > 10_000_000_000:
        raise FieldProblem("bad_value", _l("%(value)s is not an amount in fen", value=str(value)[:40]))
    return fen
