"""The `hired` trigger (spec/programmes.md): a recruitment result `hired` whose match meets a
programme's conditions gives one pending claim of `amount_yuan` to the programme's payee (the
worker, or the employer of the posting), on the payer's instance, in the transaction that
records the hire."""
from __future__ import annotations

from sqlalchemy import select

from exchange.accounts.roles import Actor
from exchange.core import audit
from exchange.core.bulk import insert_rows
from exchange.core.models import new_ref
from exchange.employers.models import Employer, Posting
from exchange.extensions import db
from exchange.placements.hiring import on_hired
from exchange.placements.models import Match
from exchange.protocol.outbox import emit_many
from exchange.registry.models import Seeker
from exchange.subsidies.models import PENDING, Claim

# Conditions the hired trigger applies today; a programme with any other creates nothing yet.
APPLIED_CONDITIONS = {"household_status", "employer_kind", "work_type"}


@on_hired
def hired_claims(ctx, pairing, match_ids: list[int]) -> None:
    for programme in pairing.programmes:
        if programme.trigger != "hired" or programme.payee == "agency":
            continue
        payer_region = pairing.region(programme.payer).code
        if not ctx.hosts(payer_region) or set(programme.when.as_dict()) - APPLIED_CONDITIONS:
            continue
        when = programme.when
        stmt = (select(Match.id, Match.seeker_id, Seeker.ref, Employer.id, Employer.ref)
                .join(Seeker, Seeker.id == Match.seeker_id).join(Posting, Posting.id == Match.posting_id)
                .join(Employer, Employer.id == Posting.employer_id).where(Match.id.in_(match_ids)))
        if when.household_status:
            stmt = stmt.where(Seeker.household_status.in_(when.household_status))
        if when.employer_kind:
            stmt = stmt.where(Employer.kind.in_(when.employer_kind))
        if when.work_type:
            stmt = stmt.where(Posting.work_type.in_(when.work_type))
        rows = db.session.execute(stmt.order_by(Match.id)).all()
        keys = {row[0]: f"{programme.key}:{pairing.id}:{programme.payee}:{row[0]}" for row in rows}   # one per hire
        taken = set(db.session.scalars(select(Claim.dedupe_key).where(Claim.dedupe_key.in_(list(keys.values())))))
        now = ctx.clock.now()
        claims, events = [], []
        for match_id, seeker_id, seeker_ref, employer_id, employer_ref in rows:
            if keys[match_id] in taken:     # hired, turned down, hired again: still one claim
                continue
            to_employer = programme.payee == "employer"
            claim = {"ref": new_ref(), "pairing_id": pairing.id, "region": payer_region, "filed_region": payer_region,
                     "kind": programme.key, "payee_type": programme.payee, "payee_id": employer_id if to_employer else None,
                     "seeker_id": seeker_id, "amount_fen": programme.amount_fen, "approved_amount_fen": programme.amount_fen,
                     "status": PENDING, "dedupe_key": keys[match_id], "created_at": now}
            claims.append(claim)
            events.append({"claim_ref": claim["ref"], "kind": programme.key,
                           "payee": {"type": "employer", "ref": employer_ref} if to_employer else {"type": "worker", "ref": seeker_ref},
                           "seeker_ref": seeker_ref, "milestone_months": None, "amount_fen": programme.amount_fen,
                           "approved_amount_fen": programme.amount_fen, "status": PENDING, "reason": None, "decided_at": None})
        if claims:
            insert_rows(Claim.__table__, claims)
            emit_many(pairing, payer_region, "subsidy.updated", events, ctx.clock)
            audit.record(Actor.system(payer_region), "claims.created", "pairing", None, at=now, pairing=pairing.id,
                         programme=programme.key, claims=len(claims))
