"""The matching engine (pure: no Flask, no session): which seeker may go to which posting, how
well they fit, and the best assignment of seekers to postings.

Allowed pairs are built set-based: seekers are grouped by (work type, gender, education) and
sorted by birth date within a group, so a posting's age range is a slice found by binary search
(age on the posting's start date), and the remaining conditions are vectorised over that slice.

The assignment is an exact maximum-weight b-matching solved as a min-cost flow (OR-Tools
SimpleMinCostFlow): source → seeker (1 place) → posting (its capacity) → sink, with a zero-cost
bypass arc from source to sink for seekers left unplaced. Costs encode the policy's priority
tiers lexicographically: priority households placed ≫ seekers placed ≫ total score."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from exchange.occupations.taxonomy import Taxonomy, taxonomy

PRIORITY_HOUSEHOLDS = ("registered_poor", "monitored")
EDUCATION_RANK = {"primary": 0, "junior": 1, "senior": 2, "college": 3}
WORK_TYPES = ("long_term", "seasonal")

# Score weights (0–100 in all), in one place; the explanations print them.
WEIGHTS = {
    "occupation_exact": 40,
    "occupation_group": 25,
    "wage_meets": 20,
    "wage_surplus_max": 5,
    "skill_each": 8,
    "skills_max": 15,
    "housing": 5,
    "meals": 5,
    "training": 10,
}


@dataclass(frozen=True)
class SeekerIn:
    id: int
    gender: str
    birth_date: date
    education: str
    skills: tuple[str, ...] = ()
    occupations: tuple[str, ...] = ()
    wage_expectation_fen: int | None = None
    work_type: str = "long_term"
    available_from: date | None = None
    household: str = "other"          # registered_poor | monitored | other
    consent: bool = True              # consent to share identity on record
    blocked: bool = False             # already hired or travelling in this pairing
    trained: bool = False             # a training record on file


@dataclass(frozen=True)
class PostingIn:
    id: int
    occupation: str
    gender: str                       # any | M | F
    age_min: int
    age_max: int
    education_min: str
    skills: tuple[str, ...]
    work_type: str
    start_date: date
    wage_min_fen: int
    wage_max_fen: int
    housing: bool = False
    meals: bool = False
    capacity: int = 1
    title: str = ""


@dataclass
class Candidates:
    """Allowed pairs as parallel arrays (indices into the seeker and posting lists) with scores."""
    seeker: np.ndarray
    posting: np.ndarray
    score: np.ndarray


@dataclass
class Assignment:
    pairs: list[tuple[int, int]] = field(default_factory=list)   # (seeker index, posting index)


def years_before(day: date, years: int) -> date:
    """The same calendar day `years` earlier; 29 February falls back to the 28th."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


