"""Claims: the one way a transport claim is made (filed here or received from the partner), the
other kinds' claims, deciding them (maker-checker), and telling the partner about every change
(subsidy.updated)."""
from __future__ import annotations

import base64
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from exchange.accounts.permissions import require_pairing_member, require_role
from exchange.accounts.roles import STAFF_ROLES, Actor
from exchange.core import audit
from exchange.core.clock import iso_local
from exchange.core.errors import Conflict, DomainError, Invalid, NotFound, Unprocessable
from exchange.core.i18n import record_language
from exchange.core.money import fen_to_yuan
from exchange.core.pagination import Page
from exchange.core.scoping import get_in_pairing, get_visible, page_in_pairing
from exchange.core.sqldates import LocalMonth
from exchange.employers.models import Agency, Employer, Posting
from exchange.extensions import db
from exchange.placements.models import Dispatch, Traveller
from exchange.protocol.outbox import emit
from exchange.registry.models import Seeker
from exchange.subsidies import receipts as receipt_files
from exchange.subsidies.models import APPROVED, PAID, PENDING, REJECTED, Claim, ClaimReceipt
from exchange.subsidies.permissions import require_claim_payer, require_decider, require_second_person
from exchange.subsidies.rules import Facts, capped, eligible


def payee_ref(claim: Claim, seeker_ref: str) -> dict[str, str] | None:
    """The payee as events name it: {"type", "ref"} (the worker by the seeker's ref)."""
    if claim.payee_type in (None, "worker"):
        return {"type": "worker", "ref": seeker_ref}
    if claim.payee_type == "employer" and claim.payee_id is not None:
        return {"type": "employer", "ref": db.session.scalar(select(Employer.ref).where(Employer.id == claim.payee_id))}
    if claim.payee_type == "agency" and claim.payee_id is not None:
        return {"type": "agency", "ref": db.session.scalar(select(Agency.ref).where(Agency.id == claim.payee_id))}
    return None


def update_payload(claim: Claim, seeker_ref: str | None = None) -> dict[str, Any]:
    """subsidy.updated: the claim as the payer decided it."""
    if seeker_ref is None:
        seeker_ref = db.session.scalar(select(Seeker.ref).where(Seeker.id == claim.seeker_id))
    # decided_at is when the claim took its present status: the payment's time once it is paid.
    return {"claim_ref": claim.ref, "kind": claim.kind, "payee": payee_ref(claim, seeker_ref), "seeker_ref": seeker_ref,
            "milestone_months": claim.milestone_months,
            "milestone_date": claim.milestone_date.isoformat() if claim.milestone_date else None, "amount_fen": claim.amount_fen,
            "approved_amount_fen": claim.approved_amount_fen, "status": claim.status, "reason": claim.reason,
            "decided_at": iso_local(claim.paid_at if claim.status == PAID else claim.decided_at)}


def publish_update(ctx, pairing, claim: Claim) -> None:
    emit(pairing, claim.region, "subsidy.updated", update_payload(claim), ctx.clock)


def cap_reason(claimed: int, cap: int) -> str | None:
    """Why less is approvable than claimed, written in the counties' language: the reason is part
    of the record both sides keep and the statement a clerk prints."""
    if claimed > cap:
        with record_language():
            return _("Above the cap of %(cap)s yuan: %(approved)s yuan approvable", cap=fen_to_yuan(cap), approved=fen_to_yuan(cap))
    return None


def transport_programme(pairing, kind: str):
    """The pairing's `transport` programme of that key (the shorthand 交通补贴 or a file's own):
    the only claims filed by hand. Raises 422 with the reason."""
    programme = pairing.programme(kind)
    if programme is not None and programme.trigger == "transport":
        return programme
    if kind == "transport":
        raise Unprocessable("not_eligible", _("This pairing has no transport subsidy"))
    raise Invalid.field("kind", "bad_value", _("Only transport claims are filed by hand; the others are created by the "
                                               "retention scan, verified income and training records"))


