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


def record_language():
    """A context in which text is written in the counties' own language, whatever the user's UI
    language: printed documents, and reasons stored on records that both sides read."""
    from flask_babel import force_locale
    return force_locale(DEFAULT)


def html_lang(locale: str) -> str:
    return "zh-CN" if locale == "zh_CN" else locale


class Phrase:
    """A message with its parameters, turned into text in the request's language when shown.
    Unlike a lazy string it can be rendered with translations fetched once, which matters when a
    proposal explains a hundred thousand matches."""
    __slots__ = ("msgid", "params")

    def __init__(self, msgid: str, **params):
        self.msgid, self.params = msgid, params

    def render(self, translations=None) -> str:
        if translations is None:
            translations = current_translations()
        text = translations.ugettext(self.msgid) if translations is not None else self.msgid
        return text % self.params if self.params else text

    __str__ = render

    def __repr__(self) -> str:
        return f"Phrase({self.msgid!r})"


def current_translations():
    """The catalogue of the request's language (None outside an application context)."""
    from flask import has_app_context
    from flask_babel import get_translations
    return get_translations() if has_app_context() else None
