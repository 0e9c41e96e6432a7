"""Actor finding, period/country choice, ACLED names and codes."""
from __future__ import annotations

import importlib.util
import time
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ahdath.errors import LexiconError
from ahdath.lexicon.loader import Entry, Lexicon, LexiconSet
from ahdath.resolve.actors import (
    GUIDELINE_KEYS, OTHER_PREFIX, ActorFinder, ActorMention, civilian_targeting, home_state, interaction,
)
from ahdath.text.normalize import norm, normalize
from ahdath.text.tokens import tokenize

FALL_OF_ASSAD = date(2024, 12, 8)
# Keys no keyword of the scorer reaches: their ACLED names score as OTHER:<name>.
UNREACHABLE_KEYS = {"PRO_REGIME_MILITIA", "LIBYA_GNA"}


@pytest.fixture(scope="module")
def finder(lexicons: LexiconSet) -> ActorFinder:
    return ActorFinder.from_lexicons(lexicons)


def _resolved(finder: ActorFinder, text: str, on: date | None = None,
              country: str | None = None) -> list[tuple[str, str]]:
    nt = normalize(text)
    out = []
    for m in finder.find(tokenize(nt.text)):
        surface = norm(nt.text[m.start:m.end].replace("_", " "))
        out.append((surface, finder.resolve(m, on, country=country).key))
    return out


