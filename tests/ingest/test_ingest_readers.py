"""Paths to Articles: every input kind, and every bad input named with its code."""
from __future__ import annotations

import io
import json
import time
from datetime import date
from importlib import resources
from pathlib import Path

import pytest

from ahdath.ingest import InputFailure, read_inputs, read_text
from ahdath.model import Article

EXAMPLES = Path(str(resources.files("ahdath") / "data" / "examples"))


def _split(items: list[Article | InputFailure]) -> tuple[list[Article], list[InputFailure]]:
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, InputFailure)]


def test_readers_txt_id_is_the_stem_and_default_published_fills_in(tmp_path: Path, report: str) -> None:
    f = tmp_path / "douma-2016.txt"
    f.write_text(report + "\n\nمقالات ذات صلة\nزر الذهاب إلى الأعلى\n", encoding="utf-8")
    [a] = list(read_inputs([str(f)], default_published=date(2016, 5, 14)))
    assert a == Article("douma-2016", report, date(2016, 5, 14), None, None, None)


@pytest.mark.parametrize("encoding", ["cp1256", "utf-16", "utf-16-le", "utf-16-be", "utf-8-sig", "utf-32"])
def test_readers_decodes_legacy_encodings(tmp_path: Path, report_1256: str, encoding: str) -> None:
    f = tmp_path / "legacy.txt"
    f.write_bytes(report_1256.encode(encoding))
    [a] = list(read_inputs([str(f)]))
    assert isinstance(a, Article) and a.text == report_1256


@pytest.mark.parametrize("name, data, code", [
    ("empty.txt", b"", "E101"),
    ("blank.txt", b" \n\t\r\n ", "E101"),
    ("furniture.txt", "مقالات ذات صلة\nزر الذهاب إلى الأعلى".encode(), "E101"),
    ("nul.txt", b"\x00\x01\x02binary\x00\xff" * 50, "E102"),
    ("photo.txt", b"\xff\xd8\xff\xe0\x00\x10JFIF", "E102"),
    ("garbled.txt", bytes(range(0x80, 0x100)) * 8, "E103"),
    ("english.txt", b"Three soldiers were killed in clashes near Douma on Saturday.", "E106"),
    ("digits.txt", "١٢٣ 456 ... !!".encode(), "E106"),
])
def test_readers_bad_inputs_fail_with_their_code(tmp_path: Path, name: str, data: bytes, code: str) -> None:
    f = tmp_path / name
    f.write_bytes(data)
    [failure] = list(read_inputs([str(f)]))
    assert isinstance(failure, InputFailure)
    assert failure.source == str(f) and failure.error.code == code
    assert str(failure.error).startswith(f"{f}: [{code}] ")


def test_readers_missing_path_is_an_input_failure(tmp_path: Path) -> None:
    [failure] = list(read_inputs([str(tmp_path / "nope.txt")]))
    assert isinstance(failure, InputFailure) and failure.error.code == "E100"


def test_readers_over_the_hard_cap_is_e104(tmp_path: Path, report: str) -> None:
    f = tmp_path / "big.txt"
    f.write_text(report * 20, encoding="utf-8")
    [failure] = list(read_inputs([str(f)], max_bytes=1000))
    assert isinstance(failure, InputFailure) and failure.error.code == "E104"


