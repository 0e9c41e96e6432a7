"""Gazetteer store: lookups, admin1, the compiled file, imports, CLI, and agreement with references."""
from __future__ import annotations

import argparse
import csv
import json
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ahdath.cli import gazetteer as gz_cli
from ahdath.errors import GazetteerError
from ahdath.geo import Gazetteer, distance_km, name_key
from ahdath.geo.importers import import_file
from ahdath.geo.records import is_arabic_name


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load(user_store=False)


@pytest.mark.parametrize("spelling, en", [
    ("دير الزور", "Deir ez-Zor"),
    ("ديرالزور", "Deir ez-Zor"),
    ("الرقة", "Ar-Raqqa"),
    ("الرقه", "Ar-Raqqa"),
    ("رقة", "Ar-Raqqa"),
    ("إدلب", "Idleb"),
    ("ادلب", "Idleb"),
    ("أعزاز", "Azaz"),
    ("اعزاز", "Azaz"),
    ("حماه", "Hama"),
    ("Deir ez-Zor", "Deir ez-Zor"),
    ("deir ez zor", "Deir ez-Zor"),
    ("البوكمال", "Abu Kamal"),
])
def test_gazetteer_lookup_any_spelling(gaz: Gazetteer, spelling: str, en: str) -> None:
    found = gaz.lookup(spelling)
    assert found, spelling
    assert found[0].name_en == en
    assert found[0].kind == "populated"


def test_gazetteer_lookup_ambiguous_name_lists_every_candidate(gaz: Gazetteer) -> None:
    found = gaz.lookup("الجنينة")
    assert {(r.country, r.admin1) for r in found} >= {("Syria", "Deir ez-Zor"), ("Sudan", "West Darfur")}


def test_gazetteer_lookup_unknown_is_empty(gaz: Gazetteer) -> None:
    assert gaz.lookup("قرية لا وجود لها") == ()
    assert gaz.lookup("") == ()


@pytest.mark.parametrize("query", ["Deir ez-Zor", "deir ez-zor", "SY09", "SY.07", "دير الزور", "ديرالزور"])
def test_gazetteer_admin1_by_name_or_code(gaz: Gazetteer, query: str) -> None:
    rec = gaz.admin1(query)
    assert rec is not None and rec.admin1 == "Deir ez-Zor" and rec.kind == "admin1"


def test_gazetteer_admin1_covers_the_fourteen_governorates(gaz: Gazetteer) -> None:
    names = ["Aleppo", "Al-Hasakeh", "Ar-Raqqa", "As-Sweida", "Damascus", "Dar'a", "Deir ez-Zor", "Hama",
             "Homs", "Idleb", "Lattakia", "Quneitra", "Rural Damascus", "Tartous"]
    for n in names:
        rec = gaz.admin1(n)
        assert rec is not None and rec.admin1 == n and rec.iso == 760
    assert gaz.admin1("nowhere") is None


def test_gazetteer_neighbourhood_points_to_its_town(gaz: Gazetteer) -> None:
    jura = next(r for r in gaz.lookup("الجورة") if r.kind == "neighbourhood")
    town = gaz.get(jura.parent_id or "")
    assert town is not None and town.name_en == "Deir ez-Zor"
    assert (jura.latitude, jura.longitude) == (town.latitude, town.longitude)


def test_gazetteer_records_are_well_formed(gaz: Gazetteer) -> None:
    for r in gaz.records:
        assert r.kind in {"populated", "neighbourhood", "facility", "region", "admin1", "admin2", "admin3"}
        assert r.source.startswith(("curated:", "geonames:", "user:"))
        if r.latitude is not None:
            assert -90 <= r.latitude <= 90 and -180 <= r.longitude <= 180
        if r.country == "Syria" and r.kind == "populated":
            assert r.admin1 is not None, r


def test_gazetteer_loads_the_compiled_file_fast_and_small() -> None:
    import tracemalloc

    tracemalloc.start()
    t0 = time.perf_counter()
    gaz = Gazetteer.load(user_store=False)
    took = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert gaz.lookup("حلب") and len(gaz) > 50_000
    # generous bounds (a shared CI machine): the figures are printed by benchmarks/throughput.py
    assert took < 3.0 and peak < 200e6


