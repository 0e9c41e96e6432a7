"""``ahdath gazetteer add | lookup | unresolved`` end to end, through ``ahdath.cli.main``.

Every test points the user data folder at its own tmp dir (XDG_DATA_HOME), so the user layer that
``add`` writes and ``Gazetteer.load`` reads is never the real one in the tester's home.
"""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from ahdath.cli.main import main
from ahdath.geo.store import default_store_dir

# invented villages: no gazetteer layer knows these names
VILLAGE = "جب الحواكير الشمالي"
VILLAGE_B = "مزرعة الطواحين القبلية"
VILLAGE_C = "تل المشاحير الجنوبي"
STRIKE = f"قصفت قوات النظام بالمدفعية الثقيلة قرية {VILLAGE} في ريف حماة الغربي صباح اليوم الأحد."


@pytest.fixture
def user_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user layer's folder, inside tmp_path."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("AHDATH_DB", raising=False)
    where = default_store_dir()
    if tmp_path not in where.parents:  # platformdirs reads XDG only on Linux and BSD
        pytest.skip(f"the user data folder ignores XDG_DATA_HOME here ({where})")
    return where


def _add(name: str, *extra: str, admin1: str = "Hama", lat: str = "35.1873", lon: str = "36.4126") -> list[str]:
    return ["gazetteer", "add", name, "--lat", lat, "--lon", lon, "--admin1", admin1,
            "--source", "reviewer map check", *extra]


