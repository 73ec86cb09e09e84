"""Registering and vetting employers and employment agencies (each region its own: the receiving
county the employers it offers, the sending county its local workshops, bases and public-welfare
posts and its agencies); postings of approved employers only; the partner's copies of employers,
agencies and postings its events describe."""
from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from stdnum.cn import uscc as uscc_number
from stdnum.exceptions import ValidationError as NumberError

from exchange.accounts.permissions import require_role
from exchange.accounts.roles import RECEIVING_STAFF, SENDING_STAFF, Actor
from exchange.core import audit
from exchange.core.errors import Conflict, Forbidden, Invalid
from exchange.core.pagination import Page
from exchange.core.scoping import get_visible, page_of
from exchange.core.words import label
from exchange.employers.events import POSTING_COPY_COLUMNS, posting_copy_row
from exchange.employers.models import APPROVED, CLOSED, OPEN, PENDING, REJECTED, Agency, Employer, Posting
from exchange.extensions import db
from exchange.occupations.taxonomy import taxonomy
from exchange.protocol.upsert import upsert_by_ref

# Vetting may be revisited: an approved employer found unqualified is rejected, a rejected one
# that mended its papers approved. Deciding the same thing twice is refused.
VET_MOVES = {PENDING: {APPROVED, REJECTED}, APPROVED: {REJECTED}, REJECTED: {APPROVED}}


def check_uscc(raw: str) -> str:
    try:
        return uscc_number.validate(raw)
    except NumberError:
        raise Invalid.field("uscc", "bad_uscc", _("Not a valid unified social credit code (18 characters with a check character)")) from None


ORGANISATION_FIELDS = ("contact_name", "contact_phone", "bank_name", "bank_account")


def _noun(model) -> str:
    return "agency" if model is Agency else "employer"


def _register(ctx, actor: Actor, model, data: dict[str, Any], **extra: Any):
    require_role(actor, RECEIVING_STAFF, SENDING_STAFF)
    now = ctx.clock.now()
    code = check_uscc(data["uscc"])
    if db.session.scalar(select(model.id).where(model.region == actor.region, model.uscc == code)):
        raise Conflict("already_registered", _("An organisation with this credit code is already registered"))
    row = model(region=actor.region, name=data["name"].strip(), uscc=code, status=PENDING, created_by=actor.user_id,
                created_at=now, **{f: data.get(f) for f in ORGANISATION_FIELDS}, **extra)
    db.session.add(row)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise Conflict("already_registered", _("An organisation with this credit code is already registered")) from None
    audit.record(actor, f"{_noun(model)}.registered", _noun(model), row.id, at=now)
    db.session.commit()
    return row


def _vet(ctx, actor: Actor, model, row_id: int, decision: str, reason: str | None):
    require_role(actor, RECEIVING_STAFF, SENDING_STAFF)
    row = get_visible(model, row_id, actor, for_update=True)
    if row.region != actor.region:
        raise Forbidden("forbidden", _("Only the organisation's own region vets it"))
    if decision not in VET_MOVES[row.status]:
        raise Conflict("already_vetted", _("The organisation is already %(status)s", status=label(row.status)))
    if decision == REJECTED and not (reason or "").strip():
        raise Invalid.field("reason", "missing", _("Say why the organisation is rejected"))
    row.status, row.vet_reason = decision, (reason or "").strip() or None
    row.vetted_by, row.vetted_at = actor.user_id, ctx.clock.now()
    audit.record(actor, f"{_noun(model)}.{decision}", _noun(model), row.id, at=row.vetted_at, reason=row.vet_reason)
    db.session.commit()
    return row


