"""Notifications reach the channels only once their transaction has committed."""
from __future__ import annotations

from datetime import datetime, timezone

from tests.factories import SENDING


def test_other_channels_hear_of_a_notification_only_once_it_is_committed(station, app):
    from exchange.extensions import db
    from exchange.notifications import service as notifications
    heard = []

    class Pager:
        name = "pager"

        def send(self, message):
            heard.append(message.message)
    notifications.CHANNELS.append(Pager())
    try:
        with app.app_context():
            notifications.notify(at=datetime.now(timezone.utc), region=SENDING, kind="test", message="rolled back")
            db.session.rollback()
            notifications.notify(at=datetime.now(timezone.utc), region=SENDING, kind="test", message="kept")
            try:                                   # a savepoint that fails later in the same transaction…
                with db.session.begin_nested():
                    notifications.notify(at=datetime.now(timezone.utc), region=SENDING, kind="test", message="in the failed savepoint")
                    raise RuntimeError("a handler failed")
            except RuntimeError:
                pass
            with db.session.begin_nested():        # …and one that succeeds
                notifications.notify(at=datetime.now(timezone.utc), region=SENDING, kind="test", message="in a savepoint kept")
            assert heard == []                     # not before the commit
            db.session.commit()
        assert heard == ["kept", "in a savepoint kept"]
    finally:
        notifications.CHANNELS.pop()
