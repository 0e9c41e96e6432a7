"""Tolls: which incident a stated death toll belongs to (ahdath.extract.tolls)."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from ahdath.extract.events import Candidate
from ahdath.extract.tolls import Tolls, give, same_scene
from ahdath.frozen import evolve
from ahdath.pipeline import Pipeline
from ahdath.resolve.fatalities import Fatalities


@pytest.fixture(scope="module")
def assemble(pipeline: Pipeline):
    finder, assembler = pipeline._mentions, pipeline._assembler

    def run(text: str) -> list[Candidate]:
        return assembler.assemble(finder.find(text))

    return run


@dataclass(frozen=True)
class _Told:
    """The fields of a candidate the toll rules read."""

    event_type: str
    fatalities: Fatalities
    place: object = None


@dataclass(frozen=True)
class _Place:
    name: str


@pytest.mark.parametrize(("had", "told", "implied", "kept"), [
    (None, 4, False, 4),  # no toll yet: the one told
    (7, 5, False, 5),  # a lower written figure for the incident: ACLED's lowest
    (5, 7, False, 5),  # a higher one does not replace it
    (3, 1, True, 3),  # an implied one ("مقتل امرأة") never lowers a figure
])
def test_tolls_give_keeps_the_lowest_written_figure(had: int | None, told: int, implied: bool, kept: int) -> None:
    out = [_Told("Battles", Fatalities(None, ())), _Told("Explosions/Remote violence", Fatalities(had, ()))]
    give(out, "Explosions/Remote violence", Fatalities(told, (), implied=implied))
    assert out[1].fatalities.count == kept and out[0].fatalities.count is None


def test_tolls_give_a_bare_killing_to_the_latest_incident_of_any_kind() -> None:
    out = [_Told("Battles", Fatalities(None, ())), _Told("Explosions/Remote violence", Fatalities(None, ()))]
    give(out, None, Fatalities(6, ()))
    assert [o.fatalities.count for o in out] == [None, 6]
    give(out, None, Fatalities(None, ()))  # no figure: nothing changes
    assert [o.fatalities.count for o in out] == [None, 6]


def test_tolls_same_scene() -> None:
    out = [_Told("Battles", Fatalities(None, ()), _Place("كفرنبل"))]
    assert same_scene(out, [])
    assert same_scene(out, [_Place("كفرنبل")])
    assert not same_scene(out, [_Place("حاس")])


@pytest.mark.parametrize(("text", "toll"), [
    # a sentence with no event of its own tells the toll of the incident just told
    ("انفجرت سيارة مفخخة في حي الزهراء بمدينة حمص صباح اليوم. وأكد ناشطون أن الانفجار وقع قرب دوار "
     "المدينة، مما أدى لمقتل 12 شخصا.", 12),
    ("اندلعت اشتباكات عنيفة بين قوات النظام وتنظيم الدولة الإسلامية في محيط مدينة دير الزور. "
     "وأفاد المرصد بأن أكثر من عشرين شخصا قتلوا.", 20),
    # a lower written figure told again for the incident is its toll (ACLED's lowest)
    ("قتل سبعة مدنيين بغارات روسية على بلدة كفرنبل. وأسفر القصف عن مقتل خمسة.", 5),
    # ... an implied one is not ("مقتل امرأة" counts one victim it names, not the toll)
    ("قتل ثلاثة مدنيين بغارات روسية على بلدة كفرنبل. وأسفر القصف عن مقتل امرأة.", 3),
], ids=["bare-toll-next-sentence", "bare-toll-plural-verb", "lower-figure", "implied-not-lower"])
def test_tolls_of_a_sentence_without_its_own_event(assemble, text: str, toll: int) -> None:
    (c,) = assemble(text)
    assert c.fatalities.count == toll


@pytest.mark.parametrize("text", [
    "قتل 28 مدنيا في قصف مدفعي لقوات النظام على بلدتي كفرنبل وحاس في ريف إدلب.",
    "أسفرت غارات روسية على مدينتي دوما وسقبا عن مقتل 30 شخصا.",
], ids=["shelling-two-towns", "strikes-two-towns"])
def test_tolls_one_total_over_several_places_is_no_toll_of_each(assemble, text: str) -> None:
    cs = assemble(text)
    assert len(cs) == 2 and all(c.fatalities.count is None for c in cs)


@pytest.mark.parametrize(("text", "toll"), [
    ("قصفت طائرات إسرائيلية مواقع في ريف دمشق. وأعلن الجيش مقتل سبعة جنود، بينهم خمسة في هجوم استهدف دبابة.", 5),
    ("شنت طائرات حربية روسية غارات على بلدة كفرنبل. وقالت مصادر إن عشرة مدنيين قتلوا، بينهم أربعة في القصف.", 4),
], ids=["share-of-an-attack", "share-of-a-strike"])
def test_tolls_share_of_a_total_told_for_the_incident(assemble, text: str, toll: int) -> None:
    assert assemble(text)[-1].fatalities.count == toll


def test_tolls_others_in_another_clause_add_to_the_toll(assemble) -> None:
    (c,) = assemble("قتل قيادي في الفصيل بغارة جوية روسية استهدفت سيارته في بلدة كفرنبل، حسبما أفاد مصدر أوضح "
                    "أن مرافقين اثنين فارقا الحياة أيضا.")
    assert c.fatalities.count == 3


@pytest.mark.parametrize("text", [
    "قصفت قوات النظام بلدة كفرنبل، ما أدى لمقتل ثلاثة مدنيين وإصابة آخرين. وقتل عنصران في اشتباكات.",
    "أسفر الهجوم عن مقتل سبعة جنود، بينهم خمسة في هجوم على حاجز، فيما أصيب عشرة آخرون.",
])
def test_tolls_of_range_is_the_counters_count(pipeline: Pipeline, text: str) -> None:
    # windows without a death word are not read, and cue phrases are read once per report: no
    # count changes, whether the report's scan gave its death words or not
    m = pipeline._mentions.find(text)
    counter = pipeline._assembler._fat
    n = len(m.tokens)
    for tolls in (Tolls(m, counter), Tolls(evolve(m, heads={}), counter)):
        for a in range(n):
            for b in range(a + 1, n + 1, 3):
                for at in (None, a + 2):
                    assert tolls.of_range(a, b, at) == (
                        counter.count(m.tokens, a, b) if at is None or not counter.count(m.tokens, a, b).parts
                        else counter.count(m.tokens, a, b, at=at))
