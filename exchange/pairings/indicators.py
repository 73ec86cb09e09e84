"""`[[indicators]]` of a pairing file (spec/indicators.md): which figures a pairing is judged on,
as data — what each counts (`of`), persons or person-times, over the year or since the pairing's
`start_date`, with optional filters. Without `[[indicators]]` a pairing keeps the five fixed
indicators of rules.md (INDICATOR_KEYS), unchanged.

Read by pairings.config's validating reader: an unknown `of`, count, period or filter, a filter
that means nothing for what is counted, a duplicate key or `since_start` without a `start_date`
stops start-up with the file, the key and the problem."""
from __future__ import annotations

import re
from dataclasses import dataclass

from exchange.pairings.programmes import HOUSEHOLD_STATUSES, PROGRAMME_KEY

INDICATOR_KEY = PROGRAMME_KEY           # the same form: ^[a-z][a-z0-9_]{1,39}$
# The five of rules.md: a pairing without [[indicators]] has exactly these.
INDICATOR_KEYS = (
    "organized_out_of_province",
    "placed_in_receiving_region",
    "chose_receiving_employers",
    "stable_employment",
    "returnees",
)
OFS = ("dispatched", "employed", "hired", "stable", "returned", "trained", "benefited", "paid_yuan", "funds_yuan")
COUNTS = ("persons", "person_times")
PERIODS = ("year", "since_start")
DESTINATIONS = ("receiving_region", "receiving_province", "outside_province", "local", "any")
# What each `of` may be filtered by, and whether person-times mean something for it (a sum of
# yuan has no persons; "stable" and "benefited" are states of a person in the period).
FILTERS = {
    "dispatched": {"household_status", "destination"},
    "employed": {"household_status", "destination"},
    "hired": {"household_status", "destination"},
    "stable": {"household_status", "destination"},
    "returned": {"household_status"},
    "trained": {"household_status"},
    "benefited": {"household_status"},
    "paid_yuan": {"household_status", "kind"},
    "funds_yuan": {"purpose"},
}
PERSON_TIMES = {"dispatched", "employed", "hired", "returned", "trained"}
YUAN = {"paid_yuan", "funds_yuan"}


@dataclass(frozen=True)
class Where:
    household_status: tuple[str, ...] | None = None
    destination: str | None = None
    kind: tuple[str, ...] | None = None       # paid_yuan: programme keys
    purpose: tuple[str, ...] | None = None    # funds_yuan: fund purposes


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    of: str
    count: str = "persons"
    period: str = "year"
    where: Where = Where()

    @property
    def in_yuan(self) -> bool:
        return self.of in YUAN


def _strings(table, key: str, allowed: tuple[str, ...] | None = None) -> tuple[str, ...] | None:
    value = table._get(key, False)
    if value is None:
        return None
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        raise table.fail(key, "must be a non-empty list of strings")
    for v in value:
        if allowed is not None and v not in allowed:
            raise table.fail(key, f"{v!r} is not one of: {', '.join(allowed)}")
    return tuple(dict.fromkeys(value))


def _where(table, of: str, programme_keys: set[str]) -> Where:
    for key in table.table:
        if key not in set().union(*FILTERS.values()):
            raise table.fail(key, "unknown filter")
        if key not in FILTERS[of]:
            raise table.fail(key, f"means nothing for of = {of!r}")
    destination = table.string("destination", required=False)
    if destination is not None and destination not in DESTINATIONS:
        raise table.fail("destination", f"must be one of {', '.join(DESTINATIONS)}, not {destination!r}")
    kinds = _strings(table, "kind")
    for kind in kinds or ():
        if kind not in programme_keys:
            raise table.fail("kind", f"{kind!r} is not a programme of this file")
    where = Where(household_status=_strings(table, "household_status", HOUSEHOLD_STATUSES), destination=destination,
                  kind=kinds, purpose=_strings(table, "purpose"))
    table.finish()
    return where


def read_indicator(table, *, has_start_date: bool, programme_keys: set[str]) -> Indicator:
    """One [[indicators]] entry, validated (`table` is pairings.config's reader of it)."""
    key = table.string("key", pattern=INDICATOR_KEY)
    label = table.string("label")
    of = table.string("of")
    if of not in OFS:
        raise table.fail("of", f"must be one of {', '.join(OFS)}, not {of!r}")
    count = table.string("count", required=False) or "persons"
    if count not in COUNTS:
        raise table.fail("count", f'must be "persons" or "person_times", not {count!r}')
    if count == "person_times" and of not in PERSON_TIMES:
        raise table.fail("count", f"person_times means nothing for of = {of!r}")
    period = table.string("period", required=False) or "year"
    if period not in PERIODS:
        raise table.fail("period", f'must be "year" or "since_start", not {period!r}')
    if period == "since_start" and not has_start_date:
        raise table.fail("period", "since_start needs the file's top-level start_date")
    where_table = table.table_of("where", required=False)
    where = _where(where_table, of, programme_keys) if where_table else Where()
    table.finish()
    return Indicator(key=key, label=label, of=of, count=count, period=period, where=where)


def read_targets(table, indicator_keys: tuple[str, ...]) -> tuple[dict[int, dict[str, int]], dict[int, dict[str, int]]]:
    """`[targets.Y]` basic targets and `[targets.Y.stretch]` stretch ones, by year; a key that names
    no indicator of the pairing is refused."""
    basic: dict[int, dict[str, int]] = {}
    stretch: dict[int, dict[str, int]] = {}
    for year_key in list(table.table):
        if not re.fullmatch(r"\d{4}", year_key):
            raise table.fail(year_key, "must be a year such as 2026")
        year = table.table_of(year_key)
        basic[int(year_key)] = _target_values(year, indicator_keys, nested={"stretch"})
        if (s := year.table_of("stretch", required=False)):
            stretch[int(year_key)] = _target_values(s, indicator_keys, nested=set())
            s.finish()
        year.finish()
    table.finish()
    return basic, stretch


def _target_values(table, indicator_keys: tuple[str, ...], nested: set[str]) -> dict[str, int]:
    for key in table.table:
        if key not in nested and key not in indicator_keys:
            raise table.fail(key, f"names no indicator of this pairing (its indicators: {', '.join(indicator_keys)})")
    return {key: table.integer(key) for key in indicator_keys if key in table.table}
