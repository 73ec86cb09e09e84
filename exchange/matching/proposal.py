"""A proposal: the engine's optimal assignment with reasons for every match and every seeker
left unmatched, ordered by seeker id and free of timestamps (the same input gives the same body)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from exchange.matching.engine import Engine
from exchange.matching.explain import match_reasons, unmatched_reasons


@dataclass
class Proposal:
    matches: list[dict]      # {seeker, posting, score, reasons} with indices into the engine's lists
    unmatched: list[dict]    # {seeker, reasons}


def propose(engine: Engine) -> Proposal:
    candidates = engine.candidates()
    assignment = engine.solve(candidates)
    n_postings = max(1, len(engine.postings))
    keys = candidates.seeker * n_postings + candidates.posting     # sorted: candidates are (seeker, posting)-ordered
    allowed = np.bincount(candidates.seeker, minlength=len(engine.seekers)) if candidates.seeker.size else \
        np.zeros(len(engine.seekers), dtype=np.int64)
    matched = dict(assignment.pairs)
    matches, unmatched = [], []
    order = sorted(range(len(engine.seekers)), key=lambda i: engine.seekers[i].id)
    for i in order:
        j = matched.get(i)
        if j is None:
            unmatched.append({"seeker": i, "reasons": unmatched_reasons(engine, i, int(allowed[i]))})
            continue
        k = int(np.searchsorted(keys, i * n_postings + j))
        matches.append({"seeker": i, "posting": j, "score": int(candidates.score[k]),
                        "reasons": match_reasons(engine, i, j)})
    return Proposal(matches=matches, unmatched=unmatched)


def recommend(engine: Engine, seeker_index: int, limit: int = 5) -> list[dict]:
    """The best allowed postings for one seeker, capacity not shared out: advice, not a plan."""
    only = np.array([seeker_index], dtype=np.int64)
    candidates = engine.candidates(only_seekers=only)
    order = np.lexsort((candidates.posting, -candidates.score))[:limit]
    return [{"posting": int(candidates.posting[k]), "score": int(candidates.score[k]),
             "reasons": match_reasons(engine, seeker_index, int(candidates.posting[k]))} for k in order]
