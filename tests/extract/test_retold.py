"""A sentence coming back to an incident told before: what it adds (a village, the attacker, the
weapon) and what a marker of another incident keeps apart. Reports written for these tests."""
from __future__ import annotations

import pytest

from ahdath.model import Event
from ahdath.pipeline import Pipeline

TURKEY = "Military Forces of Turkey (2016-)"
REGIME = "Military Forces of Syria (2000-2024)"
US = "Military Forces of the United States (2021-)"
UNKNOWN = "Unidentified Armed Group (Syria)"


@pytest.fixture(scope="module")
def extract(pipeline: Pipeline):
    def run(text: str) -> list[Event]:
        return pipeline.extract_text(text, published="2024-05-01")

    return run


# -- the village a restatement names inside the countryside the incident was placed at --------------

@pytest.mark.parametrize(("text", "place", "precision"), [
    # the village named beside the town whose countryside it is
    ("قتل شابان جراء استهداف سيارتهما في ريف مدينة منبج. وتعرضت السيارة للاستهداف قرب قرية أم جلود شمال "
     "منبج، ما أدى إلى احتراقها.", "أم جلود", 1),
    # ... a village the gazetteer does not list, named the same way
    ("قتل شابان جراء استهداف سيارتهما في ريف مدينة منبج. وتعرضت السيارة للاستهداف قرب قرية تل زعيتر الصغير "
     "شمال منبج، ما أدى إلى احتراقها.", "تل زعيتر الصغير", 2),
    # a listed town the gazetteer puts in that countryside
    ("قتل ثلاثة مدنيين جراء قصف استهدف منازلهم في ريف إدلب الجنوبي. وتعرضت المنازل للاستهداف في بلدة كفرنبل.",
     "كفرنبل", 1),
])
def test_retold_village_named_later_places_the_incident(extract, text: str, place: str, precision: int) -> None:
    (e,) = extract(text)
    assert (e.location_ar, e.geo_precision) == (place, precision)
    assert e.fatalities in (2, 3)


@pytest.mark.parametrize("text", [
    # two villages are two scenes: neither is the incident's
    "قتل ثلاثة مدنيين جراء قصف استهدف منازلهم في ريف إدلب الجنوبي. وتعرضت المنازل للاستهداف في بلدتي كفرنبل وحاس.",
    # a town far from the countryside told first is not in it
    "قتل شابان جراء استهداف سيارتهما في ريف مدينة منبج. وتعرضت السيارة للاستهداف في بلدة كفرنبل.",
])
def test_retold_village_outside_or_among_others_leaves_the_place(extract, text: str) -> None:
    (e,) = extract(text)
    assert e.geo_precision == 3 and e.location_ar.startswith("ريف")


# -- the attacker and the weapon named after the incident -----------------------------------------

@pytest.mark.parametrize(("text", "sub", "actor1"), [
    # a drone named as the subject of the restatement: an air strike, and whose drone
    ("قتل مدنيان جراء استهداف سيارة في بلدة عامودا. وذكرت مصادر محلية أن طائرة مسيرة تركية استهدفت السيارة.",
     "Air/drone strike", TURKEY),
    ("قتل مدنيان جراء استهداف سيارة في بلدة عامودا، وقالت مصادر محلية إن مسيرة تركية استهدفت السيارة.",
     "Air/drone strike", TURKEY),
    # mortar fire with its side: the side, the weapon's sub-event type
    ("أصيب ثلاثة أشخاص باستهداف حافلة في مدينة درعا. وأكد ناشطون أن قوات النظام استهدفت الحافلة بقذائف الهاون.",
     "Shelling/artillery/missile attack", REGIME),
])
def test_retold_attacker_and_weapon_named_later(extract, text: str, sub: str, actor1: str) -> None:
    (e,) = extract(text)
    assert (e.sub_event_type, e.actor1) == (sub, actor1)


@pytest.mark.parametrize("text", [
    # the ministry tells of the blast: it speaks before the complementizer, it did not set it off
    "قتل خمسة أشخاص جراء انفجار في مدينة جبلة. وأعلنت وزارة الداخلية أن التفجير وقع بسيارة مفخخة.",
    "قتل خمسة أشخاص جراء انفجار في مدينة جبلة. وذكرت وزارة الداخلية في بيان أن الانفجار وقع قرب سوق شعبي.",
])
def test_retold_speaker_of_the_restatement_is_no_attacker(extract, text: str) -> None:
    (e,) = extract(text)
    assert e.actor1 == UNKNOWN


# -- a marker of another incident ------------------------------------------------------------------

STRIKE = "قتلت طائرة مسيرة أمريكية قياديا في تنظيم داعش في قرية الشحيل. "


