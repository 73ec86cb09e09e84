"""A person's timeline in one pairing: every step, in order. Each feature contributes its own
steps through `timeline_source`, so the timeline grows with them without knowing them."""
from __future__ import annotations

from datetime import datetime
from typing import Callable

from sqlalchemy import select

from exchange.accounts.permissions import require_pairing_member
from exchange.core.i18n import _l
from exchange.core.scoping import get_visible
from exchange.core.words import label
from exchange.employers.models import Posting
from exchange.extensions import db
from exchange.lists.models import PUBLISHED, SeekerList, SeekerListItem
from exchange.placements.models import PROPOSED, Batch, Dispatch, Match, Traveller
from exchange.registry.models import Seeker

Source = Callable[[Seeker, object, object], list[dict]]
SOURCES: list[Source] = []


def timeline_source(func: Source) -> Source:
    SOURCES.append(func)
    return func


def entry(at: datetime | None, kind: str, summary, object_type: str | None = None, object_id: int | None = None,
          ref: str | None = None) -> dict | None:
    if at is None:
        return None
    return {"at": at, "kind": kind, "summary": str(summary), "object_type": object_type, "object_id": object_id, "ref": ref}


@timeline_source
def registration(seeker: Seeker, pairing, viewer) -> list[dict]:
    if seeker.region != viewer.region:
        return []
    return [entry(seeker.created_at, "registered", _l("Registered as a seeker"), "seeker", seeker.id, seeker.ref)]


@timeline_source
def lists(seeker: Seeker, pairing, viewer) -> list[dict]:
    rows = db.session.scalars(select(SeekerList).join(SeekerListItem, SeekerListItem.list_id == SeekerList.id).where(
        SeekerListItem.seeker_id == seeker.id, SeekerList.pairing_id == pairing.id, SeekerList.status == PUBLISHED))
    return [entry(l.published_at, "seeker_list.published", _l("On the published seeker list “%(title)s”", title=l.title),
                  "seeker_list", l.id, l.ref) for l in rows]


@timeline_source
def placements(seeker: Seeker, pairing, viewer) -> list[dict]:
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
            outcome = {"hired": _l("hired"), "rejected": _l("not hired"), "withdrawn": _l("withdrew")}[outcome_code]
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


STEP_ORDER = {kind: n for n, kind in enumerate(("registered", "seeker_list.published", "placement_batch.proposed",
                                                 "recruitment.results", "dispatch.departed", "dispatch.arrived"))}


def timeline(viewer, pairing_id: str, seeker_id: int) -> dict:
    pairing = require_pairing_member(viewer, pairing_id)
    seeker = get_visible(Seeker, seeker_id, viewer)
    items = [e for source in SOURCES for e in source(seeker, pairing, viewer) if e is not None]
    # Steps recorded in the same instant keep the protocol's order (proposed before hired…).
    items.sort(key=lambda e: (e["at"], STEP_ORDER.get(e["kind"], len(STEP_ORDER)), e["kind"]))
    return {"seeker_id": seeker.id, "items": items}
