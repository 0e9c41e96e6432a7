"""Turn paths (files, folders, ``-``) into ``Article`` records or named ``InputFailure``s.

A batch never stops on a bad input: each problem becomes an ``InputFailure``
carrying a coded ``InputError`` whose ``source`` names the file (``FILE:LINE``
for a jsonl line), and reading goes on with the next input.

What an input holds is told by ``input_format``: ``auto`` goes by a file's
extension (``.txt``, ``.html``, ``.jsonl``) and sniffs stdin and files with any
other extension (JSON lines when every line is a JSON object with ``text`` or
``html``, HTML when it looks like markup, else plain text); ``text``, ``html``
and ``jsonl`` read every input that way. Input that looks like JSON but is not
JSON lines of reports fails (E105) rather than being read as one text.
"""
from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import chain
from pathlib import Path
from typing import IO, Any, BinaryIO, TextIO

from ahdath.errors import (
    AhdathError,
    EmptyInputError,
    InputError,
    InputTooLargeError,
    MalformedInputError,
    NotArabicError,
    UsageError,
)
from ahdath.ingest.clean import Boilerplate, clean, packaged_boilerplate
from ahdath.ingest.decode import decode_bytes
from ahdath.ingest.html import declared_charset, html_to_text, parse_published
from ahdath.model import Article

MAX_BYTES = 50 * 1024 * 1024  # hard cap per report; reports of a few MB are processed
TEXT_EXT = frozenset({".txt", ".text"})
HTML_EXT = frozenset({".html", ".htm", ".xhtml"})
JSONL_EXT = frozenset({".jsonl", ".ndjson"})
REPORT_EXT = TEXT_EXT | HTML_EXT | JSONL_EXT
_ARABIC = re.compile("[\u0621-\u064a\u0671-\u06d3]+")
_LATIN = re.compile("[A-Za-z\u00c0-\u024f]")  # one match a letter: the count is the point
INPUT_FORMATS = ("auto", "text", "jsonl", "html")
_HTML_START = re.compile(r"\s*(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])",
                         re.IGNORECASE | re.DOTALL)
# Markup that starts with a tag and closes one of the elements pages are made of.
_HTML_TAG_START = re.compile(r"\s*<[a-zA-Z!]")
_HTML_CLOSE = re.compile(r"</(?:p|div|article|section|main|span|a|h[1-6]|li|ul|table|td|title|body|html)\s*>",
                         re.IGNORECASE)
SNIFF_BYTES = 1 << 20  # stdin is sniffed on this much; JSON lines are then read one at a time
_SURROGATE = re.compile("[\ud800-\udfff]")  # from a JSON escape ("\\ud800"): no UTF-8 writer takes it
_CHECK_CHARS = 200_000  # the Arabic check samples this much of a long report


@dataclass(frozen=True, slots=True)
class InputFailure:
    """An input that yielded no report; ``error`` is coded and names ``source``."""

    source: str
    error: AhdathError


@dataclass(frozen=True, slots=True)
class _Context:
    boilerplate: Boilerplate
    default_published: date | None
    max_bytes: int
    input_format: str = "auto"


