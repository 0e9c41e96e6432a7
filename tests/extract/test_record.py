"""RecordBuilder, through the pipeline: ACLED fields, ids, dates, tags, evidence."""
from __future__ import annotations

import re

import pytest

from ahdath.model import Event
from ahdath.pipeline import Pipeline

AIR = "شنت طائرات حربية روسية غارات جوية على بلدة كفرنبل في ريف إدلب، وقُتل ١٢ مدنياً."


def _one(events: list[Event]) -> Event:
    assert len(events) == 1, [(e.sub_event_type, e.location_ar) for e in events]
    return events[0]


def test_record_acled_fields(pipeline: Pipeline) -> None:
    e = _one(pipeline.extract_text(AIR, published="2019-03-10", url="https://www.example.org/news/1"))
    assert (e.country, e.iso, e.region) == ("Syria", 760, "Middle East")
    assert e.disorder_type == "Political violence"
    assert (e.inter1, e.inter2, e.interaction) == (8, 7, 78)
    assert e.civilian_targeting == "Civilian targeting"
    assert e.source == "example.org" and e.source_url == "https://www.example.org/news/1"
    assert e.year == 2019 and e.fatalities == 12
    assert e.latitude is not None and e.longitude is not None and e.geo_precision == 1
    assert "Kafr Nabl" in e.notes
    assert 0.05 <= e.confidence <= 0.99


def test_record_event_id_format_and_stability(pipeline: Pipeline) -> None:
    a = _one(pipeline.extract_text(AIR, published="2019-03-10"))
    b = _one(pipeline.extract_text(AIR, published="2019-03-10"))
    assert re.fullmatch(r"SYR-[0-9a-f]{10}", a.event_id)
    assert a.event_id == b.event_id
    other = _one(pipeline.extract_text(AIR, published="2019-03-10", article_id="other"))
    assert other.event_id != a.event_id


@pytest.mark.parametrize(
    "text, published, day, precision",
    [
        ("شنت طائرات روسية أمس غارات على بلدة كفرنبل.", "2019-03-10", "2019-03-09", 1),
        ("شنت طائرات روسية اليوم الأحد غارات على بلدة كفرنبل.", "2019-03-10", "2019-03-10", 1),
        ("شنت طائرات روسية غارات على بلدة كفرنبل في 14 أيار 2016.", None, "2016-05-14", 1),
        ("شنت طائرات روسية غارات على بلدة كفرنبل في ١٤ أيار ٢٠١٦.", None, "2016-05-14", 1),
        ("شنت طائرات روسية غارات على بلدة كفرنبل في 3 آذار.", "2019-03-10", "2019-03-03", 1),
        ("شنت طائرات روسية غارات على بلدة كفرنبل.", "2019-03-10", "2019-03-10", 2),
    ],
    ids=["yesterday", "today-weekday", "levantine-month", "arabic-indic", "no-year", "published-only"],
)
def test_record_event_date(pipeline: Pipeline, text: str, published: str | None, day: str,
                           precision: int) -> None:
    e = _one(pipeline.extract_text(text, published=published))
    assert e.event_date == day
    assert e.time_precision <= precision
    assert ("date_from_context" in (e.tags or "")) == (precision == 2)


def test_record_date_from_url_when_unpublished(pipeline: Pipeline) -> None:
    e = _one(pipeline.extract_text("شنت طائرات روسية أمس غارات على بلدة كفرنبل.",
                                   url="https://www.example.org/2019/03/10/news"))
    assert e.event_date == "2019-03-09"


def test_record_unknown_place_tagged(pipeline: Pipeline) -> None:
    e = _one(pipeline.extract_text("قصفت قوات النظام قرية أبو زريزيرات في ريف إدلب.", published="2019-03-10"))
    assert "unresolved_place" in (e.tags or "")
    assert e.geo_precision in (2, 3)
    assert e.admin1 == "Idleb"
    assert e.location_ar is not None and "زريزيرات" in e.location_ar


def test_record_evidence_spans_slice_original(pipeline: Pipeline) -> None:
    e = _one(pipeline.extract_text(AIR, published="2019-03-10"))
    assert AIR[e.evidence.start:e.evidence.end] == e.evidence.text
    assert {"trigger", "actor1", "place", "fatalities"} <= set(e.evidence.spans)
    for spans in e.evidence.spans.values():
        for s in spans:
            assert AIR[s.start:s.end] == s.text
    assert e.evidence.spans["place"][0].text == "كفرنبل"
    d = e.to_dict()
    assert list(d)[:2] == ["article_id", "event_id"] and d["evidence"]["text"] == e.evidence.text


