"""The curated places of Lebanon (data/gazetteer/places_lebanon.yaml), read in sentences written
for these tests."""
from __future__ import annotations

from datetime import date

import pytest

from ahdath.model import Article
from ahdath.pipeline import Options, Pipeline
from ahdath.text.normalize import norm


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline.from_options(Options(today=date(2026, 11, 27)))


def _places(pipeline: Pipeline, text: str) -> list[tuple[str, str | None, str | None]]:
    events = pipeline.extract_article(Article("t", text, date(2024, 4, 23)))
    return [(norm(e.location_ar or ""), e.country, e.admin1) for e in events]


@pytest.mark.parametrize("text, place, admin1", [
    ("استهدفت غارة إسرائيلية منزلا في بلدة حانين جنوب لبنان ما أدى إلى مقتل مدنيين.", "حانين", "Nabatieh"),
    ("قصفت المدفعية الإسرائيلية أطراف بلدة الخيام في جنوب لبنان صباح اليوم.", "الخيام", "Nabatieh"),
    ("اندلعت اشتباكات عنيفة في مخيم عين الحلوة للاجئين الفلسطينيين قرب صيدا.", "عين الحلوه", "South"),
    ("شنت طائرة مسيرة إسرائيلية غارة على سيارة في بلدة مجدل زون بقضاء صور.", "مجدل زون", "South"),
], ids=["bint-jbeil-village", "khiam-after-a-place-word", "camp", "tyre-village"])
def test_curated_lebanon_villages_of_the_south_are_placed(pipeline: Pipeline, text: str, place: str,
                                                          admin1: str) -> None:
    got = _places(pipeline, text)
    assert got and got[0] == (norm(place), "Lebanon", admin1), got


def test_curated_lebanon_a_village_named_like_a_word_needs_a_place_word(pipeline: Pipeline) -> None:
    # "الخيام" (tents) of the displaced in a Syrian camp is not the Lebanese village
    got = _places(pipeline, "قصفت قوات النظام الخيام في مخيم للنازحين قرب مدينة سرمدا في ريف إدلب.")
    assert got and all(c == "Syria" for _, c, _ in got), got
