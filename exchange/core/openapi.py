"""The OpenAPI 3 document, generated from the recorded operations and their marshmallow
schemas, and the browsable docs (Swagger UI served from the installed package, no CDN)."""
from __future__ import annotations

import re
from functools import cache

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Blueprint, current_app, jsonify, render_template_string, send_from_directory
from marshmallow import Schema, fields

from exchange.core.api import JSON, MUTATING, OPERATIONS
from exchange.core.fields import MAX_ID, register_openapi_types
from exchange.core.headers import DOCS_POLICY

bp = Blueprint("openapi", __name__, url_prefix="/api/v1")

STATUS_TEXT = {
    400: "The request cannot be parsed (bad_request)",
    401: "No valid API token (unauthorized)",
    403: "The role or region may not do this (forbidden, same_user …)",
    404: "No such object visible to the caller (not_found)",
    409: "The object's state does not allow this (a specific code)",
    413: "The upload is too large (too_large)",
    422: "A field or domain rule failed (invalid with details, or a specific code)",
}


class ErrorDetail(Schema):
    field = fields.String()
    code = fields.String()
    message = fields.String()
    row = fields.Integer()


class ErrorBody(Schema):
    code = fields.String(required=True)
    message = fields.String(required=True)
    details = fields.List(fields.Nested(ErrorDetail))


class Error(Schema):
    error = fields.Nested(ErrorBody, required=True)


_page_schemas: dict[type, type] = {}


def page_of(schema: Schema) -> type:
    cls = type(schema)
    if cls not in _page_schemas:
        name = cls.__name__.removesuffix("Schema") + "Page"
        _page_schemas[cls] = type(name, (Schema,), {
            "items": fields.List(fields.Nested(cls), required=True),
            "next_cursor": fields.String(allow_none=True, required=True),
        })
    return _page_schemas[cls]


_CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")


def _path(rule: str) -> tuple[str, list[dict]]:
    params = []
    for converter, name in _CONVERTER.findall(rule):
        schema = {"type": "integer", "minimum": 1, "maximum": MAX_ID} if converter == "int" else {"type": "string"}
        if name == "pairing_id":
            schema = {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"}
        params.append({"in": "path", "name": name, "required": True, "schema": schema})
    return _CONVERTER.sub(lambda m: "{" + m.group(2) + "}", rule), params


def _schema_name(schema) -> str:
    cls = schema if isinstance(schema, type) else type(schema)
    name = cls.__name__.removesuffix("Schema")
    modifiers = getattr(schema, "only", None) or getattr(schema, "exclude", None)
    return name + ("_" + "_".join(sorted(modifiers)) if modifiers else "")


@cache
def build_document(version: str) -> dict:
    plugin = MarshmallowPlugin(schema_name_resolver=_schema_name)
    spec = APISpec(
        title="东西部劳务协作 exchange API", version=version, openapi_version="3.0.3", plugins=[plugin],
        info={"description": "The 三来三往 exchange between a sending and a receiving county. "
                             "Errors: {\"error\": {\"code\", \"message\", \"details\"}}. Money in integer fen. "
                             "Lists: ?limit= and ?cursor=, answer {items, next_cursor}."},
    )
    register_openapi_types(plugin)
    spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    spec.components.schema("Error", schema=Error)
    error_ref = {"$ref": "#/components/schemas/Error"}

    for op in OPERATIONS:
        path, parameters = _path(op.rule)
        operation: dict = {"summary": op.summary, "tags": [op.tag], "operationId": op.endpoint.replace(".", "_"),
                           "parameters": list(parameters), "responses": {}}
        if op.description:
            operation["description"] = op.description
        if op.query is not None:
            operation["parameters"].append({"in": "query", "schema": op.query})
        if op.files:
            properties = {name: {"type": "array", "items": {"type": "string", "format": "binary"}, "description": text}
                          for name, text in op.files.items()}
            file_part = {"type": "object", "properties": properties, "required": list(op.files)}
            schema = {"allOf": [op.body, file_part]} if op.body is not None else file_part
            operation["requestBody"] = {"required": True, "content": {"multipart/form-data": {"schema": schema}}}
        elif op.body is not None:
            operation["requestBody"] = {"required": True, "content": {JSON: {"schema": op.body}}}
        if op.produces == JSON:
            schema = page_of(op.response) if op.paged else op.response
            content = {JSON: {"schema": schema}} if schema is not None else {JSON: {"schema": {"type": "object"}}}
        else:
            content = {op.produces: {"schema": {"type": "string", "format": "binary"}}}
        operation["responses"][str(op.status)] = {"description": "OK", "content": content}
        statuses = {404, 422, 400} | set(op.errors)
        if op.auth:
            statuses |= {401, 403}
            operation["security"] = [{"bearerAuth": []}]
        else:
            operation["security"] = []
        if op.method in MUTATING:
            statuses |= {409}
            operation["parameters"].append({"in": "header", "name": "Idempotency-Key", "required": False,
                                            "schema": {"type": "string", "maxLength": 255},
                                            "description": "replays the first answer for 24 hours"})
        if op.files:
            statuses |= {413}
        for code in sorted(statuses):
            operation["responses"][str(code)] = {"description": STATUS_TEXT[code], "content": {JSON: {"schema": error_ref}}}
        spec.path(path=path, operations={op.method.lower(): operation})
    return spec.to_dict()


@bp.get("/openapi.json")
def openapi_json():
    return jsonify(build_document(current_app.config["EXCHANGE_VERSION"]))


DOCS_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>API 文档 — 东西部劳务协作</title>
<link rel="stylesheet" href="{{ url_for('openapi.docs_asset', filename='swagger-ui.css') }}">
</head><body><div id="docs"></div>
<script src="{{ url_for('openapi.docs_asset', filename='swagger-ui-bundle.js') }}"></script>
<script src="{{ url_for('openapi.docs_asset', filename='docs-init.js') }}"></script>
</body></html>"""


@bp.get("/docs")
def docs():
    page = current_app.make_response(render_template_string(DOCS_PAGE))
    page.headers["Content-Security-Policy"] = DOCS_POLICY
    return page


@bp.get("/docs/static/<path:filename>")
def docs_asset(filename: str):
    if filename == "docs-init.js":
        from flask import url_for
        script = ("window.ui = SwaggerUIBundle({url: %r, dom_id: '#docs', deepLinking: true});"
                  % url_for("openapi.openapi_json"))
        return current_app.response_class(script, mimetype="application/javascript")
    from swagger_ui_bundle import swagger_ui_path
    return send_from_directory(str(swagger_ui_path), filename)
