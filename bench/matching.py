#!/usr/bin/env python3
"""Matching: the whole proposal (allowed pairs, scores, exact solve, explanations) against a bare
OR-Tools solve of the same graph and against the greedy baseline, at the two scales of the spec
and on a sparse structured instance where greedy loses.

  python bench/matching.py [--only small|large|sparse]

Prints seconds, peak memory (max RSS of a process running only that case), total score,
priority seekers placed, seekers placed, and the ratios."""
from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

START = date(2026, 4, 1)
SKILLS = [f"技能{k}" for k in range(40)]
OCCUPATIONS = ["电子装配工", "普工", "缝纫工", "注塑工", "保安员", "保洁员", "厨师", "焊工", "叉车司机", "采茶工",
               "餐厅服务员", "造纸工", "食品包装工", "养老护理员", "建筑工"]


def random_instance(n_seekers: int, n_postings: int, places: int, seed: int = 1):
    from exchange.matching.engine import PostingIn, SeekerIn
    rng = random.Random(seed)
    seekers = []
    for i in range(n_seekers):
        seekers.append(SeekerIn(
            id=i + 1, gender=rng.choice("MF"), birth_date=date(1966, 1, 1) + timedelta(days=rng.randrange(365 * 42)),
            education=rng.choices(["primary", "junior", "senior", "college"], [30, 45, 20, 5])[0],
            skills=tuple(rng.sample(SKILLS, 2)), occupations=tuple(rng.sample(OCCUPATIONS, 2)),
            wage_expectation_fen=rng.choice([None, 350000, 400000, 450000, 500000, 600000]),
            work_type="seasonal" if rng.random() < 0.1 else "long_term",
            available_from=START - timedelta(days=rng.randrange(-10, 60)),
            household=rng.choices(["registered_poor", "monitored", "other"], [40, 15, 45])[0]))
    per = places // n_postings
    postings = []
    for j in range(n_postings):
        low = rng.randrange(16, 40)
        postings.append(PostingIn(
            id=j + 1, occupation=rng.choice(OCCUPATIONS), gender=rng.choice(["any", "any", "M", "F"]), age_min=low,
            age_max=low + rng.randrange(5, 13), education_min=rng.choices(["primary", "junior", "senior"], [60, 30, 10])[0],
            skills=(rng.choice(SKILLS),), work_type="seasonal" if rng.random() < 0.1 else "long_term",
            start_date=START + timedelta(days=rng.randrange(0, 60)), wage_min_fen=350000,
            wage_max_fen=rng.choice([400000, 450000, 500000, 550000, 650000]), housing=rng.random() < 0.6,
            meals=rng.random() < 0.5, capacity=per, title=f"岗位{j + 1}"))
    return seekers, postings


def sparse_instance(groups: int = 20_000, seed: int = 3):
    """Per group: two postings with one place each and two seekers who share the group's skill.
    Both want the first (an electronics job); seeker A also has the second's extra skill and
    would do it, and scores higher on the first; seeker B (a registered poor household) fits only
    the first. Greedy gives the first to A and strands B; the optimum places both, which also
    gives the larger total score."""
    from exchange.matching.engine import PostingIn, SeekerIn
    rng = random.Random(seed)
    seekers, postings = [], []
    for g in range(groups):
        shared, extra = f"组{g}技能", f"组{g}专长"
        born = date(1980, 1, 1) + timedelta(days=rng.randrange(5000))
        postings += [
            PostingIn(id=2 * g + 1, occupation="电子装配工", gender="any", age_min=18, age_max=60, education_min="primary",
                      skills=(shared,), work_type="long_term", start_date=START, wage_min_fen=400000,
                      wage_max_fen=600000, housing=True, meals=True, capacity=1, title=f"G{g}-A"),
            PostingIn(id=2 * g + 2, occupation="保安员", gender="any", age_min=18, age_max=60, education_min="primary",
                      skills=(shared, extra), work_type="long_term", start_date=START, wage_min_fen=350000,
                      wage_max_fen=420000, capacity=1, title=f"G{g}-B")]
        seekers += [
            SeekerIn(id=2 * g + 1, gender="M", birth_date=born, education="junior", skills=(shared, extra),
                     occupations=("电子装配", "保安员"), wage_expectation_fen=400000, available_from=START, household="other"),
            SeekerIn(id=2 * g + 2, gender="F", birth_date=born, education="junior", skills=(shared,),
                     occupations=("电子装配",), wage_expectation_fen=400000, available_from=START, household="registered_poor")]
    return seekers, postings


