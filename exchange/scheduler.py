"""`exchange scheduler`: the scheduled jobs of one instance (each feature registers its own, in its
jobs.py), run in the foreground by APScheduler.

Safe to start twice: every tick first takes the database lease "scheduler"; only its holder
runs jobs, and a second process waits to take over if the first one dies."""
from __future__ import annotations

import logging
import os
import socket
import uuid
from datetime import timedelta

from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from exchange.core import lease
from exchange.core.context import current_context
from exchange.core.idempotency import purge_expired
from exchange.core.jobs import JOBS, Job, job

log = logging.getLogger("exchange.scheduler")
LEASE_NAME = "scheduler"
LEASE_TTL = timedelta(seconds=90)
TICK_SECONDS = 30
__all__ = ["JOBS", "Job", "Runner", "holder_id", "run_forever"]


@job("purge-idempotency-keys", every_seconds=3600)
def purge_idempotency_keys(ctx) -> int:
    return purge_expired(ctx.clock.wall())


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
            ctx = current_context()
            leading = lease.acquire(LEASE_NAME, self.holder, LEASE_TTL, ctx.clock.wall())
            if leading != self.leading:
                log.info("scheduler %s %s the lease", self.holder, "took" if leading else "does not hold")
                self.leading = leading
            if not leading:
                return ran
            for entry in due:
                try:
                    result = entry.run(ctx)
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
            lease.release(LEASE_NAME, runner.holder, current_context().clock.wall())
