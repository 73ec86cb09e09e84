"""Real HTTP servers on 127.0.0.1 for feed tests: one app per region, each on its own database."""
from __future__ import annotations

import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from werkzeug.serving import make_server

from tests.conftest import PROJECT, base_environ

SECRET_ENV = "EXCHANGE_SECRET_XUYONG_LONGYOU"
SECRET = "test-feed-secret"


def at_once(calls: int, func):
    """`calls` calls of func in as many threads at once; their results."""
    with ThreadPoolExecutor(max_workers=calls) as pool:
        return [f.result() for f in [pool.submit(func) for _ in range(calls)]]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pairing_dir_with(folder: Path, extra: str) -> Path:
    """The shipped xuyong-longyou pairing with `extra` (say, [[programmes]]) appended."""
    folder.mkdir(parents=True, exist_ok=True)
    text = (PROJECT / "partner_configs" / "xuyong-longyou.toml").read_text(encoding="utf-8")
    (folder / "xuyong-longyou.toml").write_text(text + extra, encoding="utf-8")
    return folder


def pairing_dir(folder: Path, sending_url: str, receiving_url: str, extra: str = "") -> Path:
    """The shipped pairings, with xuyong-longyou's partner URLs pointing at the test servers (and
    `extra`, say [[programmes]], appended to it)."""
    folder.mkdir(parents=True, exist_ok=True)
    text = (PROJECT / "partner_configs" / "xuyong-longyou.toml").read_text(encoding="utf-8")
    text = text.replace('url = "http://127.0.0.1:5101"', f'url = "{sending_url}"').replace(
        'url = "http://127.0.0.1:5102"', f'url = "{receiving_url}"')
    (folder / "xuyong-longyou.toml").write_text(text + extra, encoding="utf-8")
    return folder


class Server:
    def __init__(self, app, port: int):
        self.app, self.port = app, port
        self.url = f"http://127.0.0.1:{port}"
        self._server = None

    def start(self):
        self._server = make_server("127.0.0.1", self.port, self.app, threaded=True)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


def make_instance(tmp_path: Path, name: str, database_url: str, config: Path, home: str, **env):
    from exchange import create_app
    from flask_migrate import upgrade

    environ = base_environ(tmp_path / name, database_url, EXCHANGE_PARTNER_CONFIG_DIR=str(config),
                           EXCHANGE_HOME_REGIONS=home, **{SECRET_ENV: SECRET, **env})
    app = create_app(environ, testing=True)
    if database_url.startswith("sqlite"):
        with app.app_context():
            upgrade()
    return app


@contextmanager
def two_instances(tmp_path: Path, sending_db: str, receiving_db: str, *, sending_env: dict | None = None,
                  receiving_env: dict | None = None, programmes: str = "", **env):
    ps, pr = free_port(), free_port()
    config = pairing_dir(tmp_path / "config", f"http://127.0.0.1:{ps}", f"http://127.0.0.1:{pr}", programmes)
    s_app = make_instance(tmp_path, "s", sending_db, config, "510524", **env, **(sending_env or {}))
    r_app = make_instance(tmp_path, "r", receiving_db, config, "330825", **env, **(receiving_env or {}))
    s, r = Server(s_app, ps).start(), Server(r_app, pr).start()
    try:
        yield s, r
    finally:
        s.stop()
        r.stop()
        from exchange.extensions import db
        for app in (s_app, r_app):
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