def test_record_build_all_equals_building_one_by_one(pipeline: Pipeline) -> None:
    # build_all shares place resolution and the id digest among a report's candidates
    import datetime as dt

    from ahdath.model import Article
    from ahdath.resolve.places import ArticlePlaces, dateline_index

    text = AIR + " واندلعت اشتباكات بين فصائل المعارضة وقوات النظام في بلدة حاس، وقصفت المدفعية بلدة كفرنبل."
    article = Article("a1", text, dt.date(2019, 3, 10), None)
    m = pipeline._mentions.find(text)
    cands = pipeline._assembler.assemble(m)
    records = pipeline._records
    today = dt.date(2026, 11, 27)
    dates = records.article_dates(article, m, today, lead=cands[0].sentence)
    ctx = ArticlePlaces.from_mentions(m.places, dateline=dateline_index(m.norm.text, m.places))
    assert len(cands) > 1
    one_by_one = [records.build(article, m, c, dates, ctx, today) for c in cands]
    assert records.build_all(article, m, cands, dates, ctx, today) == one_by_one
    assert records.build_all(article, m, cands, dates, ctx, today) == one_by_one  # actors remembered


@pytest.mark.parametrize(("text", "published", "country", "actors"), [
    # a Yemeni report: the army and its clash with the Houthis are Yemen's, whatever the date
    ("اندلعت اليوم مواجهات عنيفة بين قوات الجيش ومسلحي جماعة الحوثي في جبهة الحشاء غرب محافظة الضالع.",
     "2019-06-11", "Yemen", {"Military Forces of Yemen (2012-2022)", "Military Forces of Yemen (2017-) Houthi"}),
    ("اندلعت اليوم مواجهات بين القوات الحكومية والحوثيين في مديرية حيس بمحافظة الحديدة.",
     "2023-02-01", "Yemen", {"Military Forces of Yemen (2022-)", "Military Forces of Yemen (2017-) Houthi"}),
    # a Sudanese report: the civilians hit are Sudan's, the army is Sudan's
    ("قتل ثمانية مدنيين في قصف مدفعي لقوات الدعم السريع على أحياء مدينة الفاشر.",
     "2024-09-02", "Sudan", {"Rapid Support Forces", "Civilians (Sudan)"}),
    ("قصف الطيران الحربي مواقع لقوات الدعم السريع في مدينة نيالا بولاية جنوب دارفور.",
     "2024-09-02", "Sudan", {"Military Forces of Sudan (2019-)", "Rapid Support Forces"}),
    # a Libyan report: the police are Libya's
    ("اعتقلت الشرطة خمسة أشخاص في مدينة مصراتة الليبية بعد اشتباكات مع مسلحين.",
     "2022-03-05", "Libya", None),
])
def test_record_actors_are_named_for_the_report_country(pipeline: Pipeline, text: str, published: str,
                                                         country: str, actors: set[str] | None) -> None:
    events = pipeline.extract_text(text, published=published)
    assert events and {e.country for e in events} == {country}
    names = {n for e in events for n in (e.actor1, e.actor2) if n}
    assert not any("Syria" in n for n in names), names
    if actors is not None:
        assert any({e.actor1, e.actor2} == actors for e in events), [(e.actor1, e.actor2) for e in events]


def test_record_place_unknown_takes_the_report_country(pipeline: Pipeline) -> None:
    # no place the gazetteer knows: the country comes from the report's groups and name
    e = _one(pipeline.extract_text("قتلت ميليشيا الدعم السريع ستة مواطنين في قرية ود العقيلي بالسودان.",
                                   published="2024-10-30"))
    assert e.country == "Sudan" and e.actor2 == "Civilians (Sudan)"


# (a report of ground taken; the sub-event type ACLED gives it) -- the government of ACLED's "Government
# regains territory" is the country's own; a foreign army takes ground as any other armed side does,
# and ground it takes in an incursion the report tells with no fighting is handed over, not fought for
GROUND_TAKEN = [
    pytest.param("سيطر الجيش التركي اليوم على بلدة راجو في ريف عفرين بعد معارك مع وحدات حماية الشعب الكردية.",
                 "Non-state actor overtakes territory", "Battles", id="foreign-army-after-battles"),
    pytest.param("وأعلنت وزارة الدفاع التركية أن قواتها طهرت قرية بلبل في ريف عفرين من الإرهابيين اليوم.",
                 "Non-state actor overtakes territory", "Battles", id="foreign-army-clears"),
    pytest.param("توغلت قوات الاحتلال الإسرائيلي صباح اليوم في بلدة جباتا الخشب بريف القنيطرة، وسيطرت على مبنى "
                 "البلدية فيها.", "Non-violent transfer of territory", "Strategic developments", id="incursion-takes"),
    pytest.param("توغلت قوة من الجيش الإسرائيلي فجر اليوم في قرية الحميدية بريف القنيطرة الشمالي واستولت على مقر "
                 "لقوى الأمن الداخلي.", "Non-violent transfer of territory", "Strategic developments",
                 id="incursion-seizes-post"),
    pytest.param("توغلت قوات الاحتلال فجر اليوم في قرية الحميدية بريف القنيطرة وسيطرت على مقر الأمن الداخلي بعد "
                 "اشتباكات مع مسلحين من أهالي القرية.", "Non-state actor overtakes territory", "Battles",
                 id="incursion-fought"),
    pytest.param("سيطرت قوات الجيش السوري اليوم على بلدة راجو في ريف عفرين بعد معارك مع وحدات حماية الشعب الكردية.",
                 "Government regains territory", "Battles", id="own-army"),
]