@pytest.mark.parametrize(("text", "surface", "key", "on", "country"), [
    ("استهدفت قوات الاسد بالمدفعية الثقيلة بلدة الهبيط", "قوات الأسد", "SYR_REGIME", date(2016, 3, 2), None),
    ("وأكد ناشطون أن لقوات النظام حاجزا على مدخل البلدة", "قوات النظام", "SYR_REGIME", None, None),
    ("وقسد تعلن السيطرة على قرية جديدة شرق الفرات", "قسد", "SDF", None, None),
    ("نفذ انتحاري من #تنظيم_الدولة هجوما على حاجز للجيش", "تنظيم الدولة", "ISIS", None, None),
    ("ألحقت الاشتباكات خسائر بتنظيم الدولة الإسلامية في البادية", "تنظيم الدولة الاسلامية", "ISIS", None, None),
    ("أعلنت قوات سورية الديمقراطية مقتل عنصرين من مقاتليها", "قوات سورية الديمقراطية", "SDF", None, None),
    ("وأعلنت قوات سوريا الديموقراطية صد الهجوم", "قوات سوريا الديموقراطية", "SDF", None, None),
    ("شنت هيئة تحرير الشام هجوما على مواقع للنظام", "هيئة تحرير الشام", "HTS", date(2019, 5, 6), None),
    # "للنظام" is ل + ال: the evidence starts after the letters the clitic shares with the article
    ("شنت هيئة تحرير الشام هجوما على مواقع للنظام", "نظام", "SYR_REGIME", date(2019, 5, 6), None),
    ("اشتبكت وجبهة النصرة مع الفصائل", "جبهة النصرة", "HTS", date(2014, 2, 1), None),
    ("سقطت قذائف أطلقها مسلحون مجهولون على حي الميدان", "مسلحون مجهولون", "UNKNOWN", None, None),
    ("قتل مدنيان وأصيب ثلاثة أطفال بجروح", "اطفال", "CIVILIANS", None, None),
    ("قتل مدنيان وأصيب ثلاثة أطفال بجروح", "مدنيان", "CIVILIANS", None, None),
    ("سقطت القذيفة على الأحياء السكنية في المدينة", "الاحياء السكنية", "CIVILIANS", None, None),
    ("خرج المتظاهرون في ساحة السرايا مطالبين بالإفراج عن المعتقلين", "المتظاهرون", "PROTESTERS", None, None),
    ("استهدف الطيران الروسي بلدة معرة حرمة بعدة غارات", "الطيران الروسي", "RUSSIA", None, None),
    ("ألقى الطيران المروحي براميل على بلدة داريا", "الطيران المروحي", "SYR_REGIME", date(2015, 8, 1), None),
    ("سيطرت الفرقة ٢٥ على تلة استراتيجية في ريف حماة", "الفرقة 25", "SYR_REGIME", None, None),
    ("اشتبكت عناصر الأمن العام مع فلول النظام في ريف جبلة", "عناصر الامن العام", "SYR_GOV_NEW",
     date(2025, 3, 6), None),
    ("اشتبكت عناصر الأمن العام مع فلول النظام في ريف جبلة", "فلول النظام", "OTHER:Assad regime remnants",
     date(2025, 3, 6), None),
    ("قصفت طائرات التحالف الدولي مواقع للتنظيم قرب البوكمال", "طائرات التحالف الدولي", "COALITION", None, None),
    ("قصفت طائرات التحالف الدولي مواقع للتنظيم قرب البوكمال", "تنظيم", "ISIS", None, None),
    ("شن طيران التحالف غارات على مواقع في صعدة", "طيران التحالف", "SAUDI_COALITION", None, "Yemen"),
    ("شن الجيش السوداني هجوما على مواقع الدعم السريع", "الجيش السوداني", "SAF", None, "Sudan"),
    ("شن الجيش السوداني هجوما على مواقع الدعم السريع", "الدعم السريع", "RSF", None, "Sudan"),
    ("قصف الحوثيون بالصواريخ مدينة مأرب", "الحوثيون", "HOUTHI", None, "Yemen"),
    ("قتل عنصران من الحشد الشعبي في هجوم شمال بغداد", "الحشد الشعبي", "PMF", None, "Iraq"),
    ("أطلقت حركة الجهاد الإسلامي رشقة صواريخ", "حركة الجهاد الاسلامي", "PIJ", None, "Palestine"),
    ("تبنت كتائب القسام العملية", "كتائب القسام", "HAMAS", None, "Palestine"),
    ("استهدف حزب الله موقعا إسرائيليا", "حزب الله", "HEZBOLLAH", None, "Lebanon"),
    ("اندلعت اشتباكات بين #لواء_شهداء_اليرموك والفصائل", "لواء شهداء اليرموك", "ISIS", None, None),
    ("قصف الجيش التركي قرى في ريف عفرين", "الجيش التركي", "TURKEY", None, None),
    ("استهدفت الميليشيات الايرانية بالمدفعية مواقع للفصائل", "الميليشيات الايرانية", "IRAN_MILITIA", None, None),
    ("هاجم عناصر الدفاع الوطني حاجزا للتنظيم", "عناصر الدفاع الوطني", "SYR_NDF", None, None),
    ("سيطرت فصائل غصن الزيتون على القرية", "فصائل غصن الزيتون", "SNA", None, None),
    ("قصفت وحدات حماية الشعب بلدة مارع", "وحدات حماية الشعب", "SDF", None, None),
])
def test_actors_find_phrase(finder: ActorFinder, text: str, surface: str, key: str, on: date | None,
                            country: str | None) -> None:
    assert (norm(surface), key) in _resolved(finder, text, on, country)


@pytest.mark.parametrize("text", [
    "سقطت قذيفة في منطقة السيدة زينب جنوب العاصمة",
    "وصلت التعزيزات إلى قاعدة حميميم الجوية",
    "ما يزال مصيره مجهولا حتى الآن",
    "أصدرت الحكومة قرارا بشأن تنظيم العملة",
])
def test_actors_find_ignores_non_actors(finder: ActorFinder, text: str) -> None:
    assert _resolved(finder, text) == []


def test_actors_mention_offsets_skip_clitics(finder: ActorFinder) -> None:
    text = "وتصدت الفصائل لقوات النظام"
    nt = normalize(text)
    mentions = finder.find(tokenize(nt.text))
    assert [nt.text[m.start:m.end] for m in mentions] == ["الفصايل", "قوات النظام"]
    assert [m.generic for m in mentions] == [True, False]
    assert mentions[1].last - mentions[1].first == 2


