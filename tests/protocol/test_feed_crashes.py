"""Killing either instance at any moment loses nothing — with real processes and SIGKILL.

The sending county runs as `exchange run` and the receiving county's consumer as `exchange feed
pull` / `exchange scheduler`, each a subprocess on its own SQLite file. The test kills them with
SIGKILL at different points and checks after every kill that the database holds exactly the
effect of events 1..last_applied_seq (never half an event, never a step back), then that the
two counties end up holding the same records:

1. the consumer is killed four times while pulling 40 events (a feed page holds 30 of them):
   during its first request, then three times while it is inside a database transaction (after
   1, 15 and 30 events); a last pull applies exactly the rest;
2. the sender is killed twice while a clerk publishes 35 more lists over HTTP — right after a
   publish commits (the clerk's retry answers 409 already_published) and inside a publish's
   transaction: every list is either published with its one event or still a draft without
   one, and the outbox stays gap-free;
3. the sender is killed while the consumer is applying a page: the consumer keeps what it
   applied, records the failure and backs off; after the sender's restart `exchange scheduler`
   converges on its own, and the receiving county's reconciliation finds the two agree.
"""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import requests

from tests.conftest import base_environ
from tests.factories import Api, Factory, national_id
from tests.flow import PP
from tests.servers import SECRET, SECRET_ENV, free_port, make_instance, pairing_dir
from tests.registry.test_import import csv_bytes, row

pytestmark = pytest.mark.slow

EXCHANGE = Path(sys.executable).parent / "exchange"
SEEKERS, PER_LIST = 2000, 500          # a list of 500 is ~140 kB: 30 events fill a 4 MB feed page
FIRST_LISTS, MORE_LISTS = 40, 35       # 40 events = two pages; 35 more are published under fire
SENDING, RECEIVING = "510524", "330825"


class Proc:
    """One `exchange …` subprocess with its output in files."""

    def __init__(self, args: list[str], env: dict, logs: Path, name: str, cwd: Path):
        self.name = name
        self.out, self.err = logs / f"{name}.out", logs / f"{name}.err"
        with open(self.out, "wb") as out, open(self.err, "wb") as err:
            self.popen = subprocess.Popen([str(EXCHANGE), *args], env=env, cwd=cwd, stdout=out, stderr=err)

    def alive(self) -> bool:
        return self.popen.poll() is None

    def sigkill(self) -> None:
        if self.alive():
            os.kill(self.popen.pid, signal.SIGKILL)
        self.popen.wait(timeout=10)

    def signal(self, sig: int) -> None:
        os.kill(self.popen.pid, sig)

    def wait(self, timeout: float) -> int:
        return self.popen.wait(timeout=timeout)

    def output(self) -> str:
        return self.out.read_text(encoding="utf-8", errors="replace")

    def tail(self) -> str:
        return f"--- {self.name} stderr ---\n" + self.err.read_text(encoding="utf-8", errors="replace")[-3000:]


def wait_until(predicate, *, timeout: float, proc: Proc | None = None, step: float = 0.005):
    """Polls `predicate` (a real external process is being waited on) until it answers something
    truthy, the deadline passes, or `proc` exits; answers the last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > deadline or (proc is not None and not proc.alive()):
            return value
        time.sleep(step)


class Db:
    """Read-only looks at an instance's SQLite file while another process writes it (WAL)."""

    def __init__(self, path: Path):
        self.path = path

    def rows(self, sql: str, *args) -> list[sqlite3.Row]:
        con = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        con.row_factory = sqlite3.Row
        try:
            return con.execute(sql, args).fetchall()
        finally:
            con.close()

    def value(self, sql: str, *args):
        found = self.rows(sql, *args)
        return found[0][0] if found else None

    def feed(self) -> dict | None:
        found = self.rows("SELECT * FROM feed_states WHERE pairing_id = 'xuyong-longyou' AND source_region = ?", SENDING)
        return dict(found[0]) if found else None

    def seq(self) -> int:
        return (self.feed() or {}).get("last_applied_seq") or 0

    def locked(self) -> bool:
        """Another process is inside a transaction (the app begins every one with BEGIN IMMEDIATE):
        a SIGKILL now lands in the middle of it."""
        con = sqlite3.connect(self.path, timeout=0, isolation_level=None)
        try:
            con.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:
            return True
        else:
            con.execute("ROLLBACK")
            return False
        finally:
            con.close()


def instant(text: str) -> datetime:
    return datetime.fromisoformat(text)


