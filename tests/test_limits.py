"""Bounded resources: the size limit (E104), the time budget (E107), long reports read a section at a
time, and hostile input (repeated trigger words, megabyte lines, deep markup) read in bounded time."""
from __future__ import annotations

import codecs
import gzip
import io
import json
import lzma
import random
import time
from pathlib import Path

import pytest

from ahdath.cli.main import main
from ahdath.errors import InputTooLargeError, ReportTimeoutError, UsageError
from ahdath.ingest import InputFailure, read_inputs
from ahdath.ingest.html import html_to_text
from ahdath.limits import MAX_BYTES
from ahdath.model import Article
from ahdath.pipeline import Options, Pipeline
from ahdath.text.sentences import MAX_SENTENCE, section_spans, sentence_spans

REPORT = ("قتل ثلاثة مدنيين وأصيب خمسة آخرون بجروح، صباح اليوم الثلاثاء، جراء قصف مدفعي شنته قوات النظام "
          "على الأحياء السكنية في مدينة كفرنبل بريف إدلب الجنوبي.")
PLACES = ("كفرنبل", "سراقب", "أريحا", "دوما", "حرستا", "داريا", "الرستن", "طفس", "منبج", "الباب")
SIDES = ("قوات النظام", "فصائل المعارضة", "تنظيم الدولة الإسلامية", "مسلحون مجهولون")
TEMPLATES = ("قتل {n} مدنيين جراء قصف مدفعي شنته {a} على مدينة {p}.",
             "ودارت اشتباكات عنيفة بين {a} و{b} على محور {p}، أسفرت عن مقتل {n} عناصر.",
             "وخرج مئات المتظاهرين في {p} للمطالبة بالإفراج عن المعتقلين.",
             "وقالت مصادر طبية إن حصيلة القتلى في {p} ارتفعت إلى {n} قتلى.")
HOSTILE_SECONDS = 60  # generous: each case takes a few seconds; catastrophic backtracking takes hours


def long_report(chars: int, *, seed: int = 3, line_breaks: bool = True) -> str:
    """Generated news text of about ``chars`` characters (sentences of our own, varied)."""
    rng = random.Random(seed)
    out: list[str] = []
    size = 0
    while size < chars:
        a, b = rng.sample(SIDES, 2)
        s = rng.choice(TEMPLATES).format(n=rng.randint(2, 9), a=a, b=b, p=rng.choice(PLACES))
        s += "\n" if line_breaks and rng.random() < 0.3 else " "
        out.append(s)
        size += len(s)
    return "".join(out)


@pytest.fixture(scope="module")
def pipe() -> Pipeline:
    return Pipeline.from_options(Options())


def _lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("ahdath: ") and "[E" in line]


# -- the size limit -----------------------------------------------------------------------------

def test_limits_report_over_max_report_bytes_is_e104_naming_it(pipe: Pipeline) -> None:
    small = Pipeline(Options(max_report_bytes=len(REPORT.encode()) - 1), pipe.lexicons, pipe.gazetteer)
    assert len(REPORT) < small.options.max_report_bytes  # characters under the limit, UTF-8 bytes over it
    with pytest.raises(InputTooLargeError) as info:
        small.extract_article(Article("r-17", REPORT, None, None))
    assert str(info.value).startswith("r-17: [E104] report of ")
    assert "\n" not in str(info.value)
    exact = Pipeline(Options(max_report_bytes=len(REPORT.encode())), pipe.lexicons, pipe.gazetteer)
    assert exact.extract_text(REPORT, published="2019-03-12")


@pytest.mark.parametrize("bad", [{"max_report_bytes": 0}, {"time_budget": 0}, {"time_budget": -1.0},
                                 {"section_chars": 10}])
def test_limits_options_refuse_nonsense(bad: dict) -> None:
    with pytest.raises(UsageError):
        Options(**bad)