class Engine:
    def __init__(self, seekers: list[SeekerIn], postings: list[PostingIn], vocabulary: Taxonomy | None = None):
        self.seekers, self.postings = seekers, postings
        self.taxonomy = vocabulary or taxonomy()
        self._encode()

    # --- encoding -----------------------------------------------------------------------------
    def _code(self, text: str) -> tuple[str, str | None]:
        """An occupation as (identity, group): its taxonomy code and middle group, or the typed text
        when unknown (which then matches only the same text)."""
        code = self.taxonomy.resolve(text)
        if code is None:
            return "text:" + "".join(text.split()).lower(), None
        return code, self.taxonomy.group_of(code)

    def _encode(self) -> None:
        n = len(self.seekers)
        s = self.seekers
        self.birth = np.fromiter((x.birth_date.toordinal() for x in s), dtype=np.int64, count=n)
        self.available = np.fromiter(((x.available_from.toordinal() if x.available_from else 0) for x in s),
                                     dtype=np.int64, count=n)
        self.eligible = np.fromiter((x.consent and not x.blocked for x in s), dtype=bool, count=n)
        self.priority = np.fromiter((x.household in PRIORITY_HOUSEHOLDS for x in s), dtype=bool, count=n)
        self.trained = np.fromiter((x.trained for x in s), dtype=bool, count=n)
        self.expectation = np.fromiter(((x.wage_expectation_fen if x.wage_expectation_fen else -1) for x in s),
                                       dtype=np.int64, count=n)

        # Skills postings require: an inverted index (skill → sorted seeker indices), so a posting
        # that names a skill starts from the few seekers who have it.
        required = {skill for p in self.postings for skill in p.skills}
        holders: dict[str, list[int]] = defaultdict(list)
        for i, x in enumerate(s):
            for skill in set(x.skills):
                if skill in required:
                    holders[skill].append(i)
        self.skill_holders = {skill: np.array(members, dtype=np.int64) for skill, members in holders.items()}
        self.seeker_skills = [frozenset(x.skills) for x in s]
        self.gender_code = np.fromiter((x.gender == "F" for x in s), dtype=np.int8, count=n)
        self.work_code = np.fromiter((x.work_type == "seasonal" for x in s), dtype=np.int8, count=n)
        self.education_rank = np.fromiter((EDUCATION_RANK.get(x.education, 0) for x in s), dtype=np.int8, count=n)

        # Up to three wanted occupations per seeker as integer ids of identity and group.
        ids: dict[str, int] = {}
        self.occ_id = np.full((n, 3), -1, dtype=np.int64)
        self.occ_group = np.full((n, 3), -1, dtype=np.int64)
        self.skill_group = np.full((n, 3), -1, dtype=np.int64)
        for i, x in enumerate(s):
            for j, text in enumerate(x.occupations[:3]):
                identity, group = self._code(text)
                self.occ_id[i, j] = ids.setdefault(identity, len(ids))
                if group:
                    self.occ_group[i, j] = ids.setdefault("group:" + group, len(ids))
            for j, text in enumerate(x.skills[:3]):
                code = self.taxonomy.resolve(text)
                if code:
                    self.skill_group[i, j] = ids.setdefault("group:" + self.taxonomy.group_of(code), len(ids))
        self.posting_occ = []
        for p in self.postings:
            identity, group = self._code(p.occupation)
            self.posting_occ.append((ids.get(identity, -2), ids.get("group:" + group, -2) if group else -2))

        # Groups by (work type, gender, education), each sorted by birth date.
        groups: dict[tuple[str, str, int], list[int]] = defaultdict(list)
        for i, x in enumerate(s):
            groups[(x.work_type, x.gender, EDUCATION_RANK.get(x.education, 0))].append(i)
        self.groups = {}
        for key, members in groups.items():
            members_arr = np.array(members, dtype=np.int64)
            order = np.argsort(self.birth[members_arr], kind="stable")
            sorted_members = members_arr[order]
            self.groups[key] = (sorted_members, self.birth[sorted_members])

    def constraint_table(self, i: int) -> dict[str, np.ndarray] | None:
        """For seeker i and every posting with places: does it pass each hard constraint on its
        own? Vectorised over postings, for the explanation of an unmatched seeker."""
        if not hasattr(self, "_posting_arrays"):
            open_ = [j for j, p in enumerate(self.postings) if p.capacity > 0]
            ps = [self.postings[j] for j in open_]
            self._posting_arrays = {
                "index": np.array(open_, dtype=np.int64),
                "start": np.array([p.start_date.toordinal() for p in ps], dtype=np.int64),
                "lo": np.array([years_before(p.start_date, p.age_max + 1).toordinal() + 1 for p in ps], dtype=np.int64),
                "hi": np.array([years_before(p.start_date, p.age_min).toordinal() for p in ps], dtype=np.int64),
                "gender": np.array([{"any": -1, "M": 0, "F": 1}[p.gender] for p in ps], dtype=np.int8),
                "education": np.array([EDUCATION_RANK.get(p.education_min, 0) for p in ps], dtype=np.int64),
                "work_type": np.array([p.work_type == "seasonal" for p in ps], dtype=np.int8),
                "skills": self._requirement_index(ps),
            }
        a = self._posting_arrays
        if a["index"].size == 0:
            return None
        s = self.seekers[i]
        birth = self.birth[i]
        skill_ids, owners, count = a["skills"]
        has = np.zeros(len(self.skill_id) + 1, dtype=bool)
        has[[self.skill_id[k] for k in self.seeker_skills[i] if k in self.skill_id]] = True
        missing = np.bincount(owners[~has[skill_ids]], minlength=count)
        return {
            "index": a["index"],
            "age": (a["lo"] <= birth) & (birth <= a["hi"]),
            "gender": (a["gender"] == -1) | (a["gender"] == self.gender_code[i]),
            "education": a["education"] <= EDUCATION_RANK.get(s.education, 0),
            "work_type": a["work_type"] == self.work_code[i],
            "available": a["start"] >= self.available[i],
            "skills": missing == 0,
        }

    def _requirement_index(self, postings: list[PostingIn]) -> tuple[np.ndarray, np.ndarray, int]:
        """Required skills of the postings as flat arrays: skill ids and the posting each belongs to."""
        self.skill_id = {skill: k for k, skill in enumerate(sorted({x for p in postings for x in p.skills}))}
        ids = [self.skill_id[x] for p in postings for x in p.skills]
        owners = [k for k, p in enumerate(postings) for _x in p.skills]
        return np.array(ids, dtype=np.int64), np.array(owners, dtype=np.int64), len(postings)

    # --- allowed pairs --------------------------------------------------------------------------
    def allowed_for(self, j: int, only: np.ndarray | None = None) -> np.ndarray:
        """Indices of the seekers allowed for posting j (hard constraints, consent and blocks)."""
        p = self.postings[j]
        lo = years_before(p.start_date, p.age_max + 1).toordinal() + 1
        hi = years_before(p.start_date, p.age_min).toordinal()
        minimum = EDUCATION_RANK.get(p.education_min, 0)
        if p.skills:
            # Few seekers hold a named skill: start from them and test the rest vectorised.
            holders = [self.skill_holders.get(skill, np.empty(0, dtype=np.int64)) for skill in p.skills]
            chosen = min(holders, key=len)
            for other in holders:
                if other is not chosen:
                    chosen = chosen[np.isin(chosen, other, assume_unique=True)]
            keep = ((self.work_code[chosen] == (p.work_type == "seasonal")) & (self.education_rank[chosen] >= minimum)
                    & (self.birth[chosen] >= lo) & (self.birth[chosen] <= hi))
            if p.gender != "any":
                keep &= self.gender_code[chosen] == (p.gender == "F")
            chosen = chosen[keep]
        else:
            parts = []
            for (work_type, gender, education), (members, births) in self.groups.items():
                if work_type != p.work_type or education < minimum or (p.gender != "any" and gender != p.gender):
                    continue
                start, stop = np.searchsorted(births, lo, "left"), np.searchsorted(births, hi, "right")
                if start < stop:
                    parts.append(members[start:stop])
            if not parts:
                return np.empty(0, dtype=np.int64)
            chosen = np.concatenate(parts)
        if only is not None:
            chosen = chosen[np.isin(chosen, only)]
        keep = self.eligible[chosen] & (self.available[chosen] <= p.start_date.toordinal())
        return np.sort(chosen[keep])

    # Pairs tested at once: enough to make the array operations cheap, few enough that memory stays
    # bounded (a province's 10,000 postings may start from 50 million holder pairs).
    SKILL_PAIRS_AT_ONCE = 2_000_000

    def _skill_pairs(self, js: np.ndarray, only: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        """allowed_for, for every posting that names skills, a chunk of postings at a time: each
        posting starts from the holders of its rarest skill, and every test runs over all the
        chunk's pairs in a few array operations (a loop per posting costs more than the solve)."""
        sizes = np.fromiter((min((self.skill_holders.get(x, np.empty(0)).size for x in self.postings[j].skills), default=0)
                             for j in js.tolist()), dtype=np.int64, count=js.size)
        seekers, postings, begin = [], [], 0
        while begin < js.size:
            end = begin + max(1, int(np.searchsorted(np.cumsum(sizes[begin:]), self.SKILL_PAIRS_AT_ONCE, "right")))
            s, p = self._skill_chunk(js[begin:end], only)
            seekers.append(s)
            postings.append(p)
            begin = end
        return np.concatenate(seekers), np.concatenate(postings)

    def _owned_skills(self) -> tuple[dict[str, int], np.ndarray]:
        """Each required skill's number, and every (seeker, skill) held as a sorted key seeker×K + skill."""
        if not hasattr(self, "_owned"):
            index = {skill: k for k, skill in enumerate(self.skill_holders)}
            k = max(1, len(index))
            keys = [holders * k + index[skill] for skill, holders in self.skill_holders.items()]
            self._owned = (index, np.sort(np.concatenate(keys)) if keys else np.empty(0, dtype=np.int64))
        return self._owned

    def _skill_chunk(self, js: np.ndarray, only: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        empty = np.empty(0, dtype=np.int64)
        skill_index, owned = self._owned_skills()
        rarest, extras = [], []
        for j in js.tolist():
            # Rarest first: a skill nobody holds comes first and leaves the posting without pairs.
            held = sorted(self.postings[j].skills, key=lambda x: (len(self.skill_holders.get(x, empty)), x))
            rarest.append(self.skill_holders.get(held[0], empty))
            extras.append([skill_index.get(x, -1) for x in held[1:]])   # (-1: nobody holds it, no pairs)
        counts = np.fromiter((a.size for a in rarest), dtype=np.int64, count=len(rarest))
        if not counts.sum():
            return empty, empty
        seeker = np.concatenate(rarest)
        which = np.repeat(np.arange(js.size), counts)          # index into js, per pair
        keep = np.ones(seeker.size, dtype=bool)
        widest = max((len(e) for e in extras), default=0)
        if widest:
            # Every further skill: is (seeker, skill) among the seekers' skills? Sorted keys, one search.
            k = max(1, len(skill_index))
            table = np.full((js.size, widest), -1, dtype=np.int64)
            for row, e in enumerate(extras):
                table[row, :len(e)] = e
            for m in range(widest):
                needed = table[which, m]
                wanted = needed != -1
                key = seeker * k + np.where(wanted, needed, 0)
                found = np.minimum(np.searchsorted(owned, key), owned.size - 1)
                has = owned[found] == key
                keep &= ~wanted | has
        ps = [self.postings[j] for j in js.tolist()]
        lo = np.array([years_before(p.start_date, p.age_max + 1).toordinal() + 1 for p in ps], dtype=np.int64)[which]
        hi = np.array([years_before(p.start_date, p.age_min).toordinal() for p in ps], dtype=np.int64)[which]
        minimum = np.array([EDUCATION_RANK.get(p.education_min, 0) for p in ps], dtype=np.int8)[which]
        seasonal = np.array([p.work_type == "seasonal" for p in ps], dtype=np.int8)[which]
        gender = np.array([{"any": -1, "M": 0, "F": 1}[p.gender] for p in ps], dtype=np.int8)[which]
        start = np.array([p.start_date.toordinal() for p in ps], dtype=np.int64)[which]
        birth = self.birth[seeker]
        keep &= ((self.work_code[seeker] == seasonal) & (self.education_rank[seeker] >= minimum)
                 & (birth >= lo) & (birth <= hi) & ((gender == -1) | (self.gender_code[seeker] == gender))
                 & self.eligible[seeker] & (self.available[seeker] <= start))
        if only is not None:
            keep &= np.isin(seeker, only)
        return seeker[keep], js[which[keep]]

    def _posting_attributes(self) -> dict[str, np.ndarray]:
        if not hasattr(self, "_attributes"):
            w = WEIGHTS
            self._attributes = {
                "exact": np.array([occ[0] for occ in self.posting_occ], dtype=np.int64),
                "group": np.array([occ[1] for occ in self.posting_occ], dtype=np.int64),
                "offered": np.array([p.wage_max_fen for p in self.postings], dtype=np.int64),
                "named_skills": np.array([len(p.skills) for p in self.postings], dtype=np.int64),
                "extras": np.array([(w["housing"] if p.housing else 0) + (w["meals"] if p.meals else 0)
                                    for p in self.postings], dtype=np.int64),
            }
        return self._attributes

    def score_pairs(self, seekers: np.ndarray, postings: np.ndarray) -> np.ndarray:
        """Scores (0–100, integers) of the pairs (seekers[k], postings[k]), vectorised."""
        w, a = WEIGHTS, self._posting_attributes()
        exact, group = a["exact"][postings][:, None], a["group"][postings][:, None]
        occ = np.where(np.any(self.occ_id[seekers] == exact, axis=1), w["occupation_exact"],
                       np.where(np.any(self.occ_group[seekers] == group, axis=1), w["occupation_group"], 0))
        expectation, offered = self.expectation[seekers], a["offered"][postings]
        base = np.maximum(expectation, 1)
        surplus = np.minimum(w["wage_surplus_max"], (25 * (offered - expectation)) // base)
        short = np.maximum(0, w["wage_meets"] - (-((-100 * (expectation - offered)) // base)))
        wage = np.where(expectation <= 0, w["wage_meets"], np.where(offered >= expectation, w["wage_meets"] + surplus, short))
        skills = a["named_skills"][postings] * w["skill_each"] + np.where(
            np.any(self.skill_group[seekers] == group, axis=1), w["skill_each"], 0)
        skills = np.minimum(skills, w["skills_max"])
        training = np.where(self.trained[seekers], w["training"], 0)
        return (occ + wage + skills + a["extras"][postings] + training).astype(np.int64)

    def score(self, j: int, seekers: np.ndarray) -> np.ndarray:
        """Scores of posting j for the given seeker indices."""
        return self.score_pairs(seekers, np.full(seekers.size, j, dtype=np.int64))

    def candidates(self, only_seekers: np.ndarray | None = None) -> Candidates:
        seekers, postings = [], []
        named = [j for j, p in enumerate(self.postings) if p.capacity > 0 and p.skills]
        if named:
            s, p = self._skill_pairs(np.array(named, dtype=np.int64), only_seekers)
            seekers.append(s)
            postings.append(p)
        for j, posting in enumerate(self.postings):
            if posting.capacity <= 0 or posting.skills:
                continue
            allowed = self.allowed_for(j, only_seekers)
            if allowed.size:
                seekers.append(allowed)
                postings.append(np.full(allowed.size, j, dtype=np.int64))
        if not seekers:
            empty = np.empty(0, dtype=np.int64)
            return Candidates(empty, empty, empty)
        seeker, posting = np.concatenate(seekers), np.concatenate(postings)
        order = np.lexsort((posting, seeker))
        seeker, posting = seeker[order], posting[order]
        return Candidates(seeker, posting, self.score_pairs(seeker, posting))

    # --- assignment -----------------------------------------------------------------------------
    def solve(self, candidates: Candidates) -> Assignment:
        """The exact optimum: most priority seekers placed, then most seekers, then most score."""
        from ortools.graph.python import min_cost_flow

        if candidates.seeker.size == 0:
            return Assignment()
        active = np.unique(candidates.seeker)
        n_seekers, n_postings = len(self.seekers), len(self.postings)
        capacity = np.array([p.capacity for p in self.postings], dtype=np.int64)
        # Lexicographic tiers in one cost: a better solution differs from a worse one by simple
        # paths in the residual graph, each touching every posting at most once, so a path's
        # score change is bounded by 100 × (postings involved). Bounds as tight as that keep the
        # costs small, which keeps cost scaling fast.
        reach = int(min(active.size, np.unique(candidates.posting).size)) + 1
        placement = 100 * reach + 1                          # one more seeker beats any score change
        priority = (placement + 100) * reach + 1             # one more priority seeker beats both
        source, sink = 0, 1 + n_seekers + n_postings
        flow = min_cost_flow.SimpleMinCostFlow()
        tails = np.concatenate([np.zeros(active.size, dtype=np.int32), (1 + candidates.seeker).astype(np.int32),
                                (1 + n_seekers + np.arange(n_postings)).astype(np.int32), np.array([source], np.int32)])
        heads = np.concatenate([(1 + active).astype(np.int32), (1 + n_seekers + candidates.posting).astype(np.int32),
                                np.full(n_postings, sink, dtype=np.int32), np.array([sink], np.int32)])
        capacities = np.concatenate([np.ones(active.size, np.int64), np.ones(candidates.seeker.size, np.int64),
                                     capacity, np.array([active.size], np.int64)])
        pair_cost = -(priority * self.priority[candidates.seeker].astype(np.int64) + placement + candidates.score)
        costs = np.concatenate([np.zeros(active.size, np.int64), pair_cost.astype(np.int64),
                                np.zeros(n_postings, np.int64), np.zeros(1, np.int64)])
        first_pair_arc = active.size
        flow.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, costs)
        flow.set_node_supply(source, int(active.size))
        flow.set_node_supply(sink, -int(active.size))
        status = flow.solve()
        if status != flow.OPTIMAL:
            raise RuntimeError(f"matching did not solve: status {status}")
        pair_arcs = np.arange(first_pair_arc, first_pair_arc + candidates.seeker.size)
        used = flow.flows(pair_arcs) > 0
        return Assignment(pairs=list(zip(candidates.seeker[used].tolist(), candidates.posting[used].tolist())))


def greedy(engine: Engine, candidates: Candidates) -> Assignment:
    """The baseline: allowed pairs by score, best first, taken when both sides are still free."""
    order = np.lexsort((candidates.posting, candidates.seeker, -candidates.score))
    left = [p.capacity for p in engine.postings]
    taken: set[int] = set()
    pairs = []
    for k in order.tolist():
        i, j = int(candidates.seeker[k]), int(candidates.posting[k])
        if i not in taken and left[j] > 0:
            taken.add(i)
            left[j] -= 1
            pairs.append((i, j))
    return Assignment(pairs=sorted(pairs))


def evaluate(engine: Engine, candidates: Candidates, assignment: Assignment) -> dict[str, int]:
    """Total score, seekers placed and priority seekers placed of an assignment."""
    scores = {(int(i), int(j)): int(s) for i, j, s in zip(candidates.seeker, candidates.posting, candidates.score)}
    return {"placed": len(assignment.pairs),
            "priority_placed": sum(1 for i, _ in assignment.pairs if engine.priority[i]),
            "score": sum(scores[(i, j)] for i, j in assignment.pairs)}
