"""Normalizer: folding classes, the offset map back to the original, idempotence."""
from __future__ import annotations

import time
from array import array

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ahdath.text.normalize import NormText, norm, normalize
from ahdath.text.tokens import tokenize

FOLDS = [
    # hamza and madda alef forms
    ("أعلن", "اعلن"), ("إدلب", "ادلب"), ("آليات", "اليات"), ("ٱلله", "الله"), ("ٲ", "ا"), ("ٳ", "ا"),
    # alef maqsura, Persian/Urdu ya, ya and waw hamza seats
    ("مستشفى", "مستشفي"), ("ریف", "ريف"), ("ې", "ي"), ("رئيس", "رييس"), ("مؤسسة", "موسسه"),
    # ta marbuta and its variants
    ("مدينة الرقة", "مدينه الرقه"), ("ۀ", "ه"), ("ە", "ه"),
    # Persian and swash kaf
    ("کتیبة", "كتيبه"), ("ڪ", "ك"),
    # tatweel, harakat, shadda, tanween, superscript alef
    ("قـــصف", "قصف"), ("قُتِلَ", "قتل"), ("الطّيران", "الطيران"), ("شخصاً", "شخصا"), ("هٰذا", "هذا"),
    # zero-width and bidi marks, BOM, soft hyphen
    ("دير\u200cالزور", "ديرالزور"), ("\u200fحلب\u200e", "حلب"), ("\u202bدرعا\u202c", "درعا"),
    ("\ufeffحمص", "حمص"), ("\u2067منبج\u2069", "منبج"), ("\u061cتدمر", "تدمر"), ("قص\u00adف", "قصف"),
    # NBSP and other space characters become plain spaces
    ("ريف\u00a0حلب", "ريف حلب"), ("ريف\u202fحلب", "ريف حلب"), ("ريف\u2003حلب", "ريف حلب"),
    # Arabic-Indic and Persian digits, Arabic decimal and thousands separators
    ("١٢٣", "123"), ("۴۵۶", "456"), ("٣٫٥", "3.5"), ("١٬٠٠٠", "1,000"), ("١٥/٦/٢٠١٩", "15/6/2019"),
    # presentation forms, the lam-alef ligature expands to two letters
    ("ﻻ", "لا"), ("ﻷ", "لا"), ("ﻹ", "لا"), ("ﻵ", "لا"), ("ﺍﻟﺠﻴﺶ", "الجيش"), ("ﺃ", "ا"), ("ﺓ", "ه"),
    ("ﷲ", "الله"), ("ﹶ", ""), ("قﹰ", "ق"),
    # things that must stay
    ("ء", "ء"), ("،؛؟", "،؛؟"), ("ISIS 2019", "ISIS 2019"), ("", ""),
]


@pytest.mark.parametrize(("raw", "folded"), FOLDS)
def test_normalize_folds_each_class(raw: str, folded: str) -> None:
    nt = normalize(raw)
    assert nt.text == folded
    assert nt.original == raw
    assert norm(raw) == " ".join(folded.split())


@pytest.mark.parametrize(("a", "b"), [
    ("قُتِلَ مدنيٌّ في غارةٍ", "قتل مدني في غاره"),
    ("الأحد", "الاحد"), ("إصابة", "اصابه"), ("مسؤول", "مسوول"), ("ﻻ يزال", "لا يزال"),
])
def test_normalize_variants_meet(a: str, b: str) -> None:
    assert norm(a) == norm(b)


def test_normalize_no_special_keeps_offsets() -> None:
    nt = normalize("قصف مدفعي على ريف ادلب")
    assert nt.index is None
    assert nt.span(4, 9) == (4, 9)
    assert nt.to_original(3) == 3


def test_normalize_span_covers_dropped_marks_and_ligatures() -> None:
    raw = "قُتِلَ ﻻعب"
    nt = normalize(raw)
    assert nt.text == "قتل لاعب"
    s, e = nt.span(0, 3)
    assert raw[s:e] == "قُتِلَ"  # trailing harakat belong to the last letter
    s, e = nt.span(4, 8)
    assert raw[s:e] == "ﻻعب"
    s, e = nt.span(4, 5)  # half a ligature still quotes the whole glyph
    assert raw[s:e] == "ﻻ"
    assert nt.span(3, 3) == (nt.index[3], nt.index[3])
    assert nt.original_text(0, len(nt.text)) == raw


def test_norm_collapses_whitespace() -> None:
    assert norm("  ريف \n\t حلب\u00a0 الشمالي ") == "ريف حلب الشمالي"


