"""Kernels for finite bargaining sets without lotteries.

All functions take clean, broadcast arrays: ``S`` of shape ``(B..., m, n)``,
``d`` and ``w`` of shape ``(B..., n)``. They return the chosen index
``(B...,)`` (meaningful where ``agreement``) and the agreement mask.
"""

from __future__ import annotations

import numpy as np

__all__: list[str] = []


def maxmin(S: np.ndarray, d: np.ndarray):
    r"""The ZOPA slack of finite sets: the largest smallest gain over ``d``, and where.

    .. math:: s = \max_j \min_i (S_{ji} - d_i)

    Returns ``(slack, index, margins)``: ``slack`` and ``index`` (the first
    maximiser) with the batch shape, and ``margins`` (..., m), each point's
    smallest gain (``>= 0`` exactly for the points inside the ZOPA). One pass
    per party, no ``(..., m, n)`` temporary.

    Examples
    --------
    >>> import numpy as np
    >>> from bargain.utility._points import maxmin
    >>> S = np.array([[1.0, 0.0], [0.6, 0.6], [0.2, 0.9]])
    >>> slack, index, margins = maxmin(S, np.array([0.3, 0.3]))
    >>> float(slack), int(index), margins
    (0.3, 1, array([-0.3,  0.3, -0.1]))
    """
    margins = S[..., 0] - d[..., 0, None]
    for i in range(1, S.shape[-1]):
        np.minimum(margins, S[..., i] - d[..., i, None], out=margins)
    index = np.argmax(margins, axis=-1)
    slack = np.take_along_axis(margins, index[..., None], axis=-1)[..., 0]
    return slack, index, margins


def gains(S: np.ndarray, d: np.ndarray):
    """Gains over ``d``, and the strict/weak individual-rationality masks."""
    G = S - d[..., None, :]
    strict = np.all(G > 0, axis=-1)
    weak = np.all(G >= 0, axis=-1)
    return G, strict, weak


def leximin(g: np.ndarray, feasible: np.ndarray) -> np.ndarray:
    """Index of the leximin-best row of ``g`` (..., m, n) among ``feasible`` rows.

    Sort each row's entries ascending and compare rows lexicographically:
    maximise the smallest entry, then the second smallest, and so on. The
    first index wins exact ties. The loop runs over the ``n`` parties only.
    """
    s = np.sort(g, axis=-1)
    cand = feasible.copy()
    for k in range(s.shape[-1]):
        col = np.where(cand, s[..., k], -np.inf)
        best = col.max(axis=-1, keepdims=True)
        cand &= col >= best
    return np.argmax(cand, axis=-1)


def _nash_log(S, d, w):
    score = np.zeros(S.shape[:-1])
    with np.errstate(divide="ignore"):
        for i in range(S.shape[-1]):
            g = S[..., i] - d[..., i, None]
            score += w[..., i, None] * np.log(np.maximum(g, 0.0))
    idx = np.argmax(score, axis=-1)
    best = np.take_along_axis(score, idx[..., None], axis=-1)[..., 0]
    return idx, best > -np.inf


def nash_index(S, d, w):
    """Maximise ``sum_i w_i log(u_i - d_i)`` over points strictly above ``d``.

    With equal weights the product of the gains clamped at zero is maximised
    directly (zero exactly where a point is not strictly above ``d``), one
    pass per party and no logarithms; problems whose best product underflows
    to zero or overflows are redone in logs. Unequal weights use logs.
    """
    n = S.shape[-1]
    if not np.all(w == w[..., :1]):
        return _nash_log(S, d, w)
    score = None
    with np.errstate(over="ignore", under="ignore"):
        for i in range(n):
            g = S[..., i] - d[..., i, None]
            np.maximum(g, 0.0, out=g)
            score = g if score is None else np.multiply(score, g, out=score)
    idx = np.argmax(score, axis=-1)
    best = np.take_along_axis(score, idx[..., None], axis=-1)[..., 0]
    agreement = best > 0
    unsure = ~np.isfinite(best) | (best == 0)
    if np.ndim(unsure) == 0:
        return _nash_log(S, d, w) if unsure else (idx, agreement)
    if np.any(unsure):
        sub_idx, sub_agree = _nash_log(S[unsure], d[unsure], w[unsure])
        idx[unsure], agreement[unsure] = sub_idx, sub_agree
    return idx, agreement


def utilitarian_index(S, d, w):
    """Maximise ``sum_i w_i u_i`` over points weakly above ``d``."""
    _, strict, weak = gains(S, d)
    score = np.where(weak, np.einsum("...mn,...n->...m", S, w), -np.inf)
    return np.argmax(score, axis=-1), np.any(strict, axis=-1)


def egalitarian_index(S, d, w):
    """Leximin of the weighted gains ``(u_i - d_i) / w_i`` over points weakly above ``d``."""
    G, strict, weak = gains(S, d)
    return leximin(G / w[..., None, :], weak), np.any(strict, axis=-1)


def ideal_point(S, weak, d):
    """Each party's best utility among the points weakly above ``d``."""
    best = np.max(np.where(weak[..., None], S, -np.inf), axis=-2)
    return np.where(np.isfinite(best), best, d)


def kalai_smorodinsky_index(S, d, w=None):
    """Leximin of gains normalised by the ideal point, over points weakly above ``d``."""
    G, strict, weak = gains(S, d)
    a = ideal_point(S, weak, d)
    span = a - d
    span = np.where(span > 0, span, 1.0)
    return leximin(G / span[..., None, :], weak), np.any(strict, axis=-1)


_CHUNK_ELEMENTS = 32_768  # points per chunk: temporaries stay in cache


def solve_chunked(concept, S, d, w):
    """Run a kernel over the flattened batch in cache-sized chunks.

    Returns ``(index, agreement)`` with the batch shape of ``S``.
    """
    kernel = KERNELS[concept]
    batch, (m, n) = S.shape[:-2], S.shape[-2:]
    size = int(np.prod(batch))
    rows = max(1, _CHUNK_ELEMENTS // m)
    if size <= rows:
        return kernel(S, d, w)
    Sf, df, wf = S.reshape(-1, m, n), d.reshape(-1, n), w.reshape(-1, n)
    idx = np.empty(size, dtype=np.intp)
    agreement = np.empty(size, dtype=bool)
    for start in range(0, size, rows):
        sl = slice(start, start + rows)
        idx[sl], agreement[sl] = kernel(Sf[sl], df[sl], wf[sl])
    return idx.reshape(batch), agreement.reshape(batch)


KERNELS = {
    "nash": nash_index,
    "kalai_smorodinsky": kalai_smorodinsky_index,
    "egalitarian": egalitarian_index,
    "utilitarian": utilitarian_index,
}
