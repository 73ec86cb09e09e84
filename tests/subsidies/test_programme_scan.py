"""The daily scan pays every `employment` programme of a pairing file, not only 稳岗奖补: with
its own milestones, its conditions on the person and the employer, and its payee — the worker,
or the employer of the spell the milestone falls in (spec/programmes.md)."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from exchange.core.context import current_context
from exchange.demo import make_uscc
from exchange.employers.models import Employer
from exchange.employment.models import EmploymentSpell
from exchange.extensions import db
from exchange.registry.models import Seeker
from exchange.subsidies.models import Claim
from exchange.subsidies.retention import scan
from tests.factories import PAIRING, RECEIVING, SENDING
from tests.servers import pairing_dir_with

D = date.fromisoformat
MADE = datetime(2026, 3, 1, 9, tzinfo=timezone.utc)
PROGRAMMES = '''
[[programmes]]
key = "workshop_keep"
name = "稳岗奖补（企业）"
payee = "employer"
trigger = "employment"
milestones = [{ months = 3, amount_yuan = 1000 }]
[programmes.when]
household_status = ["registered_poor", "monitored"]

[[programmes]]
key = "base_keep"
name = "基地稳岗"
trigger = "employment"
milestones = [{ months = 2, amount_yuan = 300 }]
[programmes.when]
employer_kind = ["base"]

[[programmes]]
key = "seasonal_keep"
name = "季节工稳岗"
trigger = "employment"
milestones = [{ months = 1, amount_yuan = 100 }]
[programmes.when]
work_type = ["seasonal"]
'''


@pytest.fixture
def app(make_app, tmp_path):
    app = make_app(EXCHANGE_PARTNER_CONFIG_DIR=str(pairing_dir_with(tmp_path / "config", PROGRAMMES)))
    with app.app_context():
        yield app


def _world():
    plant = Employer(region=RECEIVING, name="龙游锦程电子科技有限公司", uscc=make_uscc(RECEIVING, 5), status="approved",
                     created_at=MADE)
    base = Employer(region=RECEIVING, name="龙游就业帮扶基地", uscc=make_uscc(RECEIVING, 6), status="approved", kind="base",
                    created_at=MADE)
    people = [Seeker(region=SENDING, name=name, gender="M", education="junior", work_type="long_term", household_status=status,
                     national_id_hash=f"h{k}", birth_date=D("1990-01-01"), created_at=MADE)
              for k, (name, status) in enumerate([("龙志明", "registered_poor"), ("吴秀英", "monitored"), ("潘老四", "other")])]
    db.session.add_all([plant, base, *people])
    db.session.commit()
    return plant, base, people


def _spell(seeker, employer, start, end=None):
    db.session.add(EmploymentSpell(pairing_id=PAIRING, region=RECEIVING, seeker_id=seeker.id, employer_id=employer.id,
                                   start_date=D(start), end_date=D(end) if end else None, created_at=MADE))
    db.session.commit()


def _claims(kind):
    return sorted((c.seeker_id, c.milestone_date.isoformat(), c.amount_fen, c.payee_type, c.payee_id)
                  for c in db.session.scalars(select(Claim).where(Claim.kind == kind)))


def _scan(day):
    ctx = current_context()
    return scan(ctx, ctx.pairings.get(PAIRING), D(day))


def test_an_employer_paid_programme_for_the_poor_pays_the_employer_of_the_spell(app):
    plant, base, (poor, watched, other) = _world()
    _spell(poor, plant, "2026-03-31")
    _spell(watched, plant, "2026-04-10", "2026-05-31")
    _spell(watched, base, "2026-06-15")                    # a gap of 14 days: the chain goes on, at the base
    _spell(other, plant, "2026-03-01")                     # not poor, not watched: the worker's 稳岗 only
    summary = _scan("2026-06-30")
    assert _claims("workshop_keep") == [(poor.id, "2026-06-30", 100000, "employer", plant.id)]
    assert summary["programmes"]["workshop_keep"] == {"3": 1} and summary["created"] == {"6": 0, "12": 0}
    _scan("2026-07-24")                                    # 04-10 + 3 months + the 14-day gap
    assert _claims("workshop_keep") == [(poor.id, "2026-06-30", 100000, "employer", plant.id),
                                        (watched.id, "2026-07-24", 100000, "employer", base.id)]
    # The base programme counts only the spells at a base: two months from 06-15.
    assert _claims("base_keep") == []
    _scan("2026-08-15")
    assert _claims("base_keep") == [(watched.id, "2026-08-15", 30000, "worker", None)]
    assert _scan("2026-08-15")["total_created"] == 0                          # run again: nothing twice
    # Every job here is long-term: the seasonal programme has nobody to pay.
    assert _scan("2026-08-15")["programmes"]["seasonal_keep"] == {"1": 0} and _claims("seasonal_keep") == []


def test_the_shorthand_retention_programme_is_paid_as_before(app):
    plant, _base, (poor, _w, other) = _world()
    _spell(other, plant, "2026-03-01")
    summary = _scan("2026-09-01")
    assert summary["created"] == {"6": 1, "12": 0}
    assert _claims("retention") == [(other.id, "2026-09-01", 50000, "worker", None)]
