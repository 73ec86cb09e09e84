"""Printed documents: HTML rendered to PDF by WeasyPrint, with the Noto CJK font the system
provides (scripts/system-deps installs it)."""
from __future__ import annotations


def render_pdf(html: str) -> bytes:
    from weasyprint import HTML
    return HTML(string=html, base_url=None).write_pdf()