@pytest.mark.parametrize(("text", "sub", "kind"), GROUND_TAKEN)
def test_record_ground_taken_by_whose_army_and_how(pipeline: Pipeline, text: str, sub: str, kind: str) -> None:
    events = pipeline.extract_text(text, published="2025-03-01")
    taken = [e for e in events if e.sub_event_type in (
        "Government regains territory", "Non-state actor overtakes territory", "Non-violent transfer of territory")]
    assert [(e.sub_event_type, e.event_type) for e in taken] == [(sub, kind)], \
        [(e.sub_event_type, e.actor1, e.location_ar) for e in events]


@pytest.mark.parametrize("head", [" date 2025-03-09 ", "الأحد 9 مارس 2025 | ", "إدلب، 9 مارس 2025 – "])
def test_record_the_pages_date_dates_no_incident(pipeline: Pipeline, head: str) -> None:
    # the page's date heads the report; the body tells the day: one shelling, on that day, with its toll
    text = (f"{head}قتل خمسة مدنيين في قصف مدفعي لقوات النظام على بلدة كفرنبل بريف إدلب.\n"
            "وقال ناشطون إن القصف الذي نفذته قوات النظام السبت استهدف الأحياء السكنية في البلدة.")
    events = [e for e in pipeline.extract_text(text, published="2025-03-09")
              if e.sub_event_type == "Shelling/artillery/missile attack"]
    assert [(e.event_date, e.fatalities) for e in events] == [("2025-03-08", 5)], \
        [(e.event_date, e.fatalities, e.location_ar) for e in events]


# (a report; the sub-event type of the bombardment at a town it tells by the generic word "قصف")
BOMBARDMENTS = [
    # a state's forces abroad whose other strikes the report tells from the air: one more air strike
    pytest.param("شنت الطائرات الإسرائيلية غارة على بلدة عيتا الشعب في جنوب لبنان. كما طال قصف إسرائيلي أطراف "
                 "بلدة كفركلا.", "كفركلا", "Air/drone strike", id="israel-in-lebanon"),
    pytest.param("نفذت طائرة مسيرة تركية غارة على قرية خانصور في قضاء سنجار. وقتل ثلاثة أشخاص في قصف تركي استهدف "
                 "مستشفى في بلدة سنوني.", "سنوني", "Air/drone strike", id="turkey-in-iraq"),
    # forces at home fly and fire guns alike; a side whose guns the report names fired them; and with no
    # air strike told, the generic word keeps its reading
    pytest.param("شن الطيران الحربي السوري غارات على بلدة كفرنبل. كما قصفت قوات النظام بلدة حاس.", "حاس",
                 "Shelling/artillery/missile attack", id="home-forces"),
    pytest.param("شنت الطائرات الإسرائيلية غارة على بلدة عيتا الشعب. وقصفت المدفعية الإسرائيلية أطراف بلدة كفركلا. "
                 "كما طال قصف إسرائيلي بلدة الخيام.", "الخيام", "Shelling/artillery/missile attack", id="guns-named"),
    pytest.param("طال قصف تركي قرية تل جمعة بريف الحسكة.", "تل جمعة", "Shelling/artillery/missile attack",
                 id="no-air-strike-told"),
]


@pytest.mark.parametrize(("text", "town", "sub"), BOMBARDMENTS)
def test_record_a_bombardment_by_forces_abroad_that_strike_from_the_air(pipeline: Pipeline, text: str, town: str,
                                                                       sub: str) -> None:
    events = pipeline.extract_text(text, published="2024-04-23")
    assert [e.sub_event_type for e in events if e.location_ar == town] == [sub], \
        [(e.sub_event_type, e.location_ar) for e in events]
