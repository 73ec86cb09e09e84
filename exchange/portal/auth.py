"""Session login for the portal: who is logged in, the pairing they work on, and the decorator
for pages that need a login."""
from __future__ import annotations

import functools
import inspect

from flask import g, redirect, request, session, url_for
from flask_babel import gettext as _

from exchange.accounts.models import User
from exchange.accounts.service import actor_for_user
from exchange.core.context import current_context
from exchange.core.errors import NotFound
from exchange.extensions import db
from exchange.portal.nav import Where


def session_actor(ctx):
    """The logged-in user as an Actor, or None."""
    if "actor" not in g:
        user_id = session.get("user_id")
        user = db.session.get(User, user_id) if user_id else None
        g.actor = actor_for_user(ctx, user) if user is not None and user.active else None
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
    """A page for logged-in users: called as view(actor, **url_args), with ctx=… too when the
    view names a `ctx` parameter (the page is the edge that hands the Context on)."""
    wants_context = "ctx" in inspect.signature(view).parameters

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        ctx = current_context()
        actor = session_actor(ctx)
        if actor is None:
            return redirect(url_for("portal.login", next=request.full_path if request.method == "GET" else None))
        if wants_context:
            kwargs["ctx"] = ctx
        return view(actor, *args, **kwargs)
    return wrapped


def current_pairing(ctx, actor):
    """The pairing the user works on: chosen with ?pairing=, remembered in the session."""
    pairings = ctx.pairings.of_region(actor.region)
    if not pairings:
        return None
    wanted = request.args.get("pairing") or session.get("pairing")
    chosen = next((p for p in pairings if p.id == wanted), pairings[0])
    session["pairing"] = chosen.id
    return chosen


def pairing_of(ctx, actor):
    """The current pairing of a page that needs one; a region in no pairing gets a clear page."""
    pairing = current_pairing(ctx, actor)
    if pairing is None:
        raise NotFound("no_pairing", _("Your region is in no pairing: ask the administrator to add one"))
    return pairing


def where(ctx, actor) -> Where:
    """Who is looking, from which pairing and side: once per request."""
    if "portal_where" not in g:
        pairing = current_pairing(ctx, actor)
        g.portal_where = Where(actor=actor, pairing=pairing, side=pairing.side_of(actor.region) if pairing else None)
    return g.portal_where
