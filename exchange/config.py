"""Settings read once from the EXCHANGE_* environment variables and validated at start-up."""
from __future__ import annotations

import base64
import binascii
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from exchange.paths import bundled

DEVELOPMENT_SECRET = "development-only-secret-do-not-use-in-production"


class ConfigError(Exception):
    """A setting is missing or malformed; start-up stops with this message."""


@dataclass(frozen=True)
class Settings:
    database_url: str
    secret_key: str
    secret_key_is_development: bool
    partner_config_dir: Path
    home_regions: frozenset[str] | None
    today_override: date | None
    data_key: bytes | None
    instance_dir: Path
    session_idle_minutes: int = 30          # a portal session ends after this long unused …
    session_max_hours: int = 12             # … and this long after the login, whatever
    proxy_hops: int = 0                     # reverse proxies in front whose X-Forwarded-* to trust
    redis_url: str | None = None            # shared counters (login throttling) across workers

    def hosts(self, region: str) -> bool:
        return self.home_regions is None or region in self.home_regions


def normalise_database_url(url: str) -> str:
    """Accept the common spellings of a PostgreSQL URL and use psycopg 3, the driver we ship."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def load_settings(environ: dict[str, str], *, instance_path: str, debug: bool, testing: bool) -> Settings:
    instance_dir = Path(environ.get("EXCHANGE_INSTANCE_DIR") or instance_path).resolve()

    secret = environ.get("EXCHANGE_SECRET_KEY", "")
    is_development = False
    if not secret:
        if not (debug or testing):
            raise ConfigError(
                "EXCHANGE_SECRET_KEY is not set. Set it to a long random value "
                "(for example: python3 -c 'import secrets; print(secrets.token_urlsafe(48))'); "
                "only a debug or test run may start without it."
            )
        secret, is_development = DEVELOPMENT_SECRET, True

    database_url = environ.get("EXCHANGE_DATABASE_URL") or f"sqlite:///{instance_dir / 'exchange.db'}"

    config_dir = environ.get("EXCHANGE_PARTNER_CONFIG_DIR")
    partner_config_dir = Path(config_dir).resolve() if config_dir else bundled("partner_configs")

    home = environ.get("EXCHANGE_HOME_REGIONS", "").strip()
    home_regions = None
    if home:
        codes = [code.strip() for code in home.split(",") if code.strip()]
        bad = [code for code in codes if not (len(code) == 6 and code.isdigit())]
        if bad:
            raise ConfigError(f"EXCHANGE_HOME_REGIONS: {', '.join(bad)} is not a 6-digit region code")
        home_regions = frozenset(codes)

    today_override = None
    if environ.get("EXCHANGE_TODAY"):
        try:
            today_override = date.fromisoformat(environ["EXCHANGE_TODAY"].strip())
        except ValueError:
            raise ConfigError(f"EXCHANGE_TODAY must be a date YYYY-MM-DD, not {environ['EXCHANGE_TODAY']!r}") from None

    data_key = None
    if environ.get("EXCHANGE_DATA_KEY"):
        try:
            data_key = base64.b64decode(environ["EXCHANGE_DATA_KEY"], validate=True)
        except (binascii.Error, ValueError):
            raise ConfigError("EXCHANGE_DATA_KEY must be base64") from None
        if len(data_key) != 32:
            raise ConfigError(f"EXCHANGE_DATA_KEY must decode to 32 bytes, not {len(data_key)}")

    return Settings(
        session_idle_minutes=_whole(environ, "EXCHANGE_SESSION_IDLE_MINUTES", 30, 1, 24 * 60),
        session_max_hours=_whole(environ, "EXCHANGE_SESSION_MAX_HOURS", 12, 1, 24 * 30),
        proxy_hops=_whole(environ, "EXCHANGE_PROXY_HOPS", 0, 0, 5),
        redis_url=(environ.get("EXCHANGE_REDIS_URL") or "").strip() or None,
        database_url=normalise_database_url(database_url),
        secret_key=secret,
        secret_key_is_development=is_development,
        partner_config_dir=partner_config_dir,
        home_regions=home_regions,
        today_override=today_override,
        data_key=data_key,
        instance_dir=instance_dir,
    )


def from_environment(*, instance_path: str, debug: bool, testing: bool) -> Settings:
    return load_settings(dict(os.environ), instance_path=instance_path, debug=debug, testing=testing)


def _whole(environ: dict[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = (environ.get(name) or "").strip()
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit()) or not low <= int(raw) <= high:
        raise ConfigError(f"{name} must be a whole number from {low} to {high}, not {raw!r}")
    return int(raw)
