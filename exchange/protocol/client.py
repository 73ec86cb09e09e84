"""The pull client: fetches the partner's feed over signed HTTP, checks the response's signature,
and applies the events in seq order through the one apply path. Backs off exponentially with
jitter (capped at an hour) while the partner is unreachable, and never loses its place:
last_applied_seq moves only with each applied event."""
from __future__ import annotations

import logging
import random
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlsplit

import requests
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from exchange.core import safejson
from exchange.core.context import Context
from exchange.extensions import db
from exchange.protocol import signing
from exchange.protocol.apply import apply_envelope, feed_state

log = logging.getLogger("exchange.protocol")
PAGE = 500
TIMEOUT = (5, 30)           # connect, read (seconds)
BACKOFF_BASE = 5            # seconds after the first failure
BACKOFF_CAP = 3600          # protocol.md: cap 1 hour


class FeedError(Exception):
    """The partner could not be read: unreachable, an error answer, or a response that does not
    carry a valid signature."""


@dataclass
class PullResult:
    pairing: str
    source_region: str
    applied: int = 0
    duplicates: int = 0
    stopped: str | None = None
    errors: list[str] = field(default_factory=list)


def backoff_seconds(failures: int, rng: random.Random | None = None) -> float:
    """Exponential with jitter: a random wait between half and all of base × 2^(failures−1), at
    most an hour (never near zero, so a partner coming back is not stampeded)."""
    ceiling = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** max(0, failures - 1))
    return (rng or random).uniform(ceiling / 2, ceiling)


def signed_get(ctx: Context, pairing, caller_region: str, path_with_query: str,
               session: requests.Session | None = None) -> dict:
    """GET a feed path of the partner's instance; returns the verified JSON body.

    Signed with the current secret; while a rotation is under way (this side has the new secret,
    the partner not yet) a refusal as bad_signature is tried once more with the previous one."""
    secrets = ctx.secrets[pairing.id]
    response = _send(ctx, pairing, caller_region, path_with_query, secrets.current, session)
    if response.status_code == 401 and secrets.previous and _error_code(response) == "bad_signature":
        response = _send(ctx, pairing, caller_region, path_with_query, secrets.previous, session)
    return _verified_body(ctx, response, secrets)


def _send(ctx: Context, pairing, caller_region: str, path_with_query: str, secret: str, session) -> requests.Response:
    partner = pairing.partner_of(caller_region)
    base = (partner.url or "").rstrip("/")
    if not base:
        raise FeedError(f"pairing {pairing.id}: no url for region {partner.code}")
    prefix = urlsplit(base).path.rstrip("/")
    timestamp = str(int(ctx.clock.wall().timestamp()))
    headers = {"X-Exchange-Pairing": pairing.id, "X-Exchange-Region": caller_region, "X-Exchange-Timestamp": timestamp,
               "X-Exchange-Signature": signing.sign_request(secret, timestamp, "GET", prefix + path_with_query)}
    try:
        return (session or requests).get(base + path_with_query, headers=headers, timeout=TIMEOUT)
    except requests.RequestException as exc:
        raise FeedError(f"partner unreachable: {type(exc).__name__}") from None


def _error_code(response: requests.Response) -> str | None:
    try:
        body = safejson.loads(response.content)
    except ValueError:
        return None
    error = body.get("error") if isinstance(body, dict) else None
    return error.get("code") if isinstance(error, dict) else None


def _verified_body(ctx: Context, response: requests.Response, secrets: signing.Secrets) -> dict:
    r_timestamp, r_signature = response.headers.get("X-Exchange-Timestamp", ""), response.headers.get("X-Exchange-Signature", "")
    if not signing.verify(secrets, signing.response_message(r_timestamp, response.status_code, response.content), r_signature):
        raise FeedError(f"response {response.status_code} is unsigned or its signature does not verify; nothing applied")
    if not signing.fresh(r_timestamp, ctx.clock.wall().timestamp()):
        raise FeedError("response timestamp is stale (a replayed answer?); nothing applied")
    try:
        body = safejson.loads(response.content)
    except ValueError:
        raise FeedError("response is not JSON") from None
    if response.status_code != 200:
        raise FeedError(f"partner answered {response.status_code} {_error_code(response)}")
    if not isinstance(body, dict):
        raise FeedError("response is not a JSON object")
    return body


