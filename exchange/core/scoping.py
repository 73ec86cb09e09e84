"""Region scoping: the one way to read regional rows. Every model holding a region's data
defines `visible_to(viewer)`, a SQL condition; services read through `scoped()` and
`get_visible()`, so a query that forgets the region cannot be written by accident."""
from __future__ import annotations

from typing import Any, Protocol, TypeVar

from sqlalchemy import Select, select

from exchange.core.errors import NotFound
from exchange.core.fields import MAX_ID
from exchange.core.pagination import Page, paginate
from exchange.extensions import db

M = TypeVar("M")


class Viewer(Protocol):
    region: str


def scoped(model: type[M], viewer: Viewer) -> Select:
    """SELECT of `model` limited to what the viewer's region may see."""
    return select(model).where(model.visible_to(viewer))


def filtered(stmt: Select, model, query: dict[str, Any], names: tuple[str, ...]) -> Select:
    """stmt narrowed to the rows whose columns equal the values the query gives for `names` (the
    filters every list shares: ref, status, kind, seeker_id …); a filter not given narrows nothing."""
    for name in names:
        if query.get(name) not in (None, ""):
            stmt = stmt.where(getattr(model, name) == query[name])
    return stmt


def page_of(model, viewer: Viewer, query: dict[str, Any], filters: tuple[str, ...] = ("ref",), *conditions) -> Page:
    """A page of what the viewer may see of `model`, filtered by the query and any further conditions."""
    stmt = filtered(scoped(model, viewer).where(*conditions), model, query, filters)
    return paginate(stmt, model, limit=query["limit"], cursor=query["cursor"])


def page_in_pairing(model, viewer: Viewer, pairing, query: dict[str, Any], filters: tuple[str, ...] = ("ref",),
                    *conditions) -> Page:
    """page_of, for the objects of one pairing."""
    return page_of(model, viewer, query, filters, model.pairing_id == pairing.id, *conditions)


def not_found(model, object_id) -> NotFound:
    return NotFound("not_found", f"{model.__name__.lower()} {object_id} not found")


def get_visible(model: type[M], object_id: int, viewer: Viewer, *, for_update: bool = False) -> M:
    """The row with this local id, or NotFound when it does not exist or is not the viewer's to see
    (the two are not told apart, so ids of other regions leak nothing)."""
    if not 1 <= object_id <= MAX_ID:
        raise not_found(model, object_id)
    stmt = scoped(model, viewer).where(model.id == object_id)
    if for_update:
        stmt = stmt.with_for_update(of=model)
    obj = db.session.scalar(stmt)
    if obj is None:
        raise not_found(model, object_id)
    return obj


def get_in_pairing(model: type[M], object_id: int, viewer: Viewer, pairing, *, for_update: bool = False) -> M:
    """Like get_visible, for an object of one pairing: one of another pairing answers 404 too."""
    obj = get_visible(model, object_id, viewer, for_update=for_update)
    if obj.pairing_id != pairing.id:
        raise not_found(model, object_id)
    return obj
