"""Applying the money events: a claim filed on the other side reaches the payer
(subsidy.claimed); the payer's decisions reach the other side (subsidy.updated); verified
income and training records reach the payer, which creates their claims."""
from __future__ import annotations

import base64
import hashlib
from typing import Any

from sqlalchemy import select

from exchange.accounts.roles import Actor
from exchange.core import audit
from exchange.core.errors import DomainError
from exchange.core.i18n import record_language
from exchange.employers.models import Agency, Employer
from exchange.extensions import db
from exchange.placements.models import Dispatch
from exchange.protocol.apply import ApplyContext, ApplyProblem, handles
from exchange.protocol.reconciliation import digest, digest_kind
from exchange.registry.models import Seeker, TrainingRecord
from exchange.subsidies import hiring  # noqa: F401  (registers the hired trigger with placements)
from exchange.subsidies import receipts as receipt_files
from exchange.subsidies.claims import publish_update, refused_claim, transport_claim, transport_eligibility
from exchange.subsidies.events import IncomeVerified, SubsidyClaimed, SubsidyUpdated, TrainingRecorded
from exchange.subsidies.income_training import income_claims, training_claims
from exchange.subsidies.models import Claim, ClaimReceipt, IncomeDeclaration


def _seeker(ref: str) -> Seeker:
    seeker = db.session.scalar(select(Seeker).where(Seeker.ref == ref))
    if seeker is None:
        raise ApplyProblem(f"unknown seeker {ref}")
    return seeker


@handles("subsidy.claimed", payload=SubsidyClaimed)
def subsidy_claimed(data: dict[str, Any], ctx: ApplyContext) -> None:
    """On the payer's side: create the pending claim (receipts checked against their sha256),
    or a rejected one saying why; either way answer with subsidy.updated."""
    if ctx.consumer_region != ctx.pairing.payer_of(data["kind"]):
        raise ApplyProblem(f"subsidy.claimed reached a region that does not pay {data['kind']}")
    if db.session.scalar(select(Claim.id).where(Claim.ref == data["claim_ref"])) is not None:
        return   # filed on this instance: the claim is already here
    uploads = []
    for receipt in data["receipts"]:
        raw = base64.b64decode(receipt["data_base64"], validate=True)
        if hashlib.sha256(raw).hexdigest() != receipt["sha256"]:
            raise ApplyProblem(f"receipt {receipt['filename']} does not match its sha256")
        uploads.append((receipt["filename"], raw))
    seeker = _seeker(data["seeker_ref"])
    dispatch = None
    if data["dispatch_ref"]:
        dispatch = db.session.scalar(select(Dispatch).where(Dispatch.ref == data["dispatch_ref"]))
    pairing = ctx.pairing
    programme = pairing.programme(data["kind"])
    if programme is None or programme.trigger != "transport":
        raise ApplyProblem(f"only transport claims are filed by hand, not {data['kind']}")
    # A refusal becomes the claim's reason, which both sides keep: in the counties' language.
    try:
        with record_language():
            if data["dispatch_ref"] and dispatch is None:
                raise DomainError("not_eligible", "the dispatch is unknown here")
            transport_eligibility(pairing, seeker, dispatch, programme)     # told before the receipts, as ever
            stored = receipt_files.check_receipts(uploads)
            claim = transport_claim(ctx.context, pairing, seeker=seeker, dispatch=dispatch,
                                    amount_fen=data["amount_fen"], travel_date=data["travel_date"],
                                    filed_region=ctx.source_region, ref=data["claim_ref"], kind=programme.key)
    except DomainError as refusal:
        claim = refused_claim(ctx.context, pairing, refusal, ref=data["claim_ref"], kind=data["kind"], seeker=seeker,
                              dispatch=dispatch, amount_fen=data["amount_fen"], travel_date=data["travel_date"],
                              filed_region=ctx.source_region)
        stored = []
    db.session.add(claim)
    db.session.flush()
    audit.record(Actor.system(claim.region), "claim.received", "claim", claim.id, at=claim.created_at,
                 kind=claim.kind, filed_region=ctx.source_region, status=claim.status)
    for upload in stored:
        db.session.add(ClaimReceipt(claim_id=claim.id, filename=upload.filename, content_type=upload.content_type,
                                    sha256=receipt_files.store(ctx.context, upload), size=len(upload.data)))
    publish_update(ctx.context, pairing, claim)


