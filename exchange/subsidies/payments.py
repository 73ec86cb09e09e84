"""Payment batches: approved claims gathered for the bank, shown broken down before export,
exported as xlsx and CSV (masked ID numbers), then marked paid — all at once with a reference,
or line by line from the bank's result file. A paid claim is final."""
from __future__ import annotations

import csv
import io
from collections import defaultdict
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from exchange.accounts.permissions import require_pairing_member
from exchange.accounts.roles import Actor
from exchange.core import audit
from exchange.core.errors import Conflict, Invalid, Unprocessable
from exchange.core.files import decode_text
from exchange.core.i18n import record_language
from exchange.core.money import fen_to_yuan, yuan_to_fen
from exchange.core.pagination import Page
from exchange.core.scoping import get_in_pairing, page_in_pairing, scoped
from exchange.core.sheets import csv_table, text_workbook
from exchange.employers.models import Agency, Employer
from exchange.extensions import db
from exchange.registry.models import Seeker
from exchange.registry.service import in_clear
from exchange.subsidies.claims import publish_update
from exchange.subsidies.models import APPROVED, PAID, Claim, PaymentBatch, PaymentLine
from exchange.subsidies.permissions import require_payer, require_releaser

UNKNOWN = "未知"


def claims_to_pay(ctx, actor: Actor, pairing_id: str, limit: int = 500) -> list[Claim]:
    """Approved claims in no payment batch yet: what the next batch can take."""
    pairing = require_payer(ctx, actor, pairing_id)
    return list(db.session.scalars(scoped(Claim, actor).where(
        Claim.pairing_id == pairing.id, Claim.region == actor.region, Claim.status == APPROVED,
        Claim.payment_batch_id.is_(None))
        .order_by(Claim.id).limit(limit)))


def create_batch(ctx, actor: Actor, pairing_id: str, claim_ids: list[int]) -> PaymentBatch:
    pairing = require_payer(ctx, actor, pairing_id)
    ids = list(dict.fromkeys(claim_ids))
    if not ids:
        raise Invalid.field("claim_ids", "missing", _("Choose the approved claims to pay"))
    claims = {c.id: c for c in db.session.scalars(scoped(Claim, actor).where(Claim.id.in_(ids), Claim.pairing_id == pairing.id))}
    details = []
    for k, claim_id in enumerate(claim_ids):
        claim = claims.get(claim_id)
        if claim is None or claim.region != actor.region:
            details.append({"field": f"claim_ids[{k}]", "code": "not_found", "message": _("No claim %(id)s in this pairing", id=claim_id)})
        elif claim.status != APPROVED:
            details.append({"field": f"claim_ids[{k}]", "code": "not_approved", "message": _("Claim %(id)s is %(status)s, not approved", id=claim_id, status=claim.status)})
        elif claim.payment_batch_id is not None:
            details.append({"field": f"claim_ids[{k}]", "code": "in_batch", "message": _("Claim %(id)s is already in payment batch %(batch)s", id=claim_id, batch=claim.payment_batch_id)})
        elif claim.payee_type != "worker" and not _organisation_account(claim):
            # A bank file pays the account of the payee on its line: an employer's or an agency's
            # money never goes to the worker's account, and without their account it cannot go out.
            details.append({"field": f"claim_ids[{k}]", "code": "payee_not_payable",
                            "message": _("Claim %(id)s pays an employer or an agency, whose bank account is not recorded yet", id=claim_id)})
    if details:
        raise Invalid(message=_("%(n)s claim(s) cannot be paid in this batch", n=len(details)), details=details)
    batch = PaymentBatch(pairing_id=pairing.id, region=actor.region, status="open", created_by=actor.user_id,
                         created_at=ctx.clock.now())
    db.session.add(batch)
    db.session.flush()
    # Only claims still approved and in no batch are taken: two batches at once cannot share one.
    taken = db.session.execute(update(Claim).where(Claim.id.in_(ids), Claim.status == APPROVED,
                                                   Claim.payment_batch_id.is_(None)).values(payment_batch_id=batch.id)).rowcount
    if taken != len(ids):
        db.session.rollback()
        raise Conflict("claim_unavailable", _("Some claims were taken into another batch meanwhile; try again"))
    db.session.add_all([PaymentLine(batch_id=batch.id, claim_id=i, amount_fen=claims[i].approved_amount_fen) for i in ids])
    audit.record(actor, "payment_batch.created", "payment_batch", batch.id, at=batch.created_at, claims=len(ids),
                 claim_ids=ids)
    try:
        db.session.commit()
    except IntegrityError:   # the unique index on live lines: another batch holds one of them
        db.session.rollback()
        raise Conflict("claim_unavailable", _("Some claims were taken into another batch meanwhile; try again")) from None
    return batch


