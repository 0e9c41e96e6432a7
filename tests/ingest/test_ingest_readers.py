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


def _jsonl(*records: dict) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


class _Piped(io.BytesIO):
    """A binary stdin that hands out at most ``chunk`` bytes a read, like a pipe."""

    def __init__(self, data: bytes, chunk: int = 1 << 16) -> None:
        super().__init__(data)
        self.chunk = chunk

    def read(self, size: int | None = -1) -> bytes:
        return super().read(self.chunk if size is None or size < 0 else min(size, self.chunk))


@pytest.mark.parametrize("head, kind", [
    ('{"id": 1, "text": "قصف على حلب"}\n{"text": "غارة على إدلب"}\n', "jsonl"),
    ('\ufeff{"html": "<p>قصف</p>"}\r\n\r\n', "jsonl"),
    ("<!DOCTYPE html><html><body><p>قصف</p>", "html"),
    ("<!-- saved page --><html lang='ar'>", "html"),
    ('<div class="post"><p>قصف على حلب</p></div>', "html"),
    ("قصف على حلب <وفق مصادر> محلية", "text"),
    ("[عاجل] قصف على حلب", "text"),
    ("قصف على حلب\n{ملاحظة}", "text"),
])
def test_readers_sniff_format(head: str, kind: str) -> None:
    from ahdath.ingest import sniff_format

    assert sniff_format(head) == kind


@pytest.mark.parametrize("head, line", [
    ('{"id": 1, "text": "قصف"}\n{"id": 2, "body": "قصف"}\n', 2),
    ('{"id": 1, "text": "قصف"}\n{broken\n', 2),
    ('{\n  "id": 1,\n  "text": "قصف"\n}\n', 1),  # one pretty-printed JSON object is not JSON lines
    ('{"id": 1, "text": 5}', 1),
])
def test_readers_sniff_json_that_is_not_reports_is_e105(head: str, line: int) -> None:
    from ahdath.errors import MalformedInputError
    from ahdath.ingest import sniff_format

    with pytest.raises(MalformedInputError) as info:
        sniff_format(head)
    assert f"line {line} " in info.value.message and "--input-format" in info.value.message


@pytest.mark.parametrize("stream", [
    lambda data: io.StringIO(data.decode("utf-8")),
    lambda data: io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"),
    lambda data: _Piped(data, chunk=7),
])
def test_readers_stdin_jsonl_is_one_report_a_line(report: str, stream) -> None:
    data = _jsonl({"id": "a", "text": report, "published": "2016-05-14"},
                  {"text": report.replace("دوما", "حرستا"), "published": "2016-05-20"}).encode("utf-8")
    articles, failures = _split(list(read_inputs(["-"], stdin=stream(data))))
    assert not failures
    assert [(a.id, a.published) for a in articles] == [("a", date(2016, 5, 14)), ("stdin-2", date(2016, 5, 20))]
    assert "حرستا" in articles[1].text and "حرستا" not in articles[0].text


