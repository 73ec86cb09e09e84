"""/api/v1/pairings/{pairing_id}: follow-ups, the worklist and cases."""
from __future__ import annotations

from flask import Blueprint

from exchange.core.api import operation
from exchange.followups import cases, service
from exchange.followups.schemas import (CaseIn, CaseOut, CasePatch, CaseQuery, DueOut, DueQuery, FollowUpIn,
                                        FollowUpOut, FollowUpQuery)

bp = Blueprint("followups", __name__, url_prefix="/api/v1/pairings/<pairing_id>")
TAG = "Liaison station: follow-ups and cases"


def case_view(ctx, case) -> dict:
    out = {c: getattr(case, c) for c in ("id", "ref", "seeker_id", "kind", "summary", "amount_fen", "status",
                                          "opened_at", "resolved_at", "notes")}
    out["overdue"] = cases.is_overdue(case, ctx.clock.now())
    return out


@operation(bp, "/followups", "POST", summary="Log a follow-up (a correction is a new log)", tag=TAG,
           body=FollowUpIn, response=FollowUpOut, status=201)
def record_followup(actor, ctx, pairing_id, body):
    return service.record_followup(ctx, actor, pairing_id, body)


@operation(bp, "/followups", "GET", summary="Follow-up logs", tag=TAG, query=FollowUpQuery, response=FollowUpOut, paged=True)
def list_followups(actor, ctx, pairing_id, query):
    return service.list_followups(ctx, actor, pairing_id, query)


@operation(bp, "/followups/due", "GET", summary="The worklist: labourers due or overdue on a date", tag=TAG,
           query=DueQuery, response=DueOut)
def due(actor, ctx, pairing_id, query):
    """Most overdue first, then by due date and id (rules.md); `sort=risk` puts those at risk first."""
    return service.worklist(ctx, actor, pairing_id, query["as_of"] or ctx.clock.today(), sort=query["sort"])


@operation(bp, "/followups/<int:followup_id>", "GET", summary="One follow-up log", tag=TAG, response=FollowUpOut)
def get_followup(actor, ctx, pairing_id, followup_id):
    return service.get_followup(ctx, actor, pairing_id, followup_id)


@operation(bp, "/cases", "POST", summary="Open a case for the receiving county", tag=TAG, body=CaseIn, response=CaseOut,
           status=201)
def open_case(actor, ctx, pairing_id, body):
    return case_view(ctx, cases.open_case(ctx, actor, pairing_id, body))


@operation(bp, "/cases/<int:case_id>", "PATCH", summary="Move a case on (receiving staff)", tag=TAG, body=CasePatch,
           response=CaseOut)
def update_case(actor, ctx, pairing_id, case_id, body):
    return case_view(ctx, cases.update_case(ctx, actor, pairing_id, case_id, body["status"], body.get("note")))


@operation(bp, "/cases", "GET", summary="Cases (overdue=true: still open 48 hours after opening)", tag=TAG,
           query=CaseQuery, response=CaseOut, paged=True)
def list_cases(actor, ctx, pairing_id, query):
    page = cases.list_cases(ctx, actor, pairing_id, query)
    page.items = [case_view(ctx, c) for c in page.items]
    return page


@operation(bp, "/cases/<int:case_id>", "GET", summary="One case with its history", tag=TAG, response=CaseOut)
def get_case(actor, ctx, pairing_id, case_id):
    return case_view(ctx, cases.get_case(ctx, actor, pairing_id, case_id))
