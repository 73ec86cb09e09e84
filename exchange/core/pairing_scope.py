"""The pairing half of region scoping: objects of a pairing are visible to both its regions."""
from __future__ import annotations

from sqlalchemy import false


def pairing_ids_of(region: str) -> list[str]:
    from exchange.core.runtime import runtime
    return [p.id for p in runtime().pairings.of_region(region)]


def in_pairings_of(column, viewer):
    """SQL condition: the pairing column names a pairing the viewer's region belongs to."""
    ids = pairing_ids_of(viewer.region)
    return column.in_(ids) if ids else false()
