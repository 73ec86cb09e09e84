"""Income and training subsidies, payment batches from approval to the bank's result file, the
labourer's statement and the ledger."""
from __future__ import annotations

import io

from pypdf import PdfReader
from python_calamine import CalamineWorkbook

from tests.factories import RECEIVING, SENDING, seeker_body
from tests.flow import PP
from tests.subsidies.test_claims import claim, travelled


def test_verified_income_at_the_threshold_creates_one_claim_a_year(api):
    clerk, second = api("sending_staff", SENDING), api("sending_staff", SENDING)
    seeker = clerk.post("/api/v1/seekers", seeker_body())[1]
    low = clerk.post(f"{PP}/income-declarations", {"seeker_id": seeker["id"], "year": 2025, "amount_fen": 1_999_999})[1]
    assert clerk.post(f"{PP}/income-declarations", {"seeker_id": seeker["id"], "year": 2025, "amount_fen": 1})[0] == 409
    status, body = clerk.post(f"{PP}/income-declarations/{low['id']}/verify")
    assert status == 403 and body["error"]["code"] == "same_user"
    assert second.post(f"{PP}/income-declarations/{low['id']}/verify")[1]["status"] == "verified"
    assert clerk.get(f"{PP}/claims?kind=income")[1]["items"] == []            # 19,999.99 yuan: below 20,000
    high = clerk.post(f"{PP}/income-declarations", {"seeker_id": seeker["id"], "year": 2026, "amount_fen": 2_000_000})[1]
    second.post(f"{PP}/income-declarations/{high['id']}/verify")
    [income] = clerk.get(f"{PP}/claims?kind=income")[1]["items"]
    assert (income["amount_fen"], income["year"], income["status"], income["payer_region"]) == (50000, 2026, "pending", RECEIVING)
    # The verifier may not approve it; nobody on the sending side may either.
    finance = api("finance_approver", RECEIVING)
    assert finance.post(f"{PP}/claims/{income['id']}/approve")[1]["status"] == "approved"


def test_training_days_up_to_the_yearly_cap(api):
    clerk = api("sending_staff", SENDING)
    seeker = clerk.post("/api/v1/seekers", seeker_body())[1]
    for days, start, end in ((3, "2026-04-01", "2026-04-03"), (3, "2026-05-01", "2026-05-03"), (2, "2026-06-01", "2026-06-02"),
                             (2, "2027-01-04", "2027-01-05")):
        status, record = clerk.post(f"{PP}/training-records", {"seeker_id": seeker["id"], "course": "电子装配岗前培训",
                                                               "days": days, "start_date": start, "end_date": end})
        assert status == 201, record
    claims = clerk.get(f"{PP}/claims?kind=training")[1]["items"]
    amounts = sorted((c["year"], c["amount_fen"]) for c in claims)
    assert amounts == [(2026, 10000), (2026, 15000), (2027, 10000)]      # 150 + 100 = the 250 cap; the third day-pair nothing
    reasons = {c["amount_fen"]: c["reason"] for c in claims if c["year"] == 2026}
    assert reasons[15000] is None and "250" in reasons[10000] and "150" in reasons[10000]   # why 100, not 150
    status, body = clerk.post(f"{PP}/training-records", {"seeker_id": seeker["id"], "course": "x", "days": 5,
                                                         "start_date": "2026-07-01", "end_date": "2026-07-02"})
    assert status == 422 and body["error"]["details"][0]["field"] == "days"


def approved_claims(api, factory, bank_names=None, names=None):
    flow, ids, dispatch = travelled(api, factory, bank_names=bank_names, names=names)
    maker, checker = api("finance_approver", RECEIVING), api("finance_approver", RECEIVING)
    made = [claim(maker, ids[0], dispatch["id"], 95000)[1], claim(flow.r, ids[1], dispatch["id"], 60000)[1]]
    for c in made:
        assert checker.post(f"{PP}/claims/{c['id']}/approve")[0] == 200
    return flow, checker, made


