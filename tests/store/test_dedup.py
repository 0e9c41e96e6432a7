"""Cross-report deduplication: ACLED's unit of an event across reports, the rules file, the index."""
from __future__ import annotations

import math
import re
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ahdath.errors import StoreError
from ahdath.store.dedup import (
    DedupIndex,
    DedupRules,
    EventKey,
    best_match,
    compare,
    data_path,
    haversine_km,
)

GUIDELINES = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus" / "GUIDELINES.md"
DAY = date(2016, 5, 14)
RUSSIA = "Military Forces of Russia (2000-)"
REGIME = "Military Forces of Syria (2000-2024)"
ISIS = "Islamic State (Syria)"
UNKNOWN = "Unidentified Armed Group (Syria)"
ISRAEL = "Military Forces of Israel (2022-)"
SYR_POLICE = "Police Forces of Syria (2024-)"
MAYADIN = (35.0207, 40.4517)
EVENT_TYPE = {"Armed clash": "Battles", "Non-state actor overtakes territory": "Battles",
              "Government regains territory": "Battles", "Attack": "Violence against civilians",
              "Air/drone strike": "Explosions/Remote violence",
              "Shelling/artillery/missile attack": "Explosions/Remote violence",
              "Non-violent transfer of territory": "Strategic developments"}


@pytest.fixture(scope="module")
def rules() -> DedupRules:
    return DedupRules.from_data()


def east(km: float, lat: float = MAYADIN[0], lon: float = MAYADIN[1]) -> tuple[float, float]:
    """A point ``km`` due east (along the parallel; close enough to a great circle at these distances)."""
    return lat, lon + math.degrees(km / (6371.0088 * math.cos(math.radians(lat))))


def key(ref: int = 1, **changes: object) -> EventKey:
    """A Russian air strike on Mayadin, told by report ``ref``."""
    base = EventKey(ref=ref, iso=760, event_date=DAY, time_precision=1, event_type="Explosions/Remote violence",
                    sub_event_type="Air/drone strike", actor1=RUSSIA, actor2=ISIS, admin1="Deir ez-Zor",
                    location="Mayadin", latitude=MAYADIN[0], longitude=MAYADIN[1], geo_precision=1,
                    fatalities=0, report_refs=frozenset({ref}))
    if "sub_event_type" in changes and "event_type" not in changes:
        changes["event_type"] = EVENT_TYPE[str(changes["sub_event_type"])]
    return replace(base, **changes)  # type: ignore[arg-type]


def undated(ref: int, lo: date | None, hi: date | None, basis: str | None, **changes: object) -> EventKey:
    """``key(ref)`` with no date of its own, dated by its report's window ``lo..hi`` (counted back from
    the report's publication or ingest day, ``basis``)."""
    return key(ref, event_date=None, window=(lo, hi) if lo and hi else None, window_basis=basis, **changes)


def clash(ref: int, **changes: object) -> EventKey:
    return key(ref, **{"sub_event_type": "Armed clash", "actor1": REGIME, "actor2": ISIS, **changes})