def test_gazetteer_missing_or_corrupt_compiled_file_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(GazetteerError, match="missing"):
        Gazetteer.load(compiled=tmp_path / "none.tsv.gz", user_store=False)
    bad = tmp_path / "bad.tsv.gz"
    bad.write_bytes(b"not gzip")
    with pytest.raises(GazetteerError, match="cannot read"):
        Gazetteer.load(compiled=bad, user_store=False)


def _dump_row(gid: str, name: str, alt: str, lat: str, lon: str, fclass: str, fcode: str, cc: str,
              a1: str) -> str:
    return "\t".join([gid, name, name, alt, lat, lon, fclass, fcode, cc, "", a1, "", "", "", "1200", "", "300",
                      "Asia/Damascus", "2024-01-01"])


def test_gazetteer_import_geonames_dump_is_layered(tmp_path: Path) -> None:
    dump = tmp_path / "SY.txt"
    dump.write_text(_dump_row("9900001", "Khirbat Tajriba", "Khirbat Tajriba,خربة تجربة", "35.1", "40.2", "P",
                              "PPL", "SY", "07") + "\n", encoding="utf-8")
    target, n = import_file(dump, tmp_path / "store")
    assert n == 1 and target.is_file()
    gaz = Gazetteer.load([tmp_path / "store"], user_store=False)
    rec = gaz.lookup("خربه تجربه")
    assert rec and rec[0].admin1 == "Deir ez-Zor" and rec[0].source == "geonames:9900001"


def test_gazetteer_import_opensyria_records(tmp_path: Path) -> None:
    doc = [{"id": "sy-x-y", "governorateId": "sy-x", "name": {"en": "Test District", "ar": "منطقة تجريبية"},
            "aliases": [], "centroid": {"latitude": 35.0, "longitude": 40.0},
            "externalIds": {"ochaPcode": "SY0999"}}]
    src = tmp_path / "districts.json"
    src.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    _, n = import_file(src, tmp_path / "store")
    rec = Gazetteer.load([tmp_path / "store"], user_store=False).lookup("Test District")
    assert n == 1 and rec[0].kind == "admin2" and rec[0].admin1 == "Deir ez-Zor"


@pytest.mark.parametrize("name, content, fmt", [
    ("bad.txt", "only one column\n", None),
    ("bad.json", "{broken", None),
    ("list.json", '[{"x": 1}]', None),
    ("obj.json", '{"x": 1}', "opensyria"),
    ("coords.txt", _dump_row("1", "A", "", "north", "40", "P", "PPL", "SY", "07") + "\n", "geonames"),
    ("empty.txt", "", None),
])
def test_gazetteer_import_bad_files_raise_one_line(tmp_path: Path, name: str, content: str, fmt: str | None) -> None:
    p = tmp_path / name
    p.write_text(content, encoding="utf-8")
    with pytest.raises(GazetteerError) as exc:
        import_file(p, tmp_path / "store", fmt)
    assert "\n" not in str(exc.value) and str(exc.value).count("[E300]") == 1


def test_gazetteer_import_missing_file(tmp_path: Path) -> None:
    with pytest.raises(GazetteerError):
        import_file(tmp_path / "nope.txt", tmp_path / "store")


def _cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="ahdath")
    gz_cli.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    return int(args.run(args))


