"""/api/v1/households: the sending county's households, their members and the zero-employment
list (spec/programmes.md)."""
from __future__ import annotations

from flask import Blueprint

from exchange.core.api import operation
from exchange.core.pagination import Page
from exchange.households import service
from exchange.households.schemas import HouseholdDetail, HouseholdIn, HouseholdOut, HouseholdQuery

bp = Blueprint("households", __name__, url_prefix="/api/v1/households")
TAG = "Households"


@operation(bp, "", "POST", summary="Register a household with its members (sending staff)", tag=TAG,
           body=HouseholdIn, response=HouseholdDetail, status=201)
def create_household(actor, ctx, body):
    household = service.create_household(ctx, actor, body)
    return service.household_detail(ctx, actor, household.id)


@operation(bp, "", "GET", summary="The region's households; ?zero_employment=true for the ones to clear", tag=TAG,
           query=HouseholdQuery, response=HouseholdOut, paged=True)
def list_households(actor, ctx, query):
    page, day = service.list_households(ctx, actor, query)
    return Page(items=service.summaries(actor, page.items, day), next_cursor=page.next_cursor)


@operation(bp, "/<int:household_id>", "GET", summary="A household, its members and who of them works", tag=TAG,
           response=HouseholdDetail)
def get_household(actor, ctx, household_id):
    return service.household_detail(ctx, actor, household_id)
