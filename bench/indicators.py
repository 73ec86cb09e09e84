#!/usr/bin/env python3
"""The indicators of a province-sized pairing (GET /api/v1/pairings/{id}/indicators?year=):
500,000 seekers, 500,000 matches in 2,000 batches and dispatches over two years, 1,000,000
employment spells, 1,000,000 follow-up logs (returnees, corrections), 300,000 claims — against
one plain SQL aggregate over the biggest table involved, measured in the same run.

  python bench/indicators.py [--scale 1.0] [--people N] [--spells N] … [--runs 5] [--pg postgresql+psycopg://…/db]

SQLite in a temporary folder unless --pg or EXCHANGE_BENCH_DATABASE_URL names a PostgreSQL
database (it is emptied); PostgreSQL is analysed after loading. Prints the median of --runs calls
after one warm-up call, for this year (as of 2026-12-01) and last year, each per indicator too."""
from __future__ import annotations

import argparse
import logging
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAIRING, SENDING, RECEIVING = "xuyong-longyou", "510524", "330825"
TODAY = date(2026, 12, 1)
FIRST_DAY = date(2025, 1, 1)          # batches, dispatches, follow-ups and claims: two years to TODAY
DEFAULTS = {"people": 500_000, "batches": 2_000, "matches": 500_000, "spells": 1_000_000,
            "followups": 1_000_000, "claims": 300_000, "employers": 200, "postings": 2_000}
CHUNK = 100_000
STATUSES = (("employed", 0.70), ("changed_job", 0.08), ("unemployed", 0.07), ("returned_home", 0.08), ("unreachable", 0.07))


def _instant(day: date, rng: random.Random) -> datetime:
    """A moment of that day, any hour (UTC), so the Asia/Shanghai date is sometimes the next one."""
    return datetime(day.year, day.month, day.day, tzinfo=timezone.utc) + timedelta(seconds=rng.randrange(86_400))


def _pick(rng: random.Random, weighted) -> str:
    r, total = rng.random(), 0.0
    for value, weight in weighted:
        total += weight
        if r < total:
            return value
    return weighted[-1][0]


def _count(mean: float, rng: random.Random) -> int:
    """0 … 2·mean, uniformly: the sizes asked for are reached on average."""
    return int(rng.random() * (2 * mean + 1))


class Loader:
    """Rows for one table go to the database by insert_rows (COPY / executemany) in chunks."""

    def __init__(self, table):
        self.table, self.rows, self.count = table, [], 0

    def add(self, row: dict) -> None:
        self.rows.append(row)

    def flush(self, force: bool = False) -> None:
        from exchange.core.bulk import insert_rows
        if self.rows and (force or len(self.rows) >= CHUNK):
            self.count += insert_rows(self.table, self.rows)
            self.rows = []