def consistent_receiver(r: Db, s: Db) -> int:
    """The receiving database holds exactly events 1..last_applied_seq of the sender, each whole."""
    seq = r.seq()
    applied = [(x["seq"], x["event_id"]) for x in r.rows("SELECT seq, event_id FROM applied_events ORDER BY seq")]
    authored = {x["seq"]: x["event_id"] for x in s.rows("SELECT seq, event_id FROM outbox_events")}
    assert applied == [(k, authored[k]) for k in range(1, seq + 1)], "applied events are not exactly 1..last_applied_seq"
    lists = r.rows("SELECT l.ref, l.title, COUNT(i.id) AS n FROM seeker_lists l "
                   "LEFT JOIN seeker_list_items i ON i.list_id = l.id GROUP BY l.id")
    expected = {json.loads(x["data"])["list_ref"] for x in s.rows("SELECT data FROM outbox_events WHERE seq <= ?", seq)}
    assert len(lists) == seq and {x["ref"] for x in lists} == expected, "a list without its event, or twice"
    assert {x["n"] for x in lists} <= {PER_LIST}, "a list with part of its seekers: an event applied by halves"
    assert r.value("SELECT COUNT(*) FROM quarantined_events") == 0
    return seq


def consistent_sender(s: Db) -> int:
    """The sender's outbox is gap-free and holds one event per published list, none for a draft."""
    seqs = [x["seq"] for x in s.rows("SELECT seq FROM outbox_events ORDER BY seq")]
    last = s.value("SELECT last_seq FROM outbox_counters WHERE pairing_id = 'xuyong-longyou' AND source_region = ?", SENDING)
    assert seqs == list(range(1, len(seqs) + 1)) and (last or 0) == len(seqs), "the outbox has a gap"
    events = [json.loads(x["data"])["list_ref"] for x in s.rows("SELECT data FROM outbox_events")]
    published = {x["ref"] for x in s.rows("SELECT ref FROM seeker_lists WHERE status = 'published'")}
    assert len(events) == len(set(events)) and set(events) == published, "a published list without its event or vice versa"
    return len(seqs)


@pytest.fixture
def processes():
    started: list[Proc] = []
    yield started
    for proc in started:
        if proc.alive():
            proc.sigkill()


