"""Income declarations (verified by a second user) and training records, and the claims they
create on each payer's side, for every `income` and `training` programme it pays (the shorthand
收入奖励 and 培训补贴 among them): once per programme, seeker and year at or above the income
threshold; for training, per day or per hour, from the minimum hours, up to the year's cap."""
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
from exchange.subsidies.rules import Facts, eligible, income_amount_of, training_amount_of


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


def paid_by(pairing, trigger: str, region: str):
    """The programmes of `trigger` that `region` pays."""
    return [p for p in pairing.programmes if p.trigger == trigger and pairing.region(p.payer).code == region]


def income_claims(ctx, pairing, declaration: IncomeDeclaration, region: str) -> list[Claim]:
    """On a payer's side: each income programme it pays whose threshold the verified income
    reaches — once per programme, person and year."""
    seeker = db.session.get(Seeker, declaration.seeker_id)
    created = []
    for programme in paid_by(pairing, "income", region):
        amount = income_amount_of(declaration.amount_fen, programme.threshold_fen, programme.amount_fen)
        if amount <= 0 or not eligible(programme.when, Facts(household_status=seeker.household_status)):
            continue
        key = (f"income:{pairing.id}:{seeker.id}:{declaration.year}" if programme.shorthand
               else f"{programme.key}:{pairing.id}:worker::{seeker.id}:{declaration.year}")
        claim = create_claim(ctx, pairing, kind=programme.key, seeker_id=seeker.id, amount_fen=amount, dedupe_key=key,
                             year=declaration.year, declaration_id=declaration.id, verified_by=declaration.verified_by)
        if claim is not None:
            created.append(claim)
    return created


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
    income_claims(ctx, pairing, declaration, actor.region)
    audit.record(actor, "income.verified", "income_declaration", declaration.id, at=declaration.verified_at)
    db.session.commit()
    return declaration


def training_claims(ctx, pairing, record: TrainingRecord, region: str) -> list[Claim]:
    """On a payer's side: each training programme it pays — per day × days or per hour × hours,
    nothing under its minimum hours, up to what the programme's yearly cap leaves — once per
    programme and record."""
    year = record.end_date.year
    seeker = db.session.get(Seeker, record.seeker_id)
    created = []
    for programme in paid_by(pairing, "training", region):
        if not eligible(programme.when, Facts(household_status=seeker.household_status)):
            continue
        # Two records of one person stored at once must not both take what is left of the cap: the
        # seeker's row is locked while the year's claims are added up (SQLite serialises writers).
        db.session.execute(select(Seeker.id).where(Seeker.id == record.seeker_id).with_for_update())
        held = db.session.scalar(select(func.coalesce(func.sum(Claim.approved_amount_fen), 0)).where(
            Claim.pairing_id == pairing.id, Claim.seeker_id == record.seeker_id, Claim.kind == programme.key,
            Claim.year == year, Claim.status != REJECTED)) or 0
        amount = training_amount_of(record.days, record.hours, programme.per_day_fen, programme.per_hour_fen,
                                    programme.min_hours, programme.cap_fen, held)
        if amount <= 0:
            continue
        uncapped = training_amount_of(record.days, record.hours, programme.per_day_fen, programme.per_hour_fen,
                                      programme.min_hours, None, 0)
        reason = None
        if amount < uncapped:
            with record_language():
                if programme.per_day_fen is not None:
                    reason = _("%(days)s days × %(per_day)s yuan, limited by the yearly cap of %(cap)s yuan "
                               "(%(held)s yuan already claimed in %(year)s)", days=record.days,
                               per_day=fen_to_yuan(programme.per_day_fen), cap=fen_to_yuan(programme.cap_fen),
                               held=fen_to_yuan(held), year=year)
                else:
                    reason = _("%(hours)s hours × %(per_hour)s yuan, limited by the yearly cap of %(cap)s yuan "
                               "(%(held)s yuan already claimed in %(year)s)", hours=record.hours,
                               per_hour=fen_to_yuan(programme.per_hour_fen), cap=fen_to_yuan(programme.cap_fen),
                               held=fen_to_yuan(held), year=year)
        key = (f"training:{pairing.id}:{record.ref}" if programme.shorthand
               else f"{programme.key}:{pairing.id}:worker::{seeker.id}:{record.ref}")
        claim = create_claim(ctx, pairing, kind=programme.key, seeker_id=record.seeker_id, amount_fen=amount,
                             dedupe_key=key, year=year, training_record_id=record.id, reason=reason)
        if claim is not None:
            created.append(claim)
    return created


def record_training(ctx, actor: Actor, pairing_id: str, data: dict[str, Any]) -> TrainingRecord:
    pairing = require_pairing_member(ctx, actor, pairing_id)
    require_side(actor, pairing, "sending", SENDING_STAFF)
    seeker = get_visible(Seeker, data["seeker_id"], actor)
    if data["end_date"] < data["start_date"]:
        raise Invalid.field("end_date", "bad_value", _("A course ends on or after the day it starts"))
    if data["days"] > (data["end_date"] - data["start_date"]).days + 1:
        raise Invalid.field("days", "bad_value", _("More training days than days between start and end"))
    record = TrainingRecord(pairing_id=pairing.id, region=actor.region, seeker_id=seeker.id, course=data["course"].strip(),
                            days=data["days"], hours=data.get("hours"), start_date=data["start_date"], end_date=data["end_date"],
                            created_by=actor.user_id, created_at=ctx.clock.now())
    db.session.add(record)
    db.session.flush()
    emit(pairing, actor.region, "training.recorded", {
        "record_ref": record.ref, "seeker_ref": seeker.ref, "course": record.course, "days": record.days, "hours": record.hours,
        "start_date": record.start_date.isoformat(), "end_date": record.end_date.isoformat()}, ctx.clock)
    training_claims(ctx, pairing, record, actor.region)
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


