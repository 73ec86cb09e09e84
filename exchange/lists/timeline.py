"""What round 1 adds to a person's timeline: the published seeker lists they were on."""
from __future__ import annotations

from sqlalchemy import select

from exchange.core.i18n import _l
from exchange.core.timeline import entry, timeline_source
from exchange.extensions import db
from exchange.lists.models import PUBLISHED, SeekerList, SeekerListItem


@timeline_source
def seeker_lists(seeker, pairing, viewer) -> list[dict | None]:
    rows = db.session.scalars(select(SeekerList).join(SeekerListItem, SeekerListItem.list_id == SeekerList.id).where(
        SeekerListItem.seeker_id == seeker.id, SeekerList.pairing_id == pairing.id, SeekerList.status == PUBLISHED))
    return [entry(seeker_list.published_at, "seeker_list.published",
                  _l("On the published seeker list “%(title)s”", title=seeker_list.title),
                  "seeker_list", seeker_list.id, seeker_list.ref) for seeker_list in rows]
