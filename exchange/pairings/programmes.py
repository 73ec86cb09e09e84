"""`[[programmes]]` of a pairing file (spec/programmes.md): who pays whom, for what, how much —
as data. The four `[subsidies.*]` tables of rules.md are shorthand for four of them (`transport`,
`retention`, `income`, `training`, paid to the worker) and are expanded here, so the rest of the
exchange reads one list of programmes.

Read by pairings.config's validating reader: an unknown trigger, payee or condition, a key that
means nothing for the trigger, a duplicate key or a negative amount stops start-up with the file,
the key and the problem."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

PROGRAMME_KEY = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
SIDES = ("sending", "receiving")
PAYEES = ("worker", "employer", "agency")
TRIGGERS = ("transport", "employment", "hired", "income", "training", "monthly")
HOUSEHOLD_STATUSES = ("registered_poor", "monitored", "other")
EMPLOYER_KINDS = ("enterprise", "workshop", "base", "public_post")
WORK_TYPES = ("long_term", "seasonal", "flexible")

# The keys each trigger takes beside `trigger` (required ones first), the conditions that mean
# something for it, and whom it can pay: a claim about an income or a course has no employer.
TRIGGER_KEYS = {
    "transport": ({"cap_yuan"}, set()),
    "employment": ({"milestones"}, {"max_gap_days"}),
    "hired": ({"amount_yuan"}, set()),
    "income": ({"threshold_yuan", "amount_yuan"}, set()),
    "training": (set(), {"per_day_yuan", "per_hour_yuan", "min_hours", "cap_yuan"}),
    "monthly": ({"amount_yuan"}, set()),
}
CONDITIONS = {
    "transport": {"household_status", "employer_kind", "organised_dispatch", "outside_province"},
    "employment": {"household_status", "employer_kind", "work_type", "organised_dispatch", "outside_province",
                   "outside_county"},
    "hired": {"household_status", "employer_kind", "work_type", "outside_province", "outside_county"},
    "income": {"household_status"},
    "training": {"household_status"},
    "monthly": {"household_status", "employer_kind", "work_type", "outside_province", "outside_county"},
}
PAYEES_OF = {
    "transport": {"worker"}, "employment": {"worker", "employer", "agency"}, "hired": {"worker", "employer", "agency"},
    "income": {"worker"}, "training": {"worker"}, "monthly": {"worker", "employer"},
}
SHORTHAND = ("transport", "retention", "income", "training")     # the [subsidies.*] tables
SHORTHAND_NAMES = {"transport": "交通补贴", "retention": "稳岗奖补", "income": "收入奖励", "training": "培训补贴"}
DEFAULT_MAX_GAP_DAYS = 30


@dataclass(frozen=True)
class Milestone:
    months: int
    amount_fen: int


@dataclass(frozen=True)
class When:
    """Conditions that must all hold on the day a claim arises; None: no condition."""
    household_status: tuple[str, ...] | None = None
    employer_kind: tuple[str, ...] | None = None
    work_type: tuple[str, ...] | None = None
    organised_dispatch: bool | None = None
    outside_province: bool | None = None
    # An extension of the spec's conditions: the job lies outside the sending county (外出务工),
    # whichever province — for pairings inside one province, where outside_province never holds.
    outside_county: bool | None = None

    def as_dict(self) -> dict[str, Any]:
        return {name: (list(value) if isinstance(value, tuple) else value)
                for name, value in vars(self).items() if value is not None}


@dataclass(frozen=True)
class Programme:
    key: str                                  # the claims' `kind`
    name: str
    payer: str                                # "sending" | "receiving"
    payee: str                                # "worker" | "employer" | "agency"
    trigger: str
    when: When = When()
    milestones: tuple[Milestone, ...] = ()    # employment
    max_gap_days: int | None = None           # employment
    amount_fen: int | None = None             # hired, income, monthly
    threshold_fen: int | None = None          # income
    per_day_fen: int | None = None            # training
    per_hour_fen: int | None = None           # training
    min_hours: int | None = None              # training
    cap_fen: int | None = None                # transport; training (per person per year)
    shorthand: bool = False                   # expanded from a [subsidies.*] table

    def as_dict(self) -> dict[str, Any]:
        """As GET /pairings/{id}/programmes answers it: amounts in fen, unset keys left out."""
        out: dict[str, Any] = {"key": self.key, "name": self.name, "payer": self.payer, "payee": self.payee,
                               "trigger": self.trigger, "when": self.when.as_dict(), "shorthand": self.shorthand}
        if self.milestones:
            out["milestones"] = [{"months": m.months, "amount_fen": m.amount_fen} for m in self.milestones]
        for name in ("max_gap_days", "amount_fen", "threshold_fen", "per_day_fen", "per_hour_fen", "min_hours", "cap_fen"):
            if getattr(self, name) is not None:
                out[name] = getattr(self, name)
        return out


def milestones_of(table) -> tuple[Milestone, ...]:
    raw = table._get("milestones", True)
    if not isinstance(raw, list) or not raw:
        raise table.fail("milestones", "must be a non-empty list of { months, amount_yuan }")
    milestones = []
    for index, item in enumerate(raw):
        if not isinstance(item, dict):
            raise table.fail(f"milestones[{index}]", "must be a table { months, amount_yuan }")
        entry = type(table)(table.file, item, f"{table.prefix}milestones[{index}].")
        milestones.append(Milestone(months=entry.integer("months", minimum=1), amount_fen=entry.yuan("amount_yuan")))
        entry.finish()
    months = [m.months for m in milestones]
    if len(set(months)) != len(months):
        raise table.fail("milestones", "the same number of months appears twice")
    return tuple(sorted(milestones, key=lambda m: m.months))


def _choices(table, key: str, allowed: tuple[str, ...]) -> tuple[str, ...] | None:
    value = table._get(key, False)
    if value is None:
        return None
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise table.fail(key, f"must be a non-empty list of: {', '.join(allowed)}")
    for v in value:
        if v not in allowed:
            raise table.fail(key, f"{v!r} is not one of: {', '.join(allowed)}")
    return tuple(dict.fromkeys(value))


def _when(table, trigger: str) -> When:
    for key in table.table:
        if key not in CONDITIONS["employment"] | CONDITIONS["transport"]:
            raise table.fail(key, "unknown condition")
        if key not in CONDITIONS[trigger]:
            raise table.fail(key, f"means nothing for trigger {trigger!r}")
    when = When(household_status=_choices(table, "household_status", HOUSEHOLD_STATUSES),
                employer_kind=_choices(table, "employer_kind", EMPLOYER_KINDS),
                work_type=_choices(table, "work_type", WORK_TYPES),
                organised_dispatch=table.boolean("organised_dispatch", None),
                outside_province=table.boolean("outside_province", None),
                outside_county=table.boolean("outside_county", None))
    table.finish()
    return when


def read_programme(table, default_payer: str | None) -> Programme:
    """One [[programmes]] entry, validated (`table` is pairings.config's reader of it)."""
    key = table.string("key", pattern=PROGRAMME_KEY)
    name = table.string("name")
    payer = table.string("payer", required=False) or default_payer
    if payer is None:
        raise table.fail("payer", "missing (and the file has no [subsidies] payer to take it from)")
    if payer not in SIDES:
        raise table.fail("payer", f'must be "sending" or "receiving", not {payer!r}')
    payee = table.string("payee", required=False) or "worker"
    if payee not in PAYEES:
        raise table.fail("payee", f"must be one of {', '.join(PAYEES)}, not {payee!r}")
    trigger = table.string("trigger")
    if trigger not in TRIGGERS:
        raise table.fail("trigger", f"must be one of {', '.join(TRIGGERS)}, not {trigger!r}")
    if payee not in PAYEES_OF[trigger]:
        raise table.fail("payee", f"{payee!r} cannot be paid by trigger {trigger!r} "
                                  f"(it pays: {', '.join(sorted(PAYEES_OF[trigger]))})")
    required, optional = TRIGGER_KEYS[trigger]
    every_key = set().union(*(r | o for r, o in TRIGGER_KEYS.values()))
    for k in sorted(set(table.table) & (every_key - required - optional)):
        raise table.fail(k, f"means nothing for trigger {trigger!r}")
    values: dict[str, Any] = {}
    if trigger == "employment":
        values["milestones"] = milestones_of(table)
        values["max_gap_days"] = table.integer("max_gap_days", default=DEFAULT_MAX_GAP_DAYS)
    for yuan_key, field in (("cap_yuan", "cap_fen"), ("amount_yuan", "amount_fen"), ("threshold_yuan", "threshold_fen"),
                            ("per_day_yuan", "per_day_fen"), ("per_hour_yuan", "per_hour_fen")):
        if yuan_key in required or (yuan_key in optional and yuan_key in table.table):
            values[field] = table.yuan(yuan_key)
    if "min_hours" in table.table:
        values["min_hours"] = table.integer("min_hours", minimum=1)
    if trigger == "training" and ("per_day_fen" in values) == ("per_hour_fen" in values):
        raise table.fail("per_day_yuan", "a training programme pays either per_day_yuan or per_hour_yuan (one of them)")
    when_table = table.table_of("when", required=False)
    when = _when(when_table, trigger) if when_table else When()
    if trigger == "monthly" and not when.employer_kind:
        raise table.fail("when.employer_kind", "missing: a monthly programme pays for months with an employer of these kinds")
    table.finish()
    return Programme(key=key, name=name, payer=payer, payee=payee, trigger=trigger, when=when, **values)


def shorthand_programmes(payer: str | None, transport, retention, income, training) -> list[Programme]:
    """The [subsidies.*] tables as the programmes they stand for (payee: the worker)."""
    out = []
    if transport:
        out.append(Programme(key="transport", name=SHORTHAND_NAMES["transport"], payer=payer, payee="worker",
                             trigger="transport", cap_fen=transport.cap_fen, shorthand=True,
                             when=When(organised_dispatch=True if transport.requires_organized_dispatch else None)))
    if retention:
        out.append(Programme(key="retention", name=SHORTHAND_NAMES["retention"], payer=payer, payee="worker",
                             trigger="employment", milestones=retention.milestones,
                             max_gap_days=retention.max_gap_days, shorthand=True))
    if income:
        out.append(Programme(key="income", name=SHORTHAND_NAMES["income"], payer=payer, payee="worker", trigger="income",
                             threshold_fen=income.threshold_fen, amount_fen=income.amount_fen, shorthand=True))
    if training:
        out.append(Programme(key="training", name=SHORTHAND_NAMES["training"], payer=payer, payee="worker",
                             trigger="training", per_day_fen=training.per_day_fen, cap_fen=training.cap_fen,
                             shorthand=True))
    return out
