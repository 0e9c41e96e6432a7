"""extract.coding: the report-wide coding marks on assembled candidates (the country-dependent reading of
them is ``extract.record``'s, tested in test_record)."""
from __future__ import annotations

import pytest

from ahdath.extract.events import Candidate
from ahdath.pipeline import Pipeline


@pytest.fixture(scope="module")
def assemble(pipeline: Pipeline):
    def run(text: str) -> list[Candidate]:
        return pipeline._assembler.assemble(pipeline.mentions(text)[0])

    return run


@pytest.mark.parametrize("text, fought", [
    ("توغلت قوة من الجيش الإسرائيلي في قرية الحميدية بريف القنيطرة واستولت على مقر لقوى الأمن الداخلي.", False),
    # a clash in the clause of the taking, or anywhere among the report's incidents, is the fight for it
    ("توغلت قوة إسرائيلية في قرية الحميدية وسيطرت على مقر الأمن الداخلي بعد اشتباكات مع مسلحين من أهالي القرية.",
     True),
    ("توغلت قوة إسرائيلية في قرية الحميدية وسيطرت على مقر الأمن الداخلي. واندلعت اشتباكات بين مسلحين محليين والقوة "
     "الإسرائيلية في قرية جباتا الخشب.", True),
    # no incursion told: ground taken is a battle's
    ("سيطرت قوات الجيش على بلدة راجو في ريف عفرين.", True),
])
def test_coding_ground_taken_in_an_incursion_with_no_fight_is_unopposed(assemble, text: str, fought: bool) -> None:
    taken = [c for c in assemble(text) if "territory" in c.sub_event_type]
    assert taken and {c.fought for c in taken} == {fought}, [(c.sub_event_type, c.fought) for c in taken]


@pytest.mark.parametrize("text, by_air", [
    ("شنت الطائرات الإسرائيلية غارة على بلدة عيتا الشعب. كما طال قصف إسرائيلي أطراف بلدة كفركلا.", True),
    ("شنت الطائرات الإسرائيلية غارة على بلدة عيتا الشعب. وقصفت المدفعية الإسرائيلية أطراف بلدة كفركلا. كما طال قصف "
     "إسرائيلي بلدة الخيام.", False),
    ("طال قصف إسرائيلي أطراف بلدة كفركلا.", False),
])
def test_coding_a_generic_bombardment_by_a_side_told_striking_from_the_air(assemble, text: str, by_air: bool) -> None:
    generic = [c for c in assemble(text) if c.sub_event_type == "Shelling/artillery/missile attack"
               and all(t.weak for t in c.triggers)]
    assert generic and {c.by_air for c in generic} == {by_air}, [(c.sub_event_type, c.by_air) for c in generic]
