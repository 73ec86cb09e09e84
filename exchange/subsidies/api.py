"""/api/v1/pairings/{pairing_id}: claims, payments, income, training, ledger, statements."""
from __future__ import annotations

from flask import Blueprint, request

from exchange.core.api import CSV, PDF, XLSX, operation
from exchange.core.files_response import csv_response, download_response, pdf_response, xlsx_response
from exchange.core.errors import Invalid
from exchange.subsidies import claims, income_training, payments, statements
from exchange.subsidies.schemas import (BankResultOut, ClaimIn, ClaimOut, ClaimQuery, IncomeIn, IncomeOut, LedgerOut,
                                        PaidIn, PaymentBatchIn, PaymentBatchOut, RejectIn, SeekerFilter, TrainingIn,
                                        TrainingOut, YearQuery)

bp = Blueprint("subsidies", __name__, url_prefix="/api/v1/pairings/<pairing_id>")
MONEY = "Money: claims and payments"
AFTER = "After arrival: employment, income, training"


def batch_view(ctx, batch) -> dict:
    return {"id": batch.id, "ref": batch.ref, "pairing_id": batch.pairing_id, "status": batch.status,
            "reference": batch.reference, "paid_at": batch.paid_at, "created_at": batch.created_at,
            "created_by": batch.created_by, "released_by": batch.released_by, "lines": batch.lines, "breakdown": payments.breakdown(ctx, batch)}


@operation(bp, "/claims", "POST", summary="File a transport claim with receipts", tag=MONEY, body=ClaimIn,
           response=ClaimOut, status=201, files={"receipts": "JPEG, PNG or PDF, at most 5 MB each"})
def file_claim(actor, ctx, pairing_id, body):
    files = [(f.filename or "", f.read(6 * 1024 * 1024)) for f in request.files.getlist("receipts")]
    return claims.present(ctx, pairing_id, [claims.file_claim(ctx, actor, pairing_id, body, files)])[0]


@operation(bp, "/claims", "GET", summary="Claims of the pairing", tag=MONEY, query=ClaimQuery, response=ClaimOut, paged=True)
def list_claims(actor, ctx, pairing_id, query):
    page = claims.list_claims(ctx, actor, pairing_id, query)
    claims.present(ctx, pairing_id, page.items)
    return page


@operation(bp, "/claims/<int:claim_id>", "GET", summary="One claim", tag=MONEY, response=ClaimOut)
def get_claim(actor, ctx, pairing_id, claim_id):
    return claims.present(ctx, pairing_id, [claims.get_claim(ctx, actor, pairing_id, claim_id)])[0]


@operation(bp, "/claims/<int:claim_id>/receipts/<int:receipt_id>", "GET", summary="A receipt file of a claim",
           tag=MONEY, produces="application/octet-stream")
def get_receipt(actor, ctx, pairing_id, claim_id, receipt_id):
    receipt, data = claims.receipt_file(ctx, actor, pairing_id, claim_id, receipt_id)
    return download_response(data, receipt.content_type)


@operation(bp, "/claims/<int:claim_id>/approve", "POST", summary="Approve a pending claim (not one's own)",
           tag=MONEY, response=ClaimOut)
def approve(actor, ctx, pairing_id, claim_id):
    return claims.present(ctx, pairing_id, [claims.decide(ctx, actor, pairing_id, claim_id, True, None)])[0]


@operation(bp, "/claims/<int:claim_id>/reject", "POST", summary="Reject a pending claim with a reason", tag=MONEY,
           body=RejectIn, response=ClaimOut)
def reject(actor, ctx, pairing_id, claim_id, body):
    return claims.present(ctx, pairing_id, [claims.decide(ctx, actor, pairing_id, claim_id, False, body["reason"])])[0]


@operation(bp, "/payment-batches", "POST", summary="Gather approved claims for the bank", tag=MONEY,
           body=PaymentBatchIn, response=PaymentBatchOut, status=201)
def create_payment_batch(actor, ctx, pairing_id, body):
    return batch_view(ctx, payments.create_batch(ctx, actor, pairing_id, body["claim_ids"]))


@operation(bp, "/payment-batches", "GET", summary="Payment batches", tag=MONEY, query=SeekerFilter,
           response=PaymentBatchOut, paged=True)
def list_payment_batches(actor, ctx, pairing_id, query):
    page = payments.list_batches(ctx, actor, pairing_id, query)
    page.items = [batch_view(ctx, b) for b in page.items]
    return page


@operation(bp, "/payment-batches/<int:batch_id>", "GET", summary="A payment batch with its breakdown", tag=MONEY,
           response=PaymentBatchOut)
def get_payment_batch(actor, ctx, pairing_id, batch_id):
    return batch_view(ctx, payments.get_batch(ctx, actor, pairing_id, batch_id))


