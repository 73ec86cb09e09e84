"""A person's timeline in one pairing: every step, in order. Each feature adds its own steps with
`@timeline_source` (in its timeline.py), so the timeline grows with the features without
knowing them."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Callable

# A source is called with (seeker, pairing, viewer) and answers entries (None entries are dropped).
Source = Callable[[Any, Any, Any], list[dict | None]]
SOURCES: list[Source] = []

# Steps recorded in the same instant keep the protocol's order (proposed before hired …).
STEP_ORDER = {kind: n for n, kind in enumerate(("registered", "seeker_list.published", "placement_batch.proposed",
                                                 "recruitment.results", "dispatch.departed", "dispatch.arrived"))}


def timeline_source(func: Source) -> Source:
    SOURCES.append(func)
    return func


def entry(at: datetime | None, kind: str, summary, object_type: str | None = None, object_id: int | None = None,
          ref: str | None = None) -> dict | None:
    if at is None:
        return None
    return {"at": at, "kind": kind, "summary": str(summary), "object_type": object_type, "object_id": object_id, "ref": ref}


def timeline(seeker, pairing, viewer) -> dict:
    """Every source's entries for a seeker the viewer may see, in order."""
    items = [e for source in SOURCES for e in source(seeker, pairing, viewer) if e is not None]
    items.sort(key=lambda e: (e["at"], STEP_ORDER.get(e["kind"], len(STEP_ORDER)), e["kind"]))
    return {"seeker_id": seeker.id, "items": items}
