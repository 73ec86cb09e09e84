"""Money is integer fen inside; yuan only at the edges (pairing files, screens, print, bank files)."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation


def yuan_to_fen(yuan: int | float | str | Decimal) -> int:
    """'4500', '4500.5', 4500 → fen; raises ValueError on anything else."""
    try:
        amount = Decimal(str(yuan).strip().replace(",", "").replace("，", ""))
    except InvalidOperation:
        raise ValueError(f"not an amount: {yuan!r}") from None
    if not amount.is_finite():
        raise ValueError(f"not an amount: {yuan!r}")
    return int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def fen_to_yuan(fen: int | None) -> str:
    """12345 → '123.45'; whole yuan keep two decimals too, as a bank file expects."""
    if fen is None:
        return ""
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}{fen // 100}.{fen % 100:02d}"
