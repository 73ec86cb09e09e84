"""What the money adds to a person's timeline: each claim, and its decision."""
from __future__ import annotations

from sqlalchemy import select

from exchange.core.i18n import _l
from exchange.core.money import fen_to_yuan
from exchange.core.timeline import entry, timeline_source
from exchange.core.words import label
from exchange.extensions import db
from exchange.subsidies.models import Claim


@timeline_source
def claims(seeker, pairing, viewer) -> list[dict | None]:
    out = []
    for claim in db.session.scalars(select(Claim).where(Claim.seeker_id == seeker.id, Claim.pairing_id == pairing.id)):
        kind = pairing.kind_labels.get(claim.kind, claim.kind)
        out.append(entry(claim.created_at, "claim.filed", _l("%(kind)s claimed: %(amount)s yuan", kind=kind,
                                                             amount=fen_to_yuan(claim.amount_fen)), "claim", claim.id, claim.ref))
        if claim.decided_at and claim.status != "pending":
            out.append(entry(claim.decided_at, f"claim.{claim.status}", _l("%(kind)s %(status)s: %(amount)s yuan", kind=kind,
                                                                           status=label(claim.status),
                                                                           amount=fen_to_yuan(claim.approved_amount_fen or 0)),
                             "claim", claim.id, claim.ref))
    return out
