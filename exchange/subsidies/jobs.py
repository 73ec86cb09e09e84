"""The money's scheduled job: the daily retention scan."""
from __future__ import annotations

from exchange.core.jobs import job
from exchange.subsidies.retention import scan_all


@job("retention-scan", every_seconds=3600)
def daily_retention_scan(ctx) -> int:
    """Milestones reached by today (idempotent: running it hourly creates each claim once)."""
    return sum(s.get("total_created", 0) for s in scan_all(ctx, ctx.clock.today(), "scheduler"))
