"""The API edge: one decorator per operation that authenticates, parses the query and body with
marshmallow, applies the Idempotency-Key, calls the view and dumps its answer. Every operation
is recorded, and the OpenAPI document is generated from those records, so it cannot drift.

A view that names a `ctx` parameter is handed the application's Context (core.context): the
view is the edge, and passes it on to the service it calls."""
from __future__ import annotations

import functools
import inspect
from dataclasses import dataclass, field
from typing import Any, Callable

from flask import Blueprint, Response, jsonify, request
from flask_babel import gettext as _
from marshmallow import EXCLUDE, Schema, ValidationError

from exchange.core import idempotency, safejson
from exchange.core.context import current_context
from exchange.core.errors import BadRequest, Forbidden, Invalid, Unauthorized
from exchange.core.fields import CodedMessage
from exchange.core.pagination import Page

JSON = "application/json"
PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv"
MUTATING = {"POST", "PUT", "PATCH", "DELETE"}


@dataclass
class Operation:
    rule: str
    method: str
    endpoint: str
    summary: str
    tag: str
    description: str = ""
    body: Schema | None = None
    query: Schema | None = None
    response: Schema | None = None
    status: int = 200
    paged: bool = False
    files: dict[str, str] = field(default_factory=dict)
    produces: str = JSON
    errors: tuple[int, ...] = ()
    auth: bool = True
    replayable: bool = True


OPERATIONS: list[Operation] = []


def _instance(schema):
    if schema is None:
        return None
    instance = schema() if isinstance(schema, type) else schema
    instance.unknown = EXCLUDE
    return instance


def error_details(messages: Any, prefix: str = "") -> list[dict[str, str]]:
    """marshmallow's nested error messages → one detail per field: {field, code, message}."""
    details = []
    if isinstance(messages, dict):
        for key, value in messages.items():
            name = prefix if key == "_schema" else (f"{prefix}.{key}" if prefix else str(key))
            details.extend(error_details(value, name or "body"))
    elif isinstance(messages, list) and messages and all(isinstance(m, (str, CodedMessage)) for m in messages):
        message = messages[0]
        code = getattr(message, "code", None) or ("missing" if message == "Missing data for required field." else "bad_value")
        details.append({"field": prefix or "body", "code": code, "message": _translate(str(message))})
    elif isinstance(messages, list):
        for index, value in enumerate(messages):
            details.extend(error_details(value, f"{prefix}[{index}]"))
    else:
        details.append({"field": prefix or "body", "code": "bad_value", "message": _translate(str(messages))})
    return details


_MARSHMALLOW_MESSAGES = {
    "Missing data for required field.": lambda: _("This field is required"),
    "Field may not be null.": lambda: _("This field may not be empty"),
    "Not a valid integer.": lambda: _("Not a whole number"),
    "Not a valid string.": lambda: _("Not text"),
    "Not a valid boolean.": lambda: _("Not true or false"),
    "Not a valid list.": lambda: _("Not a list"),
    "Not a valid date.": lambda: _("Not a date such as 2026-03-01"),
    "Not a valid datetime.": lambda: _("Not a date-time such as 2026-03-28T08:00:00+08:00"),
    "Invalid input type.": lambda: _("The body must be a JSON object"),
    "Not a valid mapping type.": lambda: _("Not an object"),
}


def _translate(message: str) -> str:
    known = _MARSHMALLOW_MESSAGES.get(message)
    return known() if known else message


def _nul_fields(data: Any, path: str = "") -> list[str]:
    """Fields whose text holds a NUL character, which no database column stores (PostgreSQL
    refuses it outright): told as a field error, not found by the database as a crash."""
    if isinstance(data, str):
        return [path or "body"] if "\x00" in data else []
    if isinstance(data, dict):
        return [found for key, value in data.items() for found in _nul_fields(value, f"{path}.{key}" if path else str(key))]
    if isinstance(data, list):
        return [found for k, value in enumerate(data) for found in _nul_fields(value, f"{path}[{k}]")]
    return []


def load(schema: Schema, data: Any) -> dict[str, Any]:
    bad = _nul_fields(data)
    if bad:
        details = [{"field": field, "code": "bad_value", "message": _("Text may not contain a NUL character")} for field in bad]
        raise Invalid(message=_("%(n)s field(s) are not valid: %(fields)s", n=len(details), fields=", ".join(bad)),
                      details=details)
    try:
        return schema.load(data)
    except ValidationError as exc:
        details = error_details(exc.messages)
        raise Invalid(message=_("%(n)s field(s) are not valid: %(fields)s", n=len(details),
                                fields=", ".join(d["field"] for d in details)), details=details) from None


