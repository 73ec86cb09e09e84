#!/usr/bin/env python3
"""Seeker import throughput: 100,000 generated rows through the real import path (CSV and xlsx,
SQLite and PostgreSQL), against a raw insert of the same rows into the same table with the same
indexes, measured in the same run (executemany on SQLite, COPY on PostgreSQL).

  python bench/import_seekers.py [--rows N] [--pg URL]

PostgreSQL is measured when --pg or EXCHANGE_BENCH_DATABASE_URL names a database (it is emptied).
Prints rows/s, the ratio to the raw insert and each run's peak memory (max RSS)."""
from __future__ import annotations

import argparse
import csv
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def generate(rows: int, folder: Path) -> dict[str, Path]:
    import random

    import xlsxwriter
    from exchange.demo import make_national_id
    from datetime import date, timedelta

    rng = random.Random(7)
    header = ["姓名", "身份证号", "手机号", "性别", "学历", "技能", "意向工种", "期望月薪", "工作类型", "可出发日期", "户类型", "同意共享"]
    prefixes = ["510524", "510521", "510522", "510525"]
    data = []
    for i in range(rows):
        born = date(1965, 1, 1) + timedelta(days=i % 14000)
        male = i % 2 == 0
        number = make_national_id(prefixes[i % 4], born, (i // 14000) * 2 + (1 if male else 0))
        data.append(["张" + "伟芳强静"[i % 4], number, f"13{i:09d}", "男" if male else "女",
                     ["小学", "初中", "高中", "大专"][i % 4], "电焊", "普工", str(3500 + i % 30 * 100), "长期",
                     "2026-03-01", ["建档立卡", "监测对象", "一般"][i % 3], "是"])
    csv_path = folder / "seekers.csv"
    with csv_path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(data)
    xlsx_path = folder / "seekers.xlsx"
    book = xlsxwriter.Workbook(str(xlsx_path), {"constant_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, header)
    for r, cells in enumerate(data, start=1):
        sheet.write_row(r, 0, cells)
    book.close()
    return {"csv": csv_path, "xlsx": xlsx_path}


def _app(database_url: str, instance: Path):
    from exchange import create_app
    from flask_migrate import upgrade

    app = create_app({"EXCHANGE_DATABASE_URL": database_url, "EXCHANGE_SECRET_KEY": "bench",
                      "EXCHANGE_INSTANCE_DIR": str(instance), "EXCHANGE_TODAY": "2026-03-01",
                      "EXCHANGE_PARTNER_CONFIG_DIR": str(ROOT / "partner_configs")}, testing=True)
    with app.app_context():
        upgrade()
    return app


def _reset(app) -> None:
    from sqlalchemy import text
    from exchange.extensions import db
    with app.app_context():
        db.session.execute(text("DELETE FROM seekers"))
        db.session.execute(text("DELETE FROM audit_log"))
        db.session.execute(text("DELETE FROM import_runs"))
        db.session.commit()


def measure_import(database_url: str, path: Path, instance: Path) -> dict:
    from exchange.accounts.roles import Actor
    from exchange.core.context import current_context
    from exchange.registry.importing import import_seekers

    app = _app(database_url, instance)
    _reset(app)
    data = path.read_bytes()
    with app.app_context():
        actor = Actor(user_id=None, username="bench", role="sending_staff", region="510524")
        started = time.perf_counter()
        run = import_seekers(current_context(), actor, data=data, filename=path.name, dry_run=False)
        seconds = time.perf_counter() - started
        return {"seconds": seconds, "rows": run.accepted, "rejected": len(run.rejected)}


def measure_raw(database_url: str, path: Path, instance: Path) -> dict:
    """The floor: the same rows, already converted, inserted with the driver's fastest path."""
    from sqlalchemy import insert
    from exchange.core.context import current_context
    from exchange.extensions import db
    from exchange.registry.importing import read_table
    from exchange.registry.models import Seeker
    from exchange.registry.rows import clean_seeker
    from exchange.registry.service import seeker_columns

    app = _app(database_url, instance)
    _reset(app)
    with app.app_context():
        rt = current_context()
        table = read_table(path.read_bytes(), "csv")
        rows = []
        for _number, cells in table.rows:
            raw = {f: cells[i] for i, f in enumerate(table.fields) if f}
            rows.append(seeker_columns(clean_seeker(raw, rt.clock.today()), rt.cipher, region="510524",
                                       created_by=None, now=rt.clock.now()))
        columns = [c.name for c in Seeker.__table__.columns if c.name != "id"]
        tuples = [tuple(r.get(c) if c not in ("skills", "occupations_wanted") else json.dumps(r.get(c) or [], ensure_ascii=False)
                        for c in columns) for r in rows]
        connection = db.engine.raw_connection()
        try:
            cursor = connection.cursor()
            started = time.perf_counter()
            if database_url.startswith("sqlite"):
                cursor.execute("BEGIN")
                cursor.executemany(f"INSERT INTO seekers ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", tuples)
            else:
                with cursor.copy(f"COPY seekers ({', '.join(columns)}) FROM STDIN") as copy:
                    for t in tuples:
                        copy.write_row(t)
            connection.commit()
            seconds = time.perf_counter() - started
        finally:
            connection.close()
    return {"seconds": seconds, "rows": len(tuples)}


def child(kind: str, what: str, database_url: str, path: str, instance: str) -> None:
    import logging
    logging.disable(logging.WARNING)
    result = (measure_import if kind == "import" else measure_raw)(database_url, Path(path), Path(instance))
    result["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def run_child(kind: str, database_url: str, path: Path, instance: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", kind, database_url, str(path), str(instance)],
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--pg", default=os.environ.get("EXCHANGE_BENCH_DATABASE_URL"))
    parser.add_argument("--child", nargs=4)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], "", *args.child[1:])
        return
    folder = Path(tempfile.mkdtemp(prefix="bench-import-"))
    files = generate(args.rows, folder)
    backends = [("sqlite", f"sqlite:///{folder / 'bench.db'}")]
    if args.pg:
        backends.append(("postgresql", args.pg))
    print(f"seeker import, {args.rows} rows (validation, encryption and indexes included)")
    print(f"{'database':<11} {'file':<5} {'import rows/s':>14} {'raw rows/s':>11} {'ratio':>6} {'import MB':>10} {'raw MB':>7}")
    for name, url in backends:
        raw = run_child("raw", url, files["csv"], folder)
        for kind in ("csv", "xlsx"):
            result = run_child("import", url, files[kind], folder)
            assert result["rows"] == args.rows, result
            rate, raw_rate = result["rows"] / result["seconds"], raw["rows"] / raw["seconds"]
            print(f"{name:<11} {kind:<5} {rate:>14,.0f} {raw_rate:>11,.0f} {rate / raw_rate:>6.2f} "
                  f"{result['max_rss_mb']:>10.0f} {raw['max_rss_mb']:>7.0f}")


if __name__ == "__main__":
    main()
