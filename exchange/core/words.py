"""Words that reach a person through a variable (a status, a side, a role): listed here so the
translation catalogue holds them. `label(word)` gives the word in the request's language."""
from __future__ import annotations

from exchange.core.i18n import _l

WORDS = {
    "sending": _l("sending"),
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
}


def label(word: str) -> str:
    return str(WORDS.get(word, word))
