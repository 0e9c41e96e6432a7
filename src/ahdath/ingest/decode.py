"""Bytes to text: BOMs, UTF-8, BOM-less UTF-16, then the 8-bit Arabic code pages.

Arabic reports arrive from old CMS exports, Windows and DOS tools, so a plain
UTF-8 decode is not enough. The 8-bit code pages (Windows cp1256, ISO-8859-6,
DOS cp720) put Arabic letters on different bytes; each reading must *look* like
Arabic prose before it is a candidate, and the candidates are weighed by how
common their letters are in Arabic. A reading that does not clearly win fails
with a coded error naming the input rather than feeding mojibake to the engine.
"""
from __future__ import annotations

import codecs
import math
import re

from ahdath.errors import BinaryInputError, EmptyInputError, EncodingInputError

# Longest BOM first: the UTF-32 LE BOM begins with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# File signatures of formats people feed by mistake (PDF, images, archives, office files).
_MAGIC: tuple[bytes, ...] = (
    b"%PDF-", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"PK\x03\x04", b"\x1f\x8b", b"BZh",
    b"\xd0\xcf\x11\xe0", b"\x7fELF", b"MZ\x90\x00", b"Rar!", b"7z\xbc\xaf",
)
# C0 controls that never occur in text (tab, newlines, form feed and escape are allowed).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27))
_CONTROL_CHARS = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f\ufffe\uffff]")
_ARABIC_LETTER = re.compile("[\u0621-\u064a\u0671-\u06d3]")
_LETTER = re.compile(r"[^\W\d_]")

SAMPLE = 65536  # plausibility checks look at this many leading bytes/characters


def _plain_text(text: str) -> bool:
    """Few control characters in a sample: the decode produced text, not noise."""
    sample = text[:SAMPLE]
    return len(_CONTROL_CHARS.findall(sample)) <= len(sample) // 200


def _looks_binary(data: bytes) -> bool:
    sample = data[:SAMPLE]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > len(sample) // 20


def _try_utf16(data: bytes) -> str | None:
    """BOM-less UTF-16: one byte of each pair is mostly 0x00 (ASCII) or 0x06 (Arabic block)."""
    if len(data) < 4 or len(data) % 2:
        return None
    sample = data[: SAMPLE - SAMPLE % 2]
    even, odd = sample[0::2], sample[1::2]
    half = len(sample) // 2
    hi_odd = odd.count(0) + odd.count(6)  # LE: high bytes sit at odd positions
    hi_even = even.count(0) + even.count(6)
    if max(hi_odd, hi_even) < half * 0.6:
        return None
    codec = "utf-16-le" if hi_odd >= hi_even else "utf-16-be"
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    return text if _plain_text(text) else None


# Per-mille frequency of each Arabic letter, counted on the team's own reports (the packaged examples
# and the test texts, 75,000 letters). Only the ratios between code-page readings matter.
_LETTER_FREQ = {
    "ا": 142, "ل": 102, "ي": 74, "م": 57, "ر": 56, "ن": 50, "ت": 50, "و": 40, "ة": 40, "ب": 38, "ف": 38,
    "ق": 37, "د": 35, "ع": 31, "س": 23, "ح": 18, "ص": 16, "ج": 15, "ش": 14, "ه": 14, "أ": 13, "ط": 11,
    "ك": 11, "ى": 10, "خ": 8, "ث": 6, "إ": 5, "ز": 5, "ئ": 5, "ظ": 5, "غ": 4, "ض": 4, "ذ": 2, "ء": 2,
}
_LOG_FREQ = {ch: math.log(n / 1000) for ch, n in _LETTER_FREQ.items()}
_LOG_RARE = math.log(0.5 / 1000)  # tatweel, hamza seats the table never saw
# The 8-bit Arabic code pages with the prior log-odds of each: Windows files are more common than ISO
# or DOS ones. The readings of a few words are often all Arabic-looking (the first 22 letters share
# their bytes in cp1256 and ISO-8859-6), so a text too short to tell them apart is refused, never guessed:
# on the team's reports, every 6-word snippet was read right and 3-word ones went wrong 1 time in 100.
_CODE_PAGES: tuple[tuple[str, float], ...] = (("cp1256", math.log(5)), ("iso8859_6", 0.0), ("cp720", 0.0))
_SURE = math.log(19)  # the winner must be 19 times likelier than the next reading (posterior >= 0.95)
_MIN_LETTERS = 24  # Arabic letters needed to choose between two Arabic-looking readings
# What an Arabic report may hold besides Arabic letters: ASCII, the Arabic block's punctuation, digits
# and harakat, NBSP, guillemets, typographic quotes and dashes, direction marks.
_EXPECTED = re.compile("[\t\n\r\x20-\x7e\u00a0\u00ab\u00bb\u060c\u061b\u061f\u0621-\u0652\u0660-\u066d"
                       "\u200c-\u200f\u2013\u2014\u2018-\u201d\u2026]")
