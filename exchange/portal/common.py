"""What every portal page shares: the current pairing, the navigation of the user's role and
side, parsing a form with the API's own schemas, and turning a refusal into a readable message."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from flask import flash, g, request, session, url_for
from flask_babel import gettext as _
from marshmallow import Schema

from exchange.accounts.roles import (ADMIN, FINANCE_APPROVER, LIAISON_OFFICER, RECEIVING_STAFF, SENDING_STAFF,
                                     STAFF_ROLES)
from exchange.core.api import error_details
from exchange.core.errors import DomainError
from exchange.core.runtime import runtime
from exchange.core.words import field_label
from exchange.portal.auth import session_actor


def current_pairing(actor):
    """The pairing the user works on: chosen with ?pairing=, remembered in the session."""
    pairings = runtime().pairings.of_region(actor.region)
    if not pairings:
        return None
    wanted = request.args.get("pairing") or session.get("pairing")
    chosen = next((p for p in pairings if p.id == wanted), pairings[0])
    session["pairing"] = chosen.id
    return chosen


def pairing_of(actor):
    """The current pairing of a page that needs one; a region in no pairing gets a clear page."""
    pairing = current_pairing(actor)
    if pairing is None:
        from exchange.core.errors import NotFound
        raise NotFound("no_pairing", _("Your region is in no pairing: ask the administrator to add one"))
    return pairing


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: Any


def navigation(actor, pairing) -> list[NavItem]:
    side = pairing.side_of(actor.region) if pairing else None
    items = [NavItem("portal.home_page", _("Home"))]
    if side == "sending" and actor.role in (SENDING_STAFF, ADMIN, FINANCE_APPROVER):
        items += [NavItem("pages.seekers", _("Registry")), NavItem("pages.seeker_lists", _("Seeker lists")),
                  NavItem("pages.supply_lists", _("Supply lists")), NavItem("pages.batches", _("Batches")),
                  NavItem("pages.dispatches", _("Dispatches")), NavItem("pages.named_views", _("Lists"))]
    if side == "sending" and actor.role in (LIAISON_OFFICER, SENDING_STAFF):
        items += [NavItem("pages.station", _("Worklist")), NavItem("pages.cases", _("Cases"))]
    if side == "receiving" and actor.role in (RECEIVING_STAFF, ADMIN, FINANCE_APPROVER):
        items += [NavItem("pages.employers", _("Employers")), NavItem("pages.postings", _("Postings")),
                  NavItem("pages.seeker_lists", _("Seeker lists")), NavItem("pages.supply_lists", _("Supply lists")),
                  NavItem("pages.batches", _("Batches")), NavItem("pages.dispatches", _("Dispatches")),
                  NavItem("pages.cases", _("Cases"))]
    if actor.role in STAFF_ROLES:
        items.append(NavItem("pages.claims", _("Claims")))
    if actor.role == FINANCE_APPROVER and pairing and pairing.payer_region == actor.region:
        items.append(NavItem("pages.payments", _("Payments")))
    items.append(NavItem("pages.dashboard", _("Dashboard")))
    if actor.role == ADMIN:
        items.append(NavItem("pages.feeds", _("Feeds")))
    return items


def portal_context() -> dict[str, Any]:
    actor = session_actor()
    if actor is None:
        return {"actor": None}
    if "portal_pairing" not in g:
        g.portal_pairing = current_pairing(actor)
    pairing = g.portal_pairing
    from exchange.notifications.service import unread_count
    side = pairing.side_of(actor.region) if pairing else None
    return {"actor": actor, "pairing": pairing, "nav": navigation(actor, pairing),
            "pairings": runtime().pairings.of_region(actor.region), "unread": unread_count(actor),
            "side": side, "region_name": runtime().pairings.regions().get(actor.region),
            # the clerk of this side: the one who builds lists, records results and arrivals
            "clerk": actor.role == {"sending": SENDING_STAFF, "receiving": RECEIVING_STAFF}.get(side)}


def parse(schema: Schema, data: dict[str, Any]) -> tuple[dict[str, Any] | None, dict[str, str]]:
    """A form through the API's schema: the values, or a message per field."""
    from marshmallow import EXCLUDE, ValidationError
    schema.unknown = EXCLUDE
    try:
        return schema.load(data), {}
    except ValidationError as exc:
        return None, {d["field"]: d["message"] for d in error_details(exc.messages)}


def form_dict(lists: tuple[str, ...] = ()) -> dict[str, Any]:
    """request.form as a dict; `lists` fields keep every value (checkboxes, multiple selects)."""
    out: dict[str, Any] = {}
    for key in request.form:
        if key == "csrf_token":
            continue
        out[key] = request.form.getlist(key) if key in lists else request.form.get(key)
        if out[key] == "" and key not in lists:
            out[key] = None
    return out


def attempt(action: Callable[[], Any], success: str | None = None) -> Any:
    """Runs a service call; a refusal becomes a message on the page (nothing was changed)."""
    try:
        result = action()
    except DomainError as exc:
        from exchange.extensions import db
        db.session.rollback()
        details = "；".join(f"{field_label(d.get('field'))}：{d.get('message')}" for d in exc.details[:8])
        flash(f"{exc.message}{'：' + details if details else ''}", "error")
        return None
    if success:
        flash(success, "ok")
    return result


def is_number(value: object) -> bool:
    """A whole number as a form or query sends it: ASCII digits only ("²" is a digit to Python,
    not to int()), and not longer than a database integer holds."""
    text = str(value or "")
    return text.isascii() and text.isdigit() and len(text) <= 15


def flash_errors(errors: dict[str, str]) -> None:
    """A form's problems as one message, each under the name the form gives the field."""
    flash("；".join(f"{field_label(key)}：{text}" for key, text in errors.items()), "error")


def back(default_endpoint: str, **values) -> str:
    target = request.form.get("next") or request.args.get("next")
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for(default_endpoint, **values)


def form_fen(value: str | None) -> int | str | None:
    """An amount typed in yuan ("1,280.50") as fen; what is not an amount stays as typed, so the
    schema names the field that is wrong instead of the page dropping it."""
    from exchange.core.money import yuan_to_fen
    if value is None or not str(value).strip():
        return None
    try:
        return yuan_to_fen(value)
    except ValueError:
        return str(value)


def form_now() -> str:
    """A datetime-local default: today's date (EXCHANGE_TODAY in a demo) at the current Beijing time."""
    now = runtime().clock.now()
    return f"{runtime().clock.today().isoformat()}T{now:%H:%M}"


def yuan_field_errors(errors: dict[str, str], **fields: str) -> dict[str, str]:
    """A schema's complaint about a fen field, told of the yuan field the clerk typed in:
    yuan_field_errors(errors, amount="amount_fen")."""
    for form_key, schema_key in fields.items():
        for key in [k for k in errors if k == schema_key or k.endswith("." + schema_key)]:
            errors.pop(key)
            errors[key[: -len(schema_key)] + form_key] = _("Write an amount in yuan, such as 4500 or 4,500.50")
    return errors
