"""Answers that are files (xlsx, CSV, PDF) rather than JSON."""
from __future__ import annotations

from urllib.parse import quote

from flask import Response

from exchange.core.api import CSV, PDF, XLSX


def _attachment(body: bytes, mimetype: str, filename: str, inline: bool = False) -> Response:
    response = Response(body, mimetype=mimetype)
    disposition = "inline" if inline else "attachment"
    response.headers["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(filename)}"
    response.headers["Cache-Control"] = "no-store"
    return response


def xlsx_response(body: bytes, filename: str) -> Response:
    return _attachment(body, XLSX, filename)


def csv_response(body: bytes, filename: str) -> Response:
    return _attachment(body, CSV + "; charset=utf-8", filename)


def pdf_response(body: bytes, filename: str) -> Response:
    return _attachment(body, PDF, filename, inline=True)
