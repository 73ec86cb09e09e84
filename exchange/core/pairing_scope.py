"""The pairing half of region scoping: objects of a pairing are visible to both its regions."""
from __future__ import annotations

from sqlalchemy import false


def in_pairings_of(column, viewer):
    """SQL condition: the pairing column names a pairing the viewer's region belongs to (the
    acting user carries them: accounts.roles.Actor.pairings)."""
    ids = list(getattr(viewer, "pairings", ()) or ())
    return column.in_(ids) if ids else false()
