"""Who may decide claims and pay them: the finance approvers of the paying region — never the
person who filed or verified the claim, and a payment batch is released (its bank file exported,
marked paid, the bank's result read) by another finance approver than the one who prepared it."""
from __future__ import annotations

from flask_babel import gettext as _

from exchange.accounts.permissions import require_pairing_member, require_role
from exchange.accounts.roles import FINANCE_APPROVER, Actor
from exchange.core.errors import Forbidden


def _finance_of_payer(ctx, actor: Actor, pairing_id: str, refusal: str):
    pairing = require_pairing_member(ctx, actor, pairing_id)
    require_role(actor, FINANCE_APPROVER)
    if actor.region not in pairing.payer_regions:
        raise Forbidden("forbidden", refusal)
    return pairing


def require_decider(ctx, actor: Actor, pairing_id: str):
    """The pairing, when the actor is a finance approver of the region that pays its subsidies."""
    return _finance_of_payer(ctx, actor, pairing_id, _("Only the finance approvers of the paying region decide claims"))


def require_payer(ctx, actor: Actor, pairing_id: str):
    """The pairing, when the actor may put its approved claims in payment batches and pay them."""
    return _finance_of_payer(ctx, actor, pairing_id, _("Only the finance approvers of the paying region handle payments"))


def require_claim_payer(actor: Actor, claim) -> None:
    """Only the region that pays the claim's programme decides it (a pairing may have two payers)."""
    if actor.region != claim.region:
        raise Forbidden("forbidden", _("Only the finance approvers of the paying region decide claims"))


def require_second_person(actor: Actor, claim) -> None:
    """The one who filed or verified a claim may not decide it."""
    if actor.user_id is not None and actor.user_id in (claim.created_by, claim.verified_by):
        raise Forbidden("same_user", _("The one who filed or verified a claim may not decide it"))


def require_releaser(actor: Actor, batch) -> None:
    """The one who prepared a payment batch may not release it."""
    if actor.user_id is not None and actor.user_id == batch.created_by:
        raise Forbidden("same_user", _("The one who prepared a payment batch may not release it: another finance "
                                       "approver exports the bank file and marks it paid"))
