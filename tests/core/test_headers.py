"""Every response carries the headers that keep a page from being framed, sniffed or made to run
another site's script; behind the documented proxy, HTTPS is recognised, the session cookie is
Secure and the browser is told to stay on HTTPS."""
from __future__ import annotations

import re
from pathlib import Path

from tests.clerk import TOKEN
from tests.factories import PASSWORD


def _log_in(client, username, **kwargs):
    token = TOKEN.search(client.get("/login", **kwargs).text).group(1)
    return client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token}, **kwargs)


def test_pages_and_api_answers_carry_the_security_headers(app, factory):
    client = app.test_client()
    for path in ["/login", "/api/v1/me", "/no-such-page", "/static/app.css"]:
        headers = client.get(path).headers
        policy = headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in policy, path
        assert re.search(r"script-src 'self'(;|$)", policy), path                  # no inline script
        assert "unsafe-inline" not in policy, path
        assert headers["X-Frame-Options"] == "DENY", path
        assert headers["X-Content-Type-Options"] == "nosniff", path
        assert headers["Referrer-Policy"] == "same-origin", path
        assert "Strict-Transport-Security" not in headers, path                   # plain HTTP: nothing to pin


def test_the_templates_hold_no_inline_script_or_style_for_the_policy_to_block():
    """The page templates (not the PDF ones: WeasyPrint reads their <style>, no browser does)."""
    pages = [t for t in (Path(__file__).resolve().parents[2] / "templates").rglob("*.html") if "pdf" not in t.parts]
    assert len(pages) > 30
    for template in pages:
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), template
        assert not re.search(r"<style", text), template
        assert not re.search(r"\sstyle=", text), template
        assert not re.search(r"\son[a-z]+=", text), template                       # no onclick= handlers
        assert "javascript:" not in text, template


def test_the_api_docs_may_style_inline_but_run_only_their_own_scripts(app):
    policy = app.test_client().get("/api/v1/docs").headers["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in policy and re.search(r"script-src 'self'(;|$)", policy)


def test_behind_the_proxy_https_makes_the_cookie_secure_and_pins_https(make_app, factory):
    app = make_app(EXCHANGE_PROXY_HOPS="1")
    factory.user("sending_staff", "510524", username="behind-proxy")
    # Over HTTPS the CSRF check also wants the page's own address as Referer, as a browser sends it.
    https = {"headers": {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7",
                         "Referer": "https://localhost/login"}}
    answer = _log_in(app.test_client(), "behind-proxy", **https)
    assert answer.status_code == 302
    cookie = answer.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert answer.headers["Strict-Transport-Security"].startswith("max-age=")


def test_without_the_proxy_setting_a_forwarded_scheme_is_not_believed(app, factory):
    factory.user("sending_staff", "510524", username="no-proxy")
    answer = _log_in(app.test_client(), "no-proxy", headers={"X-Forwarded-Proto": "https"})
    assert answer.status_code == 302
    assert "Secure" not in answer.headers["Set-Cookie"] and "Strict-Transport-Security" not in answer.headers