@pytest.mark.parametrize(("phrase", "on", "key"), [
    ("الجيش السوري", date(2016, 5, 14), "SYR_REGIME"),
    ("الجيش السوري", FALL_OF_ASSAD, "SYR_REGIME"),
    ("الجيش السوري", date(2024, 12, 9), "SYR_GOV_NEW"),
    ("الجيش السوري", date(2025, 3, 7), "SYR_GOV_NEW"),
    ("الجيش السوري", None, "SYR_REGIME"),
    ("وزارة الدفاع السورية", date(2025, 1, 20), "SYR_GOV_NEW"),
    ("قوات الحكومة السورية", date(2020, 1, 20), "SYR_REGIME"),
    ("النظام", date(2019, 1, 1), "SYR_REGIME"),
    ("النظام", date(2025, 3, 8), "OTHER:Assad regime remnants"),
    ("قوات الأمن", date(2013, 4, 1), "SYR_REGIME"),
    ("قوات الأمن", date(2025, 4, 1), "SYR_GOV_NEW"),
    # outside every period the nearest one wins: old names for a group stay its key
    ("جبهة النصرة", date(2019, 9, 1), "HTS"),
    ("قوات النظام", date(2025, 2, 1), "SYR_REGIME"),
])
def test_actors_choose_by_period(finder: ActorFinder, phrase: str, on: date | None, key: str) -> None:
    [mention] = finder.find(tokenize(norm(phrase)))
    assert finder.resolve(mention, on).key == key


@pytest.mark.parametrize(("phrase", "country", "key"), [
    ("الجيش", None, "SYR_REGIME"),
    ("الجيش", "Syria", "SYR_REGIME"),
    ("الجيش", "Sudan", "SAF"),
    ("الجيش", "Lebanon", "LEB_ARMY"),
    ("الجيش", "Iraq", "IRAQ_GOV"),
    ("التحالف", "Syria", "COALITION"),
    ("التحالف", "Iraq", "COALITION"),
    ("التحالف", "Yemen", "SAUDI_COALITION"),
])
def test_actors_choose_by_country(finder: ActorFinder, phrase: str, country: str | None, key: str) -> None:
    [mention] = finder.find(tokenize(norm(phrase)))
    assert finder.resolve(mention, date(2023, 6, 1), country=country).key == key


def test_actors_periods_fix_seed_year(finder: ActorFinder) -> None:
    # "Saturday 14 May" plus Liwa Shuhada al-Yarmouk (2012 - May 2016): only 2016 fits.
    text = "أعلن #لواء_شهداء_اليرموك صباح السبت ١٤ أيار السيطرة على بلدة في حوض اليرموك"
    bounds = [p for m in finder.find(tokenize(normalize(text).text)) for p in finder.periods(m)]
    assert bounds == [(date(2012, 8, 1), date(2016, 5, 31))]
    lo, hi = bounds[0]
    assert lo is not None and hi is not None
    years = [y for y in range(lo.year, hi.year + 1)
             if lo <= date(y, 5, 14) <= hi and date(y, 5, 14).weekday() == 5]
    assert years == [2016]


def test_actors_periods_unbounded_for_plain_actor(finder: ActorFinder) -> None:
    [mention] = finder.find(tokenize(norm("داعش")))
    assert finder.periods(mention) == [(None, None)]
    [mention] = finder.find(tokenize(norm("الجيش السوري")))
    assert finder.periods(mention) == [(date(2000, 7, 17), FALL_OF_ASSAD), (date(2024, 12, 9), None)]


