"""`[[programmes]]` in a pairing file (spec/programmes.md): read as data, the four [subsidies.*]
tables as shorthand for four of them, and every mistake refused naming the file, the key and the
problem."""
from __future__ import annotations

from pathlib import Path

import pytest

from exchange.pairings.config import PairingConfigError, load_pairing
from tests.conftest import PROJECT
from tests.factories import PAIRING, RECEIVING

SHIPPED = PROJECT / "partner_configs" / "xuyong-longyou.toml"

WORKSHOP = '''
[[programmes]]
key = "workshop_hiring"
name = "帮扶车间吸纳奖补"
payer = "sending"
payee = "employer"
trigger = "employment"
milestones = [{ months = 3, amount_yuan = 1000 }]
[programmes.when]
household_status = ["registered_poor", "monitored"]
employer_kind = ["workshop", "base"]
'''


def _with(tmp_path: Path, extra: str, old: str = "", new: str = "") -> Path:
    text = SHIPPED.read_text(encoding="utf-8")
    if old:
        assert old in text
        text = text.replace(old, new, 1)
    path = tmp_path / "xuyong-longyou.toml"
    path.write_text(text + extra, encoding="utf-8")
    return path


def test_the_subsidies_tables_are_the_four_shorthand_programmes():
    pairing = load_pairing(SHIPPED)
    assert [(p.key, p.trigger, p.payee, p.payer, p.shorthand) for p in pairing.programmes] == [
        ("transport", "transport", "worker", "receiving", True), ("retention", "employment", "worker", "receiving", True),
        ("income", "income", "worker", "receiving", True), ("training", "training", "worker", "receiving", True)]
    transport, retention = pairing.programme("transport"), pairing.programme("retention")
    assert transport.cap_fen == 80000 and transport.when.organised_dispatch is True
    assert [(m.months, m.amount_fen) for m in retention.milestones] == [(6, 50000), (12, 50000)]
    assert retention.max_gap_days == 30


def test_a_programme_is_read_with_its_conditions_and_defaults(tmp_path):
    pairing = load_pairing(_with(tmp_path, WORKSHOP + '''
[[programmes]]
key = "public_posts"
name = "公益性岗位补贴"
trigger = "monthly"
amount_yuan = 500
[programmes.when]
employer_kind = ["public_post"]

[[programmes]]
key = "long_training"
name = "80学时以上培训补贴"
trigger = "training"
per_day_yuan = 50
min_hours = 80
'''))
    workshop, posts, training = (pairing.programme(k) for k in ("workshop_hiring", "public_posts", "long_training"))
    assert (workshop.payer, workshop.payee, workshop.max_gap_days) == ("sending", "employer", 30)     # gap: the default
    assert workshop.when.household_status == ("registered_poor", "monitored") and workshop.when.employer_kind == ("workshop", "base")
    assert (posts.payer, posts.payee, posts.amount_fen) == ("receiving", "worker", 50000)          # payer: [subsidies]'s
    assert (training.per_day_fen, training.min_hours, training.cap_fen) == (5000, 80, None)