def get_batch(ctx, actor: Actor, pairing_id: str, batch_id: int) -> PaymentBatch:
    pairing = require_pairing_member(ctx, actor, pairing_id)
    return get_in_pairing(PaymentBatch, batch_id, actor, pairing)


def list_batches(ctx, actor: Actor, pairing_id: str, query: dict[str, Any]) -> Page:
    return page_in_pairing(PaymentBatch, actor, require_pairing_member(ctx, actor, pairing_id), query)


def bank_of(bank_name: str | None, account: str | None) -> str:
    """The bank the money goes to (开户银行) as the registry holds it; without an account, unknown."""
    if not account:
        return UNKNOWN
    return bank_name or _("bank not recorded")


ORGANISATIONS = {"employer": Employer, "agency": Agency}


def _organisation_account(claim: Claim) -> str | None:
    model = ORGANISATIONS.get(claim.payee_type)
    if model is None or claim.payee_id is None:
        return None
    return db.session.scalar(select(model.bank_account).where(model.id == claim.payee_id))


def batch_rows(ctx, batch: PaymentBatch) -> list[dict[str, Any]]:
    """Each line with the payee behind it: the worker (ID masked; bank account only when known), or
    the employer or agency a programme pays (its credit code and account)."""
    seekers = {s.id: s for s in db.session.scalars(select(Seeker).where(Seeker.id.in_([l.claim.seeker_id for l in batch.lines])))}
    organisations = {(kind, o.id): o for kind, model in ORGANISATIONS.items() for o in db.session.scalars(
        select(model).where(model.id.in_({l.claim.payee_id for l in batch.lines if l.claim.payee_type == kind})))}
    rows = []
    for number, line in enumerate(batch.lines, start=1):
        claim, seeker = line.claim, seekers[line.claim.seeker_id]
        payee = organisations.get((claim.payee_type, claim.payee_id))
        if payee is not None:
            rows.append({"number": number, "line": line, "claim": claim, "name": payee.name, "national_id": payee.uscc,
                         "bank_account": payee.bank_account or "", "bank": bank_of(payee.bank_name, payee.bank_account),
                         "township": seeker.township or UNKNOWN, "kind": claim.kind, "payee_type": claim.payee_type,
                         "amount_fen": line.amount_fen})
            continue
        account = in_clear(ctx, seeker, "bank_account") if seeker.bank_account_enc else None
        rows.append({"number": number, "line": line, "claim": claim, "name": seeker.name or "", "national_id": seeker.national_id_masked or "",
                     "bank_account": account or "", "bank": bank_of(seeker.bank_name, account),
                     "township": seeker.township or UNKNOWN, "kind": claim.kind, "payee_type": "worker",
                     "amount_fen": line.amount_fen})
    return rows


def breakdown(ctx, batch: PaymentBatch) -> dict[str, Any]:
    """What the batch holds, before it goes to the bank: by kind, payee type, township, bank; the total."""
    rows = batch_rows(ctx, batch)
    groups: dict[str, dict[str, list[int]]] = {"kind": defaultdict(list), "payee_type": defaultdict(list),
                                               "township": defaultdict(list), "bank": defaultdict(list)}
    for row in rows:
        groups["payee_type"][row["payee_type"]].append(row["amount_fen"])
        groups["kind"][row["kind"]].append(row["amount_fen"])
        groups["township"][row["township"]].append(row["amount_fen"])
        groups["bank"][row["bank"]].append(row["amount_fen"])
    return {name: [{"key": key, "count": len(amounts), "amount_fen": sum(amounts)} for key, amounts in sorted(values.items())]
            for name, values in groups.items()} | {"total_fen": sum(r["amount_fen"] for r in rows), "count": len(rows)}


# A line paying an employer or an agency carries its name and credit code where a worker's carry
# name and ID number; the last column says which.
EXPORT_HEADERS = ["序号", "姓名", "身份证号", "银行账号", "金额（元）", "补贴类型", "申领编号", "开户银行", "收款方类型"]
PAYEE_WORDS = {"worker": "个人", "employer": "用工单位", "agency": "人力资源服务机构"}


def _export_rows(ctx, batch: PaymentBatch) -> list[list[Any]]:
    kinds = ctx.pairings.get(batch.pairing_id).kind_labels
    return [[r["number"], r["name"], r["national_id"], r["bank_account"], fen_to_yuan(r["amount_fen"]),
             kinds.get(r["kind"], r["kind"]), r["claim"].ref, r["bank"], PAYEE_WORDS[r["payee_type"]]]
            for r in batch_rows(ctx, batch)]


