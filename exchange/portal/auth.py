"""Session login for the portal: who is logged in (a server-side session the cookie names, see
accounts.sessions), the pairing they work on, and the decorator for pages that need a login."""
from __future__ import annotations

import functools
import inspect

from flask import g, redirect, request, session, url_for
from flask_babel import gettext as _

from exchange.accounts import sessions
from exchange.accounts.models import User
from exchange.accounts.service import actor_for_user
from exchange.core.context import current_context
from exchange.core.errors import Forbidden, NotFound
from exchange.portal.nav import Where

KEY = "sid"


def session_actor(ctx):
    """The logged-in user as an Actor, or None (the session ended, ran out, or never was)."""
    if "actor" not in g:
        found = sessions.user_of(ctx, session.get(KEY))
        user, g.session_id = found if found else (None, None)
        g.actor = actor_for_user(ctx, user) if user is not None else None
        g.user = user
        if found is None and KEY in session:
            session.pop(KEY)
    return g.actor


def login_user(ctx, user: User) -> None:
    """A new server-side session on every login (no fixation); one this browser held before
    ends, so a copy of the old cookie opens nothing."""
    sessions.end(ctx, session.get(KEY))
    lang = session.get("lang")
    session.clear()
    session[KEY] = sessions.start(ctx, user)
    if lang:
        session["lang"] = lang
    session.permanent = False


def logout_user(ctx) -> None:
    sessions.end(ctx, session.get(KEY), actor=session_actor(ctx))
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


def for_auditors(view):
    """Marks a page an auditor may open (under @login_required): the audit trail and their own
    account. An auditor reads the trail and nothing else."""
    view.for_auditors = True
    return view


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
        if actor.audit_only and not getattr(view, "for_auditors", False):
            raise Forbidden("forbidden", _("An auditor reads the audit trail and nothing else"))
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
