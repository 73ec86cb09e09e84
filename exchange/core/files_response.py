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


def download_response(body: bytes, mimetype: str) -> Response:
    """A file someone uploaded (a receipt), handed back only as a download: never rendered by the
    browser as a page of this site."""
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = "attachment"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
