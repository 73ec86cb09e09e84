"""The audit trail read by those who may (administrators and auditors of the region), filtered,
counted, paged and exported; and the keyed hash chain that shows an entry was changed, removed
or cut from the end."""
from __future__ import annotations

import io
import threading

import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import delete, select, update
from sqlalchemy.exc import OperationalError

from exchange.audit import chain
from exchange.core.audit import AuditEntry, ChainHead
from exchange.core.context import current_context
from exchange.extensions import db
from tests.clerk import Clerk
from tests.factories import RECEIVING, SENDING, seeker_body


def _entries(app, **filters):
    with app.app_context():
        return [e.action for e in db.session.scalars(select(AuditEntry).filter_by(**filters).order_by(AuditEntry.id))]


def _verify(app):
    return app.test_cli_runner().invoke(args=["audit", "verify"])


def _seal(app):
    result = app.test_cli_runner().invoke(args=["audit", "seal"])
    assert result.exit_code == 0, result.output
    return result.output


def test_administrators_and_auditors_read_their_regions_trail_and_nobody_else(api, factory):
    clerk = api("sending_staff", SENDING, username="clerk-a")
    clerk.post("/api/v1/seekers", seeker_body())
    factory.approved_employer(api("receiving_staff", RECEIVING))                     # the other region's
    for role in ("admin", "auditor"):
        status, page = api(role, SENDING).get("/api/v1/audit?user=clerk-a")
        assert status == 200, page
        assert [e["action"] for e in page["items"]] == ["seeker.registered"]
        assert {e["region"] for e in page["items"]} == {SENDING}
    status, page = api("auditor", SENDING).get("/api/v1/audit")
    assert RECEIVING not in {e["region"] for e in page["items"]}
    for role in ("sending_staff", "liaison_officer", "finance_approver"):
        status, body = api(role, SENDING).get("/api/v1/audit")
        assert (status, body["error"]["code"]) == (403, "forbidden"), role


def test_the_trail_filters_by_action_family_object_and_day(api, factory):
    clerk = api("sending_staff", SENDING, username="clerk-b")
    seeker = clerk.post("/api/v1/seekers", seeker_body())[1]
    clerk.post(f"/api/v1/seekers/{seeker['id']}/reveal", {"reason": "核对银行卡"})
    auditor = api("auditor", SENDING)
    revealed = auditor.get("/api/v1/audit?action=seeker.revealed")[1]["items"]
    assert [(e["object_type"], e["object_id"], e["details"]["reason"]) for e in revealed] == [("seeker", seeker["id"], "核对银行卡")]
    family = auditor.get("/api/v1/audit?action=seeker&user=clerk-b")[1]["items"]
    assert [e["action"] for e in family] == ["seeker.registered", "seeker.revealed"]
    assert len(auditor.get(f"/api/v1/audit?object_type=seeker&object_id={seeker['id']}")[1]["items"]) == 2
    today = family[0]["at"][:10]          # Beijing time, as the trail shows it
    assert len(auditor.get(f"/api/v1/audit?user=clerk-b&from={today}&to={today}")[1]["items"]) == 2
    assert auditor.get("/api/v1/audit?user=clerk-b&to=2020-01-01")[1]["items"] == []
    status, body = auditor.get("/api/v1/audit?from=2026-05-02&to=2026-05-01")
    assert status == 422 and body["error"]["details"][0]["field"] == "from"
    status, body = auditor.get("/api/v1/audit?from=0421-01-26")
    assert status == 422


