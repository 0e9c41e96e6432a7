"""Turn paths (files, folders, ``-``) into ``Article`` records or named ``InputFailure``s.

A batch never stops on a bad input: each problem becomes an ``InputFailure``
carrying a coded ``InputError`` whose ``source`` names the file (``FILE:LINE``
for a jsonl line), and reading goes on with the next input.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO, Iterator, Sequence, TextIO

from ahdath.errors import (AhdathError, EmptyInputError, InputError, InputTooLargeError, MalformedInputError,
                           NotArabicError)
from ahdath.ingest.clean import Boilerplate, clean_text, packaged_boilerplate
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
_HTML_START = re.compile(r"\s*(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])", re.IGNORECASE)
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
             url: str | None = None, title: str | None = None, site: str | None = None) -> Article:
    text = clean_text(raw_text, ctx.boilerplate)
    if not text:
        raise EmptyInputError("no report text left after removing page furniture", source=source)
    _require_arabic(text, source)
    return Article(article_id, text, published or ctx.default_published, url, title, site)


def _from_html(ctx: _Context, source: str, html: str, article_id: str, **given: Any) -> Article:
    text, info = html_to_text(html)
    if not text.strip():
        raise EmptyInputError("no text found in the HTML page", source=source)
    return _article(ctx, source, text, article_id=article_id,
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


def _read_stream(stream: TextIO | BinaryIO, max_bytes: int) -> bytes | str:
    buf = getattr(stream, "buffer", None)
    data = (buf or stream).read(max_bytes + 1)
    # bytes as read; a text stream without a buffer (a StringIO) counts its text in UTF-8
    size = len(data) if isinstance(data, bytes) else _utf8_size(data, max_bytes)
    if size > max_bytes:
        raise InputTooLargeError(_too_large(f"more than {max_bytes}", max_bytes), source="-")
    return data


def _published_field(value: Any, source: str) -> date | None:
    if value is None or value == "":
        return None
    d = parse_published(value) if isinstance(value, str) else None
    if d is None:
        raise MalformedInputError(f"'published' is not a date YYYY-MM-DD: {value!r}", source=source)
    return d


def _jsonl_record(ctx: _Context, source: str, line: str, fallback_id: str) -> Article:
    try:
        rec = json.loads(line)
    except json.JSONDecodeError as exc:
        raise MalformedInputError(f"not valid JSON ({exc.msg} at column {exc.colno})", source=source) from None
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


def _jsonl_lines(path: Path, source: str) -> Iterator[tuple[int, str | InputFailure]]:
    """Numbered lines of a jsonl file; UTF-16/32 files are decoded whole, others line by line."""
    try:
        f = path.open("rb")
    except OSError as exc:
        raise InputError(exc.strerror or str(exc), source=source) from None
    with f:
        head = f.read(4)
        f.seek(0)
        if b"\x00" in head:
            yield from enumerate(decode_bytes(f.read(), source).splitlines(), 1)
            return
        for n, raw in enumerate(f, 1):
            if n == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            if not raw.strip():
                continue
            try:
                yield n, raw.decode("utf-8")
            except UnicodeDecodeError:
                where = f"{source}:{n}"
                try:
                    yield n, decode_bytes(raw, where)
                except AhdathError as exc:
                    yield n, InputFailure(where, exc)


def _read_jsonl(ctx: _Context, path: Path, source: str) -> Iterator[Article | InputFailure]:
    any_line = False
    for n, line in _jsonl_lines(path, source):
        if isinstance(line, InputFailure):
            any_line = True
            yield line
            continue
        if not line.strip():
            continue
        any_line = True
        where = f"{source}:{n}"
        try:
            yield _jsonl_record(ctx, where, line, f"{path.stem}-{n}")
        except AhdathError as exc:
            yield InputFailure(where, exc)
    if not any_line:
        yield InputFailure(source, EmptyInputError("empty input (no report lines)", source=source))


def _read_file(ctx: _Context, path: Path, source: str) -> Iterator[Article | InputFailure]:
    ext = path.suffix.lower()
    if ext in JSONL_EXT:
        yield from _read_jsonl(ctx, path, source)
        return
    data = _read_bytes(path, source, ctx.max_bytes)
    if ext in HTML_EXT:
        html = decode_bytes(data, source, declared=declared_charset(data))
        yield _from_html(ctx, source, html, path.stem)
    else:
        yield _article(ctx, source, decode_bytes(data, source), article_id=path.stem)


def _walk(root: Path) -> list[Path]:
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        found.extend(Path(dirpath, f) for f in filenames
                     if not f.startswith(".") and Path(f).suffix.lower() in REPORT_EXT)
    return sorted(found)


def _read_stdin(ctx: _Context, stream: TextIO | BinaryIO) -> Iterator[Article]:
    data = _read_stream(stream, ctx.max_bytes)
    text = decode_bytes(data, "-") if isinstance(data, bytes) else data
    if not text.strip():
        raise EmptyInputError("empty input", source="-")
    if _HTML_START.match(text):
        yield _from_html(ctx, "-", text, "stdin")
    else:
        yield _article(ctx, "-", text, article_id="stdin")


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
                boilerplate: Boilerplate | None = None) -> Iterator[Article | InputFailure]:
    """Articles from ``paths`` in order (folders recursively, sorted; ``-`` is ``stdin``).

    ``default_published`` fills in reports that carry no date of their own;
    ``boilerplate`` defaults to the packaged lexicon.
    """
    ctx = _Context(boilerplate or packaged_boilerplate(), default_published, max_bytes)
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


__all__ = ["InputFailure", "read_inputs", "read_text", "MAX_BYTES", "REPORT_EXT"]
