"""marshmallow fields shared by the API schemas: values as people type them (Chinese choices,
lenient dates), money in fen, and errors that carry the spec's codes."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, Callable

from marshmallow import ValidationError, fields, validate

from exchange.core.clock import SHANGHAI
from exchange.core import parsing
from exchange.core.parsing import FieldProblem


class CodedMessage(str):
    """A validation message that knows its error code (bad_value, missing, bad_phone …)."""
    code = "bad_value"

    def __new__(cls, message: Any, code: str = "bad_value"):
        obj = super().__new__(cls, str(message))
        obj.code = code
        return obj


def _run(parser: Callable[[object], Any], value: object) -> Any:
    try:
        return parser(value)
    except FieldProblem as problem:
        raise ValidationError(CodedMessage(problem.message, problem.code)) from None


class Choice(fields.String):
    """One of the protocol's codes; Chinese words clerks type are accepted and normalised."""

    def __init__(self, choices: tuple[str, ...], parser: Callable[[object], str] | None = None, **kwargs):
        self.choices, self.parser = choices, parser
        metadata = {"enum": list(choices), **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if self.parser is not None and isinstance(value, str):
            return _run(self.parser, value)
        if value not in self.choices:
            raise ValidationError(CodedMessage(f"{str(value)[:40]} ∉ {', '.join(self.choices)}"))
        return value


def _in_years(day: date) -> None:
    """Every date and instant the system takes in lies in the years 1900–2100: earlier or later is
    a typing slip, and an instant of year 421 would not even read back in the API's format."""
    if not parsing.FIRST_YEAR <= day.year <= parsing.LAST_YEAR:
        raise ValidationError(CodedMessage(parsing.out_of_years(day)))


def _instant_in_years(instant: datetime) -> None:
    """An instant's year as written first (year 1 or 9999 cannot even be moved to Beijing time),
    then in Asia/Shanghai."""
    _in_years(instant)
    _in_years(instant.astimezone(SHANGHAI))


class LenientDate(fields.Date):
    """YYYY-MM-DD, and what a person types: 2026/3/1, 2026年3月1日."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise ValidationError(CodedMessage("not a date"))
        return _run(parsing.parse_date, value)


class Day(fields.Date):
    """A date in a partner's event: ISO YYYY-MM-DD, 1900–2100."""

    def _deserialize(self, value, attr, data, **kwargs):
        day = super()._deserialize(value, attr, data, **kwargs)
        _in_years(day)
        return day


class Stamp(fields.AwareDateTime):
    """An instant in a partner's event: ISO 8601 with its offset, 1900–2100."""

    def _deserialize(self, value, attr, data, **kwargs):
        instant = super()._deserialize(value, attr, data, **kwargs)
        _instant_in_years(instant)
        return instant


class LenientBool(fields.Boolean):
    def _deserialize(self, value, attr, data, **kwargs):
        return _run(parsing.parse_bool, value)


MAX_FEN = 2_000_000_000  # 20 million yuan: far above any wage or subsidy, inside a 32-bit column
MAX_ID = 2_147_483_647


class Fen(fields.Integer):
    """An amount of money in integer fen, never negative."""

    def __init__(self, **kwargs):
        super().__init__(strict=True, validate=validate.Range(0, MAX_FEN), **kwargs)


class Yuan(fields.Integer):
    """An amount typed in yuan on a form ("4500", "1,280.50"), loaded as integer fen — the form's
    twin of Fen, so a page's schema names the field the clerk typed in when it is wrong."""

    def _deserialize(self, value, attr, data, **kwargs):
        from flask_babel import gettext as _
        from exchange.core.money import yuan_to_fen
        try:
            fen = yuan_to_fen(value)
        except (ValueError, TypeError):
            raise ValidationError(CodedMessage(_("Write an amount in yuan, such as 4500 or 4,500.50"))) from None
        if not 0 <= fen <= MAX_FEN:
            raise ValidationError(CodedMessage(_("Write an amount in yuan, such as 4500 or 4,500.50")))
        return fen


class LocalId(fields.Integer):
    """A local id of this instance (a JSON integer)."""

    def __init__(self, **kwargs):
        super().__init__(strict=True, validate=validate.Range(1, MAX_ID), **kwargs)


class Instant(fields.AwareDateTime):
    """ISO 8601 with offset; a value without one is taken as Asia/Shanghai, and answers carry +08:00."""

    def __init__(self, **kwargs):
        super().__init__(format="iso", default_timezone=SHANGHAI, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        instant = super()._deserialize(value, attr, data, **kwargs)
        _instant_in_years(instant)
        return instant

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        if isinstance(value, datetime):
            value = value.astimezone(SHANGHAI)
        return value.isoformat(timespec="seconds")


class StrList(fields.List):
    """A list of short strings; a single delimited string (技能: 电焊、叉车) is split."""

    def __init__(self, **kwargs):
        super().__init__(fields.String(validate=lambda s: len(s) <= 64), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            return parsing.parse_list(value)
        result = super()._deserialize(value, attr, data, **kwargs)
        return parsing.parse_list(result)


def register_openapi_types(plugin) -> None:
    plugin.map_to_openapi_type(LenientDate, "string", "date")
    plugin.map_to_openapi_type(LenientBool, "boolean", None)
    plugin.map_to_openapi_type(Fen, "integer", None)
    plugin.map_to_openapi_type(LocalId, "integer", None)
    plugin.map_to_openapi_type(Instant, "string", "date-time")
    plugin.map_to_openapi_type(Day, "string", "date")
    plugin.map_to_openapi_type(Stamp, "string", "date-time")
