"""Landing page, login, logout and each role's home page."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from exchange.core.words import label
from exchange.accounts.service import check_password
from exchange.core.runtime import runtime
from exchange.portal.auth import login_required, login_user, logout_user, session_actor

bp = Blueprint("portal", __name__)


class LoginForm(FlaskForm):
    username = StringField("username", validators=[DataRequired(), Length(max=64)])
    password = PasswordField("password", validators=[DataRequired(), Length(max=256)])


@bp.get("/")
def index():
    actor = session_actor()
    if actor is None:
        return render_template("portal/landing.html", pairings=list(runtime().pairings))
    return home(actor)


def home(actor):
    from exchange.portal.home import home_cards, open_items
    return render_template("portal/home.html", role_label=label(actor.role),
                           cards=home_cards(actor), tasks=open_items(actor))


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
def home_page(actor):
    return home(actor)
