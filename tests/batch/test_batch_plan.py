"""Inputs and partitions of ``ahdath batch``: what the arguments name, and partitions that cover each
input exactly once, cut at line ends, each knowing the number of its first line."""
from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ahdath.batch.inputs import expand
from ahdath.batch.plan import plan
from ahdath.errors import InputError


def test_batch_inputs_expand_folders_globs_and_urls_in_order(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    for name in ("a/2.jsonl", "a/1.jsonl.gz", "a/notes.txt", "a/.hidden.jsonl", "b.parquet", "c.ndjson"):
        (tmp_path / name).write_bytes(b"{}\n")
    found = expand([str(tmp_path / "a"), str(tmp_path / "*.parquet"), f"file://{tmp_path / 'c.ndjson'}",
                    str(tmp_path / "a" / "2.jsonl")])  # named twice: read once
    assert [(Path(f.url.removeprefix("file://")).name, f.kind) for f in found] == [
        ("1.jsonl.gz", "jsonl"), ("2.jsonl", "jsonl"), ("b.parquet", "parquet"), ("c.ndjson", "jsonl")]


@pytest.mark.parametrize("arg, message", [("missing.jsonl", "no such file or directory"),
                                          ("*.nothing", "no file matches this pattern"),
                                          ("notes.txt", "not a .jsonl (plain or compressed) or .parquet file"),
                                          ("empty", "no .jsonl, .jsonl.gz or .parquet files in this folder")])
def test_batch_inputs_name_what_cannot_be_read(tmp_path: Path, arg: str, message: str) -> None:
    (tmp_path / "notes.txt").write_text("x")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError) as err:
        expand([str(tmp_path / arg)])
    assert err.value.message == message and err.value.source.endswith(arg)


def test_batch_inputs_name_the_folder_files_they_pass_over(tmp_path: Path) -> None:
    (tmp_path / "feed.jsonl").write_text('{"id": "1", "text": "نص"}\n', encoding="utf-8")
    (tmp_path / "page.html").write_text("<p>صفحة</p>", encoding="utf-8")
    (tmp_path / "note.txt").write_text("نص", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("x", encoding="utf-8")
    passed: list[str] = []
    found = expand([str(tmp_path)], passed=passed)
    assert [Path(f.url).name for f in found] == ["feed.jsonl"]
    assert sorted(Path(p).name for p in passed) == ["note.txt", "page.html"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet="ab\u0645\u062f", max_size=40), max_size=60), st.integers(1, 200),
       st.booleans())
def test_batch_plan_partitions_cover_each_line_once(tmp_path_factory: pytest.TempPathFactory, lines: list[str],
                                                    size: int, final_newline: bool) -> None:
    path = tmp_path_factory.mktemp("plan") / "in.jsonl"
    data = "\n".join(lines) + ("\n" if final_newline and lines else "")
    raw = data.encode("utf-8")
    path.write_bytes(raw)
    parts, inputs = plan(expand([str(path)]), size)
    assert parts[0].start == 0 and parts[-1].end == len(raw)
    for a, b in zip(parts, parts[1:]):
        assert a.end == b.start and raw[a.end - 1:a.end] == b"\n"  # cut just after a line end
    for p in parts:
        # the number of its first line is one more than the line ends before it
        assert p.first_line == raw[:p.start].count(b"\n") + 1
    assert len({p.id for p in parts}) == len(parts) and inputs[0].partitions == len(parts)
    # the same input gives the same partitions
    assert plan(expand([str(path)]), size)[0] == parts


def test_batch_plan_reads_a_compressed_file_whole(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl.gz"
    path.write_bytes(gzip.compress(b'{"text": "x"}\n' * 1000))
    parts, _ = plan(expand([str(path)]), 100)
    assert [(p.mode, p.start, p.end) for p in parts] == [("stream", 0, -1)]


def test_batch_plan_reads_a_utf16_file_whole(tmp_path: Path) -> None:
    # UTF-16 has a NUL in every other byte: cut at b"\n" it would be garbage
    path = tmp_path / "wide.jsonl"
    path.write_bytes(('{"text": "\u0642\u0635\u0641"}\n' * 200).encode("utf-16"))
    parts, _ = plan(expand([str(path)]), 100)
    assert [(p.mode, p.start, p.end) for p in parts] == [("stream", 0, -1)]
