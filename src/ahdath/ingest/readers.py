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

Compressed inputs (gzip, bzip2, xz, zstd) are told by their first bytes and decompressed as they are
read (``ahdath.ingest.compressed``); a compression suffix is set aside from the name, so
``reports.jsonl.gz`` is JSON lines whose reports are named ``reports-N``.

The size limit (``max_bytes``) counts a report in UTF-8 bytes, decoded and decompressed: a file's or
stdin's whole content (an HTML page's markup, which is what is held and parsed), or a JSON-lines
record's ``text`` (or ``html``). No more of an input is read than that limit can need.
"""
from __future__ import annotations

import json
import os
import re
import stat
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
from ahdath.ingest.compressed import COMPRESSED_EXT, HEAD_BYTES, DamagedError, opened, read_up_to
from ahdath.ingest.decode import decode_bytes
from ahdath.ingest.html import declared_charset, html_to_text, parse_published
from ahdath.limits import MAX_BYTES
from ahdath.model import Article

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
    first: Any = head or read_up_to(f, 4)  # bytes, or str for a text stream: the same code reads both
    if isinstance(first, bytes) and _wide(first):
        data = first + read_up_to(f, limit + 1 - len(first))
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


def _name_and_ext(path: Path) -> tuple[str, str]:
    """A report file's name and (lower-case) extension, a compression suffix set aside:
    ``reports.jsonl.gz`` is ``reports``, ``.jsonl``."""
    stem, ext = os.path.splitext(path.name)
    if ext.lower() in COMPRESSED_EXT:
        stem, ext = os.path.splitext(stem)
    return stem, ext.lower()


def _file_format(ctx: _Context, ext: str) -> str:
    if ctx.input_format != "auto":
        return ctx.input_format
    if ext in JSONL_EXT:
        return "jsonl"
    if ext in HTML_EXT:
        return "html"
    return "text" if ext in TEXT_EXT else "auto"


def _read_file(ctx: _Context, path: Path, source: str) -> Iterator[Article | InputFailure]:
    name, ext = _name_and_ext(path)
    try:
        f = path.open("rb")
        st = os.fstat(f.fileno())
    except OSError as exc:
        raise InputError(exc.strerror or str(exc), source=source) from None
    with f:
        try:
            yield from _read_stream(ctx, f, source, name, _file_format(ctx, ext),
                                    size=st.st_size if stat.S_ISREG(st.st_mode) else None)
        except OSError as exc:  # the disk failed mid-read
            raise InputError(exc.strerror or str(exc), source=source) from None


def _read_whole(ctx: _Context, data: bytes, source: str, article_id: str, kind: str,
                ) -> Iterator[Article]:
    """One report held in memory, read as ``kind`` (``html`` or ``text``)."""
    text = decode_bytes(data, source, declared=declared_charset(data) if kind == "html" else None)
    size = _utf8_size(text, ctx.max_bytes)  # a legacy code page grows in UTF-8 (cp1256: 1 byte to 2)
    if size > ctx.max_bytes:
        raise InputTooLargeError(_too_large(str(size), ctx.max_bytes), source=source)
    if kind == "html":
        yield _from_html(ctx, source, text, article_id)
    else:
        yield _article(ctx, source, text, article_id=article_id)


def _walk(root: Path) -> list[Path]:
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        found.extend(Path(dirpath, f) for f in filenames
                     if not f.startswith(".") and _name_and_ext(Path(f))[1] in REPORT_EXT)
    return sorted(found)


def _wide(head: bytes) -> bool:
    """UTF-16 or UTF-32, by a byte-order mark or a NUL among the first bytes: decoded whole."""
    return b"\x00" in head[:4] or head.startswith((b"\xff\xfe", b"\xfe\xff"))


def _rest(raw: IO[Any], head: Any, source: str, max_bytes: int, size: int | None) -> bytes:
    """A whole report: ``head`` and the rest of ``raw``, no more read than the limit can need.

    UTF-8 and the 8-bit code pages give at least one byte of UTF-8 for each byte read (a BOM aside),
    so a longer input is refused unread; UTF-16/32 may give one for four. ``size``: the file's size.
    """
    if isinstance(head, str):  # a text stream without a buffer (a StringIO): a character is a byte or more
        text = head + read_up_to(raw, max_bytes + 1 - len(head))
        if len(text) > max_bytes:
            raise InputTooLargeError(_too_large(f"more than {max_bytes}", max_bytes), source=source)
        return text.encode("utf-8", errors="surrogatepass")
    if len(head) < 4:
        head += read_up_to(raw, 4 - len(head))
    cap = 4 * max_bytes + 4 if _wide(head) else max_bytes + 3
    if size is not None and size > cap:
        raise InputTooLargeError(_too_large(str(size), max_bytes), source=source)
    data: bytes = head + read_up_to(raw, cap + 1 - len(head))
    if len(data) > cap:
        raise InputTooLargeError(_too_large(f"more than {max_bytes}", max_bytes), source=source)
    return data


def _read_stream(ctx: _Context, raw: IO[Any], source: str, name: str, kind: str, *,
                 size: int | None = None) -> Iterator[Article | InputFailure]:
    """One input (a file, stdin) from its stream, decompressed where its first bytes say so.

    ``auto`` is sniffed on the first megabyte: JSON lines are then read one at a time (any number of
    reports, each under the size limit), any other input whole. ``size``: a plain file's size.
    """
    head = read_up_to(raw, HEAD_BYTES)
    compressed = False
    if isinstance(head, bytes):
        content, head = opened(raw, head, source, max_bytes=ctx.max_bytes)
        if content is not raw:
            raw, size, compressed = content, None, True
    if kind == "auto":
        want = min(SNIFF_BYTES, ctx.max_bytes + 1)
        head += read_up_to(raw, want - len(head))
        complete = len(head) < want
        if isinstance(head, bytes):
            if not head.strip():
                raise EmptyInputError("empty input", source=source)
            if _wide(head):  # UTF-16/32 is sniffed decoded, so whole
                head, complete = _rest(raw, head, source, ctx.max_bytes, size), True
                sample = decode_bytes(head, source)
            else:
                sample = head.decode("utf-8", errors="replace")
        else:
            sample = head
        kind = sniff_format(sample, complete=complete, source=source)
    if kind == "jsonl":
        items = _read_jsonl_lines(ctx, _numbered_lines(raw, source, _line_limit(ctx.max_bytes), head), source, name)
        yield from _held_back(items) if compressed else items
        return
    yield from _read_whole(ctx, _rest(raw, head, source, ctx.max_bytes, size), source, name, kind)


_HELD = 10_000  # failed lines held back at most: a bound on memory, however long the garbage


def _held_back(items: Iterator[Article | InputFailure]) -> Iterator[Article | InputFailure]:
    """The reports of compressed JSON lines, each failed line held back until a good report follows.

    Corrupt data decompresses to garbage until the format's check fails (gzip checks only at its
    end), and every garbage line would be a failure of its own: where the data turns out damaged,
    the one line naming the damage stands for the failed lines held back.
    """
    held: list[InputFailure] = []
    try:
        for item in items:
            if isinstance(item, InputFailure) and len(held) < _HELD:
                held.append(item)
                continue
            yield from held
            held.clear()
            yield item
    except DamagedError as exc:
        if held:
            exc.message += f"; the {len(held)} unreadable lines before it were taken as part of the damage"
        raise
    except AhdathError:  # a bomb, a disk error: the lines that failed before it are failures of their own
        yield from held
        raise
    yield from held


def _read_stdin(ctx: _Context, stream: TextIO | BinaryIO) -> Iterator[Article | InputFailure]:
    raw: IO[Any] = getattr(stream, "buffer", None) or stream
    yield from _read_stream(ctx, raw, "-", "stdin", ctx.input_format)


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
    """Articles from ``paths`` in order (folders recursively, sorted; ``-`` is ``stdin``), each
    decompressed where its first bytes say it is compressed.

    ``default_published`` fills in reports that carry no date of their own;
    ``boilerplate`` defaults to the packaged lexicon; ``input_format`` is one of
    ``INPUT_FORMATS`` (``auto``: by extension, stdin and other files sniffed); ``max_bytes`` limits
    each report, in UTF-8 bytes (see the module's docstring).
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
                    f"no report files ({', '.join(sorted(REPORT_EXT))}, or those with "
                    f"{', '.join(sorted(COMPRESSED_EXT))} added) in this folder", source=arg))
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
