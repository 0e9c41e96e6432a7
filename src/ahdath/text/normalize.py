"""One normalizer for lexicons and text.

Folds the spelling variation that Arabic news prose shows for the same word:
hamza/madda alef forms, alef maqsura, ta marbuta, waw/ya hamza seats, Persian
kaf/ya, presentation forms, tatweel, diacritics, zero-width marks and
Arabic-Indic digits. Lexicon entries go through the same function, so a form
written with hamza in a lexicon still matches text written without it.

``normalize`` keeps an offset map so every match in normalized text points
back into the original input (evidence must quote what the reporter wrote).
"""
from __future__ import annotations

import re
import unicodedata
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from ahdath.text.offsets import SourceMap

# 1:1 substitutions: they never change length, so they need no offset bookkeeping.
_FOLD = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
    "ى": "ي", "ی": "ي", "ې": "ي", "ئ": "ي",
    "ؤ": "و",
    "ة": "ه", "ۀ": "ه", "ە": "ه",
    "ک": "ك", "ڪ": "ك",
    "\u00a0": " ", "\u202f": " ", "\u205f": " ", "\u3000": " ",
    "\u2028": "\n", "\u2029": "\n",
    "٬": ",",  # Arabic thousands separator: "١٬٠٠٠" reads as the number 1,000
}
for _i in range(0x2000, 0x200B):
    _FOLD[chr(_i)] = " "  # en/em/thin/hair spaces
for _i in range(10):
    _FOLD[chr(0x0660 + _i)] = str(_i)  # Arabic-Indic digits
    _FOLD[chr(0x06F0 + _i)] = str(_i)  # Extended (Persian/Urdu) digits
_FOLD["٫"] = "."  # Arabic decimal separator
_TRANS = str.maketrans(_FOLD)
# Every fold is one character for one, and no folded character is folded again, so
# replacing each in turn equals ``translate``; a report holds few of them and
# ``str.replace`` of a character that is there is far cheaper than ``translate``.
_FOLD_PAIRS = tuple(_FOLD.items())

# Characters removed outright: harakat, Quranic marks, tatweel, bidi and zero-width marks.
_DROP_CLASS = (
    "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed"
    "\u0640\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\u061c\ufeff\u00ad"
)
# Presentation forms (ligatures like ﻻ expand to two letters) need NFKC.
_PRES_CLASS = "\ufb50-\ufdff\ufe70-\ufefe"
_SPECIAL = re.compile(f"[{_DROP_CLASS}]|[{_PRES_CLASS}]")
_DROP_ONLY = re.compile(f"[{_DROP_CLASS}]+")


@dataclass(frozen=True, slots=True)
class NormText:
    """Normalized text plus the map back to the original.

    ``index[i]`` is the offset of normalized character ``i`` in the text that was normalized;
    ``index`` has one extra entry so end offsets map too. ``index is None`` means the
    normalization kept every offset (the common case). ``via`` is set when the text that was
    normalized was itself derived from ``original`` (a reader's cleaning, ``based_on``): offsets
    go through it too.
    """

    text: str
    original: str
    index: Sequence[int] | None = None  # an ``array('i')``: 4 bytes a character (a tuple of ints took 36)
    via: SourceMap | None = None

    def based_on(self, source: SourceMap | None) -> NormText:
        """This normalization of a text derived from ``source.original`` by ``source``: its
        offsets and ``original`` become the source's."""
        if source is None:
            return self
        return NormText(self.text, source.original, self.index, source)

    def to_original(self, i: int) -> int:
        o = i if self.index is None else self.index[i]
        return o if self.via is None else self.via.to_original(o)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original (start, end) for the normalized half-open range [start, end)."""
        if self.index is None:
            s, e = start, end
        elif end <= start:
            s = e = self.index[start]
        else:
            # Diacritics dropped after the last character belong to it; a ligature cut
            # in the middle still ends after the whole ligature.
            s, e = self.index[start], max(self.index[end - 1] + 1, self.index[end])
        return (s, e) if self.via is None else self.via.span(s, e)

    def original_text(self, start: int, end: int) -> str:
        s, e = self.span(start, end)
        return self.original[s:e]


def _fold_char(ch: str) -> str:
    if _DROP_ONLY.match(ch):
        return ""
    folded = unicodedata.normalize("NFKC", ch)
    folded = _DROP_ONLY.sub("", folded)
    if folded.isspace():
        return ""  # isolated haraka forms (U+FE70...) decompose to space + mark: a mark, not a gap
    return folded.translate(_TRANS)


def _fold(text: str) -> str:
    for ch, to in _FOLD_PAIRS:
        if ch in text:
            text = text.replace(ch, to)
    return text


def normalize(text: str) -> NormText:
    """Normalize ``text`` and keep the offset map to the original."""
    # folding keeps every offset and never makes or unmakes a special character: fold first
    folded = _fold(text)
    if not _SPECIAL.search(folded):
        return NormText(folded, text, None)
    out: list[str] = []
    index = array("i")
    pos = 0
    for m in _SPECIAL.finditer(folded):
        s = m.start()
        if s > pos:
            out.append(folded[pos:s])
            index.extend(range(pos, s))
        rep = _fold_char(m.group())
        if rep:
            out.append(rep)
            index.extend([s] * len(rep))
        pos = m.end()
    if pos < len(text):
        out.append(folded[pos:])
        index.extend(range(pos, len(text)))
    index.append(len(text))
    return NormText("".join(out), text, index)


@lru_cache(maxsize=65536)
def norm(text: str) -> str:
    """Normalized form of a short string (lexicon forms, names): same rules, no offset map."""
    return " ".join(normalize(text).text.split())