def _update(ctx, actor: Actor, model, row_id: int, data: dict[str, Any]):
    """The contact and bank details of an organisation of the caller's region (what a programme
    paying it needs); its name, credit code and vetting do not change here."""
    require_role(actor, RECEIVING_STAFF, SENDING_STAFF)
    row = get_visible(model, row_id, actor, for_update=True)
    if row.region != actor.region:
        raise Forbidden("forbidden", _("Only the organisation's own region changes its details"))
    changed = sorted(name for name, value in data.items() if getattr(row, name) != value)
    for name in changed:
        setattr(row, name, data[name])
    if changed:     # which fields, not their values: an account number stays out of the trail
        audit.record(actor, f"{_noun(model)}.updated", _noun(model), row.id, at=ctx.clock.now(), fields=changed)
    db.session.commit()
    return row


def update_employer(ctx, actor: Actor, employer_id: int, data: dict[str, Any]) -> Employer:
    return _update(ctx, actor, Employer, employer_id, data)


def update_agency(ctx, actor: Actor, agency_id: int, data: dict[str, Any]) -> Agency:
    return _update(ctx, actor, Agency, agency_id, data)


def register_employer(ctx, actor: Actor, data: dict[str, Any]) -> Employer:
    """An employer of the caller's region: the receiving county's enterprises, or the sending
    county's own workshops, bases and public-welfare posts (local jobs)."""
    return _register(ctx, actor, Employer, data, kind=data.get("kind") or "enterprise", address=data.get("address"))


def vet_employer(ctx, actor: Actor, employer_id: int, decision: str, reason: str | None) -> Employer:
    return _vet(ctx, actor, Employer, employer_id, decision, reason)


def register_agency(ctx, actor: Actor, data: dict[str, Any]) -> Agency:
    return _register(ctx, actor, Agency, data)


def vet_agency(ctx, actor: Actor, agency_id: int, decision: str, reason: str | None) -> Agency:
    return _vet(ctx, actor, Agency, agency_id, decision, reason)


def list_agencies(viewer: Actor, query: dict[str, Any]) -> Page:
    named = (Agency.name.contains(query["q"], autoescape=True),) if query.get("q") else ()
    return page_of(Agency, viewer, query, ("ref", "status"), *named)


def get_agency(viewer: Actor, agency_id: int) -> Agency:
    return get_visible(Agency, agency_id, viewer)


def approved_agencies_of(viewer: Actor) -> list[Agency]:
    return list(db.session.scalars(select(Agency).where(Agency.region == viewer.region, Agency.status == APPROVED)
                                   .order_by(Agency.name)))


def list_employers(viewer: Actor, query: dict[str, Any]) -> Page:
    named = (Employer.name.contains(query["q"], autoescape=True),) if query.get("q") else ()
    coded = (Employer.uscc == query["uscc"].strip().upper(),) if query.get("uscc") else ()
    return page_of(Employer, viewer, query, ("ref", "status", "kind"), *named, *coded)


def get_employer(viewer: Actor, employer_id: int) -> Employer:
    return get_visible(Employer, employer_id, viewer)


def create_posting(ctx, actor: Actor, data: dict[str, Any]) -> Posting:
    require_role(actor, RECEIVING_STAFF)
    employer = get_visible(Employer, data["employer_id"], actor)
    if employer.region != actor.region:
        raise Forbidden("forbidden", _("Postings are created by the employer's own region"))
    if employer.status != APPROVED:
        raise Conflict("employer_not_approved", _("The employer has not been approved (vetting status: %(status)s)", status=label(employer.status)))
    req = data["requirements"]
    posting = Posting(
        region=actor.region, employer_id=employer.id, title=data["title"].strip(), occupation=data["occupation"].strip(),
        occupation_code=taxonomy().resolve(data["occupation"]), headcount=data["headcount"],
        wage_min_fen=data["wage_min_fen"], wage_max_fen=data["wage_max_fen"], req_gender=req["gender"],
        req_age_min=req["age_min"], req_age_max=req["age_max"], req_education_min=req["education_min"],
        req_skills=req["skills"], work_type=data["work_type"], location_region=data["location_region"],
        address=data.get("address"), housing=data["housing"], meals=data["meals"],
        contract_months=data["contract_months"], start_date=data["start_date"],
        interview_mode=data["interview_mode"], status=OPEN, created_by=actor.user_id, created_at=ctx.clock.now())
    db.session.add(posting)
    db.session.flush()
    audit.record(actor, "posting.created", "posting", posting.id, at=posting.created_at)
    db.session.commit()
    return posting


