"""Income declarations (verified by a second user) and training records, and the claims they
create on the payer's side: once per seeker per year at or above the income threshold; for
training, days × per day up to the year's cap."""
from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from exchange.accounts.permissions import require_pairing_member, require_side
from exchange.accounts.roles import SENDING_STAFF, Actor
from exchange.core import audit
from exchange.core.clock import iso_local
from exchange.core.errors import Conflict, Forbidden, Invalid
from exchange.core.i18n import record_language
from exchange.core.money import fen_to_yuan
from exchange.core.pagination import Page
from exchange.core.scoping import get_in_pairing, get_visible, page_in_pairing
from exchange.extensions import db
from exchange.protocol.outbox import emit
from exchange.registry.models import Seeker, TrainingRecord
from exchange.subsidies.claims import create_claim
from exchange.subsidies.models import REJECTED, Claim, IncomeDeclaration
from exchange.subsidies.rules import training_amount


def declare_income(ctx, actor: Actor, pairing_id: str, data: dict[str, Any]) -> IncomeDeclaration:
    pairing = require_pairing_member(ctx, actor, pairing_id)
    require_side(actor, pairing, "sending", SENDING_STAFF)
    seeker = get_visible(Seeker, data["seeker_id"], actor)
    if seeker.region != actor.region:
        raise Invalid.field("seeker_id", "not_found", _("No seeker %(id)s in your region", id=seeker.id))
    if db.session.scalar(select(IncomeDeclaration.id).where(IncomeDeclaration.pairing_id == pairing.id,
                                                            IncomeDeclaration.seeker_id == seeker.id,
                                                            IncomeDeclaration.year == data["year"])):
        raise Conflict("already_declared", _("An income for %(year)s is already declared for this seeker", year=data["year"]))
    declaration = IncomeDeclaration(pairing_id=pairing.id, region=actor.region, seeker_id=seeker.id, year=data["year"],
                                    amount_fen=data["amount_fen"], status="declared", declared_by=actor.user_id,
                                    created_at=ctx.clock.now())
    db.session.add(declaration)
    db.session.flush()
    audit.record(actor, "income.declared", "income_declaration", declaration.id, at=declaration.created_at,
                 year=declaration.year)
    db.session.commit()
    return declaration


def income_claim(ctx, pairing, declaration: IncomeDeclaration) -> Claim | None:
    """On the payer's side: the once-a-year income claim, when the verified income reaches the threshold."""
    rule = pairing.income
    if rule is None or declaration.amount_fen < rule.threshold_fen:
        return None
    return create_claim(ctx, pairing, kind="income", seeker_id=declaration.seeker_id, amount_fen=rule.amount_fen,
                        dedupe_key=f"income:{pairing.id}:{declaration.seeker_id}:{declaration.year}",
                        year=declaration.year, declaration_id=declaration.id, verified_by=declaration.verified_by)


def verify_income(ctx, actor: Actor, pairing_id: str, declaration_id: int) -> IncomeDeclaration:
    pairing = require_pairing_member(ctx, actor, pairing_id)
    require_side(actor, pairing, "sending", SENDING_STAFF)
    declaration = get_in_pairing(IncomeDeclaration, declaration_id, actor, pairing, for_update=True)
    if declaration.status != "declared":
        raise Conflict("already_verified", _("This declaration is already verified"))
    if declaration.declared_by == actor.user_id:
        raise Forbidden("same_user", _("A second person verifies what the first declared"))
    declaration.status, declaration.verified_by, declaration.verified_at = "verified", actor.user_id, ctx.clock.now()
    seeker = db.session.get(Seeker, declaration.seeker_id)
    emit(pairing, actor.region, "income.verified", {
        "declaration_ref": declaration.ref, "seeker_ref": seeker.ref, "year": declaration.year,
        "amount_fen": declaration.amount_fen, "verified_at": iso_local(declaration.verified_at)}, ctx.clock)
    if pairing.payer_region == actor.region:
        income_claim(ctx, pairing, declaration)
    audit.record(actor, "income.verified", "income_declaration", declaration.id, at=declaration.verified_at)
    db.session.commit()
    return declaration