def test_gazetteer_cli_import_and_lookup(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dump = tmp_path / "SY.txt"
    dump.write_text(_dump_row("9900002", "Tell Tajriba", "تل تجربة", "35.2", "40.1", "P", "PPL", "SY", "07") + "\n",
                    encoding="utf-8")
    assert _cli(["gazetteer", "import", str(dump), "--into", str(tmp_path / "s")]) == 0
    assert "imported 1 places" in capsys.readouterr().out
    assert _cli(["gazetteer", "lookup", "تل تجربه", "--store", str(tmp_path / "s")]) == 0
    out = capsys.readouterr().out
    assert "Tell Tajriba" in out and "Deir ez-Zor" in out and "geonames:9900002" in out
    assert _cli(["gazetteer", "lookup", "لا شيء هنا"]) == 1


def test_gazetteer_name_key_is_clitic_free_of_article() -> None:
    assert name_key("الرَّقَّة") == name_key("رقه") == name_key("الرقه")
    assert name_key("Al-Bab") == name_key("bab")


# -- agreement with the shared references (Open-Syria admin units, GeoNames extract) ------------

_TOWN_KM = 15.0
_ADMIN1_KM = 90.0


def test_gazetteer_curated_coordinates_agree_with_references(gaz: Gazetteer, shared_dir: Path) -> None:
    ref = shared_dir / "data" / "gazetteer"
    codes = {"01": "Al-Hasakeh", "02": "Lattakia", "03": "Quneitra", "04": "Ar-Raqqa", "05": "As-Sweida",
             "06": "Dar'a", "07": "Deir ez-Zor", "08": "Rural Damascus", "09": "Aleppo", "10": "Hama",
             "11": "Homs", "12": "Idleb", "13": "Damascus", "14": "Tartous"}
    towns: dict[tuple[str, str], list[tuple[float, float]]] = {}
    with open(ref / "geonames_cities500_SY_IQ_YE_LY_SD.tsv", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if row["country"] != "SY":
                continue
            for n in row["arabic_script_names"].split("|"):
                if n:
                    towns.setdefault((name_key(n), codes.get(row["admin1code"], "")), []).append(
                        (float(row["lat"]), float(row["lon"])))
    checked, bad = 0, []
    for r in gaz.records:
        if not r.source.startswith("curated:") or r.kind != "populated" or r.country != "Syria":
            continue
        for n in r.names:
            refs = towns.get((name_key(n), r.admin1 or ""))
            if refs:
                checked += 1
                d = min(distance_km(r.latitude, r.longitude, la, lo) for la, lo in refs)
                if d > _TOWN_KM:
                    bad.append(f"{r.id}: {d:.1f} km from GeoNames")
                break
    governorates = json.loads((ref / "governorates.json").read_text(encoding="utf-8"))
    for g in governorates:
        rec = gaz.admin1(g["externalIds"]["ochaPcode"])
        assert rec is not None, g["name"]["en"]
        checked += 1
        d = distance_km(rec.latitude, rec.longitude, g["centroid"]["latitude"], g["centroid"]["longitude"])
        if d > _ADMIN1_KM:
            bad.append(f"{rec.id}: {d:.1f} km from Open-Syria centroid")
    assert checked >= 40
    assert not bad, bad


# -- Arabic names only: Kurdish, Persian and Urdu spellings are not indexed as Arabic ---------


@pytest.mark.parametrize("name, ok", [
    ("بغداد", True),
    ("أبو كمال", True),
    ("إدلب", True),
    ("مؤتة", True),
    ("جديدة عرطوز", True),
    ("bەghdad", False),
    ("فەلوجە", False),
    ("تێل ئەڤیڤ", False),
    ("کرمانشاه", False),
    ("چمچمال", False),
    ("Baghdad", False),
    ("", False),
])
def test_gazetteer_is_arabic_name(name: str, ok: bool) -> None:
    assert is_arabic_name(name) is ok


@given(st.text(max_size=30))
def test_gazetteer_is_arabic_name_rejects_latin_mixes(s: str) -> None:
    if any("a" <= c.lower() <= "z" for c in s):
        assert not is_arabic_name(s)


def test_gazetteer_geonames_name_ar_is_never_kurdish_or_persian(gaz: Gazetteer) -> None:
    for r in gaz.records:
        if r.source.startswith("geonames:") and r.name_ar is not None:
            assert is_arabic_name(r.name_ar), r
    baghdad = [r for r in gaz.lookup("بغداد") if r.country == "Iraq"]
    assert baghdad and baghdad[0].name_ar == "بغداد"


def test_gazetteer_import_extract_skips_kurdish_spellings(tmp_path: Path) -> None:
    extract = tmp_path / "cities.tsv"
    extract.write_text("geonameid\tcountry\tadmin1code\tname\tarabic_script_names\tlat\tlon\tpopulation\n"
                       "9900002\tIQ\t07\tTall Hamid\tتێل حەمید|تل حميد\t33.3\t44.4\t1200\n", encoding="utf-8")
    import_file(extract, tmp_path / "store", "geonames")
    gaz = Gazetteer.load([tmp_path / "store"], user_store=False)
    rec = gaz.get("geonames:9900002")
    assert rec is not None and rec.name_ar == "تل حميد"
    assert all(is_arabic_name(n) or n.isascii() for n in rec.names)