def transport_eligibility(pairing, seeker: Seeker, dispatch: Dispatch | None, programme=None) -> None:
    """rules.md: a traveller of a dispatch of this pairing whose arrival is confirmed (when the
    programme requires an organised dispatch), and the programme's other conditions (rules.eligible
    over the person and the job they travelled to). Raises 422 not_eligible with the reason."""
    programme = programme or transport_programme(pairing, "transport")
    requires = programme.when.organised_dispatch is True
    traveller = None
    if dispatch is None:
        if requires:
            raise Unprocessable("not_eligible", _("Only travellers of an organised dispatch are eligible: name the dispatch"))
    else:
        if dispatch.pairing_id != pairing.id:
            raise Unprocessable("not_eligible", _("The dispatch belongs to another pairing"))
        traveller = db.session.scalar(select(Traveller).where(Traveller.dispatch_id == dispatch.id,
                                                              Traveller.seeker_id == seeker.id))
        if traveller is None:
            raise Unprocessable("not_eligible", _("The seeker did not travel in this dispatch"))
        if requires and not traveller.arrived:
            raise Unprocessable("not_eligible", _("The seeker's arrival has not been confirmed"))
    employer = (db.session.scalar(select(Employer).join(Posting, Posting.employer_id == Employer.id)
                                  .where(Posting.id == traveller.match.posting_id)) if traveller is not None else None)
    facts = Facts(household_status=seeker.household_status, employer_kind=employer.kind if employer else None,
                  organised_dispatch=bool(traveller and traveller.arrived),
                  job_region=employer.region if employer else None, home_region=pairing.sending.code)
    if not eligible(programme.when, facts):
        raise Unprocessable("not_eligible", _("The person or the job does not meet the conditions of %(programme)s",
                                              programme=programme.name))


def transport_key(pairing_id: str, seeker_id: int, dispatch_id: int | None, programme=None) -> str:
    """One claim per programme, person and journey (the shorthand keeps its historical key)."""
    if programme is None or programme.shorthand:
        return f"transport:{pairing_id}:{seeker_id}:{dispatch_id or '-'}"
    return f"{programme.key}:{pairing_id}:worker::{seeker_id}:{dispatch_id or '-'}"


def _refuse_duplicate(key: str) -> None:
    if db.session.scalar(select(Claim.id).where(Claim.dedupe_key == key)) is not None:
        raise Conflict("duplicate_claim", _("This claim was filed already"))


def transport_claim(ctx, pairing, *, seeker: Seeker, dispatch: Dispatch | None, amount_fen: int, travel_date,
                    filed_region: str, created_by: int | None = None, ref: str | None = None,
                    kind: str = "transport") -> Claim:
    """The one way a transport claim is made, whether a clerk files it here or the partner's
    subsidy.claimed brings it: pending, approvable up to the programme's cap (with the reason when
    that is less than claimed), once per programme, person and journey. Raises not_eligible or
    duplicate_claim."""
    programme = transport_programme(pairing, kind)
    transport_eligibility(pairing, seeker, dispatch, programme)
    key = transport_key(pairing.id, seeker.id, dispatch.id if dispatch else None, programme)
    _refuse_duplicate(key)
    cap = programme.cap_fen
    claim = Claim(pairing_id=pairing.id, region=pairing.payer_of(kind), filed_region=filed_region, kind=kind,
                  seeker_id=seeker.id, amount_fen=amount_fen, approved_amount_fen=capped(amount_fen, cap),
                  reason=cap_reason(amount_fen, cap), status=PENDING, travel_date=travel_date,
                  dispatch_id=dispatch.id if dispatch else None, dedupe_key=key, created_by=created_by,
                  created_at=ctx.clock.now())
    if ref is not None:
        claim.ref = ref
    return claim


def refused_claim(ctx, pairing, refusal: DomainError, *, ref: str, kind: str, seeker: Seeker, dispatch: Dispatch | None,
                  amount_fen: int, travel_date, filed_region: str) -> Claim:
    """A claim the partner filed that cannot be paid: kept as rejected, saying why, so the filing
    side hears the answer (subsidy.updated) instead of silence."""
    return Claim(ref=ref, pairing_id=pairing.id, region=pairing.payer_of(kind), filed_region=filed_region, kind=kind,
                 seeker_id=seeker.id, amount_fen=amount_fen, approved_amount_fen=0, status=REJECTED,
                 reason=f"{refusal.code}: {refusal.message}", travel_date=travel_date,
                 dispatch_id=dispatch.id if dispatch else None, created_at=ctx.clock.now())