def _require_arabic(text: str, source: str) -> None:
    """Refuse reports with (almost) no Arabic: the lexicons and gazetteer are Arabic only."""
    sample = text if len(text) <= _CHECK_CHARS else text[: _CHECK_CHARS // 2] + text[-_CHECK_CHARS // 2:]
    # Latin letters are rare in Arabic reports, so counting them is cheap; Arabic is counted
    # only until it outweighs them.
    need = max(3, len(_LATIN.findall(sample)) / 9)
    arabic = 0
    for m in _ARABIC.finditer(sample):
        arabic += m.end() - m.start()
        if arabic >= need:
            return
    raise NotArabicError("no Arabic text (ahdath reads Arabic reports only)", source=source)


def _article(ctx: _Context, source: str, raw_text: str, *, article_id: str, published: date | None = None,
             url: str | None = None, title: str | None = None, site: str | None = None,
             keep_origin: bool = True) -> Article:
    """``keep_origin``: evidence points into ``raw_text`` (the input as given), else into the
    cleaned text (a page's main text: ahdath's own reading of the page)."""
    # one character for one keeps every offset: U+FFFD marks the damage
    raw_text = _SURROGATE.sub("\ufffd", raw_text)
    url, title, site = (_SURROGATE.sub("\ufffd", v) if v else v for v in (url, title, site))
    text, origin = clean(raw_text, ctx.boilerplate)
    if not keep_origin:
        origin = None
    if not text:
        raise EmptyInputError("no report text left after removing page furniture", source=source)
    _require_arabic(text, source)
    return Article(article_id, text, published or ctx.default_published, url, title, site, origin)


def _from_html(ctx: _Context, source: str, html: str, article_id: str, **given: Any) -> Article:
    text, info = html_to_text(html)
    if not text.strip():
        raise EmptyInputError("no text found in the HTML page", source=source)
    return _article(ctx, source, text, article_id=article_id, keep_origin=False,
                    published=given.get("published") or info["published"],
                    url=given.get("url") or info["url"], title=given.get("title") or info["title"],
                    site=given.get("site") or info["site"])


def _read_bytes(path: Path, source: str, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputTooLargeError(_too_large(str(size), max_bytes), source=source)
        with path.open("rb") as f:
            return f.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(exc.strerror or str(exc), source=source) from None


def _too_large(size: str, max_bytes: int) -> str:
    """The one message of a report over ``--max-bytes``, whichever way it came in."""
    return f"report of {size} bytes is over the limit of {max_bytes} bytes (--max-bytes)"


def _utf8_size(text: str, max_bytes: int) -> int:
    """``text``'s size in UTF-8 bytes, as a file of it would have (not encoded where it cannot
    matter: a character is 1 to 4 bytes)."""
    if len(text) * 4 <= max_bytes:
        return len(text)
    return len(text.encode("utf-8", "surrogatepass"))


def _published_field(value: Any, source: str) -> date | None:
    if value is None or value == "":
        return None
    d = parse_published(value) if isinstance(value, str) else None
    if d is None:
        raise MalformedInputError(f"'published' is not a date YYYY-MM-DD: {value!r}", source=source)
    return d


def _json_line(line: str, source: str) -> Any:
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        raise MalformedInputError(f"not valid JSON ({exc.msg} at column {exc.colno})", source=source) from None
    except RecursionError:
        raise MalformedInputError("JSON nested too deeply", source=source) from None
    except ValueError as exc:  # a number past int's digit limit
        raise MalformedInputError(f"not valid JSON ({exc})", source=source) from None


def _jsonl_record(ctx: _Context, source: str, line: str | dict[str, Any], fallback_id: str) -> Article:
    rec = _json_line(line, source) if isinstance(line, str) else line
    if not isinstance(rec, dict):
        raise MalformedInputError(f"expected a JSON object, got {type(rec).__name__}", source=source)
    for name in ("text", "html", "url", "title", "source"):
        if rec.get(name) is not None and not isinstance(rec[name], str):
            raise MalformedInputError(f"{name!r} must be a string", source=source)
    rid = rec.get("id")
    if rid is not None and not isinstance(rid, (str, int)) or isinstance(rid, bool):
        raise MalformedInputError("'id' must be a string or a number", source=source)
    article_id = str(rid) if rid not in (None, "") else fallback_id
    published = _published_field(rec.get("published"), source)
    text, html = rec.get("text"), rec.get("html")
    if text is None and html is None:
        raise MalformedInputError("needs 'text' or 'html'", source=source)
    size = _utf8_size(text or html or "", ctx.max_bytes)  # as a file of it would count
    if size > ctx.max_bytes:
        raise InputTooLargeError(_too_large(str(size), ctx.max_bytes), source=source)
    given = {"published": published, "url": rec.get("url") or None, "title": rec.get("title") or None,
             "site": rec.get("source") or None}
    if text is not None and text.strip():
        return _article(ctx, source, text, article_id=article_id, **given)
    if html is not None and html.strip():
        return _from_html(ctx, source, html, article_id, **given)
    raise EmptyInputError("empty report text", source=source)


def _numbered_lines(f: IO[Any], source: str, limit: int, head: bytes | str = b"",
                    ) -> Iterator[tuple[int, str | InputFailure]]:
    """Numbered lines of a jsonl stream (``head``: what was already read of it).

    UTF-16/32 streams are decoded whole; others line by line, each line decoded on its own
    (a cp1256 line among UTF-8 ones) and refused past ``limit`` bytes without holding it.
    Lines end at LF only: U+2028 and the like may stand inside a JSON string.
    """
    first: Any = head or f.read(4)  # bytes, or str for a text stream: the same code reads both
    if isinstance(first, bytes) and (b"\x00" in first[:4] or first.startswith((b"\xff\xfe", b"\xfe\xff"))):
        data = first + f.read(limit + 1)
        if len(data) > limit:
            raise InputTooLargeError(f"a UTF-16/32 jsonl input is read whole: over the limit of {limit} bytes",
                                     source=source)
        yield from enumerate(split_lines(decode_bytes(data, source)), 1)
        return
    empty: Any = first[:0]
    nl: Any = "\n" if isinstance(first, str) else b"\n"
    parts = first.split(nl)
    # the head may end mid-line: its last part is joined with the rest of that line
    pieces = chain([x + nl for x in parts[:-1]] + [parts[-1]], iter(lambda: f.readline(limit + 1), empty))
    carry, n = empty, 0
    for piece in pieces:
        piece, carry = carry + piece, empty
        if not piece.endswith(nl) and len(piece) <= limit:
            carry = piece  # a line still being read, or the last line without its newline
            continue
        n += 1
        if len(piece) > limit:
            where = f"{source}:{n}"
            while piece and not piece.endswith(nl):  # skip the rest of that line without keeping it
                piece = f.readline(limit + 1)
            yield n, InputFailure(where, InputTooLargeError(f"line is over the limit of {limit} bytes", source=where))
            continue
        yield from _decoded_line(n, piece, source)
    if carry:
        yield from _decoded_line(n + 1, carry, source)


def _line_limit(max_bytes: int) -> int:
    """How long a jsonl line may be: ``--max-bytes`` limits a record's text (counted in UTF-8 by
    ``_record``); the line around it holds its other fields, and JSON may write a character as a
    six-byte escape ("\\u0642")."""
    return 6 * max_bytes + _LINE_FIELDS


_LINE_FIELDS = 64 * 1024  # room for a record's id, url, title, dates and source


def split_lines(text: str) -> list[str]:
    """Lines of a jsonl text, split at LF only (a CR before it is JSON whitespace)."""
    return text.split("\n")


def _decoded_line(n: int, raw: bytes | str, source: str) -> Iterator[tuple[int, str | InputFailure]]:
    if isinstance(raw, str):
        if raw.strip():
            yield n, raw.lstrip("\ufeff") if n == 1 else raw
        return
    if n == 1 and raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if not raw.strip():
        return
    try:
        yield n, raw.decode("utf-8")
    except UnicodeDecodeError:
        where = f"{source}:{n}"
        try:
            yield n, decode_bytes(raw, where)
        except AhdathError as exc:
            yield n, InputFailure(where, exc)


def _read_jsonl_lines(ctx: _Context, lines: Iterable[tuple[int, str | InputFailure]], source: str,
                      id_prefix: str) -> Iterator[Article | InputFailure]:
    any_line = False
    for n, line in lines:
        if isinstance(line, InputFailure):
            any_line = True
            yield line
            continue
        if not line.strip():
            continue
        any_line = True
        where = f"{source}:{n}"
        try:
            yield _jsonl_record(ctx, where, line, f"{id_prefix}-{n}")
        except AhdathError as exc:
            yield InputFailure(where, exc)
    if not any_line:
        yield InputFailure(source, EmptyInputError("empty input (no report lines)", source=source))


def _read_jsonl(ctx: _Context, path: Path, source: str) -> Iterator[Article | InputFailure]:
    try:
        f = path.open("rb")
    except OSError as exc:
        raise InputError(exc.strerror or str(exc), source=source) from None
    with f:
        yield from _read_jsonl_lines(ctx, _numbered_lines(f, source, _line_limit(ctx.max_bytes)), source, path.stem)


def _is_report_line(line: str) -> bool:
    """A JSON object with a ``text`` or ``html`` string: one report of a jsonl stream."""
    try:
        rec = json.loads(line)
    except (ValueError, RecursionError):
        return False
    return isinstance(rec, dict) and any(isinstance(rec.get(k), str) for k in ("text", "html"))


def sniff_format(head: str, *, complete: bool = True, source: str = "-") -> str:
    """``jsonl``, ``html`` or ``text`` for the start of an input (``complete``: it is the whole input).

    Input that starts like JSON but is not JSON lines of reports raises ``MalformedInputError`` (E105):
    reading it as one plain-text report would be a silent misreading.
    """
    head = head.lstrip("\ufeff")
    if head.lstrip(" \t\r\n").startswith("{"):
        lines = split_lines(head)
        if not complete:
            lines.pop()  # cut off mid-line (or empty after the last newline); read with the rest
        for n, line in enumerate(lines, 1):
            if line.strip() and not _is_report_line(line):
                raise MalformedInputError(
                    f"looks like JSON, but line {n} is not a JSON object with a 'text' or 'html' string "
                    "(one report per line); give --input-format jsonl to read the good lines, or "
                    "--input-format text", source=source)
        return "jsonl"
    if _HTML_START.match(head) or (_HTML_TAG_START.match(head) and _HTML_CLOSE.search(head)):
        return "html"
    return "text"


def _file_format(ctx: _Context, path: Path) -> str:
    ext = path.suffix.lower()
    if ctx.input_format != "auto":
        return ctx.input_format
    if ext in JSONL_EXT:
        return "jsonl"
    if ext in HTML_EXT:
        return "html"
    return "text" if ext in TEXT_EXT else "auto"


def _read_file(ctx: _Context, path: Path, source: str) -> Iterator[Article | InputFailure]:
    kind = _file_format(ctx, path)
    if kind == "jsonl":
        yield from _read_jsonl(ctx, path, source)
        return
    data = _read_bytes(path, source, ctx.max_bytes)
    yield from _read_whole(ctx, data, source, path.stem, kind)


def _read_whole(ctx: _Context, data: bytes, source: str, article_id: str, kind: str,
                ) -> Iterator[Article | InputFailure]:
    """One input held in memory, read as ``kind`` (``auto``: sniffed)."""
    if kind == "html":
        yield _from_html(ctx, source, decode_bytes(data, source, declared=declared_charset(data)), article_id)
        return
    text = decode_bytes(data, source)
    if kind == "auto":
        kind = sniff_format(text, source=source)
    if kind == "jsonl":
        yield from _read_jsonl_lines(ctx, enumerate(split_lines(text), 1), source, article_id)
    elif kind == "html":
        yield _from_html(ctx, source, text, article_id)
    else:
        yield _article(ctx, source, text, article_id=article_id)


def _walk(root: Path) -> list[Path]:
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        found.extend(Path(dirpath, f) for f in filenames
                     if not f.startswith(".") and Path(f).suffix.lower() in REPORT_EXT)
    return sorted(found)


def _read_up_to(raw: IO[Any], size: int) -> Any:
    """``size`` bytes (or characters) of ``raw``, fewer only at its end: a pipe may hand out less a read."""
    first = raw.read(size)
    if not first or len(first) >= size:
        return first
    parts = [first]
    got = len(first)
    while got < size:
        more = raw.read(size - got)
        if not more:
            break
        parts.append(more)
        got += len(more)
    return first[:0].join(parts)


def _read_stdin(ctx: _Context, stream: TextIO | BinaryIO) -> Iterator[Article | InputFailure]:
    """Stdin, sniffed on its first megabyte: JSON lines are then read one at a time (any number of
    reports, each under the size limit), any other input whole."""
    raw: IO[Any] = getattr(stream, "buffer", None) or stream
    want = min(SNIFF_BYTES, ctx.max_bytes + 1)
    head = _read_up_to(raw, want)
    complete = len(head) < want
    kind = ctx.input_format
    if kind == "auto":
        if isinstance(head, bytes):
            if not head.strip():
                raise EmptyInputError("empty input", source="-")
            wide = b"\x00" in head[:4] or head.startswith((b"\xff\xfe", b"\xfe\xff"))
            if wide and not complete:  # UTF-16/32 is sniffed decoded, so whole
                head += _read_up_to(raw, ctx.max_bytes + 1 - len(head))
                if len(head) > ctx.max_bytes:
                    raise InputTooLargeError(f"over the limit of {ctx.max_bytes} bytes", source="-")
                complete = True
            sample = decode_bytes(head, "-") if wide else head.decode("utf-8", errors="replace")
        else:
            sample = head
        kind = sniff_format(sample, complete=complete, source="-")
    if kind == "jsonl":
        yield from _read_jsonl_lines(ctx, _numbered_lines(raw, "-", _line_limit(ctx.max_bytes), head), "-", "stdin")
        return
    rest = _read_up_to(raw, ctx.max_bytes + 1 - len(head)) if not complete else head[:0]
    data = head + rest
    # bytes as read; a text stream without a buffer (a StringIO) counts its text in UTF-8
    size = len(data) if isinstance(data, bytes) else _utf8_size(data, ctx.max_bytes)
    if size > ctx.max_bytes:
        raise InputTooLargeError(_too_large(str(size) if complete or rest else f"more than {ctx.max_bytes}",
                                            ctx.max_bytes), source="-")
    if isinstance(data, str):
        data = data.encode("utf-8", errors="surrogatepass")
    yield from _read_whole(ctx, data, "-", "stdin", kind)


def _guard(source: str, items: Iterator[Article | InputFailure]) -> Iterator[Article | InputFailure]:
    """Turn an error raised while reading one input into that input's failure."""
    try:
        yield from items
    except AhdathError as exc:
        if exc.source is None:
            exc.source = source
        yield InputFailure(exc.source, exc)
    except RecursionError:  # absurdly nested JSON or markup
        yield InputFailure(source, MalformedInputError("input nested too deeply", source=source))


def read_inputs(paths: Sequence[str], *, stdin: TextIO | BinaryIO | None = None,
                default_published: date | None = None, max_bytes: int = MAX_BYTES,
                boilerplate: Boilerplate | None = None, input_format: str = "auto",
                ) -> Iterator[Article | InputFailure]:
    """Articles from ``paths`` in order (folders recursively, sorted; ``-`` is ``stdin``).

    ``default_published`` fills in reports that carry no date of their own;
    ``boilerplate`` defaults to the packaged lexicon; ``input_format`` is one of
    ``INPUT_FORMATS`` (``auto``: by extension, stdin and other files sniffed).
    """
    if input_format not in INPUT_FORMATS:
        raise UsageError(f"unknown input format {input_format!r} (choose from {', '.join(INPUT_FORMATS)})")
    ctx = _Context(boilerplate or packaged_boilerplate(), default_published, max_bytes, input_format)
    for arg in paths:
        if arg == "-":
            if stdin is None:
                yield InputFailure("-", InputError("no stdin to read", source="-"))
            else:
                yield from _guard("-", _read_stdin(ctx, stdin))
            continue
        path = Path(arg)
        if path.is_dir():
            files = _walk(path)
            if not files:
                yield InputFailure(arg, EmptyInputError(
                    f"no report files ({', '.join(sorted(REPORT_EXT))}) in this folder", source=arg))
            for f in files:
                yield from _guard(str(f), _read_file(ctx, f, str(f)))
        elif not path.exists():
            yield InputFailure(arg, InputError("no such file or directory", source=arg))
        else:
            yield from _guard(arg, _read_file(ctx, path, arg))


def read_text(text: str, *, article_id: str = "text", boilerplate: Boilerplate | None = None) -> Article:
    """One Article from an in-memory text (cleaned and checked like a file)."""
    ctx = _Context(boilerplate or packaged_boilerplate(), None, MAX_BYTES)
    return _article(ctx, article_id, text, article_id=article_id)


__all__ = ["INPUT_FORMATS", "MAX_BYTES", "REPORT_EXT", "InputFailure", "read_inputs", "read_text", "sniff_format"]
