"""What create_app() builds once and every service may read: settings, pairings, the data
cipher and the clock."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app

from exchange.config import Settings
from exchange.core.clock import Clock
from exchange.core.crypto import DataCipher
from exchange.pairings.config import Pairings


@dataclass(frozen=True)
class Runtime:
    settings: Settings
    pairings: Pairings
    cipher: DataCipher
    clock: Clock
    secrets: dict = field(default_factory=dict)     # pairing id → protocol.signing.Secrets

    def is_remote(self, pairing) -> bool:
        """Exactly one of the pairing's regions lives here: its events travel over HTTP."""
        hosted = [self.settings.hosts(code) for code in pairing.regions]
        return any(hosted) and not all(hosted)


def runtime() -> Runtime:
    return current_app.extensions["exchange"]
