"""The listings against a real server over the seeded store: every filter of /api/events, the map,
the stats, the queue, the suggestions, and the export of the current filter.

The seeded store (tests/web/webserver.py): SYR1 (Maarrat An Nu'man, 2024-03-12, two reports), SYR2
and SYR4 (Saraqab, 03-12 and 03-14), SYR3 (Tafas, Dar'a, 03-10, an IED), SYR5 (an unresolved
village in Idleb, precision 3, 03-15), SYR6 (an armed clash at Andan, Aleppo, 03-16)."""
from __future__ import annotations

import csv
import io
import json

import pytest
from webserver import Site, error_of

ALL = {"SYR1", "SYR2", "SYR3", "SYR4", "SYR5", "SYR6"}


def _ids(site: Site, query: str) -> set[str]:
    with site.client() as c:
        r = c.get(f"/api/events?per_page=500&{query}")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total"] == len(body["events"])
    return {e["event_id"] for e in body["events"]}


@pytest.mark.parametrize("query, expected", [
    ("", ALL),
    ("since=2024-03-12&until=2024-03-14", {"SYR1", "SYR2", "SYR4"}),
    ("since=2024-03-15", {"SYR5", "SYR6"}),
    ("type=Battles", {"SYR6"}),
    ("sub_type=Remote%20explosive/landmine/IED", {"SYR3"}),
    ("actor=russia", {"SYR1", "SYR2", "SYR4"}),
    ("admin1=Idleb", {"SYR1", "SYR2", "SYR4", "SYR5"}),
    ("admin1=حلب", {"SYR6"}),
    ("admin1=درعا", {"SYR3"}),
    ("country=Syria", ALL),
    ("country=Iraq", set()),
    ("bbox=36.0,32.0,36.2,33.0", {"SYR3"}),
    ("status=machine", ALL),
    ("status=final", set()),
    ("tag=unresolved_place", {"SYR5"}),
    ("tag=precision3", {"SYR5"}),
    ("q=سراقب", {"SYR2", "SYR4"}),
    ("q=Tafas", {"SYR3"}),
    ("conf_min=0.0&conf_max=1.0", ALL),
])
def test_web_listing_events_filters(site: Site, query: str, expected: set[str]) -> None:
    assert _ids(site, query) == expected


