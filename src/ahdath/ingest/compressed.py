"""Compressed inputs, told by their first bytes, never by their names: gzip, bzip2 and xz (the
standard library) and zstd (the optional ``zstandard`` package: ``pip install 'ahdath[zstd]'``).

A compressed input is decompressed as it is read, one buffer at a time, never whole, so the
readers' limits (a report, a jsonl line) apply to the decompressed bytes and a small file of a huge
run of one byte (a decompression bomb) fails like any other oversized input, without being held.
Past the size limit of one report, an input that has grown to more than ``MAX_RATIO`` times the
compressed bytes it came from is refused as a bomb (E104): reading through terabytes of newlines
would hold no memory but never end. Truncated or corrupt data fails (E105) where the damage is
met, after what was read before it.
"""
from __future__ import annotations

import bz2
import gzip
import io
import lzma
import re
import zlib
from collections.abc import Callable
from typing import IO, Any, BinaryIO

from ahdath.errors import AhdathError, InputError, InputTooLargeError, MalformedInputError
from ahdath.extras import require_extra

# name suffixes that are set aside to find a report's name and kind: reports.jsonl.gz is "reports", jsonl
COMPRESSED_EXT = frozenset({".gz", ".bz2", ".xz", ".zst"})
HEAD_BYTES = 10  # enough to tell every format below
# Arabic news compresses about 4 times (the dev corpus: gzip 3.7, bzip2 5.1, xz 4.5; the same file
# ten times over in one xz, 45); gzip reaches 1,000 and bzip2 a million, so this is far past real
# text and far short of any bomb. A report under the size limit is always read, however well it compresses.
MAX_RATIO = 200
_MIN_FLOOR = 1 << 20
_BZIP2 = re.compile(rb"BZh[1-9](?:1AY&SY|\x17rE8P\x90)")  # level, then a block or the end of the stream
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
# zstd's largest block (128 KB) can come from 4 bytes: fed this much at a time, one call gives at
# most 8 MB, where a whole file fed at once could give terabytes
_ZSTD_FEED = 256
_BUFFER = 1 << 16


class DamagedError(MalformedInputError):
    """Compressed data found truncated or corrupt (E105), where the damage was met."""


def compression(head: bytes) -> str | None:
    """``gzip``, ``bzip2``, ``xz`` or ``zstd`` when ``head`` (an input's first bytes) starts one, else None."""
    if head.startswith(b"\x1f\x8b\x08"):  # deflate, the only method gzip defines
        return "gzip"
    if head.startswith(b"\xfd7zXZ\x00"):
        return "xz"
    if head.startswith(_ZSTD_MAGIC):
        return "zstd"
    if _BZIP2.match(head):
        return "bzip2"
    return None


def read_up_to(raw: IO[Any], size: int) -> Any:
    """``size`` bytes (or characters) of ``raw``, fewer only at its end: a pipe may hand out less a read."""
    if size <= 0:
        return raw.read(0)
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


def opened(raw: BinaryIO, head: bytes, source: str, *, max_bytes: int) -> tuple[BinaryIO, bytes]:
    """An input's content and the bytes of it already read: ``raw`` and ``head`` (its first bytes,
    read by the caller) as they are, or the decompressed stream and nothing read of it yet."""
    if len(head) < HEAD_BYTES:
        head += read_up_to(raw, HEAD_BYTES - len(head))
    kind = compression(head)
    if kind is None:
        return raw, head
    counted = _Counted(raw, head, source)
    # (no context managers: the streams live as long as the caller reads, and the caller closes ``raw``)
    stream: Any
    if kind == "gzip":
        stream = gzip.GzipFile(fileobj=counted, mode="rb")
    elif kind == "bzip2":
        stream = bz2.BZ2File(counted, mode="rb")
    elif kind == "xz":
        stream = lzma.LZMAFile(counted, mode="rb")  # noqa: SIM115
    else:
        stream = _Zstd(counted, source)
    inner = _Decompressed(stream.read, counted, kind, source, max(max_bytes, _MIN_FLOOR))
    return io.BufferedReader(inner, _BUFFER), b""  # type: ignore[return-value]


