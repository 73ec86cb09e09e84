"""Pages' forms, declared as marshmallow schemas (the API's own, or a page's variant of it that
takes yuan and Beijing time): a form is read into the shape of its schema, loaded, and a refusal
becomes a readable message. A page then calls the same service function as the API."""
from __future__ import annotations

import re
from typing import Any, Callable

from flask import flash, request, url_for
from marshmallow import EXCLUDE, Schema, ValidationError, fields

from exchange.core.api import error_details
from exchange.core.errors import DomainError
from exchange.core.fields import StrList
from exchange.core.words import field_label
from exchange.extensions import db


def _typed(field: fields.Field, value: str):
    """A whole number typed into a box is a number: the API's strict integer fields take it."""
    return int(value) if isinstance(field, fields.Integer) and is_number(value) else value


def _values(schema: Schema, form, prefix: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, field in schema.fields.items():
        if field.dump_only:
            continue
        key = field.data_key or name
        form_key = prefix + key
        if isinstance(field, fields.List) and isinstance(field.inner, fields.Nested):
            row = re.compile(re.escape(form_key) + r"-(\d{1,6})-")
            numbers = sorted({int(found[1]) for k in form if (found := row.match(k))})
            if numbers:
                out[key] = [_values(field.inner.schema, form, f"{form_key}-{n}-") for n in numbers]
        elif isinstance(field, fields.Nested):
            if any(k.startswith(form_key + "-") for k in form):
                out[key] = _values(field.schema, form, form_key + "-")
        elif isinstance(field, StrList):
            # Words typed into one box (电焊、叉车) or ticked one by one: the field splits them.
            if form_key in form:
                out[key] = "、".join(value for value in form.getlist(form_key) if value != "")
        elif isinstance(field, fields.List):
            if form_key in form:
                out[key] = [_typed(field.inner, value) for value in form.getlist(form_key) if value != ""]
        elif isinstance(field, fields.Boolean) and not prefix and form_key not in form:
            out[key] = False    # an unticked box is not sent: on a form it means "no"
        elif form.get(form_key, "") != "":
            out[key] = _typed(field, form.get(form_key))
    return out


def form_values(schema: Schema, form=None) -> dict[str, Any]:
    """The form's fields in the shape of the schema's input: a List of Nested rows comes from
    "rows-0-name", "rows-1-name" … (in the order of their numbers), a Nested object from
    "escort-name", a List of values from every value of its name (ticked boxes; words typed into
    one box for a StrList), the rest from their name. An empty box is a value not given (the
    schema's default applies), an unticked box is "no", and a whole number is a number."""
    return _values(schema, request.form if form is None else form, "")


def load_form(schema: Schema, form=None, **given: Any) -> tuple[dict[str, Any] | None, dict[str, str]]:
    """(the loaded values, {}) or (None, a message per field, by the name the form gives it).
    `given` adds what the page knows and the form does not carry (the seeker of the page …)."""
    return load_values(schema, {**form_values(schema, form), **given})


def load_values(schema: Schema, values: dict[str, Any]) -> tuple[dict[str, Any] | None, dict[str, str]]:
    """load_form for values a page has read with form_values and then sorted (blank rows left out)."""
    schema.unknown = EXCLUDE
    try:
        return schema.load(values), {}
    except ValidationError as exc:
        return None, {d["field"]: d["message"] for d in error_details(exc.messages)}


def attempt(action: Callable[[], Any], success: str | None = None) -> Any:
    """Runs a service call; a refusal becomes a message on the page (nothing was changed)."""
    try:
        result = action()
    except DomainError as exc:
        db.session.rollback()
        details = "；".join(f"{field_label(d.get('field'))}：{d.get('message')}" for d in exc.details[:8])
        flash(f"{exc.message}{'：' + details if details else ''}", "error")
        return None
    if success:
        flash(success, "ok")
    return result


def flash_errors(errors: dict[str, str]) -> None:
    """A form's problems as one message, each under the name the form gives the field."""
    flash("；".join(f"{field_label(key)}：{text}" for key, text in errors.items()), "error")


def is_number(value: object) -> bool:
    """A whole number as a form or query sends it: ASCII digits only ("²" is a digit to Python,
    not to int()), and not longer than a database integer holds."""
    text = str(value or "")
    return text.isascii() and text.isdigit() and len(text) <= 15


def back(default_endpoint: str, **values) -> str:
    target = request.form.get("next") or request.args.get("next")
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for(default_endpoint, **values)


def form_now(ctx) -> str:
    """A datetime-local default: now, in Beijing time, on EXCHANGE_TODAY's date in a demo."""
    return f"{ctx.clock.now():%Y-%m-%dT%H:%M}"
