"""Notifications in the browser: the list, read and done, the unread count in the header and the
open ones at the top of the home page."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for

from exchange.core.i18n import _l
from exchange.notifications import service
from exchange.portal.auth import login_required
from exchange.portal.forms import attempt
from exchange.portal.nav import Section, header_link, home_section

bp = Blueprint("notifications_pages", __name__)
header_link("notifications_pages.notifications", _l("Notifications"), order=10,
            badge=lambda ctx, actor: service.unread_count(actor))


@home_section(order=10)
def open_notifications(ctx, where) -> Section | None:
    page = service.list_notifications(where.actor, {"limit": 10, "cursor": None, "unread": True, "ref": None})
    return Section("notifications/_home.html", {"tasks": page.items}) if page.items else None


@bp.get("/notifications")
@login_required
def notifications(actor):
    page = service.list_notifications(actor, {"limit": 100, "cursor": request.args.get("cursor"), "ref": None})
    return render_template("notifications/notifications.html", page=page)


@bp.post("/notifications/<int:notification_id>/<any(read, done):action>")
@login_required
def notification_mark(actor, ctx, notification_id, action):
    attempt(lambda: service.mark(ctx, actor, notification_id, done=action == "done"))
    return redirect(request.referrer or url_for("notifications_pages.notifications"))
