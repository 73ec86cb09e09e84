"""What create_app() builds once and every service may read: settings, pairings, the data
cipher and the clock."""
from __future__ import annotations

from dataclasses import dataclass

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


def runtime() -> Runtime:
    return current_app.extensions["exchange"]
