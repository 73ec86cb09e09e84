"""Every message has its Chinese translation, and the compiled catalogues match the sources."""
from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CHINESE = ROOT / "exchange" / "translations" / "zh_Hans_CN" / "LC_MESSAGES"


def test_every_message_is_translated_and_compiled():
    catalog = read_po((CHINESE / "messages.po").open("rb"))
    untranslated = [m.id for m in catalog if m.id and not all(_texts(m.string))]
    assert untranslated == []
    compiled = read_mo((CHINESE / "messages.mo").open("rb"))
    assert ({_texts(m.id): _texts(m.string) for m in catalog if m.id}
            == {_texts(m.id): _texts(m.string) for m in compiled if m.id})


def _texts(value) -> tuple:
    """A message's id or string as a tuple: one text, or one per plural form."""
    return tuple(value) if isinstance(value, (list, tuple)) else (value,)


def test_the_sources_hold_no_message_missing_from_the_catalogue():
    import subprocess
    import sys
    import tempfile
    with tempfile.TemporaryDirectory() as folder:
        pot = Path(folder) / "messages.pot"
        subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", str(ROOT / "babel.cfg"),
                        "-k", "_l", "-k", "lazy_gettext", "-k", "Phrase", "-o", str(pot), str(ROOT)],
                       check=True, capture_output=True, cwd=ROOT)
        wanted = {m.id for m in read_po(pot.open("rb")) if m.id}
    have = {m.id for m in read_po((CHINESE / "messages.po").open("rb")) if m.id}
    assert sorted(wanted - have) == []
