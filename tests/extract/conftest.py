"""Fixtures for the extraction tests: one pipeline, built once per session."""
from __future__ import annotations

from datetime import date

import pytest

from ahdath.pipeline import Options, Pipeline

TODAY = date(2026, 11, 27)


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    # today is pinned so undated reports resolve the same way on any day the suite runs
    return Pipeline.from_options(Options(today=TODAY))
