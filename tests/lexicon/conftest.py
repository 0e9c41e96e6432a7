"""Helpers for lexicon tests: write throwaway lexicon folders."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

WriteLexicon = Callable[[str, str], Path]


@pytest.fixture
def lexicon_dir(tmp_path: Path) -> tuple[Path, WriteLexicon]:
    """A fresh folder plus a function ``write(name, yaml_text) -> path`` filling it."""
    folder = tmp_path / "lexicon"
    folder.mkdir()

    def write(name: str, text: str) -> Path:
        path = folder / name
        path.write_text(text, encoding="utf-8")
        return path

    return folder, write
