"""What a labourer and a finance officer can read: the per-labourer statement (every claim, with
the reason for any cap or refusal) as PDF and xlsx, and the pairing's ledger by kind and month."""
from __future__ import annotations

import io
from typing import Any

from flask import render_template
from sqlalchemy import func, select

from exchange.accounts.permissions import require_pairing_member
from exchange.core import audit
from exchange.core.clock import iso_local
from exchange.core.i18n import record_language
from exchange.core.money import fen_to_yuan
from exchange.core.pdf import render_pdf
from exchange.core.scoping import get_visible
from exchange.core.sqldates import LocalMonth
from exchange.core.sheets import text_workbook
from exchange.extensions import db
from exchange.registry.models import Seeker
from exchange.subsidies.claims import present
from exchange.subsidies.models import APPROVED, KINDS, PAID, REJECTED, Claim
from exchange.subsidies.payments import PAYEE_WORDS

STATUS_LABELS = {"pending": "待审核", "approved": "已核准", "rejected": "不予发放", "paid": "已发放"}
HEADERS = ["补贴类型", "节点", "申领金额（元）", "核准金额（元）", "已发放（元）", "状态", "申领日期", "审核日期", "发放日期", "说明"]


def _day(instant) -> str:
    return (iso_local(instant) or "")[:10]


def statement_rows(ctx, viewer, pairing_id: str, seeker_id: int) -> tuple[Seeker, Any, list[dict[str, Any]]]:
    pairing = require_pairing_member(ctx, viewer, pairing_id)
    seeker = get_visible(Seeker, seeker_id, viewer)
    claims = db.session.scalars(select(Claim).where(Claim.pairing_id == pairing.id, Claim.seeker_id == seeker.id)
                                .order_by(Claim.created_at, Claim.id)).all()
    rows = []
    payees = {c.id: c.payee for c in present(ctx, pairing.id, list(claims)) if c.payee_type != "worker"}
    for c in claims:
        milestone = (f"{c.milestone_months} 个月" if c.milestone_months else f"{c.year} 年" if c.year
                     else f"{c.milestone_date.year} 年 {c.milestone_date.month} 月" if c.milestone_date else "")
        approved = c.approved_amount_fen if c.status in (APPROVED, PAID) else None
        kind = pairing.kind_labels.get(c.kind, c.kind)
        if c.id in payees:      # money for this person's work paid to the employer or agency, not to them
            kind += f"（付给{payees[c.id]['name'] or PAYEE_WORDS.get(c.payee_type, '')}）"
        rows.append({"kind": kind, "milestone": milestone, "claimed": fen_to_yuan(c.amount_fen),
                     "approved": fen_to_yuan(approved) if approved is not None else ("—" if c.status == REJECTED else f"（{fen_to_yuan(c.approved_amount_fen)}）"),
                     "paid": fen_to_yuan(c.approved_amount_fen) if c.status == PAID else "",
                     "status": STATUS_LABELS.get(c.status, c.status), "filed": _day(c.created_at),
                     "decided": _day(c.decided_at) if c.status != "pending" else "", "paid_on": _day(c.paid_at),
                     "reason": c.reason or "", "ref": c.ref})
    return seeker, pairing, rows


def _handed_out(ctx, viewer, seeker: Seeker, format: str) -> None:
    """A statement carries the person's name and ID number: it goes into their access record."""
    audit.record(viewer, "statement.exported", "seeker", seeker.id, at=ctx.clock.now(), format=format, subjects=[seeker.id])
    db.session.commit()


def statement_pdf(ctx, viewer, pairing_id: str, seeker_id: int) -> bytes:
    seeker, pairing, rows = statement_rows(ctx, viewer, pairing_id, seeker_id)
    totals = {"paid": sum(float(r["paid"] or 0) for r in rows)}
    with record_language():
        html = render_template("pdf/statement.html", seeker=seeker, pairing=pairing, rows=rows, totals=totals,
                               generated=(iso_local(ctx.clock.now()) or "")[:16].replace("T", " "))
    pdf = render_pdf(html)
    _handed_out(ctx, viewer, seeker, "pdf")
    return pdf


def statement_xlsx(ctx, viewer, pairing_id: str, seeker_id: int) -> bytes:
    seeker, pairing, rows = statement_rows(ctx, viewer, pairing_id, seeker_id)
    buffer = io.BytesIO()
    book = text_workbook(buffer)
    sheet = book.add_worksheet("补贴明细")
    bold = book.add_format({"bold": True})
    sheet.write_string(0, 0, f"{pairing.name} 补贴明细", bold)
    sheet.write_string(1, 0, f"姓名：{seeker.name or ''}    身份证号：{seeker.national_id_masked or ''}    生成时间：{(iso_local(ctx.clock.now()) or '')[:16].replace('T', ' ')}")
    sheet.write_row(3, 0, HEADERS, book.add_format({"bold": True, "bg_color": "#F2F2F2"}))
    for r, row in enumerate(rows, start=4):
        sheet.write_row(r, 0, [row["kind"], row["milestone"], row["claimed"], row["approved"], row["paid"], row["status"],
                               row["filed"], row["decided"], row["paid_on"], row["reason"]])
    sheet.set_column(0, 8, 13)
    sheet.set_column(9, 9, 50)
    book.close()
    _handed_out(ctx, viewer, seeker, "xlsx")
    return buffer.getvalue()


def ledger(ctx, viewer, pairing_id: str, year: int | None) -> dict[str, Any]:
    """Claimed, approved and paid by kind and month (Asia/Shanghai): each amount in the month it
    happened — claims by the month filed, approvals by the month decided, payments by the month
    paid — as three SQL aggregates."""
    pairing = require_pairing_member(ctx, viewer, pairing_id)
    measures = (
        ("claimed", Claim.created_at, Claim.amount_fen, Claim.id.is_not(None)),
        ("approved", Claim.decided_at, Claim.approved_amount_fen, Claim.status.in_([APPROVED, PAID])),
        ("paid", Claim.paid_at, Claim.approved_amount_fen, Claim.status == PAID),
    )
    cells: dict[tuple[str, str], dict[str, int]] = {}
    for name, instant, amount, condition in measures:
        month = LocalMonth(instant)
        stmt = (select(Claim.kind, month.label("month"), func.count().label("n"), func.sum(amount).label("fen"))
                .where(Claim.pairing_id == pairing.id, condition, instant.is_not(None)).group_by(Claim.kind, month))
        if year:
            stmt = stmt.where(month.like(f"{year:04d}-%"))
        for r in db.session.execute(stmt):
            cell = cells.setdefault((r.month, r.kind), {"claims": 0, "claimed_fen": 0, "approved_fen": 0, "paid_fen": 0})
            cell[f"{name}_fen"] = int(r.fen or 0)
            if name == "claimed":
                cell["claims"] = r.n
    rows = [{"kind": kind, "month": month, **cell} for (month, kind), cell in sorted(cells.items())]
    totals = {kind: {"claimed_fen": sum(r["claimed_fen"] for r in rows if r["kind"] == kind),
                     "approved_fen": sum(r["approved_fen"] for r in rows if r["kind"] == kind),
                     "paid_fen": sum(r["paid_fen"] for r in rows if r["kind"] == kind)} for kind in KINDS}
    return {"pairing": pairing.id, "year": year, "rows": rows, "totals": totals}
