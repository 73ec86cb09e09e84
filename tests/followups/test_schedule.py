"""The follow-up schedule is one rule: the plain function of followups.schedule, and the SQL the
worklist runs, held equal on random histories of logs (dates around the arrival, late entries,
every status, agreed next dates, corrections, Beijing days that are not UTC days)."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import delete

from exchange.core.clock import SHANGHAI, local_date
from exchange.core.context import current_context
from exchange.extensions import db
from exchange.followups.models import STATUSES, FollowUp
from exchange.followups.schedule import LastContact, due_on
from exchange.followups.service import worklist_query
from tests.factories import PAIRING, SENDING

ARRIVED = date(2026, 3, 31)     # both travellers of the station fixture, Beijing time
MADE = datetime(2026, 3, 1, tzinfo=timezone.utc)


def test_the_rule_in_words():
    a = ARRIVED
    assert due_on(a, None, 7, 30, 7) == date(2026, 4, 7)
    assert due_on(a, LastContact(date(2026, 4, 30), "employed", None), 7, 30, 7) == date(2026, 5, 30)
    assert due_on(a, LastContact(date(2026, 4, 30), "unreachable", None), 7, 30, 7) == date(2026, 5, 7)
    assert due_on(a, LastContact(date(2026, 4, 30), "employed", date(2026, 6, 15)), 7, 30, 7) == date(2026, 6, 15)
    assert due_on(a, LastContact(date(2026, 4, 30), "returned_home", None), 7, 30, 7) is None
    # A contact before the arrival (a returnee who went out again) leaves the schedule to the arrival.
    assert due_on(a, LastContact(date(2026, 3, 20), "returned_home", None), 7, 30, 7) == date(2026, 4, 7)


@st.composite
def logs(draw):
    """One person's logs, in the order they were entered: (contacted_at, status, next_due, corrects)."""
    out = []
    for _ in range(draw(st.integers(0, 5))):
        day = ARRIVED + timedelta(days=draw(st.integers(-20, 60)))
        at = datetime.combine(day, time(draw(st.sampled_from([0, 7, 12, 23])), draw(st.sampled_from([0, 30]))), SHANGHAI)
        next_due = draw(st.one_of(st.none(), st.integers(1, 40).map(lambda n, d=day: d + timedelta(days=n))))
        corrects = draw(st.one_of(st.none(), st.integers(0, len(out) - 1))) if out else None
        out.append((at, draw(st.sampled_from(STATUSES)), next_due, corrects))
    return out


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(people=st.tuples(logs(), logs()))
def test_the_worklist_sql_is_the_rule(station, app, people):
    _flow, _liaison, ids, _posting = station
    with app.app_context():
        pairing = current_context().pairings.get(PAIRING)
        db.session.execute(delete(FollowUp))
        db.session.commit()
        expected = {}
        for seeker_id, history in zip(ids[:2], people):
            rows = []
            for at, status, next_due, corrects in history:
                row = FollowUp(pairing_id=PAIRING, region=SENDING, seeker_id=seeker_id, method="phone", contacted_at=at,
                               status=status, next_due=next_due, corrects_id=rows[corrects].id if corrects is not None
                               else None, created_at=MADE)
                db.session.add(row)
                db.session.flush()
                rows.append(row)
            corrected = {row.corrects_id for row in rows}
            standing = [row for row in rows if row.id not in corrected]
            last = max(standing, key=lambda row: (row.contacted_at, row.id), default=None)
            contact = LastContact(local_date(last.contacted_at), last.status, last.next_due) if last else None
            cadence = pairing.followup
            expected[seeker_id] = due_on(ARRIVED, contact, cadence.first_contact_days, cadence.interval_days,
                                         cadence.after_bad_status_days)
        db.session.commit()
        found = {row.seeker_id: _day(row.due_on) for row in db.session.execute(worklist_query(pairing, date(2100, 1, 1)))}
        assert found == {seeker: day for seeker, day in expected.items() if day is not None}


def _day(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