@pytest.mark.parametrize(("phrase", "country", "name", "inter"), [
    ("مدنيين", None, "Civilians (Syria)", 7),
    ("مدنيين", "Iraq", "Civilians (Iraq)", 7),
    ("متظاهرين", "Sudan", "Protesters (Sudan)", 6),
    ("مجهولون", None, "Unidentified Armed Group (Syria)", 3),
    ("داعش", "Iraq", "Islamic State (Iraq)", 2),
    ("قوات النظام", None, "Military Forces of Syria (2000-2024)", 1),
    # state forces abroad are external forces (ACLED inter 8)
    ("الطيران الروسي", "Syria", "Military Forces of Russia (2000-)", 8),
    ("الجيش الإسرائيلي", "Palestine", "Military Forces of Israel (2022-)", 8),
    ("الجيش الإسرائيلي", "Israel", "Military Forces of Israel (2022-)", 1),
    ("القوات الأمريكية", None, "Military Forces of the United States (2021-)", 8),
    ("قسد", None, "SDF: Syrian Democratic Forces", 2),
    ("الدفاع الوطني", None, "NDF: National Defense Forces", 3),
])
def test_actors_to_actor_names_and_inter(finder: ActorFinder, phrase: str, country: str | None, name: str,
                                         inter: int) -> None:
    [mention] = finder.find(tokenize(norm(phrase)))
    actor = finder.resolve(mention, date(2023, 6, 1), country=country)
    assert (actor.name, actor.inter) == (name, inter)


@pytest.mark.parametrize(("name", "state"), [
    ("Military Forces of Russia (2000-)", "Russia"),
    ("Military Forces of the United States (2021-)", "United States"),
    ("Police Forces of Syria (2024-)", "Syria"),
    ("Military Forces of Yemen (2017-) Houthi", "Yemen"),
    ("Hezbollah", None),
    ("Civilians (Syria)", None),
])
def test_actors_home_state(name: str, state: str | None) -> None:
    assert home_state(name) == state


@pytest.mark.parametrize(("inter1", "inter2", "code"), [
    (1, 2, 12), (2, 1, 12), (1, 1, 11), (8, 7, 78), (3, 7, 37), (2, 8, 28),
    (1, None, 10), (None, 2, 20), (6, None, 60), (None, None, None),
])
def test_actors_interaction(inter1: int | None, inter2: int | None, code: int | None) -> None:
    assert interaction(inter1, inter2) == code


@pytest.mark.parametrize(("event_type", "sub", "actor2", "expected"), [
    ("Violence against civilians", "Attack", "CIVILIANS", "Civilian targeting"),
    ("Violence against civilians", "Abduction/forced disappearance", None, "Civilian targeting"),
    ("Explosions/Remote violence", "Air/drone strike", "CIVILIANS", "Civilian targeting"),
    ("Explosions/Remote violence", "Air/drone strike", "ISIS", None),
    ("Protests", "Excessive force against protesters", "PROTESTERS", "Civilian targeting"),
    ("Battles", "Armed clash", "CIVILIANS", None),
    ("Strategic developments", "Arrests", "CIVILIANS", None),
])
def test_actors_civilian_targeting(event_type: str, sub: str, actor2: str | None, expected: str | None) -> None:
    assert civilian_targeting(event_type, sub, actor2) == expected


def test_actors_lexicon_keys_and_inter(lexicons: LexiconSet) -> None:
    entries = lexicons["actors"].entries
    assert len(entries) > 40
    for e in entries:
        key = e.get("key")
        assert key in GUIDELINE_KEYS or key.startswith(OTHER_PREFIX), e.id
        assert 1 <= e.get("inter") <= 8
        assert "{" not in e.get("name").replace("{country}", ""), e.id


def test_actors_every_guideline_key_has_an_entry(lexicons: LexiconSet) -> None:
    keys = {e.get("key") for e in lexicons["actors"].entries}
    assert GUIDELINE_KEYS <= keys


