"""Where the project's data folders (migrations, templates, partner_configs) are found: beside
the package in a checkout, or bundled inside it in an installed wheel."""
from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def bundled(name: str) -> Path:
    inside = PACKAGE_DIR / "_bundled" / name
    return inside if inside.is_dir() else PACKAGE_DIR.parent / name
