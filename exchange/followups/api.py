"""/api/v1/pairings/{pairing_id}: follow-ups, the worklist, cases and indicators; and
/api/v1/notifications."""
from __future__ import annotations

from flask import Blueprint

from exchange.core.api import operation
from exchange.core.models import utcnow
from exchange.core.runtime import runtime
from exchange.followups import cases, indicators, service
from exchange.followups.schemas import (CaseIn, CaseOut, CasePatch, CaseQuery, DueOut, DueQuery, FollowUpIn,
                                        FollowUpOut, FollowUpQuery, IndicatorQuery, IndicatorsOut, NotificationOut,
                                        NotificationQuery)
from exchange.notifications import service as notifications

bp = Blueprint("followups", __name__, url_prefix="/api/v1/pairings/<pairing_id>")
notes_bp = Blueprint("notifications", __name__, url_prefix="/api/v1/notifications")
TAG = "Liaison station: follow-ups and cases"


def case_view(case) -> dict:
    out = {c: getattr(case, c) for c in ("id", "ref", "seeker_id", "kind", "summary", "amount_fen", "status",
                                          "opened_at", "resolved_at", "notes")}
    out["overdue"] = cases.is_overdue(case, utcnow())
    return out


@operation(bp, "/followups", "POST", summary="Log a follow-up (a correction is a new log)", tag=TAG,
           body=FollowUpIn, response=FollowUpOut, status=201)
def record_followup(actor, pairing_id, body):
    return service.record_followup(actor, pairing_id, body, runtime().clock)


@operation(bp, "/followups", "GET", summary="Follow-up logs", tag=TAG, query=FollowUpQuery, response=FollowUpOut, paged=True)
def list_followups(actor, pairing_id, query):
    return service.list_followups(actor, pairing_id, query)


@operation(bp, "/followups/due", "GET", summary="The worklist: labourers due or overdue on a date", tag=TAG,
           query=DueQuery, response=DueOut)
def due(actor, pairing_id, query):
    """Most overdue first, then by due date and id (rules.md); `sort=risk` puts those at risk first."""
    return service.worklist(actor, pairing_id, query["as_of"] or runtime().clock.today(), sort=query["sort"])


@operation(bp, "/followups/<int:followup_id>", "GET", summary="One follow-up log", tag=TAG, response=FollowUpOut)
def get_followup(actor, pairing_id, followup_id):
    return service.get_followup(actor, pairing_id, followup_id)


@operation(bp, "/cases", "POST", summary="Open a case for the receiving county", tag=TAG, body=CaseIn, response=CaseOut,
           status=201)
def open_case(actor, pairing_id, body):
    return case_view(cases.open_case(actor, pairing_id, body, runtime().clock))


@operation(bp, "/cases/<int:case_id>", "PATCH", summary="Move a case on (receiving staff)", tag=TAG, body=CasePatch,
           response=CaseOut)
def update_case(actor, pairing_id, case_id, body):
    return case_view(cases.update_case(actor, pairing_id, case_id, body["status"], body.get("note"), runtime().clock))


@operation(bp, "/cases", "GET", summary="Cases (overdue=true: still open 48 hours after opening)", tag=TAG,
           query=CaseQuery, response=CaseOut, paged=True)
def list_cases(actor, pairing_id, query):
    page = cases.list_cases(actor, pairing_id, query)
    page.items = [case_view(c) for c in page.items]
    return page


@operation(bp, "/cases/<int:case_id>", "GET", summary="One case with its history", tag=TAG, response=CaseOut)
def get_case(actor, pairing_id, case_id):
    return case_view(cases.get_case(actor, pairing_id, case_id))


@operation(bp, "/indicators", "GET", summary="The indicators against targets and last year", tag="Indicators",
           query=IndicatorQuery, response=IndicatorsOut)
def get_indicators(actor, pairing_id, query):
    return indicators.indicators(actor, pairing_id, query["year"], runtime().clock)


@operation(notes_bp, "", "GET", summary="My notifications and tasks", tag="Notifications", query=NotificationQuery,
           response=NotificationOut, paged=True)
def list_notifications(actor, query):
    return notifications.list_notifications(actor, query)


@operation(notes_bp, "/<int:notification_id>/read", "POST", summary="Mark a notification read", tag="Notifications",
           response=NotificationOut)
def read_notification(actor, notification_id):
    return notifications.mark(actor, notification_id, done=False)


@operation(notes_bp, "/<int:notification_id>/done", "POST", summary="Mark a task done", tag="Notifications",
           response=NotificationOut)
def finish_task(actor, notification_id):
    return notifications.mark(actor, notification_id, done=True)
