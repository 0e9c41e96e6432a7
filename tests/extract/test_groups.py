"""Trigger groups: a death told with its weapon is the weapon's event, with its toll."""
from __future__ import annotations

import pytest

from ahdath.extract.events import Candidate
from ahdath.extract.trace import Decision
from ahdath.pipeline import Pipeline


@pytest.fixture(scope="module")
def assemble(pipeline: Pipeline):
    assembler = pipeline._assembler

    def run(text: str, trace: list[Decision] | None = None) -> list[Candidate]:
        return assembler.assemble(pipeline.mentions(text)[0], trace)

    return run


@pytest.mark.parametrize(
    "text, sub, toll",
    [
        # in one clause: the killing and a generic strike word
        ("قتل أربعة أشخاص في قصف تركي على قرية تل رفعت أمس.", "Shelling/artillery/missile attack", 4),
        ("مقتل ستة مدنيين بينهم طفلان في قصف استهدف سوقا شعبيا في مدينة الباب.",
         "Shelling/artillery/missile attack", 6),
        # across a cause connector: one incident
        ("قتل شابان وجرح آخر جراء استهداف سيارتهم قرب قرية عين عيسى بريف الرقة.",
         "Shelling/artillery/missile attack", 2),
        ("قتل مدنيان إثر انفجار في بلدة سرمدا شمال إدلب.", "Remote explosive/landmine/IED", 2),
        ("قتلت امرأة وطفلها جراء قصف مدفعي لقوات النظام على بلدة كفرنبل.", "Shelling/artillery/missile attack", 2),
    ],
    ids=["killed-in-shelling", "death-in-strike-on-market", "killed-after-targeting", "killed-after-blast",
         "killed-after-artillery"],
)
def test_groups_death_is_toll_of_its_weapon(assemble, text: str, sub: str, toll: int) -> None:
    (c,) = assemble(text)
    assert c.sub_event_type == sub
    assert c.fatalities.count == toll


def test_groups_cause_clause_gives_the_sides(assemble) -> None:
    # the strike is read over the whole incident: whom the killing clause names was hit
    (c,) = assemble("قتل عنصران من قوات النظام جراء استهداف تنظيم داعش حافلة لهم في بادية حمص.")
    assert c.event_type == "Explosions/Remote violence"
    assert (c.actor1.key, c.actor2.key) == ("ISIS", "SYR_REGIME")
    assert c.fatalities.count == 2


@pytest.mark.parametrize(
    "text",
    [
        "قتل مسلحون مجهولون شابا في بلدة نوى بريف درعا.",
        "أقدم مسلحون مجهولون على قتل رجل مسن داخل منزله في بلدة الكرك الشرقي.",
    ],
    ids=["killing-by-gunmen", "killing-at-home"],
)
def test_groups_killing_without_weapon_stays_an_attack(assemble, text: str) -> None:
    (c,) = assemble(text)
    assert c.sub_event_type == "Attack"


def test_groups_folded_death_is_traced(assemble) -> None:
    trace: list[Decision] = []
    assemble("قتل شابان وجرح آخر جراء استهداف سيارتهم قرب قرية عين عيسى بريف الرقة.", trace)
    folded = [d for d in trace if d.action == "folded" and d.subject == "Attack"]
    assert folded and "cause" in folded[0].reason


@pytest.mark.parametrize(
    "text",
    [
        "توصلت الفصائل وقوات النظام إلى اتفاق تسوية في بلدة الصنمين بريف درعا اليوم.",
        "وقعت هيئة تحرير الشام والجبهة الوطنية للتحرير اتفاق هدنة في مدينة سراقب مساء الأحد.",
        "ودخلت هدنة بين الفصائل وقوات النظام حيز التنفيذ في مدينة تلكلخ صباح اليوم.",
    ],
    ids=["deal-reached", "truce-signed", "truce-in-force"],
)
def test_groups_deal_made_is_an_agreement(assemble, text: str) -> None:
    assert [c.sub_event_type for c in assemble(text)] == ["Agreement"]


@pytest.mark.parametrize(
    "text",
    [
        # a deal's name: a line, a title, signatories, a headline topic
        "فجرت قوات الاحتلال حقل ألغام قرب خط وقف إطلاق النار في ريف القنيطرة.",
        "اغتيال عراب المصالحة في بلدة نمر بريف درعا.",
        "قصفت الطائرات مواقع للحركات الموقعة على اتفاق السلام في مدينة كادوقلي.",
    ],
    ids=["ceasefire-line", "title", "signatories"],
)
def test_groups_deal_named_is_no_agreement(assemble, text: str) -> None:
    trace: list[Decision] = []
    assert "Agreement" not in [c.sub_event_type for c in assemble(text, trace)]
    assert any(d.subject == "Agreement" and "named, not told" in d.reason for d in trace)


