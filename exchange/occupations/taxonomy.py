"""The shipped occupation taxonomy (GB/T 6565, 2015 edition): names and aliases to codes.

Occupation fields stay strings in the API and the protocol (a name, an alias or a code); each
side resolves them here, so a partner that sends plain names still interoperates."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

DATA = Path(__file__).with_name("occupations.tsv")
_NOISE = re.compile(r"[\s\u3000]+")


@dataclass(frozen=True)
class Occupation:
    code: str
    name: str

    @property
    def group(self) -> str:
        """The middle group (中类): the first two parts of the code."""
        return "-".join(self.code.split("-")[:2])


@lru_cache(maxsize=65536)   # a province's lists repeat the same few hundred typed names
def _key(text: str) -> str:
    return _NOISE.sub("", text).lower()


class Taxonomy:
    def __init__(self, rows: list[tuple[str, str, list[str]]]):
        self.by_code: dict[str, Occupation] = {}
        self._lookup: dict[str, str] = {}
        for code, name, aliases in rows:
            self.by_code[code] = Occupation(code, name)
            for text in (code, name, *aliases):
                self._lookup.setdefault(_key(text), code)

    def resolve(self, text: str | None) -> str | None:
        """The code for a typed name, alias or code; None when unknown."""
        if not text:
            return None
        return self._lookup.get(_key(text))

    def get(self, code: str) -> Occupation | None:
        return self.by_code.get(code)

    def name(self, code: str | None) -> str | None:
        occupation = self.by_code.get(code or "")
        return occupation.name if occupation else None

    def group_of(self, code: str | None) -> str | None:
        return self.by_code[code].group if code in self.by_code else None

    def label(self, text: str) -> str:
        """What to show for a typed occupation: the words the clerk or employer typed (电子装配), or
        the taxonomy's name when what was given is a bare code (6-25)."""
        code = self.resolve(text)
        if code is not None and _key(text) == _key(code):
            return self.name(code) or text
        return text


@cache
def taxonomy() -> Taxonomy:
    rows = []
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        aliases = [a.strip() for a in parts[2].split("、")] if len(parts) > 2 and parts[2].strip() else []
        rows.append((parts[0].strip(), parts[1].strip(), aliases))
    return Taxonomy(rows)
