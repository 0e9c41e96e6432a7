"""Drop page-furniture lines ("مقالات ذات صلة", "زر الذهاب إلى الأعلى") from a report.

Cleaning happens before the ``Article`` is built: the engine reads ``Article.text``, the
cleaned text, and ``Article.origin`` maps it back to the input, since evidence offsets point
into the input as the user gave it. Only whole lines are removed and kept lines are copied
verbatim, so cleaning never alters a quote. The phrases come from the ``boilerplate`` lexicon
(see its file for ``match``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ahdath.lexicon.loader import Lexicon, load_lexicons
from ahdath.text.normalize import normalize
from ahdath.text.offsets import MapBuilder, SourceMap

MAX_LINE = 300  # longer lines are reporting, whatever phrase they contain
_BLANK_RUN = re.compile(r"\n[ \t\u00a0]*(?:\n[ \t\u00a0]*)+")
_LINE_END = re.compile(r"\r\n?|\n")
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
    return clean(text, boilerplate)[0]


def clean(text: str, boilerplate: Lexicon | Boilerplate) -> tuple[str, SourceMap | None]:
    """``clean_text`` and the map of the cleaned text back to ``text`` (``None``: nothing changed)."""
    bp = boilerplate if isinstance(boilerplate, Boilerplate) else Boilerplate.from_lexicon(boilerplate)
    # kept lines joined by "\n": each "\n" stands for the line end just before the line it precedes
    joined = MapBuilder(text)
    pos = 0
    line_end = -1  # where the line end before the current line is (of a CRLF, its LF)
    first = True
    for m in _LINE_END.finditer(text):
        first = _keep_line(joined, bp, text, pos, m.start(), line_end, first)
        pos, line_end = m.end(), m.end() - 1
    _keep_line(joined, bp, text, pos, len(text), line_end, first)
    lines, lines_map = joined.build()
    # a blank run becomes "\n\n": its first line end and its last
    out = MapBuilder(text)
    pos = 0
    for m in _BLANK_RUN.finditer(lines):
        out.take(lines, lines_map, pos, m.start())
        out.take(lines, lines_map, m.start(), m.start() + 1)
        last = lines.rindex("\n", m.start(), m.end())
        out.take(lines, lines_map, last, last + 1)
        pos = m.end()
    out.take(lines, lines_map, pos, len(lines))
    collapsed, collapsed_map = out.build()
    start = len(collapsed) - len(collapsed.lstrip())
    end = len(collapsed.rstrip())
    if start == 0 and end == len(collapsed):
        return collapsed, collapsed_map
    trimmed = MapBuilder(text)
    trimmed.take(collapsed, collapsed_map, start, max(start, end))
    return trimmed.build()


def _keep_line(joined: MapBuilder, bp: Boilerplate, text: str, start: int, end: int, line_end: int,
               first: bool) -> bool:
    """Append line ``text[start:end]`` unless it is furniture; whether no line is kept yet."""
    line = text[start:end]
    if bp.is_furniture(line):
        return first
    if not first:
        joined.add("\n", line_end)
    joined.add(line, start)
    return False