def _people_of(batch: PaymentBatch):
    """The people whose names, ID numbers and accounts a bank file carries (for their access record)."""
    return select(Claim.seeker_id).join(PaymentLine, PaymentLine.claim_id == Claim.id).where(PaymentLine.batch_id == batch.id)


def export_csv(ctx, actor: Actor, pairing_id: str, batch_id: int) -> bytes:
    require_payer(ctx, actor, pairing_id)
    batch = get_batch(ctx, actor, pairing_id, batch_id)
    require_releaser(actor, batch)
    body = csv_table(EXPORT_HEADERS, _export_rows(ctx, batch))
    audit.record(actor, "payment_batch.exported", "payment_batch", batch.id, at=ctx.clock.now(), format="csv",
                 subjects=_people_of(batch))
    db.session.commit()
    return body


def export_xlsx(ctx, actor: Actor, pairing_id: str, batch_id: int) -> bytes:
    require_payer(ctx, actor, pairing_id)
    batch = get_batch(ctx, actor, pairing_id, batch_id)
    require_releaser(actor, batch)
    buffer = io.BytesIO()
    book = text_workbook(buffer)
    sheet = book.add_worksheet("付款清单")
    bold = book.add_format({"bold": True, "bg_color": "#F2F2F2"})
    sheet.write_row(0, 0, EXPORT_HEADERS, bold)
    rows = _export_rows(ctx, batch)
    for r, row in enumerate(rows, start=1):
        sheet.write_number(r, 0, row[0])
        for c in (1, 2, 3, 5, 6, 7, 8):
            sheet.write_string(r, c, str(row[c]))     # account and ID as text: no digits lost
        sheet.write_number(r, 4, float(row[4]), book.add_format({"num_format": "0.00"}))
    sheet.write_string(len(rows) + 1, 3, "合计", bold)
    sheet.write_number(len(rows) + 1, 4, sum(float(row[4]) for row in rows), book.add_format({"num_format": "0.00", "bold": True}))
    sheet.set_column(1, 3, 20)
    sheet.set_column(6, 6, 38)
    book.close()
    audit.record(actor, "payment_batch.exported", "payment_batch", batch.id, at=ctx.clock.now(), format="xlsx",
                 subjects=_people_of(batch))
    db.session.commit()
    return buffer.getvalue()


def _pay_claims(ctx, pairing, claim_ids: list[int], reference: str) -> int:
    """approved → paid, and only from approved: a claim is never paid twice."""
    now = ctx.clock.now()
    # decided_at stays the approver's decision; paid_at is the payment.
    paid = db.session.execute(update(Claim).where(Claim.id.in_(claim_ids), Claim.status == APPROVED)
                              .values(status=PAID, paid_at=now, paid_reference=reference)
                              .execution_options(synchronize_session=False)).rowcount
    for claim in db.session.scalars(select(Claim).where(Claim.id.in_(claim_ids))):
        db.session.refresh(claim)
        publish_update(ctx, pairing, claim)
    return paid


def mark_paid(ctx, actor: Actor, pairing_id: str, batch_id: int, reference: str) -> PaymentBatch:
    pairing = require_payer(ctx, actor, pairing_id)
    batch = get_in_pairing(PaymentBatch, batch_id, actor, pairing, for_update=True)
    require_releaser(actor, batch)
    if batch.status != "open":
        raise Conflict("already_paid", _("This payment batch is already paid"))
    pending = [line for line in batch.lines if line.status == "pending"]
    for line in pending:
        line.status, line.bank_reference = "paid", reference
    _pay_claims(ctx, pairing, [line.claim_id for line in pending], reference)
    batch.status, batch.reference, batch.paid_at, batch.released_by = "paid", reference, ctx.clock.now(), actor.user_id
    audit.record(actor, "payment_batch.paid", "payment_batch", batch.id, at=batch.paid_at, reference=reference, lines=len(pending),
                 claim_ids=[line.claim_id for line in pending])
    db.session.commit()
    return batch


PAID_WORDS = {"paid", "success", "succeeded", "ok", "成功", "已支付", "支付成功"}
FAILED_WORDS = {"failed", "fail", "error", "失败", "支付失败", "退回"}


