"""Input partitions: what one Dask task reads, named by what it reads.

A plain JSONL file is cut at line ends about every ``partition_size`` bytes (the planner reads it
once, hashing it and counting lines, so each partition knows the number of its first line); a
compressed one is read whole by one task (a stream cannot be entered in the middle); a Parquet file
is cut at row groups. A partition's id hashes the input's content hash and the range, so the same
input gives the same partitions on every run: that is what makes a re-run skip finished work.
"""
from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from ahdath.batch.inputs import InputFile, filesystem
from ahdath.errors import InputError
from ahdath.ingest.compressed import HEAD_BYTES, compression
from ahdath.ingest.readers import _wide

DEFAULT_PARTITION_SIZE = 64 << 20  # bytes: a few seconds to a minute of one core's work
_BLOCK = 8 << 20


@dataclass(frozen=True, slots=True)
class Partition:
    """One task's input: ``mode`` ``lines`` (bytes ``start``..``end`` of a plain JSONL file, lines
    numbered from ``first_line``), ``stream`` (a compressed or UTF-16/32 JSONL file, whole) or ``parquet``
    (row groups ``start``..``end``, rows numbered from ``first_line``)."""

    id: str
    input_no: int  # the input's place in the command's list: orders reports across inputs
    url: str
    mode: str
    start: int
    end: int
    first_line: int


@dataclass(frozen=True, slots=True)
class PlannedInput:
    url: str
    sha256: str
    size: int
    partitions: int


def plan(files: Sequence[InputFile], partition_size: int = DEFAULT_PARTITION_SIZE,
         ) -> tuple[list[Partition], list[PlannedInput]]:
    """The partitions of ``files`` in input order, and each input's hash (for the manifest)."""
    parts: list[Partition] = []
    inputs: list[PlannedInput] = []
    for no, f in enumerate(files):
        try:
            found, digest = (_parquet if f.kind == "parquet" else _jsonl)(no, f, partition_size)
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror or exc}", source=f.url) from None
        parts += found
        inputs.append(PlannedInput(f.url, digest, f.size, len(found)))
    return parts, inputs


def _id(digest: str, mode: str, start: int, end: int) -> str:
    return hashlib.sha256(f"{digest}|{mode}|{start}|{end}".encode()).hexdigest()[:20]


def _jsonl(no: int, f: InputFile, size: int) -> tuple[list[Partition], str]:
    fs, path = filesystem(f.url)
    h = hashlib.sha256()
    cuts: list[tuple[int, int]] = [(0, 1)]  # (byte offset, number of the line starting there)
    with fs.open(path, "rb") as fh:
        head = fh.read(HEAD_BYTES)
        h.update(head)
        if compression(head) is not None or _wide(head):  # compressed, or UTF-16/32 (decoded whole)
            for block in iter(lambda: fh.read(_BLOCK), b""):
                h.update(block)
            digest = h.hexdigest()
            return [Partition(_id(digest, "stream", 0, -1), no, f.url, "stream", 0, -1, 1)], digest
        pos, lines, target = len(head), head.count(b"\n"), size
        for block in iter(lambda: fh.read(_BLOCK), b""):
            h.update(block)
            while pos + len(block) > target:  # a cut falls in this block: at the first line end past it
                nl = block.find(b"\n", max(0, target - pos))
                if nl < 0:
                    break
                cut = pos + nl + 1
                if cut > cuts[-1][0]:
                    cuts.append((cut, lines + block.count(b"\n", 0, nl) + 2))
                target = cut + size
            lines += block.count(b"\n")
            pos += len(block)
    digest = h.hexdigest()
    ends = [c for c, _n in cuts[1:] if c < pos] + [pos]
    starts = [c for c in cuts if c[0] < pos] or [(0, 1)]
    return [Partition(_id(digest, "lines", s, e), no, f.url, "lines", s, e, n)
            for (s, n), e in zip(starts, ends)], digest


def _parquet(no: int, f: InputFile, size: int) -> tuple[list[Partition], str]:
    import pyarrow.parquet as pq

    fs, path = filesystem(f.url)
    h = hashlib.sha256()
    with fs.open(path, "rb") as fh:
        for block in iter(lambda: fh.read(_BLOCK), b""):
            h.update(block)
    digest = h.hexdigest()
    with fs.open(path, "rb") as fh:
        try:
            meta = pq.ParquetFile(fh).metadata
        except Exception as exc:  # noqa: BLE001 - pyarrow's errors for a damaged file vary
            raise InputError(f"not a readable Parquet file ({exc})", source=f.url) from None
    parts: list[Partition] = []
    first, row, acc = 0, 1, 0
    start_row = 1
    for g in range(meta.num_row_groups):
        acc += meta.row_group(g).total_byte_size
        row += meta.row_group(g).num_rows
        if acc >= size or g == meta.num_row_groups - 1:
            parts.append(Partition(_id(digest, "parquet", first, g + 1), no, f.url, "parquet", first, g + 1, start_row))
            first, acc, start_row = g + 1, 0, row
    return parts, digest