@operation(bp, "/payment-batches/<int:batch_id>/export.xlsx", "GET", summary="The bank file (xlsx)", tag=MONEY, produces=XLSX)
def export_xlsx(actor, ctx, pairing_id, batch_id):
    return xlsx_response(payments.export_xlsx(ctx, actor, pairing_id, batch_id), f"payment-batch-{batch_id}.xlsx")


@operation(bp, "/payment-batches/<int:batch_id>/export.csv", "GET", summary="The bank file (CSV)", tag=MONEY, produces=CSV)
def export_csv(actor, ctx, pairing_id, batch_id):
    return csv_response(payments.export_csv(ctx, actor, pairing_id, batch_id), f"payment-batch-{batch_id}.csv")


@operation(bp, "/payment-batches/<int:batch_id>/paid", "POST", summary="Mark the whole batch paid", tag=MONEY,
           body=PaidIn, response=PaymentBatchOut)
def mark_paid(actor, ctx, pairing_id, batch_id, body):
    return batch_view(ctx, payments.mark_paid(ctx, actor, pairing_id, batch_id, body["reference"]))


@operation(bp, "/payment-batches/<int:batch_id>/bank-result", "POST",
           summary="Import the bank's result file (CSV: claim reference, amount, status, bank reference[, reason])",
           tag=MONEY, response=BankResultOut, files={"file": "the bank's CSV"})
def bank_result(actor, ctx, pairing_id, batch_id):
    upload = request.files.get("file")
    if upload is None:
        raise Invalid.field("file", "missing", "choose the bank's result file (form field: file)")
    return payments.import_bank_result(ctx, actor, pairing_id, batch_id, upload.read(5 * 1024 * 1024))


@operation(bp, "/ledger", "GET", summary="Claimed, approved and paid by kind and month", tag=MONEY, query=YearQuery,
           response=LedgerOut)
def ledger(actor, ctx, pairing_id, query):
    return statements.ledger(ctx, actor, pairing_id, query["year"])


@operation(bp, "/seekers/<int:seeker_id>/statement.pdf", "GET", summary="A labourer's statement of every claim (PDF)",
           tag=MONEY, produces=PDF)
def statement_pdf(actor, ctx, pairing_id, seeker_id):
    return pdf_response(statements.statement_pdf(ctx, actor, pairing_id, seeker_id), f"statement-{seeker_id}.pdf")


@operation(bp, "/seekers/<int:seeker_id>/statement.xlsx", "GET", summary="A labourer's statement of every claim (xlsx)",
           tag=MONEY, produces=XLSX)
def statement_xlsx(actor, ctx, pairing_id, seeker_id):
    return xlsx_response(statements.statement_xlsx(ctx, actor, pairing_id, seeker_id), f"statement-{seeker_id}.xlsx")


@operation(bp, "/income-declarations", "POST", summary="Declare a year's income", tag=AFTER, body=IncomeIn,
           response=IncomeOut, status=201)
def declare_income(actor, ctx, pairing_id, body):
    return income_training.declare_income(ctx, actor, pairing_id, body)


@operation(bp, "/income-declarations/<int:declaration_id>/verify", "POST", summary="Verify (a second user)", tag=AFTER,
           response=IncomeOut)
def verify_income(actor, ctx, pairing_id, declaration_id):
    return income_training.verify_income(ctx, actor, pairing_id, declaration_id)


@operation(bp, "/income-declarations", "GET", summary="Income declarations", tag=AFTER, query=SeekerFilter,
           response=IncomeOut, paged=True)
def list_income(actor, ctx, pairing_id, query):
    return income_training.list_declarations(ctx, actor, pairing_id, query)


@operation(bp, "/income-declarations/<int:declaration_id>", "GET", summary="One income declaration", tag=AFTER,
           response=IncomeOut)
def get_income(actor, ctx, pairing_id, declaration_id):
    return income_training.get_declaration(ctx, actor, pairing_id, declaration_id)


@operation(bp, "/training-records", "POST", summary="Record a training course", tag=AFTER, body=TrainingIn,
           response=TrainingOut, status=201)
def record_training(actor, ctx, pairing_id, body):
    return income_training.record_training(ctx, actor, pairing_id, body)


@operation(bp, "/training-records", "GET", summary="Training records", tag=AFTER, query=SeekerFilter,
           response=TrainingOut, paged=True)
def list_training(actor, ctx, pairing_id, query):
    return income_training.list_training(ctx, actor, pairing_id, query)


@operation(bp, "/training-records/<int:record_id>", "GET", summary="One training record", tag=AFTER, response=TrainingOut)
def get_training(actor, ctx, pairing_id, record_id):
    return income_training.get_training(ctx, actor, pairing_id, record_id)
