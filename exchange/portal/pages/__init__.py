"""The portal's pages, one module per part of the work; all share the `pages` blueprint. Pages
call the same service functions as the API, with the logged-in user."""
from flask import Blueprint

bp = Blueprint("pages", __name__)

from exchange.portal.pages import dashboard, employers, money, registry, rounds, station  # noqa: E402,F401