far = east(30)
near = east(4)
CASES = [
    ("same strike, two outlets", key(1), key(2), True, "same place (Mayadin)"),
    ("next-day report", key(1), key(2, event_date=DAY + timedelta(days=1)), True, "(1 day apart)"),
    ("two days apart", key(1), key(2, event_date=DAY + timedelta(days=2)), False, "2 days apart (more than 1)"),
    ("30 km apart", key(1), key(2, location="Al-Asharah", latitude=far[0], longitude=far[1]), False,
     "are 30.0 km apart (more than 10 km)"),
    ("4 km apart, another name", key(1), key(2, location="Al-Quriyah", latitude=near[0], longitude=near[1]), True,
     "nearby places (Mayadin and Al-Quriyah, 4.0 km apart)"),
    ("same name without coordinates", key(1), key(2, latitude=None, longitude=None, geo_precision=None), True,
     "same place (Mayadin)"),
    ("Arabic name, spelling variants", key(1, location="إدلب", latitude=None, longitude=None),
     key(2, location="ادلب", latitude=None, longitude=None), True, "same place (إدلب)"),
    ("different named attackers", key(1), key(2, actor1=REGIME), False, f"actor1 differs ({RUSSIA} and {REGIME})"),
    ("swapped roles in a battle", clash(1), clash(2, actor1=ISIS, actor2=REGIME), True,
     f"roles swapped ({REGIME} and {ISIS})"),
    ("swapped roles, other side unknown", clash(1), clash(2, actor1=ISIS, actor2=None), True, "roles swapped"),
    ("swapped roles in shelling are two events", key(1, sub_event_type="Shelling/artillery/missile attack",
                                                     actor1=REGIME),
     key(2, sub_event_type="Shelling/artillery/missile attack", actor1=ISIS, actor2=REGIME), False, "actor1 differs"),
    ("generic actor", key(1), key(2, actor1=UNKNOWN), True, f"actor1 {UNKNOWN} is generic and fits {RUSSIA}"),
    ("empty actor", key(1), key(2, actor1=None), True, f"actor1 unknown on one side and fits {RUSSIA}"),
    ("same report never merges", key(1), key(2, report_refs=frozenset({1, 2})), False, "both come from report 1"),
    ("undated, no report date", key(1), key(2, event_date=None), False, "one event has no date, nor a report date"),
    ("both undated, no report dates", key(1, event_date=None), key(2, event_date=None), False,
     "neither event has a date"),
    ("undated, its publication window holds the date", key(1),
     undated(2, DAY, DAY + timedelta(days=3), "published"), True,
     "dates 2016-05-14 and 2016-05-14..2016-05-17 meet (an undated report dated by its publication)"),
    ("undated, its publication window a day short", key(1),
     undated(2, DAY + timedelta(days=1), DAY + timedelta(days=4), "published"), True, "meet"),
    ("undated, its publication window too late", key(1),
     undated(2, DAY + timedelta(days=2), DAY + timedelta(days=5), "published"), False,
     "are 2 days apart (more than 1)"),
    ("both undated, windows far apart", undated(1, DAY, DAY + timedelta(days=3), "published"),
     undated(2, DAY + timedelta(days=40), DAY + timedelta(days=43), "published"), False, "are 37 days apart"),
    ("ingest window, all agrees", key(1), undated(2, DAY, DAY + timedelta(days=3), "ingested"), True,
     "dated by the day it was read"),
    ("ingest window, generic attacker", key(1), undated(2, DAY, DAY + timedelta(days=3), "ingested", actor1=UNKNOWN),
     False, "meet only through the day an undated report was ingested"),
    ("ingest window, compatible type only", clash(1), undated(2, DAY, DAY + timedelta(days=3), "ingested",
                                                              sub_event_type="Non-state actor overtakes territory",
                                                              actor1=REGIME, actor2=ISIS),
     False, "meet only through the day"),
    ("ingest window, coarse place", key(1), undated(2, DAY, DAY + timedelta(days=3), "ingested",
                                                    location="Deir ez-Zor countryside", geo_precision=3),
     False, "meet only through the day"),
    ("ingest window, one unlisted village named alike",
     undated(1, DAY, DAY + timedelta(days=3), "ingested", location="تل زعرور", geo_precision=3, unlisted=True),
     undated(2, DAY, DAY + timedelta(days=3), "ingested", location="تل زعرور", geo_precision=3, unlisted=True),
     True, "meet (an undated report dated by the day it was read)"),
    ("ingest window, two unlisted villages",
     undated(1, DAY, DAY + timedelta(days=3), "ingested", location="تل زعرور", geo_precision=3, unlisted=True),
     undated(2, DAY, DAY + timedelta(days=3), "ingested", location="كفر زعرور", geo_precision=3, unlisted=True),
     False, "meet only through the day"),
    ("ingest window, a region named alike is no village",
     undated(1, DAY, DAY + timedelta(days=3), "ingested", location="ريف الميادين", geo_precision=3),
     undated(2, DAY, DAY + timedelta(days=3), "ingested", location="ريف الميادين", geo_precision=3),
     False, "meet only through the day"),
    ("archive read later, every field agrees", key(1),
     undated(2, DAY + timedelta(days=400), DAY + timedelta(days=403), "ingested"), True,
     "may tell of an earlier day (2016-05-14); sub-event type, place, actors and toll agree"),
    ("archive read later, another toll", key(1),
     undated(2, DAY + timedelta(days=400), DAY + timedelta(days=403), "ingested", fatalities=3), False,
     "are 400 days apart"),
    ("archive read later, a nearby village", key(1),
     undated(2, DAY + timedelta(days=400), DAY + timedelta(days=403), "ingested", location="Al-Quriyah",
             latitude=near[0], longitude=near[1]), False, "are 400 days apart"),
    ("archive read before the dated day", key(1),
     undated(2, DAY - timedelta(days=403), DAY - timedelta(days=400), "ingested"), False, "are 400 days apart"),
    ("published window far from the date is no archive", key(1),
     undated(2, DAY + timedelta(days=400), DAY + timedelta(days=403), "published"), False, "are 400 days apart"),
    ("kin reports stand for a missing date", key(1), undated(2, None, None, None, kin=frozenset({1})), True,
     "the reports share their wording"),
    ("kin reports, months apart, still one story", key(1, kin=frozenset({2})),
     undated(2, DAY + timedelta(days=90), DAY + timedelta(days=93), "ingested"), True, "share their wording"),
    ("army and police of one state", key(1, actor1=REGIME), key(2, actor1="Police Forces of Syria (2000-2024)"),
     True, f"actor1 are forces of one state ({REGIME} and Police Forces of Syria (2000-2024))"),
    ("forces of one country in two periods", key(1, actor1=REGIME),
     key(2, actor1="Police Forces of Syria (2024-)"), False, "actor1 differs"),
    ("forces of two states", key(1, actor1=REGIME), key(2, actor1="Military Forces of Turkey (2016-)"), False,
     "actor1 differs"),
    ("ingest window, army and police of one state", key(1, actor1=REGIME),
     undated(2, DAY, DAY + timedelta(days=3), "ingested", actor1="Police Forces of Syria (2000-2024)"), True,
     "dated by the day it was read"),
    ("other country never", key(1), key(2, iso=368), False, "different countries (iso 760 and 368)"),
    ("air strike is not shelling", key(1), key(2, sub_event_type="Shelling/artillery/missile attack"), False,
     "sub-event types differ (Air/drone strike and Shelling/artillery/missile attack)"),
    ("clash and capture", clash(1), clash(2, sub_event_type="Non-state actor overtakes territory"), True,
     "compatible sub-event types (Armed clash and Non-state actor overtakes territory)"),
    ("a taking told with its fight and without", key(1, sub_event_type="Non-state actor overtakes territory",
                                                     actor1=ISRAEL, actor2=SYR_POLICE),
     key(2, sub_event_type="Non-violent transfer of territory", actor1=ISRAEL, actor2=SYR_POLICE), True,
     "compatible sub-event types (Non-state actor overtakes territory and Non-violent transfer of territory)"),
    ("a taking and a handover by another side", key(1, sub_event_type="Non-state actor overtakes territory",
                                                    actor1=ISRAEL, actor2=SYR_POLICE),
     key(2, sub_event_type="Non-violent transfer of territory", actor1=REGIME, actor2=ISIS), False, "actor1 differs"),
    ("distinct strikes in two towns", key(1), key(2, location="Al-Asharah", latitude=far[0], longitude=far[1],
                                                  fatalities=4), False, "30.0 km apart"),
    ("homonyms far apart", key(1), key(2, latitude=far[0], longitude=far[1]), False,
     "two places named Mayadin, 30.0 km apart"),
    ("coarse place in the same admin1", key(1), key(2, location="Deir ez-Zor countryside", geo_precision=3), True,
     "coarse place Deir ez-Zor countryside in the same admin1 (Deir ez-Zor) as Mayadin"),
    ("coarse place in another admin1", key(1), key(2, location=None, latitude=None, longitude=None,
                                                   admin1="Homs"), False,
     "a coarse place only matches within its admin1, and these are Deir ez-Zor and Homs"),
    ("no place at all", key(1), key(2, location=None, latitude=None, longitude=None, admin1=None), False,
     "no place to compare"),
]


