"""Money in the browser: the claims queue with maker-checker, filing a transport claim, payment
batches from breakdown to bank file to paid, employment spells, income and training."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from exchange.core.files_response import csv_response, xlsx_response
from exchange.core.runtime import runtime
from exchange.employers import service as employers
from exchange.employment import service as employment
from exchange.portal.auth import login_required
from exchange.portal.common import (attempt, flash_errors, form_dict, form_fen, is_number, pairing_of, parse,
                                    yuan_field_errors)
from exchange.portal.pages import bp
from exchange.subsidies import claims, income_training, payments
from exchange.subsidies.schemas import ClaimIn, IncomeIn, SpellsIn, TrainingIn


@bp.get("/claims", endpoint="claims")
@login_required
def claims_queue(actor):
    pairing = pairing_of(actor)
    query = {"limit": 200, "cursor": request.args.get("cursor"), "ref": None, "kind": request.args.get("kind") or None,
             "status": request.args.get("status", "pending") or None, "seeker_id": None, "payment_batch_id": None, "year": None}
    page = claims.list_claims(actor, pairing.id, query)
    return render_template("pages/claims.html", page=page, args=request.args, pairing=pairing)


@bp.route("/claims/new", methods=["GET", "POST"])
@login_required
def claim_new(actor):
    pairing = pairing_of(actor)
    errors, values = {}, dict(request.args)
    if request.method == "POST":
        values = form_dict()
        data, errors = parse(ClaimIn(), {**values, "kind": "transport", "amount_fen": form_fen(values.get("amount"))})
        yuan_field_errors(errors, amount="amount_fen")
        if data is not None:
            files = [(f.filename or "", f.read(6 * 1024 * 1024)) for f in request.files.getlist("receipts") if f.filename]
            created = attempt(lambda: claims.file_claim(actor, pairing.id, data, files, runtime().clock), _("The claim is filed"))
            if created:
                return redirect(url_for("pages.claim", claim_id=created.id))
    person = None
    if is_number(values.get("seeker_id")):
        from exchange.registry import service as registry
        from exchange.core.errors import DomainError
        try:
            person = registry.present_seeker(registry.get_seeker(actor, int(values["seeker_id"])), actor, runtime().clock.today())
        except DomainError:
            person = None
    return render_template("pages/claim_new.html", errors=errors, values=values, person=person,
                           cap_fen=pairing.transport.cap_fen if pairing.transport else None)


@bp.get("/claims/<int:claim_id>")
@login_required
def claim(actor, claim_id):
    pairing = pairing_of(actor)
    item = claims.get_claim(actor, pairing.id, claim_id)
    return render_template("pages/claim.html", claim=item, pairing=pairing)


@bp.post("/claims/<int:claim_id>/decide")
@login_required
def claim_decide(actor, claim_id):
    pairing = pairing_of(actor)
    approve = request.form.get("decision") == "approve"
    attempt(lambda: claims.decide(actor, pairing.id, claim_id, approve, request.form.get("reason"), runtime().clock),
            _("Approved") if approve else _("Rejected"))
    return redirect(url_for("pages.claim", claim_id=claim_id))


@bp.get("/claims/<int:claim_id>/receipts/<int:receipt_id>")
@login_required
def claim_receipt(actor, claim_id, receipt_id):
    from flask import Response
    pairing = pairing_of(actor)
    receipt, data = claims.receipt_file(actor, pairing.id, claim_id, receipt_id)
    response = Response(data, mimetype=receipt.content_type)
    response.headers["Content-Disposition"] = "attachment"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.route("/payments", methods=["GET", "POST"], endpoint="payments")
@login_required
def payments_page(actor):
    pairing = pairing_of(actor)
    payments.require_payer(actor, pairing.id)
    if request.method == "POST":
        ids = [int(i) for i in request.form.getlist("claim_ids") if is_number(i)]
        batch = attempt(lambda: payments.create_batch(actor, pairing.id, ids), _("The payment batch is ready: check it, then export"))
        if batch:
            return redirect(url_for("pages.payment_batch", batch_id=batch.id))
    approved = claims.list_claims(actor, pairing.id, {"limit": 500, "cursor": None, "ref": None, "kind": None, "status": "approved",
                                                      "seeker_id": None, "payment_batch_id": None, "year": None}).items
    approved = [c for c in approved if c.payment_batch_id is None]
    batches = payments.list_batches(actor, pairing.id, {"limit": 100, "cursor": None, "ref": None}).items
    return render_template("pages/payments.html", approved=approved, batches=batches)


@bp.get("/payments/<int:batch_id>")
@login_required
def payment_batch(actor, batch_id):
    pairing = pairing_of(actor)
    payments.require_payer(actor, pairing.id)
    batch = payments.get_batch(actor, pairing.id, batch_id)
    return render_template("pages/payment_batch.html", batch=batch, breakdown=payments.breakdown(batch),
                           rows=payments.batch_rows(batch), kinds=payments.KIND_LABELS)


@bp.get("/payments/<int:batch_id>/export.<fmt>")
@login_required
def payment_export(actor, batch_id, fmt):
    pairing = pairing_of(actor)
    if fmt == "csv":
        return csv_response(payments.export_csv(actor, pairing.id, batch_id), f"payment-batch-{batch_id}.csv")
    return xlsx_response(payments.export_xlsx(actor, pairing.id, batch_id), f"payment-batch-{batch_id}.xlsx")


@bp.post("/payments/<int:batch_id>/paid")
@login_required
def payment_paid(actor, batch_id):
    pairing = pairing_of(actor)
    reference = (request.form.get("reference") or "").strip()
    if not reference:
        flash(_("Give the bank's reference"), "error")
    else:
        attempt(lambda: payments.mark_paid(actor, pairing.id, batch_id, reference, runtime().clock), _("Marked paid"))
    return redirect(url_for("pages.payment_batch", batch_id=batch_id))


@bp.post("/payments/<int:batch_id>/bank-result")
@login_required
def payment_bank_result(actor, batch_id):
    pairing = pairing_of(actor)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash(_("Choose the bank's result file"), "error")
        return redirect(url_for("pages.payment_batch", batch_id=batch_id))
    report = attempt(lambda: payments.import_bank_result(actor, pairing.id, batch_id, upload.read(5 * 1024 * 1024), runtime().clock))
    if report:
        flash(_("Bank result: %(paid)s paid, %(failed)s failed, %(problems)s problem(s)", paid=report["paid"],
                failed=report["failed"], problems=len(report["problems"])), "ok" if not report["problems"] else "error")
        for problem in report["problems"][:20]:
            flash(f"{problem['row']}: {problem['message']}", "error")
    return redirect(url_for("pages.payment_batch", batch_id=batch_id))


@bp.route("/employment/<int:seeker_id>", methods=["GET", "POST"])
@login_required
def spells(actor, seeker_id):
    pairing = pairing_of(actor)
    if request.method == "POST":
        rows = []
        columns = [request.form.getlist(name) for name in ("employer_id", "start_date", "end_date", "wage")]
        height = max(len(column) for column in columns)
        for employer_id, start, end, wage in zip(*(column + [""] * (height - len(column)) for column in columns)):
            if not employer_id and not start:
                continue
            rows.append({"employer_id": int(employer_id) if is_number(employer_id) else employer_id, "start_date": start,
                         "end_date": end or None,
                         "monthly_wage_fen": form_fen(wage)})
        data, errors = parse(SpellsIn(), {"spells": rows})
        if data is None:
            flash_errors(errors)
        else:
            attempt(lambda: employment.put_spells(actor, pairing.id, seeker_id, data["spells"], runtime().clock),
                    _("The employment record is saved and sent"))
        return redirect(url_for("pages.spells", seeker_id=seeker_id))
    current = employment.get_spells(actor, pairing.id, seeker_id)
    own = [e for e in employers.list_employers(actor, {"limit": 500, "cursor": None, "ref": None, "status": "approved",
                                                       "q": None, "uscc": None}).items if e.region == actor.region]
    from exchange.registry import service as registry
    person = registry.present_seeker(registry.get_seeker(actor, seeker_id), actor, runtime().clock.today())
    return render_template("pages/spells.html", spells=current, employers=own, person=person,
                           side=pairing.side_of(actor.region))


@bp.post("/seekers/<int:seeker_id>/income")
@login_required
def income_declare(actor, seeker_id):
    pairing = pairing_of(actor)
    values = form_dict()
    yuan = values.get("amount")
    values["amount_fen"] = form_fen(yuan)
    values["seeker_id"] = seeker_id
    values["year"] = int(values["year"]) if is_number(values.get("year")) else values.get("year")
    data, errors = parse(IncomeIn(), values)
    if data is None:
        flash_errors(errors)
    else:
        attempt(lambda: income_training.declare_income(actor, pairing.id, data), _("Declared; a second colleague verifies it"))
    return redirect(url_for("pages.seeker", seeker_id=seeker_id))


@bp.get("/seekers/<int:seeker_id>/statement.<any(pdf, xlsx):format>")
@login_required
def statement(actor, seeker_id, format):
    """The labourer's statement of subsidies, to print and hand over."""
    from exchange.core.files_response import pdf_response, xlsx_response
    from exchange.subsidies import statements
    pairing = pairing_of(actor)
    if format == "pdf":
        return pdf_response(statements.statement_pdf(actor, pairing.id, seeker_id, runtime().clock), f"statement-{seeker_id}.pdf")
    return xlsx_response(statements.statement_xlsx(actor, pairing.id, seeker_id, runtime().clock), f"statement-{seeker_id}.xlsx")


@bp.post("/income/<int:declaration_id>/verify")
@login_required
def income_verify(actor, declaration_id):
    pairing = pairing_of(actor)
    declaration = attempt(lambda: income_training.verify_income(actor, pairing.id, declaration_id, runtime().clock),
                          _("Verified"))
    return redirect(url_for("pages.seeker", seeker_id=declaration.seeker_id) if declaration else request.referrer or url_for("portal.index"))


@bp.post("/seekers/<int:seeker_id>/training")
@login_required
def training_record(actor, seeker_id):
    pairing = pairing_of(actor)
    values = form_dict()
    values["seeker_id"] = seeker_id
    values["days"] = int(values["days"]) if is_number(values.get("days")) else values.get("days")
    data, errors = parse(TrainingIn(), values)
    if data is None:
        flash_errors(errors)
    else:
        attempt(lambda: income_training.record_training(actor, pairing.id, data, runtime().clock), _("The training is recorded"))
    return redirect(url_for("pages.seeker", seeker_id=seeker_id))
