"""Who may do what (api.md's table), checked in services: a role, and the side of a pairing the
acting user's region is on."""
from __future__ import annotations

from flask_babel import gettext as _

from exchange.accounts.roles import ADMIN, SYSTEM, Actor
from exchange.core.errors import Forbidden, NotFound
from exchange.core.words import label


def require_role(actor: Actor, *roles: str) -> None:
    if actor.role == SYSTEM:
        return
    if actor.role not in roles:
        raise Forbidden("forbidden", _("Your role (%(role)s) may not do this; it needs: %(roles)s",
                                       role=label(actor.role), roles="、".join(label(r) for r in roles)))


def require_pairing_member(ctx, actor: Actor, pairing_id: str):
    """The pairing, when the actor's region is one of its two regions."""
    pairing = ctx.pairings.get(pairing_id)
    if pairing is None:
        raise NotFound("unknown_pairing", _("No pairing %(id)s", id=pairing_id))
    if actor.region not in pairing.regions:
        raise Forbidden("forbidden", _("Your region is not part of pairing %(id)s", id=pairing_id))
    return pairing


def require_side(actor: Actor, pairing, side: str, *roles: str) -> None:
    """The actor must act for the `side` ("sending"/"receiving") of the pairing, in one of `roles`."""
    if actor.role == SYSTEM:
        return
    if pairing.side_of(actor.region) != side:
        raise Forbidden("forbidden", _("Only the %(side)s region of this pairing may do this", side=label(side)))
    require_role(actor, *roles)


def is_admin(actor: Actor) -> bool:
    return actor.role == ADMIN