@pytest.mark.parametrize(("a", "b", "same", "why"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_dedup_compare_rules(rules: DedupRules, a: EventKey, b: EventKey, same: bool, why: str) -> None:
    verdict = compare(a, b, rules)
    assert verdict.same is same, verdict.reason
    assert why in verdict.reason
    assert verdict.reason.startswith("not the same event: ") is not same
    assert (0.0 < verdict.score <= 1.0) if same else verdict.score == 0.0
    assert compare(b, a, rules).same is same


def test_dedup_reason_is_one_readable_sentence(rules: DedupRules) -> None:
    verdict = compare(key(1), key(2, event_date=DAY + timedelta(days=1)), rules)
    assert verdict.reason == ("same sub-event type (Air/drone strike); dates 2016-05-14 and 2016-05-15 (1 day apart); "
                              f"same place (Mayadin); actor1 agrees ({RUSSIA})")
    assert "\n" not in verdict.reason


def test_dedup_reason_lists_every_failed_rule(rules: DedupRules) -> None:
    reason = compare(key(1), key(2, iso=368, event_date=DAY + timedelta(days=3), actor1=REGIME), rules).reason
    assert "different countries" in reason and "3 days apart" in reason and "actor1 differs" in reason


@pytest.mark.parametrize("coarse", [
    {"location": "Deir ez-Zor countryside", "geo_precision": 3},
    {"location": None, "latitude": None, "longitude": None, "geo_precision": None},
], ids=["geo_precision 3", "no coordinates"])
def test_dedup_coarse_place_scores_below_any_precise_place(rules: DedupRules, coarse: dict[str, object]) -> None:
    coarse_verdict = compare(key(1), key(2, **coarse), rules)
    edge = east(rules.max_km * 0.999)
    precise_verdict = compare(key(1), key(2, location="Edge", latitude=edge[0], longitude=edge[1]), rules)
    assert coarse_verdict.same and precise_verdict.same
    assert coarse_verdict.score < precise_verdict.score < compare(key(1), key(2), rules).score


@pytest.mark.parametrize(("better", "worse"), [
    (key(2), key(2, event_date=DAY + timedelta(days=1))),
    (key(2, location="A", latitude=east(2)[0], longitude=east(2)[1]),
     key(2, location="B", latitude=east(8)[0], longitude=east(8)[1])),
    (key(2, fatalities=3), key(2, fatalities=0)),
    (key(2), key(2, actor1=UNKNOWN)),
    (key(2), key(2, actor2=REGIME)),
    (key(2), key(2, time_precision=2)),
], ids=["closer date", "closer place", "fatalities agree", "named actor", "actor2 agrees", "exact date"])
def test_dedup_score_ranks_closer_matches_higher(rules: DedupRules, better: EventKey, worse: EventKey) -> None:
    a = key(1, fatalities=3)
    assert compare(a, better, rules).score > compare(a, worse, rules).score > 0


def test_dedup_best_match_takes_highest_score_and_skips_itself(rules: DedupRules) -> None:
    a = key(1)
    candidates = [key(1), key(2, event_date=DAY + timedelta(days=1)), key(3), key(4, actor1=REGIME), key(5)]
    found = best_match(a, candidates, rules)
    assert found is not None
    assert found[0].ref == 3 and found[1].same
    assert best_match(a, [key(1), key(4, actor1=REGIME)], rules) is None


def test_dedup_index_match_and_cluster(rules: DedupRules) -> None:
    index = DedupIndex(rules)
    for k in (key(1), key(2, location="Al-Asharah", latitude=far[0], longitude=far[1]), key(3, actor1=REGIME)):
        index.add(k)
    assert len(index) == 3
    found = index.match(key(9, event_date=DAY + timedelta(days=1)))
    assert found is not None and found[0].ref == 1 and "(1 day apart)" in found[1].reason
    assert index.match(key(9, iso=368)) is None
    keys = [key(1), key(2), key(3, report_refs=frozenset({1})), key(4, event_date=DAY + timedelta(days=5)),
            key(5, report_refs=frozenset({3}))]
    # 3 shares report 1 with the first cluster, so it starts its own; 5 then joins the best, the first
    assert index.cluster(keys) == [[1, 2, 5], [3], [4]]


def test_dedup_index_archive_rule_needs_one_earlier_day(rules: DedupRules) -> None:
    late = DAY + timedelta(days=400)
    archive = undated(9, late, late + timedelta(days=3), "ingested")
    index = DedupIndex(rules)
    index.add(key(1))
    found = index.match(archive)
    assert found is not None and found[0].ref == 1
    # the same strike on a second day: the archive report may tell of either
    index.add(key(2, event_date=DAY + timedelta(days=30)))
    assert index.match(archive) is None
    # a dated report finds the archive event filed before it, whatever the days between
    assert index.cluster([archive, key(1)]) == [[9, 1]]
    assert index.cluster([key(1), key(2, event_date=DAY + timedelta(days=30)), archive]) == [[1], [2], [9]]


def test_dedup_index_update_reports_changes_only_the_same_report_rule(rules: DedupRules) -> None:
    index = DedupIndex(rules)
    index.add(key(1))
    assert index.match(key(9, report_refs=frozenset({2}))) is not None
    assert index.update_reports(1, {1, 2})
    assert index.match(key(9, report_refs=frozenset({2}))) is None  # report 2 is behind it now
    found = index.match(key(9, event_date=DAY + timedelta(days=1)))
    assert found is not None and found[0].ref == 1 and found[0].report_refs == {1, 2}
    assert not index.update_reports(5, {5})  # nothing filed for 5
    index.discard(1)
    assert not index.update_reports(1, {1}) and index.match(key(9)) is None


def test_dedup_rules_helpers(rules: DedupRules) -> None:
    assert rules.max_days == 1 and rules.max_km > 0 and rules.provenance
    assert rules.compatible_event_types("Battles") >= {"Battles", "Violence against civilians"}
    assert "Explosions/Remote violence" not in rules.compatible_event_types("Battles")
    assert rules.compatible_sub_event_types("Air/drone strike") == {"Air/drone strike"}
    assert rules.is_generic_actor(UNKNOWN) and rules.is_generic_actor("  ") and rules.is_generic_actor(None)
    assert not rules.is_generic_actor(RUSSIA)


def test_dedup_event_key_from_row() -> None:
    row = {"iso": 760, "event_date": "2016-05-14", "time_precision": 1, "event_type": "Battles",
           "sub_event_type": "Armed clash", "actor1": REGIME, "actor2": None, "admin1": "Idleb", "location": "Ariha",
           "latitude": 35.81, "longitude": 36.6, "geo_precision": 1, "fatalities": None}
    k = EventKey.from_row(7, row, report_refs=[3, 4])
    assert (k.ref, k.event_date, k.fatalities, k.report_refs) == (7, DAY, 0, frozenset({3, 4}))
    assert EventKey.from_row(8, {**row, "event_date": "not a date"}).event_date is None
    assert not k.unlisted
    # a village the gazetteer does not list: the extractor's tag says so
    assert EventKey.from_row(9, {**row, "location": None, "location_ar": "تل زعرور",
                                 "tags": "unresolved_place;date_from_context"}).unlisted
    assert not EventKey.from_row(9, {**row, "location": None, "location_ar": None, "tags": "unresolved_place"}).unlisted


# ---------------------------------------------------------------- the rules file

def test_dedup_yaml_sub_event_types_follow_the_guidelines() -> None:
    if not GUIDELINES.is_file():
        pytest.skip("../shared is not present on this machine")
    text = GUIDELINES.read_text(encoding="utf-8")
    section = text.split("## Event types and sub-event types", 1)[1].split("Notes:", 1)[0]
    listed = {ln[2:].split(":", 1)[0]: re.findall(r'"([^"]+)"', block)
              for block in re.split(r"\n(?=- )", section) for ln in [block.strip()] if ln.startswith("- ")}
    data = yaml.safe_load(data_path().read_text(encoding="utf-8"))
    assert data["sub_event_types"] == listed


def _valid() -> dict[str, object]:
    return yaml.safe_load(data_path().read_text(encoding="utf-8"))


def _broken() -> dict[str, object]:
    data = _valid()
    data.update(max_days=-1, max_km="ten", colour="green", unordered_actor_types=["Battels"])
    del data["generic_actors"]
    data["compatible_sub_event_types"] = [["Armed clash", "Armed clash"], ["Air strike", "Attack"], ["Attack"]]
    data["score"] = {**data["score"], "coarse_place": 0.6, "swapped_actors": 2}  # type: ignore[dict-item]
    return data


def test_dedup_yaml_lists_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "dedup.yaml"
    path.write_text(yaml.safe_dump(_broken()), encoding="utf-8")
    with pytest.raises(StoreError) as err:
        DedupRules.from_data(path)
    message = str(err.value)
    expected = ["max_days must be an integer >= 0, got -1", "max_km must be a number > 0, got 'ten'",
                "unknown field 'colour'", "missing field 'generic_actors'",
                "unordered_actor_types: unknown event type 'Battels'",
                "compatible_sub_event_types #1 pairs 'Armed clash' with itself",
                "compatible_sub_event_types #2: unknown sub-event type 'Air strike'",
                "compatible_sub_event_types #3 must be a pair of names",
                "score.coarse_place must be below 0.5", "score.swapped_actors must be a number between 0 and 1"]
    for problem in expected:
        assert problem in message
    assert message.startswith(f"{path}: [E600] invalid dedup rules ({len(expected)} problems): ")


@pytest.mark.parametrize(("text", "why"), [
    ("max_days: [", "cannot read dedup rules"),
    ("- just\n- a list\n", "the file must be a mapping"),
    (None, "cannot read dedup rules"),
], ids=["bad yaml", "not a mapping", "missing file"])
def test_dedup_yaml_unreadable(tmp_path: Path, text: str | None, why: str) -> None:
    path = tmp_path / "dedup.yaml"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(StoreError, match=re.escape(why)):
        DedupRules.from_data(path)


def test_dedup_yaml_loads_from_a_path(tmp_path: Path) -> None:
    data = _valid()
    data["max_km"] = 35
    path = tmp_path / "dedup.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert DedupRules.from_data(path).max_km == 35.0
    assert compare(key(1), key(2, location="X", latitude=far[0], longitude=far[1]), DedupRules.from_data(path)).same


# ---------------------------------------------------------------- properties

# small domains, so that random keys often are the same event and ties and chains occur
SUBS = ["Armed clash", "Armed clash", "Attack", "Non-state actor overtakes territory", "Air/drone strike",
        "Shelling/artillery/missile attack"]
ACTORS = [None, "A", "A", "B", UNKNOWN, "Military Forces of Syria (2000-2024)", "Police Forces of Syria (2000-2024)"]


def _fields() -> dict[str, st.SearchStrategy[object]]:
    return {
        "iso": st.sampled_from([760, 760, 760, 368, None]),
        "event_date": st.one_of(st.none(), st.integers(0, 2).map(lambda d: DAY + timedelta(days=d))),
        # an undated key's window (ignored on a dated key), counted back from a publication or ingest day
        "window": st.one_of(st.none(), st.integers(-2, 6).map(lambda d: (DAY + timedelta(days=d),
                                                                         DAY + timedelta(days=d + 3)))),
        "window_basis": st.sampled_from(["published", "ingested"]),
        "time_precision": st.sampled_from([1, 1, 2]),
        "sub_event_type": st.sampled_from(SUBS),
        "actor1": st.sampled_from(ACTORS), "actor2": st.sampled_from(ACTORS),
        "admin1": st.sampled_from([None, "Idleb", "Idleb", "Aleppo"]),
        "location": st.sampled_from([None, "Saraqib", "Saraqib", "Ariha", "سراقب"]),
        "xy": st.one_of(st.none(), st.tuples(st.floats(-0.1, 0.1), st.floats(-0.1, 0.1))),
        "geo_precision": st.sampled_from([1, 1, 2, 3, None]), "fatalities": st.integers(0, 3),
        "report_refs": st.sets(st.integers(1, 12), min_size=1, max_size=2).map(frozenset),
    }


def _with(k: EventKey, changes: dict[str, object]) -> EventKey:
    xy = changes.pop("xy", (k.latitude - 35.8, k.longitude - 36.6) if k.latitude is not None else None)
    if "sub_event_type" in changes:
        changes["event_type"] = EVENT_TYPE[str(changes["sub_event_type"])]
    return replace(k, latitude=None if xy is None else 35.8 + xy[0],  # type: ignore[index]
                   longitude=None if xy is None else 36.6 + xy[1], **changes)  # type: ignore[index,arg-type]


@st.composite
def keys(draw: st.DrawFn, ref: int = 0) -> EventKey:
    fields = {name: draw(strategy) for name, strategy in _fields().items()}
    base = EventKey(ref=ref, iso=None, event_date=None, time_precision=1, event_type="", sub_event_type="",
                    actor1=None, actor2=None, admin1=None, location=None, latitude=None, longitude=None,
                    geo_precision=None)
    return _with(base, fields)


@st.composite
def key_lists(draw: st.DrawFn) -> list[EventKey]:
    """Fresh keys and retellings of earlier ones (a new report, one or two fields told differently)."""
    out: list[EventKey] = []
    fields = _fields()
    for ref in range(draw(st.integers(0, 25))):
        if out and draw(st.booleans()):
            told = draw(st.sampled_from(out))
            changed = draw(st.sets(st.sampled_from(sorted(fields)), max_size=2)) | {"report_refs"}
            out.append(_with(replace(told, ref=ref), {name: draw(fields[name]) for name in sorted(changed)}))
        else:
            out.append(draw(keys(ref)))
    return out


@given(keys(1), keys(2))
def test_dedup_compare_is_symmetric(rules: DedupRules, a: EventKey, b: EventKey) -> None:
    ab, ba = compare(a, b, rules), compare(b, a, rules)
    assert ab.same == ba.same
    assert ab.score == pytest.approx(ba.score)
    assert 0.0 <= ab.score <= 1.0


@given(keys(1))
def test_dedup_event_matches_its_copy_from_another_report(rules: DedupRules, a: EventKey) -> None:
    # an event with a date and some place (a name, an admin1 or precise coordinates)
    assume(a.event_date is not None)
    assume(a.location or a.admin1 or (a.latitude is not None and a.geo_precision != 3))
    copy = replace(a, ref=2, report_refs=frozenset({99}))
    verdict = compare(a, copy, rules)
    assert verdict.same, verdict.reason


def _brute_force(keys_: list[EventKey], rules: DedupRules) -> list[list[int]]:
    reps: list[EventKey] = []
    clusters: list[list[int]] = []
    for k in keys_:
        found = best_match(k, reps, rules)
        if found is None:
            reps.append(k)
            clusters.append([k.ref])
            continue
        n = [r.ref for r in reps].index(found[0].ref)
        clusters[n].append(k.ref)
        reps[n] = replace(reps[n], report_refs=reps[n].report_refs | k.report_refs)
    return clusters


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(key_lists())
def test_dedup_index_cluster_equals_all_pairs(rules: DedupRules, drawn: list[EventKey]) -> None:
    assert DedupIndex(rules).cluster(drawn) == _brute_force(drawn, rules)


@settings(max_examples=300, deadline=None)
@given(st.floats(-89.99, 89.99), st.floats(-180.0, 179.999), st.floats(0.0, 360.0), st.floats(0.0, 0.9999))
def test_dedup_index_finds_every_point_within_max_km(rules: DedupRules, lat: float, lon: float, bearing: float,
                                                     frac: float) -> None:
    # the grid must cover the whole circle: near the poles and across the antimeridian too
    ang, brg, p1 = rules.max_km * frac / 6371.0088, math.radians(bearing), math.radians(lat)
    p2 = math.asin(math.sin(p1) * math.cos(ang) + math.cos(p1) * math.sin(ang) * math.cos(brg))
    l2 = math.radians(lon) + math.atan2(math.sin(brg) * math.sin(ang) * math.cos(p1),
                                        math.cos(ang) - math.sin(p1) * math.sin(p2))
    lat2, lon2 = math.degrees(p2), (math.degrees(l2) + 540.0) % 360.0 - 180.0
    assume(haversine_km(lat, lon, lat2, lon2) <= rules.max_km)
    index = DedupIndex(rules)
    index.add(key(1, location=None, admin1=None, latitude=lat, longitude=lon))
    assert index.match(key(2, location=None, admin1=None, latitude=lat2, longitude=lon2)) is not None


@pytest.mark.parametrize(("a", "b"), [
    ((0.0, 179.99), (0.0, -179.99)),
    ((-16.5, -179.97), (-16.52, 179.98)),
    ((89.99, 0.0), (89.99, 180.0)),
    ((-89.97, 45.0), (-89.99, -120.0)),
    ((70.0, 10.0), (70.05, 10.2)),
], ids=["antimeridian", "antimeridian south", "north pole", "south pole", "high latitude"])
def test_dedup_index_grid_edges(rules: DedupRules, a: tuple[float, float], b: tuple[float, float]) -> None:
    assert haversine_km(*a, *b) <= rules.max_km
    index = DedupIndex(rules)
    index.add(key(1, location=None, admin1=None, latitude=a[0], longitude=a[1]))
    assert index.match(key(2, location=None, admin1=None, latitude=b[0], longitude=b[1])) is not None


@pytest.mark.parametrize(("field", "value", "problem"), [
    ("state_forces", ["Military Forces of Syria"], "state_forces must be a list of names, each holding {state} once"),
    ("undated_window_days", 40, "undated_window_days must be an integer from 0 to 31, got 40"),
    ("kin_containment", 0, "kin_containment must be a number above 0 and at most 1, got 0"),
])
def test_dedup_yaml_checks_windows_kin_and_state_forces(tmp_path: Path, field: str, value: object,
                                                        problem: str) -> None:
    data = yaml.safe_load(data_path().read_text(encoding="utf-8"))
    data[field] = value
    path = tmp_path / "dedup.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(StoreError, match=re.escape(problem)):
        DedupRules.from_data(path)
