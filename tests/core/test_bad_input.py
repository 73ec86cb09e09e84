"""Input that once answered 500 or was stored as nonsense: each is refused with a clear 4xx and
leaves nothing behind."""
from __future__ import annotations

import base64
import io
import json
import zipfile

import pytest

from tests.flow import PP
from tests.registry.test_import import csv_bytes, row


def _seekers(api) -> int:
    return api.get("/api/v1/seekers?limit=500")[1]["items"].__len__()


def test_json_nested_too_deep_is_a_bad_request(api):
    clerk = api()
    for depth in (65, 600, 5000):
        body = "[" * depth + "]" * depth
        status, answer = clerk.post("/api/v1/seekers", data=body, headers={"Content-Type": "application/json"})
        assert (status, answer["error"]["code"]) == (400, "bad_request"), depth
        assert "64" in answer["error"]["message"]
    nested = {"name": "龙志明"}
    for _ in range(100):
        nested = {"x": nested}
    status, answer = clerk.post("/api/v1/seekers", nested)
    assert status == 400 and answer["error"]["code"] == "bad_request"
    assert _seekers(clerk) == 0


def test_a_json_import_nested_too_deep_is_refused_and_stores_nothing(api):
    clerk = api()
    deep = ("[" * 3000 + "]" * 3000).encode()
    status, answer = clerk.upload("/api/v1/seekers/import", "list.json", deep)
    assert (status, answer["error"]["code"]) == (422, "bad_file"), answer
    one = json.dumps([{"姓名": "龙志明", "备注": json.loads("[" * 200 + "]" * 200)}]).encode()
    status, answer = clerk.upload("/api/v1/seekers/import", "list.json", one)
    assert (status, answer["error"]["code"]) == (422, "bad_file"), answer
    assert _seekers(clerk) == 0


def test_a_csv_cell_over_the_field_limit_is_refused_and_stores_nothing(api):
    clerk = api()
    rows = [row(nid=None) for _ in range(3)] + [row(name="龙" * 140_000)] + [row() for _ in range(3)]
    status, answer = clerk.upload("/api/v1/seekers/import", "list.csv", csv_bytes(rows))
    assert (status, answer["error"]["code"]) == (422, "bad_file"), answer
    assert "CSV" in answer["error"]["message"]
    assert _seekers(clerk) == 0
    # The same file without the monster cell imports.
    status, answer = clerk.upload("/api/v1/seekers/import", "list.csv", csv_bytes(rows[:3]))
    assert status == 200 and answer["accepted"] == 3, answer


def test_a_workbook_that_unpacks_to_gigabytes_is_refused_at_once(api):
    clerk = api()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            zeros = b"\0" * (1 << 20)
            for _ in range(256):                        # 256 MiB of zeros, a few hundred KiB zipped
                sheet.write(zeros)
    bomb = buffer.getvalue()
    assert len(bomb) < 1_000_000
    status, answer = clerk.upload("/api/v1/seekers/import", "list.xlsx", bomb)
    assert (status, answer["error"]["code"]) == (422, "bad_file"), answer
    assert "200 MB" in answer["error"]["message"]
    assert _seekers(clerk) == 0


def test_a_workbook_whose_directory_understates_its_size_is_refused_as_damaged(api):
    from exchange.core.files import DAMAGED, FITS, TOO_LARGE, unpacked_size
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (4 << 20))
    honest = buffer.getvalue()
    assert (unpacked_size(honest, 5 << 20), unpacked_size(honest, 3 << 20)) == (FITS, TOO_LARGE)
    # The sheet claims 1 KiB in both headers; what it really holds is 4 MiB.
    lying = bytearray(honest)
    for header, offset in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):
        at = lying.rfind(header)
        lying[at + offset:at + offset + 4] = (1024).to_bytes(4, "little")
    assert unpacked_size(bytes(lying), 3 << 20) == DAMAGED
    assert unpacked_size(b"not a zip", 10) == FITS        # the spreadsheet reader explains that one
    status, answer = api().upload("/api/v1/seekers/import", "list.xlsx", bytes(lying))
    assert (status, answer["error"]["code"]) == (422, "bad_file"), answer


def _cursor(after) -> str:
    return base64.urlsafe_b64encode(json.dumps({"after": after}).encode()).decode().rstrip("=")


def test_a_cursor_beyond_any_id_is_refused(api):
    clerk = api()
    for after in (2 ** 31, 5105241990051212340, 10 ** 30, -1, 1.5, "7"):
        status, answer = clerk.get(f"/api/v1/seekers?cursor={_cursor(after)}")
        assert status == 422 and answer["error"]["details"][0]["field"] == "cursor", (after, answer)
    assert clerk.get(f"/api/v1/seekers?cursor={_cursor(2 ** 31 - 1)}")[0] == 200


def test_an_id_in_the_path_beyond_any_id_is_not_found(api):
    clerk = api()
    for path in ("/api/v1/seekers/2147483648", "/api/v1/seekers/5105241990051212340",
                 f"{PP}/seeker-lists/99999999999999999999"):
        status, answer = clerk.get(path)
        assert status == 404 and answer["error"]["code"] == "not_found", (path, status)


def test_dates_outside_1900_to_2100_are_refused(station):
    _flow, liaison, ids, _posting = station
    for when in ("0421-01-26T09:04:27Z", "1899-12-31T23:00:00+08:00", "2101-01-01T00:00:00+08:00"):
        status, answer = liaison.post(f"{PP}/followups", {"seeker_id": ids[0], "method": "phone", "status": "employed",
                                                          "contacted_at": when})
        assert status == 422 and answer["error"]["details"][0]["field"] == "contacted_at", (when, answer)
        assert "1900" in answer["error"]["details"][0]["message"]
    status, answer = liaison.post(f"{PP}/followups", {"seeker_id": ids[0], "method": "phone", "status": "employed",
                                                      "contacted_at": "2026-04-10T09:00:00+08:00", "next_due": "3026-01-01"})
    assert status == 422 and answer["error"]["details"][0]["field"] == "next_due", answer
    assert liaison.get(f"{PP}/followups?seeker_id={ids[0]}")[1]["items"] == []


def test_a_cursor_nested_deep_is_refused_not_crashed(api):
    deep = base64.urlsafe_b64encode(("[" * 3000).encode()).decode().rstrip("=")
    status, body = api("sending_staff", "510524").get(f"/api/v1/seekers?cursor={deep}")
    assert status == 422 and body["error"]["details"][0]["field"] == "cursor"


@pytest.mark.parametrize("at", ["9999-12-31T23:00:00-10:00", "0001-01-01T01:00:00+14:00", "2100-12-31T23:00:00-10:00"])
def test_an_instant_at_the_calendars_edge_is_refused(at):
    from marshmallow import ValidationError

    from exchange.core.fields import Instant, Stamp
    for field in (Instant(), Stamp()):
        with pytest.raises(ValidationError):
            field.deserialize(at)


def test_a_partners_seeker_profile_dated_outside_the_years_is_refused():
    from marshmallow import ValidationError

    from exchange.registry.profile import SeekerProfile
    with pytest.raises(ValidationError) as refused:
        SeekerProfile().load({"seeker_ref": "0b0e7a1e-1a6b-4a3e-9c1e-000000000001", "gender": "M", "age": 30,
                              "education": "junior", "work_type": "long_term", "household_status": "other",
                              "available_from": "0421-01-26"})
    assert "available_from" in refused.value.messages
