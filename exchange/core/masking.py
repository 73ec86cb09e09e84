"""The one masking function for personal identifiers shown on screens, in JSON and in print."""
from __future__ import annotations


def mask_national_id(value: str | None) -> str | None:
    """510524199005120316 → 510524********0316 (birthplace and last four kept)."""
    if not value:
        return value
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str | None) -> str | None:
    """13812345678 → 138****5678."""
    if not value:
        return value
    if len(value) < 8:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_account(value: str | None) -> str | None:
    """A bank account keeps its last four digits."""
    if not value:
        return value
    return "*" * max(len(value) - 4, 4) + value[-4:]