@pytest.mark.parametrize("over", [False, True])
def test_limits_max_bytes_counts_utf8_bytes_alike_for_files_jsonl_and_stdin(tmp_path: Path, over: bool,
                                                                            monkeypatch, capsys) -> None:
    import io
    import sys

    size = len(REPORT.encode("utf-8"))
    limit = str(size - 1 if over else size)
    (tmp_path / "r.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "r.jsonl").write_text(json.dumps({"id": "j", "text": REPORT}) + "\n", encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", io.StringIO(REPORT))  # a text stream without a buffer
    code = main(["extract", str(tmp_path / "r.txt"), str(tmp_path / "r.jsonl"), "-", "-f", "jsonl",
                 "--max-bytes", limit])
    captured = capsys.readouterr()
    failed = _lines(captured.err)
    if over:
        assert code == 1 and len(failed) == 3
        assert all("[E104]" in line and "(--max-bytes)" in line for line in failed)
        assert {line.split(": [")[0] for line in failed} == {
            f"ahdath: {tmp_path / 'r.txt'}", f"ahdath: {tmp_path / 'r.jsonl'}:1", "ahdath: -"}
    else:
        assert code == 0 and not failed
        assert len({json.loads(line)["article_id"] for line in captured.out.splitlines()}) == 3


PAGE = f"<html><head><title>قصف على كفرنبل</title></head><body><nav>الرئيسية</nav><p>{REPORT}</p></body></html>"
PAGE_1256 = PAGE.replace("<head>", '<head><meta charset="windows-1256">')


def _record(**fields: str) -> bytes:
    return json.dumps({"id": "j", **fields}, ensure_ascii=False).encode("utf-8") + b"\n"


# every kind of input: its name ("-": stdin), its bytes, and what the limit counts (in UTF-8)
KINDS: dict[str, tuple[str, bytes, str]] = {
    "text file": ("r.txt", REPORT.encode("utf-8"), REPORT),
    "text file with a BOM": ("r.txt", codecs.BOM_UTF8 + REPORT.encode("utf-8"), REPORT),
    "cp1256 file (a byte a letter, two in UTF-8)": ("r.txt", REPORT.encode("cp1256"), REPORT),
    "UTF-16 file": ("r.txt", REPORT.encode("utf-16"), REPORT),
    "UTF-32 file (four bytes a character)": ("r.txt", REPORT.encode("utf-32"), REPORT),
    "file of unknown kind": ("r.data", REPORT.encode("utf-8"), REPORT),
    "HTML page: its markup": ("p.html", PAGE.encode("utf-8"), PAGE),
    "HTML page in cp1256": ("p.html", PAGE_1256.encode("cp1256"), PAGE_1256),
    "jsonl record's text": ("r.jsonl", _record(text=REPORT), REPORT),
    "jsonl record's html": ("r.jsonl", _record(html=PAGE), PAGE),
    "gzip text file": ("r.txt.gz", gzip.compress(REPORT.encode("utf-8")), REPORT),
    "xz jsonl": ("r.jsonl.xz", lzma.compress(_record(text=REPORT)), REPORT),
    "stdin": ("-", REPORT.encode("utf-8"), REPORT),
    "stdin in UTF-16": ("-", REPORT.encode("utf-16"), REPORT),
    "stdin page, gzip": ("-", gzip.compress(PAGE.encode("utf-8")), PAGE),
    "stdin jsonl, gzip": ("-", gzip.compress(_record(text=REPORT)), REPORT),
}


@pytest.mark.parametrize("over", [False, True])
@pytest.mark.parametrize("kind", list(KINDS))
def test_limits_one_limit_in_utf8_bytes_for_every_input_kind(tmp_path: Path, kind: str, over: bool) -> None:
    """``--max-bytes`` counts a report as given, decoded, decompressed and written in UTF-8: a
    report of exactly the limit is read, one byte more is E104 naming it, whatever the input."""
    name, data, counted = KINDS[kind]
    size = len(counted.encode("utf-8"))
    stdin = io.BytesIO(data) if name == "-" else None
    if stdin is None:
        (tmp_path / name).write_bytes(data)
    path = name if name == "-" else str(tmp_path / name)
    [item] = list(read_inputs([path], stdin=stdin, max_bytes=size - 1 if over else size))
    if not over:
        assert isinstance(item, Article), str(getattr(item, "error", ""))
        return
    assert isinstance(item, InputFailure) and item.error.code == "E104"
    assert item.source == path + (":1" if ".jsonl" in name or "jsonl" in kind else "")
    assert str(item.error).startswith(f"{item.source}: [E104] report of ")
    assert str(item.error).endswith(f"is over the limit of {size - 1} bytes (--max-bytes)")