def file_claim(ctx, actor: Actor, pairing_id: str, data: dict[str, Any], files: list[tuple[str, bytes]]) -> Claim:
    """A transport claim with its receipts, by any staff role of either region. Filed where the
    payer is, it is created pending; filed on the other side, it travels as subsidy.claimed."""
    pairing = require_pairing_member(ctx, actor, pairing_id)
    require_role(actor, *STAFF_ROLES)
    if not pairing.programmes:
        raise Unprocessable("not_eligible", _("This pairing pays no subsidies"))
    programme = transport_programme(pairing, data["kind"])
    if data.get("travel_date") is None:   # rules.md: a claim names the day of the journey
        raise Invalid.field("travel_date", "missing", _("Give the travel date shown on the ticket"))
    uploads = receipt_files.check_receipts(files)
    seeker = get_visible(Seeker, data["seeker_id"], actor)
    dispatch = get_in_pairing(Dispatch, data["dispatch_id"], actor, pairing) if data.get("dispatch_id") else None
    claim = transport_claim(ctx, pairing, seeker=seeker, dispatch=dispatch, amount_fen=data["amount_fen"],
                            travel_date=data.get("travel_date"), filed_region=actor.region, created_by=actor.user_id,
                            kind=programme.key)
    db.session.add(claim)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise Conflict("duplicate_claim", _("This claim was filed already")) from None
    for upload in uploads:
        db.session.add(ClaimReceipt(claim_id=claim.id, filename=upload.filename, content_type=upload.content_type,
                                    sha256=receipt_files.store(ctx, upload), size=len(upload.data)))
    if actor.region == claim.region:       # filed where it is paid
        publish_update(ctx, pairing, claim)
    else:
        emit(pairing, actor.region, "subsidy.claimed", {
            "claim_ref": claim.ref, "kind": claim.kind, "payee": payee_ref(claim, seeker.ref), "seeker_ref": seeker.ref,
            "amount_fen": claim.amount_fen,
            "travel_date": claim.travel_date.isoformat() if claim.travel_date else None,
            "dispatch_ref": dispatch.ref if dispatch else None,
            "receipts": [{"filename": u.filename, "content_type": u.content_type, "sha256": u.sha256,
                          "data_base64": base64.b64encode(u.data).decode()} for u in uploads]}, ctx.clock)
    audit.record(actor, "claim.filed", "claim", claim.id, at=claim.created_at, kind=claim.kind, amount_fen=claim.amount_fen)
    try:
        db.session.commit()
    except IntegrityError:  # twenty identical claims at once: the unique key keeps one
        db.session.rollback()
        raise Conflict("duplicate_claim", _("This claim was filed already")) from None
    return claim


def create_claim(ctx, pairing, *, kind: str, seeker_id: int, amount_fen: int, dedupe_key: str,
                 publish: bool = True, **fields: Any) -> Claim | None:
    """A claim the payer of programme `kind` creates itself (retention, income, training…): pending,
    or None when the same claim exists. Runs inside the caller's transaction."""
    if db.session.scalar(select(Claim.id).where(Claim.dedupe_key == dedupe_key)) is not None:
        return None
    payer = pairing.payer_of(kind)
    claim = Claim(pairing_id=pairing.id, region=payer, filed_region=payer, kind=kind,
                  seeker_id=seeker_id, amount_fen=amount_fen, approved_amount_fen=amount_fen, status=PENDING,
                  dedupe_key=dedupe_key, created_at=ctx.clock.now(), **fields)
    try:
        with db.session.begin_nested():
            db.session.add(claim)
    except IntegrityError:
        return None
    audit.record(Actor.system(payer), "claim.created", "claim", claim.id, at=claim.created_at, kind=kind,
                 amount_fen=amount_fen)
    if publish:
        publish_update(ctx, pairing, claim)
    return claim


def _decidable(ctx, actor: Actor, pairing_id: str, claim_id: int):
    pairing = require_decider(ctx, actor, pairing_id)
    claim = get_in_pairing(Claim, claim_id, actor, pairing)
    require_claim_payer(actor, claim)
    if claim.status != PENDING:
        raise Conflict("not_pending", _("This claim is no longer pending (%(status)s)", status=claim.status))
    require_second_person(actor, claim)
    return pairing, claim


