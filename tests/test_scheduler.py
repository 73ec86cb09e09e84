"""The scheduler runs its jobs in one process only, even when started twice."""
from __future__ import annotations

from datetime import timedelta

from exchange.core import lease
from exchange.core.models import utcnow
from exchange.scheduler import Job, Runner


def test_two_schedulers_one_runner_and_a_takeover_when_it_dies(app):
    calls = []
    job = Job("count", 60, lambda _app: calls.append(1))
    first, second = Runner(app, "first"), Runner(app, "second")
    assert first.tick([job]) == ["count"]
    assert second.tick([job]) == []
    assert first.tick([job]) == ["count"] and len(calls) == 2
    with app.app_context():
        # The first process dies: its lease runs out and the second takes over.
        assert lease.acquire("scheduler", "second", timedelta(seconds=90), now=utcnow() + timedelta(seconds=91))
        assert lease.holder_of("scheduler") == "second"
    assert first.tick([job]) == []


def test_a_failing_job_does_not_stop_the_others(app):
    def boom(_app):
        raise RuntimeError("partner down")
    ran = Runner(app, "only").tick([Job("boom", 60, boom), Job("ok", 60, lambda _app: None)])
    assert ran == ["ok"]
