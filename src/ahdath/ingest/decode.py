"""Bytes to text: BOMs, UTF-8, BOM-less UTF-16, then Arabic Windows (cp1256).

Arabic reports arrive from old CMS exports and Windows tools, so a plain UTF-8
decode is not enough. Every fallback must *look* like text before it is
accepted; otherwise the input fails with a coded error rather than feeding
mojibake to the engine.
"""
from __future__ import annotations

import codecs
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
# What cp1256 produces for bytes that are not Arabic letters: Latin-1 letters and symbols.
# Many of them in a "cp1256" decode mean the bytes were something else (often UTF-8 mojibake).
_CP1256_ODD = re.compile("[\u0080-\u00ff\u0152\u0153\u0192\u02c6\u2013-\u2122\u067e\u0679\u0686\u0698\u0688\u06af\u0691\u06ba\u06be\u06c1\u06d2]")

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


def _try_cp1256(data: bytes) -> str | None:
    """Accept a cp1256 decode only when it reads as Arabic prose (letters, words, few symbols)."""
    try:
        text = data.decode("cp1256")
    except UnicodeDecodeError:
        return None
    sample = text[:SAMPLE]
    letters = len(_LETTER.findall(sample))
    arabic = len(_ARABIC_LETTER.findall(sample))
    odd = len(_CP1256_ODD.findall(sample))
    words = len(sample.split())
    if not letters or arabic < letters * 0.6 or odd > max(2, len(sample) // 50):
        return None
    if words == 0 or len(sample) / words > 20:  # prose has spaces between short words
        return None
    return text if _plain_text(text) else None


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
    for attempt in (_try_cp1256, _try_utf8_lenient):
        found = attempt(data)
        if found is not None:
            return _non_empty(found, source)
    raise EncodingInputError("cannot decode: not UTF-8, UTF-16 or Arabic Windows (cp1256) text", source=source)


def _non_empty(text: str, source: str) -> str:
    if not text.strip():
        raise EmptyInputError("empty input (whitespace only)", source=source)
    return text
