"""``ahdath extract`` end to end: inputs, formats, failures and exit codes."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import time
from importlib import resources
from pathlib import Path

import pytest

from ahdath.cli.main import main
from ahdath.export import ACLED_COLUMNS

EXAMPLES = Path(str(resources.files("ahdath") / "data" / "examples"))
REPORT = ("اندلعت اشتباكات عنيفة بين فصائل المعارضة وقوات النظام على أطراف بلدة اللطامنة بريف حماة الشمالي، "
          "صباح اليوم الأربعاء، ما أسفر عن مقتل خمسة عناصر من قوات النظام.\n"
          "وقصفت المدفعية بلدة كفرزيتا المجاورة بعشرات القذائف.")


class _Stdin(io.TextIOWrapper):
    """A piped (non-terminal) stdin holding ``data``."""

    def __init__(self, data: bytes) -> None:
        super().__init__(io.BytesIO(data), encoding="utf-8")

    def isatty(self) -> bool:
        return False


def _failure_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("ahdath: ") and "[E" in line]


@pytest.fixture
def good(tmp_path: Path) -> Path:
    f = tmp_path / "lataminah.txt"
    f.write_text(REPORT, encoding="utf-8")
    return f


def test_cli_extract_examples_jsonl_exit_0(capsys) -> None:
    assert main(["extract", str(EXAMPLES), "--format", "jsonl", "--published", "2019-03-12"]) == 0
    out, err = capsys.readouterr()
    assert _failure_lines(err) == []
    for line in out.splitlines():  # whatever the engine finds is one event object a line
        assert json.loads(line)["article_id"] in {"brief-raqqa", "brief-azaz", "brief-hasakah", "daraa_tafas",
                                                  "idlib_kafranbel"}


def test_cli_extract_csv_header_is_exactly_acled(good: Path, capsys) -> None:
    assert main(["extract", str(good), "--format", "csv"]) == 0
    out, _ = capsys.readouterr()
    assert out.split("\n", 1)[0] == ",".join(ACLED_COLUMNS)
    assert all(len(row) == len(ACLED_COLUMNS) for row in csv.reader(io.StringIO(out)))


def test_cli_extract_geojson_is_a_feature_collection(good: Path, capsys) -> None:
    assert main(["extract", str(good), "-f", "geojson"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["type"] == "FeatureCollection"
    assert all(f["geometry"]["type"] == "Point" and len(f["geometry"]["coordinates"]) == 2 for f in doc["features"])


def test_cli_extract_table_has_header_and_count(good: Path, capsys) -> None:
    assert main(["extract", str(good), "--format", "table"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:2] == ["article", "date"] and lines[-1].endswith(("event", "events"))


def test_cli_extract_output_file_format_from_extension(good: Path, tmp_path: Path, capsys) -> None:
    target = tmp_path / "out" / "events.csv"
    target.parent.mkdir()
    assert main(["extract", str(good), "-o", str(target)]) == 0
    assert capsys.readouterr().out == ""
    assert target.read_text(encoding="utf-8").startswith("event_id_cnty,event_date,")


def test_cli_extract_unwritable_output_is_usage_error(good: Path, tmp_path: Path, capsys) -> None:
    assert main(["extract", str(good), "-o", str(tmp_path / "missing" / "x.jsonl")]) == 2
    assert "[E500]" in capsys.readouterr().err


def test_cli_extract_every_bad_input_named_once_and_rest_processed(tmp_path: Path, good: Path, capsys) -> None:
    bad = {
        "empty.txt": b"",
        "spaces.txt": b"  \n\n\t ",
        "binary.txt": b"\x00\x01\x02\x03\xfe\xff" * 100,
        "undecodable.txt": bytes(range(0x80, 0x100)) * 8,
        "english.txt": b"Five soldiers were killed near Latamneh on Wednesday.",
    }
    for name, data in bad.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "windows.txt").write_bytes(REPORT.encode("cp1256"))
    (tmp_path / "wide.txt").write_bytes(REPORT.encode("utf-16"))
    batch = tmp_path / "batch.jsonl"
    batch.write_text("\n".join([
        json.dumps({"id": "j1", "text": REPORT, "published": "2019-05-22"}, ensure_ascii=False),
        "{this is not json",
        json.dumps({"id": "j3", "text": REPORT}, ensure_ascii=False),
    ]) + "\n", encoding="utf-8")
    missing = tmp_path / "missing.txt"
    code = main(["extract", str(tmp_path), str(missing), "-f", "jsonl"])
    out, err = capsys.readouterr()
    assert code == 1
    failures = _failure_lines(err)
    assert sorted(failures) == sorted([
        f"ahdath: {tmp_path / 'binary.txt'}: [E102] " + failures_msg(failures, "binary.txt"),
        f"ahdath: {tmp_path / 'empty.txt'}: [E101] " + failures_msg(failures, "empty.txt"),
        f"ahdath: {tmp_path / 'english.txt'}: [E106] " + failures_msg(failures, "english.txt"),
        f"ahdath: {tmp_path / 'spaces.txt'}: [E101] " + failures_msg(failures, "spaces.txt"),
        f"ahdath: {tmp_path / 'undecodable.txt'}: [E103] " + failures_msg(failures, "undecodable.txt"),
        f"ahdath: {batch}:2: [E105] " + failures_msg(failures, "batch.jsonl:2"),
        f"ahdath: {missing}: [E100] " + failures_msg(failures, "missing.txt"),
    ])
    assert "Traceback" not in err
    ids = {json.loads(line)["article_id"] for line in out.splitlines()}
    assert ids <= {"j1", "j3", "windows", "wide", "lataminah"}


def failures_msg(lines: list[str], name: str) -> str:
    """The message part of the one failure line naming ``name`` (asserts there is exactly one)."""
    [line] = [x for x in lines if x.split(": [E")[0].endswith(name)]
    return line.split("] ", 1)[1]


def test_cli_extract_five_megabytes_in_bounded_time(tmp_path: Path) -> None:
    # A subprocess with a timeout: a super-linear stage fails this test instead of hanging the suite.
    # The engine runs at roughly 4 µs a character on this machine's cores (about 20 s for 5 MB);
    # a quadratic stage would take hours, so the bound leaves room for slower CI machines.
    f = tmp_path / "huge.txt"
    f.write_text((REPORT + "\n") * (5_000_000 // len(REPORT.encode())), encoding="utf-8")
    try:
        proc = subprocess.run([sys.executable, "-m", "ahdath.cli.main", "extract", str(f), "-f", "jsonl"],
                              capture_output=True, timeout=120)
    except subprocess.TimeoutExpired:
        pytest.fail("ahdath extract took over 120 s on a 5 MB report")
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")[-500:]
    assert proc.stdout.strip(), "the repeated report still yields its events"


def test_cli_extract_time_grows_linearly() -> None:
    from ahdath.pipeline import Options, Pipeline

    pipeline = Pipeline.from_options(Options())

    def seconds(copies: int) -> float:
        text = (REPORT + "\n") * copies
        t0 = time.perf_counter()
        pipeline.extract_text(text)
        return time.perf_counter() - t0

    seconds(20)  # warm caches
    small, large = seconds(200), seconds(800)
    assert large < 8 * small + 0.5, f"4x the text took {large / small:.1f}x the time"


def test_cli_extract_over_the_cap_is_e104(good: Path, capsys) -> None:
    assert main(["extract", str(good), "--max-bytes", "100"]) == 1
    [line] = _failure_lines(capsys.readouterr().err)
    assert "[E104]" in line


def test_cli_extract_reads_stdin_when_piped(monkeypatch, capsys) -> None:
    monkeypatch.setattr(sys, "stdin", _Stdin(REPORT.encode("utf-8")))
    assert main(["extract", "--format", "csv"]) == 0
    assert capsys.readouterr().out.startswith("event_id_cnty,")


def test_cli_extract_dash_reads_stdin_alongside_files(monkeypatch, good: Path, capsys) -> None:
    monkeypatch.setattr(sys, "stdin", _Stdin(b"   "))
    assert main(["extract", str(good), "-", "-f", "jsonl"]) == 1
    assert _failure_lines(capsys.readouterr().err) == ["ahdath: -: [E101] empty input"]


def test_cli_extract_no_input_on_a_terminal_is_usage_error(monkeypatch, capsys) -> None:
    class Tty(_Stdin):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdin", Tty(b""))
    assert main(["extract"]) == 2
    assert "[E500]" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [
    ["extract", "x.txt", "--format", "xml"],
    ["extract", "x.txt", "--published", "2019-02-30"],
    ["extract", "x.txt", "--published", "yesterday"],
    ["extract", "x.txt", "--max-bytes", "-5"],
])
def test_cli_extract_usage_errors_exit_2(argv: list[str], capsys) -> None:
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_cli_extract_console_script_subprocess(tmp_path: Path, good: Path) -> None:
    script = Path(sys.executable).parent / "ahdath"
    if not script.exists():
        pytest.skip("console script not installed in this environment")
    (tmp_path / "blank.txt").write_text(" ", encoding="utf-8")
    proc = subprocess.run([str(script), "extract", str(good), str(tmp_path / "blank.txt"), "--format", "csv",
                           "--published", "2019-03-13"],
                          capture_output=True, timeout=60, input=b"")
    assert proc.returncode == 1
    assert proc.stdout.decode("utf-8").startswith(",".join(ACLED_COLUMNS))
    assert proc.stderr.decode("utf-8").strip() == f"ahdath: {tmp_path / 'blank.txt'}: [E101] empty input"


EXPLAINED = ("نفت وزارة الدفاع قصف مستشفى في بلدة كفرنبل.\n"
             "قصفت قوات النظام صباح اليوم بلدة كفرنبل بقذائف المدفعية، ما أدى إلى مقتل ثلاثة مدنيين.\n")


def test_cli_extract_explain_lists_kept_and_dropped_with_reasons(tmp_path: Path, capsys) -> None:
    f = tmp_path / "two.txt"
    f.write_text(EXPLAINED, encoding="utf-8")
    assert main(["extract", str(f), "--format", "jsonl", "--explain", "--published", "2021-06-14"]) == 0
    out, err = capsys.readouterr()
    (event,) = [json.loads(line) for line in out.splitlines()]  # stdout stays clean data
    assert err.startswith("== two: 1 event(s)")
    kept = [line for line in err.splitlines() if line.strip().startswith("kept")]
    assert len(kept) == 1 and event["event_id"] in kept[0] and "confidence" in kept[0]
    dropped = [line for line in err.splitlines() if line.strip().startswith("dropped")]
    assert any("denial" in line for line in dropped)
    # each dropped line is followed by the words it was about, with their offsets in the report
    words = err.splitlines()[err.splitlines().index(dropped[0]) + 1].strip()
    span, text = words.split("] ", 1)
    start, end = map(int, span.lstrip("[").split(":"))
    assert EXPLAINED[start:end] == text


def test_cli_extract_min_confidence_filters_and_explains(tmp_path: Path, capsys) -> None:
    f = tmp_path / "two.txt"
    f.write_text(EXPLAINED, encoding="utf-8")
    assert main(["extract", str(f), "--format", "jsonl", "--published", "2021-06-14"]) == 0
    (event,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    above = min(0.99, event["confidence"] + 0.01)
    assert main(["extract", str(f), "--format", "jsonl", "--published", "2021-06-14", "--explain",
                 "--min-confidence", str(above)]) == 0
    out, err = capsys.readouterr()
    assert out == "" and "under --min-confidence" in err


@pytest.mark.parametrize("bad", ["1.5", "-0.1", "high"])
def test_cli_extract_min_confidence_must_be_a_share(bad: str, tmp_path: Path, capsys) -> None:
    f = tmp_path / "two.txt"
    f.write_text(EXPLAINED, encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        main(["extract", str(f), "--min-confidence", bad])
    assert exc.value.code == 2
    assert "confidence between 0 and 1" in capsys.readouterr().err


def test_cli_extract_csv_timestamp_empty_unless_given(good: Path, capsys, monkeypatch) -> None:
    """No clock in the output: two runs at different times give the same bytes."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert main(["extract", str(good), "--format", "csv", "--published", "2021-05-05"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows and {r["timestamp"] for r in rows} == {""}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1600000000")
    assert main(["extract", str(good), "--format", "csv", "--published", "2021-05-05"]) == 0
    assert {r["timestamp"] for r in csv.DictReader(io.StringIO(capsys.readouterr().out))} == {"1600000000"}
    assert main(["extract", str(good), "--format", "csv", "--timestamp", "1700000000",
                 "--published", "2021-05-05"]) == 0
    assert {r["timestamp"] for r in csv.DictReader(io.StringIO(capsys.readouterr().out))} == {"1700000000"}


