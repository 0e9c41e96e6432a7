"""Evidence offsets point into the input as given, whatever the input holds.

Generated reports are built from the packaged lexicons' trigger, actor, time and number words and
the curated place names, then spoiled the way scraped text is: whitespace-only lines, a repeated
title, CRLF and CR line ends, zero-width and bidi controls, tatweel, harakat, letters in
presentation forms, emoji, Latin and digits. Read as the CLI reads them (``read_text``: cleaned,
then mapped back) and as the API reads them (``Pipeline.extract_text``), every span of every event
must slice the input to exactly its text, and nothing but ``AhdathError`` may escape.

CI runs a short derandomized pass; ``AHDATH_FUZZ_EXAMPLES=N`` makes a long random one
(docs/testing.md).
"""
from __future__ import annotations

import os
import re
import unicodedata
from datetime import date
from importlib import resources

import pytest
import yaml
from hypothesis import HealthCheck, given, settings, target
from hypothesis import strategies as st

from ahdath.errors import AhdathError
from ahdath.ingest.clean import _BLANK_RUN, clean, packaged_boilerplate
from ahdath.ingest.readers import read_text
from ahdath.lexicon import load_lexicons
from ahdath.model import Event
from ahdath.pipeline import Options, Pipeline

_LONG = os.environ.get("AHDATH_FUZZ_EXAMPLES")
FUZZ = settings(max_examples=int(_LONG) if _LONG else 200, derandomize=not _LONG, database=None, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _words() -> dict[str, list[str]]:
    lex = load_lexicons()
    pools: dict[str, list[str]] = {}
    for kind in ("triggers", "actors", "time", "numbers"):
        forms = {f for e in lex[kind].entries for f in (*e.raw_forms, *e.forms[:4])}
        pools[kind] = sorted(forms)
    doc = yaml.safe_load((resources.files("ahdath") / "data" / "gazetteer" / "places.yaml").read_text("utf-8"))
    pools["places"] = sorted({name for p in doc["places"] for name in p["ar"]})
    return pools


WORDS = _words()
GLUE = ["في", "على", "من", "قرب", "بلدة", "مدينة", "ريف", "أمس", "اليوم", "مقتل", "إثر", "،", "و", "قتل", "جرحى"]
# a presentation form for each letter that has one (what old PDFs and some sites give)
PRESENTATION: dict[str, list[str]] = {}
for _cp in [*range(0xFB50, 0xFE00), *range(0xFE70, 0xFF00)]:
    _base = unicodedata.normalize("NFKC", chr(_cp))
    if len(_base) == 1 and _base != chr(_cp):
        PRESENTATION.setdefault(_base, []).append(chr(_cp))

CONTROLS = [chr(c) for c in (*range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0xFEFF)]
HARAKAT = [chr(c) for c in range(0x064B, 0x0653)] + ["\u0670"]
EMOJI = ["🔥", "💥", "🇸🇾", "👍🏽", "❤️", "🕊", "\ud83d"]  # the last: half an emoji, as a JSON "\ud83d" gives
LATIN = ["ISIS", "SDF", "AFP", "Reuters", "km", "2019", "15:30", "#Syria", "https://t.co/x"]
DIGITS = ["3", "12", "١٢", "٣٠", "2016", "١٤/٥/٢٠١٦", "15.6.2019", "1,200", "٣٫٥", "²"]
BLANK_LINES = ["", " ", "  ", "\t", "\u00a0", " \t ", "\u200f", "\ufeff", "\u3000"]
LINE_ENDS = ["\n", "\r\n", "\r"]


@st.composite
def spoiled_word(draw: st.DrawFn, word: str) -> str:
    """``word`` with the marks and forms scraped Arabic carries, sometimes."""
    chars = list(word)
    out: list[str] = []
    for ch in chars:
        how = draw(st.integers(0, 19))
        if how == 0 and ch in PRESENTATION:
            ch = draw(st.sampled_from(PRESENTATION[ch]))
        out.append(ch)
        if how == 1:
            out.append(draw(st.sampled_from(HARAKAT)))
        elif how == 2:
            out.append("\u0640" * draw(st.integers(1, 3)))  # tatweel
        elif how == 3:
            out.append(draw(st.sampled_from(CONTROLS)))
    if draw(st.integers(0, 9)) == 0:
        out.insert(0, draw(st.sampled_from(CONTROLS)))
    return "".join(out)


@st.composite
def sentence(draw: st.DrawFn) -> str:
    pools = st.one_of(st.sampled_from(WORDS["triggers"]), st.sampled_from(WORDS["actors"]),
                      st.sampled_from(WORDS["places"]), st.sampled_from(WORDS["time"]),
                      st.sampled_from(WORDS["numbers"]), st.sampled_from(GLUE), st.sampled_from(GLUE),
                      st.sampled_from(EMOJI), st.sampled_from(LATIN), st.sampled_from(DIGITS))
    words = draw(st.lists(pools, min_size=1, max_size=14))
    spoiled = [draw(spoiled_word(w)) for w in words]
    seps = [draw(st.sampled_from([" ", " ", " ", "  ", "\u00a0", "\u200c", " \u200f", "\t"])) for _ in spoiled]
    text = "".join(s + w for s, w in zip(seps, spoiled)).lstrip(" ")
    return text + draw(st.sampled_from(["", ".", ".", "،", "!", "؟", " .", "…"]))


@st.composite
def report(draw: st.DrawFn) -> str:
    title = draw(sentence())
    lines = [title]
    if draw(st.booleans()):
        lines.append(title)  # the title again, as pages repeat it
    body = draw(st.lists(st.one_of(sentence(), st.sampled_from(BLANK_LINES)), min_size=1, max_size=8))
    lines.extend(body)
    ends = [draw(st.sampled_from(LINE_ENDS)) for _ in lines]
    lead = draw(st.sampled_from(["", "", " ", "\n", "\r\n \r\n", "\ufeff", "\u200f"]))
    tail = draw(st.sampled_from(["", "", "\n", " \n\n", "\r\n"]))
    return lead + "".join(line + end for line, end in zip(lines, ends)) + tail


@pytest.fixture(scope="module")
def pipe() -> Pipeline:
    return Pipeline.from_options(Options(today=date(2026, 11, 27)))


def assert_spans_quote(events: list[Event], text: str) -> int:
    """Every event's evidence and each of its spans slice ``text`` to exactly their text; the count."""
    n = 0
    for e in events:
        ev = e.evidence
        assert 0 <= ev.start <= ev.end <= len(text) and text[ev.start:ev.end] == ev.text, (ev.start, ev.end, ev.text)
        for role, spans in ev.spans.items():
            for s in spans:
                assert 0 <= s.start <= s.end <= len(text), (role, s)
                assert text[s.start:s.end] == s.text, (role, s, text[s.start:s.end])
                assert s.text.strip() or not s.text, (role, s)  # a span quotes words, not gaps
                n += 1
    return n


@FUZZ
@given(report())
def test_offsets_every_span_slices_the_input_as_given(pipe: Pipeline, text: str) -> None:
    try:
        article = read_text(text)
    except AhdathError:
        article = None
    n = 0
    if article is not None:
        # the readers write U+FFFD for a lone surrogate, one for one: every offset still holds
        as_read = re.sub("[\ud800-\udfff]", "\ufffd", text)
        assert article.reference == as_read
        n += assert_spans_quote(pipe.extract_article(article), as_read)
    try:
        events = pipe.extract_text(text, published="2024-03-01")
    except AhdathError:
        return
    n += assert_spans_quote(events, text)
    target(float(n), label="spans checked")


def _clean_text_as_first_written(text: str) -> str:
    """The cleaner before it kept a map (the reference the mapped one must equal)."""
    bp = packaged_boilerplate()
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    kept = [line for line in text.split("\n") if not bp.is_furniture(line)]
    return _BLANK_RUN.sub("\n\n", "\n".join(kept)).strip()


@FUZZ
@given(st.one_of(report(), st.lists(st.sampled_from(["\n", "\r", "\r\n", " ", "\t", "\u00a0", "ا", "قصف",
                                                     "مقالات ذات صلة", "زر الذهاب إلى الأعلى"])).map("".join)))
def test_offsets_cleaning_maps_each_character_back(text: str) -> None:
    cleaned, smap = clean(text, packaged_boilerplate())
    assert cleaned == _clean_text_as_first_written(text)
    if smap is None:
        assert cleaned == text
        return
    assert smap.original == text and smap.length == len(cleaned)
    last = -1
    for i, ch in enumerate(cleaned):
        o = smap.to_original(i)
        assert o > last  # strictly forward: cleaning never reorders or repeats
        assert text[o] == ch or (ch == "\n" and text[o] == "\r")
        last = o
