"""Reconciliation: do the two regions hold the same records for a pairing? Each side computes, per
object kind, a digest of every object it holds (from the fields the protocol carries, so both
sides compute the same thing from their own rows); the lists are compared and every object that
only one side holds, or that the two sides hold differently, is named.

Each feature registers the digests of the objects it authors with `@digest_kind`, beside its
handlers, so this module knows none of them."""
from __future__ import annotations

import hashlib
import json
from typing import Callable

KINDS: dict[str, Callable] = {}


def digest_kind(name: str):
    def register(func):
        KINDS[name] = func
        return func
    return register


def digest(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()[:32]


def local_digests(pairing) -> dict[str, dict[str, str]]:
    return {name: func(pairing) for name, func in KINDS.items()}


def compare(here: dict[str, dict[str, str]], partner: dict[str, dict[str, str]]) -> list[dict]:
    kinds = []
    for name in sorted(set(here) | set(partner)):
        mine, theirs = here.get(name, {}), partner.get(name, {})
        differences = [{"ref": ref, "here": mine.get(ref), "partner": theirs.get(ref),
                        "problem": "only_here" if ref not in theirs else "only_partner" if ref not in mine else "differs"}
                       for ref in sorted(set(mine) | set(theirs)) if mine.get(ref) != theirs.get(ref)]
        kinds.append({"kind": name, "here": len(mine), "partner": len(theirs), "differences": differences})
    return kinds


