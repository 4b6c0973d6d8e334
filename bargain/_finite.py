"""Kernels for finite bargaining sets without lotteries.

All functions take clean, broadcast arrays: ``S`` of shape ``(B..., m, n)``,
``d`` and ``w`` of shape ``(B..., n)``. They return the chosen index
``(B...,)`` (meaningful where ``agreement``) and the agreement mask.
"""

from __future__ import annotations

import numpy as np

__all__: list[str] = []


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


def nash_index(S, d, w):
    """Maximise ``sum_i w_i log(u_i - d_i)`` over points strictly above ``d``."""
    G, strict, _ = gains(S, d)
    with np.errstate(divide="ignore", invalid="ignore"):
        logs = np.log(np.where(G > 0, G, 1.0))
    score = np.einsum("...mn,...n->...m", logs, w)
    score = np.where(strict, score, -np.inf)
    return np.argmax(score, axis=-1), np.any(strict, axis=-1)


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


KERNELS = {
    "nash": nash_index,
    "kalai_smorodinsky": kalai_smorodinsky_index,
    "egalitarian": egalitarian_index,
    "utilitarian": utilitarian_index,
}
