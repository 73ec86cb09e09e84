"""The audit trail's scheduled job: seal what was written into the hash chain, every minute."""
from __future__ import annotations

from exchange.audit.chain import seal
from exchange.core.jobs import job


@job("audit-seal", every_seconds=60)
def seal_trail(ctx) -> int:
    return seal(ctx)