def _json_body() -> Any:
    raw = request.get_data(cache=True)
    if not raw.strip():
        return {}
    if not request.is_json:
        raise BadRequest("bad_request", _("The body must be JSON (Content-Type: application/json)"))
    try:
        return safejson.loads(raw)
    except safejson.TooDeep:
        raise BadRequest("bad_request", _("The body is nested more than %(n)s levels deep", n=safejson.MAX_DEPTH)) from None
    except ValueError:
        raise BadRequest("bad_request", _("The body is not valid JSON")) from None


def _form_body() -> dict[str, Any]:
    # A form without files may arrive url-encoded; what it lacks is then told field by field (422).
    if request.mimetype not in ("multipart/form-data", "application/x-www-form-urlencoded"):
        raise BadRequest("bad_request", _("This request must be sent as multipart/form-data"))
    return {key: values[0] if len(values) == 1 else values for key, values in request.form.lists()}


_authenticators: list[Callable[[Any, str], Any]] = []


def token_authenticator(func: Callable[[Any, str], Any]) -> Callable[[Any, str], Any]:
    """Registers the function that turns a bearer token into the acting user (accounts does),
    so this edge needs no knowledge of users: func(ctx, token) → Actor | None."""
    _authenticators[:] = [func]
    return func


def current_actor(ctx):
    """The user named by the request's bearer token (401 without a valid one)."""
    header = request.headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("unauthorized", _("Send an API token: Authorization: Bearer <token>"))
    actor = _authenticators[0](ctx, token.strip())
    if actor is None:
        raise Unauthorized("unauthorized", _("The API token is not valid"))
    return actor


def operation(blueprint: Blueprint, rule: str, method: str = "GET", *, summary: str, tag: str,
              description: str = "", body=None, query=None, response=None, status: int = 200,
              paged: bool = False, files: dict[str, str] | None = None, produces: str = JSON,
              errors: tuple[int, ...] = (), auth: bool = True, replayable: bool = True,
              auditors: bool = False) -> Callable:
    """Registers `rule` on `blueprint` and records the operation for the OpenAPI document.

    The view is called as view(actor, ctx=…, body=…, query=…, **path_args) — without the arguments it
    has no schema for — and returns an object to dump with `response`, a Page, or a Response.
    `replayable=False` is for an answer that must never be stored (full ID numbers): such an
    operation ignores Idempotency-Key and runs, audited, on every call. An audit-only actor (an
    auditor) may call only the operations marked `auditors=True`: the trail and the access records."""
    body_schema, query_schema, response_schema = _instance(body), _instance(query), _instance(response)
    full_rule = (blueprint.url_prefix or "") + rule

    def decorate(view: Callable) -> Callable:
        wants_context = "ctx" in inspect.signature(view).parameters
        op = Operation(rule=full_rule, method=method, endpoint=f"{blueprint.name}.{view.__name__}",
                       summary=summary, tag=tag, description=description or (view.__doc__ or "").strip(),
                       body=body_schema, query=query_schema, response=response_schema, status=status,
                       paged=paged, files=files or {}, produces=produces, errors=errors, auth=auth,
                       replayable=replayable)
        OPERATIONS.append(op)

        @functools.wraps(view)
        def handle(**path_args):
            ctx = current_context()
            actor = current_actor(ctx) if auth else None
            if getattr(actor, "audit_only", False) and not auditors:
                raise Forbidden("forbidden", _("An auditor reads the audit trail and nothing else"))
            claim = None
            key = request.headers.get("Idempotency-Key")
            if key is not None and method in MUTATING and actor is not None and replayable:
                claimed = idempotency.begin(actor.user_id, key, request, ctx.clock.wall())
                if isinstance(claimed, Response):
                    return claimed
                claim = claimed
            try:
                result = _call(view, actor, ctx, path_args)
            except BaseException:
                if claim is not None:
                    idempotency.release(claim)
                raise
            if claim is not None:
                idempotency.finish(claim, result)
            return result

        def _call(view, actor, ctx, path_args):
            kwargs: dict[str, Any] = dict(path_args)
            if wants_context:
                kwargs["ctx"] = ctx
            if query_schema is not None:
                kwargs["query"] = load(query_schema, request.args.to_dict())
            if body_schema is not None:
                data = _form_body() if files else _json_body()
                kwargs["body"] = load(body_schema, data)
            result = view(actor, **kwargs) if auth else view(**kwargs)
            if isinstance(result, Response):
                return result
            if paged and isinstance(result, Page):
                payload = {"items": response_schema.dump(result.items, many=True), "next_cursor": result.next_cursor}
            elif response_schema is not None:
                payload = response_schema.dump(result)
            else:
                payload = result
            answer = jsonify(payload)
            answer.status_code = status
            return answer

        blueprint.add_url_rule(rule, view.__name__, handle, methods=[method])
        return handle

    return decorate