def prepare(url: str, folder: Path, sizes: dict[str, int], extra_sql: list[str]):
    from sqlalchemy import text

    from fresh import fresh_app
    app = fresh_app(url, folder, EXCHANGE_TODAY=TODAY.isoformat())
    with app.app_context():
        from exchange.demo import make_uscc
        from exchange.employers.models import Employer, Posting
        from exchange.employment.models import EmploymentSpell
        from exchange.extensions import db
        from exchange.followups.models import FollowUp
        from exchange.lists.models import SeekerList, SupplyList
        from exchange.placements.models import Batch, Dispatch, Match, Traveller
        from exchange.registry.models import Seeker
        from exchange.subsidies.models import Claim
        rng = random.Random(2026)
        now = datetime(2026, 11, 30, tzinfo=timezone.utc)
        people, span = sizes["people"], (TODAY - FIRST_DAY).days
        loaded: dict[str, int] = {}

        def load(model, rows) -> None:
            loader = Loader(model.__table__)
            for row in rows:
                loader.add(row)
                loader.flush()
            loader.flush(force=True)
            loaded[model.__tablename__] = loaded.get(model.__tablename__, 0) + loader.count

        load(Seeker, ({"id": i, "region": SENDING, "gender": "MF"[i % 2], "education": ("primary", "junior", "senior")[i % 3],
                       "work_type": "long_term", "household_status": ("registered_poor", "monitored", "other")[i % 3],
                       "consent_to_share": True, "created_at": now} for i in range(1, people + 1)))
        load(Employer, ({"id": i, "region": RECEIVING, "name": f"龙游企业{i}", "uscc": make_uscc(RECEIVING, i),
                         "status": "approved", "created_at": now} for i in range(1, sizes["employers"] + 1)))
        load(Posting, ({"id": i, "region": RECEIVING, "employer_id": 1 + i % sizes["employers"], "title": "普工",
                        "occupation": "普工", "headcount": 50, "wage_min_fen": 450_000, "wage_max_fen": 650_000,
                        "req_age_min": 18, "req_age_max": 55, "req_education_min": "primary", "work_type": "long_term",
                        "location_region": RECEIVING, "contract_months": 12, "start_date": FIRST_DAY,
                        "interview_mode": "onsite", "created_at": now} for i in range(1, sizes["postings"] + 1)))

        # Round 1 to 3: per batch a seeker list, a supply list, the matches, one dispatch and its travellers.
        batches = sizes["batches"]
        days = [FIRST_DAY + timedelta(days=rng.randrange(span - 30)) for _ in range(batches)]
        load(SeekerList, ({"id": b, "pairing_id": PAIRING, "region": SENDING, "title": f"求职清单 {b}", "status": "published",
                           "published_at": _instant(days[b - 1], rng), "created_at": now} for b in range(1, batches + 1)))
        load(SupplyList, ({"id": b, "pairing_id": PAIRING, "region": RECEIVING, "seeker_list_id": b, "status": "published",
                           "published_at": _instant(days[b - 1] + timedelta(days=3), rng), "created_at": now}
                          for b in range(1, batches + 1)))
        load(Batch, ({"id": b, "pairing_id": PAIRING, "region": SENDING, "supply_list_id": b, "status": "proposed",
                      "proposed_at": _instant(days[b - 1] + timedelta(days=5), rng), "created_at": now}
                     for b in range(1, batches + 1)))
        departures = [_instant(days[b] + timedelta(days=14 + rng.randrange(7)), rng) for b in range(batches)]
        load(Dispatch, ({"id": b, "pairing_id": PAIRING, "region": SENDING, "batch_id": b, "departed_at": departures[b - 1],
                         "mode": ("train", "bus", "air")[b % 3], "escort_name": "带队干部", "escort_phone": "13800000000",
                         "status": "arrived", "created_at": now} for b in range(1, batches + 1)))
        matches, travellers = Loader(Match.__table__), Loader(Traveller.__table__)
        per_batch, match_id = max(1, sizes["matches"] // batches), 0
        for b in range(1, batches + 1):
            results_on = days[b - 1] + timedelta(days=8)
            for seeker_id in rng.sample(range(1, people + 1), min(per_batch, people)):
                match_id += 1
                r = rng.random()
                outcome = "hired" if r < 0.72 else "rejected" if r < 0.87 else "withdrawn" if r < 0.95 else "pending"
                hired = outcome == "hired"
                matches.add({"id": match_id, "batch_id": b, "pairing_id": PAIRING, "seeker_id": seeker_id,
                             "posting_id": 1 + rng.randrange(sizes["postings"]), "score": rng.random() * 100, "outcome": outcome,
                             "start_date": results_on + timedelta(days=rng.randrange(21)) if hired and rng.random() < 0.9 else None,
                             "monthly_wage_fen": 500_000 if hired else None,
                             "result_at": _instant(results_on, rng) if outcome != "pending" else None,
                             "result_seq": match_id if outcome != "pending" else None})
                if hired and rng.random() < 0.92:
                    arrived = rng.random() < 0.96
                    at = departures[b - 1] + timedelta(hours=20 + rng.randrange(40))
                    travellers.add({"id": match_id, "dispatch_id": b, "match_id": match_id, "seeker_id": seeker_id,
                                    "arrived": arrived, "arrived_at": at if arrived else None, "confirmed_at": at if arrived else None})
            matches.flush()
            if len(matches.rows) == 0:
                travellers.flush(force=True)       # travellers after their matches (foreign keys)
        matches.flush(force=True)
        travellers.flush(force=True)
        loaded.update(matches=matches.count, travellers=travellers.count)

        # Spells and logs are written person after person, in no particular order of ids (as they come).
        order = list(range(1, people + 1))
        rng.shuffle(order)

        def spells():
            mean, ident = sizes["spells"] / people * 1.24, 0     # some chains reach today before their count
            for seeker_id in order:
                day = date(2024, 1, 1) + timedelta(days=rng.randrange(900))
                n = _count(mean, rng)
                for k in range(n):
                    if day > TODAY:
                        break
                    length = rng.randrange(20, 400)
                    ongoing = k == n - 1 and rng.random() < 0.5
                    ident += 1
                    yield {"id": ident, "pairing_id": PAIRING, "region": RECEIVING, "seeker_id": seeker_id,
                           "employer_id": 1 + rng.randrange(sizes["employers"]), "start_date": day,
                           "end_date": None if ongoing else day + timedelta(days=length), "monthly_wage_fen": 520_000,
                           "created_at": now}
                    # Mostly a gap before the next job, sometimes an overlap (a second job).
                    day += timedelta(days=length + rng.randrange(-30, 60))

        load(EmploymentSpell, spells())

        def followups():
            mean, ident = sizes["followups"] / people / 1.04, 0
            for seeker_id in order:
                for day in sorted(FIRST_DAY + timedelta(days=rng.randrange(span)) for _ in range(_count(mean, rng))):
                    ident += 1
                    status = _pick(rng, STATUSES)
                    at = _instant(day, rng)
                    yield {"id": ident, "pairing_id": PAIRING, "region": SENDING, "seeker_id": seeker_id,
                           "method": ("visit", "phone", "message")[ident % 3], "contacted_at": at, "status": status,
                           "created_at": at}
                    if rng.random() < 0.04:          # a correction of the log just written
                        ident += 1
                        yield {"id": ident, "pairing_id": PAIRING, "region": SENDING, "seeker_id": seeker_id,
                               "method": "phone", "contacted_at": at, "status": _pick(rng, STATUSES), "corrects_id": ident - 1,
                               "created_at": at + timedelta(days=1)}

        load(FollowUp, followups())

        def claims():
            for ident in range(1, sizes["claims"] + 1):
                kind = _pick(rng, (("transport", 0.6), ("retention", 0.3), ("income", 0.06), ("training", 0.04)))
                status = _pick(rng, (("pending", 0.15), ("approved", 0.25), ("rejected", 0.10), ("paid", 0.50)))
                filed = _instant(FIRST_DAY + timedelta(days=rng.randrange(span)), rng)
                decided = filed + timedelta(days=rng.randrange(1, 20)) if status != "pending" else None
                amount = {"transport": 30_000 + rng.randrange(50_000), "retention": 50_000, "income": 50_000,
                          "training": 5_000 * rng.randrange(1, 6)}[kind]
                yield {"id": ident, "pairing_id": PAIRING, "region": RECEIVING, "filed_region": SENDING, "kind": kind,
                       "seeker_id": 1 + rng.randrange(people), "amount_fen": amount,
                       "approved_amount_fen": amount if status in ("approved", "paid") else None, "status": status,
                       "milestone_months": rng.choice((6, 12)) if kind == "retention" else None,
                       "year": filed.year if kind == "income" else None,
                       "dispatch_id": 1 + rng.randrange(batches) if kind == "transport" else None,
                       "dedupe_key": f"{kind}:{ident}", "decided_at": decided,
                       "paid_at": decided + timedelta(days=rng.randrange(1, 30)) if status == "paid" else None,
                       "created_at": filed}

        load(Claim, claims())
        db.session.commit()
        for statement in extra_sql:          # --sql: what-if experiments (an index, a setting)
            db.session.execute(text(statement))
            db.session.commit()
        if url.startswith("postgresql"):
            for table in loaded:             # ids were given: the sequences go on after them
                db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                        f"(SELECT coalesce(max(id), 1) FROM \"{table}\"))"))
            db.session.commit()
            started = time.perf_counter()
            # As a deployment's autovacuum would have: statistics, and the visibility map that lets
            # the spells be read from their covering index alone (VACUUM needs autocommit).
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text("VACUUM ANALYZE"))
            loaded["_analyze_s"] = time.perf_counter() - started
    return app, loaded


