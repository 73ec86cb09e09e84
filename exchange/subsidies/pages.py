"""Money in the browser: the claims queue with maker-checker, filing a transport claim, payment
batches from breakdown to bank file to paid; on a person's page their claims, income and training,
and the statement of subsidies to hand over."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import Schema, fields, validate

from exchange.accounts.roles import ADMIN, FINANCE_APPROVER, STAFF_ROLES
from exchange.accounts.service import names_of
from exchange.core.errors import DomainError
from exchange.core.fields import Yuan
from exchange.core.files_response import csv_response, download_response, pdf_response, xlsx_response
from exchange.core.i18n import _l
from exchange.portal.auth import login_required, pairing_of
from exchange.portal.forms import attempt, flash_errors, is_number, load_form
from exchange.portal.nav import Card, Section, Where, home_card, nav_item, seeker_link, seeker_section
from exchange.registry import service as registry
from exchange.subsidies import claims, income_training, payments, statements
from exchange.subsidies.describe import describe
from exchange.subsidies.permissions import require_payer
from exchange.subsidies.schemas import ClaimIn, ClaimQuery, IncomeIn, PaidIn, PaymentBatchIn, TrainingIn

bp = Blueprint("subsidies_pages", __name__)
nav_item("subsidies_pages.claims", _l("Claims"), order=100, shown=lambda where: where.role in STAFF_ROLES)
nav_item("subsidies_pages.programmes", _l("Programmes"), order=95,
         shown=lambda where: where.pairing is not None and where.role in (*STAFF_ROLES, ADMIN))
nav_item("subsidies_pages.payments", _l("Payments"), order=110,
         shown=lambda where: where.role == FINANCE_APPROVER and where.payer)
seeker_link("subsidies_pages.statement", _l("Statement of subsidies (PDF)"), order=40,
            shown=lambda where, person: where.pairing is not None, format="pdf")
seeker_link("subsidies_pages.statement", _l("(Excel)"), order=41,
            shown=lambda where, person: where.pairing is not None, format="xlsx")


@home_card(order=50)
def claims_waiting(ctx, here: Where) -> list[Card] | None:
    if here.role != FINANCE_APPROVER or here.pairing is None:
        return None
    pending, approved = claims.count_by_status(here.actor, here.pairing, ("pending", "approved"))
    return [Card(_("Claims waiting for a decision"), pending, url_for("subsidies_pages.claims")),
            Card(_("Approved, not yet paid"), approved,
                 url_for("subsidies_pages.payments" if here.payer else "subsidies_pages.claims", status="approved"))]


@seeker_section(order=20)
def money_of_a_person(ctx, here: Where, person: dict) -> Section | None:
    """The person's claims, income declarations and training, for the region that registered them."""
    if person["disclosure"] != "owner" or here.pairing is None:
        return None
    query = {"limit": 50, "cursor": None, "ref": None, "seeker_id": person["id"]}
    return Section("subsidies/_seeker.html", {
        "claims": claims.list_claims(ctx, here.actor, here.pairing.id, {**query, "kind": None, "status": None,
                                                                          "payment_batch_id": None, "year": None}).items,
        "declarations": income_training.list_declarations(ctx, here.actor, here.pairing.id, query).items,
        "trainings": income_training.list_training(ctx, here.actor, here.pairing.id, query).items})


@bp.get("/programmes")
@login_required
def programmes(actor, ctx):
    """What the pairing pays, to whom, when and how much — read from its pairing file."""
    pairing = pairing_of(ctx, actor)
    return render_template("subsidies/programmes.html", pairing=pairing, programmes=describe(pairing))


class ClaimForm(ClaimIn):
    """A transport claim as the clerk files it: the fare in yuan."""
    amount_fen = Yuan(data_key="amount", required=True)


class DecisionForm(Schema):
    """A finance approver's decision on a claim: the button pressed, and the reason a refusal needs."""
    decision = fields.String(required=True, validate=validate.OneOf(["approve", "reject"]))
    reason = fields.String(load_default=None, allow_none=True)


class IncomeForm(IncomeIn):
    amount_fen = Yuan(data_key="amount", required=True)


