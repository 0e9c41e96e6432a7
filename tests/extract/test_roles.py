"""RoleReader: agent, target and associate among the actors of a trigger's clause (sentences written
for these tests)."""
from __future__ import annotations

import pytest

from ahdath.extract.roles import RoleReader, key_of, load_allies
from ahdath.pipeline import Pipeline


@pytest.fixture(scope="module")
def roles_of(pipeline: Pipeline):
    reader = RoleReader(load_allies())

    def run(text: str, sub: str) -> tuple[str | None, str | None]:
        m = pipeline.mentions(text)[0]
        trig = next(t for t in m.triggers if t.sub_event_type == sub)
        agent, target, _assoc = reader.read(trig, m.actors, m.cues)
        return (key_of(agent) if agent else None), (key_of(target) if target else None)

    return run


@pytest.mark.parametrize(
    "text, agent",
    [
        ("قتل أربعة أشخاص في قصف تركي على قرية تل رفعت أمس.", "TURKEY"),
        ("أصيب ثلاثة مدنيين في قصف روسي على بلدة كنصفرة.", "RUSSIA"),
        ("قتل طفلان في قصف إسرائيلي على بلدة بيت لاهيا.", "ISRAEL"),
    ],
    ids=["turkish", "russian", "israeli"],
)
def test_roles_victim_word_before_the_trigger_does_not_make_the_next_side_a_target(roles_of, text: str,
                                                                                   agent: str) -> None:
    assert roles_of(text, "Shelling/artillery/missile attack")[0] == agent


def test_roles_victim_word_before_a_side_still_marks_it_hit(roles_of) -> None:
    assert roles_of("قصفت قوات النظام مواقع عناصر تنظيم داعش في بادية حمص.",
                    "Shelling/artillery/missile attack") == ("SYR_REGIME", "ISIS")


def test_roles_allies_are_one_side() -> None:
    reader = RoleReader(frozenset({frozenset({"SYR_REGIME", "RUSSIA"})}))
    assert reader.allied("SYR_REGIME", "RUSSIA") and reader.allied("ISIS", "ISIS")
    assert not reader.allied("SYR_REGIME", "ISIS")


@pytest.fixture(scope="module")
def reader() -> RoleReader:
    return RoleReader(load_allies())


def _roles(pipeline: Pipeline, reader: RoleReader, text: str, sub: str, **kw):
    m = pipeline.mentions(text)[0]
    trig = next(t for t in m.triggers if t.sub_event_type == sub)
    sites = [p for p in m.places if p.kind == "facility"]
    agent, target, assoc = reader.read(trig, m.actors, m.cues, m.tokens, sites=sites, **kw)
    return tuple(key_of(a) if a is not None else None for a in (agent, target, assoc))


def test_roles_allied_sides_and_the_same_side(reader: RoleReader) -> None:
    assert reader.allied("SYR_REGIME", "RUSSIA") and reader.allied("RUSSIA", "SYR_REGIME")
    assert reader.allied("ISIS", "ISIS")
    assert not reader.allied("SDF", "TURKEY")


@pytest.mark.parametrize("text, sub, expected", [
    # the noun after the subject with no "و" is the object; with "و" it is a side acting with it
    ("اعتقلت قوات الجيش العراقي خمسة إرهابيين في كركوك.", "Arrests", ("IRAQ_GOV", "ISIS", None)),
    ("هاجمت قوات الجيش والحشد الشعبي مواقع لداعش في الحضر.", "Armed clash", ("IRAQ_GOV", "ISIS", "PMF")),
    # whose base it is is the side hit
    ("قصفت طائرات مسيرة مطار الضبعة العسكري التابع للقوات الروسية.", "Air/drone strike", (None, "RUSSIA", None)),
    # a target word right before the side, after the aircraft: the side is hit
    ("استهدفت طائرات مسيرة تركية مقرا لقوات سوريا الديمقراطية في عين عيسى.", "Air/drone strike",
     ("TURKEY", "SDF", None)),
])
def test_roles_in_the_clause(pipeline: Pipeline, reader: RoleReader, text: str, sub: str,
                             expected: tuple) -> None:
    assert _roles(pipeline, reader, text, sub) == expected


def test_roles_verb_without_subject_takes_the_prior_side(pipeline: Pipeline, reader: RoleReader) -> None:
    text = "سيطرت على مقرات تنظيم الدولة في قرية الباغوز."
    m = pipeline.mentions("تقدمت قوات سوريا الديمقراطية. " + text)[0]
    sdf = next(a for a in m.actors if key_of(a) == "SDF")
    assert _roles(pipeline, reader, text, "Non-state actor overtakes territory", prior=sdf)[:2] == ("SDF", "ISIS")
    # with no side before it, the side named in the clause stays where its words put it
    assert _roles(pipeline, reader, text, "Non-state actor overtakes territory")[0] == "ISIS"


def test_roles_prior_subject(pipeline: Pipeline, reader: RoleReader) -> None:
    m = pipeline.mentions("وصلت تعزيزات قوات النظام إلى أطراف البلدة، ثم سيطرت على مواقع الفصائل.")[0]
    regime = next(a for a in m.actors if key_of(a) == "SYR_REGIME")
    clause_first = next(t.first for t in m.triggers)
    # no incident told before: the last armed side named before the clause and marked by no target word
    assert reader.prior_subject([], clause_first, m.actors, m.cues) is regime
    # an incident told before: its agent
    assert reader.prior_subject([regime], 0, m.actors, m.cues) is regime
    assert reader.prior_subject([], 0, m.actors, m.cues) is None