class _Counted(io.RawIOBase):
    """The compressed bytes (``head``, then the rest of ``raw``), counted as the decompressor takes them."""

    def __init__(self, raw: BinaryIO, head: bytes, source: str) -> None:
        super().__init__()
        self._raw, self._head, self._source = raw, head, source
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        if self._head:
            data, self._head = self._head[:len(b)], self._head[len(b):]
        else:
            try:
                data = self._raw.read(len(b))
            except OSError as exc:  # the disk, not the data: said as such, not as corrupt data
                raise InputError(exc.strerror or str(exc), source=self._source) from None
        n = len(data)
        b[:n] = data
        self.count += n
        return n


class _Decompressed(io.RawIOBase):
    """Decompressed bytes; damage becomes E105 and a bomb E104, both naming the input."""

    def __init__(self, read: Callable[[int], bytes], counted: _Counted, kind: str, source: str,
                 floor: int) -> None:
        super().__init__()
        self._read, self._counted, self._kind, self._source, self._floor = read, counted, kind, source, floor
        self._out = 0

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        try:
            data = self._read(len(b))
        except AhdathError:
            raise
        except EOFError:
            raise DamagedError(f"{self._kind} data ends early (a truncated file?)", source=self._source) from None
        except (OSError, zlib.error, lzma.LZMAError) as exc:  # gzip.BadGzipFile and bz2's errors are OSErrors
            raise DamagedError(f"corrupt {self._kind} data ({exc})", source=self._source) from None
        n = len(data)
        b[:n] = data
        self._out += n
        if self._out > self._floor and self._out > MAX_RATIO * self._counted.count:
            raise InputTooLargeError(
                f"{self._kind} data grows to over {MAX_RATIO} times its size (a decompression bomb?); "
                "decompress it yourself to read it", source=self._source)
        return n


class _Zstd:
    """zstd frames, one after another, decompressed a bounded amount at a time. (zstandard's own
    stream reader is bounded too, but ends a truncated frame in silence.)"""

    def __init__(self, counted: _Counted, source: str) -> None:
        require_extra("zstd", source=source)
        import zstandard

        self._new = zstandard.ZstdDecompressor().decompressobj
        self._error = zstandard.ZstdError
        self._counted, self._source = counted, source
        self._frame = self._new()
        self._started = False  # bytes of the current frame were fed
        self._pending = b""
        self._ready = bytearray()
        self._damage: Exception | None = None

    def read(self, size: int) -> bytes:
        if self._damage is None:
            try:
                while len(self._ready) < size and self._feed():
                    pass
            except (EOFError, DamagedError) as exc:
                self._damage = exc  # raised once what came before it has been read
        if not self._ready and self._damage is not None:
            raise self._damage
        out = bytes(self._ready[:size])
        del self._ready[:size]
        return out

    def _feed(self) -> bool:
        """Decompress a little more into ``_ready``; False at the end of the input."""
        if not self._pending:
            self._pending = self._counted.read(_BUFFER)
            if not self._pending:
                if self._started:
                    raise EOFError  # the last frame never ended
                return False
        if self._frame.eof:  # a frame ended: what follows is the next one
            self._frame, self._started = self._new(), False
        piece, self._pending = self._pending[:_ZSTD_FEED], self._pending[_ZSTD_FEED:]
        try:
            self._ready += self._frame.decompress(piece)
        except self._error as exc:
            raise DamagedError(f"corrupt zstd data ({exc})", source=self._source) from None
        self._started = True
        if self._frame.eof:
            self._pending = self._frame.unused_data + self._pending
            self._started = False
        return True


__all__ = ["COMPRESSED_EXT", "HEAD_BYTES", "MAX_RATIO", "DamagedError", "compression", "opened", "read_up_to"]