# A character outside that set touching an Arabic letter ("âصل", "╟ل") is a byte read in the wrong code page.
_ODD = "[^\t\n\r\x20-\x7e\u00a0\u00ab\u00bb\u060c\u061b\u061f\u0621-\u0652\u0660-\u066d\u200c-\u200f" \
       "\u2013\u2014\u2018-\u201d\u2026]"
_ODD_IN_WORD = re.compile(f"[\u0621-\u064a]{_ODD}|{_ODD}[\u0621-\u064a]")


def _arabic_reading(data: bytes, codec: str) -> tuple[str, float] | None:
    """``data`` read in ``codec`` and its log-likelihood as Arabic, or None when it is not Arabic prose."""
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    sample = text[:SAMPLE]
    letters = _LETTER.findall(sample)
    arabic = _ARABIC_LETTER.findall(sample)
    odd = len(sample) - len(_EXPECTED.findall(sample))
    words = len(sample.split())
    if not letters or len(arabic) < len(letters) * 0.6 or odd > max(2, len(sample) // 50):
        return None
    if words == 0 or len(sample) / words > 20:  # prose has spaces between short words
        return None
    if _ODD_IN_WORD.search(sample) or not _plain_text(text):
        return None
    return text, odd * _LOG_RARE + sum(_LOG_FREQ.get(ch, _LOG_RARE) for ch in arabic)


def _try_code_pages(data: bytes, source: str) -> str | None:
    """The one 8-bit Arabic reading that clearly wins; E103 when two are about as likely."""
    scored = []
    for codec, prior in _CODE_PAGES:
        found = _arabic_reading(data, codec)
        if found is not None:
            scored.append((found[1] + prior, codec, found[0]))
    if not scored:
        return None
    scored.sort(key=lambda x: -x[0])
    if len(scored) > 1 and (scored[0][0] - scored[1][0] < _SURE
                            or len(_ARABIC_LETTER.findall(scored[0][2][:SAMPLE])) < _MIN_LETTERS):
        names = " or ".join(_DISPLAY[c] for _, c, _ in scored[:2])
        raise EncodingInputError(f"encoding uncertain: reads as Arabic in {names}; convert the file to UTF-8",
                                 source=source)
    return scored[0][2]


_DISPLAY = {"cp1256": "Windows-1256", "iso8859_6": "ISO-8859-6", "cp720": "DOS Arabic (cp720)"}


def _try_utf8_lenient(data: bytes) -> str | None:
    """UTF-8 with a handful of broken sequences (a truncated copy): keep it, mark the damage."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    return text if bad <= max(2, len(text) // 1000) and _plain_text(text) else None


def decode_bytes(data: bytes, source: str, *, declared: str | None = None) -> str:
    """Decode one report's bytes; ``declared`` is an encoding the container named (HTML meta).

    Raises ``EmptyInputError`` (E101), ``BinaryInputError`` (E102) or ``EncodingInputError`` (E103).
    """
    if not data.strip():
        raise EmptyInputError("empty input", source=source)
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(codec)
            except UnicodeDecodeError as exc:
                raise EncodingInputError(f"not valid {codec} despite its byte-order mark ({exc.reason})",
                                         source=source) from None
            return _non_empty(text, source)
    if data.startswith(_MAGIC):
        raise BinaryInputError("binary file (a known non-text format), not a text report", source=source)
    # UTF-16 Arabic is full of 0x06 and 0x00 bytes, which would otherwise read as binary.
    if b"\x00" in data[:SAMPLE] or _looks_binary(data):
        text16 = _try_utf16(data)
        if text16 is not None:
            return _non_empty(text16, source)
        raise BinaryInputError("binary data (NUL or control bytes), not a text report", source=source)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return _non_empty(text, source)
    if declared:
        try:
            text = data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
        else:
            if _plain_text(text):
                return _non_empty(text, source)
    found = _try_code_pages(data, source) or _try_utf8_lenient(data)
    if found is not None:
        return _non_empty(found, source)
    raise EncodingInputError("cannot decode: not UTF-8, UTF-16, Windows-1256, ISO-8859-6 or DOS Arabic (cp720) "
                             "text", source=source)


def _non_empty(text: str, source: str) -> str:
    if not text.strip():
        raise EmptyInputError("empty input (whitespace only)", source=source)
    return text
