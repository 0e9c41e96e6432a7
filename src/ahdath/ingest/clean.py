"""Drop page-furniture lines ("مقالات ذات صلة", "زر الذهاب إلى الأعلى") from a report.

Cleaning happens before the ``Article`` is built: the engine's evidence offsets
refer to ``Article.text``, which is the cleaned text. Only whole lines are
removed and kept lines are copied verbatim, so cleaning never alters a quote.
The phrases come from the ``boilerplate`` lexicon (see its file for ``match``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ahdath.lexicon.loader import Lexicon, load_lexicons
from ahdath.text.normalize import normalize
from ahdath.text.tokens import tokenize

MAX_LINE = 300  # longer lines are reporting, whatever phrase they contain
_BLANK_RUN = re.compile(r"\n[ \t\u00a0]*(?:\n[ \t\u00a0]*)+")


def _key(text: str) -> str:
    """Words of ``text`` after normalization, space separated: punctuation and spacing ignored."""
    return " ".join(t.text for t in tokenize(normalize(text).text))


@dataclass(frozen=True, slots=True)
class Boilerplate:
    """Compiled furniture phrases, by how they must match a line."""

    lines: frozenset[str]
    prefixes: tuple[str, ...]
    contains: tuple[str, ...]

    @classmethod
    def from_lexicon(cls, lexicon: Lexicon) -> "Boilerplate":
        lines: set[str] = set()
        prefixes: list[str] = []
        contains: list[str] = []
        for entry in lexicon.entries:
            how = entry.get("match") or "line"
            for form in entry.forms:
                key = _key(form)
                if not key:
                    continue
                if how == "line":
                    lines.add(key)
                elif how == "prefix":
                    prefixes.append(key)
                else:
                    contains.append(key)
        return cls(frozenset(lines), tuple(sorted(set(prefixes))), tuple(sorted(set(contains))))

    def is_furniture(self, line: str) -> bool:
        """True when ``line`` (one line of a report) is page furniture."""
        if len(line) > MAX_LINE:
            return False
        key = _key(line)
        if not key:
            return False
        if key in self.lines:
            return True
        for p in self.prefixes:
            if key == p or key.startswith(p + " "):
                return True
        padded = f" {key} "
        return any(f" {c} " in padded for c in self.contains)


@lru_cache(maxsize=1)
def packaged_boilerplate() -> Boilerplate:
    """The packaged boilerplate lexicon, compiled once per process."""
    return Boilerplate.from_lexicon(load_lexicons()["boilerplate"])


def clean_text(text: str, boilerplate: Lexicon | Boilerplate) -> str:
    """``text`` without furniture lines, CR/LF unified, runs of blank lines collapsed, trimmed."""
    bp = boilerplate if isinstance(boilerplate, Boilerplate) else Boilerplate.from_lexicon(boilerplate)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    kept = [line for line in text.split("\n") if not bp.is_furniture(line)]
    return _BLANK_RUN.sub("\n\n", "\n".join(kept)).strip()