class _Stream(io.BytesIO):
    """Stdin of ``size`` bytes of reports, counting what was read of it."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.taken = 0

    def read(self, size: int | None = -1) -> bytes:
        out = super().read(size)
        self.taken += len(out)
        return out


def test_limits_default_refuses_reports_of_tens_and_hundreds_of_megabytes(tmp_path: Path) -> None:
    assert MAX_BYTES == 10_000_000 and Options().max_report_bytes == MAX_BYTES
    archive = tmp_path / "archive.txt"
    with archive.open("wb") as f:
        f.truncate(300_000_000)  # a sparse file: its size is known unread
    [failure] = list(read_inputs([str(archive)]))
    assert str(failure.error) == (f"{archive}: [E104] report of 300000000 bytes is over the limit of "
                                  "10000000 bytes (--max-bytes)")
    tens = ((REPORT + "\n") * (20_000_000 // len(REPORT.encode()))).encode("utf-8")
    stdin = _Stream(tens)
    [failure] = list(read_inputs(["-"], stdin=stdin))
    assert str(failure.error) == "-: [E104] report of more than 10000000 bytes is over the limit of 10000000 bytes " \
                                 "(--max-bytes)"
    assert stdin.taken <= MAX_BYTES + 4  # refused without reading the rest
    (tmp_path / "feed.txt.gz").write_bytes(gzip.compress(tens, 1))
    [failure] = list(read_inputs([str(tmp_path / "feed.txt.gz")]))
    assert failure.error.code == "E104" and failure.source == str(tmp_path / "feed.txt.gz")


# -- the time budget ----------------------------------------------------------------------------

def test_limits_time_budget_gives_up_a_long_report_e107(pipe: Pipeline) -> None:
    quick = Pipeline(Options(time_budget=0.3), pipe.lexicons, pipe.gazetteer)
    text = long_report(600_000)
    t0 = time.perf_counter()
    with pytest.raises(ReportTimeoutError) as info:
        quick.extract_article(Article("archive", text, None, None))
    assert time.perf_counter() - t0 < 10  # given up at the next section, not at the end
    assert str(info.value).startswith("archive: [E107] not read within the time budget of 0.3 s")
    assert quick.extract_text(REPORT, published="2019-03-12")  # the next report has its own budget


def test_limits_cli_time_budget_names_the_report_and_goes_on(tmp_path: Path, capsys) -> None:
    (tmp_path / "a_archive.txt").write_text(long_report(600_000), encoding="utf-8")
    (tmp_path / "b_report.txt").write_text(REPORT, encoding="utf-8")
    assert main(["extract", str(tmp_path), "-f", "jsonl", "--time-budget", "0.5"]) == 1
    captured = capsys.readouterr()
    [line] = _lines(captured.err)
    assert line.startswith("ahdath: a_archive: [E107] not read within the time budget of 0.5 s")
    assert {json.loads(x)["article_id"] for x in captured.out.splitlines()} == {"b_report"}


@pytest.mark.parametrize("value", ["0", "-1", "soon", "nan", "inf"])
def test_limits_cli_time_budget_usage_errors_exit_2(value: str, capsys) -> None:
    with pytest.raises(SystemExit) as info:
        main(["extract", "x.txt", "--time-budget", value])
    assert info.value.code == 2


# -- long reports ---------------------------------------------------------------------------------

def test_limits_sections_cover_the_text_at_line_breaks() -> None:
    text = long_report(50_000)
    spans = section_spans(text, 5_000)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:]))
    assert all(0 < e - s <= 5_000 for s, e in spans)
    assert all(text[e - 1] == "\n" for _s, e in spans[:-1])
    assert section_spans("x" * 2_500, 1_000) == [(0, 1_000), (1_000, 2_000), (2_000, 2_500)]


def test_limits_sentence_without_an_end_is_cut() -> None:
    text = "قصف " * 10_000
    spans = sentence_spans(text)
    assert len(spans) > 1 and all(e - s <= MAX_SENTENCE for s, e in spans)
    assert all(text[e - 1] == " " for _s, e in spans[:-1])  # cut after a space, never inside a word


def test_limits_long_report_offsets_slice_the_original(pipe: Pipeline) -> None:
    sectioned = Pipeline(Options(section_chars=20_000), pipe.lexicons, pipe.gazetteer)
    text = long_report(120_000)
    trace: list = []
    events = sectioned.extract_article(Article("long", text, None, None), trace)
    assert len(events) > 20
    for e in events:
        ev = e.evidence
        assert text[ev.start:ev.end] == ev.text
        for spans in ev.spans.values():
            assert all(text[s.start:s.end] == s.text for s in spans)
    assert trace and all(text[d.start:d.end] == d.text for d in trace)


def test_limits_long_cleaned_report_offsets_slice_the_input(pipe: Pipeline, tmp_path) -> None:
    """A long report that the reader cleans (CRLF, blank lines holding spaces): the sections'
    offsets, moved into the report and carried through the cleaning map, slice the file as given."""
    from ahdath.ingest.readers import read_inputs

    raw = long_report(60_000).replace("\n", "\r\n \r\n")
    path = tmp_path / "long.txt"
    path.write_bytes(raw.encode("utf-8"))
    (article,) = [a for a in read_inputs([path]) if isinstance(a, Article)]
    assert article.origin is not None and len(article.text) > 20_000
    sectioned = Pipeline(Options(section_chars=20_000), pipe.lexicons, pipe.gazetteer)
    trace: list = []
    events = sectioned.extract_article(article, trace)
    assert len(events) > 10
    for e in events:
        assert raw[e.evidence.start:e.evidence.end] == e.evidence.text
        for spans in e.evidence.spans.values():
            assert all(raw[s.start:s.end] == s.text for s in spans)
    assert trace and all(raw[d.start:d.end] == d.text for d in trace)


def test_limits_report_under_a_section_reads_as_before(pipe: Pipeline) -> None:
    text = long_report(15_000)
    whole = pipe.extract_text(text, published="2019-03-12")
    assert len(text) < pipe.options.section_chars
    sectioned = Pipeline(Options(section_chars=len(text)), pipe.lexicons, pipe.gazetteer)
    assert sectioned.extract_text(text, published="2019-03-12") == whole


# -- hostile input: no catastrophic backtracking, nothing quadratic ---------------------------------

HOSTILE = {
    "trigger word x100,000": "قصف " * 100_000,
    "trigger and side x50,000, one sentence": "قتل مسلحون " * 50_000,
    "1 MB single line": long_report(550_000, line_breaks=False),
    "1 MB single line, no punctuation": long_report(550_000, line_breaks=False).replace(".", " ").replace("،", " "),
    "dots and digits": "1." * 300_000 + "." * 300_000,
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_limits_hostile_text_finishes(pipe: Pipeline, name: str) -> None:
    t0 = time.perf_counter()
    pipe.extract_text(HOSTILE[name])
    assert time.perf_counter() - t0 < HOSTILE_SECONDS


def test_limits_deeply_nested_html_finishes() -> None:
    depth = 100_000
    html = ("<html><body>" + "<div>" * depth + "<p>قصفت الطائرات الحربية مدينة إدلب صباح اليوم</p>"
            + "</div>" * depth + "</body></html>")
    t0 = time.perf_counter()
    text, _info = html_to_text(html)
    assert time.perf_counter() - t0 < HOSTILE_SECONDS
    assert "قصفت الطائرات" in text
