"""Compressed inputs: told by content whatever the name, streamed, bounded, damage named once."""
from __future__ import annotations

import bz2
import functools
import gzip
import io
import json
import lzma
import struct
import sys
import time
import tracemalloc
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ahdath.ingest import InputFailure, read_inputs
from ahdath.ingest.compressed import MAX_RATIO, compression
from ahdath.model import Article


def _zstd(data: bytes) -> bytes:
    """A zstd frame of raw blocks, written by hand (RFC 8878), so the tests need no package to make one."""
    frame = b"\x28\xb5\x2f\xfd" + bytes([0xA0]) + struct.pack("<I", len(data))  # one segment, 4-byte size
    blocks = [data[i:i + (1 << 17)] for i in range(0, len(data), 1 << 17)] or [b""]
    for n, block in enumerate(blocks):
        last = n == len(blocks) - 1
        frame += struct.pack("<I", len(block) << 3 | last)[:3] + block  # raw block
    return frame


COMPRESS: dict[str, Callable[[bytes], bytes]] = {
    "gzip": gzip.compress,
    "bzip2": lambda data: bz2.compress(data, 1),  # blocks of 100 kB: damage leaves earlier blocks whole
    "xz": lzma.compress,
}
try:
    import zstandard
except ImportError:
    zstandard = None
else:
    COMPRESS["zstd"] = zstandard.ZstdCompressor().compress
    COMPRESS["zstd by hand"] = _zstd

SHORT = "قصفت قوات النظام بلدة كفرنبل في ريف إدلب الجنوبي صباح اليوم، ما أدى إلى مقتل ثلاثة مدنيين."
STRAY = {"gzip": "bzip2", "bzip2": "xz", "xz": "gzip", "zstd": "gzip", "zstd by hand": "xz"}
EXT = {"gzip": ".gz", "bzip2": ".bz2", "xz": ".xz"}


def _jsonl(report: str, n: int, prefix: str = "r") -> bytes:
    return "".join(json.dumps({"id": f"{prefix}{i}", "text": report}, ensure_ascii=False) + "\n"
                   for i in range(n)).encode("utf-8")


def _ids(items: list) -> list:
    return [i.id if isinstance(i, Article) else (i.source, i.error.code) for i in items]


class _Piped(io.BytesIO):
    """A binary stdin that hands out at most ``chunk`` bytes a read, like a pipe."""

    def __init__(self, data: bytes, chunk: int = 4096) -> None:
        super().__init__(data)
        self.chunk = chunk

    def read(self, size: int | None = -1) -> bytes:
        return super().read(self.chunk if size is None or size < 0 else min(size, self.chunk))


@pytest.mark.parametrize("codec", list(COMPRESS))
@pytest.mark.parametrize("name, ids", [
    ("reports.jsonl{ext}", ["r0", "r1", "r2"]),
    ("reports.jsonl", ["r0", "r1", "r2"]),  # compressed bytes in a plain .jsonl
    ("reports.jsonl{stray}", ["r0", "r1", "r2"]),  # named for another format
    ("reports{ext}", ["r0", "r1", "r2"]),  # no inner extension: sniffed once decompressed
    ("reports.data", ["r0", "r1", "r2"]),
])
def test_compressed_jsonl_read_by_content_whatever_the_name(tmp_path: Path, report: str, codec: str, name: str,
                                                             ids: list[str]) -> None:
    f = tmp_path / name.format(ext=EXT.get(codec, ".zst"), stray=EXT.get(STRAY[codec], ".zst"))
    f.write_bytes(COMPRESS[codec](_jsonl(report, 3)))
    items = list(read_inputs([str(f)]))
    assert _ids(items) == ids
    assert all(a.text == report for a in items)


@pytest.mark.parametrize("codec", list(COMPRESS))
@pytest.mark.parametrize("name, article_id", [
    ("douma.txt.gz", "douma"), ("douma.txt", "douma"), ("douma.txt.xz", "douma"), ("douma.gz", "douma"),
    ("douma.TXT.GZ", "douma"),
])
def test_compressed_text_report_is_named_without_the_suffix(tmp_path: Path, report: str, codec: str, name: str,
                                                            article_id: str) -> None:
    f = tmp_path / name
    f.write_bytes(COMPRESS[codec](report.encode("utf-8")))
    [a] = list(read_inputs([str(f)]))
    assert isinstance(a, Article) and a.id == article_id and a.text == report


