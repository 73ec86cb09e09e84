#!/usr/bin/env python3
"""Feed replication: 100 seeker lists of 1,000 seekers published on a sending instance and pulled
by a receiving instance over signed HTTP on 127.0.0.1, against inserting the same rows (the
seeker copies, list items and disclosures) directly into the receiving database in the same run.

  python bench/feeds.py [--lists 100] [--size 1000] [--pg postgresql+psycopg://…/db]

With --pg the receiving instance uses that database (it is emptied); otherwise SQLite."""
from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lists", type=int, default=100)
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--pg", default=None)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    from sqlalchemy import create_engine, text

    from exchange.accounts.roles import Actor
    from exchange.core.bulk import insert_rows
    from exchange.core.context import current_context
    from exchange.demo import make_national_id
    from exchange.extensions import db
    from exchange.lists.service import create_seeker_list, publish_seeker_list
    from exchange.protocol.client import pull
    from exchange.registry.models import Seeker
    from exchange.registry.rows import clean_seeker
    from exchange.registry.service import seeker_columns
    from tests.servers import Server, free_port, make_instance, pairing_dir

    folder = Path(tempfile.mkdtemp(prefix="bench-feeds-"))
    r_url = args.pg or f"sqlite:///{folder / 'r.db'}"
    if args.pg:
        from flask_migrate import upgrade
        engine = create_engine(args.pg)
        with engine.begin() as c:
            c.execute(text("DROP SCHEMA public CASCADE"))
            c.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    ps, pr = free_port(), free_port()
    config = pairing_dir(folder / "config", f"http://127.0.0.1:{ps}", f"http://127.0.0.1:{pr}")
    s_app = make_instance(folder, "s", f"sqlite:///{folder / 's.db'}", config, "510524")
    r_app = make_instance(folder, "r", r_url, config, "330825")
    if args.pg:
        with r_app.app_context():
            upgrade()
    s_server = Server(s_app, ps).start()
    total = args.lists * args.size
    staff = Actor(user_id=None, username="bench", role="sending_staff", region="510524")
    with s_app.app_context():
        rt, rows = current_context(), []
        for k in range(total):
            clean = clean_seeker({"name": "张伟", "national_id": make_national_id("510524", date(1966, 1, 1) + timedelta(days=k % 14000), (k // 14000) * 2 + 1),
                                  "phone": f"13{k:09d}", "education": "初中", "consent_to_share": "是"}, date(2026, 3, 1))
            rows.append(seeker_columns(clean, rt.cipher, region="510524", created_by=None, now=rt.clock.now()))
        insert_rows(Seeker.__table__, rows)
        db.session.commit()
        ids = db.session.scalars(db.select(Seeker.id).order_by(Seeker.id)).all()
        started = time.perf_counter()
        for n in range(args.lists):
            seeker_list = create_seeker_list(rt, staff, "xuyong-longyou", f"清单{n}", ids[n * args.size:(n + 1) * args.size])
            publish_seeker_list(rt, staff, "xuyong-longyou", seeker_list.id)
        publish_seconds = time.perf_counter() - started
    with r_app.app_context():
        rt = current_context()
        pairing = rt.pairings.get("xuyong-longyou")
        started = time.perf_counter()
        result = pull(rt, pairing, "330825")
        pull_seconds = time.perf_counter() - started
        assert result.applied == args.lists and not result.errors, result
        copies = db.session.scalar(text("SELECT count(*) FROM seekers"))
        assert copies == total, copies
        # Baseline: the same rows straight into the same tables, in one transaction.
        seekers = [dict(r._mapping) for r in db.session.execute(text(
            "SELECT id, ref, region, gender, age_reported, education, skills, occupations_wanted, wage_expectation_fen, "
            "work_type, available_from, household_status, consent_to_share, created_at FROM seekers"))]
        items = [dict(r._mapping) for r in db.session.execute(text("SELECT list_id, seeker_id FROM seeker_list_items"))]
        disclosures = [dict(r._mapping) for r in db.session.execute(text(
            "SELECT object_type, object_id, region, level, pairing_id, created_at FROM disclosures"))]
        for table in ("disclosures", "seeker_list_items"):
            db.session.execute(text(f"DELETE FROM {table}"))
        db.session.execute(text("DELETE FROM seekers"))
        db.session.commit()
        import json as _json
        from exchange.core.disclosure import Disclosure
        from exchange.lists.models import SeekerListItem
        for row in seekers:
            for key in ("skills", "occupations_wanted"):
                if isinstance(row[key], str):
                    row[key] = _json.loads(row[key])
            for key in ("available_from", "created_at"):
                if isinstance(row[key], str):
                    row[key] = date.fromisoformat(row[key][:10]) if key == "available_from" else rt.clock.now()
        started = time.perf_counter()
        insert_rows(Seeker.__table__, seekers)
        insert_rows(SeekerListItem.__table__, [{"list_id": i["list_id"], "seeker_id": i["seeker_id"]} for i in items])
        insert_rows(Disclosure.__table__, [{**d, "created_at": rt.clock.now()} for d in disclosures])
        db.session.commit()
        direct_seconds = time.perf_counter() - started
    s_server.stop()
    kind = "PostgreSQL" if args.pg else "SQLite"
    print(f"feed replication, {args.lists} lists × {args.size} seekers, receiving database {kind}")
    print(f"publish (sending side, 100 events)    {publish_seconds:8.2f} s")
    print(f"pull and apply (receiving side)       {pull_seconds:8.2f} s   {total / pull_seconds:10,.0f} seekers/s")
    print(f"end to end                            {publish_seconds + pull_seconds:8.2f} s")
    print(f"direct insert of the same rows        {direct_seconds:8.2f} s   {total / direct_seconds:10,.0f} seekers/s")
    print(f"ratio applied / direct                {direct_seconds / pull_seconds:8.2f}")


if __name__ == "__main__":
    main()
