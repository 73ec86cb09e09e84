"""What the liaison station adds to a person's timeline: its follow-ups (seen by its own region)
and every step of a case."""
from __future__ import annotations

from sqlalchemy import select

from exchange.core.i18n import _l
from exchange.core.timeline import entry, timeline_source
from exchange.core.words import label
from exchange.extensions import db
from exchange.followups.models import Case, CaseNote, FollowUp


@timeline_source
def followups(seeker, pairing, viewer) -> list[dict | None]:
    logs = db.session.scalars(select(FollowUp).where(FollowUp.seeker_id == seeker.id, FollowUp.pairing_id == pairing.id,
                                                     FollowUp.region == viewer.region))
    return [entry(f.contacted_at, "followup", _l("Follow-up (%(method)s): %(status)s", method=label(f.method),
                                                  status=label(f.status)), "followup", f.id, f.ref) for f in logs]


@timeline_source
def cases(seeker, pairing, viewer) -> list[dict | None]:
    rows = db.session.execute(select(Case, CaseNote).join(CaseNote, CaseNote.case_id == Case.id)
                              .where(Case.seeker_id == seeker.id, Case.pairing_id == pairing.id))
    return [entry(note.at, f"case.{note.status}", _l("Case %(kind)s: %(status)s", kind=label(case.kind),
                                                    status=label(note.status)), "case", case.id, case.ref)
            for case, note in rows]
