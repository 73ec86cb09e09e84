"""The printed manifest and contact cards: A4 landscape, Chinese in an embedded Noto CJK font,
the header on every page, page numbers, signature lines."""
from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from tests.factories import national_id, seeker_body
from tests.flow import PP, Flow


def _travel(api, factory, count: int):
    flow = Flow(api, factory)
    given = "伟强磊军勇杰涛明超刚平辉鹏华飞"
    bodies = [seeker_body(name=f"龙{given[k % 15]}{given[k // 15]}", national_id=national_id("19900512", k * 2 + 1))
              for k in range(count)]
    seeker_ids = flow.seekers(*bodies)
    posting = flow.posting(headcount=count)
    _lst, supply = flow.round1(seeker_ids, [posting["id"]])
    batch = flow.round2(supply["id"], [(s, posting["id"]) for s in seeker_ids])
    return flow, flow.round3(batch), bodies


def _fonts(reader: PdfReader) -> list[tuple[str, bool]]:
    fonts = []
    for page in reader.pages:
        resources = page["/Resources"].get_object()
        for font in resources.get("/Font", {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            descriptor = target.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts.append((str(target.get("/BaseFont")), embedded))
    return fonts


def test_the_manifest_prints_every_traveller_in_an_embedded_chinese_font(api, factory):
    flow, dispatch, bodies = _travel(api, factory, 3)
    r = flow.s.client.get(f"{PP}/dispatches/{dispatch['id']}/manifest.pdf", headers={"Authorization": f"Bearer {flow.s.token}"})
    assert r.status_code == 200 and r.mimetype == "application/pdf" and r.data[:4] == b"%PDF"
    reader = PdfReader(io.BytesIO(r.data))
    page = reader.pages[0]
    assert page.mediabox.width > page.mediabox.height                      # landscape
    assert round(float(page.mediabox.width)) == 842                        # A4
    text = page.extract_text()
    for body in bodies:
        assert body["name"] in text
        assert body["national_id"] not in text and body["national_id"][-4:] in text   # masked
        assert body["phone"] in text
    for heading in ("序号", "姓名", "性别", "身份证号", "手机", "用工企业", "岗位", "紧急联系人/备注", "王带队", "带队人签字",
                    "第 1 页 共 1 页", "生成时间"):
        assert heading in text, heading
    fonts = _fonts(reader)
    assert fonts and all(embedded for _name, embedded in fonts)
    assert all("Noto" in name and "CJK" in name and "SC" in name for name, _embedded in fonts), fonts  # sans, not a serif fallback


def test_the_table_header_repeats_on_every_page(api, factory):
    flow, dispatch, _bodies = _travel(api, factory, 45)
    r = flow.r.client.get(f"{PP}/dispatches/{dispatch['id']}/manifest.pdf", headers={"Authorization": f"Bearer {flow.r.token}"})
    reader = PdfReader(io.BytesIO(r.data))
    assert len(reader.pages) >= 2
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert "序号" in text and "身份证号" in text
        assert f"第 {number} 页 共 {len(reader.pages)} 页" in text


def test_contact_cards_carry_the_liaison_station(api, factory):
    flow, dispatch, bodies = _travel(api, factory, 2)
    headers = {"Authorization": f"Bearer {flow.s.token}"}
    r = flow.s.client.get(f"{PP}/dispatches/{dispatch['id']}/cards.pdf", headers=headers)
    reader = PdfReader(io.BytesIO(r.data))
    assert len(reader.pages) == 2
    text = reader.pages[1].extract_text()
    assert "连心卡" in text and "叙永县驻龙游劳务工作联络站" in text and "0570-0000000" in text and bodies[1]["name"] in text
    one = flow.s.client.get(f"{PP}/dispatches/{dispatch['id']}/travellers/{dispatch['travellers'][0]['id']}/card.pdf", headers=headers)
    assert one.status_code == 200 and len(PdfReader(io.BytesIO(one.data)).pages) == 1
    assert flow.s.client.get(f"{PP}/dispatches/{dispatch['id']}/travellers/999999/card.pdf", headers=headers).status_code == 404


@pytest.mark.parametrize("region", ["451228", "440309"])
def test_other_regions_cannot_print(api, factory, region):
    flow, dispatch, _bodies = _travel(api, factory, 1)
    outsider = api("sending_staff" if region == "451228" else "receiving_staff", region)
    assert outsider.get(f"{PP}/dispatches/{dispatch['id']}/manifest.pdf")[0] == 403


def test_the_manifest_is_printed_in_chinese_whatever_the_user_reads(api, factory):
    flow, dispatch, _bodies = _travel(api, factory, 1)
    r = flow.s.client.get(f"{PP}/dispatches/{dispatch['id']}/manifest.pdf?lang=en",
                          headers={"Authorization": f"Bearer {flow.s.token}"})
    text = PdfReader(io.BytesIO(r.data)).pages[0].extract_text()
    assert "火车" in text and "train" not in text
