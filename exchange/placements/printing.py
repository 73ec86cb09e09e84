"""Print: the dispatch manifest (输送名单) and the contact cards (连心卡), rendered from HTML
templates by WeasyPrint with an embedded Noto CJK font."""
from __future__ import annotations

from flask import render_template
from sqlalchemy import select

from exchange.core import audit
from exchange.core.clock import iso_local
from exchange.core.errors import NotFound
from exchange.core.i18n import record_language
from exchange.core.pdf import render_pdf
from exchange.core.words import label
from exchange.extensions import db
from exchange.placements.models import Dispatch, Traveller
from exchange.placements.service import traveller_rows


def _local(instant) -> str:
    text = iso_local(instant) or ""
    return text[:16].replace("T", " ")


def manifest_html(ctx, viewer, dispatch: Dispatch) -> str:
    pairing = ctx.pairings.get(dispatch.pairing_id)
    with record_language():   # a printed manifest is in Chinese, whoever prints it
        return render_template("pdf/manifest.html", pairing=pairing, dispatch=dispatch,
                               rows=traveller_rows(ctx, dispatch, viewer=viewer, full_phones=True),
                               departed=_local(dispatch.departed_at), mode=label(dispatch.mode),
                               generated=_local(ctx.clock.now()))


def manifest_pdf(ctx, viewer, dispatch: Dispatch) -> bytes:
    html = manifest_html(ctx, viewer, dispatch)
    audit.record(viewer, "dispatch.manifest_printed", "dispatch", dispatch.id, at=ctx.clock.now(),
                 subjects=select(Traveller.seeker_id).where(Traveller.dispatch_id == dispatch.id))
    db.session.commit()
    return render_pdf(html)


def contact_cards_pdf(ctx, viewer, dispatch: Dispatch, traveller_id: int | None) -> bytes:
    pairing = ctx.pairings.get(dispatch.pairing_id)
    rows = traveller_rows(ctx, dispatch, viewer=viewer, full_phones=True)
    if traveller_id is not None:
        rows = [row for row in rows if row["traveller_id"] == traveller_id]
        if not rows:
            raise NotFound("not_found", f"traveller {traveller_id} not found")
    with record_language():
        html = render_template("pdf/cards.html", pairing=pairing, dispatch=dispatch, rows=rows)
    pdf = render_pdf(html)
    # The cards carry whole phone numbers: each person printed is in their access record.
    audit.record(viewer, "dispatch.cards_printed", "dispatch", dispatch.id, at=ctx.clock.now(),
                 subjects=[row["traveller"].seeker_id for row in rows])
    db.session.commit()
    return pdf