@pytest.mark.parametrize(
    "text",
    [
        "وتصدت وسائط الدفاع الجوي لصواريخ العدوان فوق ريف حمص وأسقطت معظمها.",
        "دارت معركة جوية بين الطائرات المسيرة والدفاعات الجوية في قاعدة حماة العسكرية.",
        "وسقطت صواريخ أطلقتها المضادات الأرضية في بلدة صحنايا.",
    ],
    ids=["defence-meets-missiles", "drones-against-defences", "defence-missiles-fall"],
)
def test_groups_air_defence_is_part_of_the_strike(assemble, text: str) -> None:
    trace: list[Decision] = []
    cs = assemble(text, trace)
    assert not {"Armed clash", "Shelling/artillery/missile attack"} & {c.sub_event_type for c in cs}
    assert any("air defence" in d.reason for d in trace)


def test_groups_fighting_at_an_air_defence_base_is_a_battle(assemble) -> None:
    (c,) = assemble("اندلعت اشتباكات عنيفة في محيط كتيبة الدفاع الجوي قرب بلدة المليحة.")
    assert c.sub_event_type == "Armed clash"


@pytest.mark.parametrize(
    "text, sub",
    [
        ("وأحبطت قوات الحكومة محاولة تسلل لمسلحي حفتر إلى منطقة العزيزية.", "Armed clash"),
        ("فككت وحدات من الجيش عشرات العبوات الناسفة لتعيد الأمن والاستقرار إلى بلدة كفرزيتا.",
         "Government regains territory"),
    ],
    ids=["foiled-infiltration", "bombs-cleared-on-the-way"],
)
def test_groups_foiled_in_a_battle_is_the_battle(assemble, text: str, sub: str) -> None:
    assert [c.sub_event_type for c in assemble(text)] == [sub]


@pytest.mark.parametrize(
    "text",
    [
        "فككت قوات الجيش عبوة ناسفة زرعت على طريق بلدة كفرنبل.",
        # told after the capture, in a town of its own: an act of its own
        "سيطر الجيش على قرية الزكاة بريف حماة وفككت وحداته عبوة ناسفة في بلدة اللطامنة.",
        # a reporting verb starts a new statement in a run-on sentence
        "سيطر الجيش على قرية الزكاة بريف حماة وأضاف المصدر أنه تم تفكيك عبوة ناسفة في بلدة اللطامنة.",
    ],
    ids=["alone", "after-the-capture", "new-statement"],
)
def test_groups_disrupted_use_of_its_own_stays(assemble, text: str) -> None:
    assert "Disrupted weapons use" in {c.sub_event_type for c in assemble(text)}


@pytest.mark.parametrize(
    "text",
    [
        "أطلقت طائرة مسيرة صاروخين على سيارة في قرية تل العيد بريف الحسكة.",
        "قصفت طائرات حربية بصواريخ موجهة بلدة كفرنبل صباح اليوم.",
        "استهدفت مروحية قذيفة على أطراف بلدة اللطامنة.",
        "قصفت الطائرات الروسية بلدة كفرنبل بالصواريخ.",
    ],
    ids=["drone-missiles", "warplanes-guided-missiles", "helicopter-shell", "air-force-missiles"],
)
def test_groups_missiles_fired_by_aircraft_are_the_air_strike(assemble, text: str) -> None:
    subs = [c.sub_event_type for c in assemble(text)]
    assert subs == ["Air/drone strike"], subs


@pytest.mark.parametrize(
    "text",
    [
        "قصفت الطائرات الحربية بلدة كفرنبل، فيما قصفت قوات النظام بالمدفعية الثقيلة بلدة حيش.",
        "شنت طائرات حربية غارات على بلدة كفرنبل وقصفتها قوات النظام بصواريخ أرض أرض.",
    ],
    ids=["air-and-artillery", "air-and-ground-missiles"],
)
def test_groups_air_strike_and_ground_fire_stay_apart(assemble, text: str) -> None:
    subs = {c.sub_event_type for c in assemble(text)}
    assert subs == {"Air/drone strike", "Shelling/artillery/missile attack"}, subs


def test_groups_flights_and_airspace_are_no_aircraft(assemble) -> None:
    # "الرحلات الجوية": the air word names flights, not an aircraft that fired the shells
    subs = {c.sub_event_type for c in assemble(
        "علقت إدارة المطار الرحلات الجوية بعد سقوط قذائف أطلقتها قوات النظام على مدرج المطار في مدينة حلب.")}
    assert "Air/drone strike" not in subs
