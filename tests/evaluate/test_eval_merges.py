"""Pair scoring of merges: recall over same-incident pairs, wrong merges over pairs in neither list."""
from __future__ import annotations

from pathlib import Path

import pytest

from ahdath.errors import EvaluationError
from ahdath.evaluate.merges import PairGold, score_pairs


def _gold(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "pairs.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def test_merges_score_counts_recall_wrong_and_unsure(tmp_path: Path) -> None:
    gold = PairGold.load(_gold(tmp_path, "same: [[a, b], [c, d], [x, y]]\nunsure: [[a, c]]\n"))
    merged = {("a", "b"), ("a", "c"), ("b", "e")}
    s = score_pairs(merged, gold, stored={"a", "b", "c", "d", "e"})  # x, y not stored: not counted
    assert (s.same, s.found, s.merged) == (2, 1, 3)
    assert s.wrong == (("b", "e"),) and s.missed == (("c", "d"),)
    assert s.recall == 0.5 and s.precision == 0.5


def test_merges_pairs_are_unordered(tmp_path: Path) -> None:
    gold = PairGold.load(_gold(tmp_path, "same: [[b, a]]\n"))
    assert score_pairs({("a", "b")}, gold, {"a", "b"}).found == 1


@pytest.mark.parametrize("body, says", [
    ("same: [[a, a]]\n", "two different ids"),
    ("same: [[a, b, c]]\n", "two different ids"),
    ("same: [[a, b]]\nunsure: [[b, a]]\n", "both same and unsure"),
    ("same: [a\n", "cannot read"),
])
def test_merges_bad_gold_is_one_clear_error(tmp_path: Path, body: str, says: str) -> None:
    with pytest.raises(EvaluationError, match=says):
        PairGold.load(_gold(tmp_path, body))
