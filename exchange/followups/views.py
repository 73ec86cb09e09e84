"""The lists the sending county keeps today in Excel, kept here from the records themselves
(seeds 001 and 002): 任务清单 (willing, not yet placed), 稳岗清单 (placed and tracked), 返乡回流
(came home) and 就业不稳定 (at risk). Each is one query; each exports to xlsx."""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select

from flask_babel import gettext as _

from exchange.core import audit
from exchange.core.clock import local_date
from exchange.core.errors import NotFound
from exchange.core.i18n import _l, record_language
from exchange.core.money import fen_to_yuan
from exchange.core.sheets import workbook
from exchange.core.words import label
from exchange.employers.models import Employer, Posting
from exchange.employment.models import EmploymentSpell
from exchange.extensions import db
from exchange.followups.models import FollowUp
from exchange.followups.service import RISK_LABELS, effective_logs, worklist
from exchange.placements.models import HIRED, Match, Traveller
from exchange.registry.models import Seeker
from exchange.registry.vocab import LABELS

VIEWS = {
    "tasks": _l("Task list: willing, not yet placed"),
    "stable": _l("Stable employment list: placed and tracked"),
    "returnees": _l("Returnees"),
    "unstable": _l("Unstable employment: at risk"),
}


def _last_contacts(pairing_id: str, seeker_ids: list[int]) -> dict[int, tuple[date, str]]:
    standing = effective_logs(pairing_id).where(FollowUp.seeker_id.in_(seeker_ids)).subquery()   # corrections replace
    ranked = select(standing.c.seeker_id, standing.c.contacted_at, standing.c.status, func.row_number().over(
        partition_by=standing.c.seeker_id, order_by=(standing.c.contacted_at.desc(), standing.c.id.desc())).label("rank")
    ).subquery()
    return {r.seeker_id: (local_date(r.contacted_at), r.status) for r in db.session.execute(select(ranked).where(ranked.c.rank == 1))}


def task_list(viewer, pairing) -> tuple[list[str], list[list[Any]]]:
    placed = select(Match.seeker_id).where(Match.pairing_id == pairing.id, Match.outcome == HIRED)
    people = db.session.scalars(select(Seeker).where(Seeker.region == viewer.region, Seeker.returned_home_on.is_(None),
                                                     Seeker.id.not_in(placed)).order_by(Seeker.id))
    headers = [_l("Name"), _l("ID number"), _l("Mobile"), _l("Township"), _l("Education"), _l("Wanted occupations"),
               _l("Expected wage (yuan)"), _l("Available from"), _l("Household"), _l("Consent to share identity")]
    rows = [[s.name, s.national_id_masked, s.phone_masked, s.township or "", str(LABELS["education"].get(s.education, s.education)),
             "、".join(s.occupations_wanted or []), fen_to_yuan(s.wage_expectation_fen) if s.wage_expectation_fen else "",
             s.available_from.isoformat() if s.available_from else "", str(LABELS["household_status"].get(s.household_status, "")),
             str(_l("yes") if s.consent_to_share else _l("no")), s.id] for s in people]
    return headers, rows


