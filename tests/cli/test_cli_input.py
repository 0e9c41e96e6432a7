"""Reading inputs from the command line: stdin sniffed, --input-format, legacy encodings, one line per failure."""
from __future__ import annotations

import gzip
import io
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from ahdath.cli.main import main

LATAMNEH = ("اندلعت اشتباكات عنيفة بين فصائل المعارضة وقوات النظام على أطراف بلدة اللطامنة بريف حماة الشمالي، "
            "صباح اليوم الأربعاء، ما أسفر عن مقتل خمسة عناصر من قوات النظام.")
KAFRANBEL = "قصفت طائرات حربية بلدة كفرنبل في ريف إدلب الجنوبي صباح اليوم الثلاثاء، ما أدى إلى مقتل ثلاثة مدنيين."
JSONL = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in [
    {"id": "lat", "text": LATAMNEH, "published": "2019-05-22"},
    {"id": "kaf", "text": KAFRANBEL, "published": "2019-06-04"},
])


class _Stdin(io.TextIOWrapper):
    def __init__(self, data: bytes) -> None:
        super().__init__(io.BytesIO(data), encoding="utf-8")

    def isatty(self) -> bool:
        return False


def _events(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines()]


def _ahdath() -> list[str]:
    script = Path(sys.executable).parent / "ahdath"
    return [str(script)] if script.exists() else [sys.executable, "-m", "ahdath.cli.main"]


