"""Finding or creating the local rows of a partner's objects by their refs, set-based.

On an instance hosting both regions the author's row already exists and is left as it is (the
event only discloses it to the partner: ApplyContext.authored_here); on an instance holding the
partner's copies, copies are created once and refreshed from later events."""
from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select

from exchange.core.bulk import insert_rows
from exchange.extensions import db

CHUNK = 5000


def ids_by_ref(model, refs: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    refs = list(dict.fromkeys(refs))
    for start in range(0, len(refs), CHUNK):
        found.update(db.session.execute(select(model.ref, model.id).where(model.ref.in_(refs[start:start + CHUNK]))).all())
    return found


def upsert_by_ref(model, rows: list[dict[str, Any]], *, refresh: bool, update_fields: tuple[str, ...] = ()) -> dict[str, int]:
    """Ensures a row per `ref` (rows are column dicts with `ref`); returns ref → local id.
    Missing rows are inserted in bulk; with `refresh` (the rows are copies of the partner's, not
    the author's own) existing ones get `update_fields`."""
    existing = ids_by_ref(model, [row["ref"] for row in rows])
    fresh = [row for row in {row["ref"]: row for row in rows}.values() if row["ref"] not in existing]
    if fresh:
        insert_rows(model.__table__, fresh)
    if update_fields and refresh:
        stale = [{"_id": existing[row["ref"]], **{name: row[name] for name in update_fields if name in row}}
                 for row in rows if row["ref"] in existing]
        if stale:
            table = model.__table__
            db.session.execute(table.update().where(table.c.id == bindparam("_id"))
                               .values({name: bindparam(name) for name in update_fields if name in stale[0]}), stale)
    if fresh:
        existing.update(ids_by_ref(model, [row["ref"] for row in fresh]))
    return existing
