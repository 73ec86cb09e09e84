"""Round 1 in the browser: building and publishing seeker lists (sending) and answering them with
supply lists (receiving)."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from exchange.core.fields import LenientBool
from exchange.core.i18n import _l
from exchange.employers.service import postings_to_offer
from exchange.lists import service
from exchange.lists.schemas import SeekerListIn, SupplyListIn
from exchange.portal.auth import login_required, pairing_of
from exchange.portal.forms import attempt, load_form
from exchange.portal.nav import Card, Where, home_card, nav_item
from exchange.registry import service as registry
from exchange.registry.schemas import SeekerQuery
from exchange.registry.vocab import LABELS

bp = Blueprint("lists_pages", __name__)
PAGE = {"limit": 100, "cursor": None, "ref": None, "status": None}


nav_item("lists_pages.seeker_lists", _l("Seeker lists"), order=20, shown=lambda where: where.office())
nav_item("lists_pages.supply_lists", _l("Supply lists"), order=30, shown=lambda where: where.office())


@home_card(order=15)
def lists_received(ctx, here: Where) -> Card | None:
    if here.clerk("sending"):
        return Card(_("Supply lists received"), service.count_received(here.actor, here.pairing, "supply"),
                    url_for("lists_pages.supply_lists"))
    if here.clerk("receiving"):
        return Card(_("Seeker lists received"), service.count_received(here.actor, here.pairing, "seeker"),
                    url_for("lists_pages.seeker_lists"))
    return None


class AnswerForm(SupplyListIn):
    """A supply list answering a seeker list: saved as a draft, or published at once."""
    publish = LenientBool(load_default=False)


@bp.get("/seeker-lists")
@login_required
def seeker_lists(actor, ctx):
    pairing = pairing_of(ctx, actor)
    page = service.list_seeker_lists(ctx, actor, pairing.id, {**PAGE, "cursor": request.args.get("cursor")})
    return render_template("lists/seeker_lists.html", page=page, side=pairing.side_of(actor.region))


@bp.route("/seeker-lists/new", methods=["GET", "POST"])
@login_required
def seeker_list_new(actor, ctx):
    pairing = pairing_of(ctx, actor)
    if request.method == "POST":
        data, errors = load_form(SeekerListIn())
        if data is None or not data["title"].strip():
            flash(_("Give the list a title and choose at least one seeker"), "error")
        else:
            created = attempt(lambda: service.create_seeker_list(ctx, actor, pairing.id, data["title"], data["seeker_ids"]),
                              _("The draft list is saved"))
            if created:
                return redirect(url_for("lists_pages.seeker_list", list_id=created.id))
    query, _errors = load_form(SeekerQuery(), request.args, limit=500)
    page = registry.list_seekers(ctx, actor, query or SeekerQuery().load({"limit": 500}))
    items = registry.present_seekers(page.items, actor, ctx.clock.today())
    return render_template("lists/seeker_list_new.html", items=items, page=page, labels=LABELS, args=request.args)


@bp.get("/seeker-lists/<int:list_id>")
@login_required
def seeker_list(actor, ctx, list_id):
    pairing = pairing_of(ctx, actor)
    seeker_list = service.get_seeker_list(ctx, actor, pairing.id, list_id)
    people = registry.present_seekers(service.seekers_of_list(seeker_list), actor, ctx.clock.today())
    side = pairing.side_of(actor.region)
    return render_template("lists/seeker_list.html", seeker_list=seeker_list, people=people, labels=LABELS,
                           own_postings=postings_to_offer(actor) if side == "receiving" else [], side=side)


@bp.post("/seeker-lists/<int:list_id>/publish")
@login_required
def seeker_list_publish(actor, ctx, list_id):
    pairing = pairing_of(ctx, actor)
    attempt(lambda: service.publish_seeker_list(ctx, actor, pairing.id, list_id),
            _("Published: the receiving county sees the list (without names or ID numbers)"))
    return redirect(url_for("lists_pages.seeker_list", list_id=list_id))


@bp.post("/seeker-lists/<int:list_id>/answer")
@login_required
def supply_list_new(actor, ctx, list_id):
    pairing = pairing_of(ctx, actor)
    data, errors = load_form(AnswerForm(), in_reply_to=list_id)
    if data is None:
        flash(_("Choose at least one posting"), "error")
        return redirect(url_for("lists_pages.seeker_list", list_id=list_id))
    publish = data["publish"]
    created = attempt(lambda: service.create_supply_list(ctx, actor, pairing.id, list_id, data["posting_ids"], data.get("title")),
                      None if publish else _("The draft supply list is saved"))
    if created and publish:
        attempt(lambda: service.publish_supply_list(ctx, actor, pairing.id, created.id), _("Published"))
    return redirect(url_for("lists_pages.supply_list", list_id=created.id) if created
                    else url_for("lists_pages.seeker_list", list_id=list_id))


@bp.get("/supply-lists")
@login_required
def supply_lists(actor, ctx):
    pairing = pairing_of(ctx, actor)
    page = service.list_supply_lists(ctx, actor, pairing.id, {**PAGE, "cursor": request.args.get("cursor")})
    return render_template("lists/supply_lists.html", page=page, side=pairing.side_of(actor.region))


@bp.get("/supply-lists/<int:list_id>")
@login_required
def supply_list(actor, ctx, list_id):
    pairing = pairing_of(ctx, actor)
    supply = service.get_supply_list(ctx, actor, pairing.id, list_id)
    return render_template("lists/supply_list.html", supply=supply, postings=service.offered_postings(supply),
                           side=pairing.side_of(actor.region))


@bp.post("/supply-lists/<int:list_id>/publish")
@login_required
def supply_list_publish(actor, ctx, list_id):
    pairing = pairing_of(ctx, actor)
    attempt(lambda: service.publish_supply_list(ctx, actor, pairing.id, list_id), _("Published"))
    return redirect(url_for("lists_pages.supply_list", list_id=list_id))