def _events(capsys: pytest.CaptureFixture[str], report: Path, *extra: str) -> list[dict]:
    capsys.readouterr()
    assert main(["extract", "-f", "jsonl", "--published", "2024-04-14", str(report), *extra]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


# -- add ----------------------------------------------------------------------------------------

def test_gazetteer_cli_add_then_extract_places_the_event(user_dir: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "report.txt"
    report.write_text(STRIKE, encoding="utf-8")
    [before] = _events(capsys, report)
    assert "unresolved_place" in (before["tags"] or "") and before["geo_precision"] >= 2

    assert main(_add(VILLAGE, "--admin2", "Al-Suqaylabiyah", "--name-en", "Jubb al-Hawakir al-Shamali")) == 0
    assert f"in {user_dir / 'user.jsonl'}" in capsys.readouterr().out
    [after] = _events(capsys, report)
    assert (after["latitude"], after["longitude"], after["admin1"], after["admin2"]) == (
        35.1873, 36.4126, "Hama", "Al-Suqaylabiyah")
    assert after["location"] == "Jubb al-Hawakir al-Shamali" and after["geo_precision"] == 1
    assert "unresolved_place" not in (after["tags"] or "")


@pytest.mark.parametrize("second", [VILLAGE, "الجب الحواكير الشمالي", "جب الحواكير الشمالى"])
def test_gazetteer_cli_add_same_place_again_replaces_its_line(user_dir: Path, second: str,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main(_add(VILLAGE_B, admin1="Idleb", lat="35.7", lon="36.6")) == 0
    assert main(_add(VILLAGE)) == 0
    assert main(_add(second, admin1="حماة", lat="35.2", lon="36.4")) == 0  # same unit, another spelling
    assert "replaced user:" in capsys.readouterr().out
    rows = [json.loads(line) for line in (user_dir / "user.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["admin1"] for r in rows] == ["Idleb", "Hama"]  # replaced where it stood
    assert (rows[1]["latitude"], rows[1]["name_ar"], rows[1]["source"]) == (35.2, second, "user:reviewer map check")


def test_gazetteer_cli_add_same_name_other_unit_is_another_place(user_dir: Path) -> None:
    assert main(_add(VILLAGE)) == 0
    assert main(_add(VILLAGE, admin1="Homs", lat="34.8", lon="36.5")) == 0
    rows = (user_dir / "user.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(rows) == 2 and len({json.loads(r)["id"] for r in rows}) == 2


@pytest.mark.parametrize("argv, message", [
    (_add(VILLAGE, lat="95"), "latitude 95.0 is out of range"),
    (_add(VILLAGE, lon="-181"), "longitude -181.0 is out of range"),
    (_add(VILLAGE, lat="nan"), "latitude nan is out of range"),
    (_add(VILLAGE, admin1="Idlib"), "unknown admin1 'Idlib' for Syria (did you mean 'Idleb'?"),
    (_add(VILLAGE, admin1="Beirut"), "'Beirut' is a first-level unit of Lebanon, not Syria"),
    (_add(VILLAGE, "--country", "Narnia"), "unknown country 'Narnia'"),
    (_add(VILLAGE, "--kind", "admin2"), "unknown kind 'admin2'"),
    (_add(VILLAGE, "--kind", "town"), "unknown kind 'town'"),
    (_add(VILLAGE, "--source", "  "), "say where the place comes from"),
    (_add("  "), "a place needs a name"),
])
def test_gazetteer_cli_add_refuses_bad_arguments(user_dir: Path, argv: list[str], message: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("ahdath: ") and message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert not (user_dir / "user.jsonl").exists()


def test_gazetteer_cli_add_names_every_problem_at_once(user_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(_add(VILLAGE, "--kind", "town", lat="91", admin1="Narnia")) == 2
    err = capsys.readouterr().err
    assert "latitude" in err and "unknown kind" in err and "unknown admin1 'Narnia'" in err


def test_gazetteer_cli_add_into_a_team_folder_read_with_gazetteer(user_dir: Path, tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    team = tmp_path / "team-gazetteer"
    assert main(_add(VILLAGE, "--into", str(team))) == 0
    assert f"--gazetteer {team}" in capsys.readouterr().err
    assert (team / "user.jsonl").is_file() and not (user_dir / "user.jsonl").exists()
    report = tmp_path / "report.txt"
    report.write_text(STRIKE, encoding="utf-8")
    [alone] = _events(capsys, report)  # the team layer is read only when asked for
    assert "unresolved_place" in (alone["tags"] or "")
    [layered] = _events(capsys, report, "--gazetteer", str(team))
    assert (layered["latitude"], layered["longitude"]) == (35.1873, 36.4126)


# -- lookup -------------------------------------------------------------------------------------

def test_gazetteer_cli_lookup_several_names_json(user_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(_add(VILLAGE)) == 0
    capsys.readouterr()
    assert main(["gazetteer", "lookup", "--json", "حلب", VILLAGE, VILLAGE_C]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [d["name"] for d in lines] == ["حلب", VILLAGE, VILLAGE_C]
    assert any(c["name_en"] == "Aleppo" and c["admin1"] == "Aleppo" for c in lines[0]["found"])
    assert [c["id"] for c in lines[1]["found"]] == ["user:sy.hama.جب-حواكير-شمالي"]
    assert lines[2]["found"] == []
    assert all("names" not in c for d in lines for c in d["found"])


@pytest.mark.parametrize("names, status", [([VILLAGE_C], 1), ([VILLAGE_C, VILLAGE_B], 1), (["حمص", VILLAGE_C], 0)])
def test_gazetteer_cli_lookup_fails_only_when_nothing_found(user_dir: Path, names: list[str], status: int,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["gazetteer", "lookup", *names]) == status
    out = capsys.readouterr().out
    assert f"no place named {VILLAGE_C!r}" in out


def test_gazetteer_cli_lookup_stdin(user_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(f"دير الزور\n\n  {VILLAGE_C}  \nإدلب\n"))
    assert main(["gazetteer", "lookup", "--json", "-"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [d["name"] for d in lines] == ["دير الزور", VILLAGE_C, "إدلب"]  # blank lines skipped, names stripped
    assert [bool(d["found"]) for d in lines] == [True, False, True]


def test_gazetteer_cli_lookup_one_name_prints_as_before(user_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["gazetteer", "lookup", "إدلب"]) == 0
    first = capsys.readouterr().out.splitlines()[0].split("\t")
    assert first[0] == "إدلب" and len(first) == 7  # no query column for a single name
    assert main(["gazetteer", "lookup", "إدلب", "حمص"]) == 0
    rows = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    assert {r[0] for r in rows} == {"إدلب", "حمص"} and all(len(r) == 8 for r in rows)


# -- unresolved ---------------------------------------------------------------------------------

# two wordings: the same text twice would be one report to the store
_WORDINGS = ("قصفت قوات النظام بالمدفعية قرية {v} في ريف إدلب الجنوبي اليوم {d}.",
             "استهدفت قوات النظام بقذائف المدفعية قرية {v} بريف إدلب الجنوبي اليوم {d}.")


def _report(n: int, village: str, day: str, weekday: str, source: str) -> str:
    text = _WORDINGS[(n - 1) // 2 % 2].format(v=village, d=weekday)
    return json.dumps({"id": f"r{n}", "url": f"https://news.example/{n}", "published": day, "source": source,
                       "text": text}, ensure_ascii=False)


@pytest.fixture
def store(user_dir: Path, tmp_path: Path) -> str:
    """A store built by ``ahdath ingest``: VILLAGE_B in two incidents, VILLAGE_C in one incident two
    outlets told, VILLAGE in one report. The incidents are a week apart: an unresolved village is
    placed at its governorate's point, and two of them there on the same day would be one event."""
    reports = tmp_path / "reports.jsonl"
    reports.write_text("\n".join([
        _report(1, VILLAGE_C, "2024-05-02", "الخميس", "Outlet A"),
        _report(2, VILLAGE_B, "2024-05-12", "الأحد", "Outlet A"),
        _report(3, VILLAGE_C, "2024-05-02", "الخميس", "Outlet B"),
        _report(4, VILLAGE_B, "2024-05-20", "الاثنين", "Outlet B"),
        _report(5, VILLAGE, "2024-05-27", "الاثنين", "Outlet C"),
    ]) + "\n", encoding="utf-8")
    db = tmp_path / "events.sqlite"
    assert main(["ingest", "-q", str(reports), "--db", str(db)]) == 0
    return str(db)


def test_gazetteer_cli_unresolved_most_frequent_first_with_example(store: str,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["gazetteer", "unresolved", "--db", store, "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    # most events first; at equal events, most reports
    assert [(r["name"], r["events"], r["reports"]) for r in rows] == [
        (VILLAGE_B, 2, 2), (VILLAGE_C, 1, 2), (VILLAGE, 1, 1)]
    assert all(r["admin1"] == "Idleb" and r["country"] == "Syria" for r in rows)
    ex = rows[0]["example"]
    assert (ex["article_id"], ex["url"], ex["source"]) == ("r2", "https://news.example/2", "Outlet A")
    assert ex["event_id"].startswith("SYR") and f"قرية {VILLAGE_B}" in ex["evidence"]

    assert main(["gazetteer", "unresolved", "--db", store, "--limit", "1"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"2 events, 2 reports\t{VILLAGE_B}\tIdleb, Syria"
    assert out[1].split()[2:] == ["r2", "https://news.example/2"] and VILLAGE_B in out[2]
    assert len(out) == 3


def test_gazetteer_cli_unresolved_after_add_and_reextract(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(_add(VILLAGE_B, admin1="Idleb", lat="35.61", lon="36.70")) == 0
    assert main(["reextract", "-q", "--db", store]) == 0
    capsys.readouterr()
    assert main(["gazetteer", "unresolved", "--db", store, "--json"]) == 0
    names = [json.loads(line)["name"] for line in capsys.readouterr().out.splitlines()]
    assert names == [VILLAGE_C, VILLAGE]


@pytest.mark.parametrize("db", ["missing.sqlite", "no/such/folder/events.sqlite", "sqlite:///{tmp}/typo.sqlite"])
def test_gazetteer_cli_unresolved_mistyped_db_is_an_error_not_a_new_store(
        user_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, db: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    assert main(["gazetteer", "unresolved", "--db", db.format(tmp=tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "no database there (check --db)" in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_gazetteer_cli_unresolved_empty_store(user_dir: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "empty.sqlite")
    assert main(["db", "upgrade", "--db", db]) == 0
    assert main(["gazetteer", "unresolved", "--db", db]) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and "no unresolved place names" in captured.err
