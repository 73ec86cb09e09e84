"""The trail as its readers see it: an administrator's or an auditor's region's entries, filtered
by who, what, which kind of object and which days (Asia/Shanghai); and a person's access record."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import and_, func, or_, select

from exchange.accounts.permissions import require_role
from exchange.accounts.service import names_of
from exchange.accounts.roles import (ADMIN, AUDITOR, FINANCE_APPROVER, LIAISON_OFFICER, RECEIVING_STAFF, SENDING_STAFF,
                                     Actor)
from exchange.core.audit import ACCESS_KINDS, AuditEntry, access_log
from exchange.core.clock import SHANGHAI
from exchange.core.errors import Invalid
from exchange.core.i18n import _l
from exchange.core.scoping import get_visible
from exchange.extensions import db
from exchange.registry.models import Seeker

READERS = (ADMIN, AUDITOR)
# Who may read a person's access record: the county people who serve the person (to print it for
# them), the administrators and the auditors.
ACCESS_READERS = (SENDING_STAFF, RECEIVING_STAFF, LIAISON_OFFICER, FINANCE_APPROVER, ADMIN, AUDITOR)


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=SHANGHAI)


def trail(actor: Actor, filters: dict[str, Any]):
    """A SELECT of the entries the reader may see that match `filters` (user, action — exact, or a
    family such as `login` for every `login.*` —, object_type, object_id, from, to), unordered."""
    require_role(actor, *READERS)
    first, last = filters.get("from"), filters.get("to")
    if first and last and first > last:
        raise Invalid.field("from", "bad_range", _("The first day comes after the last"))
    conditions = [AuditEntry.visible_to(actor)]
    if filters.get("user"):
        conditions.append(AuditEntry.username == filters["user"])
    if filters.get("action"):
        action = filters["action"].rstrip(".*")
        conditions.append(or_(AuditEntry.action == action, AuditEntry.action.startswith(action + ".", autoescape=True)))
    if filters.get("object_type"):
        conditions.append(AuditEntry.object_type == filters["object_type"])
    if filters.get("object_id"):
        conditions.append(AuditEntry.object_id == filters["object_id"])
    if first:
        conditions.append(AuditEntry.at >= _start_of(first))
    if last:
        conditions.append(AuditEntry.at < _start_of(last + timedelta(days=1)))
    return select(AuditEntry).where(and_(*conditions))


def count(stmt) -> int:
    return db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))


def actions_of(actor: Actor) -> list[str]:
    """The actions that occur in the reader's trail, for the filter's choices."""
    require_role(actor, *READERS)
    return list(db.session.scalars(select(AuditEntry.action).where(AuditEntry.visible_to(actor))
                                   .distinct().order_by(AuditEntry.action)))


def person_access(actor: Actor, seeker_id: int):
    """The person (as the reader's region may see them) and a SELECT of the entries that revealed,
    exported, printed or disclosed their identity, newest first. The region that registered the
    person reads every entry; a partner region holding the person's disclosed copy reads what its
    own people did with it — with two instances, each county keeps the record of its own handling."""
    require_role(actor, *ACCESS_READERS)
    seeker = get_visible(Seeker, seeker_id, actor)
    entries = access_log(seeker.id)
    if seeker.region != actor.region:
        entries = entries.where(AuditEntry.region == actor.region)
    return seeker, entries


def access_kind(entry: AuditEntry) -> str:
    return ACCESS_KINDS.get(entry.action, entry.action)


def why(ctx, entry: AuditEntry) -> str:
    """What a person's identity was handled for, in words: the reason the clerk gave, or the
    document or exchange it went into."""
    details = entry.details or {}
    if entry.action == "seeker.revealed":
        return _("Shown in full to a clerk, who gave the reason: %(reason)s", reason=details.get("reason") or "—")
    if entry.action == "payment_batch.exported":
        return _("Bank file of payment batch %(id)s (%(format)s), to pay a subsidy", id=entry.object_id,
                 format=details.get("format", ""))
    if entry.action == "statement.exported":
        return _("Statement of subsidies (%(format)s)", format=details.get("format", ""))
    if entry.action == "named_view.exported":
        return _("Exported in the list “%(name)s”", name=details.get("title") or details.get("name", ""))
    if entry.action == "dispatch.manifest_printed":
        return _("Printed on the manifest of dispatch %(id)s, for the escort", id=entry.object_id)
    if entry.action == "dispatch.cards_printed":
        return _("Printed on a contact card of dispatch %(id)s", id=entry.object_id)
    if entry.action == "batch.proposed":
        region = ctx.pairings.regions().get(details.get("recipient"), details.get("recipient") or "")
        return _("Sent to %(region)s with placement batch %(id)s, as the person agreed", region=region, id=entry.object_id)
    return entry.action


def access_rows(ctx, entries: list[AuditEntry]) -> list[dict[str, Any]]:
    names = names_of({e.user_id for e in entries})
    return [{"id": e.id, "at": e.at, "kind": access_kind(e), "action": e.action, "username": e.username,
             "display_name": names.get(e.user_id), "region": e.region, "object_type": e.object_type,
             "object_id": e.object_id, "why": why(ctx, e), "recipient": (e.details or {}).get("recipient")}
            for e in entries]


# The actions in words, for the trail's readers (the code stays beside it on the page).
ACTION_LABELS = {
    "login.succeeded": _l("Logged in"), "logout": _l("Logged out"), "login.failed": _l("Login failed"), "login.locked": _l("Account locked"),
    "user.created": _l("User created"), "user.unlocked": _l("Account unlocked"),
    "user.password_changed": _l("Password changed"),
    "seeker.registered": _l("Seeker registered"), "seeker.revealed": _l("Identity shown in full"),
    "seekers.imported": _l("Seekers imported"), "seekers.import_checked": _l("Import checked"),
    "import.error_report": _l("Import errors downloaded"),
    "employer.registered": _l("Employer registered"), "employer.approved": _l("Employer approved"),
    "employer.rejected": _l("Employer rejected"),
    "posting.created": _l("Posting created"), "posting.closed": _l("Posting closed"),
    "seeker_list.created": _l("Seeker list created"), "seeker_list.published": _l("Seeker list published"),
    "supply_list.created": _l("Supply list created"), "supply_list.published": _l("Supply list published"),
    "batch.created": _l("Placement batch drafted"), "batch.proposed": _l("Placement batch sent to the partner"),
    "batch.results": _l("Recruitment results recorded"),
    "dispatch.departed": _l("Dispatch departed"), "dispatch.arrived": _l("Arrivals recorded"),
    "dispatch.manifest_printed": _l("Manifest printed"), "dispatch.cards_printed": _l("Contact cards printed"),
    "employment.updated": _l("Employment updated"), "followup.recorded": _l("Follow-up recorded"),
    "case.opened": _l("Case opened"), "case.updated": _l("Case updated"),
    "claim.filed": _l("Claim filed"), "claim.created": _l("Claim created"), "claim.received": _l("Claim received"),
    "claim.approved": _l("Claim approved"), "claim.rejected": _l("Claim refused"),
    "retention.claims_created": _l("Retention claims created"), "claims.created": _l("Claims created for hires"),
    "income.declared": _l("Income declared"), "income.verified": _l("Income verified"),
    "training.recorded": _l("Training recorded"),
    "payment_batch.created": _l("Payment batch prepared"), "payment_batch.exported": _l("Bank file exported"),
    "payment_batch.paid": _l("Payment batch marked paid"), "payment_batch.bank_result": _l("Bank result read"),
    "statement.exported": _l("Statement of subsidies exported"), "named_view.exported": _l("List exported"),
    "quarantine.retried": _l("Quarantined event retried"), "quarantine.skipped": _l("Quarantined event skipped"),
    "audit.exported": _l("Audit trail exported"),
}
KIND_LABELS = {"revealed": _l("revealed"), "exported": _l("exported"), "printed": _l("printed"),
               "disclosed": _l("disclosed to the partner")}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


OBJECT_LABELS = {
    "user": _l("User"), "seeker": _l("Seeker"), "employer": _l("Employer"), "posting": _l("Posting"),
    "seeker_list": _l("Seeker list"), "supply_list": _l("Supply list"), "batch": _l("Placement batch"),
    "dispatch": _l("Dispatch"), "claim": _l("Claim"), "payment_batch": _l("Payment batch"),
    "import_run": _l("Import"), "case": _l("Case"), "followup": _l("Follow-up"),
    "income_declaration": _l("Income declaration"), "training_record": _l("Training record"),
    "pairing": _l("Pairing"), "quarantined_event": _l("Quarantined event"), "audit_log": _l("Audit trail"),
}


def object_label(object_type: str) -> str:
    return str(OBJECT_LABELS.get(object_type, object_type))
