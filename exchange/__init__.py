"""The 东西部劳务协作 exchange: create_app() builds the service for one instance."""
from __future__ import annotations

import logging
import os
import pkgutil
from importlib import import_module
from importlib.util import find_spec
from typing import Mapping

from flask import Blueprint, Flask, has_request_context, jsonify, render_template, request
from flask.sessions import SecureCookieSessionInterface
from sqlalchemy import event
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from exchange.config import ConfigError, load_settings
from exchange.core.clock import Clock
from exchange.core.context import Context, install
from exchange.core.crypto import DataCipher
from exchange.core.errors import DomainError
from exchange.core.headers import install_security_headers
from exchange.core.fields import MAX_ID
from exchange.core.i18n import html_lang, select_locale
from exchange.core.logging import install_redaction
from exchange.core.safejson import JSONProvider
from exchange.extensions import babel, csrf, db, migrate
from exchange.pairings.config import PairingConfigError, load_pairings
from exchange.paths import bundled

__version__ = "0.1.0"
MAX_REQUEST_BYTES = 25 * 1024 * 1024
log = logging.getLogger("exchange")

# Every package of exchange/ but core is a feature. These modules of a feature are found by their
# names: api.py and pages.py hang their blueprints on the app (API blueprints take bearer tokens,
# so no CSRF); handlers.py registers how the partner's events are applied, timeline.py what it
# adds to a person's timeline, jobs.py its scheduled jobs. Menu entries and home-page cards are
# registered by pages.py itself (exchange.portal.nav). A new feature is a new package, placed in
# the layers of pyproject.toml.
PARTS = ("api", "pages", "handlers", "timeline", "jobs")


class StartupError(Exception):
    """The instance cannot start; the message says what to fix."""


def create_app(environ: Mapping[str, str] | None = None, *, testing: bool = False) -> Flask:
    app = Flask(__name__, template_folder=str(bundled("templates")), static_folder="static")
    environ = dict(os.environ if environ is None else environ)
    try:
        settings = load_settings(environ, instance_path=app.instance_path, debug=app.debug, testing=testing)
        pairings = load_pairings(settings.partner_config_dir)
    except (ConfigError, PairingConfigError) as exc:
        raise StartupError(str(exc)) from None
    if settings.secret_key_is_development:
        log.warning("EXCHANGE_SECRET_KEY is not set: using a development secret (never do this in production)")

    settings.instance_dir.mkdir(parents=True, exist_ok=True)
    app.config.update(
        TESTING=testing,
        SECRET_KEY=settings.secret_key,
        SQLALCHEMY_DATABASE_URI=settings.database_url,
        SQLALCHEMY_ENGINE_OPTIONS=_engine_options(settings.database_url),
        MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES,
        # A page's form may carry a row per person of a batch or a proposal (tens of thousands).
        MAX_FORM_MEMORY_SIZE=MAX_REQUEST_BYTES,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_HTTPONLY=True,
        WTF_CSRF_TIME_LIMIT=None,
        BABEL_DEFAULT_LOCALE="zh_CN",
        BABEL_DEFAULT_TIMEZONE="Asia/Shanghai",
        JSON_SORT_KEYS=False,
        EXCHANGE_VERSION=__version__,
    )
    app.json = JSONProvider(app)
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    context = Context(settings=settings, pairings=pairings, cipher=DataCipher(settings.data_key, settings.secret_key),
                      clock=Clock(settings.today_override), secrets=_pairing_secrets(pairings, environ))
    missing = [p for p in pairings if context.is_remote(p) and not context.secrets[p.id].current]
    if missing:
        raise StartupError("; ".join(
            f"pairing {p.id} has its partner on another instance but the variable {p.secret_env} "
            f"(the shared feed secret, see {p.path.name if p.path else 'its file'}) is not set" for p in missing))
    install(app, context)

    import exchange.models  # noqa: F401  (every table on the metadata)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(bundled("migrations")), compare_type=True)
    babel.init_app(app, locale_selector=select_locale)
    csrf.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            _configure_sqlite(db.engine)

    # An <int:…> in a path matches only what fits an id column: /seekers/99999999999 is not found,
    # instead of an integer overflow in PostgreSQL.
    app.url_map.converters["int"] = BoundedInt
    if settings.proxy_hops:
        # Behind the documented reverse proxy: the client's address and scheme are the proxy's to tell.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.proxy_hops, x_proto=settings.proxy_hops,
                                x_host=settings.proxy_hops, x_port=settings.proxy_hops)
    app.session_interface = SessionCookie()
    install_security_headers(app)
    _register_blueprints(app)
    from exchange.portal.pages import throttle_logins
    throttle_logins(app, settings.redis_url or "memory://")
    _register_error_handlers(app)
    _register_template_helpers(app)
    from exchange.cli import register_commands
    register_commands(app)
    install_redaction()
    return app


