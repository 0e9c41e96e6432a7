"""Fixtures shared by every test module."""
from __future__ import annotations

from pathlib import Path

import pytest

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
