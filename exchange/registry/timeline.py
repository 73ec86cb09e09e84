"""What the registry adds to a person's timeline: the registration (seen by the region that registered)."""
from __future__ import annotations

from exchange.core.i18n import _l
from exchange.core.timeline import entry, timeline_source


@timeline_source
def registration(seeker, pairing, viewer) -> list[dict | None]:
    if seeker.region != viewer.region:
        return []
    return [entry(seeker.created_at, "registered", _l("Registered as a seeker"), "seeker", seeker.id, seeker.ref)]
