"""Pareto frontier of finite sets of utility vectors."""

from __future__ import annotations

import numpy as np

from .._core._validate import as_points

__all__ = ["pareto_frontier"]

_BLOCK_ELEMENTS = 4_000_000  # bound on the (block, m, n) comparison array


def pareto_frontier(points, /) -> np.ndarray:
    """Mask of the Pareto-optimal (non-dominated) points of a finite set.

    Parameters
    ----------
    points : array_like, shape (..., m, n)
        ``m`` utility vectors of ``n >= 2`` parties; leading dimensions are a
        batch of independent sets.

    Returns
    -------
    mask : ndarray of bool, shape (..., m)
        ``True`` where the point is not dominated by any point of its set.

    Notes
    -----
    Point ``q`` dominates ``p`` if ``q_i >= p_i`` for every party and
    ``q_j > p_j`` for some party. Exact duplicates do not dominate each other,
    so all copies of a non-dominated point are marked.

    Two parties: sort by ``u_1`` descending (ties by ``u_2`` descending); a point
    is non-dominated iff its ``u_2`` exceeds the running maximum of ``u_2`` over
    the points before it, or it duplicates the point before it and that point
    is non-dominated. ``O(m log m)`` per set, vectorised over the batch.

    ``n > 2`` parties: pairwise dominance test, ``O(m^2 n)`` in blocks whose size
    keeps memory bounded.

    Examples
    --------
    >>> import numpy as np
    >>> import bargain as bg
    >>> S = np.array([[0., 1.], [0.5, 0.5], [0.4, 0.4], [1., 0.], [1., 0.]])
    >>> bg.pareto_frontier(S)
    array([ True,  True, False,  True,  True])
    """
    S = as_points(points, "points")
    if S.shape[-1] == 2:
        return _pareto_2d(S)
    return _pareto_nd(S)


def _pareto_2d(S: np.ndarray) -> np.ndarray:
    u1, u2 = S[..., 0], S[..., 1]
    # lexsort sorts by the last key first: primary -u1, secondary -u2 (descending)
    order = np.lexsort((-u2, -u1), axis=-1)
    s1 = np.take_along_axis(u1, order, axis=-1)
    s2 = np.take_along_axis(u2, order, axis=-1)
    prev_max = np.maximum.accumulate(s2, axis=-1)
    prev_max = np.concatenate([np.full(s2.shape[:-1] + (1,), -np.inf), prev_max[..., :-1]], axis=-1)
    strictly_better = s2 > prev_max
    same_as_prev = np.zeros_like(strictly_better)
    same_as_prev[..., 1:] = (s1[..., 1:] == s1[..., :-1]) & (s2[..., 1:] == s2[..., :-1])
    # status of a run of duplicates is the status of its first member
    run_first_index = np.maximum.accumulate(
        np.where(~same_as_prev, np.arange(s2.shape[-1]), 0), axis=-1
    )
    sorted_mask = np.take_along_axis(strictly_better, run_first_index, axis=-1)
    mask = np.empty_like(sorted_mask)
    np.put_along_axis(mask, order, sorted_mask, axis=-1)
    return mask


def _pareto_nd(S: np.ndarray) -> np.ndarray:
    m, n = S.shape[-2:]
    batch = S.shape[:-2]
    flat = S.reshape((-1, m, n))
    nb = flat.shape[0]
    dominated = np.zeros((nb, m), dtype=bool)
    per_problem = m * m * n
    if per_problem <= _BLOCK_ELEMENTS:
        rows, block = max(1, _BLOCK_ELEMENTS // per_problem), m
    else:
        rows, block = 1, max(1, _BLOCK_ELEMENTS // (m * n))
    for b0 in range(0, nb, rows):
        P = flat[b0 : b0 + rows]  # (r, m, n)
        for start in range(0, m, block):
            cand = P[:, start : start + block, None, :]  # (r, k, 1, n)
            other = P[:, None, :, :]  # (r, 1, m, n)
            ge = np.all(other >= cand, axis=-1)
            gt = np.any(other > cand, axis=-1)
            dominated[b0 : b0 + rows, start : start + block] = np.any(ge & gt, axis=-1)
    return ~dominated.reshape(batch + (m,))