def decide(ctx, actor: Actor, pairing_id: str, claim_id: int, approve: bool, reason: str | None) -> Claim:
    pairing, claim = _decidable(ctx, actor, pairing_id, claim_id)
    values: dict[str, Any] = {"status": APPROVED if approve else REJECTED, "decided_by": actor.user_id,
                              "decided_at": ctx.clock.now()}
    if not approve:
        if not (reason or "").strip():
            raise Invalid.field("reason", "missing", _("Say why the claim is rejected"))
        values["reason"] = reason.strip()
        programme = pairing.programme(claim.kind)
        if claim.kind == "transport" or (programme is not None and programme.trigger == "transport"):
            values["dedupe_key"] = None   # a corrected transport claim may be filed again
    # The status in the WHERE clause decides between simultaneous decisions: one wins.
    done = db.session.execute(update(Claim).where(Claim.id == claim.id, Claim.status == PENDING).values(**values)).rowcount
    if not done:
        db.session.rollback()
        raise Conflict("not_pending", _("This claim is no longer pending"))
    db.session.refresh(claim)
    publish_update(ctx, pairing, claim)
    audit.record(actor, "claim.approved" if approve else "claim.rejected", "claim", claim.id, at=values["decided_at"],
                 reason=claim.reason)
    db.session.commit()
    return claim


def list_claims(ctx, actor: Actor, pairing_id: str, query: dict[str, Any]) -> Page:
    pairing = require_pairing_member(ctx, actor, pairing_id)
    # The month (Asia/Shanghai) the claim was filed: a finance officer's "this month's claims".
    filed = ((LocalMonth(Claim.created_at) == query["month"],) if query.get("month") else
             (LocalMonth(Claim.created_at).like(f"{query['year']:04d}-%"),) if query.get("year") else ())
    return page_in_pairing(Claim, actor, pairing, query, ("kind", "payee_type", "status", "seeker_id", "ref",
                                                          "payment_batch_id"), *filed)


def present(ctx, pairing_id: str, claims: list[Claim]) -> list[Claim]:
    """Gives each claim, for its answer, the name of its programme and its payee
    ({type, id, name}: the worker, or the employer or agency it pays) — names looked up once per page."""
    pairing = ctx.pairings.get(pairing_id)
    workers = dict(db.session.execute(select(Seeker.id, Seeker.name).where(
        Seeker.id.in_({c.seeker_id for c in claims if c.payee_type == "worker"}))).all())
    organisations = {kind: dict(db.session.execute(select(model.id, model.name).where(
        model.id.in_({c.payee_id for c in claims if c.payee_type == kind}))).all())
        for kind, model in (("employer", Employer), ("agency", Agency))}
    for claim in claims:
        programme = pairing.programme(claim.kind) if pairing else None
        claim.programme_name = programme.name if programme else claim.kind
        if claim.payee_type == "worker":
            claim.payee = {"type": "worker", "id": claim.seeker_id, "name": workers.get(claim.seeker_id)}
        else:
            claim.payee = {"type": claim.payee_type, "id": claim.payee_id,
                           "name": organisations.get(claim.payee_type, {}).get(claim.payee_id)}
    return claims


def count_by_status(viewer: Actor, pairing, statuses: tuple[str, ...]) -> list[int]:
    """How many of the pairing's claims the viewer may see are in each status, in that order."""
    found = dict(db.session.execute(select(Claim.status, func.count()).where(
        Claim.visible_to(viewer), Claim.pairing_id == pairing.id, Claim.status.in_(statuses)).group_by(Claim.status)).all())
    return [found.get(status, 0) for status in statuses]


def get_claim(ctx, actor: Actor, pairing_id: str, claim_id: int) -> Claim:
    return get_in_pairing(Claim, claim_id, actor, require_pairing_member(ctx, actor, pairing_id))


def receipt_file(ctx, actor: Actor, pairing_id: str, claim_id: int, receipt_id: int) -> tuple[ClaimReceipt, bytes]:
    claim = get_claim(ctx, actor, pairing_id, claim_id)
    receipt = next((r for r in claim.receipts if r.id == receipt_id), None)
    if receipt is None:
        raise NotFound("not_found", _("No receipt %(id)s on this claim", id=receipt_id))
    return receipt, receipt_files.read(ctx, receipt.sha256)