@pytest.mark.parametrize("extra, key, problem", [
    (WORKSHOP.replace('trigger = "employment"', 'trigger = "weekly"'), "programmes[0].trigger", "must be one of"),
    (WORKSHOP.replace('payee = "employer"', 'payee = "village"'), "programmes[0].payee", "must be one of"),
    (WORKSHOP.replace('employer_kind = ["workshop", "base"]', 'employer_kind = ["farm"]'),
     "programmes[0].when.employer_kind", "'farm' is not one of"),
    (WORKSHOP.replace("[programmes.when]", "[programmes.when]\nage_under = 60"), "programmes[0].when.age_under", "unknown condition"),
    (WORKSHOP.replace('key = "workshop_hiring"', 'key = "Workshop Hiring"'), "programmes[0].key", "expected form"),
    (WORKSHOP.replace("amount_yuan = 1000", "amount_yuan = -1000"), "milestones[0].amount_yuan", "negative"),
    (WORKSHOP.replace('key = "workshop_hiring"', 'key = "retention"'), "programmes[0].key", "already a programme"),
    (WORKSHOP + WORKSHOP, "programmes[1].key", "already a programme"),
    ('\n[[programmes]]\nkey = "income_bonus"\nname = "x"\ntrigger = "income"\nthreshold_yuan = 1\namount_yuan = 1\n'
     'milestones = [{ months = 3, amount_yuan = 1 }]\n', "programmes[0].milestones", "means nothing for trigger 'income'"),
    ('\n[[programmes]]\nkey = "fares"\nname = "x"\ntrigger = "transport"\ncap_yuan = 1\nmin_hours = 3\n',
     "programmes[0].min_hours", "means nothing for trigger 'transport'"),
    ('\n[[programmes]]\nkey = "fares"\nname = "x"\ntrigger = "transport"\n', "programmes[0].cap_yuan", "missing"),
    ('\n[[programmes]]\nkey = "study"\nname = "x"\ntrigger = "training"\npayee = "employer"\nper_day_yuan = 1\n',
     "programmes[0].payee", "cannot be paid by trigger 'training'"),
    ('\n[[programmes]]\nkey = "study"\nname = "x"\ntrigger = "training"\n', "programmes[0].per_day_yuan", "one of them"),
    ('\n[[programmes]]\nkey = "study"\nname = "x"\ntrigger = "income"\nthreshold_yuan = 1\namount_yuan = 1\n'
     '[programmes.when]\nemployer_kind = ["workshop"]\n', "programmes[0].when.employer_kind", "means nothing for trigger 'income'"),
    ('\n[[programmes]]\nkey = "posts"\nname = "x"\ntrigger = "monthly"\namount_yuan = 300\n', "programmes[0].when.employer_kind", "missing"),
    ('\n[[programmes]]\nkey = "posts"\nname = "x"\ntrigger = "hired"\namount_yuan = 300\nbonus = 1\n', "programmes[0].bonus", "unknown key"),
    ('\n[programmes]\nkey = "x"\n', "programmes", "array of tables"),
])
def test_a_mistake_in_a_programme_names_the_file_the_key_and_the_problem(tmp_path, extra, key, problem):
    with pytest.raises(PairingConfigError) as caught:
        load_pairing(_with(tmp_path, extra))
    message = str(caught.value)
    assert message.startswith("xuyong-longyou.toml: ") and key in message and problem in message, message


def test_without_subsidies_a_programme_must_name_its_payer(tmp_path):
    text = SHIPPED.read_text(encoding="utf-8")
    start, end = text.index("[subsidies]"), text.index("[liaison]")
    path = tmp_path / "xuyong-longyou.toml"
    path.write_text(text[:start] + text[end:] + WORKSHOP.replace('payer = "sending"\n', ""), encoding="utf-8")
    with pytest.raises(PairingConfigError, match=r"programmes\[0\]\.payer: missing"):
        load_pairing(path)


def test_the_api_answers_the_programmes_as_loaded(api):
    status, body = api("finance_approver", RECEIVING).get(f"/api/v1/pairings/{PAIRING}/programmes")
    assert status == 200
    assert [(p["key"], p["trigger"], p["payee"]) for p in body["items"]] == [
        ("transport", "transport", "worker"), ("retention", "employment", "worker"), ("income", "income", "worker"),
        ("training", "training", "worker")]
    assert body["items"][0] == {"key": "transport", "name": "交通补贴", "payer": "receiving", "payee": "worker",
                                "trigger": "transport", "when": {"organised_dispatch": True}, "shorthand": True,
                                "cap_fen": 80000}
    assert api("sending_staff", "451228").get(f"/api/v1/pairings/{PAIRING}/programmes")[0] == 403
