"""Phrase matching over clitic-aware tokens."""
from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ahdath.lexicon import LexiconSet, Match, PhraseMatcher, PhraseScan
from ahdath.text.normalize import normalize
from ahdath.text.tokens import tokenize


def _find(pairs, text: str, **kw) -> tuple[str, list[Match]]:
    nt = normalize(text)
    return nt.text, PhraseMatcher(pairs).find(tokenize(nt.text), **kw)


def test_matcher_longest_match_wins() -> None:
    pairs = [("قصف", "generic"), ("قصف مدفعي", "artillery"), ("قصف مدفعي ثقيل", "heavy"), ("قصف جوي", "air")]
    text, ms = _find(pairs, "قصف مدفعي عنيف ثم قصف جوي وقصف")
    assert [(m.payload, text[m.start:m.end]) for m in ms] == [
        ("artillery", "قصف مدفعي"), ("air", "قصف جوي"), ("generic", "قصف")]
    assert (ms[0].first, ms[0].last) == (0, 2)


def test_matcher_longest_wins_across_clitic_readings() -> None:
    # the surface reading matches one word, the stripped one a longer phrase
    text, ms = _find([("بالرصاص", "bullets"), ("الرصاص الحي", "live")], "أطلقت النار بالرصاص الحي")
    assert [m.payload for m in ms] == ["live"]
    assert text[ms[0].start:ms[0].end] == "الرصاص الحي"


def test_matcher_same_length_prefers_literal_reading() -> None:
    _, ms = _find([("بالرقه", "literal"), ("الرقة", "stem")], "اشتباكات بالرقة")
    assert [m.payload for m in ms] == ["literal"]


def test_matcher_returns_every_payload_of_a_form() -> None:
    _, ms = _find([("النظام", "a"), ("النظام", "b")], "قصف النظام")
    assert sorted(m.payload for m in ms) == ["a", "b"]
    assert len({(m.first, m.last, m.start, m.end) for m in ms}) == 1


@pytest.mark.parametrize(("text", "form", "quoted"), [
    ("دخلت القوات وبالرقة", "الرقة", "الرقه"),
    ("دخلت القوات وبالرقة", "رقة", "رقه"),
    ("ثم انسحب فالجيش", "الجيش", "الجيش"),
    ("كالعادة", "العادة", "العاده"),
    ("وقصفت", "قصفت", "قصفت"),
    ("بإدلب", "ادلب", "ادلب"),
    ("وللمدنيين", "مدنيين", "مدنيين"),
    # "لل" = ل + ال with the alef unwritten: the quote cannot start at an "ال"
    # that is not there, so it starts after "لل"
    ("تابعة للنظام", "النظام", "نظام"),
    ("وللمدنيين", "المدنيين", "مدنيين"),
])
def test_matcher_offsets_exclude_clitics(text: str, form: str, quoted: str) -> None:
    norm_text, ms = _find([(form, 1)], text)
    assert len(ms) == 1
    assert norm_text[ms[0].start:ms[0].end] == quoted
    assert ms[0].form == form


def test_matcher_multiword_with_variants_maps_back() -> None:
    raw = "وقُتل عنصرٌ من قوّات الأسد، وأُصيب آخر"
    nt = normalize(raw)
    ms = PhraseMatcher([("قوات الأسد", "regime")]).find(tokenize(nt.text))
    assert len(ms) == 1
    assert nt.original_text(ms[0].start, ms[0].end) == "قوّات الأسد"


@pytest.mark.parametrize("text", ["قصف وجوي", "قصف", "جوي قصف", ""])
def test_matcher_later_words_must_match_exactly(text: str) -> None:
    _, ms = _find([("قصف جوي", 1)], text)
    assert ms == []


def test_matcher_overlapping_mode() -> None:
    pairs = [("قوات النظام", "forces"), ("النظام السوري", "regime")]
    _, plain = _find(pairs, "قوات النظام السوري")
    _, over = _find(pairs, "قوات النظام السوري", overlapping=True)
    assert [m.payload for m in plain] == ["forces"]
    assert [m.payload for m in over] == ["forces", "regime"]


def test_matcher_empty_inputs() -> None:
    m: PhraseMatcher[int] = PhraseMatcher([])
    assert len(m) == 0 and m.find([]) == []
    assert m.find(tokenize("قصف جوي")) == []
    skipped = PhraseMatcher([("", 1), ("،", 2), ("  ", 3), ("غارة", 4)])
    assert len(skipped) == 1
    assert skipped.find([]) == []


_VOCAB = ["قصف", "وقصف", "جوي", "النظام", "للنظام", "بالنظام", "قوات", "وقوات", "الرقه", "بالرقه", "حي"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_VOCAB), min_size=1, max_size=3), min_size=1, max_size=6),
       st.lists(st.sampled_from(_VOCAB), max_size=40), st.booleans())
def test_matcher_matches_in_bounds_and_disjoint(forms: list[list[str]], words: list[str], overlapping: bool) -> None:
    text = " ".join(words)
    toks = tokenize(text)
    ms = PhraseMatcher((" ".join(f), i) for i, f in enumerate(forms)).find(toks, overlapping=overlapping)
    for m in ms:
        assert 0 <= m.first < m.last <= len(toks)
        assert toks[m.first].start <= m.start < m.end == toks[m.last - 1].end
        assert text[m.start:m.end].endswith(" ".join(t.text for t in toks[m.first + 1:m.last]))
    if not overlapping:
        for a, b in zip(ms, ms[1:]):
            assert a.last <= b.first or (a.first, a.last) == (b.first, b.last)


