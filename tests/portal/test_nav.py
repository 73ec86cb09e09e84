"""The menu, the header and the home page are made of what each feature registered
(exchange.portal.nav): each role on each side sees its own menu, in the order of the work."""
from __future__ import annotations

import re

import pytest

from tests.clerk import Clerk
from tests.factories import RECEIVING, SENDING

SENDING_OFFICE = ["/seekers", "/employers", "/agencies", "/households", "/seeker-lists", "/supply-lists", "/batches", "/dispatches",
                  "/views"]
RECEIVING_OFFICE = ["/employers", "/postings", "/seeker-lists", "/supply-lists", "/batches", "/dispatches"]
MENUS = {   # docs/portal.md, "Who sees what"; the payer of xuyong-longyou is the receiving county
    ("sending_staff", SENDING): [*SENDING_OFFICE, "/station", "/cases", "/programmes", "/claims", "/dashboard"],
    ("liaison_officer", SENDING): ["/station", "/cases", "/programmes", "/claims", "/dashboard"],
    ("receiving_staff", RECEIVING): [*RECEIVING_OFFICE, "/cases", "/programmes", "/claims", "/dashboard"],
    ("finance_approver", SENDING): [*SENDING_OFFICE, "/programmes", "/claims", "/dashboard"],
    ("finance_approver", RECEIVING): [*RECEIVING_OFFICE, "/cases", "/programmes", "/claims", "/payments", "/dashboard"],
    ("admin", SENDING): [*SENDING_OFFICE, "/programmes", "/dashboard", "/feeds", "/users", "/audit"],
    ("admin", RECEIVING): [*RECEIVING_OFFICE, "/cases", "/programmes", "/dashboard", "/feeds", "/users", "/audit"],
    ("auditor", SENDING): ["/audit"],
}


def menu(html: str) -> list[str]:
    block = re.search(r'<nav class="menu"[^>]*>(.*?)</nav>', html, re.S).group(1)
    return re.findall(r'href="([^"?]+)', block)


@pytest.mark.parametrize("role, region", list(MENUS))
def test_each_role_sees_its_own_menu_in_the_order_of_the_work(app, factory, role, region):
    home = Clerk(app, factory, role, region).get("/home", follow_redirects=True).text    # an auditor's is the trail
    assert menu(home) == ["/home", *MENUS[(role, region)]]
    # the header link notifications registered; an auditor has nothing of the business, notices neither
    assert bool(re.search(r'href="/notifications"', home)) == (role != "auditor")


def test_the_home_page_shows_the_cards_of_the_features(app, factory):
    receiving = Clerk(app, factory, "receiving_staff", RECEIVING).get("/home").text
    assert re.findall(r'class="kpi" href="([^"]+)"', receiving) == [
        "/employers?status=pending", "/seeker-lists", "/batches", "/dispatches", "/cases"]
    sending = Clerk(app, factory, "sending_staff", SENDING).get("/home").text
    assert re.findall(r'class="kpi" href="([^"]+)"', sending) == ["/seekers", "/supply-lists", "/station", "/cases"]
    finance = Clerk(app, factory, "finance_approver", RECEIVING).get("/home").text
    assert 'class="kpi" href="/claims"' in finance and 'class="kpi" href="/payments?status=approved"' in finance
