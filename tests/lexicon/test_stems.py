"""StemMatcher: cue forms whose words may be stems, matched over clitic-aware tokens."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ahdath.lexicon.stems import StemMatcher, stem_problem
from ahdath.text.normalize import norm
from ahdath.text.tokens import tokenize


def _matcher(*forms: str) -> StemMatcher[str]:
    return StemMatcher((norm(f), f) for f in forms)


def _found(matcher: StemMatcher[str], text: str) -> list[tuple[str, str]]:
    toks = tokenize(norm(text))
    return [(" ".join(t.text for t in toks[h.first:h.last]), h.payload) for h in matcher.find(toks)]


@pytest.mark.parametrize("word", ["مباراة", "المباراة", "للمباراة", "مباراته", "ومباراتهم", "بالمباراة"])
def test_stems_stem_matches_inflections_and_clitics(word: str) -> None:
    m = _matcher("مبارا*")
    assert [p for _w, p in _found(m, f"انتهت {word} أمس")] == ["مبارا*"]


@pytest.mark.parametrize("text", ["زار الوفد المبنى", "مبار", "قال مباري"])
def test_stems_stem_needs_its_letters(text: str) -> None:
    assert _found(_matcher("مبارا*"), text) == []


def test_stems_exact_word_is_not_a_prefix() -> None:
    m = _matcher("كرة")
    assert _found(m, "سدد الكرة") == [("الكره", "كرة")]
    assert _found(m, "سدد كراته") == []


def test_stems_phrase_with_a_stem_word() -> None:
    m = _matcher("انفجار أسطوان*", "انفجار")
    assert _found(m, "وقع انفجار أسطوانة غاز في المطبخ") == [("انفجار اسطوانه", "انفجار أسطوان*")]
    assert _found(m, "وقع انفجار في السوق") == [("انفجار", "انفجار")]


def test_stems_longest_phrase_wins_and_hits_do_not_overlap() -> None:
    m = _matcher("حادث", "حادث سير", "سير")
    assert _found(m, "قتل شاب في حادث سير مروع") == [("حادث سير", "حادث سير")]


def test_stems_every_payload_of_a_form() -> None:
    m = StemMatcher([(norm("الليرة"), "economy"), (norm("الليرة"), "currency")])
    toks = tokenize(norm("تراجعت الليرة"))
    assert sorted(h.payload for h in m.find(toks)) == ["currency", "economy"]


def test_stems_range_limits_where_hits_start() -> None:
    m = _matcher("كرة")
    toks = tokenize(norm("كرة ثم كرة ثم كرة"))
    assert [h.first for h in m.find(toks, 1, 4)] == [2]


@pytest.mark.parametrize(("form", "ok"), [
    ("مبارا*", True), ("حادث سير", True), ("انفجار أسطوان*", True), ("لص*", False), ("مب*ارا", False), ("*", False),
])
def test_stems_stem_problem(form: str, ok: bool) -> None:
    assert (stem_problem(norm(form)) is None) is ok


_TEXT = st.lists(st.sampled_from(["مباراة", "المباراة", "حادث", "سير", "حادث", "كرة", "في", "و", "الليرة", "1990"]),
                 max_size=30).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_stems_hits_are_ordered_and_disjoint(text: str) -> None:
    m = _matcher("مبارا*", "حادث", "حادث سير", "كرة", "الليرة")
    toks = tokenize(norm(text))
    hits = m.find(toks)
    assert all(0 <= h.first < h.last <= len(toks) for h in hits)
    assert all(a.last <= b.first for a, b in zip(hits, hits[1:]))
    # the matcher's memo does not change what it finds
    assert m.find(toks) == hits


@settings(max_examples=300, deadline=None)
@given(_TEXT, st.integers(0, 10), st.integers(0, 40))
def test_stems_heads_from_a_scan_find_the_same(text: str, first: int, last: int) -> None:
    # what a PhraseScan gives as heads (the tokens whose word may start a form) finds what a full read finds
    m = _matcher("مبارا*", "حادث", "حادث سير", "كرة", "الليرة")
    toks = tokenize(norm(text))
    last = min(last, len(toks))
    heads = [i for i in range(first, last) if m.can_start(toks[i].text)]
    assert m.find(toks, first, last, heads=heads) == m.find(toks, first, last)
