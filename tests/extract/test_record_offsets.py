"""Evidence offsets of a cleaned report point into the input as given (issue 10: the shapes of
dev 083, a repeated title then a line holding a single space, and dev2 202, a leading space)."""
from __future__ import annotations

import pytest

from ahdath.ingest.readers import read_text
from ahdath.pipeline import Pipeline

BODY = "قتل ثلاثة مدنيين في قصف جوي على بلدة كفرنبل في ريف إدلب أمس."
TITLE = "قصف جوي على كفرنبل"


@pytest.mark.parametrize("text", [
    f"{TITLE}\n\n{TITLE}\n\n \n\n{BODY}\n",  # a repeated title, then a line holding a single space
    f" {BODY}",  # a leading space
    f"\r\n\r\n{TITLE}\r\n \r\n{BODY}\r\n",  # CRLF, blank lines first
    f"{TITLE}\r\r\r{BODY}",  # old Mac line ends
    f"مقالات ذات صلة\n{TITLE}\n\n\n\t{BODY}\nزر الذهاب إلى الأعلى",  # furniture lines, an indented line
])
def test_record_offsets_point_into_the_input_as_given(pipeline: Pipeline, text: str) -> None:
    article = read_text(text)
    assert article.text != text and article.origin is not None and article.reference == text
    events = pipeline.extract_article(article)
    assert events
    for e in events:
        ev = e.evidence
        assert text[ev.start:ev.end] == ev.text
        assert {"trigger", "place"} <= set(ev.spans)
        for spans in ev.spans.values():
            for s in spans:
                assert text[s.start:s.end] == s.text
        assert ev.spans["place"][0].text == "كفرنبل"


def test_record_offsets_unchanged_input_has_no_origin(pipeline: Pipeline) -> None:
    article = read_text(BODY)
    assert article.origin is None and article.reference == article.text == BODY
    [e] = pipeline.extract_article(article)
    assert BODY[e.evidence.start:e.evidence.end] == e.evidence.text


def test_record_offsets_same_events_as_the_cleaned_text(pipeline: Pipeline) -> None:
    # the map changes where evidence points, never what is found
    text = f"{TITLE}\n\n{TITLE}\n\n \n\n{BODY}\n"
    article = read_text(text)
    by_map = pipeline.extract_article(article)
    plain = pipeline.extract_text(article.text, article_id=article.id)
    strip = lambda e: {k: v for k, v in e.to_dict().items() if k not in ("evidence",)}  # noqa: E731
    assert [strip(e) for e in by_map] == [strip(e) for e in plain]
    assert [e.evidence.text for e in by_map] == [e.evidence.text for e in plain]
    shift = text.index(BODY) - article.text.index(BODY)
    assert [e.evidence.start - shift for e in by_map] == [e.evidence.start for e in plain]
