#!/usr/bin/env python3
"""Translation catalogues: extract the messages, merge them into zh_CN, optionally fill
translations from a Python dict file, compile, and report what is untranslated.

  python scripts/i18n.py            extract, update, compile; exit 1 if anything is untranslated
  python scripts/i18n.py --fill F   also take msgstr values from the dict ZH in the file F
  python scripts/i18n.py --compile  only compile the .po files to .mo
"""
from __future__ import annotations

import runpy
import subprocess
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "exchange" / "translations"
POT = TRANSLATIONS / "messages.pot"
# The Chinese catalogue lives under zh_Hans_CN: the name Babel gives the locale zh_CN.
CHINESE = "zh_Hans_CN"
LOCALES = (CHINESE, "en")


def po_path(locale: str) -> Path:
    return TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"


def compile_all() -> None:
    for locale in LOCALES:
        po = po_path(locale)
        if po.exists():
            catalog = read_po(po.open("rb"), locale=locale)
            with po.with_suffix(".mo").open("wb") as out:
                write_mo(out, catalog, use_fuzzy=False)


def main(argv: list[str]) -> int:
    if argv[:1] == ["--compile"]:
        compile_all()
        return 0
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", str(ROOT / "babel.cfg"),
                    "-k", "_l", "-k", "lazy_gettext", "-k", "Phrase", "--no-location", "--sort-output",
                    "-o", str(POT), str(ROOT)], check=True, cwd=ROOT, capture_output=True)
    template = read_po(POT.open("rb"))
    fill = runpy.run_path(argv[1])["ZH"] if argv[:1] == ["--fill"] else {}
    missing = []
    for locale in LOCALES:
        po = po_path(locale)
        po.parent.mkdir(parents=True, exist_ok=True)
        catalog = read_po(po.open("rb"), locale=locale) if po.exists() else read_po(POT.open("rb"), locale=locale)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        for message in catalog:
            if not message.id:
                continue
            key = message.id[0] if message.pluralizable else message.id
            if locale == CHINESE and key in fill:
                # Chinese has one plural form: the singular's key carries it
                message.string = (fill[key],) if message.pluralizable else fill[key]
            text = message.string[0] if message.pluralizable else message.string
            if locale == CHINESE and not text:
                missing.append(key)
        catalog.project, catalog.version = "exchange", "1"
        catalog.fuzzy = False
        catalog.creation_date = catalog.revision_date = template.creation_date.replace(year=2026, month=1, day=1, hour=0, minute=0)
        with po.open("wb") as out:
            write_po(out, catalog, sort_output=True, width=0)
    compile_all()
    for message_id in missing:
        print(f"untranslated (zh_CN): {message_id}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
