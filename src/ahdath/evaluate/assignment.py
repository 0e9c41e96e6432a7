"""Maximum-weight one-to-one assignment (no scipy at run time).

Shortest augmenting paths with dual potentials (Crouse 2016, the rectangular
Jonker-Volgenant variant). The scan order and tie rules follow the published
algorithm as scipy implements it, so on ties we choose the same pairs as the
reference scorer does; scoring weights are multiples of 1/4, which floats
represent exactly, so no rounding can make the two disagree.
"""
from __future__ import annotations

from collections.abc import Sequence

_INF = float("inf")


def min_cost_assignment(cost: Sequence[Sequence[float]]) -> list[tuple[int, int]]:
    """Rows and columns paired one-to-one (min(rows, cols) pairs) at minimum total cost."""
    nr = len(cost)
    nc = len(cost[0]) if nr else 0
    if nr == 0 or nc == 0:
        return []
    if any(len(row) != nc for row in cost):
        raise ValueError("cost matrix rows differ in length")
    transpose = nc < nr
    # the algorithm adds one row at a time and needs at least as many columns as rows
    c = [list(col) for col in zip(*cost)] if transpose else [list(row) for row in cost]
    if transpose:
        nr, nc = nc, nr
    u = [0.0] * nr
    v = [0.0] * nc
    col4row = [-1] * nr
    row4col = [-1] * nc
    path = [-1] * nc
    for cur in range(nr):
        spc = [_INF] * nc
        sr: list[int] = []
        sc = [False] * nc
        # reversed column order makes a constant matrix come out as the identity
        remaining = list(range(nc - 1, -1, -1))
        n_rem = nc
        min_val = 0.0
        i = cur
        sink = -1
        while sink == -1:
            sr.append(i)
            ci, ui = c[i], u[i]
            index = -1
            lowest = _INF
            for it in range(n_rem):
                j = remaining[it]
                r = min_val + ci[j] - ui - v[j]
                if r < spc[j]:
                    path[j] = i
                    spc[j] = r
                s = spc[j]
                # among equal costs prefer a free column: it ends the search now
                if s < lowest or (s == lowest and row4col[j] == -1):
                    lowest = s
                    index = it
            min_val = lowest
            if min_val == _INF:
                raise ValueError("cost matrix is infeasible")
            j = remaining[index]
            if row4col[j] == -1:
                sink = j
            else:
                i = row4col[j]
            sc[j] = True
            n_rem -= 1
            remaining[index] = remaining[n_rem]
        u[cur] += min_val
        for i in sr:
            if i != cur:
                u[i] += min_val - spc[col4row[i]]
        for j in range(nc):
            if sc[j]:
                v[j] -= min_val - spc[j]
        j = sink
        while True:
            i = path[j]
            row4col[j] = i
            col4row[i], j = j, col4row[i]
            if i == cur:
                break
    if transpose:
        return sorted(((col4row[k], k) for k in range(nr)))
    return [(k, col4row[k]) for k in range(nr)]


def max_weight_matching(weights: Sequence[Sequence[float]]) -> list[tuple[int, int]]:
    """Pairs ``(row, col)`` of a maximum-weight one-to-one matching; zero-weight pairs are left out."""
    if not weights or not weights[0]:
        return []
    pairs = min_cost_assignment([[-w for w in row] for row in weights])
    return [(i, j) for i, j in pairs if weights[i][j] > 0]
