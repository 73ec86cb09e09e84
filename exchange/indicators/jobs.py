"""The indicators' scheduled job: each month's report forms, written on the 1st of the next month."""
from __future__ import annotations

from datetime import date

from exchange.accounts.roles import Actor
from exchange.core.jobs import job
from exchange.indicators.reports import filename, write_monthly


def report_folder(ctx, pairing_id: str):
    return ctx.settings.instance_dir / "reports" / pairing_id


def last_month(today: date) -> tuple[int, int]:
    return (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)


@job("monthly-reports", every_seconds=3600)
def monthly_reports(ctx) -> int:
    """Last month's forms (xlsx and PDF) of every pairing this instance hosts a region of, once:
    hourly and idempotent, so they are there from the first hour of the 1st."""
    year, month = last_month(ctx.clock.today())
    written = 0
    for pairing in ctx.pairings:
        region = next((code for code in pairing.regions if ctx.hosts(code)), None)
        folder = report_folder(ctx, pairing.id)
        if region is None or (folder / filename(pairing.id, year, month, None, "xlsx")).exists():
            continue
        written += len(write_monthly(ctx, pairing, year, month, folder, Actor.system(region)))
    return written
