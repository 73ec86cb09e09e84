"""The feed server: /feeds/v1/{pairing_id}/events serves the outbox of the region hosted here to
its partner's instance, with signed requests and signed responses; /nudge asks for a pull soon;
/digests gives the reconciliation digests of what this side holds."""
from __future__ import annotations

import json

from flask import Blueprint, Response, request

from exchange.core.context import current_context
from exchange.extensions import db
from exchange.protocol import signing
from exchange.protocol.outbox import envelope, events_after

bp = Blueprint("feeds", __name__, url_prefix="/feeds/v1")
MAX_LIMIT, DEFAULT_LIMIT = 500, 100
PAGE_BYTES = 4 * 1024 * 1024


def signed_response(payload: dict, status: int, secret: str | signing.Secrets | None) -> Response:
    """A JSON answer signed with `secret`: the one that verified the request (during a rotation the
    caller may still know only the previous one), else the current secret."""
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    response = Response(body, status=status, content_type="application/json")
    if isinstance(secret, signing.Secrets):
        secret = secret.current
    if secret:
        timestamp = str(int(current_context().clock.wall().timestamp()))
        response.headers["X-Exchange-Timestamp"] = timestamp
        response.headers["X-Exchange-Signature"] = signing.sign_response(secret, timestamp, status, body)
    return response


def error(status: int, code: str, message: str, secret: str | signing.Secrets | None = None) -> Response:
    return signed_response({"error": {"code": code, "message": message}}, status, secret)


class FeedRefusal(Exception):
    def __init__(self, response: Response):
        self.response = response


def authenticate(pairing_id: str):
    """The pairing, the caller's region and the secret that signed the request — or a refusal,
    checked in the contract's order: an unknown pairing before anything else."""
    rt = current_context()
    pairing = rt.pairings.get(pairing_id)
    if pairing is None or not any(rt.hosts(code) for code in pairing.regions):
        raise FeedRefusal(error(404, "unknown_pairing", f"no pairing {pairing_id} here"))
    secrets = rt.secrets.get(pairing.id) or signing.Secrets(None)
    headers = request.headers
    timestamp, signature = headers.get("X-Exchange-Timestamp", ""), headers.get("X-Exchange-Signature", "")
    region = headers.get("X-Exchange-Region", "")
    if (not timestamp.isdigit() or not signature.startswith("v1=") or not region
            or headers.get("X-Exchange-Pairing") not in (None, pairing.id) or "X-Exchange-Pairing" not in headers):
        raise FeedRefusal(error(401, "missing_signature", "sign the request: X-Exchange-Pairing, -Region, -Timestamp, -Signature", secrets))
    if not secrets.accepted:
        raise FeedRefusal(error(401, "bad_signature", "this instance has no secret for the pairing", secrets))
    if not signing.fresh(timestamp, rt.clock.wall().timestamp()):
        raise FeedRefusal(error(401, "stale_timestamp", "the timestamp is more than 300 seconds from the server's time", secrets))
    path = request.path + ("?" + request.query_string.decode() if request.query_string else "")
    message = signing.request_message(timestamp, request.method, path, request.get_data(cache=True))
    secret = signing.verifying_secret(secrets, message, signature)
    if secret is None:
        raise FeedRefusal(error(401, "bad_signature", "the signature does not verify", secrets))
    if region not in pairing.regions or not rt.hosts(pairing.partner_of(region).code):
        raise FeedRefusal(error(403, "not_partner", f"region {region} is not the partner of a region hosted here", secret))
    return pairing, region, secret


def _int_arg(name: str, default: int, low: int, high: int) -> int | None:
    raw = request.args.get(name)
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdigit()):   # "²" is a digit to Python, not to the contract
        return None
    value = int(raw)
    return value if low <= value <= high else None


@bp.get("/<pairing_id>/events")
def events(pairing_id: str):
    try:
        pairing, region, secret = authenticate(pairing_id)
    except FeedRefusal as refusal:
        return refusal.response
    after, limit = _int_arg("after", 0, 0, 2**62), _int_arg("limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    if after is None or limit is None:
        return error(400, "bad_request", "after must be an integer ≥ 0 and limit 1–500", secret)
    source = pairing.partner_of(region).code
    rows = events_after(pairing.id, source, after, limit + 1)
    page, size = [], 0
    for event in rows[:limit]:
        # A page stops early past PAGE_BYTES (a list of thousands of seekers is one big event);
        # has_more tells the consumer to come back.
        if page and size > PAGE_BYTES:
            break
        page.append(envelope(event))
        size += len(json.dumps(event.data, ensure_ascii=False))
    db.session.commit()
    return signed_response({"pairing": pairing.id, "events": page,
                            "next_after": page[-1]["seq"] if page else after,
                            "has_more": len(rows) > len(page)}, 200, secret)


@bp.post("/<pairing_id>/nudge")
def nudge(pairing_id: str):
    """The partner published something: pull soon. Correctness never depends on this."""
    try:
        pairing, region, secret = authenticate(pairing_id)
    except FeedRefusal as refusal:
        return refusal.response
    from exchange.protocol.client import schedule_pull_soon
    schedule_pull_soon(current_context(), pairing, source_region=region)
    return signed_response({"accepted": True}, 202, secret)


@bp.get("/<pairing_id>/digests")
def digests(pairing_id: str):
    """Reconciliation: per object kind, a digest of every object this side holds for the pairing."""
    try:
        pairing, _region, secret = authenticate(pairing_id)
    except FeedRefusal as refusal:
        return refusal.response
    from exchange.protocol.reconciliation import local_digests
    payload = {"pairing": pairing.id, "kinds": local_digests(pairing)}
    db.session.commit()
    return signed_response(payload, 200, secret)
