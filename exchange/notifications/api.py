"""/api/v1/notifications: the caller's notifications and tasks."""
from __future__ import annotations

from flask import Blueprint

from exchange.core.api import operation
from exchange.notifications import service
from exchange.notifications.schemas import NotificationOut, NotificationQuery

bp = Blueprint("notifications", __name__, url_prefix="/api/v1/notifications")
TAG = "Notifications"


@operation(bp, "", "GET", summary="My notifications and tasks", tag=TAG, query=NotificationQuery,
           response=NotificationOut, paged=True)
def list_notifications(actor, query):
    return service.list_notifications(actor, query)


@operation(bp, "/<int:notification_id>/read", "POST", summary="Mark a notification read", tag=TAG,
           response=NotificationOut)
def read_notification(actor, ctx, notification_id):
    return service.mark(ctx, actor, notification_id, done=False)


@operation(bp, "/<int:notification_id>/done", "POST", summary="Mark a task done", tag=TAG,
           response=NotificationOut)
def finish_task(actor, ctx, notification_id):
    return service.mark(ctx, actor, notification_id, done=True)
