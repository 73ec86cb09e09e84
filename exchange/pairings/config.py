"""Loading and validating partner_configs/*.toml (rules.md, "Pairing files").

A missing key, a wrong type, a negative amount or an unknown key stops start-up with a message
naming the file, the key and the problem. Every figure the rules use comes from here."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from exchange.core.money import yuan_to_fen
from exchange.pairings.indicators import INDICATOR_KEYS, Indicator, read_indicator, read_targets
from exchange.pairings.programmes import (SHORTHAND_NAMES, Milestone, Programme, milestones_of, read_programme,
                                          shorthand_programmes)

__all__ = ["Milestone", "Programme", "Pairing", "Pairings", "PairingConfigError", "load_pairing"]

REGION_CODE = re.compile(r"^\d{6}$")
PAIRING_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


class PairingConfigError(Exception):
    pass


@dataclass(frozen=True)
class Side:
    code: str
    name: str
    url: str | None


@dataclass(frozen=True)
class TransportRule:
    cap_fen: int
    requires_organized_dispatch: bool


@dataclass(frozen=True)
class RetentionRule:
    max_gap_days: int
    milestones: tuple[Milestone, ...]


@dataclass(frozen=True)
class IncomeRule:
    threshold_fen: int
    amount_fen: int


@dataclass(frozen=True)
class TrainingRule:
    per_day_fen: int
    cap_fen: int


@dataclass(frozen=True)
class Liaison:
    name: str
    address: str
    phones: tuple[str, ...]


@dataclass(frozen=True)
class FollowupCadence:
    first_contact_days: int = 7
    interval_days: int = 30
    after_bad_status_days: int = 7


@dataclass(frozen=True)
class Pairing:
    id: str
    name: str
    sending: Side
    receiving: Side
    secret_env: str
    poll_seconds: int
    payer: str | None
    transport: TransportRule | None
    retention: RetentionRule | None
    income: IncomeRule | None
    training: TrainingRule | None
    liaison: Liaison | None
    followup: FollowupCadence
    targets: dict[int, dict[str, int]] = field(default_factory=dict)
    path: Path | None = None
    # Every programme of the file: the [subsidies.*] shorthand ones first, then [[programmes]].
    programmes: tuple[Programme, ...] = ()
    # spec/indicators.md: the file's [[indicators]] (none: the five of rules.md), the day
    # `since_start` counts from, and the stretch targets (奋斗目标) beside the basic ones.
    indicators: tuple[Indicator, ...] = ()
    start_date: date | None = None
    stretch_targets: dict[int, dict[str, int]] = field(default_factory=dict)

    @property
    def indicator_keys(self) -> tuple[str, ...]:
        return tuple(i.key for i in self.indicators) if self.indicators else INDICATOR_KEYS

    def programme(self, key: str) -> Programme | None:
        return next((p for p in self.programmes if p.key == key), None)

    @property
    def kind_labels(self) -> dict[str, str]:
        """Each claim kind's name as people read it: the programme's name (a kind no longer in the
        file keeps its shorthand name, or its key)."""
        return {**SHORTHAND_NAMES, **{p.key: p.name for p in self.programmes}}

    @property
    def regions(self) -> tuple[str, str]:
        return (self.sending.code, self.receiving.code)

    def side_of(self, region: str) -> str | None:
        if region == self.sending.code:
            return "sending"
        if region == self.receiving.code:
            return "receiving"
        return None

    def partner_of(self, region: str) -> Side:
        if region == self.sending.code:
            return self.receiving
        if region == self.receiving.code:
            return self.sending
        raise KeyError(region)

    def region(self, side: str) -> Side:
        return self.sending if side == "sending" else self.receiving

    @property
    def payer_region(self) -> str | None:
        return self.region(self.payer).code if self.payer else None

    @property
    def payer_regions(self) -> frozenset[str]:
        """Every region that pays a programme of the pairing ([subsidies].payer's and each
        programme's own `payer`)."""
        return frozenset({self.region(p.payer).code for p in self.programmes}
                         | ({self.payer_region} if self.payer_region else set()))

    def payer_of(self, kind: str) -> str | None:
        """The region that pays claims of `kind` (a programme key); the pairing's payer for a kind
        no longer in the file."""
        programme = self.programme(kind)
        return self.region(programme.payer).code if programme is not None else self.payer_region

    @property
    def crosses_provinces(self) -> bool:
        return self.sending.code[:2] != self.receiving.code[:2]


# --- the validating reader ---------------------------------------------------------------------

class _Reader:
    """Reads one table of the file, remembering which keys were used so the rest are unknown."""

    def __init__(self, file: Path, table: dict[str, Any], prefix: str = ""):
        self.file, self.table, self.prefix = file, table, prefix
        self.used: set[str] = set()

    def fail(self, key: str, problem: str) -> PairingConfigError:
        return PairingConfigError(f"{self.file.name}: {self.prefix}{key}: {problem}")

    def _get(self, key: str, required: bool) -> Any:
        self.used.add(key)
        if key not in self.table:
            if required:
                raise self.fail(key, "missing")
            return None
        return self.table[key]

    def string(self, key: str, required: bool = True, pattern: re.Pattern | None = None) -> str | None:
        value = self._get(key, required)
        if value is None:
            return None
        if not isinstance(value, str):
            raise self.fail(key, f"must be a string, not {type(value).__name__}")
        if not value.strip():
            raise self.fail(key, "must not be empty")
        if pattern and not pattern.match(value):
            raise self.fail(key, f"{value!r} is not of the expected form {pattern.pattern}")
        return value

    def integer(self, key: str, required: bool = True, default: int | None = None, minimum: int = 0) -> int:
        value = self._get(key, required and default is None)
        if value is None:
            return default  # type: ignore[return-value]
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(key, f"must be an integer, not {type(value).__name__}")
        if value < minimum:
            raise self.fail(key, f"must be at least {minimum}, not {value}" if minimum else f"must not be negative ({value})")
        return value

    def yuan(self, key: str) -> int:
        value = self._get(key, True)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(key, f"must be an amount in yuan, not {type(value).__name__}")
        if value < 0:
            raise self.fail(key, f"must not be negative ({value})")
        fen = yuan_to_fen(value)
        if abs(fen - value * 100) > 1e-6:
            raise self.fail(key, f"has more than two decimals ({value})")
        return fen

    def date(self, key: str, required: bool = True) -> date | None:
        """A TOML date (start_date = 2018-06-01), not a string and not a date-time."""
        value = self._get(key, required)
        if value is None:
            return None
        if not isinstance(value, date) or hasattr(value, "hour"):
            raise self.fail(key, f"must be a TOML date such as 2018-06-01, not {type(value).__name__}")
        return value

    def boolean(self, key: str, default: bool) -> bool:
        value = self._get(key, False)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self.fail(key, f"must be true or false, not {type(value).__name__}")
        return value

    def table_of(self, key: str, required: bool = True) -> "_Reader | None":
        value = self._get(key, required)
        if value is None:
            return None
        if not isinstance(value, dict):
            raise self.fail(key, f"must be a table, not {type(value).__name__}")
        return _Reader(self.file, value, f"{self.prefix}{key}.")

    def finish(self) -> None:
        unknown = sorted(set(self.table) - self.used)
        if unknown:
            raise self.fail(unknown[0], "unknown key")


def _side(reader: _Reader, key: str) -> Side:
    table = reader.table_of(key)
    side = Side(code=table.string("code", pattern=REGION_CODE), name=table.string("name"),
                url=table.string("url", required=False))
    if side.url and not side.url.startswith(("http://", "https://")):
        raise table.fail("url", f"must start with http:// or https:// ({side.url!r})")
    table.finish()
    return side


def load_pairing(path: Path) -> Pairing:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise PairingConfigError(f"{path.name}: not valid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise PairingConfigError(f"{path.name}: not UTF-8 text") from None
    top = _Reader(path, raw)
    pairing_id = top.string("id", pattern=PAIRING_ID)
    if pairing_id != path.stem:
        raise top.fail("id", f"{pairing_id!r} must equal the file name without .toml ({path.stem!r})")
    name = top.string("name")
    sending, receiving = _side(top, "sending"), _side(top, "receiving")
    if sending.code == receiving.code:
        raise top.fail("receiving.code", "must differ from sending.code")

    feed = top.table_of("feed")
    secret_env = feed.string("secret_env", pattern=re.compile(r"^[A-Z_][A-Z0-9_]*$"))
    poll_seconds = feed.integer("poll_seconds", default=60, minimum=1)
    feed.finish()

    payer = transport = retention = income = training = None
    subsidies = top.table_of("subsidies", required=False)
    if subsidies:
        payer = subsidies.string("payer")
        if payer not in ("sending", "receiving"):
            raise subsidies.fail("payer", f'must be "sending" or "receiving", not {payer!r}')
        if (t := subsidies.table_of("transport", required=False)):
            transport = TransportRule(cap_fen=t.yuan("cap_yuan"),
                                      requires_organized_dispatch=t.boolean("requires_organized_dispatch", True))
            t.finish()
        if (t := subsidies.table_of("retention", required=False)):
            retention = RetentionRule(max_gap_days=t.integer("max_gap_days"),
                                      milestones=milestones_of(t))
            t.finish()
        if (t := subsidies.table_of("income", required=False)):
            income = IncomeRule(threshold_fen=t.yuan("threshold_yuan"), amount_fen=t.yuan("amount_yuan"))
            t.finish()
        if (t := subsidies.table_of("training", required=False)):
            training = TrainingRule(per_day_fen=t.yuan("per_day_yuan"), cap_fen=t.yuan("cap_yuan"))
            t.finish()
        subsidies.finish()

    liaison = None
    if (t := top.table_of("liaison", required=False)):
        phones = t._get("phones", True)
        if not isinstance(phones, list) or not all(isinstance(p, str) and p.strip() for p in phones):
            raise t.fail("phones", "must be a list of telephone numbers (strings)")
        liaison = Liaison(name=t.string("name"), address=t.string("address"), phones=tuple(phones))
        t.finish()

    followup = FollowupCadence()
    if (t := top.table_of("followup", required=False)):
        followup = FollowupCadence(
            first_contact_days=t.integer("first_contact_days", default=7, minimum=1),
            interval_days=t.integer("interval_days", default=30, minimum=1),
            after_bad_status_days=t.integer("after_bad_status_days", default=7, minimum=1),
        )
        t.finish()

    programmes = shorthand_programmes(payer, transport, retention, income, training)
    raw_programmes = top._get("programmes", False)
    if raw_programmes is not None:
        if not isinstance(raw_programmes, list) or not all(isinstance(p, dict) for p in raw_programmes):
            raise top.fail("programmes", "must be an array of tables ([[programmes]])")
        for index, raw_programme in enumerate(raw_programmes):
            programme = read_programme(_Reader(path, raw_programme, f"programmes[{index}]."), payer)
            if any(p.key == programme.key for p in programmes):
                raise top.fail(f"programmes[{index}].key", f"{programme.key!r} is already a programme of this file"
                               + (" (a [subsidies] table)" if programme.key in {p.key for p in programmes if p.shorthand} else ""))
            programmes.append(programme)
    start_date = top.date("start_date", required=False)
    indicators: list[Indicator] = []
    raw_indicators = top._get("indicators", False)
    if raw_indicators is not None:
        if not isinstance(raw_indicators, list) or not raw_indicators or not all(isinstance(i, dict) for i in raw_indicators):
            raise top.fail("indicators", "must be a non-empty array of tables ([[indicators]])")
        for index, raw in enumerate(raw_indicators):
            indicator = read_indicator(_Reader(path, raw, f"indicators[{index}]."), has_start_date=start_date is not None,
                                       programme_keys={p.key for p in programmes})
            if any(i.key == indicator.key for i in indicators):
                raise top.fail(f"indicators[{index}].key", f"{indicator.key!r} is already an indicator of this file")
            indicators.append(indicator)
    targets: dict[int, dict[str, int]] = {}
    stretch_targets: dict[int, dict[str, int]] = {}
    if (t := top.table_of("targets", required=False)):
        targets, stretch_targets = read_targets(t, tuple(i.key for i in indicators) or INDICATOR_KEYS)
    top.finish()
    return Pairing(id=pairing_id, name=name, sending=sending, receiving=receiving, secret_env=secret_env,
                   poll_seconds=poll_seconds, payer=payer, transport=transport, retention=retention,
                   income=income, training=training, liaison=liaison, followup=followup,
                   targets=targets, path=path, programmes=tuple(programmes), indicators=tuple(indicators),
                   start_date=start_date, stretch_targets=stretch_targets)


class Pairings:
    """Every pairing this instance knows, with look-ups by id and by region."""

    def __init__(self, pairings: list[Pairing]):
        self._by_id = {p.id: p for p in sorted(pairings, key=lambda p: p.id)}

    def __iter__(self):
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def get(self, pairing_id: str) -> Pairing | None:
        return self._by_id.get(pairing_id)

    def of_region(self, region: str) -> list[Pairing]:
        return [p for p in self if region in p.regions]

    def regions(self) -> dict[str, str]:
        """Every region code named in a pairing file, with its name."""
        names: dict[str, str] = {}
        for p in self:
            for side in (p.sending, p.receiving):
                names.setdefault(side.code, side.name)
        return names

    def partners_of(self, region: str) -> set[str]:
        return {p.partner_of(region).code for p in self.of_region(region)}


def load_pairings(directory: Path) -> Pairings:
    if not directory.is_dir():
        raise PairingConfigError(f"{directory}: the partner config folder does not exist")
    return Pairings([load_pairing(path) for path in sorted(directory.glob("*.toml"))])
