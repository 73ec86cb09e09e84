"""employment.updated: the partner's full list of a seeker's spells replaces ours (state, not delta)."""
from __future__ import annotations

from typing import Any

from exchange.core.models import utcnow
from exchange.employers.models import APPROVED, Employer
from exchange.employment.service import replace_spells
from exchange.protocol.apply import ApplyContext, ApplyProblem, handles
from exchange.protocol.upsert import authored_here, ids_by_ref, upsert_by_ref
from exchange.registry.models import Seeker


@handles("employment.updated")
def employment_updated(data: dict[str, Any], ctx: ApplyContext) -> None:
    seeker_id = ids_by_ref(Seeker, [data["seeker_ref"]]).get(data["seeker_ref"])
    if seeker_id is None:
        raise ApplyProblem(f"spells of an unknown seeker {data['seeker_ref']}")
    if authored_here(ctx.source_region):
        return   # one instance, one list of spells: the author's
    employers = {s["employer"]["employer_ref"]: s["employer"] for s in data["spells"]}
    employer_ids = upsert_by_ref(Employer, [
        {"ref": ref, "region": ctx.source_region, "name": e["name"], "uscc": e["uscc"], "status": APPROVED,
         "created_at": utcnow()} for ref, e in employers.items()], region=ctx.source_region, update_fields=("name",))
    replace_spells(seeker_id, ctx.pairing.id, ctx.source_region, [
        {"employer_id": employer_ids[s["employer"]["employer_ref"]], "start_date": s["start_date"],
         "end_date": s["end_date"], "monthly_wage_fen": s["monthly_wage_fen"]} for s in data["spells"]])
