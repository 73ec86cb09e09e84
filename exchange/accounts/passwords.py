"""The password policy of every account: at least ten characters, not the user name, not a
password that leaked-password lists are full of, not a run, a repeat or a keyboard row."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from flask_babel import gettext as _

MIN_LENGTH = 10
MAX_LENGTH = 256
_ROWS = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm", "abcdefghijklmnopqrstuvwxyz")


@lru_cache(maxsize=1)
def _common() -> frozenset[str]:
    text = (Path(__file__).with_name("common_passwords.txt")).read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def _is_run(word: str) -> bool:
    """A stretch of one keyboard row or of the alphabet or digits, forwards or backwards."""
    for row in _ROWS:
        for line in (row, row[::-1]):
            if word in line * 3:
                return True
    return False


def problem(password: str, username: str | None) -> str | None:
    """Why this password may not be used, or None when it may."""
    if len(password) < MIN_LENGTH:
        return _("The password must have at least %(n)s characters", n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _("The password may have at most %(n)s characters", n=MAX_LENGTH)
    lowered = password.lower()
    name = (username or "").lower()
    if name and (lowered == name or (len(name) >= 3 and name in lowered)):
        return _("The password may not contain the user name")
    if len(set(lowered)) < 4 or lowered in _common() or _is_run(lowered):
        return _("This password is among the first any attacker tries; choose a less common one")
    return None
