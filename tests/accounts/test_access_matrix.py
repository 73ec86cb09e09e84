"""Who may do what: every endpoint × role × region relation → the expected status, in one table.

Columns (the acting user): the pairing xuyong-longyou's sending region S = 510524 and receiving
region R = 330825, and regions of another pairing: S' = 451228 (sending) and R' = 440309."""
from __future__ import annotations

import pytest

from tests.factories import RECEIVING, SENDING, employer_body, posting_body, seeker_body
from tests.flow import PP, Flow, three_people
from tests.registry.test_import import csv_bytes, row

ACTORS = [
    ("sending_staff", SENDING), ("liaison_officer", SENDING), ("finance_approver", SENDING), ("admin", SENDING),
    ("receiving_staff", RECEIVING), ("finance_approver", RECEIVING), ("admin", RECEIVING),
    ("sending_staff", "451228"), ("receiving_staff", "440309"),
    ("liaison_officer", "451228"), ("finance_approver", "451228"), ("admin", "440309"),
    ("auditor", SENDING),
]
HEADER = ("            S:staff S:liaison S:fin S:admin | R:staff R:fin R:admin | S':staff R':staff "
          "S':liaison S':fin R':admin | S:auditor")

# (name, method, path, body) → statuses in ACTORS order.
MATRIX = {
    ("me", "GET", "/api/v1/me", None):                                  (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("pairing", "GET", "/api/v1/pairings/xuyong-longyou", None):        (200, 200, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403),
    ("pairings", "GET", "/api/v1/pairings", None):                      (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 403),
    ("register seeker", "POST", "/api/v1/seekers", "seeker"):           (201, 403, 403, 403, 403, 403, 403, 201, 403, 403, 403, 403, 403),
    ("list seekers", "GET", "/api/v1/seekers", None):                   (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 403),
    ("read seeker", "GET", "/api/v1/seekers/{seeker}", None):           (200, 200, 200, 200, 404, 404, 404, 404, 404, 404, 404, 404, 403),
    ("reveal", "POST", "/api/v1/seekers/{seeker}/reveal", "reason"):    (200, 403, 403, 403, 403, 403, 403, 404, 403, 403, 403, 403, 403),
    ("import", "POST", "/api/v1/seekers/import?dry_run=1", "file"):     (200, 403, 403, 403, 403, 403, 403, 200, 403, 403, 403, 403, 403),
    ("import run", "GET", "/api/v1/seekers/imports/{run}", None):       (200, 200, 200, 200, 404, 404, 404, 404, 404, 404, 404, 404, 403),
    # The error report holds the rows as typed (full ID numbers): the importing clerks only.
    ("error report", "GET", "/api/v1/seekers/imports/{run}/errors.xlsx", None): (200, 403, 403, 403, 403, 403, 403, 404, 403, 403, 403, 403, 403),
    ("list employers", "GET", "/api/v1/employers", None):               (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 403),
    ("list postings", "GET", "/api/v1/postings", None):                 (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 403),
    # Each region registers and vets its own employers and agencies (local jobs are the sending county's).
    ("register employer", "POST", "/api/v1/employers", "employer"):     (201, 403, 403, 403, 201, 403, 403, 201, 201, 403, 403, 403, 403),
    ("register agency", "POST", "/api/v1/agencies", "employer"):        (201, 403, 403, 403, 201, 403, 403, 201, 201, 403, 403, 403, 403),
    ("list agencies", "GET", "/api/v1/agencies", None):                 (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 403),
    # The world's employer and posting were offered in a published supply list: the partner sees them.
    ("read employer", "GET", "/api/v1/employers/{employer}", None):     (200, 200, 200, 200, 200, 200, 200, 404, 404, 404, 404, 404, 403),
    ("unoffered employer", "GET", "/api/v1/employers/{pending}", None): (404, 404, 404, 404, 200, 200, 200, 404, 404, 404, 404, 404, 403),
    ("vet employer", "POST", "/api/v1/employers/{pending}/vet", "vet"): (404, 403, 403, 403, 200, 403, 403, 404, 404, 403, 403, 403, 403),
    ("create posting", "POST", "/api/v1/postings", "posting"):          (403, 403, 403, 403, 201, 403, 403, 403, 404, 403, 403, 403, 403),
    ("read posting", "GET", "/api/v1/postings/{posting}", None):        (200, 200, 200, 200, 200, 200, 200, 404, 404, 404, 404, 404, 403),
    ("unoffered posting", "GET", "/api/v1/postings/{open_posting}", None): (404, 404, 404, 404, 200, 200, 200, 404, 404, 404, 404, 404, 403),
    ("close posting", "POST", "/api/v1/postings/{open_posting}/close", None): (403, 403, 403, 403, 200, 403, 403, 403, 404, 403, 403, 403, 403),
    # Round trips: the pairing's two regions see its published objects; other regions are not members.
    ("seeker lists", "GET", PP + "/seeker-lists", None):                (200, 200, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403),
    ("read seeker list", "GET", PP + "/seeker-lists/{seeker_list}", None): (200, 200, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403),
    ("draft seeker list", "POST", PP + "/seeker-lists", "seeker_list"): (201, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403),
    ("publish seeker list", "POST", PP + "/seeker-lists/{draft_list}/publish", None): (200, 403, 403, 403, 404, 404, 404, 403, 403, 403, 403, 403, 403),
    ("read supply list", "GET", PP + "/supply-lists/{supply_list}", None): (200, 200, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403),
    ("draft supply list", "POST", PP + "/supply-lists", "supply_list"): (403, 403, 403, 403, 201, 403, 403, 403, 403, 403, 403, 403, 403),
    ("proposal", "GET", PP + "/supply-lists/{supply_list}/proposal", None): (200, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403),
    ("recommendations", "GET", PP + "/recommendations/{seeker}", None): (200, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403),
    ("read batch", "GET", PP + "/batches/{batch}", None):               (200, 200, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403),
    ("results", "POST", PP + "/batches/{batch}/results", "results"):    (403, 403, 403, 403, 200, 403, 403, 403, 403, 403, 403, 403, 403),
    ("read dispatch", "GET", PP + "/dispatches/{dispatch}", None):      (200, 200, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403),
    ("manifest", "GET", PP + "/dispatches/{dispatch}/manifest.pdf", None): (200, 200, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403),
    ("arrival", "POST", PP + "/dispatches/{dispatch}/arrival", "arrival"): (403, 403, 403, 403, 200, 403, 403, 403, 403, 403, 403, 403, 403),
    ("timeline", "GET", PP + "/seekers/{travelling}/timeline", None):   (200, 200, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403),
    # Feeds: sync for admins and any staff role; status and quarantine for admins.
    ("sync", "POST", PP + "/sync", None):                               (200, 200, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403),
    ("feed status", "GET", PP + "/feed-status", None):                  (403, 403, 403, 200, 403, 403, 200, 403, 403, 403, 403, 403, 403),
    ("quarantine retry", "POST", PP + "/quarantine/999/retry", None):   (403, 403, 403, 404, 403, 403, 404, 403, 403, 403, 403, 403, 403),
    ("quarantine skip", "POST", PP + "/quarantine/999/skip", None):     (403, 403, 403, 404, 403, 403, 404, 403, 403, 403, 403, 403, 403),
    ("reconciliation", "GET", PP + "/reconciliation", None):            (200, 200, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403),
    # Money: anyone of the pairing reads claims; the payer's finance approvers decide and pay.
    ("claims", "GET", PP + "/claims", None):                            (200, 200, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403),
    ("read claim", "GET", PP + "/claims/{claim}", None):                (200, 200, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403),
    ("approve", "POST", PP + "/claims/{claim}/approve", None):          (403, 403, 403, 403, 403, 200, 403, 403, 403, 403, 403, 403, 403),
    ("payment batches", "GET", PP + "/payment-batches", None):          (200, 200, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403),
    ("ledger", "GET", PP + "/ledger", None):                            (200, 200, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403),
    ("statement", "GET", PP + "/seekers/{travelling}/statement.xlsx", None): (200, 200, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403),
    ("declare income", "POST", PP + "/income-declarations", "income"):  (201, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403),
    ("record training", "POST", PP + "/training-records", "training"):  (201, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403),
    # The sending clerk records local jobs only: a receiving county's employer is refused (422).
    ("put spells", "PUT", PP + "/employment/{travelling}", "spells"):   (422, 403, 403, 403, 200, 403, 403, 403, 403, 403, 403, 403, 403),
    ("read spells", "GET", PP + "/employment/{travelling}", None):      (200, 200, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403),
    # Liaison station: follow-ups and opening cases by the sending side; cases moved on by the receiving side.
    ("log follow-up", "POST", PP + "/followups", "followup"):           (201, 201, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403),
    ("worklist", "GET", PP + "/followups/due?as_of=2026-05-01", None):  (200, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403),
    ("open case", "POST", PP + "/cases", "case"):                       (201, 201, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403),
    ("cases", "GET", PP + "/cases", None):                              (200, 200, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403),
    ("indicators", "GET", PP + "/indicators?year=2026", None):          (200, 200, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403),
    # Accounts and the trail: one's own password for everyone; users for administrators; the trail
    # for administrators and auditors; a person's access record for those who serve the person.
    ("password", "POST", "/api/v1/me/password", "password"):            (422, 422, 422, 422, 422, 422, 422, 422, 422, 422, 422, 422, 422),
    ("users", "GET", "/api/v1/users", None):                            (403, 403, 403, 200, 403, 403, 200, 403, 403, 403, 403, 200, 403),
    ("audit", "GET", "/api/v1/audit", None):                            (403, 403, 403, 200, 403, 403, 200, 403, 403, 403, 403, 200, 200),
    # (by this row the person's profile was published to R, which reads what its own people did)
    ("access log", "GET", "/api/v1/seekers/{seeker}/access-log", None): (200, 200, 200, 200, 200, 200, 200, 404, 404, 404, 404, 404, 200),
    ("notifications", "GET", "/api/v1/notifications", None):            (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 403),
}


@pytest.fixture
def world(api, factory):
    sending, receiving = api("sending_staff", SENDING), api("receiving_staff", RECEIVING)
    seeker = sending.post("/api/v1/seekers", seeker_body())[1]
    run = sending.upload("/api/v1/seekers/import?dry_run=1", "a.csv", csv_bytes([row(phone_="1")]))[1]
    flow = Flow(api, factory, sending=sending, receiving=receiving)
    travellers = flow.seekers(*three_people())
    posting = flow.posting(headcount=10)
    seeker_list, supply = flow.round1(travellers, [posting["id"]])
    batch = flow.round2(supply["id"], [(t, posting["id"]) for t in travellers])
    dispatch = flow.round3(batch, [batch["matches"][0]["id"], batch["matches"][1]["id"]])
    employer_id = posting["employer_id"]
    # One arrival and one transport claim, for the money rows.
    from tests.subsidies.test_claims import claim as file_claim
    flow.r.post(f"{PP}/dispatches/{dispatch['id']}/arrival", {"arrivals": [
        {"match_id": batch["matches"][0]["id"], "arrived": True}]})
    claim_status, claim_body = file_claim(receiving, travellers[0], dispatch["id"], 60000)
    assert claim_status == 201, claim_body

    def fresh(kind: str) -> int:
        if kind == "pending":
            return receiving.post("/api/v1/employers", employer_body())[1]["id"]
        if kind == "draft_list":
            return sending.post(f"{PP}/seeker-lists", {"title": "t", "seeker_ids": [seeker["id"]]})[1]["id"]
        return receiving.post("/api/v1/postings", posting_body(employer_id))[1]["id"]
    return {"seeker": seeker["id"], "run": run["id"], "employer": employer_id, "posting": posting["id"], "fresh": fresh,
            "seeker_list": seeker_list["id"], "supply_list": supply["id"], "batch": batch["id"],
            "match": batch["matches"][2]["id"], "travelling": travellers[0], "dispatch": dispatch["id"],
            "travelling_match": batch["matches"][1]["id"], "claim": claim_body["id"], "years": list(range(20))}


def _body(kind, world):
    return {"seeker": lambda: seeker_body(), "reason": lambda: {"reason": "核对身份"},
            "employer": lambda: employer_body(), "vet": lambda: {"decision": "approved", "reason": "ok"},
            "posting": lambda: posting_body(world["employer"]),
            "seeker_list": lambda: {"title": "t", "seeker_ids": [world["seeker"]]},
            "supply_list": lambda: {"in_reply_to": world["seeker_list"], "posting_ids": [world["posting"]]},
            "results": lambda: {"results": [{"match_id": world["match"], "outcome": "rejected", "reason": "x"}]},
            "arrival": lambda: {"arrivals": [{"match_id": world["travelling_match"], "arrived": True}]},
            "income": lambda: {"seeker_id": world["seeker"], "year": 2026 - len(world["years"]) + world["years"].pop(), "amount_fen": 100},
            "training": lambda: {"seeker_id": world["seeker"], "course": "c", "days": 1, "start_date": "2026-03-01",
                                 "end_date": "2026-03-01"},
            "spells": lambda: {"spells": [{"employer_id": world["employer"], "start_date": "2026-03-31"}]},
            "followup": lambda: {"seeker_id": world["travelling"], "method": "visit", "contacted_at": "2026-04-10T10:00:00+08:00",
                                 "status": "employed"},
            "case": lambda: {"seeker_id": world["travelling"], "kind": "wage_arrears", "summary": "欠薪"},
            "password": lambda: {"current_password": "not-my-password", "new_password": "a-new-long-passphrase"},
            }[kind]()


def test_access_matrix(api, world):
    """Every endpoint × every actor; all differences are reported together."""
    wrong = []
    for endpoint, expected in MATRIX.items():
        name, method, path, body_kind = endpoint
        got = []
        for role, region in ACTORS:
            client = api(role, region)
            fill = {k: v for k, v in world.items() if k != "fresh"}
            for kind in ("pending", "open_posting", "draft_list"):
                fill[kind] = world["fresh"](kind if kind != "open_posting" else "posting") if "{" + kind + "}" in path else 0
            url = path.format(**fill)
            if body_kind == "file":
                status, _ = client.upload(url, "a.csv", csv_bytes([row()]))
            elif method == "GET":
                status, _ = client.get(url)
            elif method == "PUT":
                status, _ = client.put(url, _body(body_kind, world))
            elif method == "PATCH":
                status, _ = client.patch(url, _body(body_kind, world))
            else:
                status, _ = client.post(url, _body(body_kind, world) if body_kind else None)
            got.append(status)
        if tuple(got) != expected:
            wrong.append(f"{name:<22} expected {expected}\n{'':<22} got      {tuple(got)}")
    assert not wrong, "\n" + HEADER + "\n" + "\n".join(wrong)
