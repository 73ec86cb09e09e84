"""Print: the dispatch manifest (输送名单) and the contact cards (连心卡), rendered from HTML
templates by WeasyPrint with an embedded Noto CJK font."""
from __future__ import annotations

from typing import Any

from flask import render_template
from sqlalchemy import select

from exchange.core import audit
from exchange.core.clock import Clock, iso_local
from exchange.core.errors import NotFound
from exchange.core.i18n import record_language
from exchange.core.runtime import runtime
from exchange.core.words import label
from exchange.employers.models import Posting
from exchange.extensions import db
from exchange.placements.models import Dispatch, Match
from exchange.registry.models import Seeker
from exchange.registry.service import AAD
from exchange.registry.vocab import LABELS


def _local(instant) -> str:
    text = iso_local(instant) or ""
    return text[:16].replace("T", " ")


def traveller_rows(dispatch: Dispatch, *, viewer) -> list[dict[str, Any]]:
    """One row per traveller, with the full phone (the escort calls these numbers on the road)
    and the masked ID number; the emergency contact where this region holds it."""
    cipher = runtime().cipher
    rows = db.session.execute(
        select(Match, Seeker, Posting).join(Seeker, Seeker.id == Match.seeker_id).join(Posting, Posting.id == Match.posting_id)
        .where(Match.id.in_([t.match_id for t in dispatch.travellers]))).all()
    by_match = {match.id: (seeker, posting) for match, seeker, posting in rows}
    out = []
    for number, traveller in enumerate(dispatch.travellers, start=1):
        seeker, posting = by_match[traveller.match_id]
        emergency = ""
        if seeker.region == viewer.region and seeker.emergency_contact_name:
            phone = cipher.decrypt(seeker.emergency_contact_phone_enc, AAD["emergency_contact_phone"]) or ""
            emergency = f"{seeker.emergency_contact_name} {phone}".strip()
        out.append({
            "number": number, "traveller_id": traveller.id, "name": seeker.name or "", "gender": LABELS["gender"].get(seeker.gender, ""),
            "national_id": seeker.national_id_masked or "",
            "phone": cipher.decrypt(seeker.phone_enc, AAD["phone"]) or "",
            "employer": posting.employer.name, "posting": posting.title,
            "remark": "；".join(x for x in (emergency, traveller.note or "") if x),
        })
    return out


def manifest_html(viewer, dispatch: Dispatch, clock: Clock) -> str:
    pairing = runtime().pairings.get(dispatch.pairing_id)
    with record_language():   # a printed manifest is in Chinese, whoever prints it
        return render_template("pdf/manifest.html", pairing=pairing, dispatch=dispatch,
                               rows=traveller_rows(dispatch, viewer=viewer), departed=_local(dispatch.departed_at),
                               mode=label(dispatch.mode), generated=_local(clock.now()))


def render_pdf(html: str) -> bytes:
    from weasyprint import HTML
    return HTML(string=html, base_url=None).write_pdf()


def manifest_pdf(viewer, dispatch: Dispatch, clock: Clock) -> bytes:
    html = manifest_html(viewer, dispatch, clock)
    audit.record(viewer, "dispatch.manifest_printed", "dispatch", dispatch.id)
    db.session.commit()
    return render_pdf(html)


def contact_cards_pdf(viewer, dispatch: Dispatch, traveller_id: int | None) -> bytes:
    pairing = runtime().pairings.get(dispatch.pairing_id)
    rows = traveller_rows(dispatch, viewer=viewer)
    if traveller_id is not None:
        rows = [row for row in rows if row["traveller_id"] == traveller_id]
        if not rows:
            raise NotFound("not_found", f"traveller {traveller_id} not found")
    with record_language():
        html = render_template("pdf/cards.html", pairing=pairing, dispatch=dispatch, rows=rows)
    return render_pdf(html)