@bp.get("/claims", endpoint="claims")
@login_required
def claims_queue(actor, ctx):
    pairing = pairing_of(ctx, actor)
    query, _errors = load_form(ClaimQuery(), request.args, limit=200, status=request.args.get("status", "pending") or None)
    page = claims.list_claims(ctx, actor, pairing.id, query or ClaimQuery().load({"limit": 200, "status": "pending"}))
    claims.present(ctx, pairing.id, page.items)
    return render_template("subsidies/claims.html", page=page, args=request.args, pairing=pairing)


@bp.route("/claims/new", methods=["GET", "POST"])
@login_required
def claim_new(actor, ctx):
    pairing = pairing_of(ctx, actor)
    errors, values = {}, dict(request.args)
    if request.method == "POST":
        values = request.form.to_dict()
        data, errors = load_form(ClaimForm(), kind=request.form.get("kind") or "transport")
        if data is not None:
            files = [(f.filename or "", f.read(6 * 1024 * 1024)) for f in request.files.getlist("receipts") if f.filename]
            created = attempt(lambda: claims.file_claim(ctx, actor, pairing.id, data, files), _("The claim is filed"))
            if created:
                return redirect(url_for("subsidies_pages.claim", claim_id=created.id))
    person = None
    if is_number(values.get("seeker_id")):
        try:
            person = registry.present_seeker(registry.get_seeker(actor, int(values["seeker_id"])), actor, ctx.clock.today())
        except DomainError:
            person = None
    fares = [p for p in pairing.programmes if p.trigger == "transport"]      # the shorthand 交通补贴 and a file's own
    return render_template("subsidies/claim_new.html", errors=errors, values=values, person=person, fares=fares,
                           cap_fen=fares[0].cap_fen if len(fares) == 1 else None)


@bp.get("/claims/<int:claim_id>")
@login_required
def claim(actor, ctx, claim_id):
    pairing = pairing_of(ctx, actor)
    one = claims.present(ctx, pairing.id, [claims.get_claim(ctx, actor, pairing.id, claim_id)])[0]
    return render_template("subsidies/claim.html", claim=one, pairing=pairing)


@bp.post("/claims/<int:claim_id>/decide")
@login_required
def claim_decide(actor, ctx, claim_id):
    pairing = pairing_of(ctx, actor)
    data, errors = load_form(DecisionForm())
    if data is None:
        flash_errors(errors)
    else:
        approve = data["decision"] == "approve"
        attempt(lambda: claims.decide(ctx, actor, pairing.id, claim_id, approve, data["reason"]),
                _("Approved") if approve else _("Rejected"))
    return redirect(url_for("subsidies_pages.claim", claim_id=claim_id))


@bp.get("/claims/<int:claim_id>/receipts/<int:receipt_id>")
@login_required
def claim_receipt(actor, ctx, claim_id, receipt_id):
    pairing = pairing_of(ctx, actor)
    receipt, data = claims.receipt_file(ctx, actor, pairing.id, claim_id, receipt_id)
    return download_response(data, receipt.content_type)


@bp.route("/payments", methods=["GET", "POST"], endpoint="payments")
@login_required
def payments_page(actor, ctx):
    pairing = pairing_of(ctx, actor)
    approved = claims.present(ctx, pairing.id, payments.claims_to_pay(ctx, actor, pairing.id))
    if request.method == "POST":
        data, errors = load_form(PaymentBatchIn())
        batch = attempt(lambda: payments.create_batch(ctx, actor, pairing.id, data["claim_ids"] if data else []),
                        _("The payment batch is ready: check it, then export"))
        if batch:
            return redirect(url_for("subsidies_pages.payment_batch", batch_id=batch.id))
    batches = payments.list_batches(ctx, actor, pairing.id, {"limit": 100, "cursor": None, "ref": None}).items
    return render_template("subsidies/payments.html", approved=approved, batches=batches)


@bp.get("/payments/<int:batch_id>")
@login_required
def payment_batch(actor, ctx, batch_id):
    pairing = pairing_of(ctx, actor)
    require_payer(ctx, actor, pairing.id)
    batch = payments.get_batch(ctx, actor, pairing.id, batch_id)
    return render_template("subsidies/payment_batch.html", batch=batch, breakdown=payments.breakdown(ctx, batch),
                           rows=payments.batch_rows(ctx, batch), kinds=pairing.kind_labels,
                           people=names_of([batch.created_by, batch.released_by]),
                           may_release=actor.user_id != batch.created_by)