def test_killing_either_instance_at_any_moment_loses_nothing(tmp_path, processes):
    if not EXCHANGE.exists():
        pytest.skip(f"no {EXCHANGE} (run the tests with the project's virtualenv)")
    logs = tmp_path / "logs"
    logs.mkdir()
    s_port, r_port = free_port(), free_port()          # nothing listens on r_port: nudges just fail
    s_url = f"http://127.0.0.1:{s_port}"
    config = pairing_dir(tmp_path / "config", s_url, f"http://127.0.0.1:{r_port}")
    s_path, r_path = tmp_path / "sending.db", tmp_path / "receiving.db"
    s_db, r_db = Db(s_path), Db(r_path)

    def environ(name: str, path: Path, home: str) -> dict:
        return base_environ(tmp_path / name, f"sqlite:///{path}", EXCHANGE_PARTNER_CONFIG_DIR=str(config),
                            EXCHANGE_HOME_REGIONS=home, FLASK_SKIP_DOTENV="1", PYTHONUNBUFFERED="1",
                            **{SECRET_ENV: SECRET})

    s_env, r_env = environ("s", s_path, SENDING), environ("r", r_path, RECEIVING)
    runs = iter(range(1, 1000))

    def start(args: list[str], env: dict, name: str) -> Proc:
        proc = Proc(args, env, logs, f"{name}-{next(runs)}", tmp_path)
        processes.append(proc)
        return proc

    def start_sender() -> Proc:
        proc = start(["run", "--host", "127.0.0.1", "--port", str(s_port), "--no-reload", "--no-debugger"],
                     s_env, "sender")

        def answers():
            try:
                return requests.get(s_url + "/feeds/v1/xuyong-longyou/events", timeout=1).status_code == 401
            except requests.RequestException:
                return False
        assert wait_until(answers, timeout=30, proc=proc, step=0.05), proc.tail()
        return proc

    # --- the sending county's data, built in-process before its server starts -------------------
    s_app = make_instance(tmp_path, "s-build", f"sqlite:///{s_path}", config, SENDING)
    _user, token = Factory(s_app).user("sending_staff", SENDING)
    clerk = Api(s_app.test_client(), token)
    people = [row(nid=national_id((date(1975, 1, 1) + timedelta(days=k)).strftime("%Y%m%d"), order=2 * (k % 400) + 1),
                  phone_=f"139{k:08d}") for k in range(SEEKERS)]
    status, imported = clerk.upload("/api/v1/seekers/import", "seekers.csv", csv_bytes(people))
    assert status == 200 and imported["accepted"] == SEEKERS, imported
    ids = [x["id"] for x in s_db.rows("SELECT id FROM seekers WHERE region = ? ORDER BY id", SENDING)]
    drafts = []
    for k in range(FIRST_LISTS + MORE_LISTS):
        chosen = [ids[(k * 37 + j) % SEEKERS] for j in range(PER_LIST)]     # 75 different lists
        status, created = clerk.post(f"{PP}/seeker-lists", {"title": f"崩溃测试清单{k:02d}", "seeker_ids": chosen})
        assert status == 201, created
        if k < FIRST_LISTS:
            status, published = clerk.post(f"{PP}/seeker-lists/{created['id']}/publish")
            assert status == 200, published
        else:
            drafts.append(created["id"])
    from exchange.extensions import db
    with s_app.app_context():
        db.session.remove()
        db.engine.dispose()
    assert consistent_sender(s_db) == FIRST_LISTS

    # --- the receiving county's database, migrated by its own command -------------------------
    migrated = subprocess.run([str(EXCHANGE), "db", "upgrade"], env=r_env, cwd=tmp_path, capture_output=True, text=True)
    assert migrated.returncode == 0, migrated.stderr[-3000:]
    sender = start_sender()

    # --- 1. the consumer killed in the middle of its pulls --------------------------------------
    kill_points = [
        ("during its first request", lambda: r_db.feed() is not None and r_db.feed()["last_pull_at"]),
        ("inside the transaction after its first event", lambda: r_db.seq() >= 1 and r_db.locked()),
        ("inside a transaction a third of the way", lambda: r_db.seq() >= 15 and r_db.locked()),
        ("inside a transaction three quarters of the way", lambda: r_db.seq() >= 30 and r_db.locked()),
    ]
    killed_at = []
    for label, due in kill_points:
        before = r_db.seq()
        consumer = start(["feed", "pull"], r_env, "pull")
        seen = wait_until(due, timeout=60, proc=consumer)
        assert consumer.alive(), f"the pull ended before it could be killed {label}: make the data larger\n{consumer.tail()}"
        observed = r_db.seq()
        consumer.sigkill()
        after = consistent_receiver(r_db, s_db)
        assert seen and after >= observed >= before, f"killed {label}: last_applied_seq went back"
        assert after < FIRST_LISTS, f"killed {label}, yet everything was applied already"
        killed_at.append(after)
    print("consumer killed with last_applied_seq at", killed_at)      # shown when the test fails
    assert killed_at[0] == 0 and 0 < killed_at[1] < killed_at[2] < killed_at[3], killed_at
    consumer = start(["feed", "pull"], r_env, "pull")
    assert consumer.wait(timeout=60) == 0, consumer.tail()
    [result] = json.loads(consumer.output())
    assert (result["applied"], result["duplicates"], result["stopped"], result["errors"]) == (
        FIRST_LISTS - killed_at[-1], 0, None, []), result
    assert consistent_receiver(r_db, s_db) == FIRST_LISTS
    assert sender.alive(), sender.tail()     # consumers dying mid-request did not hurt the server

    # --- 2. the sender killed twice while a clerk publishes over HTTP ---------------------------
    answers: list[tuple[int, int]] = []

    def publish_drafts():
        for list_id in drafts:
            while True:
                try:
                    answer = requests.post(f"{s_url}{PP}/seeker-lists/{list_id}/publish",
                                           headers={"Authorization": f"Bearer {token}"}, timeout=30)
                except requests.RequestException:
                    time.sleep(0.05)          # the sender is down: the clerk tries again
                    continue
                answers.append((list_id, answer.status_code))
                break

    def authored() -> int:
        return s_db.value("SELECT COUNT(*) FROM outbox_events")

    clerk_thread = threading.Thread(target=publish_drafts, daemon=True)
    clerk_thread.start()
    # Right after a publish commits (its answer has usually not left yet: the clerk will see 409
    # already_published on retrying), then inside the transaction of the publish after the 20th.
    for label, due in (("after a commit", lambda: authored() >= FIRST_LISTS + 10),
                       ("inside a transaction", lambda: len(answers) >= 20 and s_db.locked())):
        assert wait_until(due, timeout=60, proc=sender), f"the sender was not killed {label}\n{sender.tail()}"
        sender.sigkill()
        at_kill = consistent_sender(s_db)
        print(f"sender killed {label} with {at_kill} events authored and {len(answers)} answers received")
        assert at_kill < FIRST_LISTS + MORE_LISTS, f"killed {label}, yet the clerk was done"
        sender = start_sender()
    clerk_thread.join(timeout=120)
    assert not clerk_thread.is_alive()
    # 409 already_published: the kill came after the commit, before the answer reached the clerk.
    assert [a[0] for a in answers] == drafts and {a[1] for a in answers} <= {200, 409}, answers
    total = consistent_sender(s_db)
    assert total == FIRST_LISTS + MORE_LISTS
    assert s_db.value("SELECT COUNT(*) FROM seeker_lists WHERE status <> 'published'") == 0

    # --- 3. the sender killed while the consumer applies a page ---------------------------------
    consumer = start(["feed", "pull"], r_env, "pull")
    wait_until(lambda: r_db.seq() > FIRST_LISTS, timeout=60, proc=consumer)
    consumer.signal(signal.SIGSTOP)       # frozen (mid-transaction, most likely) while the sender dies
    try:
        assert consumer.alive() and r_db.seq() < total, "the pull ended before the sender could be killed"
        print("sender killed while the consumer was at", r_db.seq())
        sender.sigkill()                  # page 1 is in hand; page 2 will find nobody
    finally:
        consumer.signal(signal.SIGCONT)
    assert consumer.wait(timeout=60) == 0, consumer.tail()
    [result] = json.loads(consumer.output())
    state = r_db.feed()
    stranded = consistent_receiver(r_db, s_db)
    assert FIRST_LISTS < stranded < total, "the sender died too late to interrupt the pull"
    assert result["applied"] == stranded - FIRST_LISTS and "unreachable" in result["errors"][0], result
    assert state["failures"] == 1 and "unreachable" in state["last_error"], state
    wait = (instant(state["next_attempt_at"]) - instant(state["last_error_at"])).total_seconds()
    assert 2.4 <= wait <= 5.1, f"the first failure should back off 2.5–5 s, not {wait}"
    sender = start_sender()
    scheduler = start(["scheduler"], r_env, "scheduler")
    # The last event applied is not the pull's end: wait for the pull to record its success too
    # (killing the scheduler in between would leave the earlier failure standing, rightly).
    def caught_up() -> bool:
        state = r_db.feed()
        return (state["last_applied_seq"] >= total
                and instant(state["last_success_at"]) > instant(state["last_error_at"]))
    wait_until(caught_up, timeout=60, proc=scheduler, step=0.1)
    assert r_db.seq() == total, scheduler.tail()
    scheduler.sigkill()

    # --- the end: exactly what the sender authored, and the counties agree ---------------------
    assert consistent_receiver(r_db, s_db) == total
    state = r_db.feed()
    assert (state["failures"], state["last_error"], state["stopped"], state["partner_last_seq"]) == (0, None, None, total)
    assert instant(state["last_success_at"]) > instant(state["last_error_at"])
    assert r_db.value("SELECT COUNT(DISTINCT event_id) FROM applied_events") == total
    assert r_db.value("SELECT COUNT(*) FROM seeker_lists") == r_db.value("SELECT COUNT(DISTINCT ref) FROM seeker_lists") == total
    sent = {x["ref"]: x["n"] for x in s_db.rows(
        "SELECT l.ref, COUNT(*) AS n FROM seeker_lists l JOIN seeker_list_items i ON i.list_id = l.id GROUP BY l.id")}
    got = {x["ref"]: x["n"] for x in r_db.rows(
        "SELECT l.ref, COUNT(*) AS n FROM seeker_lists l JOIN seeker_list_items i ON i.list_id = l.id GROUP BY l.id")}
    assert got == sent and set(sent.values()) == {PER_LIST}
    assert r_db.value("SELECT COUNT(*) FROM seekers") == r_db.value("SELECT COUNT(DISTINCT ref) FROM seekers") == SEEKERS
    r_app = make_instance(tmp_path, "r-check", f"sqlite:///{r_path}", config, RECEIVING)
    try:
        _admin, admin_token = Factory(r_app).user("admin", RECEIVING)
        status, report = Api(r_app.test_client(), admin_token).get(f"{PP}/reconciliation")
        assert status == 200 and report["in_agreement"], report
        counts = {k["kind"]: (k["here"], k["partner"]) for k in report["kinds"]}
        assert counts["seeker_lists"] == (total, total), counts
    finally:
        with r_app.app_context():
            db.session.remove()
            db.engine.dispose()
