"""The security headers on every response: a Content-Security-Policy that runs no inline script
and lets no other site frame a page, no content sniffing, a strict referrer policy, and HSTS when
the request came over HTTPS. The templates hold no inline script or style for it to block."""
from __future__ import annotations

from flask import Flask, Response, request


def policy(style_src: str = "'self'") -> str:
    return "; ".join([
        "default-src 'self'",
        "script-src 'self'",
        f"style-src {style_src}",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


CONTENT_SECURITY_POLICY = policy()
# The API's browsable docs (Swagger UI) set style attributes as they render; their scripts stay
# held to 'self' like every page's.
DOCS_POLICY = policy(style_src="'self' 'unsafe-inline'")

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}

HSTS = "max-age=31536000"


def install_security_headers(app: Flask) -> None:
    @app.after_request
    def secure(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        return response