def _load_scorer(shared: Path) -> ModuleType:
    path = shared / "tools" / "score.py"
    if not path.is_file():
        pytest.skip("score.py is not present")
    spec = importlib.util.spec_from_file_location("ahdath_shared_score", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# (not Israel: the scorer reads "Civilians (Israel)" as the Israeli army, its first keyword)
@pytest.mark.parametrize("country", ["Syria", "Iraq", "Yemen", "Libya", "Sudan", "Lebanon", "Palestine"])
def test_actors_names_score_as_their_keys(lexicons: LexiconSet, shared_dir: Path, country: str) -> None:
    finder = ActorFinder.from_lexicons(lexicons)
    actor_key = _load_scorer(shared_dir).actor_key
    wrong = []
    for e in lexicons["actors"].entries:
        actor = finder.to_actor(e, country)
        expected = OTHER_PREFIX + actor.name if actor.key in UNREACHABLE_KEYS else actor.key
        if actor_key(actor.name) != expected:
            wrong.append((e.id, actor.name, actor_key(actor.name), expected))
    assert wrong == []


def _entry(id_: str, **fields: Any) -> Entry:
    return Entry("actors", id_, ("عصابه",), ("عصابة",), fields, "test", "test.yaml")


def test_actors_to_actor_without_any_country(lexicons: LexiconSet) -> None:
    finder = ActorFinder.from_lexicons(lexicons, default_country=None)
    [mention] = finder.find(tokenize(norm("أهالي")))
    assert finder.resolve(mention, None).name == "Civilians"
    [mention] = finder.find(tokenize(norm("الطيران الروسي")))
    assert finder.resolve(mention, None).inter == 1


def test_actors_from_lexicons_rejects_unknown_key() -> None:
    bad = LexiconSet({"actors": Lexicon("actors", (_entry("x", name="X", key="BANDITS", inter=3),))})
    with pytest.raises(LexiconError) as info:
        ActorFinder.from_lexicons(bad)
    assert "BANDITS" in info.value.problems[0]


def test_actors_choose_prefers_priority_then_earliest_period() -> None:
    lex = LexiconSet({"actors": Lexicon("actors", (
        _entry("late", name="Late", key="OTHER:Late", inter=3, active_from=date(2020, 1, 1)),
        _entry("early", name="Early", key="OTHER:Early", inter=3, active_to=date(2019, 12, 31)),
        _entry("low", name="Low", key="OTHER:Low", inter=3, priority=-1),
    ))})
    finder = ActorFinder.from_lexicons(lex)
    [mention] = finder.find(tokenize(norm("هاجمت عصابة القرية")))
    assert [e.id for e in mention.entries] == ["late", "early", "low"]
    assert finder.choose(mention, None).id == "early"
    assert finder.choose(mention, date(2021, 1, 1)).id == "late"
    assert finder.choose(mention, date(2010, 1, 1)).id == "early"


_ARABIC = st.text(alphabet=st.sampled_from(list("ابتثجحخدذرسشصضطظعغفقكلمنهويءأإآةى ٠١٢٣#_،.")), max_size=200)
_PHRASES = st.sampled_from(["قوات النظام", "وقسد", "بتنظيم الدولة", "#تنظيم_الدولة", "مدنيين", "الجيش", "النظام"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(_ARABIC, _PHRASES), max_size=8), st.one_of(st.none(), st.dates()))
def test_actors_find_invariants(finder: ActorFinder, parts: list[str], on: date | None) -> None:
    text = normalize(" ".join(parts)).text
    tokens = tokenize(text)
    mentions = finder.find(tokens)
    prev_last = 0
    for m in mentions:
        assert isinstance(m, ActorMention)
        assert prev_last <= m.first < m.last <= len(tokens)
        assert 0 <= m.start < m.end <= len(text)
        assert m.entries and len({e.id for e in m.entries}) == len(m.entries)
        assert finder.choose(m, on) in m.entries
        prev_last = m.last


def test_actors_find_is_linear_on_large_input(finder: ActorFinder) -> None:
    text = ("قصفت قوات النظام بلدة كفرزيتا وسط اشتباكات مع فصائل المعارضة أسفرت عن مقتل مدنيين " * 4000)
    tokens = tokenize(normalize(text).text)
    t0 = time.perf_counter()
    mentions = finder.find(tokens)
    assert len(mentions) == 3 * 4000
    assert time.perf_counter() - t0 < 3.0


@pytest.mark.parametrize(("phrase", "on", "country", "key"), [
    # the generic words of a state's forces mean that state's forces where the report is
    ("قوات الجيش", date(2019, 4, 2), "Yemen", "YEMEN_GOV"),
    ("القوات الحكومية", date(2023, 4, 2), "Yemen", "YEMEN_GOV"),
    ("قوات الجيش الوطني", date(2020, 1, 8), "Yemen", "YEMEN_GOV"),
    ("الجيش الوطني", date(2020, 1, 8), "Syria", "SNA"),
    ("الطيران الحربي", date(2016, 8, 1), "Yemen", "SAUDI_COALITION"),
    ("الطيران الحربي", date(2016, 8, 1), "Syria", "SYR_REGIME"),
    ("الطيران الحربي", date(2024, 4, 2), "Lebanon", "ISRAEL"),
    ("الطيران الحربي", date(2024, 4, 2), "Sudan", "SAF"),
    ("الطيران الحربي", date(2023, 11, 2), "Palestine", "ISRAEL"),
    ("الجيش", date(2015, 6, 1), "Libya", "LNA"),
    ("قوات الأمن", date(2015, 6, 1), "Iraq", "IRAQ_GOV"),
    ("قوات الأمن", date(2023, 6, 1), "Sudan", "OTHER:Police Forces of Sudan (2019-)"),
    ("الشرطة", date(2022, 6, 1), "Libya", "OTHER:Police Forces of Libya"),
    ("الشرطة", date(2022, 6, 1), "Syria", "SYR_REGIME"),
    # a date outside a theatre's periods does not bring another theatre's word back
    ("الجيش", date(2011, 6, 1), "Yemen", "YEMEN_GOV"),
])
def test_actors_generic_words_follow_the_report_country(finder: ActorFinder, phrase: str, on: date,
                                                        country: str, key: str) -> None:
    [mention] = finder.localize(finder.find(tokenize(norm(phrase))), country)
    assert finder.resolve(mention, on, country=country).key == key


def test_actors_localize_puts_the_country_first_and_drops_words_foreign_to_it(finder: ActorFinder) -> None:
    tokens = tokenize(norm("اقتحم الجنود القرية بعد أن قصف الجيش أطرافها"))
    in_syria = finder.localize(finder.find(tokens), "Syria")
    in_palestine = finder.localize(finder.find(tokens), "Palestine")
    # "الجنود" names Israel's soldiers in a Palestinian report and nothing in a Syrian one
    assert [str(m.entries[0].get("key")) for m in in_syria] == ["SYR_REGIME"]
    assert [str(m.entries[0].get("key")) for m in in_palestine] == ["ISRAEL", "ISRAEL"]


def test_actors_localize_keeps_named_foreign_forces(finder: ActorFinder) -> None:
    [m] = finder.localize(finder.find(tokenize(norm("قصف الجيش السوري مواقع على الحدود"))), "Lebanon")
    assert finder.resolve(m, date(2015, 3, 1), country="Lebanon").key == "SYR_REGIME"


@pytest.mark.parametrize(("text", "surface", "country", "key"), [
    # Tripoli's armed groups are sides of their own, not the government they nominally serve
    ("اندلعت اشتباكات بين قوة الردع الخاصة واللواء 444 قرب المطار", "قوة الردع الخاصة", "Libya",
     "OTHER:Rada Special Deterrence Force"),
    ("اندلعت اشتباكات بين قوة الردع الخاصة واللواء 444 قرب المطار", "اللواء 444", "Libya", "OTHER:444th Brigade"),
    ("هاجمت عناصر جهاز دعم الاستقرار مقرا في حي أبو سليم", "عناصر جهاز دعم الاستقرار", "Libya",
     "OTHER:Stability Support Apparatus"),
    ("سيطر جهاز الردع على مقر كتيبة النواصي في سوق الجمعة", "جهاز الردع", "Libya",
     "OTHER:Rada Special Deterrence Force"),
    ("سيطر جهاز الردع على مقر كتيبة النواصي في سوق الجمعة", "كتيبة النواصي", "Libya", "OTHER:Nawasi Brigade"),
    ("تبادلت قوات اللواء 777 إطلاق النار مع مسلحين", "قوات اللواء 777", "Libya", "OTHER:777 Brigade"),
    ("أعلن مجلس شورى مجاهدي درنة صد هجوم التنظيم", "مجلس شورى مجاهدي درنة", "Libya",
     "OTHER:Derna Mujahideen Shura Council"),
    # the armed movements' joint force in Darfur fights beside the army, as a side of its own
    ("تصدت القوة المشتركة لحركات الكفاح المسلح لهجوم الدعم السريع", "القوة المشتركة لحركات الكفاح المسلح",
     "Sudan", "OTHER:Joint Force of Darfur armed movements"),
    ("صدت القوة المشتركة هجوما على مدينة الفاشر", "القوة المشتركة", "Sudan",
     "OTHER:Joint Force of Darfur armed movements"),
    # al-Qaeda in Yemen is its Arabian Peninsula branch; elsewhere it stays al-Qaeda
    ("هاجم تنظيم القاعدة نقطة عسكرية في أبين", "تنظيم القاعدة", "Yemen", "OTHER:AQAP"),
    ("هاجم تنظيم القاعدة نقطة عسكرية في الصحراء", "تنظيم القاعدة", "Syria", "OTHER:Al Qaeda"),
    ("استهدفت مسيرة تركية مقرا لوحدات مقاومة سنجار", "وحدات مقاومة سنجار", "Iraq", "OTHER:YBS"),
    ("اشتبك مسلحون إسلاميون مع عناصر من حركة فتح في المخيم", "حركة فتح", "Lebanon", "OTHER:Fatah"),
    ("اشتبك مسلحون إسلاميون مع عناصر من حركة فتح في المخيم", "مسلحون اسلاميون", "Lebanon",
     "OTHER:Islamist militants"),
])
def test_actors_armed_groups_of_other_theatres(finder: ActorFinder, text: str, surface: str, country: str,
                                               key: str) -> None:
    tokens = tokenize(norm(text))
    nt = normalize(text)
    found = {(norm(nt.text[m.start:m.end]), finder.resolve(m, date(2022, 8, 27), country=country).key)
             for m in finder.localize(finder.find(tokens), country)}
    assert (norm(surface), key) in found


@pytest.mark.parametrize("text", [
    # "the joint force" names no side outside Sudan; "the base" is no group
    "قامت القوات الجوية بإسناد القوة المشتركة في المعركة",
    "انسحب الجنود نحو القاعدة العسكرية بعد الهجوم",
])
def test_actors_generic_words_of_other_theatres_name_nothing_elsewhere(finder: ActorFinder, text: str) -> None:
    assert finder.localize(finder.find(tokenize(norm(text))), "Syria") == ()


def test_actors_choose_among_entries_of_an_implied_side(finder: ActorFinder) -> None:
    [m] = finder.find(tokenize(norm("الجيش")))
    assert finder.choose_among(m.entries, date(2024, 5, 1), country="Sudan").get("key") == "SAF"
    assert finder.choose_among(m.entries, date(2016, 5, 1), country="Syria").get("key") == "SYR_REGIME"


@pytest.mark.parametrize("country", ["Syria", "Yemen", "Sudan", "Lebanon", "Palestine", None])
def test_actors_remembered_phrases_read_the_same(lexicons: LexiconSet, finder: ActorFinder, country: str | None) -> None:
    # a finder remembers each phrase's entries and their order in a country: a fresh one reads the same
    text = ("قصف الجيش السوري وقوات الدعم السريع وجماعة الحوثي مواقع للتنظيم، واعتقل الجيش جنودا "
            "من حزب الله، فيما هاجمت قوات النظام والطيران الروسي مسلحين مجهولين.")
    tokens = tokenize(norm(text))
    fresh = ActorFinder.from_lexicons(lexicons)
    for _ in range(2):
        assert finder.find(tokens) == fresh.find(tokens)
        assert finder.localize(finder.find(tokens), country) == fresh.localize(fresh.find(tokens), country)
