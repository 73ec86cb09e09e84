"""What the liaison station, the money and the employment records add to a person's timeline."""
from __future__ import annotations

from sqlalchemy import select

from exchange.core.i18n import _l
from exchange.core.money import fen_to_yuan
from exchange.core.words import label
from exchange.employment.models import EmploymentSpell
from exchange.extensions import db
from exchange.followups.models import Case, CaseNote, FollowUp
from exchange.placements.timeline import entry, timeline_source
from exchange.subsidies.models import Claim
from exchange.subsidies.payments import KIND_LABELS


@timeline_source
def followups(seeker, pairing, viewer) -> list[dict]:
    logs = db.session.scalars(select(FollowUp).where(FollowUp.seeker_id == seeker.id, FollowUp.pairing_id == pairing.id,
                                                     FollowUp.region == viewer.region))
    return [entry(f.contacted_at, "followup", _l("Follow-up (%(method)s): %(status)s", method=label(f.method),
                                                  status=label(f.status)), "followup", f.id, f.ref) for f in logs]


@timeline_source
def cases(seeker, pairing, viewer) -> list[dict]:
    out = []
    rows = db.session.execute(select(Case, CaseNote).join(CaseNote, CaseNote.case_id == Case.id)
                              .where(Case.seeker_id == seeker.id, Case.pairing_id == pairing.id))
    for case, note in rows:
        out.append(entry(note.at, f"case.{note.status}", _l("Case %(kind)s: %(status)s", kind=label(case.kind),
                                                            status=label(note.status)), "case", case.id, case.ref))
    return out


@timeline_source
def claims(seeker, pairing, viewer) -> list[dict]:
    out = []
    for claim in db.session.scalars(select(Claim).where(Claim.seeker_id == seeker.id, Claim.pairing_id == pairing.id)):
        kind = KIND_LABELS.get(claim.kind, claim.kind)
        out.append(entry(claim.created_at, "claim.filed", _l("%(kind)s claimed: %(amount)s yuan", kind=kind,
                                                             amount=fen_to_yuan(claim.amount_fen)), "claim", claim.id, claim.ref))
        if claim.decided_at and claim.status != "pending":
            out.append(entry(claim.decided_at, f"claim.{claim.status}", _l("%(kind)s %(status)s: %(amount)s yuan", kind=kind,
                                                                           status=label(claim.status),
                                                                           amount=fen_to_yuan(claim.approved_amount_fen or 0)),
                             "claim", claim.id, claim.ref))
    return out


@timeline_source
def spells(seeker, pairing, viewer) -> list[dict]:
    from datetime import datetime, time
    from exchange.core.clock import SHANGHAI
    out = []
    for spell in db.session.scalars(select(EmploymentSpell).where(EmploymentSpell.seeker_id == seeker.id,
                                                                  EmploymentSpell.pairing_id == pairing.id)):
        out.append(entry(datetime.combine(spell.start_date, time(9), SHANGHAI), "employment.started",
                         _l("Started work at %(employer)s", employer=spell.employer.name), "employment_spell", spell.id))
        if spell.end_date:
            out.append(entry(datetime.combine(spell.end_date, time(18), SHANGHAI), "employment.ended",
                             _l("Left %(employer)s", employer=spell.employer.name), "employment_spell", spell.id))
    return out
