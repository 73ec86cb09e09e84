#!/usr/bin/env python3
"""Manifest printing: the project's whole path (load travellers, decrypt phones, render the
template, WeasyPrint) against bare WeasyPrint rendering the same HTML, for 50, 500 and 2,000
travellers. Prints seconds, pages, bytes and the ratio (the project's overhead).

  python bench/manifest.py [--sizes 50,500,2000] [--runs 3]"""
from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def build(size: int, folder: Path):
    import logging
    logging.disable(logging.WARNING)
    from flask_migrate import upgrade

    from exchange import create_app
    app = create_app({"EXCHANGE_DATABASE_URL": f"sqlite:///{folder / f'm{size}.db'}", "EXCHANGE_SECRET_KEY": "bench",
                      "EXCHANGE_INSTANCE_DIR": str(folder), "EXCHANGE_PARTNER_CONFIG_DIR": str(ROOT / "partner_configs")},
                     testing=True)
    with app.app_context():
        upgrade()
        from exchange.core.context import current_context
        from exchange.demo import make_national_id, make_uscc
        from exchange.employers.models import Employer, Posting
        from exchange.extensions import db
        from exchange.placements.models import Batch, Dispatch, Match, Traveller
        from exchange.lists.models import SeekerList, SupplyList
        from exchange.registry.rows import clean_seeker
        from exchange.registry.service import seeker_columns
        from exchange.registry.models import Seeker
        from exchange.core.bulk import insert_rows

        ctx = current_context()
        cipher, today, now = ctx.cipher, date(2026, 3, 1), ctx.clock.now()
        given = "伟强磊军勇杰涛明超刚平辉鹏华飞芳娜敏静丽"
        rows = []
        for k in range(size):
            number = make_national_id("510524", date(1966, 1, 1) + timedelta(days=k * 7), 11)
            clean = clean_seeker({"name": "龙" + given[k % 20] + given[(k // 20) % 20], "national_id": number,
                                  "phone": f"138{k:08d}", "education": "初中", "emergency_contact_name": "龙大哥",
                                  "emergency_contact_phone": f"139{k:08d}"}, today)
            rows.append(seeker_columns(clean, cipher, region="510524", created_by=None, now=now))
        insert_rows(Seeker.__table__, rows)
        seekers = db.session.scalars(db.select(Seeker.id).order_by(Seeker.id)).all()
        employer = Employer(region="330825", name="龙游锦程电子科技有限公司", uscc=make_uscc("330825", 1), status="approved",
                            created_at=now)
        db.session.add(employer)
        db.session.flush()
        posting = Posting(region="330825", employer_id=employer.id, title="电子装配工", occupation="电子装配", headcount=size,
                          wage_min_fen=1, wage_max_fen=2, req_age_min=16, req_age_max=60, req_education_min="primary",
                          work_type="long_term", location_region="330825", contract_months=12, start_date=today,
                          interview_mode="onsite", created_at=now)
        db.session.add(posting)
        seeker_list = SeekerList(pairing_id="xuyong-longyou", region="510524", title="t", status="published", created_at=now)
        db.session.add(seeker_list)
        db.session.flush()
        supply = SupplyList(pairing_id="xuyong-longyou", region="330825", seeker_list_id=seeker_list.id, status="published",
                            created_at=now)
        db.session.add(supply)
        db.session.flush()
        batch = Batch(pairing_id="xuyong-longyou", region="510524", supply_list_id=supply.id, status="proposed", created_at=now)
        db.session.add(batch)
        db.session.flush()
        insert_rows(Match.__table__, [{"batch_id": batch.id, "pairing_id": "xuyong-longyou", "seeker_id": s,
                                       "posting_id": posting.id, "outcome": "hired", "reasons": []} for s in seekers])
        dispatch = Dispatch(pairing_id="xuyong-longyou", region="510524", batch_id=batch.id,
                            departed_at=datetime(2026, 3, 28, tzinfo=timezone.utc), mode="train", escort_name="王带队",
                            escort_phone="13700000001", expected_arrival=today, created_at=now)
        db.session.add(dispatch)
        db.session.flush()
        matches = db.session.execute(db.select(Match.id, Match.seeker_id).where(Match.batch_id == batch.id)).all()
        insert_rows(Traveller.__table__, [{"dispatch_id": dispatch.id, "match_id": m, "seeker_id": s} for m, s in matches])
        db.session.commit()
        return app, dispatch.id


def measure(size: int, runs: int, folder: Path) -> dict:
    from pypdf import PdfReader
    from weasyprint import HTML

    from exchange.accounts.roles import Actor
    from exchange.core.context import current_context
    from exchange.extensions import db
    from exchange.placements.models import Dispatch
    from exchange.placements.printing import manifest_html, manifest_pdf

    app, dispatch_id = build(size, folder)
    viewer = Actor(user_id=None, username="bench", role="sending_staff", region="510524")
    ours, bare = [], []
    with app.test_request_context():
        ctx = current_context()
        html = manifest_html(ctx, viewer, db.session.get(Dispatch, dispatch_id))
        HTML(string=html).write_pdf()  # warm the font cache for both
        for _ in range(runs):
            started = time.perf_counter()
            pdf = manifest_pdf(ctx, viewer, db.session.get(Dispatch, dispatch_id))
            ours.append(time.perf_counter() - started)
            started = time.perf_counter()
            HTML(string=html).write_pdf()
            bare.append(time.perf_counter() - started)
    return {"size": size, "ours": statistics.median(ours), "bare": statistics.median(bare),
            "pages": len(PdfReader(io.BytesIO(pdf)).pages), "bytes": len(pdf)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="50,500,2000")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-manifest-"))
    print(f"{'travellers':>10} {'project s':>9} {'bare s':>7} {'ratio':>6} {'pages':>6} {'bytes':>10}")
    for size in (int(s) for s in args.sizes.split(",")):
        r = measure(size, args.runs, folder)
        print(f"{r['size']:>10} {r['ours']:>9.2f} {r['bare']:>7.2f} {r['ours'] / r['bare']:>6.2f} {r['pages']:>6} {r['bytes']:>10,}")


if __name__ == "__main__":
    main()
