"""One app per test on a fresh database, on SQLite always and on PostgreSQL when
EXCHANGE_TEST_DATABASE_URL is set. The schema is built once per backend by the real
migrations; each test then gets a copy (SQLite) or emptied tables (PostgreSQL)."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from exchange import create_app
from exchange.config import normalise_database_url
from tests.factories import Api, Factory

PROJECT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("EXCHANGE_TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])
TEST_TODAY = "2026-03-01"


def base_environ(tmp_path: Path, database_url: str, **overrides: str) -> dict[str, str]:
    env = {
        "EXCHANGE_DATABASE_URL": database_url,
        "EXCHANGE_SECRET_KEY": "test-secret-key",
        "EXCHANGE_INSTANCE_DIR": str(tmp_path / "instance"),
        "EXCHANGE_PARTNER_CONFIG_DIR": str(PROJECT / "partner_configs"),
        "EXCHANGE_TODAY": TEST_TODAY,
        "PATH": os.environ.get("PATH", ""),
    }
    env.update({k: v for k, v in overrides.items() if v is not None})
    for key in [k for k, v in overrides.items() if v is None]:
        env.pop(key, None)
    return env


def _migrate(database_url: str, tmp_path: Path) -> None:
    from flask_migrate import upgrade

    app = create_app(base_environ(tmp_path, database_url), testing=True)
    with app.app_context():
        upgrade()
        from exchange.extensions import db
        db.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("sqlite-template")
    path = folder / "template.db"
    _migrate(f"sqlite:///{path}", folder)
    return path


@pytest.fixture(scope="session")
def postgres_url(tmp_path_factory) -> str:
    url = normalise_database_url(PG_URL)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    _migrate(url, tmp_path_factory.mktemp("pg-template"))
    return url


def _empty_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        tables = [r[0] for r in conn.execute(text(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'"))]
        if tables:
            conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        path = tmp_path / "exchange.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("postgres_url")
    _empty_postgres(url)
    return url


@pytest.fixture
def make_app(database_url, tmp_path):
    """make_app(EXCHANGE_TODAY=..., EXCHANGE_HOME_REGIONS=...) → an app on this test's database."""
    apps = []

    def build(**overrides):
        app = create_app(base_environ(tmp_path, database_url, **overrides), testing=True)
        apps.append(app)
        return app
    yield build
    from exchange.extensions import db
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield app


@pytest.fixture
def factory(app) -> Factory:
    return Factory(app)


@pytest.fixture
def api(app, factory):
    """api(role, region) → an Api client acting with a fresh user's token."""
    def make(role: str = "sending_staff", region: str = "510524", **kwargs) -> Api:
        _user, token = factory.user(role, region, **kwargs)
        return Api(app.test_client(), token)
    return make


@pytest.fixture
def station(api, factory):
    """Three labourers of the liaison station; two arrived on 2026-03-31 (tests.flow.station_of)."""
    from tests.flow import station_of
    return station_of(api, factory)


@pytest.fixture
def gunicorn(database_url, tmp_path):
    """A live gunicorn with four workers on this test's PostgreSQL database: (url, environment).
    Concurrency is tested there; SQLite serialises every write anyway."""
    import subprocess
    import sys
    import time

    import requests

    from tests.servers import free_port
    if not database_url.startswith("postgresql"):
        pytest.skip("concurrency is tested on PostgreSQL (set EXCHANGE_TEST_DATABASE_URL)")
    port = free_port()
    env = {**os.environ, **base_environ(tmp_path, database_url)}
    log = open(tmp_path / "gunicorn.log", "w")
    process = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "--workers", "4", "--bind",
                                f"127.0.0.1:{port}", "exchange.wsgi:app"], env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            requests.get(url + "/api/v1/openapi.json", timeout=1)
            break
        except requests.RequestException:
            time.sleep(0.2)
    yield url, env
    process.terminate()
    process.wait(10)
    log.close()
