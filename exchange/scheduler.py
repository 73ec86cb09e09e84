"""`exchange scheduler`: the scheduled jobs of one instance, run in the foreground by APScheduler.

Safe to start twice: every tick first takes the database lease "scheduler"; only its holder
runs jobs, and a second process waits to take over if the first one dies."""
from __future__ import annotations

import logging
import os
import socket
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Callable

from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from exchange.core import lease

log = logging.getLogger("exchange.scheduler")
LEASE_NAME = "scheduler"
LEASE_TTL = timedelta(seconds=90)
TICK_SECONDS = 30


@dataclass(frozen=True)
class Job:
    name: str
    every_seconds: int
    run: Callable[[Flask], object]


JOBS: list[Job] = []


def job(name: str, every_seconds: int):
    """Registers a job; each feature adds its own (feed pulls, retention scan, reminders)."""
    def register(func: Callable[[Flask], object]):
        JOBS.append(Job(name, every_seconds, func))
        return func
    return register


@job("purge-idempotency-keys", every_seconds=3600)
def purge_idempotency_keys(app: Flask) -> int:
    from exchange.core.idempotency import purge_expired
    from exchange.core.models import utcnow
    return purge_expired(utcnow())


@job("feed-pull", every_seconds=5)
def pull_feeds(app: Flask) -> int:
    """Pulls every remote feed whose next attempt is due (poll_seconds, backoff, or a nudge)."""
    from exchange.protocol.client import pull_due
    return sum(result.applied for result in pull_due())


@job("local-delivery", every_seconds=60)
def catch_up_local_delivery(app: Flask) -> int:
    """Finishes local deliveries a crash interrupted (normally done within the authoring request)."""
    from exchange.core.runtime import runtime
    from exchange.protocol.delivery import deliver_local
    rt = runtime()
    applied = 0
    for pairing in rt.pairings:
        if all(rt.settings.hosts(code) for code in pairing.regions):
            for source in pairing.regions:
                applied += sum(1 for o in deliver_local(pairing, source) if o.status == "applied")
    return applied


@job("retention-scan", every_seconds=3600)
def daily_retention_scan(app: Flask) -> int:
    """Milestones reached by today (idempotent: running it hourly creates each claim once)."""
    from exchange.core.runtime import runtime
    from exchange.subsidies.retention import scan_all
    rt = runtime()
    return sum(s.get("total_created", 0) for s in scan_all(rt.clock.today(), rt.clock, "scheduler"))


@job("reminders", every_seconds=3600)
def send_reminders(app: Flask) -> int:
    """In-app reminders of overdue follow-ups (to the liaison station) and overdue cases (to both
    counties); each occasion is reminded once."""
    from exchange.core.runtime import runtime
    from exchange.followups.cases import remind_overdue_cases
    from exchange.followups.service import remind_overdue
    rt = runtime()
    count = 0
    for pairing in rt.pairings:
        if rt.settings.hosts(pairing.sending.code):
            count += remind_overdue(pairing, rt.clock.today())
        if any(rt.settings.hosts(code) for code in pairing.regions):
            count += remind_overdue_cases(pairing)
    return count


def holder_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class Runner:
    """Runs due jobs while holding the lease."""

    def __init__(self, app: Flask, holder: str | None = None):
        self.app, self.holder = app, holder or holder_id()
        self.leading = False

    def tick(self, due: list[Job]) -> list[str]:
        ran = []
        with self.app.app_context():
            leading = lease.acquire(LEASE_NAME, self.holder, LEASE_TTL)
            if leading != self.leading:
                log.info("scheduler %s %s the lease", self.holder, "took" if leading else "does not hold")
                self.leading = leading
            if not leading:
                return ran
            for entry in due:
                try:
                    result = entry.run(self.app)
                    log.info("job %s done: %s", entry.name, result)
                    ran.append(entry.name)
                except Exception:  # one failing job must not stop the others
                    log.exception("job %s failed", entry.name)
        return ran


def run_forever(app: Flask) -> None:
    runner = Runner(app)
    scheduler = BlockingScheduler(timezone="Asia/Shanghai")
    for entry in JOBS:
        scheduler.add_job(runner.tick, "interval", args=[[entry]], seconds=entry.every_seconds,
                          id=entry.name, coalesce=True, max_instances=1)
    scheduler.add_job(runner.tick, "interval", args=[[]], seconds=TICK_SECONDS, id="lease", coalesce=True,
                      max_instances=1)
    log.info("scheduler %s starting with jobs: %s", runner.holder, ", ".join(j.name for j in JOBS))
    try:
        scheduler.start()
    finally:
        with app.app_context():
            lease.release(LEASE_NAME, runner.holder)