def test_web_listing_confidence_range_splits_the_events(site: Site) -> None:
    with site.client() as c:
        events = c.get("/api/events?per_page=500").json()["events"]
    cut = sorted(e["confidence"] for e in events)[len(events) // 2]
    low, high = _ids(site, f"conf_max={cut - 1e-9}"), _ids(site, f"conf_min={cut}")
    assert low | high == ALL and not low & high and low and high


@pytest.mark.parametrize("sort, key", [("event_date", "event_date"), ("fatalities", "fatalities"),
                                       ("confidence", "confidence"), ("event_id", "event_id")])
@pytest.mark.parametrize("order", ["asc", "desc"])
def test_web_listing_sorting_and_paging(site: Site, sort: str, key: str, order: str) -> None:
    with site.client() as c:
        pages = [c.get(f"/api/events?sort={sort}&order={order}&per_page=2&page={p}").json() for p in (1, 2, 3, 4)]
    assert [p["total"] for p in pages] == [6] * 4 and [len(p["events"]) for p in pages] == [2, 2, 2, 0]
    rows = [e for p in pages for e in p["events"]]
    assert {e["event_id"] for e in rows} == ALL
    values = [e[key] for e in rows]
    assert values == sorted(values, reverse=order == "desc") or key == "event_id"
    assert {"event_id", "status", "n_reports", "confidence", "tags", "updated_at"} <= set(rows[0])


def test_web_listing_map_points_are_compact_and_coarse_ones_are_circles(site: Site) -> None:
    with site.client() as c:
        points = c.get("/api/map").json()["points"]
        idleb = c.get("/api/map?admin1=Idleb").json()["points"]
    assert {p[0] for p in points} == ALL and all(len(p) == 7 for p in points)
    by_id = {p[0]: p for p in points}
    assert by_id["SYR5"][4] == 3 and by_id["SYR5"][5] == 50.0 and by_id["SYR5"][6].endswith("(2024-03-15)")
    assert by_id["SYR1"][4] == 1 and by_id["SYR1"][5] == 0.0
    assert by_id["SYR3"][1:4] == [pytest.approx(32.739, abs=0.01), pytest.approx(36.068, abs=0.01),
                                  "Explosions/Remote violence"]
    assert {p[0] for p in idleb} == {"SYR1", "SYR2", "SYR4", "SYR5"}


def test_web_listing_stats(site: Site) -> None:
    with site.client() as c:
        body = c.get("/api/stats").json()
        battles = c.get("/api/stats?type=Battles").json()
    assert body["total"] == 6
    assert body["per_type"] == {"Explosions/Remote violence": 5, "Battles": 1}
    assert body["per_admin1"] == {"Idleb": 4, "Dar'a": 1, "Aleppo": 1}
    assert {"date": "2024-03-12", "event_type": "Explosions/Remote violence", "n": 2} in body["per_day"]
    assert sum(d["n"] for d in body["per_day"]) == 6
    assert battles["total"] == 1 and battles["per_day"] == [{"date": "2024-03-16", "event_type": "Battles", "n": 1}]


def test_web_listing_queue_riskiest_first(site: Site) -> None:
    with site.client() as c:
        items = c.get("/api/queue?limit=10").json()["items"]
        two = c.get("/api/queue?limit=2").json()["items"]
    assert {i["event_id"] for i in items} <= ALL and items
    risks = [i["risk"] for i in items]
    assert risks == sorted(risks, reverse=True)
    assert "SYR5" in {i["event_id"] for i in items[:2]}  # unresolved place, precision 3, one source
    assert two == items[:2]


def test_web_listing_suggestions_shape(site: Site) -> None:
    with site.client() as c:
        body = c.get("/api/suggestions").json()
    for s in body["suggestions"]:
        assert {"a", "b", "score", "rule", "reasons"} <= set(s) and s["a"] != s["b"]


@pytest.mark.parametrize("fmt", ["acled-csv", "jsonl", "geojson"])
def test_web_listing_export_of_the_current_filter(site: Site, fmt: str) -> None:
    with site.client() as c:
        r = c.get(f"/api/export?format={fmt}&admin1=Idleb")
    assert r.status_code == 200, r.text
    manifest = json.loads(r.headers["x-ahdath-manifest"])
    assert manifest["format"] == fmt and manifest["events"] == 4 and manifest["filter"] == {"admin1": "Idleb"}
    assert manifest["engine_version"] and len(manifest["lexicon_version"]) == 16 and manifest["snapshot"].endswith("Z")
    assert "attachment" in r.headers["content-disposition"]
    if fmt == "acled-csv":
        ids = [row["event_id_cnty"] for row in csv.DictReader(io.StringIO(r.text))]
    elif fmt == "jsonl":
        ids = [json.loads(line)["event_id"] for line in r.text.splitlines()]
    else:
        ids = [f["id"] for f in r.json()["features"]]
    assert sorted(ids) == ["SYR1", "SYR2", "SYR4", "SYR5"]


def test_web_listing_export_rows_are_those_of_ahdath_export(site: Site, tmp_path, capsys) -> None:
    from ahdath.cli.main import main

    assert main(["export", "-f", "acled-csv", "--db", site.db_url, "--admin1", "Idleb", "-o",
                 str(tmp_path / "cli.csv")]) == 0
    with site.client() as c:
        web = c.get("/api/export?format=acled-csv&admin1=Idleb").text
    def rows(text: str) -> list[dict[str, str]]:
        return sorted(csv.DictReader(io.StringIO(text)), key=lambda r: r["event_id_cnty"])
    assert rows(web) == rows((tmp_path / "cli.csv").read_text(encoding="utf-8"))


def test_web_listing_export_parquet(site: Site, tmp_path) -> None:
    import pyarrow.parquet as pq

    with site.client() as c:
        r = c.get("/api/export?format=parquet&type=Battles")
    assert r.status_code == 200
    (tmp_path / "e.parquet").write_bytes(r.content)
    table = pq.read_table(tmp_path / "e.parquet")
    assert table.column("event_id").to_pylist() == ["SYR6"]


def test_web_listing_export_manifest(site: Site) -> None:
    with site.client() as c:
        body = c.get("/api/export/manifest?format=geojson&type=Battles").json()
    assert body["events"] == 1 and body["filter"] == {"event_type": "Battles"} and body["format"] == "geojson"


@pytest.mark.parametrize("path", ["/api/events", "/api/map", "/api/stats", "/api/queue", "/api/export"])
def test_web_listing_bad_filter_is_422_everywhere(site: Site, path: str) -> None:
    with site.client() as c:
        r = c.get(f"{path}?status=bogus")
    assert r.status_code == 422 and error_of(r)["code"] == "invalid"


@pytest.mark.parametrize("tag", ["unresolved_place", "precision3", "one_source", "low_confidence", "disagreement",
                                 "machine_updated"])
def test_web_listing_map_and_table_agree_for_every_tag(site: Site, tag: str) -> None:
    with site.client() as c:
        r = c.get(f"/api/map?tag={tag}")
        assert r.status_code == 200, r.text
        assert {p[0] for p in r.json()["points"]} == _ids(site, f"tag={tag}")
