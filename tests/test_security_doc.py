"""docs/security.md names the tests that cover each threat: every one it names must exist."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DOC = (REPO / "docs" / "security.md").read_text(encoding="utf-8")
NAMED = sorted(set(re.findall(r"`(tests/[\w/]+\.py)::(test_\w+)`", DOC)))
PATHS = sorted(set(re.findall(r"`(tests/[\w/]+(?:\.py|/))`", DOC)))


def test_security_doc_names_tests() -> None:
    assert len(NAMED) >= 30


@pytest.mark.parametrize("path, name", NAMED)
def test_security_doc_named_test_exists(path: str, name: str) -> None:
    source = (REPO / path).read_text(encoding="utf-8")
    assert re.search(rf"^def {name}\(", source, re.MULTILINE), f"{path}::{name} is named in docs/security.md"


@pytest.mark.parametrize("path", PATHS)
def test_security_doc_named_path_exists(path: str) -> None:
    assert (REPO / path).exists()
