"""The country a report is about: votes of its places, its actors and the country's own words."""
from __future__ import annotations

import pytest

from ahdath.pipeline import Options, Pipeline
from ahdath.resolve.places import dateline_index
from ahdath.resolve.report_country import CountryFinder, CountryVotes


@pytest.fixture(scope="module")
def pipe() -> Pipeline:
    return Pipeline.from_options(Options())


def _decide(pipe: Pipeline, text: str) -> str | None:
    m = pipe._mentions.find(text)
    finder: CountryFinder = pipe._countries
    return finder.decide(m.tokens, m.places, m.actors, dateline_index(m.norm.text, m.places))


@pytest.mark.parametrize(("text", "country"), [
    # Yemen: its places, its groups, its name
    ("اندلعت مواجهات عنيفة بين قوات الجيش ومسلحي جماعة الحوثي في مديرية الحشاء غرب الضالع.", "Yemen"),
    ("قصفت جماعة الحوثي بالمدفعية أحياء سكنية في مدينة تعز وقتلت طفلين.", "Yemen"),
    ("أعلنت القوات اليمنية صد هجوم على مواقعها شمال البلاد.", "Yemen"),
    # Sudan
    ("قتل عشرة مدنيين في قصف لقوات الدعم السريع على مدينة الفاشر.", "Sudan"),
    ("هاجمت مجموعة مسلحة قرية في ولاية الجزيرة بوسط السودان وقتلت خمسة مواطنين.", "Sudan"),
    # Libya, with its capital
    ("تجددت الاشتباكات بين قوات حكومة الوفاق وقوات حفتر جنوبي العاصمة طرابلس.", "Libya"),
    ("سقطت قذائف على مطار في ضواحي العاصمة الليبية طرابلس صباح اليوم.", "Libya"),
    # Lebanon, with its own Tripoli
    ("اندلعت اشتباكات بين مسلحين في باب التبانة بمدينة طرابلس شمال لبنان.", "Lebanon"),
    ("شنت طائرة مسيرة غارة على سيارة في بلدة قرب مدينة صور جنوبي لبنان.", "Lebanon"),
    # Syria stays Syria
    ("قصفت قوات النظام بالمدفعية بلدة كفرنبل في ريف إدلب الجنوبي.", "Syria"),
    ("استهدفت طائرات حربية روسية مدينة سراقب شرق إدلب.", "Syria"),
])
def test_report_country_from_places_actors_and_names(pipe: Pipeline, text: str, country: str) -> None:
    assert _decide(pipe, text) == country


def test_report_country_people_from_elsewhere_weigh_less_than_places(pipe: Pipeline) -> None:
    # refugees named by their nationality live in the country whose town is named
    text = ("قتل شخصان في اشتباكات داخل مخيم للاجئين الفلسطينيين قرب مدينة صيدا، بحسب مسؤولين فلسطينيين "
            "ومصادر لبنانية.")
    assert _decide(pipe, text) == "Lebanon"


def test_report_country_dateline_outweighs_one_foreign_place(pipe: Pipeline) -> None:
    text = "الموصل – أعلنت مصادر أمنية مقتل ثلاثة أشخاص بانفجار عبوة ناسفة قرب حلب وبيروت."
    assert _decide(pipe, text) == "Iraq"


def test_report_country_none_without_evidence(pipe: Pipeline) -> None:
    assert _decide(pipe, "قتل ثلاثة أشخاص بانفجار عبوة ناسفة.") is None


@pytest.mark.parametrize(("votes", "country"), [
    ((), None),
    ((("Syria", 1.0),), "Syria"),
    ((("Lebanon", 2.0), ("Palestine", 2.0)), "Lebanon"),  # equal votes: the country named first
    ((("Lebanon", 2.0), ("Libya", 3.0)), "Libya"),
])
def test_report_country_votes_pick_the_most_then_the_first(votes, country) -> None:
    assert CountryVotes(votes).country == country


@pytest.mark.parametrize("text", [
    "أعلنت القوات اليمنية صد هجوم على مواقعها شمال البلاد قرب الحدود مع السعودية.",
    "اندلعت اشتباكات بين مسلحين في باب التبانة بمدينة طرابلس شمال لبنان، وقالت دمشق إن الحدود مغلقة.",
    "قصفت قوات النظام بالمدفعية بلدة كفرنبل في ريف إدلب الجنوبي.",
])
def test_report_country_heads_from_the_scan_give_the_same_votes(pipe: Pipeline, text: str) -> None:
    # the report's one scan says where a country's name may start: the votes are those of a full read
    m = pipe._mentions.find(text)
    finder: CountryFinder = pipe._countries
    heads = m.heads["country"]
    assert heads == [i for i, t in enumerate(m.tokens) if finder.can_start(t.text)]
    dl = dateline_index(m.norm.text, m.places)
    assert finder.votes(m.tokens, m.places, m.actors, dl, heads) == finder.votes(m.tokens, m.places, m.actors, dl)
    country = finder.decide(m.tokens, m.places, m.actors, dl)
    assert finder.foreign_named_bare(m.tokens, m.places, country, heads) == \
        finder.foreign_named_bare(m.tokens, m.places, country)
