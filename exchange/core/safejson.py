"""Reading JSON that comes from outside (request bodies, imported files, a partner's pages): a
document nested deeper than MAX_DEPTH is refused like any other bad JSON, before anything
recursive (a schema, a digest, a log line) walks it and runs out of stack."""
from __future__ import annotations

import json
from typing import Any

from flask.json.provider import DefaultJSONProvider

MAX_DEPTH = 64


class TooDeep(ValueError):
    """Nested deeper than MAX_DEPTH: a ValueError, so every "not valid JSON" path refuses it."""

    def __init__(self) -> None:
        super().__init__(f"the JSON is nested more than {MAX_DEPTH} levels deep")


def loads(text: str | bytes, **kwargs: Any) -> Any:
    try:
        value = json.loads(text, **kwargs)
    except RecursionError:
        raise TooDeep() from None
    if not shallow(value):
        raise TooDeep()
    return value


def shallow(value: Any, limit: int = MAX_DEPTH) -> bool:
    """True when no array or object lies more than `limit` levels deep (walked without recursion)."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        for child in children:
            if isinstance(child, (dict, list)):
                if depth >= limit:
                    return False
                stack.append((child, depth + 1))
    return True


class JSONProvider(DefaultJSONProvider):
    """The application's JSON: request.get_json() refuses what loads() refuses."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return loads(s, **kwargs)
