"""Landing page, login, logout, each role's home page, and the layout every page shares (the
menu and header links features registered, the pairing chosen)."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, has_request_context, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from exchange.accounts.service import check_password
from exchange.core.context import current_context
from exchange.core.words import label
from exchange.portal.auth import login_required, login_user, logout_user, session_actor, where
from exchange.portal.nav import header_links, home_cards, home_sections, navigation

bp = Blueprint("portal", __name__)


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
            user = check_password(form.username.data.strip(), form.password.data)
            if user is not None:
                login_user(user)
                return redirect(_safe_next(request.args.get("next")))
        error = _("Wrong username or password")
    return render_template("portal/login.html", form=form, error=error)


@bp.route("/logout", methods=["GET", "POST"])
def logout():
    logout_user()
    return redirect(url_for("portal.index"))


@bp.get("/home")
@login_required
def home_page(actor, ctx):
    return home(ctx, actor)
