"""A person's employment record in the browser: the receiving county keeps the jobs with its
employers (and the sending county reads them), the sending county its local jobs and flexible work."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import fields, validate

from exchange.core.fields import Yuan
from exchange.core.i18n import _l
from exchange.employers.service import approved_employers_of
from exchange.employment import service
from exchange.employment.schemas import SpellIn, SpellsIn
from exchange.pairings.programmes import WORK_TYPES
from exchange.portal.auth import login_required, pairing_of
from exchange.portal.forms import attempt, flash_errors, form_values, load_values
from exchange.portal.nav import seeker_link
from exchange.registry import service as registry

bp = Blueprint("employment_pages", __name__)
seeker_link("employment_pages.spells", _l("Employment record"), order=10)


class SpellRow(SpellIn):
    monthly_wage_fen = Yuan(data_key="wage", load_default=None, allow_none=True)


class SpellsForm(SpellsIn):
    """The record as the table shows it, the wages typed in yuan."""
    spells = fields.List(fields.Nested(SpellRow), load_default=list, validate=validate.Length(max=200))


@bp.route("/employment/<int:seeker_id>", methods=["GET", "POST"])
@login_required
def spells(actor, ctx, seeker_id):
    pairing = pairing_of(ctx, actor)
    if request.method == "POST":
        values = form_values(SpellsForm())
        # A row with neither employer nor start is an empty row of the table, not a job.
        values["spells"] = [row for row in values.get("spells", [])
                            if row.get("employer_id") or row.get("start_date") or row.get("description")]
        data, errors = load_values(SpellsForm(), values)
        if data is None:
            flash_errors(errors)
        else:
            attempt(lambda: service.put_spells(ctx, actor, pairing.id, seeker_id, data["spells"]),
                    _("The employment record is saved and sent"))
        return redirect(url_for("employment_pages.spells", seeker_id=seeker_id))
    current = service.get_spells(ctx, actor, pairing.id, seeker_id)
    person = registry.present_seeker(registry.get_seeker(actor, seeker_id), actor, ctx.clock.today())
    own = [s for s in current if s.region == actor.region]
    return render_template("employment/spells.html", spells=own, others=[s for s in current if s.region != actor.region],
                           employers=approved_employers_of(actor),
                           person=person, side=pairing.side_of(actor.region), work_types=WORK_TYPES)