def test_readers_five_megabytes_are_read_quickly(tmp_path: Path, report: str) -> None:
    f = tmp_path / "huge.txt"
    f.write_text((report + "\n") * (5_000_000 // len(report.encode())), encoding="utf-8")
    t0 = time.perf_counter()
    [a] = list(read_inputs([str(f)]))
    assert isinstance(a, Article) and len(a.text) > 2_000_000
    assert time.perf_counter() - t0 < 10


def test_readers_jsonl_bad_line_is_named_and_others_still_read(tmp_path: Path, report: str) -> None:
    f = tmp_path / "batch.jsonl"
    rows = [
        json.dumps({"id": "a1", "text": report, "published": "2016-05-14", "url": "https://x.example/a1",
                    "title": "اشتباكات في دوما", "source": "مراسل"}, ensure_ascii=False),
        '{"id": "a2", "text": "unterminated',
        "",
        json.dumps({"id": 7, "html": f"<html><body><p>{report}</p></body></html>"}, ensure_ascii=False),
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": "a5"}),
        json.dumps({"id": "a6", "text": report, "published": "14/05/2016"}, ensure_ascii=False),
        json.dumps({"id": "a7", "text": "   "}),
        json.dumps({"id": "a8", "text": "Clashes in Douma."}),
        json.dumps({"text": report}, ensure_ascii=False),
    ]
    f.write_text("\n".join(rows) + "\n", encoding="utf-8")
    articles, failures = _split(list(read_inputs([str(f)], default_published=date(2020, 1, 1))))
    assert [a.id for a in articles] == ["a1", "7", "batch-10"]
    assert articles[0] == Article("a1", report, date(2016, 5, 14), "https://x.example/a1", "اشتباكات في دوما", "مراسل")
    assert articles[1].published == date(2020, 1, 1)  # --published fills in only where the report has none
    assert [(x.source, x.error.code) for x in failures] == [
        (f"{f}:2", "E105"), (f"{f}:5", "E105"), (f"{f}:6", "E105"), (f"{f}:7", "E105"),
        (f"{f}:8", "E101"), (f"{f}:9", "E106"),
    ]


def test_readers_jsonl_line_in_cp1256_is_decoded(tmp_path: Path, report_1256: str) -> None:
    f = tmp_path / "mixed.jsonl"
    good = json.dumps({"id": "u", "text": report_1256}, ensure_ascii=False)
    f.write_bytes(good.encode("utf-8") + b"\n" + good.replace('"u"', '"w"').encode("cp1256") + b"\n")
    assert [a.id for a in read_inputs([str(f)]) if isinstance(a, Article)] == ["u", "w"]


def test_readers_jsonl_in_utf16_is_decoded_whole(tmp_path: Path, report: str) -> None:
    f = tmp_path / "wide.jsonl"
    lines = [json.dumps({"id": f"r{i}", "text": report}, ensure_ascii=False) for i in range(3)]
    f.write_bytes("\n".join(lines).encode("utf-16"))
    assert [a.id for a in read_inputs([str(f)]) if isinstance(a, Article)] == ["r0", "r1", "r2"]


def test_readers_html_meta_date_wins_over_default(tmp_path: Path) -> None:
    items = list(read_inputs([str(EXAMPLES / "daraa_tafas.html")], default_published=date(2000, 1, 1)))
    [a] = items
    assert isinstance(a, Article) and a.id == "daraa_tafas" and a.published == date(2021, 7, 29)
    assert a.url and a.title and a.source and "جميع الحقوق" not in a.text


def test_readers_html_in_cp1256_with_meta_charset(tmp_path: Path, report_1256: str) -> None:
    f = tmp_path / "old.htm"
    page = f'<html><head><meta charset="windows-1256"></head><body><p>{report_1256}</p></body></html>'
    f.write_bytes(page.encode("cp1256"))
    [a] = list(read_inputs([str(f)]))
    assert isinstance(a, Article) and a.text == report_1256.replace("\n", " ")


def test_readers_directory_is_recursive_sorted_and_filtered(tmp_path: Path, report: str) -> None:
    (tmp_path / "b" / "deep").mkdir(parents=True)
    (tmp_path / "b" / "deep" / "z.txt").write_text(report, encoding="utf-8")
    (tmp_path / "a.TXT").write_text(report, encoding="utf-8")
    (tmp_path / "notes.md").write_text(report, encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text(report, encoding="utf-8")
    (tmp_path / "b" / "m.html").write_text(f"<p>{report}</p>", encoding="utf-8")
    assert [a.id for a in read_inputs([str(tmp_path)])] == ["a", "z", "m"]  # b/deep/ sorts before b/m.html


def test_readers_examples_folder_reads_cleanly() -> None:
    articles, failures = _split(list(read_inputs([str(EXAMPLES)])))
    assert not failures
    assert [a.id for a in articles] == ["brief-raqqa", "brief-azaz", "brief-hasakah", "daraa_tafas", "idlib_kafranbel"]
    assert all("زر الذهاب" not in a.text and "ذات صلة" not in a.text for a in articles)


def test_readers_empty_directory_is_a_failure(tmp_path: Path) -> None:
    [failure] = list(read_inputs([str(tmp_path)]))
    assert isinstance(failure, InputFailure) and failure.error.code == "E101"


@pytest.mark.parametrize("stream", [
    lambda t: io.StringIO(t),
    lambda t: io.TextIOWrapper(io.BytesIO(t.encode("cp1256")), encoding="utf-8"),  # wrong declared encoding
    lambda t: io.BytesIO(t.encode("utf-16")),
])
def test_readers_stdin_text_in_any_encoding(report_1256: str, stream) -> None:
    [a] = list(read_inputs(["-"], stdin=stream(report_1256), default_published=date(2019, 3, 12)))
    assert a == Article("stdin", report_1256, date(2019, 3, 12))


def test_readers_stdin_html_is_detected(report: str) -> None:
    [a] = list(read_inputs(["-"], stdin=io.StringIO(f"<!DOCTYPE html><html><body><nav>الرئيسية</nav><p>{report}</p>")))
    assert isinstance(a, Article) and "الرئيسية" not in a.text and "دوما" in a.text


def test_readers_stdin_empty_fails() -> None:
    [failure] = list(read_inputs(["-"], stdin=io.StringIO("  \n")))
    assert isinstance(failure, InputFailure) and failure.source == "-" and failure.error.code == "E101"


def test_readers_read_text_cleans_and_checks(report: str) -> None:
    assert read_text(report + "\nشارك هذا المقال").text == report
