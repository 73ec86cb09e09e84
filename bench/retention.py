#!/usr/bin/env python3
"""The retention scan over 1,000,000 employment spells of 200,000 people, against one plain SQL
aggregate over the same table in the same run (per person: spells, first start, last end).

  python bench/retention.py [--people 200000] [--spells 5] [--pg postgresql+psycopg://…/db]

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
        employer = Employer(region="330825", name="E", uscc=make_uscc("330825", 1), status="approved", created_at=now)
        db.session.add(employer)
        db.session.flush()
        for start in range(0, people, 50_000):
            insert_rows(Seeker.__table__, [{"ref": new_ref(), "region": "510524", "gender": "M", "education": "junior",
                                            "work_type": "long_term", "household_status": "other", "created_at": now}
                                           for _ in range(start, min(people, start + 50_000))])
        ids = db.session.scalars(db.select(Seeker.id).order_by(Seeker.id)).all()
        rng = random.Random(5)
        rows = []
        for seeker_id in ids:
            day = date(2023, 1, 1) + timedelta(days=rng.randrange(700))
            for k in range(per_person):
                length = rng.randrange(20, 200)
                ongoing = k == per_person - 1 and rng.random() < 0.5
                rows.append({"pairing_id": "xuyong-longyou", "region": "330825", "seeker_id": seeker_id,
                             "employer_id": employer.id, "start_date": day, "end_date": None if ongoing else day + timedelta(days=length),
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


def measure(app) -> tuple[float, float, int]:
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
                                  .where(s.pairing_id == "xuyong-longyou").group_by(s.seeker_id)).all()
        aggregate = time.perf_counter() - started
        rt = current_context()
        pairing = rt.pairings.get("xuyong-longyou")
        started = time.perf_counter()
        summary = scan(rt, pairing, date(2026, 3, 1))
        first = time.perf_counter() - started
        assert len(rows) > 0 and summary["skipped"] is None, summary
        started = time.perf_counter()
        again = scan(rt, pairing, date(2026, 3, 2))    # the next day: only what is new
        daily = time.perf_counter() - started
        return first, daily, aggregate, summary["total_created"], again["total_created"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=200_000)
    parser.add_argument("--spells", type=int, default=5)
    parser.add_argument("--pg", default=None)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    folder = Path(tempfile.mkdtemp(prefix="bench-retention-"))
    backends = [("SQLite", f"sqlite:///{folder / 'r.db'}")] + ([("PostgreSQL", args.pg)] if args.pg else [])
    print(f"retention scan, {args.people * args.spells:,} spells of {args.people:,} people")
    print(f"{'database':<11} {'aggregate s':>11} {'first scan s':>12} {'claims':>8} {'ratio':>6} "
          f"{'next-day scan s':>15} {'claims':>7} {'ratio':>6}")
    for name, url in backends:
        first, daily, aggregate, created, created_next = measure(prepare(url, folder, args.people, args.spells))
        print(f"{name:<11} {aggregate:>11.2f} {first:>12.2f} {created:>8,} {first / aggregate:>6.1f} "
              f"{daily:>15.2f} {created_next:>7,} {daily / aggregate:>6.1f}")


if __name__ == "__main__":
    main()
