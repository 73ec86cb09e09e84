"""Start-up: settings from EXCHANGE_* variables, refused clearly when wrong."""
from __future__ import annotations

import base64

import pytest

from exchange import StartupError, create_app
from exchange.config import DEVELOPMENT_SECRET, load_settings, normalise_database_url



def settings(**env):
    return load_settings(env, instance_path="/tmp/instance", debug=False, testing=False)


def test_a_missing_secret_key_stops_start_up_outside_debug_and_testing():
    with pytest.raises(Exception, match="EXCHANGE_SECRET_KEY is not set"):
        settings()
    with pytest.raises(StartupError, match="EXCHANGE_SECRET_KEY"):
        create_app({"EXCHANGE_INSTANCE_DIR": "/tmp/exchange-no-secret"})
    debug = load_settings({}, instance_path="/tmp/i", debug=True, testing=False)
    assert debug.secret_key == DEVELOPMENT_SECRET and debug.secret_key_is_development


@pytest.mark.parametrize("env, message", [
    ({"EXCHANGE_TODAY": "1.3.2026"}, "EXCHANGE_TODAY"),
    ({"EXCHANGE_DATA_KEY": "not base64!"}, "EXCHANGE_DATA_KEY must be base64"),
    ({"EXCHANGE_DATA_KEY": base64.b64encode(b"short").decode()}, "32 bytes"),
    ({"EXCHANGE_HOME_REGIONS": "510524,33082"}, "33082"),
])
def test_malformed_settings_are_named(env, message):
    with pytest.raises(Exception, match=message):
        settings(EXCHANGE_SECRET_KEY="s", **env)


def test_defaults_and_database_urls():
    s = settings(EXCHANGE_SECRET_KEY="s", EXCHANGE_HOME_REGIONS="510524, 330825", EXCHANGE_TODAY="2026-03-01")
    assert s.database_url == "sqlite:////tmp/instance/exchange.db"
    assert s.home_regions == {"510524", "330825"} and s.hosts("510524") and not s.hosts("440309")
    assert str(s.today_override) == "2026-03-01"
    assert normalise_database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
