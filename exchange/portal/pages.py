"""Landing page, login, logout, each role's home page, and the layout every page shares (the
menu and header links features registered, the pairing chosen)."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, Flask, flash, g, has_request_context, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import Schema, fields, validate
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from exchange.accounts import passwords
from exchange.accounts import service as accounts
from exchange.accounts.roles import ADMIN
from exchange.accounts.service import log_in
from exchange.core.i18n import _l
from exchange.core.context import current_context
from exchange.core.words import label
from exchange.portal.auth import for_auditors, login_required, login_user, logout_user, session_actor, where
from exchange.portal.forms import attempt, flash_errors, load_form
from exchange.portal.nav import header_links, home_cards, home_sections, nav_item, navigation

bp = Blueprint("portal", __name__)
nav_item("portal.users", _l("Users"), order=950, shown=lambda where: where.role == ADMIN)


class LoginForm(FlaskForm):
    username = StringField("username", validators=[DataRequired(), Length(max=64)])
    password = PasswordField("password", validators=[DataRequired(), Length(max=256)])


@bp.app_context_processor
def layout():
    if not has_request_context() or request.path.startswith(("/api/", "/feeds/")):
        return {}   # printed documents and API answers have no menu
    ctx = current_context()
    actor = session_actor(ctx)
    if actor is None:
        return {"actor": None}
    here = where(ctx, actor)
    return {"actor": actor, "pairing": here.pairing, "side": here.side, "where": here,
            "nav": [{"endpoint": "portal.home_page", "label": _("Home")}] + [
                {"endpoint": item.endpoint, "label": item.label} for item in navigation(here)],
            "header_links": header_links(ctx, actor), "pairings": ctx.pairings.of_region(actor.region),
            "region_name": ctx.pairings.regions().get(actor.region),
            # the clerk of this side: the one who builds lists, records results and arrivals
            "clerk": here.clerk()}


@bp.get("/")
def index():
    ctx = current_context()
    actor = session_actor(ctx)
    if actor is None:
        return render_template("portal/landing.html", pairings=list(ctx.pairings))
    return home(ctx, actor)


def home(ctx, actor):
    here = where(ctx, actor)
    if actor.audit_only:      # an auditor's home is the first page of their menu: the trail, nothing of the business
        pages = navigation(here)
        if pages:
            return redirect(url_for(pages[0].endpoint))
        return render_template("portal/home.html", role_label=label(actor.role), cards=[], sections=[])
    return render_template("portal/home.html", role_label=label(actor.role), cards=home_cards(ctx, here),
                           sections=home_sections(ctx, here))


def _safe_next(target: str | None) -> str:
    """Only a path on this site: a login link must not send people elsewhere."""
    if not target:
        return url_for("portal.index")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("portal.index")
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    error = None
    if request.method == "POST":
        # Flask-WTF has already refused a POST without a valid CSRF token (400).
        if form.validate_on_submit():
            ctx = current_context()
            user = log_in(ctx, form.username.data.strip(), form.password.data, address=request.remote_addr)
            if user is not None:
                login_user(ctx, user)
                return redirect(_safe_next(request.args.get("next")))
        g.login_failed = True
        # One answer for a wrong name, a wrong password and a locked account: none tells which.
        error = _("Wrong username or password — or too many attempts: then wait 15 minutes, or ask the administrator")
    return render_template("portal/login.html", form=form, error=error)


FAILED_LOGINS_PER_ADDRESS = "30 per 15 minutes"


def throttle_logins(app: Flask, storage_uri: str) -> Limiter:
    """Failed logins from one client address (behind the configured proxies, the client's own)
    are counted in `storage_uri` (Redis when configured, shared by every worker; memory otherwise);
    past the limit the login form answers 429 for a while, whichever account is tried."""
    limiter = Limiter(get_remote_address, app=app, storage_uri=storage_uri, swallow_errors=True,
                      in_memory_fallback_enabled=True, headers_enabled=False)
    app.view_functions["portal.login"] = limiter.limit(
        FAILED_LOGINS_PER_ADDRESS, methods=["POST"], deduct_when=lambda _response: g.get("login_failed", False),
        error_message=lambda: _("Too many failed logins from this address: wait 15 minutes and try again"),
    )(app.view_functions["portal.login"])
    return limiter


@bp.get("/logout")
def logout_page():
    """A link cannot log anyone out: this page asks, and its button posts (with the CSRF token)."""
    if session_actor(current_context()) is None:
        return redirect(url_for("portal.index"))
    return render_template("portal/logout.html")


@bp.post("/logout")
def logout():
    logout_user(current_context())
    return redirect(url_for("portal.index"))


@bp.get("/home")
@login_required
@for_auditors
def home_page(actor, ctx):
    return home(ctx, actor)


class PasswordForm(Schema):
    current_password = fields.String(required=True, validate=validate.Length(1, 256))
    new_password = fields.String(required=True, validate=validate.Length(1, 256))
    repeat_password = fields.String(required=True, validate=validate.Length(1, 256))


@bp.route("/account", methods=["GET", "POST"])
@login_required
@for_auditors
def account(actor, ctx):
    """One's own account: who, which role, and changing the password (which ends every other
    session of theirs: a phone left logged in somewhere is logged out)."""
    if request.method == "POST":
        data, errors = load_form(PasswordForm())
        if data is None:
            flash_errors(errors)
        elif data["new_password"] != data["repeat_password"]:
            flash(_("The two new passwords differ"), "error")
        elif attempt(lambda: accounts.change_password(ctx, actor, data["current_password"], data["new_password"],
                                                      session_id=g.get("session_id")),
                     _("Password changed; every other session of yours has ended")):
            return redirect(url_for("portal.account"))
    return render_template("portal/account.html", user=g.user, role_label=label(actor.role),
                           min_length=passwords.MIN_LENGTH)


@bp.get("/users")
@login_required
def users(actor, ctx):
    people = accounts.users_of_region(actor)
    return render_template("portal/users.html", people=people, locked={u.id for u in people if accounts.is_locked(ctx, u)},
                           failures={u.id: accounts.recent_failures(ctx, u) for u in people})


@bp.post("/users/<int:user_id>/unlock")
@login_required
def user_unlock(actor, ctx, user_id):
    attempt(lambda: accounts.unlock(ctx, actor, user_id), _("Unlocked: the user can log in again"))
    return redirect(url_for("portal.users"))
