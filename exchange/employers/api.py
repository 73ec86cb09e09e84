"""/api/v1/employers, /api/v1/agencies and /api/v1/postings."""
from __future__ import annotations

from flask import Blueprint

from exchange.core.api import operation
from exchange.employers import service
from exchange.employers.schemas import (AgencyIn, AgencyOut, AgencyQuery, EmployerIn, EmployerOut, EmployerPatch,
                                        EmployerQuery, OrganisationPatch, PostingIn, PostingOut, PostingQuery, VetIn)

bp = Blueprint("employers", __name__, url_prefix="/api/v1")
TAG = "Employers and postings"


@operation(bp, "/employers", "POST", summary="Register an employer (starts pending)", tag=TAG,
           body=EmployerIn, response=EmployerOut, status=201)
def create_employer(actor, ctx, body):
    return service.register_employer(ctx, actor, body)


@operation(bp, "/employers", "GET", summary="List employers", tag=TAG, query=EmployerQuery,
           response=EmployerOut, paged=True)
def list_employers(actor, query):
    return service.list_employers(actor, query)


@operation(bp, "/employers/<int:employer_id>", "GET", summary="One employer", tag=TAG, response=EmployerOut)
def get_employer(actor, employer_id):
    return service.get_employer(actor, employer_id)


@operation(bp, "/employers/<int:employer_id>", "PATCH", summary="Change an employer's contact or bank details",
           tag=TAG, body=EmployerPatch, response=EmployerOut)
def update_employer(actor, ctx, employer_id, body):
    return service.update_employer(ctx, actor, employer_id, body)


@operation(bp, "/employers/<int:employer_id>/vet", "POST", summary="Approve or reject an employer", tag=TAG,
           body=VetIn, response=EmployerOut)
def vet_employer(actor, ctx, employer_id, body):
    return service.vet_employer(ctx, actor, employer_id, body["decision"], body.get("reason"))


@operation(bp, "/postings", "POST", summary="Create a posting of an approved employer", tag=TAG,
           body=PostingIn, response=PostingOut, status=201)
def create_posting(actor, ctx, body):
    return service.create_posting(ctx, actor, body)


@operation(bp, "/postings", "GET", summary="List postings", tag=TAG, query=PostingQuery,
           response=PostingOut, paged=True)
def list_postings(actor, query):
    return service.list_postings(actor, query)


@operation(bp, "/postings/<int:posting_id>", "GET", summary="One posting", tag=TAG, response=PostingOut)
def get_posting(actor, posting_id):
    return service.get_posting(actor, posting_id)


@operation(bp, "/postings/<int:posting_id>/close", "POST", summary="Close a posting to new matches", tag=TAG,
           response=PostingOut)
def close_posting(actor, ctx, posting_id):
    return service.close_posting(ctx, actor, posting_id)


AGENCIES = "Employment agencies"


@operation(bp, "/agencies", "POST", summary="Register an employment agency of your region (starts pending)",
           tag=AGENCIES, body=AgencyIn, response=AgencyOut, status=201)
def create_agency(actor, ctx, body):
    return service.register_agency(ctx, actor, body)


@operation(bp, "/agencies", "GET", summary="List agencies", tag=AGENCIES, query=AgencyQuery, response=AgencyOut,
           paged=True)
def list_agencies(actor, query):
    return service.list_agencies(actor, query)


@operation(bp, "/agencies/<int:agency_id>", "GET", summary="One agency", tag=AGENCIES, response=AgencyOut)
def get_agency(actor, agency_id):
    return service.get_agency(actor, agency_id)


@operation(bp, "/agencies/<int:agency_id>", "PATCH", summary="Change an agency's contact or bank details",
           tag=AGENCIES, body=OrganisationPatch, response=AgencyOut)
def update_agency(actor, ctx, agency_id, body):
    return service.update_agency(ctx, actor, agency_id, body)


@operation(bp, "/agencies/<int:agency_id>/vet", "POST", summary="Approve or reject an agency", tag=AGENCIES,
           body=VetIn, response=AgencyOut)
def vet_agency(actor, ctx, agency_id, body):
    return service.vet_agency(ctx, actor, agency_id, body["decision"], body.get("reason"))