@pytest.mark.parametrize("page, warned", [
    ("<html><body><article><p>{text}</p></article></body></html>", True),
    ('<html><head><script type="application/ld+json">{{"datePublished": "2020-02-03T08:00:00+03:00"}}</script>'
     "</head><body><article><p>{text}</p></article></body></html>", False),
    ('<html><head><meta property="article:published_time" content="2020-02-03"></head>'
     "<body><article><p>{text}</p></article></body></html>", False),
])
def test_cli_extract_undated_page_is_warned(tmp_path: Path, capsys, page: str, warned: bool) -> None:
    text = ("قتل أربعة مدنيين بينهم طفلان أمس الاثنين جراء قصف مدفعي استهدف الأحياء السكنية في مدينة معرة النعمان "
            "بريف إدلب الجنوبي، وفق ما أفاد به مراسلون محليون.")
    f = tmp_path / "page.html"
    f.write_text(page.format(text=text), encoding="utf-8")
    assert main(["extract", str(f), "--format", "jsonl"]) == 0
    out, err = capsys.readouterr()
    events = [json.loads(line) for line in out.splitlines()]
    assert events
    assert all((e["event_date"] is None) == warned for e in events)
    lines = [line for line in err.splitlines() if "warning" in line]
    assert len(lines) == (1 if warned else 0), err
    if warned:
        assert lines[0].startswith("ahdath: page: warning: no publication date") and "--published" in lines[0]


@pytest.mark.parametrize("source", ['=HYPERLINK("https://evil.example","اضغط")', "+1+1", "-2+3", "@SUM(1)"])
def test_cli_extract_csv_escapes_a_source_that_would_run_as_a_formula(tmp_path: Path, source: str, capsys) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"id": "r1", "published": "2021-05-05", "source": source, "text": REPORT},
                               ensure_ascii=False) + "\n", encoding="utf-8")
    assert main(["extract", str(feed), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows and {r["source"] for r in rows} == {"'" + source}
    assert all(r["latitude"] == "" or float(r["latitude"]) for r in rows)  # numbers are left as numbers
