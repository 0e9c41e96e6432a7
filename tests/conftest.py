"""Fixtures shared by every test module."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# The suite is deterministic like the engine: property tests draw the same examples on every run
# (no example database, derandomized). HYPOTHESIS_PROFILE=explore draws new ones (docs/testing.md).
settings.register_profile("ci", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# the PostgreSQL server and its fixtures (db_url, postgres_url, new_postgres_db), one per session
pytest_plugins = ["pgfixtures"]

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The read-only ../shared folder (corpus, gold, gazetteer references); skip where absent."""
    if not (SHARED / "corpus").is_dir():
        pytest.skip("../shared is not present on this machine")
    return SHARED


@pytest.fixture(scope="session")
def lexicons():
    from ahdath.lexicon import load_lexicons

    return load_lexicons()