def close_posting(ctx, actor: Actor, posting_id: int) -> Posting:
    require_role(actor, RECEIVING_STAFF)
    posting = get_visible(Posting, posting_id, actor, for_update=True)
    if posting.region != actor.region:
        raise Forbidden("forbidden", _("Postings are closed by the employer's own region"))
    if posting.status == CLOSED:
        raise Conflict("already_closed", _("The posting is already closed"))
    posting.status = CLOSED
    audit.record(actor, "posting.closed", "posting", posting.id, at=ctx.clock.now())
    db.session.commit()
    return posting


def list_postings(viewer: Actor, query: dict[str, Any]) -> Page:
    return page_of(Posting, viewer, query, ("ref", "employer_id", "status"))


def get_posting(viewer: Actor, posting_id: int) -> Posting:
    return get_visible(Posting, posting_id, viewer)


def count_waiting_for_vetting(viewer: Actor) -> int:
    return db.session.scalar(select(func.count()).select_from(Employer).where(
        Employer.region == viewer.region, Employer.status == PENDING)) or 0


def approved_employers_of(viewer: Actor) -> list[Employer]:
    """The viewer's region's approved employers (the ones postings and spells may name)."""
    return list(db.session.scalars(select(Employer).where(Employer.region == viewer.region, Employer.status == APPROVED)
                                   .order_by(Employer.name, Employer.id)))


def postings_to_offer(viewer: Actor) -> list[Posting]:
    """The viewer's region's open postings of approved employers: what a supply list may offer."""
    return list(db.session.scalars(select(Posting).join(Employer, Employer.id == Posting.employer_id).where(
        Posting.region == viewer.region, Posting.status == OPEN, Employer.status == APPROVED).order_by(Posting.id)))


def save_partner_employers(items: list[dict[str, Any]], *, region: str, refresh: bool, at) -> dict[str, int]:
    """The partner's employers an event names (EmployerRef payloads): their copies here, ref → id.
    They were vetted by their own region, so they are approved."""
    unique = {e["employer_ref"]: e for e in items}
    return upsert_by_ref(Employer, [{"ref": ref, "region": region, "name": e["name"], "uscc": e["uscc"],
                                     "kind": e["kind"], "status": APPROVED, "created_at": at} for ref, e in unique.items()],
                         refresh=refresh, update_fields=("name", "kind"))


def save_partner_agencies(items: list[dict[str, Any]], *, region: str, at) -> dict[str, int]:
    """The partner's agencies its matches name (AgencyRef payloads): their copies here, ref → id;
    vetted by their own region, so approved."""
    unique = {a["agency_ref"]: a for a in items}
    return upsert_by_ref(Agency, [{"ref": ref, "region": region, "name": a["name"], "uscc": a["uscc"],
                                   "status": APPROVED, "created_at": at} for ref, a in unique.items()],
                         refresh=True, update_fields=("name",))


def save_partner_postings(items: list[dict[str, Any]], *, region: str, refresh: bool,
                          at) -> tuple[dict[str, int], dict[str, int]]:
    """The partner's postings a supply list offers (PostingPayload) and their employers: the ids
    of both, by ref."""
    employer_ids = save_partner_employers([p["employer"] for p in items], region=region, refresh=refresh, at=at)
    rows = [{**posting_copy_row(p), "region": region, "employer_id": employer_ids[p["employer"]["employer_ref"]],
             "occupation_code": taxonomy().resolve(p["occupation"]), "status": OPEN, "created_at": at} for p in items]
    return upsert_by_ref(Posting, rows, refresh=refresh, update_fields=POSTING_COPY_COLUMNS), employer_ids
