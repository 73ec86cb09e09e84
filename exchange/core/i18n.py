"""Locale selection: ?lang= sets it for the session, then the user's choice, then zh_CN."""
from __future__ import annotations

from flask import request, session
from flask_babel import lazy_gettext

SUPPORTED = ("zh_CN", "en")
DEFAULT = "zh_CN"

# Messages of pure modules are lazy: they are turned into text in the request's language.
_l = lazy_gettext


def select_locale() -> str:
    try:
        wanted = request.args.get("lang")
    except RuntimeError:  # outside a request (CLI, scheduler)
        return DEFAULT
    if wanted in SUPPORTED:
        session["lang"] = wanted
        return wanted
    if session.get("lang") in SUPPORTED:
        return session["lang"]
    return DEFAULT


def html_lang(locale: str) -> str:
    return "zh-CN" if locale == "zh_CN" else locale
