"""The protocol's scheduled jobs: pulling the partners' feeds, finishing local deliveries."""
from __future__ import annotations

from exchange.core.jobs import job
from exchange.protocol.client import pull_due
from exchange.protocol.delivery import deliver_local


@job("feed-pull", every_seconds=5)
def pull_feeds(ctx) -> int:
    """Pulls every remote feed whose next attempt is due (poll_seconds, backoff, or a nudge)."""
    return sum(result.applied for result in pull_due(ctx))


@job("local-delivery", every_seconds=60)
def catch_up_local_delivery(ctx) -> int:
    """Finishes local deliveries a crash interrupted (normally done within the authoring request)."""
    applied = 0
    for pairing in ctx.pairings:
        if all(ctx.hosts(code) for code in pairing.regions):
            for source in pairing.regions:
                applied += sum(1 for o in deliver_local(ctx, pairing, source) if o.status == "applied")
    return applied
