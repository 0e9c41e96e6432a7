"""Evidence offsets over the shared corpora, read as ``ahdath extract FILE.jsonl`` reads them:
every span slices the report's ``text`` field to exactly its text (issue 10: 6.3% of dev's
spans and 11.7% of dev2's were off by the characters cleaning removed before them)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from ahdath.ingest.readers import read_inputs
from ahdath.model import Article, Event
from ahdath.pipeline import Options, Pipeline


def wrong_spans(events: list[Event], text: str) -> tuple[int, list[str]]:
    """(spans checked, those that do not slice ``text`` to their text)."""
    n, wrong = 0, []
    for e in events:
        ev = e.evidence
        for role, s in [("evidence", ev), *((r, s) for r, spans in ev.spans.items() for s in spans)]:
            n += 1
            if text[s.start:s.end] != s.text:
                wrong.append(f"{e.article_id} {role} [{s.start}:{s.end}] {s.text!r} != {text[s.start:s.end]!r}")
    return n, wrong


@pytest.mark.parametrize("corpus", ["dev.jsonl", "dev2.jsonl"])
def test_offsets_corpus_spans_slice_the_jsonl_text(shared_dir: Path, corpus: str) -> None:
    path = shared_dir / "corpus" / corpus
    given = {str(json.loads(line)["id"]): json.loads(line)["text"]
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}
    pipe = Pipeline.from_options(Options())
    spans = cleaned = 0
    wrong: list[str] = []
    for article in read_inputs([str(path)]):
        assert isinstance(article, Article), article
        text = given[article.id]
        assert article.reference == text
        cleaned += article.origin is not None
        n, bad = wrong_spans(pipe.extract_article(article), text)
        spans += n
        wrong += bad
    assert not wrong, f"{len(wrong)} of {spans} spans:\n" + "\n".join(wrong[:20])
    assert spans > 500 and cleaned > 10  # the check ran over reports that cleaning changed
