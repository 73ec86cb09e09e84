"""`[[indicators]]`, `start_date` and stretch targets in a pairing file (spec/indicators.md): read
as data, the five indicators of rules.md kept when the file names none, and every mistake refused
naming the file, the key and the problem."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from exchange.pairings.config import PairingConfigError, load_pairing
from exchange.pairings.indicators import INDICATOR_KEYS, Where
from tests.conftest import PROJECT

SHIPPED = PROJECT / "partner_configs" / "xuyong-longyou.toml"
TABLE_4_2 = '''
start_date = 2018-06-01

[[indicators]]
key = "poor_out_of_province"
label = "组织贫困劳动力到省外就业人数"
of = "dispatched"
[indicators.where]
household_status = ["registered_poor", "monitored"]
destination = "outside_province"

[[indicators]]
key = "poor_in_paired_province"
label = "其中：转移到对口东部省份就业的人数"
of = "employed"
[indicators.where]
household_status = ["registered_poor", "monitored"]
destination = "receiving_province"

[[indicators]]
key = "dispatch_person_times"
label = "输送人次"
of = "dispatched"
count = "person_times"
period = "since_start"

[[indicators]]
key = "funds"
label = "援助资金（元）"
of = "funds_yuan"

[targets.2019]
poor_out_of_province = 1300
poor_in_paired_province = 3000
[targets.2019.stretch]
poor_out_of_province = 2000
poor_in_paired_province = 4400
'''


def _file(tmp_path: Path, extra: str, keep_targets: bool = False) -> Path:
    """The shipped pairing, its [targets] left out (they name the five indicators), with `extra`
    (its `start_date` line, a top-level key, put before the file's first table)."""
    text = SHIPPED.read_text(encoding="utf-8")
    if not keep_targets:
        text = text[:text.index("# 表4-2")]
    top = [line for line in extra.splitlines() if line.startswith("start_date")]
    if top:
        extra = extra.replace(top[0] + "\n", "", 1)
        text = text.replace("\n[sending]", "\n" + top[0] + "\n\n[sending]", 1)
    path = tmp_path / "xuyong-longyou.toml"
    path.write_text(text + extra, encoding="utf-8")
    return path


def test_without_indicators_a_pairing_keeps_the_five_of_the_rules_and_their_targets():
    pairing = load_pairing(SHIPPED)
    assert pairing.indicators == () and pairing.indicator_keys == INDICATOR_KEYS
    assert pairing.targets[2020]["organized_out_of_province"] == 1300 and pairing.stretch_targets == {}
    assert pairing.start_date is None


def test_table_4_2_as_indicators_with_basic_and_stretch_targets(tmp_path):
    pairing = load_pairing(_file(tmp_path, TABLE_4_2))
    assert pairing.indicator_keys == ("poor_out_of_province", "poor_in_paired_province", "dispatch_person_times", "funds")
    first = pairing.indicators[0]
    assert (first.of, first.count, first.period) == ("dispatched", "persons", "year")
    assert first.where == Where(household_status=("registered_poor", "monitored"), destination="outside_province")
    assert pairing.indicators[2].count == "person_times" and pairing.indicators[2].period == "since_start"
    assert pairing.indicators[3].in_yuan and pairing.start_date == date(2018, 6, 1)
    assert pairing.targets[2019] == {"poor_out_of_province": 1300, "poor_in_paired_province": 3000}
    assert pairing.stretch_targets[2019] == {"poor_out_of_province": 2000, "poor_in_paired_province": 4400}


def test_stretch_targets_of_the_five_indicators(tmp_path):
    pairing = load_pairing(_file(tmp_path, '''
[targets.2019]
organized_out_of_province = 1300
[targets.2019.stretch]
organized_out_of_province = 2000
'''))
    assert pairing.targets[2019] == {"organized_out_of_province": 1300}
    assert pairing.stretch_targets[2019] == {"organized_out_of_province": 2000}


@pytest.mark.parametrize("change, key, problem", [
    (('of = "funds_yuan"', 'of = "spent"'), "indicators[3].of", "must be one of"),
    (('destination = "outside_province"', 'destination = "abroad"'), "indicators[0].where.destination", "must be one of"),
    (('label = "援助资金（元）"\nof = "funds_yuan"', 'label = "援助资金（元）"\nof = "funds_yuan"\ncount = "person_times"'),
     "indicators[3].count", "means nothing"),
    (('start_date = 2018-06-01\n', ''), "indicators[2].period", "needs the file's top-level start_date"),
    (('start_date = 2018-06-01', 'start_date = "2018-06-01"'), "start_date", "must be a TOML date"),
    (('key = "funds"', 'key = "poor_out_of_province"'), "indicators[3].key", "already an indicator"),
    (('[targets.2019.stretch]\npoor_out_of_province = 2000', '[targets.2019.stretch]\npoor_out_of_provinces = 2000'),
     "targets.2019.stretch.poor_out_of_provinces", "names no indicator"),
    (('poor_out_of_province = 1300', 'organized_out_of_province = 1300'), "targets.2019.organized_out_of_province",
     "names no indicator"),
    (('of = "employed"\n[indicators.where]', 'of = "employed"\n[indicators.where]\npurpose = ["培训"]'),
     "indicators[1].where.purpose", "means nothing for of = 'employed'"),
    (('of = "employed"\n[indicators.where]', 'of = "employed"\n[indicators.where]\ncolour = ["red"]'),
     "indicators[1].where.colour", "unknown filter"),
])
def test_a_mistake_in_an_indicator_names_the_file_the_key_and_the_problem(tmp_path, change, key, problem):
    old, new = change
    assert old in TABLE_4_2
    with pytest.raises(PairingConfigError) as error:
        load_pairing(_file(tmp_path, TABLE_4_2.replace(old, new, 1)))
    assert str(error.value).startswith(f"xuyong-longyou.toml: {key}: ") and problem in str(error.value), str(error.value)


def test_paid_yuan_may_narrow_to_programmes_of_the_file(tmp_path):
    extra = '''
[[indicators]]
key = "fares_paid"
label = "交通补贴发放金额"
of = "paid_yuan"
[indicators.where]
kind = ["transport"]
'''
    assert load_pairing(_file(tmp_path, extra)).indicators[0].where.kind == ("transport",)
    with pytest.raises(PairingConfigError, match="indicators\\[0\\].where.kind: 'bonus' is not a programme"):
        load_pairing(_file(tmp_path, extra.replace('"transport"', '"bonus"')))
