"""Session login for the portal: who is logged in, and a decorator for pages that need it."""
from __future__ import annotations

import functools

from flask import g, redirect, request, session, url_for

from exchange.accounts.models import User
from exchange.accounts.service import actor_for_user
from exchange.extensions import db


def session_actor():
    """The logged-in user as an Actor, or None."""
    if "actor" not in g:
        user_id = session.get("user_id")
        user = db.session.get(User, user_id) if user_id else None
        g.actor = actor_for_user(user) if user is not None and user.active else None
        g.user = user if g.actor else None
    return g.actor


def login_user(user: User) -> None:
    lang = session.get("lang")
    session.clear()  # a new session id on login: no fixation
    session["user_id"] = user.id
    if lang:
        session["lang"] = lang
    session.permanent = False


def logout_user() -> None:
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


def login_required(view):
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        actor = session_actor()
        if actor is None:
            return redirect(url_for("portal.login", next=request.full_path if request.method == "GET" else None))
        return view(actor, *args, **kwargs)
    return wrapped
