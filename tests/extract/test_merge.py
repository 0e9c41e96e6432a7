"""merge_events / drop_history on hand-built Event records."""
from __future__ import annotations

from dataclasses import replace

from ahdath.extract.merge import HISTORY_DAYS, drop_history, merge_events, unit_key
from ahdath.model import Event, Evidence, Span

RUSSIA = "Military Forces of Russia (2000-)"
REGIME = "Military Forces of Syria (2000-2024)"
REBELS = "Opposition Rebels (Syria)"
CIVILIANS = "Civilians (Syria)"


def _event(**kw) -> Event:
    base = dict(
        article_id="a1", event_id="SYR-0", event_date="2019-03-10", year=2019, time_precision=1,
        disorder_type="Political violence", event_type="Explosions/Remote violence",
        sub_event_type="Air/drone strike", actor1=RUSSIA, assoc_actor_1=None, inter1=8,
        actor2=None, assoc_actor_2=None, inter2=None, interaction=80, civilian_targeting=None,
        iso=760, region="Middle East", country="Syria", admin1="Idleb", admin2=None, admin3=None,
        location="Kafr Nabl", location_ar="كفرنبل", latitude=35.6, longitude=36.5, geo_precision=1,
        source=None, source_url=None, notes="", fatalities=0, tags=None,
        evidence=Evidence("غارة", 0, 4, {"trigger": (Span(0, 4, "غارة"),)}), confidence=0.8,
    )
    base.update(kw)
    return Event(**base)


def test_merge_same_unit_keeps_lowest_fatalities() -> None:
    a = _event(event_id="A", fatalities=7, confidence=0.9)
    b = _event(event_id="B", fatalities=10, confidence=0.7,
               evidence=Evidence("قتلى", 10, 14, {"fatalities": (Span(10, 14, "قتلى"),)}))
    (m,) = merge_events([a, b])
    assert m.fatalities == 7
    assert m.event_id == "A"  # the more confident record is kept
    assert set(m.evidence.spans) == {"trigger", "fatalities"}


def test_merge_zero_fatalities_do_not_win_minimum() -> None:
    (m,) = merge_events([_event(fatalities=0), _event(fatalities=4)])
    assert m.fatalities == 4


def test_merge_fills_unknown_actor_from_twin() -> None:
    a = _event(actor1=None, inter1=None, confidence=0.9)
    b = _event(actor1=RUSSIA, inter1=8, confidence=0.6)
    (m,) = merge_events([a, b])
    assert m.actor1 == RUSSIA and m.inter1 == 8


def test_merge_different_towns_stay_apart() -> None:
    a = _event()
    b = _event(location="Has", location_ar="حاس", latitude=35.5, longitude=36.6)
    assert len(merge_events([a, b])) == 2


def test_merge_different_days_or_kinds_stay_apart() -> None:
    a = _event()
    assert len(merge_events([a, _event(event_date="2019-03-09")])) == 2
    assert len(merge_events([a, _event(sub_event_type="Shelling/artillery/missile attack")])) == 2


def test_merge_different_attackers_stay_apart() -> None:
    assert len(merge_events([_event(), _event(actor1=REGIME, inter1=1)])) == 2


def test_merge_hamza_spelling_is_same_place() -> None:
    a = _event(location_ar="أعزاز", location="Azaz", admin1="Aleppo")
    b = _event(location_ar="اعزاز", location="Azaz", admin1="Aleppo")
    assert len(merge_events([a, b])) == 1


def test_merge_clash_folded_into_capture() -> None:
    clash = _event(event_type="Battles", sub_event_type="Armed clash", actor1=REBELS, inter1=2,
                   actor2=REGIME, inter2=1, interaction=12)
    capture = _event(event_type="Battles", sub_event_type="Non-state actor overtakes territory",
                     actor1=REBELS, inter1=2, actor2=REGIME, inter2=1, interaction=12)
    out = merge_events([clash, capture])
    assert [e.sub_event_type for e in out] == ["Non-state actor overtakes territory"]


