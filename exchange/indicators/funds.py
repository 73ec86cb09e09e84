"""Fund entries (援助资金, spec/indicators.md): recorded by the staff of either region of a pairing,
listed and exported, and summed by the `funds_yuan` indicators."""
from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from exchange.accounts.permissions import require_pairing_member, require_role
from exchange.accounts.roles import STAFF_ROLES, Actor
from exchange.core import audit
from exchange.core.errors import Invalid
from exchange.core.pagination import Page
from exchange.core.scoping import page_in_pairing
from exchange.extensions import db
from exchange.indicators.models import FundEntry


def record_fund(ctx, actor: Actor, pairing_id: str, data: dict[str, Any]) -> FundEntry:
    pairing = require_pairing_member(ctx, actor, pairing_id)
    require_role(actor, *STAFF_ROLES)
    if data["amount_fen"] <= 0:
        raise Invalid.field("amount_fen", "bad_value", _("The amount must be more than 0"))
    entry = FundEntry(pairing_id=pairing.id, region=actor.region, date=data["date"], amount_fen=data["amount_fen"],
                      source=data["source"].strip(), purpose=data["purpose"].strip(),
                      note=(data.get("note") or "").strip() or None, created_by=actor.user_id, created_at=ctx.clock.now())
    db.session.add(entry)
    db.session.flush()
    audit.record(actor, "fund.recorded", "fund_entry", entry.id, at=entry.created_at, amount_fen=entry.amount_fen)
    db.session.commit()
    return entry


def list_funds(ctx, actor: Actor, pairing_id: str, query: dict[str, Any]) -> Page:
    pairing = require_pairing_member(ctx, actor, pairing_id)
    dated = ((FundEntry.date.between(query["from_"], query["to"]),)
             if query.get("from_") and query.get("to") else ())
    return page_in_pairing(FundEntry, actor, pairing, query, ("ref", "purpose"), *dated)


def funds_fen(pairing, start: date, end: date, purposes: tuple[str, ...] | None = None) -> int:
    """The funds dated in [start, end], of those purposes (all when none)."""
    stmt = select(func.coalesce(func.sum(FundEntry.amount_fen), 0)).where(
        FundEntry.pairing_id == pairing.id, FundEntry.date.between(start, end))
    if purposes:
        stmt = stmt.where(FundEntry.purpose.in_(purposes))
    return int(db.session.scalar(stmt) or 0)