@pytest.mark.parametrize("marker", ["وفي عملية منفصلة،", "وفي حادثة أخرى،", "في سياق متصل،", "وفي هجوم آخر،",
                                    "وعلى صعيد آخر،", "ومن جهة أخرى،"])
def test_retold_marker_of_another_incident_keeps_it_apart(extract, marker: str) -> None:
    text = STRIKE + f"{marker} نفذت القوات الأمريكية غارة جوية في سوريا أسفرت عن مقتل عنصرين من التنظيم."
    first, second = sorted(extract(text), key=lambda e: e.evidence.start)
    assert first.location_ar == "الشحيل"
    # not at the village of the strike told before, nor folded into it: its own toll, and the words that
    # told it apart in its evidence
    assert second.location_ar is None and second.fatalities == 2
    assert [s.text for s in second.evidence.spans["separate"]] == [marker.rstrip("،")]


def test_retold_without_a_marker_the_same_kind_comes_back_to_the_strike(extract) -> None:
    text = STRIKE + "ونفذت القوات الأمريكية غارة جوية في سوريا أسفرت عن مقتل عنصرين من التنظيم."
    (e,) = extract(text)
    assert (e.location_ar, e.fatalities, e.actor1) == ("الشحيل", 2, US)


# -- a landing from the air ------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "subs"), [
    # the helicopters carried the landing: one clash, no air strike
    ("نفذت القوات الأمريكية إنزالا جويا شاركت فيه ثلاث مروحيات في قرية الشحيل بريف دير الزور.", ["Armed clash"]),
    ("شاركت مروحيات في عملية إنزال نفذتها القوات الأمريكية في قرية الشحيل بريف دير الزور.", ["Armed clash"]),
    # helicopters that struck: an air strike
    ("قصفت مروحيات النظام قرية الشحيل بريف دير الزور.", ["Air/drone strike"]),
])
def test_retold_aircraft_of_a_landing_strike_nothing(extract, text: str, subs: list[str]) -> None:
    assert [e.sub_event_type for e in extract(text)] == subs


# -- a quarter or a site of the town an incident was told at ---------------------------------------

@pytest.mark.parametrize("text", [
    "قتل شاب برصاص مسلحين مجهولين في مدينة درعا. واستُهدف الشاب قرب مسجد في حي السبيل بمدينة درعا.",
    "أصيب طفلان برصاص قناص في مدينة جاسم. واستُهدف الطفلان قرب مدرسة في حي الكرك بمدينة جاسم.",
])
def test_retold_quarter_of_the_town_told_is_the_same_scene(extract, text: str) -> None:
    # the generic "استُهدف" with the victims told before and a quarter of their town: told closer
    assert [e.sub_event_type for e in extract(text)] == ["Attack"]


@pytest.mark.parametrize("text", [
    # a side named: another incident, whatever its words
    "قتل شاب برصاص مسلحين مجهولين في مدينة درعا. واستهدف مسلحون مجهولون عنصرا من الشرطة في حي السبيل بمدينة درعا.",
    # a quarter of another town
    "قتل شاب برصاص مسلحين مجهولين في مدينة درعا. واستُهدف الشاب قرب مسجد في حي السبيل بمدينة طفس.",
])
def test_retold_quarter_with_a_side_or_of_another_town_is_another_scene(extract, text: str) -> None:
    assert len(extract(text)) == 2


@pytest.mark.parametrize("text, sub, day", [
    ("قتل ثلاثة مدنيين في غارة جوية على بلدة سرمين بريف إدلب. وأكد الدفاع المدني أن الغارة التي شنها الطيران "
     "الحربي مساء الخميس استهدفت منزلا.", "Air/drone strike", "2019-03-07"),
    ("أصيب شابان بانفجار عبوة ناسفة في بلدة نوى بريف درعا. وقال ناشطون إن الانفجار الذي وقع الأربعاء استهدف "
     "سيارة الشابين.", "Remote explosive/landmine/IED", "2019-03-06"),
    # a day past another act of the clause is that act's: the incident keeps the report's day
    ("أصيب عنصر من الشرطة بانفجار عبوة ناسفة في بلدة نوى بريف درعا. وأضاف المصدر أن العبوة انفجرت خلال تمشيط "
     "المنطقة في أعقاب هجوم شنه مسلحون مجهولون الأربعاء.", "Remote explosive/landmine/IED", "2019-03-09"),
])
def test_retold_a_restatement_gives_the_day_its_incident_lacked(pipeline: Pipeline, text: str, sub: str,
                                                                day: str) -> None:
    events = [e for e in pipeline.extract_text(text, published="2019-03-09") if e.sub_event_type == sub]
    assert [e.event_date for e in events] == [day], [(e.event_date, e.evidence.text[:40]) for e in events]
