"""RoleReader: agent, target and associate among the actors of a trigger's clause."""
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
