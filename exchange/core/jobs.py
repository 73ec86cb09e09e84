"""The scheduled jobs: each feature registers its own in its jobs.py with `@job`; `exchange
scheduler` (exchange.scheduler) runs them. A job is handed the Context, as a service is."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable


@dataclass(frozen=True)
class Job:
    name: str
    every_seconds: int
    run: Callable[[Any], object]      # run(ctx) → a summary for the log


JOBS: list[Job] = []


def job(name: str, every_seconds: int):
    """Registers a job (feed pulls, the retention scan, reminders …)."""
    def register(func: Callable[[Any], object]):
        JOBS[:] = [j for j in JOBS if j.name != name] + [Job(name, every_seconds, func)]
        return func
    return register
