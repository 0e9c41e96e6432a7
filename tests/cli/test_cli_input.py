"""Reading inputs from the command line: stdin sniffed, --input-format, legacy encodings, one line per failure."""
from __future__ import annotations

import io
import json
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
