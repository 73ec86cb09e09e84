"""employment.updated: the partner's full list of a seeker's spells replaces ours (state, not delta);
and the spells' digest for reconciliation."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from exchange.employers.models import Employer
from exchange.employers.service import save_partner_employers
from exchange.employment.events import EmploymentUpdated
from exchange.employment.models import EmploymentSpell
from exchange.employment.service import replace_spells
from exchange.extensions import db
from exchange.protocol.apply import ApplyContext, ApplyProblem, handles
from exchange.protocol.reconciliation import digest, digest_kind
from exchange.protocol.upsert import ids_by_ref
from exchange.registry.models import Seeker


@handles("employment.updated", author="receiving", payload=EmploymentUpdated)
def employment_updated(data: dict[str, Any], ctx: ApplyContext) -> None:
    seeker_id = ids_by_ref(Seeker, [data["seeker_ref"]]).get(data["seeker_ref"])
    if seeker_id is None:
        raise ApplyProblem(f"spells of an unknown seeker {data['seeker_ref']}")
    if ctx.authored_here:
        return   # one instance, one list of spells: the author's
    now = ctx.clock.now()
    employer_ids = save_partner_employers([s["employer"] for s in data["spells"] if s["employer"]],
                                          region=ctx.source_region, refresh=True, at=now)
    replace_spells(seeker_id, ctx.pairing.id, ctx.source_region, [
        {"employer_id": employer_ids[s["employer"]["employer_ref"]] if s["employer"] else None,
         "work_type": s["work_type"], "description": s["description"], "start_date": s["start_date"],
         "end_date": s["end_date"], "monthly_wage_fen": s["monthly_wage_fen"]} for s in data["spells"]], now)


@digest_kind("spells")
def spells(pairing) -> dict[str, str]:
    """Per seeker, the whole list of the receiving region's spells as employment.updated carries it
    (local jobs the sending county records are not exchanged)."""
    rows = db.session.execute(select(Seeker.ref, Employer.ref, EmploymentSpell.start_date, EmploymentSpell.end_date,
                                     EmploymentSpell.monthly_wage_fen)
                              .join(Seeker, Seeker.id == EmploymentSpell.seeker_id)
                              .outerjoin(Employer, Employer.id == EmploymentSpell.employer_id)
                              .where(EmploymentSpell.pairing_id == pairing.id,
                                     EmploymentSpell.region == pairing.receiving.code)).all()
    grouped: dict[str, list] = {}
    for seeker_ref, *spell in rows:
        grouped.setdefault(seeker_ref, []).append(spell)
    return {ref: digest(sorted(spells, key=str)) for ref, spells in grouped.items()}
