"""The liaison station's scheduled job: reminders of overdue follow-ups and cases."""
from __future__ import annotations

from exchange.core.jobs import job
from exchange.followups.cases import remind_overdue_cases
from exchange.followups.service import remind_overdue


@job("reminders", every_seconds=3600)
def send_reminders(ctx) -> int:
    """In-app reminders of overdue follow-ups (to the liaison station) and overdue cases (to both
    counties); each occasion is reminded once."""
    count = 0
    for pairing in ctx.pairings:
        if ctx.hosts(pairing.sending.code):
            count += remind_overdue(ctx, pairing, ctx.clock.today())
        if any(ctx.hosts(code) for code in pairing.regions):
            count += remind_overdue_cases(ctx, pairing)
    return count
