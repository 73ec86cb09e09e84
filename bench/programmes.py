#!/usr/bin/env python3
"""The daily scan of every `employment` and `monthly` programme of the shipped Shaanxi
(pingli-wujin) and Hainan (qiongzhong-meilan) pairing files, over 1,000,000 spells of 200,000
people — local workshops, bases, public-welfare posts, flexible work and jobs in the receiving
county, people of every household status — against one plain SQL aggregate over the same spells
in the same run (per person: spells, first start, last end).

  python bench/programmes.py [--people 200000] [--spells 5] [--pg postgresql+psycopg://…/db]

SQLite always; PostgreSQL too with --pg (the database is emptied)."""
from __future__ import annotations

import argparse
import logging
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PAIRINGS = {"pingli-wujin": ("610926", "320412"), "qiongzhong-meilan": ("469030", "460108")}
KINDS = ("workshop", "base", "public_post", "enterprise")


def prepare(url: str, folder: Path, people: int, per_person: int):
    from sqlalchemy import text

    from fresh import fresh_app
    app = fresh_app(url, folder)
    with app.app_context():
        from exchange.core.bulk import insert_rows
        from exchange.core.context import current_context
        from exchange.core.models import new_ref
        from exchange.demo import make_uscc
        from exchange.employers.models import Employer
        from exchange.employment.models import EmploymentSpell
        from exchange.extensions import db
        from exchange.registry.models import Seeker
        now = current_context().clock.now()
        rng = random.Random(7)
        for pairing, (home, away) in PAIRINGS.items():
            employers = {}
            for k, kind in enumerate(KINDS):
                e = Employer(region=home, name=f"{home}-{kind}", uscc=make_uscc(home, 10 + k), kind=kind, status="approved",
                             created_at=now)
                db.session.add(e)
                employers[(home, kind)] = e
            e = Employer(region=away, name=f"{away}-enterprise", uscc=make_uscc(away, 10), status="approved", created_at=now)
            db.session.add(e)
            employers[(away, "enterprise")] = e
            db.session.flush()
            share = people // len(PAIRINGS)
            first_id = (db.session.scalar(db.select(db.func.max(Seeker.id))) or 0) + 1
            for start in range(0, share, 50_000):
                insert_rows(Seeker.__table__, [{
                    "ref": new_ref(), "region": home, "gender": "F", "education": "junior", "work_type": "long_term",
                    "household_status": rng.choice(("registered_poor", "registered_poor", "monitored", "other")),
                    "created_at": now} for _ in range(start, min(share, start + 50_000))])
            ids = db.session.scalars(db.select(Seeker.id).where(Seeker.id >= first_id).order_by(Seeker.id)).all()
            rows = []
            for seeker_id in ids:
                day = date(2023, 1, 1) + timedelta(days=rng.randrange(700))
                for k in range(per_person):
                    length = rng.randrange(20, 200)
                    ongoing = k == per_person - 1 and rng.random() < 0.5
                    where = rng.random()
                    if where < 0.15:            # flexible work, recorded at home
                        region, employer_id, work_type = home, None, "flexible"
                    elif where < 0.55:          # a local workplace
                        region, employer_id = home, employers[(home, rng.choice(KINDS))].id
                        work_type = "seasonal" if rng.random() < 0.2 else "long_term"
                    else:                       # a job in the receiving county
                        region, employer_id = away, employers[(away, "enterprise")].id
                        work_type = "seasonal" if rng.random() < 0.2 else "long_term"
                    rows.append({"pairing_id": pairing, "region": region, "seeker_id": seeker_id, "employer_id": employer_id,
                                 "work_type": work_type, "description": "零工" if employer_id is None else None,
                                 "start_date": day, "end_date": None if ongoing else day + timedelta(days=length),
                                 "created_at": now})
                    day += timedelta(days=length + rng.randrange(0, 45))
                if len(rows) >= 200_000:
                    insert_rows(EmploymentSpell.__table__, rows)
                    rows = []
            insert_rows(EmploymentSpell.__table__, rows)
        db.session.commit()
        if url.startswith("postgresql"):
            db.session.execute(text("ANALYZE"))
            db.session.commit()
    return app


def measure(app):
    from sqlalchemy import func, select

    from exchange.core.context import current_context
    from exchange.employment.models import EmploymentSpell
    from exchange.extensions import db
    from exchange.subsidies.retention import scan
    with app.app_context():
        s = EmploymentSpell
        started = time.perf_counter()
        rows = db.session.execute(select(s.seeker_id, func.count(), func.min(s.start_date),
                                         func.max(func.coalesce(s.end_date, date(9999, 12, 31))))
                                  .where(s.pairing_id.in_(list(PAIRINGS))).group_by(s.seeker_id)).all()
        aggregate = time.perf_counter() - started
        rt = current_context()
        pairings = [rt.pairings.get(p) for p in PAIRINGS]
        started = time.perf_counter()
        created = sum(scan(rt, p, date(2026, 3, 1))["total_created"] for p in pairings)
        first = time.perf_counter() - started
        assert len(rows) > 0
        started = time.perf_counter()
        again = sum(scan(rt, p, date(2026, 3, 2))["total_created"] for p in pairings)   # the next day: only what is new
        daily = time.perf_counter() - started
        return first, daily, aggregate, created, again


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=200_000)
    parser.add_argument("--spells", type=int, default=5)
    parser.add_argument("--pg", default=None)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    folder = Path(tempfile.mkdtemp(prefix="bench-programmes-"))
    backends = [("SQLite", f"sqlite:///{folder / 'p.db'}")] + ([("PostgreSQL", args.pg)] if args.pg else [])
    print(f"programme scan (Shaanxi and Hainan files, 8 programmes), {args.people * args.spells:,} spells of "
          f"{args.people:,} people")
    print(f"{'database':<11} {'aggregate s':>11} {'first scan s':>12} {'claims':>9} {'ratio':>6} "
          f"{'next-day scan s':>15} {'claims':>7} {'ratio':>6}")
    for name, url in backends:
        first, daily, aggregate, created, created_next = measure(prepare(url, folder, args.people, args.spells))
        print(f"{name:<11} {aggregate:>11.2f} {first:>12.2f} {created:>9,} {first / aggregate:>6.1f} "
              f"{daily:>15.2f} {created_next:>7,} {daily / aggregate:>6.1f}")


if __name__ == "__main__":
    main()
