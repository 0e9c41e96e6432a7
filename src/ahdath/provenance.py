"""Digests that say which data files a result was made with (batch manifests, web exports)."""
from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def tree_digest(paths: Iterable[Path]) -> str:
    """A hash of every file under ``paths`` (names and bytes, in sorted order)."""
    h = hashlib.sha256()
    for root in paths:
        files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
        for f in files:
            if f.name.startswith(".") or "__pycache__" in f.parts:
                continue
            h.update(f.name.encode() + b"\0")
            try:
                h.update(f.read_bytes())
            except OSError:
                h.update(b"<unreadable>")
    return h.hexdigest()[:16]


def lexicon_version() -> str:
    """A digest of the packaged lexicon files: two results with the same one were read with the same
    words (the engine version alone does not say so when the lexicons were edited in place)."""
    return tree_digest([DATA / "lexicon"])