def training_claim(ctx, pairing, record: TrainingRecord) -> Claim | None:
    """On the payer's side: days × per day, up to what the year's cap leaves."""
    rule = pairing.training
    if rule is None:
        return None
    year = record.end_date.year
    # Two records of one person stored at once must not both take what is left of the cap: the
    # seeker's row is locked while the year's claims are added up (SQLite serialises writers).
    db.session.execute(select(Seeker.id).where(Seeker.id == record.seeker_id).with_for_update())
    held = db.session.scalar(select(func.coalesce(func.sum(Claim.approved_amount_fen), 0)).where(
        Claim.pairing_id == pairing.id, Claim.seeker_id == record.seeker_id, Claim.kind == "training",
        Claim.year == year, Claim.status != REJECTED)) or 0
    amount = training_amount(record.days, rule.per_day_fen, rule.cap_fen, held)
    if amount <= 0:
        return None
    reason = None
    if amount < record.days * rule.per_day_fen:
        with record_language():
            reason = _("%(days)s days × %(per_day)s yuan, limited by the yearly cap of %(cap)s yuan "
                       "(%(held)s yuan already claimed in %(year)s)", days=record.days,
                       per_day=fen_to_yuan(rule.per_day_fen), cap=fen_to_yuan(rule.cap_fen), held=fen_to_yuan(held),
                       year=year)
    return create_claim(ctx, pairing, kind="training", seeker_id=record.seeker_id, amount_fen=amount,
                        dedupe_key=f"training:{pairing.id}:{record.ref}", year=year,
                        training_record_id=record.id, reason=reason)


def record_training(ctx, actor: Actor, pairing_id: str, data: dict[str, Any]) -> TrainingRecord:
    pairing = require_pairing_member(ctx, actor, pairing_id)
    require_side(actor, pairing, "sending", SENDING_STAFF)
    seeker = get_visible(Seeker, data["seeker_id"], actor)
    if data["end_date"] < data["start_date"]:
        raise Invalid.field("end_date", "bad_value", _("A course ends on or after the day it starts"))
    if data["days"] > (data["end_date"] - data["start_date"]).days + 1:
        raise Invalid.field("days", "bad_value", _("More training days than days between start and end"))
    record = TrainingRecord(pairing_id=pairing.id, region=actor.region, seeker_id=seeker.id, course=data["course"].strip(),
                            days=data["days"], start_date=data["start_date"], end_date=data["end_date"],
                            created_by=actor.user_id, created_at=ctx.clock.now())
    db.session.add(record)
    db.session.flush()
    emit(pairing, actor.region, "training.recorded", {
        "record_ref": record.ref, "seeker_ref": seeker.ref, "course": record.course, "days": record.days,
        "start_date": record.start_date.isoformat(), "end_date": record.end_date.isoformat()}, ctx.clock)
    if pairing.payer_region == actor.region:
        training_claim(ctx, pairing, record)
    audit.record(actor, "training.recorded", "training_record", record.id, at=record.created_at, days=record.days)
    db.session.commit()
    return record


def list_declarations(ctx, actor: Actor, pairing_id: str, query: dict[str, Any]) -> Page:
    return page_in_pairing(IncomeDeclaration, actor, require_pairing_member(ctx, actor, pairing_id), query,
                           ("ref", "seeker_id"))


def list_training(ctx, actor: Actor, pairing_id: str, query: dict[str, Any]) -> Page:
    return page_in_pairing(TrainingRecord, actor, require_pairing_member(ctx, actor, pairing_id), query,
                           ("ref", "seeker_id"))


def get_declaration(ctx, actor: Actor, pairing_id: str, declaration_id: int) -> IncomeDeclaration:
    return get_in_pairing(IncomeDeclaration, declaration_id, actor, require_pairing_member(ctx, actor, pairing_id))


def get_training(ctx, actor: Actor, pairing_id: str, record_id: int) -> TrainingRecord:
    return get_in_pairing(TrainingRecord, record_id, actor, require_pairing_member(ctx, actor, pairing_id))