@pytest.mark.parametrize("text, claimant", [
    ("تبنى تنظيم الدولة الهجوم على حاجز قوات النظام.", "ISIS"),
    ("أعلنت هيئة تحرير الشام مسؤوليتها عن الهجوم.", "HTS"),
])
def test_roles_claimant(pipeline: Pipeline, reader: RoleReader, text: str, claimant: str) -> None:
    m = pipeline.mentions(text)[0]
    c = reader.claimant(m.actors, m.cues)
    assert c is not None and key_of(c) == claimant


def test_roles_prison_holder_is_not_the_side_hit(pipeline: Pipeline, reader: RoleReader) -> None:
    # a death in a prison: whose prison it is stays free to be the agent (only a site struck is the side hit)
    text = "قتل معتقل تحت التعذيب في سجن صيدنايا التابع لقوات النظام."
    assert "SYR_REGIME" != _roles(pipeline, reader, text, "Attack")[1]



@pytest.mark.parametrize("text, outlet", [
    ("قتل ثلاثة مدنيين في قصف على بلدة كفرنبل، حسبما ذكر موقع روسيا اليوم.", "RUSSIA"),
    ("وأفادت قناة روسيا اليوم بمقتل ثلاثة مدنيين في قصف على بلدة كفرنبل.", "RUSSIA"),
    ("قتل ثلاثة مدنيين في قصف على بلدة كفرنبل بحسب موقع صوت أمريكا.", "USA"),
    ("ونقلت إذاعة الجيش الإسرائيلي أن ثلاثة مدنيين قتلوا في قصف على بلدة كفرنبل.", "ISRAEL"),
], ids=["site-after-speech", "channel", "voice-of-america", "army-radio"])
def test_roles_an_outlet_named_after_a_country_or_a_side_is_not_a_side(roles_of, text: str, outlet: str) -> None:
    assert outlet not in roles_of(text, "Shelling/artillery/missile attack")


def test_roles_a_side_after_the_outlets_words_stays_a_side(roles_of) -> None:
    # the noun after "قالت القناة إن" is the clause's subject, not the outlet's name
    agent, _ = roles_of("وقالت القناة إن الطيران الروسي قصف بلدة كفرنبل بعدة غارات.", "Air/drone strike")
    assert agent == "RUSSIA"


@pytest.mark.parametrize("text", [
    "توغل الجيش التركي في قرية راجو وسيطر عليها بعد اشتباكات مع وحدات حماية الشعب.",
    "دخل الجيش التركي قرية بلبل وسيطر عليها بعد معارك مع وحدات حماية الشعب.",
])
def test_roles_a_side_after_ma_is_fought_with_not_the_subject(pipeline: Pipeline, text: str) -> None:
    # "مع": whom the act was fought with; the verb's subject is the side before it
    events = pipeline.extract_text(text, published="2019-03-01")
    assert [(e.actor1, e.actor2) for e in events if e.event_type == "Battles"] == [
        ("Military Forces of Turkey (2016-)", "YPG: People's Protection Units")], \
        [(e.sub_event_type, e.actor1, e.actor2) for e in events]


@pytest.mark.parametrize("text, sides", [
    ("اندلعت اشتباكات عنيفة بين قوات النظام وتنظيم الدولة الإسلامية في محيط مدينة دير الزور.", ("SYR_REGIME", "ISIS")),
    ("اندلعت اشتباكات بين المتظاهرين وقوات الأمن في مدينة البصرة.", ("PROTESTERS", "IRAQ_GOV")),
    # a side the report names beats gunmen it does not
    ("تدور معارك عنيفة بين قوات النظام والمسلحين الموالين لها من جهة، وفصائل المعارضة من جهة أخرى في ريف حماة.",
     ("SYR_REGIME", "OPPOSITION")),
])
def test_roles_between_reads_the_second_side_joined_by_wa(roles_of, text: str, sides: tuple[str, str]) -> None:
    # the second side of "بين X وY" starts right where the first ends: its "و" is a clitic
    assert roles_of(text, "Armed clash") == sides


@pytest.mark.parametrize("text, sides", [
    ("تدور معارك عنيفة بين قوات النظام من جهة وفصائل إسلامية هي هيئة تحرير الشام وحلفاؤها من جهة أخرى في ريف حماة.",
     ("SYR_REGIME", "HTS")),
    ("اندلعت اشتباكات بين قوات النظام وفصائل جهادية وهي هيئة تحرير الشام والحزب التركستاني على محور كبانة.",
     ("SYR_REGIME", "HTS")),
    # a named group far past the generic side is not its name
    ("اندلعت اشتباكات بين قوات النظام وفصائل جهادية على محور بلدة كبانة في ريف اللاذقية منذ ساعات الصباح، بينما "
     "أعلنت هيئة تحرير الشام مقتل عنصرين.", ("SYR_REGIME", "OPPOSITION")),
])
def test_roles_a_generic_side_renamed_right_after_is_the_group_named(roles_of, text: str,
                                                                      sides: tuple[str, str]) -> None:
    assert roles_of(text, "Armed clash") == sides
