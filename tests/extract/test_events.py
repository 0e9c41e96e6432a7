"""EventAssembler: candidates from mentions (roles, blocking cues, groups, places)."""
from __future__ import annotations

import pytest

from ahdath.extract.events import Candidate, EventAssembler
from ahdath.pipeline import Pipeline


@pytest.fixture(scope="module")
def assemble(pipeline: Pipeline):
    finder, assembler = pipeline._mentions, pipeline._assembler

    def run(text: str) -> list[Candidate]:
        return assembler.assemble(finder.find(text))

    return run


def _key(role) -> str | None:
    return role.key if role is not None else None


def test_events_air_strike_candidate(assemble) -> None:
    (c,) = assemble("شنت طائرات حربية روسية غارات جوية على بلدة كفرنبل في ريف إدلب.")
    assert c.sub_event_type == "Air/drone strike"
    assert c.event_type == "Explosions/Remote violence"
    assert c.place is not None and c.place.name == "كفرنبل"
    assert c.triggers


def test_events_clash_has_both_sides(assemble) -> None:
    (c,) = assemble("اندلعت اشتباكات عنيفة بين قوات النظام وتنظيم الدولة الإسلامية في محيط مدينة دير الزور.")
    assert c.event_type == "Battles"
    assert {_key(c.actor1), _key(c.actor2)} == {"SYR_REGIME", "ISIS"}


@pytest.mark.parametrize(
    "text",
    [
        "لم تسجل أي غارات جوية على ريف إدلب اليوم.",
        "تهدد قوات النظام بشن هجوم واسع على بلدة خان شيخون في ريف إدلب.",
        "فاز فريق الجيش على فريق الاتحاد بثلاثة أهداف في الدوري السوري لكرة القدم.",
        "",
    ],
    ids=["negation", "future-threat", "sports", "empty"],
)
def test_events_no_candidate(assemble, text: str) -> None:
    assert assemble(text) == []


def test_events_two_kinds_in_one_sentence(assemble) -> None:
    cs = assemble("قصفت الطائرات الروسية مدينة خان شيخون بعدة غارات، فيما استهدفت قوات النظام "
                  "بالمدفعية الثقيلة بلدة كفرنبل في ريف إدلب.")
    subs = {(c.sub_event_type, c.place.name if c.place else None) for c in cs}
    assert ("Air/drone strike", "خان شيخون") in subs
    assert ("Shelling/artillery/missile attack", "كفرنبل") in subs


def test_events_fatalities_from_number_word(assemble) -> None:
    cs = assemble("أدى قصف قوات النظام إلى مقتل خمسة مدنيين في بلدة كفرنبل بريف إدلب.")
    assert any(c.fatalities.count == 5 for c in cs)


def test_events_village_list_one_candidate_each(assemble) -> None:
    cs = assemble("قصفت قوات النظام قرى كفرنبل وحاس وكفرومة في ريف إدلب الجنوبي.")
    assert len({c.place.name for c in cs if c.place}) == 3


def test_events_capture_by_regime_is_government_regains(assemble) -> None:
    cs = assemble("سيطرت قوات النظام على بلدة مورك في ريف حماة الشمالي بعد معارك عنيفة.")
    assert any(c.sub_event_type == "Government regains territory" and _key(c.actor1) == "SYR_REGIME" for c in cs)