def test_an_auditor_sees_the_trail_in_the_portal_and_exports_it(app, factory, api):
    clerk = api("sending_staff", SENDING, username="clerk-c")
    for _ in range(3):
        clerk.post("/api/v1/seekers", seeker_body())
    auditor = Clerk(app, factory, "auditor", SENDING)
    home = auditor.get("/home")
    assert home.status_code == 302 and home.headers["Location"].endswith("/audit")     # the trail is their home
    page = auditor.get("/audit?user=clerk-c").text
    assert "3 条记录" in page and "求职者登记" in page and "seeker.registered" in page
    assert auditor.get("/seekers").status_code == 403                                 # nothing of the business
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(auditor.get("/audit?user=clerk-c&format=xlsx").data)
                                           ).get_sheet_by_index(0).to_python()
    assert len(sheet) == 4 and sheet[1][2] == "clerk-c" and sheet[1][3] == "seeker.registered"
    [exported] = api("admin", SENDING).get("/api/v1/audit?action=audit.exported")[1]["items"]
    assert exported["username"] == auditor.user.username and exported["details"]["rows"] == 3
    assert auditor.get("/audit?endpoint=x&page=2&format=pdf").status_code == 200     # unknown arguments are ignored
    unreadable = auditor.get("/audit?from=bad")          # a filter that cannot be read shows nothing, and says why
    assert unreadable.status_code == 200 and 'class="message error"' in unreadable.text and "0 条记录" in unreadable.text


def test_a_sealed_trail_verifies_and_a_later_entry_joins_the_chain(app, api):
    api("sending_staff", SENDING).post("/api/v1/seekers", seeker_body())
    assert "written since the last seal" in _verify(app).output                    # not sealed yet: counted, fine
    _seal(app)
    result = _verify(app)
    assert result.exit_code == 0 and "intact" in result.output and "since the last seal" not in result.output
    api("sending_staff", SENDING).post("/api/v1/seekers", seeker_body())
    assert _seal(app).startswith("sealed ") and _verify(app).exit_code == 0
    with app.app_context():
        sequence = list(db.session.scalars(select(AuditEntry.seal_seq).order_by(AuditEntry.seal_seq)))
    assert sequence == list(range(1, len(sequence) + 1))


@pytest.mark.parametrize("tamper, says", [
    (lambda first: update(AuditEntry).where(AuditEntry.id == first).values(username="someone-else"), "changed"),
    (lambda first: delete(AuditEntry).where(AuditEntry.id == first + 1), "missing"),
    (lambda first: update(AuditEntry).where(AuditEntry.id == first).values(details={"reason": "重写"}), "changed"),
])
def test_verify_names_the_first_entry_that_does_not_fit(app, api, tamper, says):
    clerk = api("sending_staff", SENDING)
    for _ in range(4):
        clerk.post("/api/v1/seekers", seeker_body())
    _seal(app)
    with app.app_context():
        first = db.session.scalar(select(AuditEntry.id).where(AuditEntry.action == "seeker.registered").order_by(AuditEntry.id))
        db.session.execute(tamper(first))
        db.session.commit()
    result = _verify(app)
    assert result.exit_code == 1 and "NOT intact" in result.output and says in result.output
    bad = first if says == "changed" else first + 2
    assert f"entry {bad} " in result.output


def test_cutting_the_end_of_the_chain_is_noticed(app, api):
    clerk = api("sending_staff", SENDING)
    for _ in range(3):
        clerk.post("/api/v1/seekers", seeker_body())
    _seal(app)
    with app.app_context():
        last = db.session.scalar(select(AuditEntry.id).order_by(AuditEntry.seal_seq.desc()))
        db.session.execute(delete(AuditEntry).where(AuditEntry.id == last))
        db.session.commit()
    result = _verify(app)
    assert result.exit_code == 1 and "removed from its end" in result.output
    with app.app_context():     # nor can the head be moved back without the key
        db.session.execute(update(ChainHead).values(seal_seq=ChainHead.seal_seq - 1))
        db.session.commit()
    assert "head was altered" in _verify(app).output


def test_sealers_at_once_make_one_chain(app, api, database_url):
    clerk = api("sending_staff", SENDING)
    for _ in range(6):
        clerk.post("/api/v1/seekers", seeker_body())
    errors, done = [], []

    def run():
        with app.app_context():
            try:
                done.append(chain.seal(current_context()))
            except OperationalError as exc:     # SQLite may refuse a second writer ("locked"): it seals next minute
                db.session.rollback()
                errors.append(exc)
    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with app.app_context():
        written = len(db.session.scalars(select(AuditEntry.id)).all())
    assert done and sum(done) == written         # every entry sealed once, whoever sealed it
    if database_url.startswith("postgresql"):
        assert errors == []                      # the head's row lock makes them take turns
    assert _seal(app) == "sealed 0 entries\n"
    assert _verify(app).exit_code == 0