class FeedPage(Schema):
    """A page of the partner's feed; each event is checked on its own when it is applied."""
    pairing = fields.String(required=True)
    events = fields.List(fields.Dict(), required=True)
    next_after = fields.Integer(required=True, strict=True, validate=validate.Range(min=0))
    has_more = fields.Boolean(required=True)


def _page(body: dict, pairing_id: str) -> dict:
    try:
        page = FeedPage(unknown=EXCLUDE).load(body)
    except ValidationError as exc:
        raise FeedError(f"response is not a feed page: {exc.messages}") from None
    if page["pairing"] != pairing_id:
        raise FeedError(f"response is a feed page of {page['pairing']}, not {pairing_id}")
    return page


def pull(ctx: Context, pairing, consumer_region: str, *, session: requests.Session | None = None) -> PullResult:
    """Pulls and applies everything the partner has after our last applied seq."""
    source = pairing.partner_of(consumer_region).code
    result = PullResult(pairing.id, source)
    state = feed_state(pairing.id, source)
    state.last_pull_at = ctx.clock.wall()
    db.session.commit()
    try:
        while True:
            after = feed_state(pairing.id, source).last_applied_seq
            db.session.commit()
            body = _page(signed_get(ctx, pairing, consumer_region,
                                    f"/feeds/v1/{pairing.id}/events?after={after}&limit={PAGE}", session), pairing.id)
            events = body["events"]
            for event in events:
                outcome = apply_envelope(ctx, event, pairing, consumer_region)
                if outcome.status == "applied" or outcome.status == "unsupported":
                    result.applied += 1
                elif outcome.status == "duplicate":
                    result.duplicates += 1
                else:
                    result.stopped = outcome.status
                    result.errors.append(f"seq {outcome.seq}: {outcome.status} {outcome.detail}"[:500])
                    break
            state = feed_state(pairing.id, source)
            seqs = [e["seq"] for e in events if isinstance(e.get("seq"), int)]
            state.partner_last_seq = max([state.partner_last_seq or 0, *seqs] +
                                         ([] if body["has_more"] else [body["next_after"]]))
            if result.stopped or not body["has_more"] or not events:
                break
            if state.last_applied_seq <= after:
                # A page that says "more" but moved us nowhere (a replayed page, a partner's bug):
                # asking again would ask the same thing forever.
                raise FeedError(f"the partner's page after seq {after} did not advance the feed")
            db.session.commit()
    except FeedError as exc:
        db.session.rollback()
        state = feed_state(pairing.id, source)
        state.failures = (state.failures or 0) + 1
        now = ctx.clock.wall()
        state.last_error, state.last_error_at = str(exc), now
        state.next_attempt_at = now + timedelta(seconds=backoff_seconds(state.failures))
        db.session.commit()
        result.errors.append(str(exc))
        log.warning("pull %s from %s failed: %s", pairing.id, source, exc)
        return result
    state = feed_state(pairing.id, source)
    now = ctx.clock.wall()
    state.failures, state.last_success_at = 0, now
    state.next_attempt_at = now + timedelta(seconds=pairing.poll_seconds)
    if not result.stopped:
        state.last_error = None
    db.session.commit()
    return result


def schedule_pull_soon(ctx: Context, pairing, *, source_region: str) -> None:
    """Brings the next pull forward to now; a nudge never puts off a pull already due."""
    state = feed_state(pairing.id, source_region)
    now = ctx.clock.wall()
    if state.next_attempt_at is not None and state.next_attempt_at > now:
        state.next_attempt_at = now
    db.session.commit()


def remote_feeds(ctx: Context) -> list[tuple[object, str]]:
    """(pairing, consumer region) for every feed this instance pulls over HTTP."""
    return [(p, code) for p in ctx.pairings if ctx.is_remote(p) for code in p.regions if ctx.hosts(code)]


def pull_due(ctx: Context) -> list[PullResult]:
    """The scheduler's job: pull every remote feed whose next attempt is due."""
    results = []
    for pairing, consumer in remote_feeds(ctx):
        state = feed_state(pairing.id, pairing.partner_of(consumer).code)
        due = state.next_attempt_at is None or state.next_attempt_at <= ctx.clock.wall()
        db.session.commit()
        if due:
            results.append(pull(ctx, pairing, consumer))
    return results
