"""The scheduler runs its jobs in one process only, even when started twice."""
from __future__ import annotations

from datetime import timedelta

from datetime import datetime, timezone

from exchange.core import lease
from exchange.scheduler import Job, Runner


def test_two_schedulers_one_runner_and_a_takeover_when_it_dies(app):
    calls = []
    job = Job("count", 60, lambda _ctx: calls.append(1))
    first, second = Runner(app, "first"), Runner(app, "second")
    assert first.tick([job]) == ["count"]
    assert second.tick([job]) == []
    assert first.tick([job]) == ["count"] and len(calls) == 2
    with app.app_context():
        # The first process dies: its lease runs out and the second takes over.
        later = datetime.now(timezone.utc) + timedelta(seconds=91)
        assert lease.acquire("scheduler", "second", timedelta(seconds=90), later)
        assert lease.holder_of("scheduler", later) == "second"
    assert first.tick([job]) == []


def test_a_failing_job_does_not_stop_the_others(app):
    def boom(_ctx):
        raise RuntimeError("partner down")
    ran = Runner(app, "only").tick([Job("boom", 60, boom), Job("ok", 60, lambda _ctx: None)])
    assert ran == ["ok"]
