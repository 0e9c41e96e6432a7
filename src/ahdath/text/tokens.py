"""Clitic-aware tokens over normalized text.

Arabic attaches conjunctions (و ف), prepositions (ب ل ك) and the article
(ال, with ل+ال written لل) to the next word. A token keeps its surface form
and offers the forms a lexicon may list: "وبالرقه" can be "بالرقه" or "الرقه";
"للنظام" is "النظام". Hashtags split on "_" so "#تنظيم_الدوله" reads as words.
"""
from __future__ import annotations

import re
from functools import lru_cache
from itertools import accumulate, repeat
from typing import NamedTuple

# A number token starts with an ASCII digit (the normalizer folds Arabic-Indic digits), and no
# other token holds a decimal digit: ``str.isdecimal`` tells them apart. Not ``str.isdigit``: it
# also passes "²" or "①", which are not decimal digits, so they fall in words ("كم²", "²").
_TOKEN = re.compile(r"[0-9]+(?:[.,][0-9]+)*|[^\W\d_]+", re.UNICODE)
# the same pattern captured: ``split`` gives what lies between tokens and the tokens, alternately
_SPLIT = re.compile(f"({_TOKEN.pattern})", re.UNICODE)


class Token(NamedTuple):
    """A word or number in normalized text; offsets are normalized offsets.

    A named tuple rather than a dataclass: a report has hundreds of tokens and
    tuples are several times cheaper to create, with the same immutability.
    """

    text: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """Tokens of normalized ``text`` (punctuation, '#', '_' separate words)."""
    # [gap, token, gap, token, ..., gap]: the running sum of their lengths gives each token's
    # start (the end of the gap before it) and end, with C functions only (no match objects)
    parts = _SPLIT.split(text)
    ends = list(accumulate(map(len, parts)))
    # one string per distinct word: a long report says the same words again and again, and a token
    # keeping its own copy of each cost about 13 bytes a character
    seen: dict[str, str] = {}
    words = list(map(seen.setdefault, parts[1::2], parts[1::2]))
    return list(map(tuple.__new__, repeat(Token, len(words)), zip(words, ends[0::2], ends[1::2])))


@lru_cache(maxsize=131072)
def clitic_forms(word: str) -> tuple[str, ...]:
    """The surface form, then the forms left by removing proclitics, most literal first.

    Stems shorter than two letters are never produced: they would match noise.
    """
    forms = [word]
    seen = {word}

    def add(f: str) -> None:
        if len(f) >= 2 and f not in seen:
            seen.add(f)
            forms.append(f)

    bases = [word]
    if len(word) > 3 and word[0] in "وف":
        bases.append(word[1:])
        add(word[1:])
    for b in bases:
        if len(b) > 3 and b.startswith("لل"):
            add("ال" + b[2:])
            add(b[2:])
        if len(b) > 2 and b[0] in "بلك":
            add(b[1:])
            if b[1:].startswith("ال"):
                add(b[3:])
        if len(b) > 4 and b.startswith("ال"):
            add(b[2:])
    return tuple(forms)


def is_definite(word: str) -> bool:
    """Whether ``word`` carries the article, alone or after proclitics ("الهجوم", "وبالقصف",
    "للنظام"): a definite noun, never a finite verb."""
    if "ال" not in word[:4] and "لل" not in word[:3]:
        return False  # the article stands after two proclitics at most: most words are settled here
    return any(f.startswith("ال") for f in clitic_forms(word)) or word.startswith("لل")
