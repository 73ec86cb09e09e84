"""Inserting many rows at once inside the current transaction, by the fastest path each database
offers: COPY on PostgreSQL, executemany of prepared tuples on SQLite. Values are converted by
the columns' own SQLAlchemy types, so what is stored is what an ORM insert would store."""
from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Table
from sqlalchemy.exc import IntegrityError

from exchange.extensions import db


def insert_rows(table: Table, rows: list[dict[str, Any]]) -> int:
    """Inserts `rows` — dicts keyed by column name, all with the same keys; a column they lack
    takes its Python default, else NULL — in the session's transaction. Returns the count."""
    if not rows:
        return 0
    connection = db.session.connection()
    dialect = connection.dialect
    given = set(rows[0])
    columns = [c for c in table.columns if c.name in given or (c.default is not None and not c.primary_key)]
    names = [c.name for c in columns]
    fill = [(i, c.default.arg) for i, c in enumerate(columns) if c.name not in given]
    converters = [(i, _remembering(process) if _repeats(c.type) else process) for i, c in enumerate(columns)
                  if (process := c.type.dialect_impl(dialect).bind_processor(dialect)) is not None]

    def prepared(row: dict[str, Any]) -> tuple:
        values = [row.get(name) for name in names]
        for i, default in fill:
            values[i] = default(None) if callable(default) else default
        for i, process in converters:
            if values[i] is not None:
                values[i] = process(values[i])
        return tuple(values)

    driver = connection.connection.driver_connection
    quoted = ", ".join(f'"{name}"' for name in names)
    try:
        if dialect.name == "postgresql":
            statement = f'COPY "{table.name}" ({quoted}) FROM STDIN'
            with driver.cursor() as cursor, cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row(prepared(row))
        else:
            statement = f'INSERT INTO "{table.name}" ({quoted}) VALUES ({", ".join("?" * len(names))})'
            cursor = driver.cursor()
            try:
                cursor.executemany(statement, [prepared(row) for row in rows])
            finally:
                cursor.close()
    except dialect.loaded_dbapi.IntegrityError as exc:
        # The driver's own error, told as SQLAlchemy's, so callers catch one kind of conflict
        # whichever way the rows went in (no parameters: they may hold personal data).
        raise IntegrityError(statement, None, exc) from None
    if dialect.name == "postgresql":
        _keep_statistics(connection, table.name, len(rows))
    return len(rows)


def _repeats(column_type) -> bool:
    """Types whose values repeat from row to row (a list of skills, a date, the batch's time):
    worth converting once per distinct value rather than once per row."""
    base = getattr(column_type, "impl", column_type)
    return isinstance(base, (JSON, Date, DateTime, Boolean))


def _remembering(process):
    cache: dict = {}

    def convert(value):
        kind = type(value)
        if kind is list:
            if not all(type(item) is str for item in value):
                return process(value)
            key = tuple(value)
        elif kind is dict:
            return process(value)
        else:
            key = (kind, value)   # True and 1 hash alike; their conversions need not
        try:
            return cache[key]
        except KeyError:
            converted = process(value)
            if len(cache) < 10_000:
                cache[key] = converted
            return converted
    return convert


# Rows added per table since this process last analysed it (PostgreSQL only).
_added_since_analyze: dict[tuple[str, str], int] = {}


def _keep_statistics(connection, table_name: str, added: int) -> None:
    """After bulk loads PostgreSQL's statistics lag behind (autovacuum analyses a minute later):
    a table it believes empty gets sequential scans for `ref IN (…)` look-ups, which grow with the
    table. So a bulk insert that has grown a table by a fifth since the last analysis analyses it."""
    key = (str(connection.engine.url), table_name)
    total = _added_since_analyze.get(key, 0) + added
    if total < 500:
        _added_since_analyze[key] = total
        return
    estimate = connection.exec_driver_sql(
        "SELECT reltuples FROM pg_class WHERE oid = %s::regclass", (table_name,)).scalar() or 0
    if estimate < 0 or total > 0.2 * estimate:
        connection.exec_driver_sql(f'ANALYZE "{table_name}"')
        total = 0
    _added_since_analyze[key] = total