def test_merge_clash_elsewhere_kept_beside_capture() -> None:
    clash = _event(event_type="Battles", sub_event_type="Armed clash", actor1=REGIME, actor2=REBELS,
                   location_ar="حاس", location="Has")
    capture = _event(event_type="Battles", sub_event_type="Government regains territory",
                     actor1=REGIME, actor2=REBELS)
    assert len(merge_events([clash, capture])) == 2


def test_merge_battle_pair_is_unordered() -> None:
    a = _event(event_type="Battles", sub_event_type="Armed clash", actor1=REGIME, actor2=REBELS)
    b = replace(a, actor1=REBELS, actor2=REGIME)
    assert unit_key(a) == unit_key(b)
    assert len(merge_events([a, b])) == 1


def test_merge_one_sided_pair_is_ordered() -> None:
    a = _event(event_type="Violence against civilians", sub_event_type="Attack", actor1=REGIME, actor2=CIVILIANS)
    b = replace(a, actor1=CIVILIANS, actor2=REGIME)
    assert unit_key(a) != unit_key(b)


def test_merge_governorate_restatement_joins_precise_event() -> None:
    precise = _event()
    coarse = _event(location="Idleb", location_ar="ادلب", geo_precision=3, latitude=None, longitude=None)
    out = merge_events([coarse, precise])
    assert [e.location_ar for e in out] == ["كفرنبل"]


def test_merge_restatement_that_told_the_toll_gives_it_to_the_precise_event() -> None:
    precise = _event()
    coarse = _event(location="Idleb", location_ar="ادلب", geo_precision=3, latitude=None, longitude=None,
                    fatalities=6, evidence=Evidence("قتلى", 10, 14, {"fatalities": (Span(10, 14, "قتلى"),)}))
    (m,) = merge_events([coarse, precise])
    assert (m.location_ar, m.fatalities) == ("كفرنبل", 6)
    assert "fatalities" in m.evidence.spans
    # a toll of its own is kept
    (m,) = merge_events([coarse, _event(fatalities=2)])
    assert m.fatalities == 2


def test_merge_empty() -> None:
    assert merge_events([]) == []
    assert drop_history([]) == []


def test_merge_drop_history_removes_old_incident() -> None:
    news = _event(event_date="2019-03-10")
    old = _event(event_date="2019-01-05", location_ar="حاس")
    assert drop_history([news, old]) == [news]


def test_merge_drop_history_keeps_recent_and_context_dated() -> None:
    news = _event(event_date="2019-03-10")
    edge = _event(event_date="2019-02-07")  # exactly HISTORY_DAYS before
    assert HISTORY_DAYS == 31
    old_ctx = _event(event_date="2018-01-01", tags="date_from_context")
    undated = _event(event_date=None, year=None)
    assert drop_history([news, edge, old_ctx, undated]) == [news, edge, old_ctx, undated]


def test_merge_one_protest_per_place_keeps_the_deaths_any_record_reports() -> None:
    protest = dict(event_type="Protests", disorder_type="Demonstrations", actor1="Protesters (Syria)", inter1=6)
    told = _event(event_id="P", sub_event_type="Peaceful protest", fatalities=6, confidence=0.6,
                  evidence=Evidence("قتلت ستة", 0, 9, {"fatalities": (Span(5, 9, "ستة"),)}), **protest)
    force = _event(event_id="F", sub_event_type="Excessive force against protesters", actor2=REGIME, inter2=1,
                   fatalities=0, confidence=0.7, **protest)
    (m,) = merge_events([told, force])
    assert (m.event_id, m.sub_event_type, m.fatalities) == ("F", "Excessive force against protesters", 6)
    assert m.evidence.spans["fatalities"] == (Span(5, 9, "ستة"),)  # the figure's words come along


def test_merge_regional_restatement_of_a_battle_folds_whichever_side_it_names_first() -> None:
    battle = dict(event_type="Battles", sub_event_type="Armed clash", disorder_type="Political violence")
    town = _event(event_id="T", actor1=REBELS, actor2=REGIME, **battle)
    region = _event(event_id="R", actor1=REGIME, actor2=REBELS, location="Idleb countryside",
                    location_ar="ريف إدلب", geo_precision=3, **battle)
    assert [e.event_id for e in merge_events([town, region])] == ["T"]


