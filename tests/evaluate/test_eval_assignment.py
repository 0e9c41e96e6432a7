"""The assignment solver against brute force (and against scipy where installed)."""
from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ahdath.evaluate import max_weight_matching, min_cost_assignment

SCORE_WEIGHTS = st.sampled_from([0.0, 0.0, 1.0, 1.25, 1.5, 1.75, 2.0])


def _matrices(values: st.SearchStrategy[float]) -> st.SearchStrategy[list[list[float]]]:
    return st.integers(1, 6).flatmap(
        lambda n: st.integers(1, 6).flatmap(
            lambda m: st.lists(st.lists(values, min_size=m, max_size=m), min_size=n, max_size=n)))


def _brute_best(w: list[list[float]]) -> float:
    n, m = len(w), len(w[0])
    if n <= m:
        return max(sum(w[i][c] for i, c in enumerate(p)) for p in itertools.permutations(range(m), n))
    return max(sum(w[r][j] for j, r in enumerate(p)) for p in itertools.permutations(range(n), m))


def _check(w: list[list[float]]) -> None:
    pairs = max_weight_matching(w)
    rows, cols = [i for i, _ in pairs], [j for _, j in pairs]
    assert len(set(rows)) == len(rows) and len(set(cols)) == len(cols)
    assert all(w[i][j] > 0 for i, j in pairs)
    assert sum(w[i][j] for i, j in pairs) == pytest.approx(_brute_best(w))


@settings(max_examples=300, deadline=None)
@given(_matrices(SCORE_WEIGHTS))
def test_assignment_scoring_weights_reach_brute_force_optimum(w: list[list[float]]) -> None:
    _check(w)


@settings(max_examples=200, deadline=None)
@given(_matrices(st.floats(0, 10, allow_nan=False, allow_infinity=False)))
def test_assignment_real_weights_reach_brute_force_optimum(w: list[list[float]]) -> None:
    _check(w)


@settings(max_examples=300, deadline=None)
@given(_matrices(SCORE_WEIGHTS))
def test_assignment_breaks_ties_like_scipy(w: list[list[float]]) -> None:
    np = pytest.importorskip("numpy")
    lsa = pytest.importorskip("scipy.optimize").linear_sum_assignment
    rows, cols = lsa(-np.array(w, dtype=float))
    assert min_cost_assignment([[-x for x in r] for r in w]) == list(zip(rows.tolist(), cols.tolist()))


@pytest.mark.parametrize("w, expected", [
    ([], []),
    ([[]], []),
    ([[0.0, 0.0]], []),
    ([[1.0]], [(0, 0)]),
    # one pair worth 2.0 ties with two pairs worth 1.0 each: resolved as the reference scorer does
    ([[2.0, 1.0], [1.0, 0.0]], [(0, 0)]),
    ([[1.0], [1.5], [0.0]], [(1, 0)]),  # tall: transposed internally
    ([[0.0, 1.25, 1.0]], [(0, 1)]),
])
def test_assignment_small_cases(w: list[list[float]], expected: list[tuple[int, int]]) -> None:
    assert max_weight_matching(w) == expected


def test_assignment_rejects_ragged_matrix() -> None:
    with pytest.raises(ValueError):
        min_cost_assignment([[1.0, 2.0], [1.0]])
