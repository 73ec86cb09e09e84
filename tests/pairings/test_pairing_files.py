"""The pairing files: the shipped ones carry the seeds' figures, a broken one is refused at start-up
naming the file, the key and the problem."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from exchange import StartupError, create_app
from exchange.pairings.config import PairingConfigError, load_pairing, load_pairings
from tests.conftest import PROJECT

SHIPPED = PROJECT / "partner_configs" / "xuyong-longyou.toml"


def test_the_shipped_pairing_carries_the_seed_figures():
    pairing = load_pairing(SHIPPED)
    assert (pairing.sending.code, pairing.receiving.code, pairing.payer) == ("510524", "330825", "receiving")
    assert pairing.transport.cap_fen == 80000 and pairing.transport.requires_organized_dispatch
    assert [(m.months, m.amount_fen) for m in pairing.retention.milestones] == [(6, 50000), (12, 50000)]
    assert pairing.retention.max_gap_days == 30
    assert (pairing.income.threshold_fen, pairing.income.amount_fen) == (2_000_000, 50000)
    assert (pairing.training.per_day_fen, pairing.training.cap_fen) == (5000, 25000)
    assert pairing.targets[2020] == {"organized_out_of_province": 1300, "placed_in_receiving_region": 3000,
                                     "chose_receiving_employers": 2600}
    assert pairing.liaison.phones and pairing.followup.first_contact_days == 7


def test_the_illustrative_pairing_says_so_and_loads():
    pairings = load_pairings(PROJECT / "partner_configs")
    other = pairings.get("duan-longhua")
    assert "示例" in other.name and "ILLUSTRATIVE" in other.path.read_text(encoding="utf-8")
    assert other.payer == "sending" and other.income is None


def _broken(tmp_path: Path, old: str, new: str, name: str = "xuyong-longyou") -> Path:
    text = SHIPPED.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / f"{name}.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize("old, new, key, problem", [
    ('secret_env = "EXCHANGE_SECRET_XUYONG_LONGYOU"\n', "", "feed.secret_env", "missing"),
    ("cap_yuan = 800", 'cap_yuan = "800"', "subsidies.transport.cap_yuan", "must be an amount"),
    ("cap_yuan = 800", "cap_yuan = -800", "subsidies.transport.cap_yuan", "negative"),
    ("max_gap_days = 30", "max_gap_days = 30\nmax_gap_weeks = 4", "subsidies.retention.max_gap_weeks", "unknown key"),
    ('code = "510524"', 'code = "51052"', "sending.code", "expected form"),
    ('payer = "receiving"', 'payer = "both"', "subsidies.payer", "must be"),
    ("{ months = 6,  amount_yuan = 500 }", "{ months = 6 }", "milestones[0].amount_yuan", "missing"),
    ("organized_out_of_province = 1300", "organised_out_of_province = 1300", "targets.2020.organised_out_of_province", "names no indicator"),
    ("requires_organized_dispatch = true", "requires_organized_dispatch = 1", "requires_organized_dispatch", "true or false"),
])
def test_a_broken_pairing_file_names_the_file_the_key_and_the_problem(tmp_path, old, new, key, problem):
    path = _broken(tmp_path, old, new)
    with pytest.raises(PairingConfigError) as caught:
        load_pairing(path)
    message = str(caught.value)
    assert message.startswith("xuyong-longyou.toml: ") and key in message and problem in message


def test_the_id_must_equal_the_file_name(tmp_path):
    path = tmp_path / "renamed.toml"
    shutil.copy(SHIPPED, path)
    with pytest.raises(PairingConfigError, match="renamed.toml: id: .* must equal the file name"):
        load_pairing(path)


def test_start_up_stops_on_a_broken_pairing_file(tmp_path):
    _broken(tmp_path, "cap_yuan = 800", "cap_yuan = -1")
    with pytest.raises(StartupError, match="xuyong-longyou.toml: subsidies.transport.cap_yuan"):
        create_app({"EXCHANGE_SECRET_KEY": "s", "EXCHANGE_PARTNER_CONFIG_DIR": str(tmp_path),
                    "EXCHANGE_INSTANCE_DIR": str(tmp_path / "i")})


def test_optional_tables_may_be_absent(tmp_path):
    path = tmp_path / "minimal.toml"
    path.write_text('id = "minimal"\nname = "最小"\n[sending]\ncode = "510524"\nname = "A"\n'
                    '[receiving]\ncode = "330825"\nname = "B"\n[feed]\nsecret_env = "S"\n', encoding="utf-8")
    pairing = load_pairing(path)
    assert pairing.payer is None and pairing.transport is None and pairing.liaison is None
    assert (pairing.followup.first_contact_days, pairing.followup.interval_days, pairing.followup.after_bad_status_days) == (7, 30, 7)
    assert pairing.poll_seconds == 60