def _told(start: int, text: str = "قصف") -> Evidence:
    return Evidence(text, start, start + len(text), {"trigger": (Span(start, start + len(text), text),)})


def test_merge_headline_without_a_day_folds_into_the_dated_report() -> None:
    # the headline carries the report's date; the body says the strike was the day before
    head = _event(event_id="H", event_date="2019-03-10", tags="date_from_context", evidence=_told(0),
                  fatalities=5, confidence=0.9)
    body = _event(event_id="B", event_date="2019-03-09", evidence=_told(80), confidence=0.6)
    trace = []
    (m,) = merge_events([head, body], trace, lead_end=40)
    assert (m.event_id, m.event_date, m.fatalities) == ("B", "2019-03-09", 5)
    assert [(d.stage, d.action) for d in trace] == [("merge", "folded")]
    assert trace[0].start == 0 and "restatement" in trace[0].reason


def test_merge_region_restatement_folds_into_the_town() -> None:
    region = _event(event_id="R", location="Idleb countryside", location_ar="ريف إدلب", geo_precision=3,
                    evidence=_told(100))
    town = _event(event_id="T", evidence=_told(0))
    assert [e.event_id for e in merge_events([town, region])] == ["T"]


def test_merge_restatement_needs_the_same_side_and_kind() -> None:
    region = _event(event_id="R", location_ar="ريف إدلب", geo_precision=3, actor1=REGIME, evidence=_told(100))
    town = _event(event_id="T", actor1=RUSSIA, evidence=_told(0))
    assert len(merge_events([town, region])) == 2
    shelling = replace(region, actor1=RUSSIA, sub_event_type="Shelling/artillery/missile attack")
    assert len(merge_events([town, shelling])) == 2


def test_merge_two_dated_days_or_two_body_tolls_stay_apart() -> None:
    a = _event(event_id="A", event_date="2019-03-09", evidence=_told(80))
    b = _event(event_id="B", event_date="2019-03-10", evidence=_told(200))
    assert len(merge_events([a, b], lead_end=40)) == 2  # both days are told
    c = _event(event_id="C", event_date="2019-03-10", tags="date_from_context", fatalities=1, evidence=_told(300))
    d = _event(event_id="D", event_date="2019-03-09", fatalities=32, evidence=_told(120))
    assert len(merge_events([c, d], lead_end=40)) == 2  # two tolls in the body: two incidents
    too_far = _event(event_id="E", event_date="2019-03-01", evidence=_told(120))
    assert len(merge_events([replace(c, fatalities=0), too_far], lead_end=40)) == 2


def test_merge_unknown_village_is_not_a_coarse_restatement() -> None:
    # a name the gazetteer does not know may be a village of its own
    unknown = _event(event_id="U", location_ar="زور المسالق", geo_precision=3, tags="unresolved_place",
                     evidence=_told(100))
    town = _event(event_id="T", evidence=_told(0))
    assert len(merge_events([town, unknown])) == 2


def test_merge_region_restatement_folds_where_one_record_names_no_side() -> None:
    battle = dict(event_type="Battles", sub_event_type="Armed clash", disorder_type="Political violence")
    town = _event(event_id="T", actor1=None, inter1=None, actor2=None, **battle)
    region = _event(event_id="R", actor1=REGIME, actor2=REBELS, location_ar="ريف إدلب", geo_precision=3,
                    evidence=_told(100), **battle)
    trace = []
    assert [e.event_id for e in merge_events([region, town], trace)] == ["T"]
    assert [(d.stage, d.action) for d in trace] == [("merge", "folded")]
    # an unidentified attacker named in the town is the attacker named in the region
    abduct = dict(event_type="Violence against civilians", sub_event_type="Abduction/forced disappearance",
                  actor2=CIVILIANS)
    town = _event(event_id="T", actor1="Unidentified Armed Group (Syria)", **abduct)
    region = _event(event_id="R", actor1=REBELS, location_ar="ريف إدلب", geo_precision=3, **abduct)
    assert [e.event_id for e in merge_events([town, region])] == ["T"]