def test_cli_input_jsonl_piped_to_extract_is_one_report_a_line() -> None:
    proc = subprocess.run([*_ahdath(), "extract", "-", "-f", "jsonl"], input=JSONL.encode("utf-8"),
                          capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()
    events = _events(proc.stdout.decode("utf-8"))
    assert {e["article_id"] for e in events} == {"lat", "kaf"}
    assert {e["article_id"]: e["event_date"] for e in events} == {"lat": "2019-05-22", "kaf": "2019-06-04"}


@pytest.mark.parametrize("fmt, ids", [("auto", {"lat", "kaf"}), ("jsonl", {"lat", "kaf"})])
def test_cli_input_format_on_extract(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture, fmt: str,
                                     ids: set[str]) -> None:
    monkeypatch.setattr(sys, "stdin", _Stdin(JSONL.encode("utf-8")))
    assert main(["extract", "--input-format", fmt, "-f", "jsonl"]) == 0
    assert {e["article_id"] for e in _events(capsys.readouterr().out)} == ids


def test_cli_input_format_text_keeps_the_old_reading(monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture) -> None:
    monkeypatch.setattr(sys, "stdin", _Stdin(JSONL.encode("utf-8")))
    main(["extract", "-", "--input-format", "text", "-f", "jsonl"])
    assert {e["article_id"] for e in _events(capsys.readouterr().out)} <= {"stdin"}


@pytest.mark.parametrize("data, fmt, line", [
    (JSONL + "{broken\n", "auto", "ahdath: -: [E105] looks like JSON, but line 3 "),
    (JSONL + "{broken\n", "jsonl", "ahdath: -:3: [E105] not valid JSON"),
    (JSONL + '{"id": "x", "body": "قصف"}\n', "jsonl", "ahdath: -:3: [E105] needs 'text' or 'html'"),
])
def test_cli_input_bad_stdin_is_one_line_exit_1(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture,
                                               data: str, fmt: str, line: str) -> None:
    monkeypatch.setattr(sys, "stdin", _Stdin(data.encode("utf-8")))
    assert main(["extract", "--input-format", fmt, "-f", "jsonl"]) == 1
    out, err = capsys.readouterr()
    [failure] = [x for x in err.splitlines() if x.startswith("ahdath: ")]
    assert failure.startswith(line) and "Traceback" not in err
    assert {e["article_id"] for e in _events(out)} == (set() if fmt == "auto" else {"lat", "kaf"})


def test_cli_input_jsonl_piped_to_ingest(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/events.sqlite"
    proc = subprocess.run([*_ahdath(), "ingest", "-", "-q", "--db", url], input=JSONL.encode("utf-8"),
                          capture_output=True, timeout=180)
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 0, err
    assert "reports: 2 new, 0 unchanged, 0 failed" in err
    shown = subprocess.run([*_ahdath(), "export", "--db", url, "-o", str(tmp_path / "e.jsonl")],
                           capture_output=True, timeout=120)
    assert shown.returncode == 0, shown.stderr.decode()
    rows = _events((tmp_path / "e.jsonl").read_text(encoding="utf-8"))
    assert {r["event_date"] for r in rows} == {"2019-05-22", "2019-06-04"}


def test_cli_input_format_on_ingest_reads_html_stdin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture) -> None:
    page = ('<html><head><script type="application/ld+json">{"@type": "NewsArticle", "datePublished": '
            f'"2019-05-22T07:00:00+03:00"}}</script></head><body><article><p>{LATAMNEH}</p></article></body></html>')
    monkeypatch.setattr(sys, "stdin", _Stdin(page.encode("utf-8")))
    assert main(["ingest", "-q", "--input-format", "html", "--db", f"sqlite:///{tmp_path}/e.sqlite"]) == 0
    assert "reports: 1 new" in capsys.readouterr().err


@pytest.mark.parametrize("encoding", ["iso8859_6", "cp720"])
def test_cli_input_arabic_code_pages_and_an_uncertain_file(tmp_path: Path, capsys: pytest.CaptureFixture,
                                                          encoding: str) -> None:
    text = LATAMNEH.replace("،", ",") if encoding == "cp720" else LATAMNEH
    (tmp_path / "old.txt").write_bytes(text.encode(encoding))
    (tmp_path / "tiny.txt").write_bytes("كلب".encode(encoding))  # three letters: two code pages read Arabic
    assert main(["extract", str(tmp_path), "-f", "jsonl", "--published", "2019-05-22"]) == 1
    out, err = capsys.readouterr()
    assert {e["article_id"] for e in _events(out)} == {"old"}
    [failure] = [x for x in err.splitlines() if x.startswith("ahdath: ")]
    assert failure.startswith(f"ahdath: {tmp_path / 'tiny.txt'}: [E103] encoding uncertain")


@pytest.mark.parametrize("command", ["extract", "ingest"])
def test_cli_input_format_must_be_known(command: str, capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as info:
        main([command, "x.txt", "--input-format", "xml"])
    assert info.value.code == 2 and "--input-format" in capsys.readouterr().err


def _gzip_named(data: bytes, name: str) -> bytes:
    """Gzip as the gzip tool writes it, the file's name in the header (so no NUL among the first bytes)."""
    buf = io.BytesIO()
    with gzip.GzipFile(filename=name, mode="wb", fileobj=buf, mtime=0) as f:
        f.write(data)
    return buf.getvalue()


def _shuffled_reports(n: int) -> bytes:
    rng = random.Random(11)
    words = (LATAMNEH + " " + KAFRANBEL).split()
    return "".join(json.dumps({"id": f"f{i}", "text": " ".join(rng.sample(words, len(words))),
                               "published": "2019-06-04"}, ensure_ascii=False) + "\n"
                   for i in range(n)).encode("utf-8")


@pytest.mark.parametrize("command", ["extract", "ingest"])
def test_cli_input_bad_compressed_file_is_one_line_and_the_others_are_read(
        tmp_path: Path, capsys: pytest.CaptureFixture, command: str) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    records = JSONL.encode("utf-8")
    (folder / "a.jsonl.gz").write_bytes(gzip.compress(records))
    (folder / "b.jsonl").write_bytes(_gzip_named(records.replace(b'"lat"', b'"b-lat"').replace(b'"kaf"', b'"b-kaf"'),
                                                 "b.jsonl"))  # gzip bytes under a plain name
    whole = gzip.compress((LATAMNEH + "\n").encode("utf-8") * 50)
    (folder / "c.txt.gz").write_bytes(whole[: len(whole) // 2])  # truncated
    packed = _gzip_named(_shuffled_reports(150), "f.jsonl")
    mid = len(packed) * 2 // 3
    (folder / "f.jsonl.gz").write_bytes(packed[:mid] + bytes(b ^ 0x5A for b in packed[mid:mid + 64])
                                        + packed[mid + 64:])  # corrupt: deflate decodes garbage up to the CRC
    (folder / "g.txt.bz2").write_bytes(b"BZh91AY&SY" + bytes(range(256)) * 4)  # corrupt from the start
    argv = [command, str(folder), "--published", "2019-06-04"]
    argv += ["-f", "jsonl"] if command == "extract" else ["-q", "--db", f"sqlite:///{tmp_path}/e.sqlite"]
    assert main(argv) == 1
    out, err = capsys.readouterr()
    failed = sorted(line for line in err.splitlines() if line.startswith("ahdath: ") and "[E" in line)
    assert [line.split(": [")[0] for line in failed] == [
        f"ahdath: {folder / name}" for name in ("c.txt.gz", "f.jsonl.gz", "g.txt.bz2")]
    assert all("[E105]" in line for line in failed), failed
    assert "Traceback" not in err
    if command == "extract":
        ids = {e["article_id"] for e in _events(out)}
        assert {"lat", "kaf", "b-lat", "b-kaf"} <= ids and "f0" in ids
    else:
        [summary] = [line for line in err.splitlines() if line.startswith("ahdath: reports: ")]
        new = int(summary.split("reports: ")[1].split(" new")[0])
        assert new > 4 + 50 and "3 failed" in summary  # a, b and the reports of f before its damage


@pytest.mark.parametrize("command", ["extract", "ingest"])
def test_cli_input_compressed_stdin(tmp_path: Path, command: str) -> None:
    args = ["-f", "jsonl"] if command == "extract" else ["-q", "--db", f"sqlite:///{tmp_path}/e.sqlite"]
    proc = subprocess.run([*_ahdath(), command, "-", *args], input=_gzip_named(JSONL.encode("utf-8"), "x.jsonl"),
                          capture_output=True, timeout=180)
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 0, err
    if command == "extract":
        assert {e["article_id"] for e in _events(proc.stdout.decode("utf-8"))} == {"lat", "kaf"}
    else:
        assert "reports: 2 new, 0 unchanged, 0 failed" in err


def test_cli_input_progress_total_counts_reports_and_gives_up_on_compressed(tmp_path: Path) -> None:
    """The ingest bar's total: lines of JSON lines, one per other report; unknown (None) once a file is
    compressed, told by its bytes, not its name (decompressing it twice would double the work)."""
    import gzip
    import json

    from ahdath.cli.ingest import _count_reports

    (tmp_path / "a.jsonl").write_text("".join(json.dumps({"id": str(i), "text": "نص"}) + "\n" for i in range(3)),
                                      encoding="utf-8")
    (tmp_path / "b.txt").write_text("نص التقرير", encoding="utf-8")
    assert _count_reports([str(tmp_path)]) == 4
    (tmp_path / "c.jsonl").write_bytes(gzip.compress(b'{"id": "1", "text": "x"}\n' * 5))
    assert _count_reports([str(tmp_path)]) is None and _count_reports([str(tmp_path / "a.jsonl")]) == 3
