r"""Exact Pareto frontier of additive utilities over discrete issues, issue by issue.

With additive utilities the utility vector of an outcome is a sum of
per-issue contributions, :math:`u(o) = \sum_k c_k(o_k)`. A partial sum over
the first ``j`` issues that is dominated by another partial sum stays
dominated whatever the remaining issues add, so the frontier can be built by
adding one issue at a time and pruning dominated partial sums after each
step:

.. math:: F_0 = \{0\}, \qquad F_j = \mathrm{Pareto}(F_{j-1} \oplus C_j).

The work is :math:`\sum_j |F_{j-1}|\,k_j` instead of :math:`\prod_j k_j`.

Ties are broken exactly as the enumerating path does: partial sums are
added in issue order (the same floating-point additions as the utility
evaluation), candidate sums are kept in enumeration (C) order, and of equal
utility vectors only the first in that order survives. So the frontier
holds, for every non-dominated utility vector, the outcome with the smallest
enumeration index, listed in enumeration order — and a finite solver's
first-index tie rule picks the same outcome on either path.
"""

from __future__ import annotations

import numpy as np

from ..utility._pareto import _pareto_nd

__all__: list[str] = []


def _prune_2d(S: np.ndarray) -> np.ndarray:
    """Sorted indices of the non-dominated rows of ``S`` (m, 2), first copy of duplicates."""
    if S.shape[0] > _PREFILTER_MIN:
        cand = _candidates(S)
        if cand is not None:
            return cand[_sorted_prune(S[cand])]
    return _sorted_prune(S)


_PREFILTER_MIN = 4096  # points from which dominated ones are filtered before the sort


def _candidates(S: np.ndarray):
    """Indices (ascending) of the rows of ``S`` (m, 2) not dominated by a bin's best point.

    The range of ``u_1`` is cut into ``B`` bins, ``b(p) = floor((p_1 - lo) B /
    (hi - lo))``, monotone in ``p_1``: a point ``q`` in a higher bin than ``p``
    has ``q_1 > p_1``. So ``p`` is strictly dominated if some point of a higher
    bin has ``q_2 >= p_2``: it survives only if ``p_2`` exceeds ``H_b``, the
    largest ``u_2`` of the bins above its own. Frontier points and all their
    copies survive (copies share a bin); the sort then runs on the survivors
    only. ``None`` if the range of ``u_1`` is empty or not finite.
    """
    u1, u2 = S[:, 0], S[:, 1]
    lo, hi = u1.min(), u1.max()
    if not (np.isfinite(lo) and np.isfinite(hi) and hi > lo) or not np.all(np.isfinite(u2)):
        return None
    B = min(4096, S.shape[0] // 16)
    b = ((u1 - lo) * (B / (hi - lo))).astype(np.intp)
    np.minimum(b, B - 1, out=b)
    top = np.full(B + 1, -np.inf)
    np.maximum.at(top, b, u2)
    above = np.maximum.accumulate(top[::-1])[::-1][1:]  # above[b] = max of bins b+1, ...
    return np.flatnonzero(u2 > above[b])


def _sorted_prune(S: np.ndarray) -> np.ndarray:
    m = S.shape[0]
    order = np.lexsort((np.arange(m), -S[:, 1], -S[:, 0]))
    s2 = S[order, 1]
    prev = np.maximum.accumulate(s2)
    keep = np.empty(m, dtype=bool)
    keep[0] = True
    keep[1:] = s2[1:] > prev[:-1]
    return np.sort(order[keep])


def _prune_nd(S: np.ndarray) -> np.ndarray:
    mask = _pareto_nd(S)
    idx = np.flatnonzero(mask)
    _, first = np.unique(S[idx], axis=0, return_index=True)
    return np.sort(idx[first])


def combine(contributions: list[np.ndarray]):
    """Pareto frontier of ``sum_k C_k[o_k]`` over all option tuples ``o``.

    Parameters
    ----------
    contributions : list of ndarray, shape (k_j, n)
        Per-issue utility contributions of each option, in issue order.

    Returns
    -------
    U : ndarray, shape (m, n)
        Non-dominated utility vectors, in enumeration order of their outcomes.
    codes : ndarray of intp, shape (m, len(contributions))
        The option indices of each (the first outcome in enumeration order
        with that utility vector).
    """
    n = contributions[0].shape[1]
    prune = _prune_2d if n == 2 else _prune_nd
    F = np.zeros((1, n))
    steps = []
    for C in contributions:
        k = C.shape[0]
        S = (F[:, None, :] + C[None, :, :]).reshape(-1, n)
        keep = prune(S)
        steps.append((keep // k, keep % k))
        F = S[keep]
    m = F.shape[0]
    codes = np.empty((m, len(contributions)), dtype=np.intp)
    idx = np.arange(m)
    for j in range(len(steps) - 1, -1, -1):
        parent, option = steps[j]
        codes[:, j] = option[idx]
        idx = parent[idx]
    return F, codes


def enumerate_frontier(U: np.ndarray):
    """Indices (enumeration order) of the first outcome of each non-dominated vector of ``U``."""
    return _prune_2d(U) if U.shape[1] == 2 else _prune_nd(U)
