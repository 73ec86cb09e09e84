"""What else happens when people are hired: the money of a `hired` programme is the subsidies'
business, which sit above placements in the layers, so they register with `@on_hired` what to
do, and placements announces each hire — on the instance that recorded the result and on the
one that applied it from the partner's feed."""
from __future__ import annotations

from typing import Any, Callable

_listeners: list[Callable[[Any, Any, list[int]], None]] = []


def on_hired(func: Callable[[Any, Any, list[int]], None]):
    """func(ctx, pairing, match_ids): called in the transaction that records the hires."""
    _listeners[:] = [f for f in _listeners if f.__qualname__ != func.__qualname__] + [func]
    return func


def announce_hired(ctx, pairing, match_ids: list[int]) -> None:
    if match_ids:
        for listener in _listeners:
            listener(ctx, pairing, match_ids)
