"""Inflected spellings of death words and person nouns (ahdath.resolve.death_forms)."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ahdath.resolve import death_forms
from ahdath.resolve.death_forms import MANY, NOUN, ONE, POSSESSIVE, TWO, VERB, inflect


def _forms(form: str, how: str) -> dict[str, str]:
    return dict(inflect(form, how))


@pytest.mark.parametrize("verb, expected", [
    # sound verbs
    ("قتل", {"قتل": ONE, "قتلت": ONE, "قتلا": TWO, "قتلتا": TWO, "قتلوا": MANY, "قتلن": MANY}),
    ("استشهد", {"استشهد": ONE, "استشهدت": ONE, "استشهدا": TWO, "استشهدوا": MANY}),
    # a final alef maqsura drops before the endings
    ("قضى", {"قضى": ONE, "قضت": ONE, "قضيا": TWO, "قضتا": TWO, "قضوا": MANY, "قضين": MANY}),
    ("ارتقى", {"ارتقت": ONE, "ارتقيا": TWO, "ارتقوا": MANY}),
    # a final ya stays, except before the plural "وا"
    ("لقي", {"لقي": ONE, "لقيت": ONE, "لقيا": TWO, "لقيتا": TWO, "لقوا": MANY, "لقين": MANY}),
    ("توفي", {"توفيت": ONE, "توفيا": TWO, "توفوا": MANY}),
])
def test_death_forms_verb_persons(verb: str, expected: dict[str, str]) -> None:
    got = _forms(verb, VERB)
    assert {f: got.get(f) for f in expected} == expected


@pytest.mark.parametrize("phrase, expected", [
    # a later word's pronoun agrees with the subject
    ("لقي حتفه", {"لقي حتفه": ONE, "لقيت حتفها": ONE, "لقيا حتفهما": TWO, "لقوا حتفهم": MANY,
                 "لقين حتفهن": MANY}),
    ("لقي مصرعه", {"لقيت مصرعها": ONE, "لقيتا مصرعهما": TWO, "لقوا مصرعهم": MANY}),
    # a word with no pronoun stays as it is
    ("فارق الحياة", {"فارق الحياة": ONE, "فارقت الحياة": ONE, "فارقا الحياة": TWO, "فارقوا الحياة": MANY}),
])
def test_death_forms_idiom_agrees(phrase: str, expected: dict[str, str]) -> None:
    got = _forms(phrase, VERB)
    assert {f: got.get(f) for f in expected} == expected


@pytest.mark.parametrize("noun, expected", [
    ("مقتل", {"مقتله": ONE, "مقتلها": ONE, "مقتلهما": TWO, "مقتلهم": MANY, "مقتلهن": MANY}),
    # ta marbuta becomes ta before a pronoun
    ("وفاة", {"وفاته": ONE, "وفاتها": ONE, "وفاتهما": TWO, "وفاتهم": MANY}),
    ("تصفية", {"تصفيته": ONE, "تصفيتهم": MANY}),
])
def test_death_forms_possessive(noun: str, expected: dict[str, str]) -> None:
    got = _forms(noun, POSSESSIVE)
    assert {f: got.get(f) for f in expected} == expected


@pytest.mark.parametrize("noun, present, absent", [
    ("طفل", {"طفل": ONE, "طفلا": ONE, "طفلها": ONE, "طفلان": TWO, "طفلين": TWO, "طفلاه": TWO, "طفليها": TWO},
     # unvowelled "طفليه" would also be a feminine nisba; "طفله" is "طفلة"
     {"طفله", "طفليه"}),
    ("طفلة", {"طفلة": ONE, "طفلته": ONE, "طفلتان": TWO, "طفلتين": TWO, "طفلتيه": TWO}, {"طفلةا"}),
    ("شهيدة", {"شهيدتان": TWO, "شهيدتين": TWO}, set()),
    # participles and nisbas take sound plurals: their oblique dual is spelled like the plural
    ("مقاتل", {"مقاتلا": ONE, "مقاتلان": TWO}, {"مقاتلين"}),
    ("مدني", {"مدنيا": ONE, "مدنيان": TWO}, {"مدنيين"}),
])
def test_death_forms_person_noun(noun: str, present: dict[str, str], absent: set[str]) -> None:
    got = _forms(noun, NOUN)
    assert {f: got.get(f) for f in present} == present
    assert not absent & set(got)


@pytest.mark.parametrize("word, definite, plural, dual", [
    ("الجيش", True, False, False),
    ("والقوات", True, False, False),
    ("للأمن", True, False, False),
    ("مسلحين", False, True, False),
    ("مدنيون", False, True, False),
    ("حسين", False, False, False),  # a short word ending in "ين" is a name
    ("فلسطينيان", False, False, True),
    ("مدنيتان", False, False, True),
    ("والسوريتين", True, True, True),  # by shape alone "تين" may end either
    ("بيان", False, False, False),  # "يان" after a one-letter stem is no nisba dual
    ("مدنيين", False, True, False),  # "يين" is the plural as well
])
def test_death_forms_word_shapes(word: str, definite: bool, plural: bool, dual: bool) -> None:
    assert (death_forms.definite(word), death_forms.sound_plural(word), death_forms.nisba_dual(word)) == \
        (definite, plural, dual)


def test_death_forms_unknown_inflection() -> None:
    with pytest.raises(ValueError):
        inflect("قتل", "adverb")


_LETTERS = st.text(alphabet="ابتثجحخدذرزسشصضطظعغفقكلمنهويىةء", min_size=2, max_size=8)


@settings(max_examples=200, deadline=None)
@given(_LETTERS, st.sampled_from([VERB, POSSESSIVE, NOUN]))
def test_death_forms_every_form_has_a_number(word: str, how: str) -> None:
    forms = inflect(word, how)
    assert forms and all(n in (ONE, TWO, MANY) for _f, n in forms)
    assert len({f for f, _n in forms}) == len(forms)  # no spelling twice
    if how != POSSESSIVE:
        assert forms[0] == (word, ONE)  # the form itself comes first