def stable_list(viewer, pairing) -> tuple[list[str], list[list[Any]]]:
    rows = db.session.execute(
        select(Seeker, Employer.name, Posting.address, Match.monthly_wage_fen, Traveller.arrived_at)
        .join(Traveller, Traveller.seeker_id == Seeker.id).join(Match, Match.id == Traveller.match_id)
        .join(Posting, Posting.id == Match.posting_id).join(Employer, Employer.id == Posting.employer_id)
        .where(Match.pairing_id == pairing.id, Traveller.arrived.is_(True), Seeker.returned_home_on.is_(None))
        .order_by(Seeker.id)).all()
    contacts = _last_contacts(pairing.id, [r[0].id for r in rows])
    spells = dict(db.session.execute(select(EmploymentSpell.seeker_id, Employer.name).join(Employer).where(
        EmploymentSpell.pairing_id == pairing.id, EmploymentSpell.end_date.is_(None))).all())
    headers = [_l("Name"), _l("ID number"), _l("Mobile"), _l("Township"), _l("Employer"), _l("Place of work"),
               _l("Monthly wage (yuan)"), _l("Arrived on"), _l("Last contact"), _l("Last status")]
    out = []
    for seeker, employer, place, wage, arrived_at in rows:
        last = contacts.get(seeker.id)
        out.append([seeker.name, seeker.national_id_masked, seeker.phone_masked, seeker.township or "",
                    spells.get(seeker.id, employer), place or "", fen_to_yuan(wage) if wage else "",
                    local_date(arrived_at).isoformat() if arrived_at else "", last[0].isoformat() if last else "",
                    str(_status(last[1])) if last else "", seeker.id])
    return headers, out


def returnee_list(viewer, pairing) -> tuple[list[str], list[list[Any]]]:
    people = db.session.scalars(select(Seeker).where(Seeker.region == viewer.region, Seeker.returned_home_on.isnot(None))
                                .order_by(Seeker.returned_home_on.desc(), Seeker.id)).all()
    headers = [_l("Name"), _l("ID number"), _l("Mobile"), _l("Township"), _l("Came home on"), _l("Household")]
    return headers, [[s.name, s.national_id_masked, s.phone_masked, s.township or "", s.returned_home_on.isoformat(),
                      str(LABELS["household_status"].get(s.household_status, "")), s.id] for s in people]


def unstable_list(ctx, viewer, pairing, as_of: date) -> tuple[list[str], list[list[Any]]]:
    items = [i for i in worklist(ctx, viewer, pairing.id, as_of, sort="risk")["items"] if i["at_risk"]]
    names = {s.id: s for s in db.session.scalars(select(Seeker).where(Seeker.id.in_([i["seeker_id"] for i in items])))}
    headers = [_l("Name"), _l("Mobile"), _l("Township"), _l("Risk"), _l("Last status"), _l("Due on"), _l("Days overdue")]
    return headers, [[names[i["seeker_id"]].name, names[i["seeker_id"]].phone_masked, names[i["seeker_id"]].township or "",
                      "；".join(str(RISK_LABELS[r]) for r in i["risk_reasons"]), str(_status(i["last_status"])) if i["last_status"] else "",
                      i["due_on"].isoformat(), i["days_overdue"], i["seeker_id"]] for i in items]


def _status(word: str | None):
    return label(word) if word else ""


def named_view(ctx, viewer, pairing, name: str, as_of: date) -> tuple[list[str], list[list[Any]]]:
    """headers and rows (the last cell of each row is the seeker's id, for links; not exported).
    The lists are the sending county's: the receiving side, or a list not named here, finds none."""
    if name not in VIEWS or pairing.side_of(viewer.region) != "sending":
        raise NotFound("not_found", _("No such list"))
    return {"tasks": lambda: task_list(viewer, pairing), "stable": lambda: stable_list(viewer, pairing),
            "returnees": lambda: returnee_list(viewer, pairing),
            "unstable": lambda: unstable_list(ctx, viewer, pairing, as_of)}[name]()


def named_view_xlsx(ctx, viewer, pairing, name: str, as_of: date) -> bytes:
    """The whole list as xlsx, in Chinese whatever the screen's language: it goes round the county
    offices. ID numbers and phones stay masked."""
    with record_language():
        headers, rows = named_view(ctx, viewer, pairing, name, as_of)
        body = workbook(str(VIEWS[name])[:31], [str(h) for h in headers], [row[:-1] for row in rows])
        audit.record(viewer, "named_view.exported", "pairing", None, at=ctx.clock.now(), name=name,
                     title=str(VIEWS[name]), as_of=as_of.isoformat(), subjects=[row[-1] for row in rows])
    db.session.commit()
    return body
