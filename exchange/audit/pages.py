"""The audit trail in the portal (administrators and auditors): filter, sort, count, page and
export to xlsx; and on a person's page, who handled their identity."""
from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import false

from exchange.accounts.roles import ADMIN, AUDITOR
from exchange.accounts.service import names_of
from exchange.audit import service
from exchange.audit.schemas import TrailQuery
from exchange.core import audit
from exchange.core.audit import AuditEntry
from exchange.core.clock import iso_local
from exchange.core.files_response import xlsx_response
from exchange.core.i18n import _l, record_language
from exchange.core.sheets import workbook
from exchange.extensions import db
from exchange.portal.auth import for_auditors, login_required
from exchange.portal.forms import load_form
from exchange.portal.nav import Section, Where, nav_item, seeker_section

bp = Blueprint("audit_pages", __name__)
nav_item("audit_pages.trail", _l("Audit trail"), order=960, shown=lambda where: where.role in (ADMIN, AUDITOR),
         auditors=True)

FILTERS = ("user", "action", "object_type", "object_id", "from", "to", "sort")   # what a page link carries on
PER_PAGE = 50
EXPORT_LIMIT = 100_000     # rows in one xlsx; narrow the filter for more
SORTS = {"newest": (AuditEntry.at.desc(), AuditEntry.id.desc()), "oldest": (AuditEntry.at, AuditEntry.id),
         "user": (AuditEntry.username, AuditEntry.at.desc()), "action": (AuditEntry.action, AuditEntry.at.desc())}


@bp.get("/audit", endpoint="trail")
@login_required
@for_auditors
def trail_page(actor, ctx):
    filters, errors = load_form(TrailQuery(), request.args, limit=PER_PAGE)
    filters = filters or {}
    stmt = service.trail(actor, filters)
    if errors:      # a filter that cannot be read shows nothing rather than everything
        stmt = stmt.where(false())
    sort = request.args.get("sort") if request.args.get("sort") in SORTS else "newest"
    total = service.count(stmt)
    if request.args.get("format") == "xlsx":
        return xlsx_response(_export(ctx, actor, stmt.order_by(*SORTS[sort]), filters, total), "audit.xlsx")
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), pages)
    entries = db.session.scalars(stmt.order_by(*SORTS[sort]).offset((page - 1) * PER_PAGE).limit(PER_PAGE)).all()
    query = {k: v for k, v in request.args.items() if k in FILTERS and v}
    return render_template("audit/trail.html", entries=entries, total=total, page=page, pages=pages, sort=sort,
                           sorts=SORTS, query=query, errors=errors or {}, actions=service.actions_of(actor),
                           action_label=service.action_label, object_label=service.object_label, names=names_of({e.user_id for e in entries}),
                           pages_url=lambda n: url_for("audit_pages.trail", **{**query, "page": n}))


def _export(ctx, actor, stmt, filters, total) -> bytes:
    """Every matching entry (up to EXPORT_LIMIT), in Chinese whatever the screen's language; the
    export is itself an entry of the trail."""
    entries = db.session.scalars(stmt.limit(EXPORT_LIMIT)).all()
    with record_language():
        headers = [_("Time"), _("Region"), _("User"), _("Action"), _("What happened"), _("Object"), _("Object id"),
                   _("Details"), _("Place in the chain")]
        rows = [[(iso_local(e.at) or "")[:19].replace("T", " "), e.region, e.username, e.action,
                 service.action_label(e.action), service.object_label(e.object_type), e.object_id or "",
                 ", ".join(f"{k}={v}" for k, v in sorted((e.details or {}).items())), e.seal_seq or ""]
                for e in entries]
        body = workbook(_("Audit trail"), headers, rows)
    shown = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in filters.items()
             if k not in ("limit", "cursor", "ref") and v}
    audit.record(actor, "audit.exported", "audit_log", None, at=ctx.clock.now(), rows=len(rows), matching=total,
                 filters=shown)
    db.session.commit()
    return body


@seeker_section(order=90)
def access_record(ctx, here: Where, person: dict) -> Section | None:
    """Who revealed, exported, printed or disclosed the person's identity, to answer the person's
    own question (a partner county sees what its own people did)."""
    if here.actor.role not in service.ACCESS_READERS:
        return None
    _seeker, stmt = service.person_access(here.actor, person["id"])
    entries = db.session.scalars(stmt.limit(100)).all()
    return Section("audit/_access.html", {"rows": service.access_rows(ctx, entries), "kinds": service.KIND_LABELS})
