"""What ``ahdath batch`` reads: JSONL (plain or compressed) and Parquet files, given as files, folders,
globs or fsspec URLs (``s3://...`` where the matching fsspec package is installed)."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ahdath.errors import InputError, MissingExtraError
from ahdath.ingest.compressed import COMPRESSED_EXT

JSONL_EXT = (".jsonl", ".ndjson")
PARQUET_EXT = (".parquet", ".pq")
_GLOB = frozenset("*?[")


@dataclass(frozen=True, slots=True)
class InputFile:
    """One file to read: ``url`` as the workers will open it (a local path stays a path)."""

    url: str
    kind: str  # jsonl | parquet
    size: int


def kind_of(name: str) -> str | None:
    """``jsonl`` or ``parquet`` by a file's name (a compression suffix set aside), else None."""
    lower = name.lower()
    for ext in COMPRESSED_EXT:
        if lower.endswith(ext):
            lower = lower[: -len(ext)]
            break
    if lower.endswith(JSONL_EXT):
        return "jsonl"
    if lower.endswith(PARQUET_EXT) and lower == name.lower():  # a compressed Parquet file is not one
        return "parquet"
    return None


def filesystem(url: str) -> tuple[Any, str]:
    """The fsspec filesystem of ``url`` and the path on it; one line naming the package when the
    protocol's fsspec implementation is not installed."""
    import fsspec.core

    try:
        return fsspec.core.url_to_fs(url)
    except (ImportError, ValueError) as exc:
        raise MissingExtraError(f"cannot open {url}: {exc}", source=url) from None


def _named(fs: Any, path: str, given: str) -> str:
    """The name a worker opens: a local path as a path, anything else as a full URL."""
    protocol = fs.protocol if isinstance(fs.protocol, str) else fs.protocol[0]
    if protocol in ("file", "local"):
        return path if not given.startswith("file://") else fs.unstrip_protocol(path)
    return str(fs.unstrip_protocol(path))


def expand(inputs: Sequence[str], *, passed: list[str] | None = None) -> list[InputFile]:
    """Every file the arguments name, in argument order (a folder's and a glob's files sorted). A folder
    contributes its JSONL and Parquet files, and its other files go to ``passed`` (so a user can be told
    that a saved page or a text file was not read); a file named outright must be one of those."""
    out: list[InputFile] = []
    seen: set[str] = set()
    for given in inputs:
        fs, path = filesystem(given)
        found: list[tuple[str, int]] = []
        if any(ch in _GLOB for ch in path):
            matches = sorted(fs.glob(path))
            if not matches:
                raise InputError("no file matches this pattern", source=given)
            for m in matches:
                if fs.isdir(m):
                    found += _walk(fs, m, passed)
                else:
                    found.append((m, fs.size(m)))
        elif fs.isdir(path):
            found = _walk(fs, path, passed)
            if not found:
                raise InputError("no .jsonl, .jsonl.gz or .parquet files in this folder", source=given)
        elif fs.exists(path):
            found = [(path, fs.size(path))]
        else:
            raise InputError("no such file or directory", source=given)
        for p, size in found:
            kind = kind_of(p)
            if kind is None:
                raise InputError("not a .jsonl (plain or compressed) or .parquet file", source=_named(fs, p, given))
            url = _named(fs, p, given)
            if url not in seen:  # a file named twice (a folder and a glob in it) is read once
                seen.add(url)
                out.append(InputFile(url, kind, int(size or 0)))
    return out


def _walk(fs: Any, root: str, passed: list[str] | None) -> list[tuple[str, int]]:
    found = []
    for p, info in sorted(fs.find(root, detail=True).items()):
        name = p.rsplit("/", 1)[-1]
        if name.startswith((".", "_")):
            continue
        if kind_of(name) is None:
            if passed is not None:
                passed.append(p)
            continue
        found.append((p, int(info.get("size") or 0)))
    return found
