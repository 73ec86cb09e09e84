"""/api/v1/audit: the trail, for administrators and auditors; /api/v1/seekers/{id}/access-log:
who revealed, exported, printed or disclosed one person's identity, when and why."""
from __future__ import annotations

from flask import Blueprint

from exchange.audit import service
from exchange.audit.schemas import AccessOut, EntryOut, TrailQuery
from exchange.core.api import operation
from exchange.core.audit import AuditEntry
from exchange.core.pagination import ListQuery, Page, paginate

bp = Blueprint("audit", __name__, url_prefix="/api/v1")
TAG = "Audit"


@operation(bp, "/audit", "GET", summary="The audit trail of the caller's region, oldest first", tag=TAG,
           query=TrailQuery, response=EntryOut, paged=True, auditors=True,
           description="For administrators and security auditors. Every entry is sealed into a keyed hash "
                       "chain within a minute; `exchange audit verify` checks the chain.")
def list_trail(actor, ctx, query):
    return paginate(service.trail(actor, query), AuditEntry, limit=query["limit"], cursor=query["cursor"])


@operation(bp, "/seekers/<int:seeker_id>/access-log", "GET", tag=TAG, query=ListQuery, response=AccessOut,
           paged=True, auditors=True,
           summary="Who revealed, exported, printed or disclosed this person's identity, when and why")
def access_log(actor, ctx, query, seeker_id):
    _seeker, entries = service.person_access(actor, seeker_id)
    page = paginate(entries.order_by(None), AuditEntry, limit=query["limit"], cursor=query["cursor"])
    return Page(items=service.access_rows(ctx, page.items), next_cursor=page.next_cursor)

