"""A pairing's programmes in plain words, generated from the pairing file (never written twice):
who pays, whom, when and how much, and on what conditions — for the programmes page."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from exchange.core.money import fen_to_yuan
from exchange.core.words import label
from exchange.registry.vocab import LABELS


@dataclass(frozen=True)
class Described:
    key: str
    name: str
    payer: str          # the paying county's name
    payee: str
    when: str           # what creates a claim
    amount: str
    conditions: list[str]
    shorthand: bool


def _yuan(fen: int | None) -> str:
    return _("%(yuan)s yuan", yuan=fen_to_yuan(fen or 0))


def _when(p) -> tuple[str, str]:
    if p.trigger == "transport":
        return _("A fare claim filed by hand with its tickets"), _("the fare, at most %(cap)s", cap=_yuan(p.cap_fen))
    if p.trigger == "employment":
        steps = "；".join(_("%(months)s months: %(amount)s", months=m.months, amount=_yuan(m.amount_fen))
                         for m in p.milestones)
        return (_("Continuous work reaches a milestone (breaks of up to %(days)s days do not interrupt it)",
                  days=p.max_gap_days or 30), steps)
    if p.trigger == "hired":
        return _("The employer records the person as hired"), _("%(amount)s per hire", amount=_yuan(p.amount_fen))
    if p.trigger == "income":
        return (_("A verified yearly income of at least %(threshold)s", threshold=_yuan(p.threshold_fen)),
                _("%(amount)s, once a year", amount=_yuan(p.amount_fen)))
    if p.trigger == "training":
        course = (_("A training course of at least %(hours)s hours", hours=p.min_hours) if p.min_hours
                  else _("A training course"))
        rate = (_("%(amount)s a day", amount=_yuan(p.per_day_fen)) if p.per_day_fen is not None
                else _("%(amount)s an hour", amount=_yuan(p.per_hour_fen)))
        if p.cap_fen is not None:
            rate += "，" + _("at most %(cap)s a year", cap=_yuan(p.cap_fen))
        return course, rate
    return (_("Each full calendar month in the job"), _("%(amount)s a month", amount=_yuan(p.amount_fen)))


def _conditions(when) -> list[str]:
    out = []
    if when.household_status:
        out.append(_("Only: %(what)s", what="、".join(str(LABELS["household_status"].get(s, s)) for s in when.household_status)))
    if when.employer_kind:
        out.append(_("Employer: %(what)s", what="、".join(label(k) for k in when.employer_kind)))
    if when.work_type:
        out.append(_("Work: %(what)s", what="、".join(label(w) for w in when.work_type)))
    if when.organised_dispatch is True:
        out.append(_("Travelled in an organised dispatch whose arrival is confirmed"))
    if when.organised_dispatch is False:
        out.append(_("Did not travel in an organised dispatch"))
    if when.outside_province is True:
        out.append(_("The job lies outside the home province"))
    if when.outside_province is False:
        out.append(_("The job lies in the home province"))
    return out


def describe(pairing) -> list[Described]:
    rows = []
    for p in pairing.programmes:
        when, amount = _when(p)
        rows.append(Described(key=p.key, name=p.name if not p.shorthand else label(p.key), payer=pairing.region(p.payer).name,
                              payee=label(f"payee_{p.payee}"), when=when, amount=amount, conditions=_conditions(p.when),
                              shorthand=p.shorthand))
    return rows