CASES = {
    "small": lambda: random_instance(10_000, 1_000, 8_000),
    "large": lambda: random_instance(100_000, 10_000, 80_000),
    "sparse": lambda: sparse_instance(),
}


def run_case(case: str, what: str) -> dict:
    from flask import Flask
    from flask_babel import Babel
    from exchange.matching.engine import Engine, evaluate, greedy
    from exchange.matching.proposal import propose

    seekers, postings = CASES[case]()
    app = Flask(__name__)
    Babel(app, default_locale="zh_Hans_CN")
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(ROOT / "exchange" / "translations")
    with app.test_request_context():
        started = time.perf_counter()
        if what == "proposal":
            engine = Engine(seekers, postings)
            result = propose(engine)
            from exchange.core.i18n import current_translations
            t = current_translations()
            _ = [r.render(t) for m in result.matches for r in m["reasons"]] + [r.render(t) for u in result.unmatched for r in u["reasons"]]
            seconds = time.perf_counter() - started
            candidates = engine.candidates()
            pairs = [(m["seeker"], m["posting"]) for m in result.matches]
            from exchange.matching.engine import Assignment
            figures = evaluate(engine, candidates, Assignment(pairs=pairs))
            figures["pairs"] = int(candidates.seeker.size)
        elif what == "bare":
            engine = Engine(seekers, postings)
            candidates = engine.candidates()
            started = time.perf_counter()
            assignment = engine.solve(candidates)   # graph arrays built and solved by OR-Tools, nothing else
            seconds = time.perf_counter() - started
            figures = evaluate(engine, candidates, assignment)
        else:
            engine = Engine(seekers, postings)
            candidates = engine.candidates()
            figures = evaluate(engine, candidates, greedy(engine, candidates))
            seconds = time.perf_counter() - started
    figures.update(seconds=seconds, max_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return figures


def child(case: str, what: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", case, what], capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", choices=list(CASES))
    parser.add_argument("--child", nargs=2)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_case(*args.child)))
        return
    print(f"{'case':<7} {'pairs':>9} {'proposal s':>10} {'bare s':>7} {'ratio':>6} {'greedy s':>8} {'MB':>6} "
          f"{'score':>10} {'greedy':>10} {'prio':>7} {'greedy':>7} {'placed':>7} {'greedy':>7}")
    for case in ([args.only] if args.only else list(CASES)):
        full, bare, base = child(case, "proposal"), child(case, "bare"), child(case, "greedy")
        print(f"{case:<7} {full['pairs']:>9,} {full['seconds']:>10.2f} {bare['seconds']:>7.2f} "
              f"{full['seconds'] / bare['seconds']:>6.2f} {base['seconds']:>8.2f} {full['max_rss_mb']:>6.0f} "
              f"{full['score']:>10,} {base['score']:>10,} {full['priority_placed']:>7,} {base['priority_placed']:>7,} "
              f"{full['placed']:>7,} {base['placed']:>7,}")
        print(f"{'':<7} score ratio to greedy {full['score'] / max(base['score'], 1):.3f}, priority placed "
              f"{full['priority_placed'] / max(base['priority_placed'], 1):.3f}, placed {full['placed'] / max(base['placed'], 1):.3f}")


if __name__ == "__main__":
    main()
