"""What the employment record adds to a person's timeline: each job started and left."""
from __future__ import annotations

from datetime import datetime, time

from sqlalchemy import select

from exchange.core.clock import SHANGHAI
from exchange.core.i18n import _l
from exchange.core.timeline import entry, timeline_source
from exchange.employment.models import EmploymentSpell
from exchange.extensions import db


@timeline_source
def spells(seeker, pairing, viewer) -> list[dict | None]:
    out = []
    for spell in db.session.scalars(select(EmploymentSpell).where(EmploymentSpell.seeker_id == seeker.id,
                                                                  EmploymentSpell.pairing_id == pairing.id)):
        out.append(entry(datetime.combine(spell.start_date, time(9), SHANGHAI), "employment.started",
                         _l("Started work at %(employer)s", employer=spell.where), "employment_spell", spell.id))
        if spell.end_date:
            out.append(entry(datetime.combine(spell.end_date, time(18), SHANGHAI), "employment.ended",
                             _l("Left %(employer)s", employer=spell.where), "employment_spell", spell.id))
    return out
