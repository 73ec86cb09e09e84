"""Round 2's proposals: the matching engine (exchange.matching, pure) fed from the database — the
seekers of a seeker list, the postings of a supply list with the places they have left, who is
already hired or travelling — and its answer for a supply list or for one person."""
from __future__ import annotations

from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select

from exchange.accounts.permissions import require_pairing_member, require_side
from exchange.accounts.roles import SENDING_STAFF, Actor
from exchange.core.errors import Conflict
from exchange.core.i18n import current_translations
from exchange.core.scoping import get_in_pairing, get_visible
from exchange.employers.models import Posting
from exchange.extensions import db
from exchange.lists.models import PUBLISHED, SupplyList, SupplyListItem
from exchange.lists.service import seekers_of_list
from exchange.matching.engine import Engine, PostingIn, SeekerIn
from exchange.matching.proposal import propose, recommend
from exchange.placements.models import HIRED, Match, Traveller
from exchange.registry.models import Seeker, TrainingRecord


def blocked_seekers(pairing_id: str) -> set[int]:
    """Seekers already hired, or travelling, in this pairing — except returnees (返乡回流), who
    came home and may be placed again."""
    hired = select(Match.seeker_id).where(Match.pairing_id == pairing_id, Match.outcome == HIRED)
    travelling = (select(Traveller.seeker_id).join(Match, Match.id == Traveller.match_id)
                  .where(Match.pairing_id == pairing_id))
    placed = hired.union(travelling).subquery()
    return set(db.session.scalars(select(placed.c.seeker_id).join(Seeker, Seeker.id == placed.c.seeker_id)
                                  .where(Seeker.returned_home_on.is_(None))))


def trained_seekers(seeker_ids: list[int]) -> set[int]:
    """Seekers with a training record on file."""
    return set(db.session.scalars(select(TrainingRecord.seeker_id).where(TrainingRecord.seeker_id.in_(seeker_ids))))


def seeker_input(seeker: Seeker, blocked: set[int], trained: set[int], today: date) -> SeekerIn:
    birth = seeker.birth_date
    if birth is None:  # a partner's copy knows the age only: take the middle of that year of life
        birth = today - timedelta(days=int((seeker.age_reported or 30) * 365.25 + 182))
    return SeekerIn(id=seeker.id, gender=seeker.gender, birth_date=birth, education=seeker.education,
                    skills=tuple(seeker.skills or ()), occupations=tuple(seeker.occupations_wanted or ()),
                    wage_expectation_fen=seeker.wage_expectation_fen, work_type=seeker.work_type,
                    available_from=seeker.available_from, household=seeker.household_status,
                    consent=bool(seeker.consent_to_share), blocked=seeker.id in blocked, trained=seeker.id in trained)


def posting_input(posting: Posting, capacity: int) -> PostingIn:
    return PostingIn(id=posting.id, occupation=posting.occupation, gender=posting.req_gender,
                     age_min=posting.req_age_min, age_max=posting.req_age_max,
                     education_min=posting.req_education_min, skills=tuple(posting.req_skills or ()),
                     work_type=posting.work_type, start_date=posting.start_date, wage_min_fen=posting.wage_min_fen,
                     wage_max_fen=posting.wage_max_fen, housing=posting.housing, meals=posting.meals,
                     capacity=capacity, title=posting.title)


def supply_capacities(supply_list: SupplyList) -> list[tuple[Posting, int]]:
    """The supply list's postings (by id) with the places they still offer.

    A list offers what was left of each posting when it was published; every hire into the
    posting announced after that (through this list or any other) takes one of those places. Both
    sides know these two facts (the partner's copy never learns a posting's full headcount), so
    both compute the same places, and a posting offered in two lists is not filled twice."""
    rows = db.session.execute(select(Posting, SupplyListItem.headcount).join(SupplyListItem, SupplyListItem.posting_id == Posting.id)
                              .where(SupplyListItem.list_id == supply_list.id).order_by(Posting.id)).all()
    if not rows or supply_list.published_seq is None:
        return [(posting, offered) for posting, offered in rows]
    # Both events come from the receiving region's outbox, so their seqs order them on either side.
    taken = dict(db.session.execute(
        select(Match.posting_id, func.count()).where(Match.posting_id.in_([p.id for p, _ in rows]), Match.outcome == HIRED,
                                                     Match.pairing_id == supply_list.pairing_id,
                                                     Match.result_seq > supply_list.published_seq)
        .group_by(Match.posting_id)).all())
    return [(posting, max(0, offered - taken.get(posting.id, 0))) for posting, offered in rows]


def engine_for(ctx, supply_list: SupplyList, seekers: list[Seeker], *, blocked: set[int] | None = None) -> Engine:
    today = ctx.clock.today()
    blocked = blocked_seekers(supply_list.pairing_id) if blocked is None else blocked
    trained = trained_seekers([s.id for s in seekers])
    postings = supply_capacities(supply_list)
    return Engine([seeker_input(s, blocked, trained, today) for s in seekers],
                  [posting_input(p, capacity) for p, capacity in postings])


def _own_published_supply_list(ctx, actor: Actor, pairing_id: str, supply_list_id: int) -> SupplyList:
    pairing = require_pairing_member(ctx, actor, pairing_id)
    require_side(actor, pairing, "sending", SENDING_STAFF)
    supply_list = get_in_pairing(SupplyList, supply_list_id, actor, pairing)
    if supply_list.status != PUBLISHED:
        raise Conflict("not_published", _("The supply list is not published"))
    return supply_list


def proposal(ctx, actor: Actor, pairing_id: str, supply_list_id: int) -> dict:
    supply_list = _own_published_supply_list(ctx, actor, pairing_id, supply_list_id)
    engine = engine_for(ctx, supply_list, seekers_of_list(supply_list.seeker_list))
    result = propose(engine)
    t = current_translations()
    return {
        "matches": [{"seeker_id": engine.seekers[m["seeker"]].id, "posting_id": engine.postings[m["posting"]].id,
                     "score": m["score"], "reasons": [r.render(t) for r in m["reasons"]]} for m in result.matches],
        "unmatched": [{"seeker_id": engine.seekers[u["seeker"]].id, "reasons": [r.render(t) for r in u["reasons"]]}
                      for u in result.unmatched],
    }


def recommendations(ctx, actor: Actor, pairing_id: str, seeker_id: int) -> dict:
    pairing = require_pairing_member(ctx, actor, pairing_id)
    require_side(actor, pairing, "sending", SENDING_STAFF)
    seeker = get_visible(Seeker, seeker_id, actor)
    lists = db.session.scalars(select(SupplyList).where(SupplyList.pairing_id == pairing.id,
                                                        SupplyList.status == PUBLISHED).order_by(SupplyList.id))
    seen: dict[int, tuple[Posting, int]] = {}
    for supply_list in lists:
        for posting, capacity in supply_capacities(supply_list):
            if capacity > 0:
                seen.setdefault(posting.id, (posting, capacity))
    if not seen:
        return {"items": []}
    today = ctx.clock.today()
    blocked = blocked_seekers(pairing.id)
    engine = Engine([seeker_input(seeker, blocked, trained_seekers([seeker.id]), today)],
                    [posting_input(p, c) for p, c in sorted(seen.values(), key=lambda pc: pc[0].id)])
    return {"items": [{"posting_id": engine.postings[r["posting"]].id, "score": r["score"],
                       "reasons": [x.render() for x in r["reasons"]]} for r in recommend(engine, 0)]}

