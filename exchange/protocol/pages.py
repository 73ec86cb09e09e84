"""The administrator's page of the partner feed: where it stands, pull now, the quarantine."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from exchange.accounts.roles import ADMIN
from exchange.core.i18n import _l
from exchange.portal.auth import login_required, pairing_of
from exchange.portal.forms import attempt
from exchange.portal.nav import nav_item
from exchange.protocol import service

bp = Blueprint("protocol_pages", __name__)
nav_item("protocol_pages.feeds", _l("Feeds"), order=900, shown=lambda where: where.role == ADMIN)


@bp.get("/feeds")
@login_required
def feeds(actor, ctx):
    pairing = pairing_of(ctx, actor)
    status = service.feed_status(ctx, actor, pairing.id)
    return render_template("protocol/feeds.html", status=status, regions=ctx.pairings.regions())


@bp.post("/feeds/sync")
@login_required
def feeds_sync(actor, ctx):
    pairing = pairing_of(ctx, actor)
    result = attempt(lambda: service.sync(ctx, actor, pairing.id))
    if result:
        flash(_("%(n)s event(s) applied", n=result["applied"]), "ok" if not result["errors"] else "error")
        for error in result["errors"]:
            flash(error, "error")
    return redirect(url_for("protocol_pages.feeds"))


@bp.post("/feeds/quarantine/<int:quarantine_id>/<any(retry, skip):action>")
@login_required
def feeds_quarantine(actor, ctx, quarantine_id, action):
    pairing = pairing_of(ctx, actor)
    if action == "retry":
        attempt(lambda: service.retry_quarantined(ctx, actor, pairing.id, quarantine_id), _("Applied again"))
    else:
        attempt(lambda: service.skip_quarantined(ctx, actor, pairing.id, quarantine_id), _("Skipped"))
    return redirect(url_for("protocol_pages.feeds"))