class SessionCookie(SecureCookieSessionInterface):
    """The session cookie is Secure whenever the request came over HTTPS (directly, or through a
    trusted proxy that said so): a cookie sent back over plain HTTP could be read on the way."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or (has_request_context() and request.is_secure)


class BoundedInt(IntegerConverter):
    def __init__(self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = MAX_ID,
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def _pairing_secrets(pairings, environ: Mapping[str, str]) -> dict:
    from exchange.protocol.signing import Secrets
    return {p.id: Secrets(current=environ.get(p.secret_env) or None,
                          previous=environ.get(p.secret_env + "_PREVIOUS") or None) for p in pairings}


def _engine_options(url: str) -> dict:
    if url.startswith("sqlite"):
        return {"connect_args": {"timeout": 30, "check_same_thread": False}}
    return {"pool_pre_ping": True, "pool_size": 5, "max_overflow": 10}


def _configure_sqlite(engine) -> None:
    """WAL, foreign keys and a busy timeout on every connection; write transactions start with
    BEGIN IMMEDIATE so two writers queue instead of failing when a read lock is upgraded."""

    @event.listens_for(engine, "connect")
    def _on_connect(connection, _record):
        connection.isolation_level = None
        cursor = connection.cursor()
        for pragma in ("journal_mode=WAL", "foreign_keys=ON", "busy_timeout=30000", "synchronous=NORMAL"):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()
        from exchange.core.sqldates import register_sqlite_functions
        register_sqlite_functions(connection)

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def features() -> list[str]:
    return sorted(module.name for module in pkgutil.iter_modules(__path__)
                  if module.ispkg and module.name != "core" and not module.name.startswith("_"))


def _register_blueprints(app: Flask) -> None:
    from exchange.core.openapi import bp as openapi_bp
    from exchange.protocol.feeds import bp as feeds_bp

    for blueprint in (openapi_bp, feeds_bp):
        csrf.exempt(blueprint)   # the feed is signed, the OpenAPI document only read
        app.register_blueprint(blueprint)
    for feature in features():
        for part in PARTS:
            name = f"exchange.{feature}.{part}"
            if find_spec(name) is None:
                continue
            module = import_module(name)
            for blueprint in (value for value in vars(module).values() if isinstance(value, Blueprint)):
                if part == "api":
                    csrf.exempt(blueprint)   # bearer tokens, no cookies: nothing to forge
                if blueprint.name not in app.blueprints:
                    app.register_blueprint(blueprint)


def _wants_json() -> bool:
    return request.path.startswith(("/api/", "/feeds/"))


def _register_error_handlers(app: Flask) -> None:
    from flask_wtf.csrf import CSRFError

    def page(status: int, title: str, message: str):
        return render_template("error.html", status=status, title=title, message=message), status

    @app.before_request
    def refuse_nul_characters():
        # No database column stores a NUL character (PostgreSQL refuses it outright): a query or
        # form that carries one is told so, before it reaches a query. JSON bodies: core.api.load.
        from flask_babel import gettext as _
        from exchange.core.errors import Invalid
        if request.path.startswith("/feeds/"):
            return None   # the feed answers its own way, in the contract's order (signed 400 bad_request)
        pairs = list(request.args.items(multi=True))
        if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            pairs += list(request.form.items(multi=True))
        bad = sorted({str(key) for key, value in pairs if "\x00" in str(key) or "\x00" in str(value)})
        if bad:
            raise Invalid(message=_("Text may not contain a NUL character"),
                          details=[{"field": key.replace("\x00", ""), "code": "bad_value",
                                    "message": _("Text may not contain a NUL character")} for key in bad])

    @app.errorhandler(DomainError)
    def domain_error(exc: DomainError):
        db.session.rollback()
        if _wants_json():
            return jsonify(exc.to_dict()), exc.status
        from exchange.core.words import field_label
        details = "；".join(f"{field_label(d.get('field'))}：{d.get('message')}" for d in exc.details)
        return page(exc.status, exc.code, f"{exc.message}{'：' + details if details else ''}")

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        db.session.rollback()
        if _wants_json():
            return jsonify({"error": {"code": "bad_request", "message": exc.description}}), 400
        from flask_babel import gettext as _
        return page(400, "csrf", _("The form expired or was not sent from this site. Go back, reload the page and try again."))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        db.session.rollback()
        code = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
                405: "method_not_allowed", 413: "too_large"}.get(exc.code, "http_error")
        if _wants_json():
            response = jsonify({"error": {"code": code, "message": exc.description or exc.name}})
            response.status_code = exc.code or 500
            if exc.code == 405 and hasattr(exc, "valid_methods") and exc.valid_methods:
                response.headers["Allow"] = ", ".join(exc.valid_methods)
            return response
        return page(exc.code or 500, exc.name, exc.description or exc.name)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        db.session.rollback()
        log.exception("unexpected error on %s %s", request.method, request.path)
        if _wants_json():
            return jsonify({"error": {"code": "internal_error", "message": "internal error; it has been logged"}}), 500
        return page(500, "internal_error", "系统内部错误，已记录。请稍后重试。")


def _register_template_helpers(app: Flask) -> None:
    from flask_babel import get_locale

    from exchange.core.money import fen_to_yuan

    @app.context_processor
    def inject():
        current = get_locale()
        locale = "zh_CN" if current is None or current.language == "zh" else current.language
        return {"html_lang": html_lang(locale), "locale": locale}

    app.jinja_env.filters["yuan"] = fen_to_yuan
    from exchange.core.clock import iso_local
    app.jinja_env.filters["local_time"] = lambda instant: (iso_local(instant) or "")[:16].replace("T", " ")
    from exchange.core.words import field_label, label
    app.jinja_env.globals["label"] = label
    app.jinja_env.globals["field_label"] = field_label

    def lang_url(code: str) -> str:
        """This page in another language: the same path and query, with ?lang= set."""
        from urllib.parse import urlencode
        return "?" + urlencode({**request.args.to_dict(), "lang": code})
    app.jinja_env.globals["lang_url"] = lang_url
    app.jinja_env.globals["choices"] = lambda words: [(word, label(word)) for word in words]

    def kind_name(kind: str, pairing_id: str | None = None) -> str:
        """A claim kind as people read it: the four shorthand programmes in the page's language,
        any other by the name the pairing file gives it."""
        from exchange.core.context import current_context
        from exchange.core.words import WORDS
        if kind in WORDS:
            return label(kind)
        pairing = current_context().pairings.get(pairing_id) if pairing_id else None
        return pairing.kind_labels.get(kind, kind) if pairing is not None else kind
    app.jinja_env.globals["kind_name"] = kind_name