@bp.get("/payments/<int:batch_id>/export.<any(csv, xlsx):fmt>")
@login_required
def payment_export(actor, ctx, batch_id, fmt):
    pairing = pairing_of(ctx, actor)
    if fmt == "csv":
        return csv_response(payments.export_csv(ctx, actor, pairing.id, batch_id), f"payment-batch-{batch_id}.csv")
    return xlsx_response(payments.export_xlsx(ctx, actor, pairing.id, batch_id), f"payment-batch-{batch_id}.xlsx")


@bp.post("/payments/<int:batch_id>/paid")
@login_required
def payment_paid(actor, ctx, batch_id):
    pairing = pairing_of(ctx, actor)
    data, errors = load_form(PaidIn())
    if data is None or not data["reference"].strip():
        flash(_("Give the bank's reference"), "error")
    else:
        attempt(lambda: payments.mark_paid(ctx, actor, pairing.id, batch_id, data["reference"].strip()), _("Marked paid"))
    return redirect(url_for("subsidies_pages.payment_batch", batch_id=batch_id))


@bp.post("/payments/<int:batch_id>/bank-result")
@login_required
def payment_bank_result(actor, ctx, batch_id):
    pairing = pairing_of(ctx, actor)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash(_("Choose the bank's result file"), "error")
        return redirect(url_for("subsidies_pages.payment_batch", batch_id=batch_id))
    report = attempt(lambda: payments.import_bank_result(ctx, actor, pairing.id, batch_id, upload.read(5 * 1024 * 1024)))
    if report:
        flash(_("Bank result: %(paid)s paid, %(failed)s failed, %(problems)s problem(s)", paid=report["paid"],
                failed=report["failed"], problems=len(report["problems"])), "ok" if not report["problems"] else "error")
        for problem in report["problems"][:20]:
            flash(f"{problem['row']}: {problem['message']}", "error")
    return redirect(url_for("subsidies_pages.payment_batch", batch_id=batch_id))


@bp.post("/seekers/<int:seeker_id>/income")
@login_required
def income_declare(actor, ctx, seeker_id):
    pairing = pairing_of(ctx, actor)
    data, errors = load_form(IncomeForm(), seeker_id=seeker_id)
    if data is None:
        flash_errors(errors)
    else:
        attempt(lambda: income_training.declare_income(ctx, actor, pairing.id, data),
                _("Declared; a second colleague verifies it"))
    return redirect(url_for("registry_pages.seeker", seeker_id=seeker_id))


@bp.get("/seekers/<int:seeker_id>/statement.<any(pdf, xlsx):format>")
@login_required
def statement(actor, ctx, seeker_id, format):
    """The labourer's statement of subsidies, to print and hand over."""
    pairing = pairing_of(ctx, actor)
    if format == "pdf":
        return pdf_response(statements.statement_pdf(ctx, actor, pairing.id, seeker_id), f"statement-{seeker_id}.pdf")
    return xlsx_response(statements.statement_xlsx(ctx, actor, pairing.id, seeker_id), f"statement-{seeker_id}.xlsx")


@bp.post("/income/<int:declaration_id>/verify")
@login_required
def income_verify(actor, ctx, declaration_id):
    pairing = pairing_of(ctx, actor)
    declaration = attempt(lambda: income_training.verify_income(ctx, actor, pairing.id, declaration_id), _("Verified"))
    return redirect(url_for("registry_pages.seeker", seeker_id=declaration.seeker_id) if declaration
                    else request.referrer or url_for("portal.index"))


@bp.post("/seekers/<int:seeker_id>/training")
@login_required
def training_record(actor, ctx, seeker_id):
    pairing = pairing_of(ctx, actor)
    data, errors = load_form(TrainingIn(), seeker_id=seeker_id)
    if data is None:
        flash_errors(errors)
    else:
        attempt(lambda: income_training.record_training(ctx, actor, pairing.id, data), _("The training is recorded"))
    return redirect(url_for("registry_pages.seeker", seeker_id=seeker_id))