def _median(fn, runs: int) -> float:
    fn()                                      # warm-up: caches, plans
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure(app, runs: int) -> dict:
    from sqlalchemy import func, select

    from exchange.accounts.roles import Actor
    from exchange.core.clock import Clock
    from exchange.core.context import current_context
    from exchange.employment.models import EmploymentSpell
    from exchange.extensions import db
    from exchange.indicators import service as ind
    from exchange.subsidies.statements import ledger
    with app.app_context():
        clock = Clock(today_override=TODAY)
        ctx = current_context().with_clock(clock)
        viewer = Actor(user_id=None, username="bench", role="sending_staff", region=SENDING, pairings=(PAIRING,))
        pairing = ctx.pairings.get(PAIRING)
        s = EmploymentSpell
        baseline_stmt = select(func.count(func.distinct(s.seeker_id))).where(s.pairing_id == PAIRING)
        out = {"baseline": _median(lambda: db.session.scalar(baseline_stmt), runs),
               "baseline_value": db.session.scalar(baseline_stmt)}
        for label, year in (("this year", TODAY.year), ("last year", TODAY.year - 1)):
            out[label] = _median(lambda: ind.indicators(ctx, viewer, PAIRING, year), runs)
            out[label + " values"] = ind.indicators(ctx, viewer, PAIRING, year)
        # Where the time goes: each aggregate alone, for this year to date and the same date last year.
        cutoff = TODAY
        parts = {}
        periods = [(date(cutoff.year, 1, 1), cutoff), (date(cutoff.year - 1, 1, 1), ind.same_day_last_year(cutoff))]
        for compute in ind.COMPUTATIONS:
            keys = " + ".join(compute(pairing, *periods[0]))
            # Both periods, as indicators() asks them.
            parts[keys] = (_median(lambda: [compute(pairing, *period) for period in periods], runs), None)
        parts["money (totals)"] = (_median(lambda: ind.money_totals(pairing, cutoff.year), runs), None)
        parts["ledger (by month, not in indicators)"] = (_median(lambda: ledger(ctx, viewer, PAIRING, cutoff.year), runs), None)
        db.session.commit()
        out["parts"] = parts
        return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies every default size")
    for name, default in DEFAULTS.items():
        parser.add_argument(f"--{name}", type=int, default=None, help=f"default {default:,} × scale")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pg", default=os.environ.get("EXCHANGE_BENCH_DATABASE_URL"))
    parser.add_argument("--sql", action="append", default=[], help="a statement run after loading (what-if: an index)")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    sizes = {name: getattr(args, name) or max(1, round(default * args.scale)) for name, default in DEFAULTS.items()}
    folder = Path(tempfile.mkdtemp(prefix="bench-indicators-"))
    name, url = ("PostgreSQL", args.pg) if args.pg else ("SQLite", f"sqlite:///{folder / 'i.db'}")
    started = time.perf_counter()
    app, loaded = prepare(url, folder, sizes, args.sql)
    load_s = time.perf_counter() - started
    print(f"indicators of {PAIRING} on {name}, as of {TODAY}; loaded in {load_s:.0f} s"
          + (f" (VACUUM ANALYZE {loaded.pop('_analyze_s'):.1f} s)" if "_analyze_s" in loaded else ""))
    print("  " + ", ".join(f"{table} {n:,}" for table, n in loaded.items()))
    for statement in args.sql:
        print(f"  what-if, after loading: {statement}")
    r = measure(app, args.runs)
    print(f"median of {args.runs} runs after a warm-up")
    print(f"{'database':<11} {'aggregate s':>11} {'this year s':>11} {'ratio':>6} {'last year s':>11} {'ratio':>6}")
    print(f"{name:<11} {r['baseline']:>11.3f} {r['this year']:>11.3f} {r['this year'] / r['baseline']:>6.1f} "
          f"{r['last year']:>11.3f} {r['last year'] / r['baseline']:>6.1f}")
    print(f"aggregate: count(DISTINCT seeker_id) of employment_spells = {r['baseline_value']:,}")
    print(f"{'part (both periods)':<48} {'s':>7} {'value':>9} {'last year':>9}")
    values = {i['key']: i for i in r['this year values']['indicators']}
    for keys, (seconds, _unused) in r["parts"].items():
        for n, key in enumerate(keys.split(" + ")):
            v = values.get(key)
            actual, before = (f"{v['actual']:,}", f"{v['last_year_same_date']:,}") if v else ("", "")
            print(f"{key:<48} {(f'{seconds:.3f}' if n == 0 else ''):>7} {actual:>9} {before:>9}")


if __name__ == "__main__":
    main()
