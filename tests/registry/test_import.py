"""The seeker import: a clerk's messy spreadsheet answered row by row."""
from __future__ import annotations

import csv
import io
import json
from datetime import datetime

import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook

from tests.factories import SENDING, national_id

HEADERS_CN = ["姓名", "身份证号", "手机号", "性别", "学历", "技能", "意向工种", "期望月薪", "工作类型", "可出发日期", "户类型", "同意共享"]


def row(name="龙志明", nid=None, phone_="13800000001", gender="男", education="初中", skills="电焊", wanted="普工",
        wage="4500", work="长期", date_="2026-03-01", household="建档立卡", consent="是"):
    return [name, nid or national_id(), phone_, gender, education, skills, wanted, wage, work, date_, household, consent]


def csv_bytes(rows, headers=HEADERS_CN, encoding="utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows, headers=HEADERS_CN, title=None) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    date_format = book.add_format({"num_format": "yyyy/m/d"})
    offset = 0
    if title:
        sheet.write(0, 0, title)
        offset = 1
    sheet.write_row(offset, 0, headers)
    for r, cells in enumerate(rows, start=offset + 1):
        for c, value in enumerate(cells):
            if isinstance(value, datetime):
                sheet.write_datetime(r, c, value, date_format)
            elif isinstance(value, (int, float)):
                sheet.write_number(r, c, value)
            else:
                sheet.write_string(r, c, value)
    book.close()
    return buffer.getvalue()


@pytest.fixture
def clerk(api):
    return api("sending_staff", SENDING)


def upload(clerk, content: bytes, filename: str, dry_run: bool = False):
    return clerk.upload("/api/v1/seekers/import" + ("?dry_run=1" if dry_run else ""), filename, content)


def codes(report) -> list[tuple[int, str, str]]:
    return [(r["row"], r["field"], r["code"]) for r in report["rejected"]]


def test_every_row_code_is_reported_and_good_rows_are_stored(clerk):
    registered = national_id()
    assert clerk.post("/api/v1/seekers", {"name": "已登记", "national_id": registered, "phone": "13900000000",
                                          "education": "junior"})[0] == 201
    good, twice = national_id(), national_id()
    bad_check = good[:-1] + ("0" if good[-1] != "0" else "1")
    rows = [
        row(nid=good),                                  # row 2: accepted
        row(nid=bad_check),                             # row 3: bad_national_id
        row(phone_="1380000"),                          # row 4: bad_phone
        row(nid=twice),                                 # row 5: accepted
        row(nid=twice, name="重复"),                     # row 6: duplicate_in_file
        row(nid=registered),                            # row 7: already_registered
        row(name=""),                                   # row 8: missing
        row(education="博士"),                           # row 9: bad_value
        ["", "", "", "", "", "", "", "", "", "", "", ""],  # blank line: skipped, not counted
        row(nid=national_id("19900231")),               # row 11: bad_national_id (31 February → not a real date)
    ]
    status, report = upload(clerk, csv_bytes(rows), "求职登记.csv")
    assert status == 200, report
    assert (report["total"], report["accepted"], report["duplicates"]) == (9, 2, 2)
    assert codes(report) == [(3, "national_id", "bad_national_id"), (4, "phone", "bad_phone"),
                             (6, "national_id", "duplicate_in_file"), (7, "national_id", "already_registered"),
                             (8, "name", "missing"), (9, "education", "bad_value"), (11, "national_id", "bad_national_id")]
    assert all(r["message"] for r in report["rejected"])
    names = {s["name"] for s in clerk.get("/api/v1/seekers?limit=100")[1]["items"]}
    assert names == {"已登记", "龙志明"} and len(clerk.get("/api/v1/seekers?limit=100")[1]["items"]) == 3


def test_a_dry_run_stores_nothing_and_reports_the_same(clerk):
    content = csv_bytes([row(), row(phone_="12")])
    status, dry = upload(clerk, content, "a.csv", dry_run=True)
    assert status == 200 and (dry["accepted"], len(dry["rejected"]), dry["dry_run"]) == (1, 1, True)
    assert clerk.get("/api/v1/seekers")[1]["items"] == []
    status, real = upload(clerk, content, "a.csv")
    assert (real["accepted"], codes(real)) == (1, codes(dry))
    assert len(clerk.get("/api/v1/seekers")[1]["items"]) == 1


def test_gb18030_csv_from_excel_on_chinese_windows(clerk):
    status, report = upload(clerk, csv_bytes([row(name="吴秀英", gender="女", nid=national_id(male=False))],
                                             encoding="gb18030"), "名单.csv")
    assert status == 200 and report["accepted"] == 1, report
    assert clerk.get("/api/v1/seekers")[1]["items"][0]["name"] == "吴秀英"


def test_utf8_with_bom_and_english_headers(clerk):
    headers = ["name", "national_id", "phone", "education", "wage_expectation_fen", "consent_to_share"]
    content = b"\xef\xbb\xbf" + csv_bytes([["Pan", national_id(), "13800000003", "primary", "350000", "true"]], headers)
    status, report = upload(clerk, content, "list.csv")
    assert status == 200 and report["accepted"] == 1, report
    seeker = clerk.get("/api/v1/seekers")[1]["items"][0]
    assert seeker["wage_expectation_fen"] == 350000 and seeker["consent_to_share"] is True


def test_xlsx_with_a_title_row_excel_dates_numbers_and_a_lower_case_x(clerk):
    number = national_id()
    lower_x = next(n for n in (national_id() for _ in range(200)) if n.endswith("X"))
    rows = [
        row(nid=number, date_=datetime(2026, 3, 5), phone_=13800000011, wage=4500),
        row(nid=lower_x.lower(), date_="2026/3/1", wage="5000元"),
        row(nid=5.105241990051203e17),  # an ID typed into a number cell has lost its digits
    ]
    status, report = upload(clerk, xlsx_bytes(rows, title="叙永县2026年春季求职登记表"), "登记表.xlsx")
    assert status == 200, report
    assert (report["total"], report["accepted"]) == (3, 2)
    assert codes(report) == [(5, "national_id", "bad_national_id")]
    assert "Excel" in report["rejected"][0]["message"] or "表格" in report["rejected"][0]["message"] or "spreadsheet" in report["rejected"][0]["message"]
    items = clerk.get("/api/v1/seekers")[1]["items"]
    assert [s["available_from"] for s in items] == ["2026-03-05", "2026-03-01"]
    assert items[0]["phone"] == "138****0011" and items[0]["wage_expectation_fen"] == 450000
    assert items[1]["wage_expectation_fen"] == 500000


def test_a_json_array(clerk):
    people = [{"姓名": "龙志明", "身份证号": national_id(), "手机号": "13800000001", "学历": "初中"},
              {"name": "x", "national_id": "1", "phone": "13800000002", "education": "junior"}]
    status, report = upload(clerk, json.dumps(people, ensure_ascii=False).encode(), "people.json")
    assert status == 200 and report["accepted"] == 1, report
    assert codes(report) == [(2, "national_id", "bad_national_id")]


@pytest.mark.parametrize("content, filename, code", [
    (b"", "empty.csv", "empty_file"),
    (b"PK\x03\x04 not really a workbook", "list.xlsx", "bad_file"),
    (b"name,phone\n", "list.xlsx", "bad_file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old.xls", "bad_file"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "list.csv", "bad_file"),
    (b"a,b,c\n1,2,3\n", "list.csv", "bad_file"),        # no known headers
    (b"{\"not\": \"an array\"}", "list.json", "bad_file"),
])
def test_files_that_cannot_be_read_are_refused_clearly_and_change_nothing(clerk, content, filename, code):
    status, answer = upload(clerk, content, filename)
    assert status == 422, answer
    assert answer["error"]["code"] == code and answer["error"]["message"]
    assert clerk.get("/api/v1/seekers")[1]["items"] == []


def test_a_header_only_file_is_read_and_holds_nothing(clerk):
    status, report = upload(clerk, csv_bytes([]), "empty-list.csv")
    assert status == 200 and (report["total"], report["accepted"]) == (0, 0)


def test_an_oversized_file_is_refused_with_413(clerk):
    content = csv_bytes([row()]) + b"#" * (20 * 1024 * 1024)
    status, answer = upload(clerk, content, "big.csv")
    assert status == 413 and answer["error"]["code"] == "too_large"


def test_a_crash_halfway_stores_nothing(clerk, app, monkeypatch):
    from exchange.registry import importing

    monkeypatch.setattr(importing, "CHUNK", 2)
    calls = {"n": 0}
    original = importing.insert_rows

    def failing_insert(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        return original(*args, **kwargs)
    monkeypatch.setattr(importing, "insert_rows", failing_insert)
    status, answer = upload(clerk, csv_bytes([row() for _ in range(5)]), "five.csv")
    assert status == 500 and answer["error"]["code"] == "internal_error"
    assert calls["n"] == 2
    assert clerk.get("/api/v1/seekers")[1]["items"] == []


def test_someone_registering_a_person_meanwhile_is_a_conflict_and_stores_nothing(clerk, monkeypatch):
    from exchange.registry import importing

    original = importing.insert_rows

    def racing_insert(table, rows):
        # Between the look-up and the insert another clerk registers the first person.
        return original(table, rows + rows[:1])
    monkeypatch.setattr(importing, "insert_rows", racing_insert)
    status, answer = upload(clerk, csv_bytes([row(), row()[:1] + [national_id()] + row()[2:]]), "two.csv")
    assert status == 409 and answer["error"]["code"] == "import_conflict"
    assert clerk.get("/api/v1/seekers")[1]["items"] == []


def test_the_error_report_lists_rejected_rows_as_typed_with_an_error_column(clerk):
    bad = national_id()[:-1] + "Y"
    status, report = upload(clerk, csv_bytes([row(), row(nid=bad, name="潘老四")]), "a.csv", dry_run=True)
    r = clerk.client.get(f"/api/v1/seekers/imports/{report['id']}/errors.xlsx",
                         headers={"Authorization": f"Bearer {clerk.token}"})
    assert r.status_code == 200 and r.mimetype.endswith("sheet")
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(r.data)).get_sheet_by_index(0).to_python()
    assert sheet[0][0] == "原行号" and sheet[0][-1] == "错误说明" and sheet[0][1:-1] == HEADERS_CN
    assert len(sheet) == 2 and sheet[1][1] == "潘老四" and sheet[1][2] == bad and sheet[1][-1]
    other = clerk.client.get(f"/api/v1/seekers/imports/{report['id']}/errors.xlsx",
                             headers={"Authorization": "Bearer " + clerk.token.replace("exk_", "exk_x")})
    assert other.status_code == 401


def test_the_error_report_writes_what_looks_like_a_formula_as_text(clerk):
    import zipfile
    headers = HEADERS_CN + ['=HYPERLINK("http://e.x","x")']
    bad = row(nid=national_id()[:-1] + "Y", name="=1+1")
    status, report = upload(clerk, csv_bytes([bad + ["@SUM(A1)"]], headers=headers), "a.csv", dry_run=True)
    assert status == 200 and report["rejected"], report
    r = clerk.client.get(f"/api/v1/seekers/imports/{report['id']}/errors.xlsx",
                         headers={"Authorization": f"Bearer {clerk.token}"})
    sheet_xml = zipfile.ZipFile(io.BytesIO(r.data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml               # not one formula cell
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(r.data)).get_sheet_by_index(0).to_python()
    assert sheet[0][-2] == headers[-1] and sheet[1][1] == "=1+1" and sheet[1][-2] == "@SUM(A1)"


def test_another_region_cannot_read_an_import_report(clerk, api):
    status, report = upload(clerk, csv_bytes([row(phone_="1")]), "a.csv")
    assert api("sending_staff", "451228").get(f"/api/v1/seekers/imports/{report['id']}")[0] == 404


def test_a_missing_file_field_is_a_field_error(clerk):
    r = clerk.client.post("/api/v1/seekers/import", data={"other": "x"}, content_type="multipart/form-data",
                          headers={"Authorization": f"Bearer {clerk.token}"})
    assert r.status_code == 422 and r.get_json()["error"]["details"][0]["field"] == "file"


def test_receiving_staff_cannot_import(api):
    status, answer = api("receiving_staff", "330825").upload("/api/v1/seekers/import", "a.csv", csv_bytes([row()]))
    assert status == 403


def test_a_nul_character_inside_the_file_is_a_row_error(clerk):
    rows = json.dumps([{"姓名": "龙\u0000志明", "身份证号": national_id(), "手机号": "13800000001", "学历": "初中"}]).encode()
    status, report = upload(clerk, rows, "list\u0000.json")
    assert status == 200 and report["accepted"] == 0
    assert [(r["field"], r["code"]) for r in report["rejected"]] == [("name", "bad_value")]
