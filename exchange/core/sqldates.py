"""Date arithmetic in SQL that reads the same on PostgreSQL and SQLite: each construct compiles
to the dialect's own form, so set-based queries (the retention scan, indicators) stay one query."""
from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Integer, String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement

from exchange.core.clock import add_months


class AddMonths(FunctionElement):
    """date + n months, the day of month clamped to the month's end (as rules.md's add_months)."""
    type = Date()
    inherit_cache = True
    name = "add_months"


@compiles(AddMonths, "postgresql")
def _add_months_pg(element, compiler, **kw):
    day, months = list(element.clauses)
    return f"CAST(({compiler.process(day, **kw)}) + make_interval(months => {compiler.process(months, **kw)}) AS DATE)"


@compiles(AddMonths, "sqlite")
def _add_months_sqlite(element, compiler, **kw):
    # The same day N months on, or the month's last day when it has no such day: the earlier of
    # "first of the month + N months + (day − 1) days" and "last day of the target month".
    day, months = (compiler.process(c, **kw) for c in element.clauses)
    return (f"min(date({day}, 'start of month', printf('%+d months', {months}), "
            f"printf('%+d days', CAST(strftime('%d', {day}) AS INTEGER) - 1)), "
            f"date({day}, 'start of month', printf('%+d months', ({months}) + 1), '-1 day'))")


class AddDays(FunctionElement):
    type = Date()
    inherit_cache = True
    name = "add_days"


@compiles(AddDays, "postgresql")
def _add_days_pg(element, compiler, **kw):
    day, days = list(element.clauses)
    return f"CAST(({compiler.process(day, **kw)}) + CAST({compiler.process(days, **kw)} AS INTEGER) AS DATE)"


@compiles(AddDays, "sqlite")
def _add_days_sqlite(element, compiler, **kw):
    day, days = list(element.clauses)
    return f"date({compiler.process(day, **kw)}, printf('%+d days', {compiler.process(days, **kw)}))"


class DaysBetween(FunctionElement):
    """later − earlier, in days."""
    type = Integer()
    inherit_cache = True
    name = "days_between"


@compiles(DaysBetween, "postgresql")
def _days_pg(element, compiler, **kw):
    earlier, later = list(element.clauses)
    return f"(CAST({compiler.process(later, **kw)} AS DATE) - CAST({compiler.process(earlier, **kw)} AS DATE))"


@compiles(DaysBetween, "sqlite")
def _days_sqlite(element, compiler, **kw):
    earlier, later = list(element.clauses)
    return f"CAST(julianday({compiler.process(later, **kw)}) - julianday({compiler.process(earlier, **kw)}) AS INTEGER)"


class LocalMonth(FunctionElement):
    """'YYYY-MM' of an instant in Asia/Shanghai (UTC+8, no daylight saving)."""
    type = String()
    inherit_cache = True
    name = "local_month"


@compiles(LocalMonth, "postgresql")
def _month_pg(element, compiler, **kw):
    (instant,) = list(element.clauses)
    return f"to_char(({compiler.process(instant, **kw)}) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')"


@compiles(LocalMonth, "sqlite")
def _month_sqlite(element, compiler, **kw):
    (instant,) = list(element.clauses)
    return f"strftime('%Y-%m', {compiler.process(instant, **kw)}, '+8 hours')"


class LocalDate(FunctionElement):
    """The Asia/Shanghai calendar date of an instant stored in UTC."""
    type = Date()
    inherit_cache = True
    name = "local_date"


@compiles(LocalDate, "postgresql")
def _local_date_pg(element, compiler, **kw):
    (instant,) = list(element.clauses)
    return f"CAST(({compiler.process(instant, **kw)}) AT TIME ZONE 'Asia/Shanghai' AS DATE)"


@compiles(LocalDate, "sqlite")
def _local_date_sqlite(element, compiler, **kw):
    (instant,) = list(element.clauses)
    return f"date({compiler.process(instant, **kw)}, '+8 hours')"


def sqlite_add_months(day: str | None, months: int | None) -> str | None:
    """add_months as an SQLite function, for ad-hoc queries (the ORM compiles AddMonths to SQL)."""
    if day is None or months is None:
        return None
    return add_months(date.fromisoformat(day[:10]), int(months)).isoformat()


def register_sqlite_functions(connection) -> None:
    connection.create_function("add_months", 2, sqlite_add_months, deterministic=True)