@handles("subsidy.updated", author="payer", payload=SubsidyUpdated)
def subsidy_updated(data: dict[str, Any], ctx: ApplyContext) -> None:
    """On the other side: the payer's claim as it stands now (created when first seen)."""
    if ctx.authored_here:
        return   # one instance: the payer's row is the one both regions read
    if ctx.pairing.programme(data["kind"]) is not None and ctx.pairing.payer_of(data["kind"]) != ctx.source_region:
        raise ApplyProblem(f"{ctx.source_region} does not pay programme {data['kind']}")
    claim = db.session.scalar(select(Claim).where(Claim.ref == data["claim_ref"]))
    if claim is None:
        seeker = _seeker(data["seeker_ref"])
        claim = Claim(ref=data["claim_ref"], pairing_id=ctx.pairing.id, region=ctx.source_region,
                      filed_region=ctx.source_region, kind=data["kind"], seeker_id=seeker.id, amount_fen=data["amount_fen"],
                      created_at=ctx.clock.now())
        db.session.add(claim)
    claim.amount_fen, claim.approved_amount_fen = data["amount_fen"], data["approved_amount_fen"]
    claim.status, claim.reason, claim.milestone_months = data["status"], data["reason"], data["milestone_months"]
    claim.milestone_date = data["milestone_date"] or claim.milestone_date
    claim.payee_type, claim.payee_id = _payee(data["payee"])
    # decided_at is when the claim took its status: for a paid claim, the payment.
    if data["status"] == "paid":
        claim.paid_at = data["decided_at"]
        claim.decided_at = claim.decided_at or data["decided_at"]   # first heard of already paid
    else:
        claim.decided_at = data["decided_at"]


def _payee(payee: dict[str, str] | None) -> tuple[str, int | None]:
    """(payee_type, local payee_id) of an event's payee; none given (an older partner): the worker.
    An employer this side holds no copy of keeps its type, without an id."""
    if payee is None or payee["type"] == "worker":
        return "worker", None
    if payee["type"] == "employer":
        return "employer", db.session.scalar(select(Employer.id).where(Employer.ref == payee["ref"]))
    return "agency", db.session.scalar(select(Agency.id).where(Agency.ref == payee["ref"]))


@handles("income.verified", author="sending", payload=IncomeVerified)
def income_verified(data: dict[str, Any], ctx: ApplyContext) -> None:
    seeker = _seeker(data["seeker_ref"])
    declaration = db.session.scalar(select(IncomeDeclaration).where(IncomeDeclaration.ref == data["declaration_ref"]))
    if declaration is None:
        declaration = IncomeDeclaration(ref=data["declaration_ref"], pairing_id=ctx.pairing.id, region=ctx.source_region,
                                        seeker_id=seeker.id, year=data["year"], amount_fen=data["amount_fen"],
                                        status="verified", verified_at=data["verified_at"], created_at=ctx.clock.now())
        db.session.add(declaration)
        db.session.flush()
    income_claims(ctx.context, ctx.pairing, declaration, ctx.consumer_region)


@handles("training.recorded", payload=TrainingRecorded)
def training_recorded(data: dict[str, Any], ctx: ApplyContext) -> None:
    seeker = _seeker(data["seeker_ref"])
    record = db.session.scalar(select(TrainingRecord).where(TrainingRecord.ref == data["record_ref"]))
    if record is None:
        record = TrainingRecord(ref=data["record_ref"], pairing_id=ctx.pairing.id, region=ctx.source_region,
                                seeker_id=seeker.id, course=data["course"], days=data["days"], hours=data["hours"],
                                start_date=data["start_date"], end_date=data["end_date"], created_at=ctx.clock.now())
        db.session.add(record)
        db.session.flush()
    training_claims(ctx.context, ctx.pairing, record, ctx.consumer_region)




# --- reconciliation: what both sides hold of the money ----------------------------------------

@digest_kind("claims")
def claims(pairing) -> dict[str, str]:
    """Each claim as subsidy.updated carries it (the payer's decision is the record)."""
    rows = db.session.execute(select(Claim.ref, Claim.kind, Seeker.ref, Claim.milestone_months, Claim.amount_fen,
                                     Claim.approved_amount_fen, Claim.status, Claim.reason)
                              .join(Seeker, Seeker.id == Claim.seeker_id).where(Claim.pairing_id == pairing.id)).all()
    return {ref: digest(rest) for ref, *rest in rows}


@digest_kind("income_declarations")
def income_declarations(pairing) -> dict[str, str]:
    """Verified declarations: the ones income.verified carries to the partner."""
    rows = db.session.execute(select(IncomeDeclaration.ref, Seeker.ref, IncomeDeclaration.year, IncomeDeclaration.amount_fen)
                              .join(Seeker, Seeker.id == IncomeDeclaration.seeker_id)
                              .where(IncomeDeclaration.pairing_id == pairing.id, IncomeDeclaration.status == "verified")).all()
    return {ref: digest(rest) for ref, *rest in rows}


@digest_kind("training_records")
def training_records(pairing) -> dict[str, str]:
    rows = db.session.execute(select(TrainingRecord.ref, Seeker.ref, TrainingRecord.course, TrainingRecord.days,
                                     TrainingRecord.start_date, TrainingRecord.end_date)
                              .join(Seeker, Seeker.id == TrainingRecord.seeker_id)
                              .where(TrainingRecord.pairing_id == pairing.id)).all()
    return {ref: digest(rest) for ref, *rest in rows}