def import_bank_result(ctx, actor: Actor, pairing_id: str, batch_id: int, data: bytes) -> dict[str, Any]:
    """The bank's result file (CSV: claim reference, amount, status, bank reference[, reason]):
    each line is marked paid or failed; a failed line's claim returns to approved with the bank's
    reason. A line whose reference or amount does not match is reported and left alone."""
    pairing = require_payer(ctx, actor, pairing_id)
    batch = get_in_pairing(PaymentBatch, batch_id, actor, pairing, for_update=True)
    require_releaser(actor, batch)
    if batch.status != "open":
        raise Conflict("already_paid", _("This payment batch is already settled"))
    try:
        rows = list(csv.reader(io.StringIO(decode_text(data))))
    except UnicodeDecodeError:
        raise Unprocessable("bad_file", _("The bank file is neither UTF-8 nor GB18030 text")) from None
    except csv.Error as exc:      # a cell over 128 KiB, say
        raise Unprocessable("bad_file", _("The bank file cannot be read: %(error)s", error=str(exc)[:200])) from None
    lines = {line.claim.ref: line for line in batch.lines}
    report: dict[str, Any] = {"paid": 0, "failed": 0, "problems": []}
    paid_ids, failed_ids, seen, reference = [], [], set(), None
    for number, cells in enumerate(rows, start=1):
        cells = [c.strip() for c in cells]
        if not any(cells) or (number == 1 and not _looks_like_amount(cells[1] if len(cells) > 1 else "")):
            continue   # blank lines and a header row
        if len(cells) < 4:
            report["problems"].append({"row": number, "code": "bad_value", "message": _("Expected: claim reference, amount, status, bank reference")})
            continue
        ref, amount, status, bank_ref = cells[:4]
        line = lines.get(ref)
        if line is None:
            report["problems"].append({"row": number, "code": "unknown_reference", "message": _("No line of this batch has the claim reference %(ref)s", ref=ref)})
            continue
        seen.add(ref)
        try:
            fen = yuan_to_fen(amount)
        except ValueError:
            fen = None
        if fen != line.amount_fen:
            report["problems"].append({"row": number, "code": "amount_mismatch", "message": _("Claim %(ref)s: the bank says %(bank)s, the batch %(ours)s yuan; not changed", ref=ref, bank=amount, ours=fen_to_yuan(line.amount_fen))})
            continue
        if line.status != "pending":
            report["problems"].append({"row": number, "code": "already_settled", "message": _("Claim %(ref)s is already %(status)s in this batch", ref=ref, status=line.status)})
            continue
        word = status.lower()
        if word in PAID_WORDS:
            line.status, line.bank_reference = "paid", bank_ref
            paid_ids.append(line.claim_id)
            reference = reference or bank_ref
            report["paid"] += 1
        elif word in FAILED_WORDS:
            with record_language():
                reason = (cells[4] if len(cells) > 4 and cells[4] else _("refused by the bank")) + (f" ({bank_ref})" if bank_ref else "")
                failure = _("Payment failed: %(reason)s", reason=reason)
            line.status, line.failure_reason, line.bank_reference = "failed", reason, bank_ref
            claim = line.claim
            # The earlier reason (a cap, say) stays: the bank's is added after it.
            claim.payment_batch_id, claim.reason = None, "；".join(r for r in (claim.reason, failure) if r)[:500]
            publish_update(ctx, pairing, claim)
            failed_ids.append(claim.id)
            report["failed"] += 1
        else:
            report["problems"].append({"row": number, "code": "bad_value", "message": _("Unknown status %(status)s (paid/成功 or failed/失败)", status=status)})
    paid_by_reference: dict[str, list[int]] = defaultdict(list)
    paid_now = set(paid_ids)
    for line in batch.lines:
        if line.status == "paid" and line.claim_id in paid_now:
            paid_by_reference[line.bank_reference or ""].append(line.claim_id)
    for bank_reference, claim_ids in paid_by_reference.items():   # one update per bank reference
        _pay_claims(ctx, pairing, claim_ids, bank_reference)
    for ref, line in lines.items():
        if line.status == "pending" and ref not in seen:
            report["problems"].append({"row": None, "code": "missing_from_file", "message": _(
                "Claim %(ref)s (%(amount)s yuan) is in the batch but not in the bank's file; it stays unpaid",
                ref=ref, amount=fen_to_yuan(line.amount_fen))})
    if all(line.status != "pending" for line in batch.lines):
        batch.status, batch.paid_at, batch.reference = "settled", ctx.clock.now(), reference
        batch.released_by = actor.user_id
    audit.record(actor, "payment_batch.bank_result", "payment_batch", batch.id, at=ctx.clock.now(), paid=report["paid"],
                 failed=report["failed"],
                 problems=len(report["problems"]), paid_claim_ids=paid_ids, failed_claim_ids=failed_ids)
    db.session.commit()
    report["batch_status"] = batch.status
    return report


def _looks_like_amount(text: str) -> bool:
    try:
        yuan_to_fen(text)
        return True
    except ValueError:
        return False
