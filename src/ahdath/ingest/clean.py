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

MAX_LINE = 300  # longer lines are reporting, whatever phrase they contain
_BLANK_RUN = re.compile(r"\n[ \t\u00a0]*(?:\n[ \t\u00a0]*)+")
# The words ``ahdath.text.tokens.tokenize`` sees, without building Token objects (this runs on every line).
_WORD = re.compile(r"[0-9]+(?:[.,][0-9]+)*|[^\W\d_]+")


def _key(text: str) -> str:
    """Words of ``text`` after normalization, space separated: punctuation and spacing ignored."""
    return " ".join(_WORD.findall(normalize(text).text))


@dataclass(frozen=True, slots=True)
class Boilerplate:
    """Compiled furniture phrases, by how they must match a line."""

    lines: frozenset[str]
    prefixes: tuple[str, ...]
    contains: tuple[str, ...]
    # Quick rejects, so most lines cost one normalization and two C-level searches.
    first_words: frozenset[str]
    contains_re: re.Pattern[str] | None

    @classmethod
    def from_lexicon(cls, lexicon: Lexicon) -> "Boilerplate":
        lines: set[str] = set()
        prefixes: set[str] = set()
        contains: set[str] = set()
        for entry in lexicon.entries:
            how = entry.get("match") or "line"
            for form in entry.forms:
                key = _key(form)
                if key:
                    {"line": lines, "prefix": prefixes}.get(how, contains).add(key)
        first = frozenset(k.split(" ", 1)[0] for k in lines | prefixes)
        alternatives = sorted((r"[\W_]+".join(map(re.escape, k.split(" "))) for k in contains), key=len, reverse=True)
        pattern = re.compile(r"(?<![^\W_])(?:" + "|".join(alternatives) + r")(?![^\W_])") if alternatives else None
        return cls(frozenset(lines), tuple(sorted(prefixes)), tuple(sorted(contains)), first, pattern)

    def is_furniture(self, line: str) -> bool:
        """True when ``line`` (one line of a report) is page furniture."""
        if len(line) > MAX_LINE:
            return False
        text = normalize(line).text
        if self.contains_re is not None and self.contains_re.search(text):
            return True
        first = _WORD.search(text)
        if first is None or first.group() not in self.first_words:
            return False
        key = " ".join(_WORD.findall(text))
        if key in self.lines:
            return True
        return any(key == p or key.startswith(p + " ") for p in self.prefixes)


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
