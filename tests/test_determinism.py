"""The same reports give byte-identical output whatever ``PYTHONHASHSEED`` is."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SEEDS = ("0", "1", "4242")


def _extract(path: Path, seed: str) -> bytes:
    env = dict(os.environ, PYTHONHASHSEED=seed)
    out = subprocess.run([sys.executable, "-m", "ahdath", "extract", "--format", "jsonl", str(path)],
                         capture_output=True, env=env, check=False, timeout=300)
    assert out.returncode in (0, 1), out.stderr.decode("utf-8", "replace")[-400:]
    return out.stdout


@pytest.mark.parametrize("corpus", ["dev.jsonl", "dev2.jsonl"])
def test_determinism_dev_corpus_same_bytes_under_every_hash_seed(shared_dir: Path, corpus: str) -> None:
    path = shared_dir / "corpus" / corpus
    runs = {seed: _extract(path, seed) for seed in SEEDS}
    assert runs["0"], "no events extracted at all"
    differing = [seed for seed, out in runs.items() if out != runs["0"]]
    assert not differing, f"{corpus}: output differs from PYTHONHASHSEED=0 under seeds {differing}"