def test_readers_stdin_jsonl_streams_past_the_sniffed_head(report: str) -> None:
    from ahdath.ingest.readers import SNIFF_BYTES

    line = json.dumps({"text": report}, ensure_ascii=False) + "\n"
    n = SNIFF_BYTES // len(line.encode()) + 50  # the head ends mid-line
    data = (line * n).encode("utf-8")
    items = list(read_inputs(["-"], stdin=_Piped(data), max_bytes=len(data) // 4))
    assert len(items) == n and all(isinstance(a, Article) for a in items)
    assert items[-1].id == f"stdin-{n}"


def test_readers_stdin_jsonl_long_line_fails_alone(report: str) -> None:
    data = _jsonl({"id": "a", "text": report}, {"id": "b", "text": report * 50}, {"id": "c", "text": report})
    items = list(read_inputs(["-"], stdin=_Piped(data.encode("utf-8"), chunk=100), max_bytes=2000,
                             input_format="jsonl"))
    assert [getattr(i, "id", None) or (i.source, i.error.code) for i in items] == ["a", ("-:2", "E104"), "c"]


def test_readers_stdin_json_that_is_not_reports_fails_whole(report: str) -> None:
    data = _jsonl({"id": "a", "text": report}) + "{not json\n"
    [failure] = list(read_inputs(["-"], stdin=io.StringIO(data)))
    assert isinstance(failure, InputFailure) and failure.source == "-" and failure.error.code == "E105"


def test_readers_input_format_jsonl_reads_the_good_lines(report: str) -> None:
    data = _jsonl({"id": "a", "text": report}) + "{not json\n"
    items = list(read_inputs(["-"], stdin=io.StringIO(data), input_format="jsonl"))
    assert [getattr(i, "id", None) or (i.source, i.error.code) for i in items] == ["a", ("-:2", "E105")]


@pytest.mark.parametrize("fmt, name, expect_lines", [
    ("text", "page.html", True),  # read as text, the markup stays
    ("html", "notes.txt", False),
    ("auto", "page.html", False),
    ("auto", "page", False),  # no extension: sniffed
])
def test_readers_input_format_overrides_extension(tmp_path: Path, report: str, fmt: str, name: str,
                                                  expect_lines: bool) -> None:
    f = tmp_path / name
    f.write_text(f"<html><body><p>{report}</p></body></html>", encoding="utf-8")
    [a] = list(read_inputs([str(f)], input_format=fmt))
    assert isinstance(a, Article) and ("<p>" in a.text) == expect_lines


@pytest.mark.parametrize("name", ["batch.json", "batch", "reports.data"])
def test_readers_unknown_extension_holding_jsonl_is_sniffed(tmp_path: Path, report: str, name: str) -> None:
    f = tmp_path / name
    f.write_text(_jsonl({"id": "x", "text": report}, {"id": "y", "text": report}), encoding="utf-8")
    assert [a.id for a in read_inputs([str(f)])] == ["x", "y"]


def test_readers_unknown_input_format_is_usage_error() -> None:
    from ahdath.errors import UsageError

    with pytest.raises(UsageError):
        list(read_inputs(["-"], stdin=io.StringIO("x"), input_format="xml"))


@pytest.mark.parametrize("encoding", ["iso8859_6", "cp720"])
def test_readers_arabic_code_pages_are_decoded(tmp_path: Path, report_1256: str, encoding: str) -> None:
    text = report_1256.replace("،", ",").replace("ُ", "") if encoding == "cp720" else report_1256
    f = tmp_path / "old.txt"
    f.write_bytes(text.encode(encoding))
    [a] = list(read_inputs([str(f)]))
    assert isinstance(a, Article) and a.text == text


def test_readers_uncertain_encoding_is_named_and_others_read(tmp_path: Path, report: str) -> None:
    (tmp_path / "a.txt").write_bytes("حلب".encode("iso8859_6"))
    (tmp_path / "b.txt").write_text(report, encoding="utf-8")
    items = list(read_inputs([str(tmp_path)]))
    assert isinstance(items[0], InputFailure) and items[0].error.code == "E103"
    assert str(items[0].error).startswith(f"{tmp_path / 'a.txt'}: [E103] encoding uncertain")
    assert isinstance(items[1], Article) and items[1].id == "b"


def test_readers_html_page_dated_only_in_json_ld(tmp_path: Path, report: str) -> None:
    f = tmp_path / "p.html"
    f.write_text('<html><head><script type="application/ld+json">{"@type": "NewsArticle", '
                 f'"datePublished": "2016-05-14T06:00:00+03:00"}}</script></head><body><p>{report}</p></body></html>',
                 encoding="utf-8")
    [a] = list(read_inputs([str(f)], default_published=date(2000, 1, 1)))
    assert isinstance(a, Article) and a.published == date(2016, 5, 14)


@pytest.mark.parametrize("size", [1, 40_000])
def test_readers_stdin_utf16_jsonl_is_sniffed_decoded(report: str, size: int) -> None:
    data = _jsonl(*({"id": f"r{i}", "text": report} for i in range(size))).encode("utf-16")
    items = list(read_inputs(["-"], stdin=_Piped(data)))
    assert len(items) == size and all(isinstance(a, Article) for a in items)


@pytest.mark.parametrize("hostile, code", [
    ('{"text": ' + "[" * 100_000 + "]" * 100_000 + "}", "E105"),  # nested past the parser's recursion limit
    ('{"id": ' + "1" * 5000 + ', "text": "قصف"}', "E105"),  # past int's digit limit (a ValueError)
    ('{"text": null, "html": "<script>alert(1)</script>"}', "E101"),
])
def test_readers_hostile_jsonl_line_fails_alone(report: str, hostile: str, code: str | None) -> None:
    data = hostile + "\n" + json.dumps({"id": "ok", "text": report}, ensure_ascii=False) + "\n"
    items = list(read_inputs(["-"], stdin=io.StringIO(data), input_format="jsonl"))
    assert isinstance(items[-1], Article) and items[-1].id == "ok"
    if code:
        assert isinstance(items[0], InputFailure) and items[0].source == "-:1" and items[0].error.code == code


def test_readers_lone_surrogate_escape_becomes_a_replacement_character(report: str) -> None:
    data = json.dumps({"id": "s", "text": "\ud800" + report, "title": "\udfff"}) + "\n"
    [a] = list(read_inputs(["-"], stdin=io.StringIO(data)))
    assert isinstance(a, Article) and a.text == "\ufffd" + report and a.title == "\ufffd"
    a.text.encode("utf-8")  # every writer can now write it
