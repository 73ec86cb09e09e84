"""Why a seeker was matched to a posting, or left unmatched — in words a clerk understands, in
the language of the request (lazy strings, turned into text at the edge)."""
from __future__ import annotations

import numpy as np

from exchange.core.clock import age_on
from exchange.core.i18n import Phrase
from exchange.core.money import fen_to_yuan
from exchange.matching.engine import EDUCATION_RANK, WEIGHTS, Engine


def _yuan(fen: int) -> str:
    text = fen_to_yuan(fen)
    return text[:-3] if text.endswith(".00") else text


def match_reasons(engine: Engine, i: int, j: int) -> list:
    s, p = engine.seekers[i], engine.postings[j]
    reasons = []
    if s.household == "registered_poor":
        reasons.append(Phrase("Registered poor household: placed first"))
    elif s.household == "monitored":
        reasons.append(Phrase("Monitored household: placed first"))
    exact_id, group_id = engine.posting_occ[j]
    occupation = engine.taxonomy.label(p.occupation)
    if (engine.occ_id[i] == exact_id).any():
        reasons.append(Phrase("Wanted occupation matches: %(occupation)s (+%(points)s)", occupation=occupation,
                          points=WEIGHTS["occupation_exact"]))
    elif (engine.occ_group[i] == group_id).any():
        group = engine.taxonomy.name(engine.taxonomy.group_of(engine.taxonomy.resolve(p.occupation)))
        reasons.append(Phrase("Wanted occupation in the same group (%(group)s): %(occupation)s (+%(points)s)",
                          group=group, occupation=occupation, points=WEIGHTS["occupation_group"]))
    else:
        reasons.append(Phrase("Occupation differs from those wanted: %(occupation)s", occupation=occupation))
    if not s.wage_expectation_fen:
        reasons.append(Phrase("No wage expectation given; offered up to %(offered)s yuan", offered=_yuan(p.wage_max_fen)))
    elif p.wage_max_fen >= s.wage_expectation_fen:
        reasons.append(Phrase("Wage meets the expectation: %(offered)s ≥ %(expected)s", offered=_yuan(p.wage_max_fen),
                          expected=_yuan(s.wage_expectation_fen)))
    else:
        reasons.append(Phrase("Wage below the expectation: %(offered)s < %(expected)s", offered=_yuan(p.wage_max_fen),
                          expected=_yuan(s.wage_expectation_fen)))
    if p.skills:
        reasons.append(Phrase("Has the skills the posting names: %(skills)s", skills="、".join(p.skills)))
    age = age_on(s.birth_date, p.start_date)
    reasons.append(Phrase("Age %(age)s on the start date, within %(min)s–%(max)s", age=age, min=p.age_min, max=p.age_max))
    if p.housing and p.meals:
        reasons.append(Phrase("Housing and meals provided"))
    elif p.housing:
        reasons.append(Phrase("Housing provided"))
    elif p.meals:
        reasons.append(Phrase("Meals provided"))
    if s.trained:
        reasons.append(Phrase("Training on record (+%(points)s)", points=WEIGHTS["training"]))
    return reasons


def posting_failures(engine: Engine, i: int, j: int) -> list:
    """The hard constraints seeker i fails for posting j, in words."""
    s, p = engine.seekers[i], engine.postings[j]
    failed = []
    age = age_on(s.birth_date, p.start_date)
    if not p.age_min <= age <= p.age_max:
        failed.append(Phrase("age %(age)s outside %(min)s–%(max)s", age=age, min=p.age_min, max=p.age_max))
    if p.gender != "any" and p.gender != s.gender:
        failed.append(Phrase("for men only") if p.gender == "M" else Phrase("for women only"))
    if EDUCATION_RANK.get(s.education, 0) < EDUCATION_RANK.get(p.education_min, 0):
        failed.append(Phrase("education below the requirement"))
    missing = [skill for skill in p.skills if skill not in s.skills]
    if missing:
        failed.append(Phrase("missing skills: %(skills)s", skills="、".join(missing)))
    if p.work_type != s.work_type:
        failed.append(Phrase("work type differs (long-term / seasonal)"))
    if s.available_from and s.available_from > p.start_date:
        failed.append(Phrase("available only after the start date %(date)s", date=p.start_date.isoformat()))
    return failed


def unmatched_reasons(engine: Engine, i: int, allowed_count: int) -> list:
    s = engine.seekers[i]
    if not s.consent:
        return [Phrase("No consent to share identity on record: the seeker cannot be proposed")]
    if s.blocked:
        return [Phrase("Already hired or travelling in this pairing")]
    if allowed_count:
        return [Phrase("The %(n)s posting(s) this seeker qualifies for are full", n=allowed_count)]
    table = engine.constraint_table(i)
    if table is None:
        return [Phrase("No posting with places left")]
    names = {
        "age": Phrase("No posting accepts this age"),
        "gender": Phrase("No posting accepts this gender"),
        "education": Phrase("No posting accepts this education"),
        "work_type": Phrase("No posting of this work type (long-term / seasonal)"),
        "available": Phrase("Available only after every posting's start date"),
        "skills": Phrase("Lacks the skills every posting requires"),
    }
    # A condition no posting satisfies is the reason worth naming first.
    reasons = [names[key] for key, passes in table.items() if key in names and not passes.any()]
    if not reasons:
        failures = sum((~passes).astype(int) for key, passes in table.items() if key in names)
        j = int(table["index"][int(np.argmin(failures))])
        title = engine.postings[j].title or engine.taxonomy.label(engine.postings[j].occupation)
        reasons.append(Phrase("No posting meets every condition; the nearest, %(title)s: %(failed)s",
                          title=title, failed="；".join(str(f) for f in posting_failures(engine, i, j))))
    return reasons
