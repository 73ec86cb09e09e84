"""Words that reach a person through a variable (a status, a side, a role): listed here so the
translation catalogue holds them. `label(word)` gives the word in the request's language."""
from __future__ import annotations

from exchange.core.i18n import _l

WORDS = {
    "sending": _l("sending"),
    # employer kinds (spec/programmes.md)
    "enterprise": _l("enterprise"),
    "workshop": _l("assistance workshop"),
    "base": _l("assistance base"),
    "public_post": _l("public-welfare post"),
    # payees and work types of programmes and spells (spec/programmes.md)
    "payee_worker": _l("the worker"),
    "payee_employer": _l("the employer"),
    "payee_agency": _l("the agency"),
    "long_term": _l("long-term"),
    "seasonal": _l("seasonal"),
    "flexible": _l("flexible work"),
    "receiving": _l("receiving"),
    "pending": _l("pending"),
    "approved": _l("approved"),
    "rejected": _l("rejected"),
    "open": _l("open"),
    "closed": _l("closed"),
    "draft": _l("draft"),
    "published": _l("published"),
    "proposed": _l("proposed"),
    "hired": _l("hired"),
    "withdrawn": _l("withdrawn"),
    "departed": _l("departed"),
    "arrived": _l("arrived"),
    "train": _l("train"),
    "bus": _l("bus"),
    "air": _l("air"),
    "other": _l("other"),
    "paid": _l("paid"),
    "visit": _l("visit"),
    "phone": _l("phone call"),
    "message": _l("message"),
    "employed": _l("employed"),
    "changed_job": _l("changed job"),
    "unemployed": _l("unemployed"),
    "returned_home": _l("returned home"),
    "unreachable": _l("unreachable"),
    "wage_arrears": _l("wage arrears"),
    "contract": _l("contract"),
    "safety": _l("safety"),
    "in_progress": _l("in progress"),
    "resolved": _l("resolved"),
    "housing": _l("housing"),
    "health": _l("health"),
    "family": _l("family"),
    "onsite": _l("on site"),
    "remote": _l("remote"),
    "M": _l("male"),
    "F": _l("female"),
    "any": _l("any"),
    "settled": _l("settled"),
    "failed": _l("failed"),
    "transport": _l("transport subsidy"),
    "retention": _l("retention bonus"),
    "income": _l("income reward"),
    "training": _l("training subsidy"),
    "declared": _l("declared"),
    "verified": _l("verified"),
    "submitted": _l("submitted"),
    "local": _l("local"),
    "sending_staff": _l("sending county staff"),
    "receiving_staff": _l("receiving county staff"),
    "liaison_officer": _l("liaison station officer"),
    "finance_approver": _l("finance approver"),
    "admin": _l("administrator"),
    "auditor": _l("security auditor"),
    # the quarantine of a feed
    "retried": _l("applied on retry"),
    "skipped": _l("skipped"),
    "recorded": _l("recorded and passed over"),
    "invalid": _l("does not load"),
    "unsupported": _l("unknown event type"),
    "protocol_version": _l("newer protocol version"),
}


# Where one code means different things: a posting that is "open" is recruiting, a case that is
# "open" waits to be taken up.
IN_CONTEXT = {
    ("posting", "open"): _l("recruiting"),
    ("posting", "closed"): _l("closed to new matches"),
}


def label(word: str, context: str | None = None) -> str:
    return str(IN_CONTEXT.get((context, word)) or WORDS.get(word, word))


# The fields a person fills in, by the names the API and its errors use.
FIELD_LABELS = {
    "name": _l("Name"), "national_id": _l("ID number"), "phone": _l("Mobile"), "gender": _l("Gender"),
    "education": _l("Education"), "skills": _l("Skills"), "occupations_wanted": _l("Wanted occupations"),
    "wage_expectation_fen": _l("Expected wage"), "wage_expectation": _l("Expected wage"),
    "work_type": _l("Work type"), "available_from": _l("Available from"), "household_status": _l("Household"),
    "consent_to_share": _l("Consent to share identity"), "bank_account": _l("Bank account"),
    "bank_name": _l("Bank (开户银行)"), "township": _l("Township"), "emergency_contact_name": _l("Emergency contact"),
    "emergency_contact_phone": _l("Emergency contact's phone"), "note": _l("Note"), "uscc": _l("Unified social credit code"),
    "contact_name": _l("Contact person"), "contact_phone": _l("Contact phone"), "address": _l("Address"),
    "title": _l("Title"), "occupation": _l("Occupation"), "headcount": _l("Places"), "wage_min_fen": _l("Lowest wage"),
    "wage_max_fen": _l("Highest wage"), "age_min": _l("Age from"), "age_max": _l("Age up to"),
    "education_min": _l("Lowest education"), "start_date": _l("Start date"), "end_date": _l("End date"),
    "contract_months": _l("Contract (months)"), "monthly_wage_fen": _l("Monthly wage"), "wage": _l("Monthly wage"),
    "outcome": _l("Result"), "reason": _l("Reason"), "match_id": _l("Match"), "matches": _l("Match"),
    "results": _l("Result"), "arrivals": _l("Arrival"), "arrived_at": _l("Arrival time"), "departed_at": _l("Departure"),
    "mode": _l("Travel mode"), "escort": _l("Escort"), "expected_arrival": _l("Expected arrival"),
    "amount_fen": _l("Amount (yuan)"), "amount": _l("Amount (yuan)"), "travel_date": _l("Travel date"),
    "receipts": _l("Receipts"), "year": _l("Year"), "course": _l("Course"), "days": _l("Days"),
    "contacted_at": _l("Contacted at"), "status": _l("Status"), "next_due": _l("Next contact"), "kind": _l("Kind"),
    "summary": _l("Summary"), "seeker_id": _l("Seeker"), "posting_id": _l("Posting"), "employer_id": _l("Employer"),
    "dispatch_id": _l("Dispatch"), "claim_ids": _l("Claims"), "reference": _l("Bank reference"),
    "method": _l("How"), "issues": _l("Problems raised"), "corrects_id": _l("Corrects"), "file": _l("File"),
}


def field_label(key: str) -> str:
    """"results[1].monthly_wage_fen" → "月工资（第 2 条）": the field as the form calls it."""
    import re
    names = re.findall(r"[A-Za-z_]+", key or "")
    numbers = re.findall(r"\[(\d+)\]", key or "")
    text = str(FIELD_LABELS.get(names[-1], names[-1])) if names else (key or "")
    if numbers:
        from flask_babel import gettext
        text = gettext("%(field)s (no. %(n)s)", field=text, n=int(numbers[0]) + 1)
    return text
