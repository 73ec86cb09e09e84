"""Twenty clerks dispatching the same hired match at once: one dispatch, nineteen clear refusals.
(PostgreSQL with several gunicorn workers; skipped on SQLite.)"""
from __future__ import annotations

import requests

from tests.flow import PP, Flow, three_people
from tests.servers import at_once


def test_twenty_dispatches_of_one_match_at_once_make_one(gunicorn, api, factory):
    url, _env = gunicorn
    flow = Flow(api, factory)
    ids = flow.seekers(*three_people()[:1])
    posting = flow.posting()
    _list, supply = flow.round1(ids, [posting["id"]])
    batch = flow.round2(supply["id"], [(ids[0], posting["id"])])
    body = {"batch_id": batch["id"], "match_ids": [batch["matches"][0]["id"]], "departed_at": "2026-03-28T08:00:00+08:00",
            "mode": "train", "escort": {"name": "王带队", "phone": "13700000001"}}
    answers = at_once(20, lambda: requests.post(url + f"{PP}/dispatches", json=body, timeout=60,
                                                headers={"Authorization": f"Bearer {flow.s.token}"}))
    assert sorted(r.status_code for r in answers) == [201] + [409] * 19, [r.text for r in answers if r.status_code != 409]
    assert {r.json()["error"]["code"] for r in answers if r.status_code == 409} == {"already_dispatched"}
    assert len(flow.s.get(f"{PP}/dispatches")[1]["items"]) == 1
