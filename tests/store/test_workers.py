"""Extraction in worker processes: the same events as in-process extraction, in input order."""
from __future__ import annotations

from datetime import date

import pytest

from ahdath.model import Article
from ahdath.pipeline import Options, Pipeline
from ahdath.store.workers import extract_one, extract_parallel

from synthetic import TEMPLATES, TOWNS


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline.from_options(Options())


def _articles() -> list[Article]:
    out = [Article(f"r{n}", TEMPLATES[n % 2].format(n="خمسة", town=town), date(2024, 3, 1 + n))
           for n, town in enumerate(TOWNS)]
    out.insert(3, Article("none", "\x00\x01 not a report", None))  # no events: it keeps its place
    return out


@pytest.mark.parametrize("inherit", [True, False], ids=["parent-pipeline", "own-pipeline"])
def test_workers_same_events_in_input_order(pipeline: Pipeline, inherit: bool) -> None:
    articles = _articles()
    chunks = [articles[i:i + 3] for i in range(0, len(articles), 3)]
    got = [pair for chunk in extract_parallel(chunks, Options(), 2, pipeline if inherit else None)
           for pair in chunk]
    assert [a.id for a, _found in got] == [a.id for a in articles]
    assert [found for _a, found in got] == [extract_one(pipeline, a) for a in articles]
    assert got[3][1] == [] and sum(len(found) for _a, found in got) >= len(TOWNS)