@pytest.mark.parametrize("codec", list(COMPRESS))
def test_compressed_html_page_and_legacy_encoding(tmp_path: Path, report_1256: str, codec: str) -> None:
    page = f'<html><head><meta charset="windows-1256"></head><body><p>{report_1256}</p></body></html>'
    (tmp_path / "old.htm.gz").write_bytes(COMPRESS[codec](page.encode("cp1256")))
    (tmp_path / "old.txt.gz").write_bytes(COMPRESS[codec](report_1256.encode("utf-16")))
    items = list(read_inputs([str(tmp_path)]))
    assert [(a.id, a.text) for a in items] == [("old", report_1256.replace("\n", " ")), ("old", report_1256)]


def test_compressed_folder_reads_compressed_reports_and_skips_other_files(tmp_path: Path, report: str) -> None:
    (tmp_path / "a.jsonl.gz").write_bytes(gzip.compress(_jsonl(report, 2, "a")))
    (tmp_path / "b.jsonl.bz2").write_bytes(bz2.compress(_jsonl(report, 1, "b")))
    (tmp_path / "c.txt.xz").write_bytes(lzma.compress(report.encode("utf-8")))
    (tmp_path / "d.html.gz").write_bytes(gzip.compress(f"<html><body><p>{report}</p></body></html>".encode()))
    (tmp_path / "e.txt").write_text(report, encoding="utf-8")
    (tmp_path / "notes.gz").write_bytes(gzip.compress(report.encode("utf-8")))  # not a report's name
    (tmp_path / "backup.tar.gz").write_bytes(gzip.compress(b"\x00" * 1024))
    assert _ids(list(read_inputs([str(tmp_path)]))) == ["a0", "a1", "b0", "c", "d", "e"]


def test_compressed_empty_folder_message_names_the_suffixes(tmp_path: Path) -> None:
    [failure] = list(read_inputs([str(tmp_path)]))
    assert isinstance(failure, InputFailure) and failure.error.code == "E101" and ".gz" in failure.error.message


@pytest.mark.parametrize("codec", list(COMPRESS))
@pytest.mark.parametrize("input_format", ["auto", "jsonl"])
def test_compressed_stdin_jsonl_is_streamed(report: str, codec: str, input_format: str) -> None:
    data = COMPRESS[codec](_jsonl(report, 400))
    items = list(read_inputs(["-"], stdin=_Piped(data, chunk=1000), input_format=input_format))
    assert _ids(items) == [f"r{i}" for i in range(400)]


@pytest.mark.parametrize("codec", list(COMPRESS))
def test_compressed_stdin_text_and_page(report: str, codec: str) -> None:
    [a] = list(read_inputs(["-"], stdin=io.BufferedReader(_Piped(COMPRESS[codec](report.encode("utf-8")), 3))))
    assert isinstance(a, Article) and a.id == "stdin" and a.text == report
    page = f"<!DOCTYPE html><html><body><nav>الرئيسية</nav><p>{report}</p></body></html>"
    [p] = list(read_inputs(["-"], stdin=io.BytesIO(COMPRESS[codec](page.encode("utf-8")))))
    assert isinstance(p, Article) and "الرئيسية" not in p.text and "دوما" in p.text


