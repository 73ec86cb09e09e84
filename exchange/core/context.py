"""What a service needs of the instance, handed to it by the edge: the clock, the settings, the
pairings, the data cipher and the pairings' feed secrets, built once by create_app().

Services take a Context as their first argument and never look it up themselves. Only the edges
fetch it with current_context(): an API operation (core.api injects it), a page, a CLI command,
a scheduler job; an applied event carries it in its ApplyContext."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Mapping

from flask import Flask, current_app

from exchange.config import Settings
from exchange.core.clock import Clock
from exchange.core.crypto import DataCipher

KEY = "exchange"


@dataclass(frozen=True)
class Context:
    settings: Settings
    pairings: Any                     # exchange.pairings.config.Pairings
    cipher: DataCipher
    clock: Clock
    secrets: Mapping[str, Any] = field(default_factory=dict)     # pairing id → protocol.signing.Secrets

    def hosts(self, region: str) -> bool:
        """This instance holds the region's own records (EXCHANGE_HOME_REGIONS)."""
        return self.settings.hosts(region)

    def is_remote(self, pairing) -> bool:
        """Exactly one of the pairing's regions lives here: its events travel over HTTP."""
        hosted = [self.hosts(code) for code in pairing.regions]
        return any(hosted) and not all(hosted)

    def with_clock(self, clock: Clock) -> "Context":
        return replace(self, clock=clock)


def install(app: Flask, context: Context) -> None:
    app.extensions[KEY] = context


def current_context() -> Context:
    """The application's Context — for the edges only (see the module's docstring)."""
    return current_app.extensions[KEY]
