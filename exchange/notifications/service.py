"""Creating notifications (each occasion once) and sending them through the registered channels."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from flask_babel import gettext as _
from sqlalchemy import event, func, select, update
from sqlalchemy.exc import IntegrityError

from exchange.accounts.roles import Actor
from exchange.core.errors import Conflict
from exchange.core.pagination import Page, paginate
from exchange.core.scoping import get_visible, scoped
from exchange.extensions import db
from exchange.notifications.models import Notification

log = logging.getLogger("exchange.notifications")


@dataclass(frozen=True)
class Message:
    """What a channel is handed: a committed notification, as plain values."""
    id: int
    region: str
    role: str | None
    user_id: int | None
    kind: str
    message: str
    object_type: str | None
    object_id: int | None


class Channel(Protocol):
    name: str

    def send(self, message: Message) -> None: ...


class InApp:
    """The notification row is the message: users read it in the portal and the API."""
    name = "in_app"

    def send(self, message: Message) -> None:
        return None


CHANNELS: list[Channel] = [InApp()]
UNSENT = "exchange.notifications.unsent"


def channel(instance: Channel) -> Channel:
    """Registers another channel (an SMS gateway, e-mail); each new notification goes to all,
    once its transaction has committed — a reminder that was rolled back is never sent."""
    CHANNELS.append(instance)
    return instance


# Each unsent message is kept with the transactions it was created in (its savepoint and every
# one around it): a rollback of any of them takes the message with it, and the outermost commit
# sends what is left. (A released savepoint also fires after_commit: it is not the outermost.)
@event.listens_for(db.session, "after_soft_rollback")
def _forget_rolled_back(session, previous_transaction) -> None:
    if session.info.get(UNSENT):
        session.info[UNSENT] = [(m, chain) for m, chain in session.info[UNSENT]
                                if not any(t is previous_transaction for t in chain)]


@event.listens_for(db.session, "after_commit")
def _send_committed(session) -> None:
    if session.in_nested_transaction():
        return
    for message, _chain in session.info.pop(UNSENT, []):
        for ch in CHANNELS:
            try:
                ch.send(message)
            except Exception:  # a channel that fails must not lose the reminder itself (the row stays)
                log.exception("channel %s could not send notification %s", ch.name, message.id)


def notify(*, at: datetime, region: str, kind: str, message: str, role: str | None = None, user_id: int | None = None,
           pairing_id: str | None = None, object_type: str | None = None, object_id: int | None = None,
           dedupe_key: str | None = None, is_task: bool = False) -> Notification | None:
    """Adds a notification (made `at` that instant) in the caller's transaction; None when this
    occasion was notified."""
    if dedupe_key and db.session.scalar(select(Notification.id).where(Notification.dedupe_key == dedupe_key)):
        return None
    note = Notification(region=region, role=role, user_id=user_id, pairing_id=pairing_id, kind=kind, is_task=is_task,
                        object_type=object_type, object_id=object_id, message=message[:500], dedupe_key=dedupe_key,
                        created_at=at)
    try:
        with db.session.begin_nested():
            db.session.add(note)
    except IntegrityError:
        return None
    session = db.session()   # the scoped session's own Session (it knows its transactions)
    chain, transaction = [], session.get_nested_transaction() or session.get_transaction()
    while transaction is not None:
        chain.append(transaction)
        transaction = transaction.parent
    session.info.setdefault(UNSENT, []).append((Message(
        id=note.id, region=note.region, role=note.role, user_id=note.user_id, kind=note.kind, message=note.message,
        object_type=note.object_type, object_id=note.object_id), chain))
    return note


def list_notifications(actor: Actor, query: dict[str, Any]) -> Page:
    stmt = scoped(Notification, actor)
    if query.get("unread"):
        stmt = stmt.where(Notification.read_at.is_(None))
    if query.get("tasks") is not None:
        stmt = stmt.where(Notification.is_task == query["tasks"])
    if query.get("open_tasks"):
        stmt = stmt.where(Notification.is_task.is_(True), Notification.done_at.is_(None))
    return paginate(stmt, Notification, limit=query["limit"], cursor=query["cursor"])


def mark(ctx, actor: Actor, notification_id: int, *, done: bool) -> Notification:
    note = get_visible(Notification, notification_id, actor)
    now = ctx.clock.now()
    if done:
        if not note.is_task:
            raise Conflict("not_a_task", _("Only a task can be done"))
        db.session.execute(update(Notification).where(Notification.id == note.id, Notification.done_at.is_(None))
                           .values(done_at=now, read_at=note.read_at or now))
    else:
        db.session.execute(update(Notification).where(Notification.id == note.id, Notification.read_at.is_(None))
                           .values(read_at=now))
    db.session.commit()
    db.session.refresh(note)
    return note


def unread_count(actor: Actor) -> int:
    return db.session.scalar(select(func.count()).select_from(scoped(Notification, actor).where(
        Notification.read_at.is_(None)).subquery())) or 0