def test_normalize_large_input_is_fast() -> None:
    unit = "قُتِلَ ٣ مدنيين، ﻻ سيما في ريف إدلب\u200f الجنوبي.\n"
    text = unit * (1_000_000 // len(unit))
    t0 = time.perf_counter()
    nt = normalize(text)
    elapsed = time.perf_counter() - t0
    assert len(nt.index) == len(nt.text) + 1
    assert elapsed < 5.0


# Text drawn from the characters that matter: Arabic letters, marks, presentation
# forms (ligatures), digits, spaces and bidi/zero-width marks, plus anything else.
_ARABIC = st.characters(min_codepoint=0x0600, max_codepoint=0x06FF)
_PRES = st.one_of(st.characters(min_codepoint=0xFB50, max_codepoint=0xFDFF),
                  st.characters(min_codepoint=0xFE70, max_codepoint=0xFEFF))
_SPECIALS = st.sampled_from(list("ﻻﻷﷲﷺ\u0640\u064b\u064e\u0651\u0670\u200c\u200f\u202b\u2067\u00a0\u2003"
                                 "٫٬١٢٣۴ أإآىةؤئ.،؟#_\n"))
_CHARS = st.one_of(_ARABIC, _ARABIC, _PRES, _SPECIALS, _SPECIALS,
                   st.characters(blacklist_categories=("Cs",)))
ARABIC_TEXT = st.text(_CHARS, max_size=60)


def _at_boundary(nt: NormText, i: int) -> bool:
    """True where normalized offset ``i`` starts or ends a whole original character's output."""
    if nt.index is None or i == 0 or i == len(nt.text):
        return True
    return nt.index[i - 1] != nt.index[i]


@settings(max_examples=300, deadline=None)
@given(ARABIC_TEXT, st.data())
def test_normalize_span_round_trips_whole_tokens(raw: str, data: st.DataObject) -> None:
    nt = normalize(raw)
    toks = tokenize(nt.text)
    if not toks:
        return
    i = data.draw(st.integers(0, len(toks) - 1))
    j = data.draw(st.integers(i, len(toks) - 1))
    s, e = toks[i].start, toks[j].end
    os_, oe = nt.span(s, e)
    assert 0 <= os_ <= oe <= len(raw)
    again = normalize(raw[os_:oe]).text
    if _at_boundary(nt, s) and _at_boundary(nt, e):
        assert again == nt.text[s:e]
    else:  # a token inside a multi-word ligature (ﷺ) quotes the whole ligature
        assert nt.text[s:e] in again


@settings(max_examples=300, deadline=None)
@given(ARABIC_TEXT)
def test_normalize_index_is_monotonic_and_complete(raw: str) -> None:
    nt = normalize(raw)
    if nt.index is None:
        assert len(nt.text) == len(raw)
        return
    assert len(nt.index) == len(nt.text) + 1
    assert nt.index[-1] == len(raw)
    assert all(a <= b for a, b in zip(nt.index, nt.index[1:]))
    assert all(0 <= o <= len(raw) for o in nt.index)
    for end in range(len(nt.text) + 1):
        s, e = nt.span(0, end)
        assert 0 <= s <= e <= len(raw)


@settings(max_examples=300, deadline=None)
@given(ARABIC_TEXT)
def test_normalize_is_idempotent(raw: str) -> None:
    once = normalize(raw).text
    assert normalize(once).text == once
    assert norm(norm(raw)) == norm(raw)
    assert norm(raw) == " ".join(once.split())


def _normalize_by_translate(text: str) -> NormText:
    """The normalizer as first written (``str.translate`` chunk by chunk): the reference."""
    from ahdath.text import normalize as module

    if not module._SPECIAL.search(text):
        return NormText(text.translate(module._TRANS), text, None)
    out: list[str] = []
    index: list[int] = []
    pos = 0
    for m in module._SPECIAL.finditer(text):
        s = m.start()
        if s > pos:
            out.append(text[pos:s].translate(module._TRANS))
            index.extend(range(pos, s))
        rep = module._fold_char(m.group())
        if rep:
            out.append(rep)
            index.extend([s] * len(rep))
        pos = m.end()
    if pos < len(text):
        out.append(text[pos:].translate(module._TRANS))
        index.extend(range(pos, len(text)))
    index.append(len(text))
    return NormText("".join(out), text, array("i", index))  # as ``normalize`` keeps it


@settings(max_examples=400, deadline=None)
@given(ARABIC_TEXT)
def test_normalize_folding_in_place_equals_translating_chunks(raw: str) -> None:
    # folding the whole text first (str.replace per folded character) must give what
    # translating each chunk between special characters gave
    assert normalize(raw) == _normalize_by_translate(raw)