def test_from_approval_to_bank_file_to_paid(api, factory):
    flow, finance, made = approved_claims(api, factory)
    status, batch = finance.post(f"{PP}/payment-batches", {"claim_ids": [c["id"] for c in made]})
    assert status == 201 and batch["breakdown"]["total_fen"] == 140000 and batch["breakdown"]["count"] == 2
    assert batch["breakdown"]["kind"] == [{"key": "transport", "count": 2, "amount_fen": 140000}]
    status, body = finance.post(f"{PP}/payment-batches", {"claim_ids": [made[0]["id"]]})
    assert status == 422 and body["error"]["details"][0]["code"] == "in_batch"
    # The one who prepared the batch does not release it: not the bank file, not the payment.
    for path in ("export.csv", "export.xlsx"):
        status, body = finance.get(f"{PP}/payment-batches/{batch['id']}/{path}")
        assert (status, body["error"]["code"]) == (403, "same_user"), path
    status, body = finance.post(f"{PP}/payment-batches/{batch['id']}/paid", {"reference": "BANK-2026-0001"})
    assert (status, body["error"]["code"]) == (403, "same_user")
    status, body = finance.upload(f"{PP}/payment-batches/{batch['id']}/bank-result", "r.csv", f"{made[0]['ref']},800.00,成功,T\n".encode())
    assert (status, body["error"]["code"]) == (403, "same_user")
    assert {c["status"] for c in finance.get(f"{PP}/claims")[1]["items"]} == {"approved"}
    releaser = api("finance_approver", RECEIVING)
    headers = {"Authorization": f"Bearer {releaser.token}"}
    csv_text = releaser.client.get(f"{PP}/payment-batches/{batch['id']}/export.csv", headers=headers).data.decode("utf-8-sig")
    assert "800.00" in csv_text and "600.00" in csv_text and "********" in csv_text and made[0]["ref"] in csv_text
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(releaser.client.get(
        f"{PP}/payment-batches/{batch['id']}/export.xlsx", headers=headers).data)).get_sheet_by_index(0).to_python()
    assert sheet[0][:5] == ["序号", "姓名", "身份证号", "银行账号", "金额（元）"] and sheet[-1][4] == 1400.0
    assert flow.r.get(f"{PP}/payment-batches/{batch['id']}/export.csv")[0] == 403
    status, paid = releaser.post(f"{PP}/payment-batches/{batch['id']}/paid", {"reference": "BANK-2026-0001"})
    assert status == 200 and paid["status"] == "paid"
    assert (paid["created_by"], paid["released_by"]) != (None, None) and paid["created_by"] != paid["released_by"]
    assert {c["status"] for c in finance.get(f"{PP}/claims")[1]["items"]} == {"paid"}
    assert releaser.post(f"{PP}/payment-batches/{batch['id']}/paid", {"reference": "again"})[0] == 409
    assert finance.post(f"{PP}/claims/{made[0]['id']}/reject", {"reason": "late"})[0] == 409   # a paid claim is final
    assert finance.post(f"{PP}/payment-batches", {"claim_ids": [made[0]["id"]]})[0] == 422


def test_the_banks_result_file_marks_lines_paid_or_failed_and_reports_mismatches(api, factory):
    flow, finance, made = approved_claims(api, factory)
    batch = finance.post(f"{PP}/payment-batches", {"claim_ids": [c["id"] for c in made]})[1]
    result = ("申领编号,金额,状态,银行流水号,原因\n"
              f"{made[0]['ref']},800.00,成功,TX001,\n"
              f"{made[1]['ref']},600.01,成功,TX002,\n"
              "00000000-0000-0000-0000-000000000000,1.00,成功,TX003,\n").encode("gb18030")
    releaser = api("finance_approver", RECEIVING)
    status, report = releaser.upload(f"{PP}/payment-batches/{batch['id']}/bank-result", "result.csv", result)
    assert status == 200 and (report["paid"], report["failed"]) == (1, 0)
    assert [p["code"] for p in report["problems"]] == ["amount_mismatch", "unknown_reference"]
    assert report["batch_status"] == "open"
    failed = f"{made[1]['ref']},600.00,失败,TX004,户名与账号不符\n".encode()
    report = releaser.upload(f"{PP}/payment-batches/{batch['id']}/bank-result", "result.csv", failed)[1]
    assert (report["failed"], report["batch_status"]) == (1, "settled")
    first, second = (finance.get(f"{PP}/claims/{c['id']}")[1] for c in made)
    assert (first["status"], first["paid_reference"]) == ("paid", "TX001")
    assert (second["status"], second["payment_batch_id"]) == ("approved", None) and "户名与账号不符" in second["reason"]
    # The failed claim can go into the next batch.
    assert finance.post(f"{PP}/payment-batches", {"claim_ids": [second["id"]]})[0] == 201


def test_a_line_the_bank_left_out_is_reported_and_a_failure_keeps_the_earlier_reason(api, factory):
    flow, finance, made = approved_claims(api, factory)
    batch = finance.post(f"{PP}/payment-batches", {"claim_ids": [c["id"] for c in made]})[1]
    result = f"{made[0]['ref']},800.00,失败,TX009,账户已冻结\n".encode()
    status, report = api("finance_approver", RECEIVING).upload(f"{PP}/payment-batches/{batch['id']}/bank-result", "result.csv", result)
    assert status == 200 and report["failed"] == 1
    assert [(p["code"], made[1]["ref"] in p["message"]) for p in report["problems"]] == [("missing_from_file", True)]
    assert report["batch_status"] == "open"                              # the missing line still waits
    failed = finance.get(f"{PP}/claims/{made[0]['id']}")[1]
    assert "超过上限" in failed["reason"] and "账户已冻结" in failed["reason"]
    assert finance.get(f"{PP}/claims/{made[1]['id']}")[1]["status"] == "approved"


