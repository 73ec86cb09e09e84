"""A posting's places: its headcount less the people hired into it. Hiring is round 2's work
(exchange.placements records it), and it registers how hires are counted here with
`@hires_counter`; round 1 asks what is left without knowing how hiring works."""
from __future__ import annotations

from typing import Callable

_counters: list[Callable[[list[int]], dict[int, int]]] = []


def hires_counter(func: Callable[[list[int]], dict[int, int]]):
    _counters[:] = [func]
    return func


def hires(posting_ids: list[int]) -> dict[int, int]:
    """People hired per posting (postings nobody was hired into are left out)."""
    if not _counters:
        raise RuntimeError("no hires counter is registered: exchange.placements is not loaded")
    return _counters[0](posting_ids)


def places_left(postings) -> dict[int, int]:
    """Each posting's places not yet taken (never below zero)."""
    taken = hires([p.id for p in postings])
    return {p.id: max(0, p.headcount - taken.get(p.id, 0)) for p in postings}
