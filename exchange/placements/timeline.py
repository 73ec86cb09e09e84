"""What rounds 2 and 3 add to a person's timeline: proposals, every recruitment result,
departures and arrivals."""
from __future__ import annotations

from sqlalchemy import select

from exchange.core.i18n import _l
from exchange.core.timeline import entry, timeline_source
from exchange.core.words import label
from exchange.employers.models import Posting
from exchange.extensions import db
from exchange.placements.models import PROPOSED, Batch, Dispatch, Match, Traveller

OUTCOME_WORDS = {"hired": _l("hired"), "rejected": _l("not hired"), "withdrawn": _l("withdrew")}


@timeline_source
def placements(seeker, pairing, viewer) -> list[dict | None]:
    out = []
    rows = db.session.execute(select(Match, Batch, Posting).join(Batch, Batch.id == Match.batch_id)
                              .join(Posting, Posting.id == Match.posting_id)
                              .where(Match.seeker_id == seeker.id, Match.pairing_id == pairing.id,
                                     Batch.status == PROPOSED)).all()
    for match, batch, posting in rows:
        out.append(entry(batch.proposed_at, "placement_batch.proposed",
                         _l("Proposed for “%(title)s” at %(employer)s (score %(score)s)", title=posting.title,
                            employer=posting.employer.name, score=int(match.score or 0)), "batch", batch.id, batch.ref))
        # Every result, not only the latest: a hire later withdrawn is part of the person's story.
        history = [(r.outcome, r.reason, r.recorded_at) for r in match.results] or \
            ([(match.outcome, match.reason, match.result_at)] if match.outcome != "pending" else [])
        for outcome_code, reason, at in history:
            outcome = OUTCOME_WORDS[outcome_code]
            text = _l("Recruitment result: %(outcome)s", outcome=outcome)
            if reason:
                text = _l("Recruitment result: %(outcome)s (%(reason)s)", outcome=outcome, reason=reason)
            out.append(entry(at, "recruitment.results", text, "match", match.id, match.ref))
    rows = db.session.execute(select(Traveller, Dispatch).join(Dispatch, Dispatch.id == Traveller.dispatch_id)
                              .where(Traveller.seeker_id == seeker.id, Dispatch.pairing_id == pairing.id)).all()
    for traveller, dispatch in rows:
        out.append(entry(dispatch.departed_at, "dispatch.departed",
                         _l("Departed (%(mode)s) with escort %(escort)s", mode=label(dispatch.mode), escort=dispatch.escort_name),
                         "dispatch", dispatch.id, dispatch.ref))
        if traveller.arrived:
            out.append(entry(traveller.arrived_at, "dispatch.arrived", _l("Arrival confirmed"), "dispatch", dispatch.id, dispatch.ref))
        elif traveller.arrived is False:
            out.append(entry(traveller.confirmed_at or dispatch.departed_at, "dispatch.arrived",
                             _l("Did not arrive: %(note)s", note=traveller.note or "—"),
                             "dispatch", dispatch.id, dispatch.ref))
    return out