def _damaged(codec: str, data: bytes, how: str) -> bytes:
    packed = COMPRESS[codec](data)
    if how == "truncated":
        return packed[: len(packed) * 2 // 3]
    mid = len(packed) * 2 // 3
    return packed[:mid] + bytes(b ^ 0x5A for b in packed[mid:mid + 64]) + packed[mid + 64:]


def _incompressible(report: str, n: int) -> bytes:
    """``n`` reports whose words are shuffled, so the compressed stream is long and damage lands late."""
    import random

    rng = random.Random(5)
    words = report.split()
    return "".join(json.dumps({"id": f"r{i}", "text": " ".join(rng.sample(words, len(words)))},
                              ensure_ascii=False) + "\n" for i in range(n)).encode("utf-8")


# zstd written as raw blocks carries no checksum: changed bytes are read as they are, so only its
# truncation can be told (the other codecs check every stream)
_DAMAGE = [(codec, how) for how in ("truncated", "corrupt") for codec in COMPRESS
           if not (how == "corrupt" and codec == "zstd by hand")]


@pytest.mark.parametrize(("codec", "how"), _DAMAGE)
def test_compressed_damage_is_one_failure_after_the_records_before_it(tmp_path: Path, report: str, codec: str,
                                                                      how: str) -> None:
    data = _incompressible(report, 2000)
    f = tmp_path / "batch.jsonl.gz"
    f.write_bytes(_damaged(codec, data, how))
    items = list(read_inputs([str(f)]))
    *good, last = items
    assert isinstance(last, InputFailure) and last.source == str(f)
    assert last.error.code == "E105" and str(last.error).startswith(f"{f}: [E105] ")
    assert ("ends early" if how == "truncated" else "corrupt") in last.error.message
    assert "\n" not in str(last.error)
    # the reports before the damage are kept, in order; the garbage decompressed from it is no failure of its own
    assert 100 < len(good) < 2000
    assert _ids(good) == [f"r{i}" for i in range(len(good))]


@pytest.mark.parametrize("codec", list(COMPRESS))
def test_compressed_truncated_single_report_is_e105_naming_the_file(tmp_path: Path, report: str, codec: str) -> None:
    f = tmp_path / "r.txt"
    f.write_bytes(_damaged(codec, (report + "\n").encode("utf-8") * 200, "truncated"))
    [failure] = list(read_inputs([str(f)]))
    assert isinstance(failure, InputFailure) and failure.source == str(f) and failure.error.code == "E105"


@functools.cache
def _gzip_run(byte: bytes, size: int) -> bytes:
    """A gzip of ``size`` copies of ``byte``, made a chunk at a time (a megabyte run is 1 kB of gzip)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = byte * (1 << 20)
    return b"".join([packer.compress(chunk) for _ in range(size >> 20)] + [packer.flush()])


@pytest.mark.parametrize("name, byte, how", [
    ("bomb.txt.gz", b"a", "whole"),
    ("bomb.jsonl", b"a", "one endless line"),
    ("bomb.jsonl.gz", b"\n", "endless empty lines"),
    ("-", b"a", "stdin"),
    ("bomb.gz", b"a", "sniffed"),
])
def test_compressed_bomb_is_e104_in_bounded_memory_and_time(tmp_path: Path, name: str, byte: bytes,
                                                            how: str) -> None:
    packed = _gzip_run(byte, 1 << 28)  # 256 MB from 256 kB
    assert len(packed) < (1 << 28) / MAX_RATIO
    stdin = None
    if name == "-":
        stdin = io.BytesIO(packed)
    else:
        (tmp_path / name).write_bytes(packed)
    traced = byte != b"\n"  # (tracing a million empty lines would time the tracer)
    if traced:
        tracemalloc.start()
    t0 = time.perf_counter()
    try:
        items = list(read_inputs([name if name == "-" else str(tmp_path / name)], stdin=stdin,
                                 max_bytes=1_000_000))
        peak = tracemalloc.get_traced_memory()[1] if traced else 0
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - t0 < 20  # given up near the limit, never read to the end
    [failure] = items
    assert isinstance(failure, InputFailure) and failure.error.code == "E104", how
    if byte == b"\n":  # under the size limit line by line: only the ratio tells it is a bomb
        assert "decompression bomb" in failure.error.message
    assert peak < 12_000_000  # a few buffers and the 1 MB the limit allows, never the 256 MB


@pytest.mark.parametrize("codec", ["gzip", "xz"])
def test_compressed_long_line_fails_alone(tmp_path: Path, report: str, codec: str) -> None:
    import random

    rng = random.Random(2)
    words = report.split()
    long_text = " ".join(rng.choice(words) for _ in range(400_000))  # ~2.5 MB of text, compressing ~4 times
    data = b"".join(json.dumps({"id": i, "text": t}, ensure_ascii=False).encode() + b"\n"
                    for i, t in [("a", report), ("b", long_text), ("c", report)])
    f = tmp_path / "batch.jsonl.gz"
    f.write_bytes(COMPRESS[codec](data))
    assert _ids(list(read_inputs([str(f)], max_bytes=100_000))) == ["a", (f"{f}:2", "E104"), "c"]


def test_compressed_ratio_under_the_limit_is_never_a_bomb(tmp_path: Path) -> None:
    """A report under the size limit is read however well it compresses (10,000 times here)."""
    report = "قصف على حلب. " * 60_000
    f = tmp_path / "repeat.txt.gz"
    f.write_bytes(gzip.compress(report.encode("utf-8"), 9))
    [a] = list(read_inputs([str(f)], max_bytes=2 * len(report.encode("utf-8"))))
    assert isinstance(a, Article) and a.text == report.strip()


@pytest.mark.parametrize("head, kind", [
    (gzip.compress(b"x", mtime=0)[:10], "gzip"), (bz2.compress(b"x")[:10], "bzip2"), (bz2.compress(b"")[:10], "bzip2"),
    (lzma.compress(b"x")[:10], "xz"), (_zstd(b"x")[:10], "zstd"),
    (b"BZh91AY&SY"[:9], None),  # cut short: not enough to tell
    (b"BZh is a word", None), ("قصف على حلب".encode("cp1256")[:10], None), (b"\x1f\x8b\x07rest", None),
    (lzma.compress(b"x", format=lzma.FORMAT_ALONE)[:10], None),  # legacy .lzma: left to the text checks (E102/E103)
])
def test_compressed_detected_by_magic_bytes(head: bytes, kind: str | None) -> None:
    assert compression(head) == kind


def test_compressed_zstd_without_zstandard_is_e510_naming_the_extra(tmp_path: Path, report: str,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "zstandard", None)  # as if not installed
    (tmp_path / "a.jsonl.zst").write_bytes(_zstd(_jsonl(report, 2)))
    (tmp_path / "b.txt").write_text(report, encoding="utf-8")
    items = list(read_inputs([str(tmp_path)]))
    assert _ids(items) == [(str(tmp_path / "a.jsonl.zst"), "E510"), "b"]
    assert "pip install 'ahdath[zstd]'" in str(items[0].error)


def test_compressed_zstd_frames_one_after_another(tmp_path: Path, report: str) -> None:
    pytest.importorskip("zstandard")
    f = tmp_path / "two.jsonl.zst"
    f.write_bytes(_zstd(_jsonl(report, 2, "a")) + COMPRESS["zstd"](_jsonl(report, 2, "b")))
    assert _ids(list(read_inputs([str(f)]))) == ["a0", "a1", "b0", "b1"]
    f.write_bytes(_zstd(_jsonl(report, 2, "a")) + b"not zstd")
    assert _ids(list(read_inputs([str(f)]))) == ["a0", "a1", (str(f), "E105")]


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(list(COMPRESS)), st.sampled_from(["r.jsonl", "r.txt", "r.html", "r"]),
       st.binary(max_size=300), st.integers(min_value=0, max_value=400), st.binary(max_size=40))
def test_compressed_any_damage_gives_reports_or_coded_failures(codec: str, name: str, payload: bytes, cut: int,
                                                               junk: bytes) -> None:
    """Whatever follows a compressed stream's first bytes, reading gives reports or coded failures
    naming the input, never an exception."""
    import tempfile

    packed = COMPRESS[codec](_jsonl(SHORT, 2) + payload)
    data = packed[:10] + junk + packed[10 + cut:] if junk else packed[: max(10, len(packed) - cut)]
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / name
        f.write_bytes(data)
        items = list(read_inputs([str(f)], max_bytes=100_000))
    assert items and all(isinstance(i, Article) or (isinstance(i, InputFailure) and i.error.code.startswith("E1")
                                                    and i.source.startswith(str(f))) for i in items)


def test_compressed_failed_lines_before_a_bomb_are_still_named(tmp_path: Path) -> None:
    """Only damage stands for the failed lines before it; a bomb is no reason to hide them."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    parts = [packer.compress(b"{broken\n")] + [packer.compress(b"\n" * (1 << 20)) for _ in range(64)]
    f = tmp_path / "batch.jsonl.gz"
    f.write_bytes(b"".join(parts) + packer.flush())
    assert _ids(list(read_inputs([str(f)], max_bytes=1_000_000))) == [(f"{f}:1", "E105"), (str(f), "E104")]