def test_matcher_five_megabytes_is_linear(lexicons: LexiconSet) -> None:
    pairs = [(f, e.id) for kind in lexicons.lexicons for e in lexicons[kind].entries for f in e.forms]
    matcher = PhraseMatcher(pairs)
    unit = ("وقالت مصادر محلية إن قوات النظام السوري قصفت بالمدفعية الثقيلة بلدة كفرنبل "
            "في ريف إدلب الجنوبي، ما أسفر عن مقتل ٣ مدنيين وإصابة آخرين.\n")
    reps = 5_000_000 // len(unit)
    line = normalize(unit).text  # normalize's own speed is tested in tests/text
    small = 2000
    toks_small, toks_big = tokenize(line * small), tokenize(line * reps)
    # CPU time of this process: other work on a shared machine does not count against it; the
    # small input is timed twice (the first pass also fills the matcher's per-word memory)
    n_small, t_small = 0, float("inf")
    for _ in range(2):
        t0 = time.process_time()
        n_small = len(matcher.find(toks_small))
        t_small = min(t_small, time.process_time() - t0)
    t1 = time.process_time()
    n_big = len(matcher.find(toks_big))
    t_big = time.process_time() - t1
    assert n_small and n_big * small == n_small * reps
    # linear: ~90x the tokens may not cost much more than ~90x the time (+ slack for a busy machine)
    assert t_big < 15.0
    assert t_big < t_small * reps / small * 3 + 2.0


def _all_pairs(lexicons: LexiconSet) -> list[tuple[str, str]]:
    return [(f, e.id) for kind in lexicons.lexicons for e in lexicons[kind].entries for f in e.forms]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_VOCAB), min_size=1, max_size=3), min_size=1, max_size=6),
       st.lists(st.sampled_from(_VOCAB), max_size=40))
def test_matcher_heads_are_where_match_at_may_hit(forms: list[list[str]], words: list[str]) -> None:
    toks = tokenize(" ".join(words))
    matcher = PhraseMatcher((" ".join(f), i) for i, f in enumerate(forms))
    heads = matcher.heads(toks)
    assert heads == [i for i, t in enumerate(toks) if matcher.can_start(t.text)]
    assert heads == [i for i, t in enumerate(toks) if matcher.starts(t.text)]
    # a token that is no head matches nothing; a match starts at a head
    assert all(not matcher.match_at(toks, i) for i in range(len(toks)) if i not in heads)
    assert matcher.heads(toks, 2, 7) == [i for i in heads if 2 <= i < 7]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_VOCAB), min_size=1, max_size=3), min_size=1, max_size=6),
       st.lists(st.lists(st.sampled_from(_VOCAB), min_size=1, max_size=2), min_size=1, max_size=4),
       st.lists(st.sampled_from(_VOCAB), max_size=40), st.booleans())
def test_matcher_scan_gives_each_matchers_heads(forms_a: list[list[str]], forms_b: list[list[str]],
                                                words: list[str], overlapping: bool) -> None:
    toks = tokenize(" ".join(words))
    a = PhraseMatcher((" ".join(f), i) for i, f in enumerate(forms_a))
    b = PhraseMatcher((" ".join(f), i) for i, f in enumerate(forms_b))
    scan = PhraseScan((a.can_start, b.can_start, lambda w: w.startswith("و")))
    heads_a, heads_b, waw = scan.heads(toks)
    assert (heads_a, heads_b) == (a.heads(toks), b.heads(toks))
    assert waw == [i for i, t in enumerate(toks) if t.text.startswith("و")]
    assert scan.heads(toks) == [heads_a, heads_b, waw]  # remembered words give the same answer
    assert a.find(toks, heads=heads_a, overlapping=overlapping) == a.find(toks, overlapping=overlapping)


def test_matcher_memo_starts_afresh_past_its_limit(lexicons: LexiconSet) -> None:
    # more distinct words than a matcher remembers: results stay those of a fresh matcher
    from ahdath.lexicon import matcher as matcher_module

    pairs = _all_pairs(lexicons)
    unit = tokenize(normalize("قصفت قوات النظام بلدة كفرنبل في ريف إدلب الجنوبي").text)
    filler = " ".join(f"ك{n}س" for n in range(matcher_module._MEMO_LIMIT + 10)).translate(
        str.maketrans("0123456789", "ابتثجحخدذر"))
    toks = tokenize(filler)
    used, fresh = PhraseMatcher(pairs), PhraseMatcher(pairs)
    scan = PhraseScan((used.can_start,))
    expected = fresh.find(unit)
    assert used.find(unit) == expected
    heads = [i for i, t in enumerate(toks) if fresh.can_start(t.text)]
    assert used.heads(toks) == heads and scan.heads(toks) == [heads]
    assert len(used._readings) <= matcher_module._MEMO_LIMIT + len(toks)
    assert used.find(unit) == expected and scan.heads(unit) == [used.heads(unit)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_VOCAB), min_size=1, max_size=3), min_size=1, max_size=6),
       st.lists(st.sampled_from(_VOCAB), max_size=40), st.booleans())
def test_matcher_short_paths_find_what_the_trie_walk_finds(forms: list[list[str]], words: list[str],
                                                            overlapping: bool) -> None:
    # match_at and find read a one-word phrase without walking the trie: the walk finds the same
    toks = tokenize(" ".join(words))
    matcher = PhraseMatcher((" ".join(f), i) for i, f in enumerate(forms))
    walked = [PhraseMatcher._match(toks, i, matcher.readings(t.text)) if matcher.readings(t.text) else []
              for i, t in enumerate(toks)]
    assert [matcher.match_at(toks, i) for i in range(len(toks))] == walked
    expected, nxt = [], 0
    for i, ms in enumerate(walked):
        if i >= nxt and ms:
            expected.extend(ms)
            nxt = i + 1 if overlapping else ms[0].last
    assert matcher.find(toks, overlapping=overlapping) == expected