def test_merge_protest_that_turned_violent_is_the_riot() -> None:
    demo = dict(disorder_type="Demonstrations", actor1="Protesters (Syria)", inter1=6, actor2=None, inter2=None)
    protest = _event(event_id="P", event_type="Protests", sub_event_type="Peaceful protest", **demo)
    riot = _event(event_id="R", event_type="Riots", sub_event_type="Violent demonstration", evidence=_told(90), **demo)
    trace = []
    assert [e.event_id for e in merge_events([protest, riot], trace)] == ["R"]
    assert trace and "violent" in trace[0].reason
    # another day or another town: two demonstrations
    assert len(merge_events([protest, replace(riot, event_date="2019-03-11")])) == 2
    assert len(merge_events([protest, replace(riot, location_ar="حاس")])) == 2


def test_merge_traces_the_clash_folded_into_its_capture() -> None:
    sides = dict(event_type="Battles", actor1=REBELS, inter1=2, actor2=REGIME, inter2=1, interaction=12)
    trace = []
    merge_events([_event(sub_event_type="Armed clash", **sides),
                  _event(sub_event_type="Non-state actor overtakes territory", evidence=_told(50), **sides)], trace)
    assert [d.action for d in trace] == ["folded"] and "ground" in trace[0].reason


def test_merge_shots_at_a_demonstration_fold_into_it() -> None:
    demo = dict(disorder_type="Demonstrations", event_type="Protests")
    force = _event(event_id="F", sub_event_type="Excessive force against protesters", actor1="Protesters (Syria)",
                   inter1=6, actor2=None, inter2=None, **demo)
    shots = _event(event_id="S", event_type="Violence against civilians", sub_event_type="Attack",
                   actor1=REGIME, inter1=1, actor2=CIVILIANS, inter2=7, fatalities=2, evidence=_told(60))
    trace = []
    (m,) = merge_events([force, shots], trace)
    assert (m.event_id, m.actor2, m.fatalities) == ("F", REGIME, 2)
    assert trace and "demonstration" in trace[0].reason
    # a force named otherwise, another town or a peaceful protest: the attack stays
    other = replace(force, actor2=RUSSIA, inter2=8)
    assert len(merge_events([other, shots])) == 2
    assert len(merge_events([force, replace(shots, location_ar="حاس")])) == 2
    assert len(merge_events([replace(force, sub_event_type="Peaceful protest"), shots])) == 2


def test_merge_lead_with_the_same_toll_folds_into_the_body() -> None:
    attack = dict(event_type="Violence against civilians", sub_event_type="Attack", actor2=CIVILIANS, inter2=7)
    lead = _event(event_id="L", location_ar="ود مدني", fatalities=14, evidence=_told(10), confidence=0.9, **attack)
    body = _event(event_id="B", location_ar="التومسة", geo_precision=3, tags="unresolved_place", fatalities=14,
                  evidence=_told(300), confidence=0.6, **attack)
    trace = []
    (m,) = merge_events([lead, body], trace, lead_end=120)
    assert (m.event_id, m.location_ar, m.tags) == ("B", "التومسة", "unresolved_place")
    assert "lead" in trace[0].reason
    # another toll, no toll, another governorate, or both in the body: two incidents
    assert len(merge_events([replace(lead, fatalities=9), body], lead_end=120)) == 2
    assert len(merge_events([replace(lead, fatalities=0), replace(body, fatalities=0)], lead_end=120)) == 2
    assert len(merge_events([replace(lead, admin1="Hama"), body], lead_end=120)) == 2
    assert len(merge_events([replace(lead, evidence=_told(200)), body], lead_end=120)) == 2


def test_merge_the_leads_toll_stands_over_a_part_told_in_the_body() -> None:
    # the lead tells the incident's toll (7); the body tells one house of it (2)
    lead = _event(event_id="A", fatalities=7, confidence=0.9, evidence=Evidence("قتل", 0, 3, {}))
    part = _event(event_id="B", fatalities=2, confidence=0.7, evidence=Evidence("قتل", 120, 123, {}))
    (m,) = merge_events([lead, part], lead_end=60)
    assert m.fatalities == 7
    # two tolls both in the body: the lowest stated figure (ACLED)
    (m,) = merge_events([lead, part], lead_end=0)
    assert m.fatalities == 2
