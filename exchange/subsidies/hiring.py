"""The `hired` trigger (spec/programmes.md): a recruitment result `hired` whose match meets a
programme's conditions (rules.eligible over the match's plain facts) gives one pending claim of
`amount_yuan` to the programme's payee — the worker, the employer of the posting, or the agency
the match names — on the payer's instance, in the transaction that records the hire."""
from __future__ import annotations

from sqlalchemy import select

from exchange.accounts.roles import Actor
from exchange.core import audit
from exchange.core.bulk import insert_rows
from exchange.core.models import new_ref
from exchange.employers.models import Agency, Employer, Posting
from exchange.extensions import db
from exchange.placements.hiring import on_hired
from exchange.placements.models import Match
from exchange.protocol.outbox import emit_many
from exchange.registry.models import Seeker
from exchange.subsidies.models import PENDING, Claim
from exchange.subsidies.rules import Facts, eligible


@on_hired
def hired_claims(ctx, pairing, match_ids: list[int]) -> None:
    programmes = [p for p in pairing.programmes
                  if p.trigger == "hired" and ctx.hosts(pairing.region(p.payer).code)]
    if not programmes:
        return
    rows = db.session.execute(
        select(Match.id, Match.seeker_id, Seeker.ref, Seeker.household_status, Employer.id, Employer.ref, Employer.kind,
               Employer.region, Posting.work_type, Agency.id, Agency.ref)
        .join(Seeker, Seeker.id == Match.seeker_id).join(Posting, Posting.id == Match.posting_id)
        .join(Employer, Employer.id == Posting.employer_id).outerjoin(Agency, Agency.id == Match.agency_id)
        .where(Match.id.in_(match_ids)).order_by(Match.id)).all()
    for programme in programmes:
        payer_region = pairing.region(programme.payer).code
        keys = {row[0]: f"{programme.key}:{pairing.id}:{programme.payee}:{row[0]}" for row in rows}   # one per hire
        taken = set(db.session.scalars(select(Claim.dedupe_key).where(Claim.dedupe_key.in_(list(keys.values())))))
        now = ctx.clock.now()
        claims, events = [], []
        for (match_id, seeker_id, seeker_ref, status, employer_id, employer_ref, kind, region, work_type,
             agency_id, agency_ref) in rows:
            facts = Facts(household_status=status, employer_kind=kind, work_type=work_type, job_region=region,
                          home_region=pairing.sending.code)
            if keys[match_id] in taken or not eligible(programme.when, facts):
                continue     # hired, turned down, hired again: still one claim
            payee_id, payee_ref = {"worker": (None, seeker_ref), "employer": (employer_id, employer_ref),
                                   "agency": (agency_id, agency_ref)}[programme.payee]
            if payee_ref is None:
                continue     # an agency programme, and no agency brought this person
            claim = {"ref": new_ref(), "pairing_id": pairing.id, "region": payer_region, "filed_region": payer_region,
                     "kind": programme.key, "payee_type": programme.payee, "payee_id": payee_id,
                     "seeker_id": seeker_id, "amount_fen": programme.amount_fen, "approved_amount_fen": programme.amount_fen,
                     "status": PENDING, "dedupe_key": keys[match_id], "created_at": now}
            claims.append(claim)
            events.append({"claim_ref": claim["ref"], "kind": programme.key,
                           "payee": {"type": programme.payee, "ref": payee_ref},
                           "seeker_ref": seeker_ref, "milestone_months": None, "amount_fen": programme.amount_fen,
                           "approved_amount_fen": programme.amount_fen, "status": PENDING, "reason": None, "decided_at": None})
        if claims:
            insert_rows(Claim.__table__, claims)
            emit_many(pairing, payer_region, "subsidy.updated", events, ctx.clock)
            audit.record(Actor.system(payer_region), "claims.created", "pairing", None, at=now, pairing=pairing.id,
                         programme=programme.key, claims=len(claims))