def test_the_statement_and_the_ledger(api, factory):
    flow, finance, made = approved_claims(api, factory)
    headers = {"Authorization": f"Bearer {flow.s.token}"}
    seeker_id = made[0]["seeker_id"]
    pdf = flow.s.client.get(f"{PP}/seekers/{seeker_id}/statement.pdf", headers=headers)
    text = PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
    assert pdf.status_code == 200 and "交通补贴" in text and "950.00" in text and "800.00" in text and "超过上限" in text
    xlsx = flow.s.client.get(f"{PP}/seekers/{seeker_id}/statement.xlsx", headers=headers)
    rows = CalamineWorkbook.from_filelike(io.BytesIO(xlsx.data)).get_sheet_by_index(0).to_python()
    assert rows[3][0] == "补贴类型" and rows[4][0] == "交通补贴" and "超过上限" in rows[4][9]
    ledger = finance.get(f"{PP}/ledger")[1]
    assert ledger["totals"]["transport"] == {"claimed_fen": 155000, "approved_fen": 140000, "paid_fen": 0}
    assert {r["kind"] for r in ledger["rows"]} == {"transport"} and ledger["rows"][0]["month"].startswith("20")


def test_the_ledger_counts_each_amount_in_the_month_it_happened(api, factory, app):
    from datetime import datetime, timezone

    from sqlalchemy import update

    from exchange.extensions import db
    from exchange.subsidies.models import Claim
    flow, finance, made = approved_claims(api, factory)
    with app.app_context():   # filed and decided in January (Beijing time), paid now
        db.session.execute(update(Claim).values(created_at=datetime(2026, 1, 31, 16, 30, tzinfo=timezone.utc),
                                                decided_at=datetime(2026, 2, 1, 1, 0, tzinfo=timezone.utc)))
        db.session.commit()
    batch = finance.post(f"{PP}/payment-batches", {"claim_ids": [c["id"] for c in made]})[1]
    assert api("finance_approver", RECEIVING).post(f"{PP}/payment-batches/{batch['id']}/paid", {"reference": "BANK-1"})[0] == 200
    paid_month = finance.get(f"{PP}/claims/{made[0]['id']}")[1]["paid_at"][:7]
    rows = {r["month"]: r for r in finance.get(f"{PP}/ledger")[1]["rows"]}
    # 16:30 UTC on 31 January is 00:30 on 1 February in Beijing: both land in February.
    assert (rows["2026-02"]["claimed_fen"], rows["2026-02"]["approved_fen"], rows["2026-02"]["claims"]) == (155000, 140000, 2)
    assert rows[paid_month]["paid_fen"] == 140000 and "2026-01" not in rows


def test_a_claim_can_never_be_in_two_live_payment_lines(api, factory, app):
    """The database refuses it, whatever the service checks: a claim is paid once."""
    import pytest
    from sqlalchemy.exc import IntegrityError

    from exchange.extensions import db
    from exchange.subsidies.models import PaymentBatch, PaymentLine
    flow, finance, made = approved_claims(api, factory)
    batch = finance.post(f"{PP}/payment-batches", {"claim_ids": [made[0]["id"]]})[1]
    with app.app_context():
        from datetime import datetime, timezone
        other = PaymentBatch(pairing_id="xuyong-longyou", region=RECEIVING, status="open", created_at=datetime.now(timezone.utc))
        db.session.add(other)
        db.session.flush()
        db.session.add(PaymentLine(batch_id=other.id, claim_id=made[0]["id"], amount_fen=80000))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()
    assert batch["breakdown"]["count"] == 1


def test_the_breakdown_groups_by_the_bank_the_money_goes_to(api, factory):
    flow, finance, made = approved_claims(api, factory, bank_names=("中国农业银行", None))
    batch = finance.post(f"{PP}/payment-batches", {"claim_ids": [c["id"] for c in made]})[1]
    assert {g["key"]: g["amount_fen"] for g in batch["breakdown"]["bank"]} == {"中国农业银行": 80000, "未登记开户银行": 60000}


def test_the_bank_file_runs_no_formula_in_a_spreadsheet(api, factory):
    """A name or a bank that starts like a formula is written as text: Excel shows it, runs nothing."""
    import csv
    name, bank = '=HYPERLINK("http://e.x","x")', "=cmd|' /C calc'!A0"
    flow, finance, made = approved_claims(api, factory, bank_names=(bank, "@SUM(1)"), names=(name, "+龙小"))
    batch = finance.post(f"{PP}/payment-batches", {"claim_ids": [c["id"] for c in made]})[1]
    finance = api("finance_approver", RECEIVING)                        # the one who releases it
    headers = {"Authorization": f"Bearer {finance.token}"}
    text = finance.client.get(f"{PP}/payment-batches/{batch['id']}/export.csv", headers=headers).data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")], cells
    assert "'" + name in cells and "'" + bank in cells and "'@SUM(1)" in cells and "'+龙小" in cells
    assert [row[4] for row in rows[1:]] == ["800.00", "600.00"]          # amounts stay numbers
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(finance.client.get(
        f"{PP}/payment-batches/{batch['id']}/export.xlsx", headers=headers).data)).get_sheet_by_index(0).to_python()
    assert sheet[1][1] == name                                          # xlsx cells are text: no formula there
