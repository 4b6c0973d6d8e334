"""Kernels for two-party problems on a continuous concave frontier.

Every concept is the root of a function of the frontier parameter ``t`` whose
sign changes once (from negative to positive) on the individually rational
arc; the roots are found for the whole batch at once by the package's
vectorised bracketing solver (:func:`bargain._core._roots.solve_increasing`).
"""

from __future__ import annotations

import numpy as np

from .._core._roots import solve_increasing
from .._core._validate import batch_shape
from ._frontier import Frontier

__all__: list[str] = []


def solve_frontier(concept: str, F: Frontier, d: np.ndarray, w: np.ndarray):
    """Solve one concept on a batch of frontiers; returns flat arrays and the batch shape."""
    batch = batch_shape(S=F.batch_shape, d=d.shape[:-1], weights=w.shape[:-1])

    def flat(a):
        return np.ascontiguousarray(np.broadcast_to(a, batch)).ravel()

    lo, hi = flat(F.lo), flat(F.hi)
    fargs = tuple(flat(a) for a in F.args)
    d1, d2 = flat(d[..., 0]), flat(d[..., 1])
    w1, w2 = flat(w[..., 0]), flat(w[..., 1])
    F.check(lo, hi, fargs)
    everyone = np.ones(lo.shape, dtype=bool)

    def U(t, a):
        return F(t, *a)

    # 1. the frontier point with the largest smallest gain: decides agreement
    def f_e(t, d1, d2, *a):
        u = U(t, a)
        return (u[..., 0] - d1) - (u[..., 1] - d2)

    te, ok_e = solve_increasing(f_e, lo, hi, (d1, d2, *fargs), everyone)
    # the maximiser may lie between te and a neighbouring float (a steep end of
    # the curve): keep whichever of the three has the largest smallest gain
    best_gain = None
    for cand in (
        te,
        np.maximum(np.nextafter(te, -np.inf), lo),
        np.minimum(np.nextafter(te, np.inf), hi),
    ):
        with np.errstate(all="ignore"):
            uc = U(cand, fargs)
        gain = np.minimum(uc[..., 0] - d1, uc[..., 1] - d2)
        gain = np.where(np.isfinite(gain), gain, -np.inf)
        if best_gain is None:
            best_t, best_gain = cand, gain
        else:
            better = gain > best_gain
            best_t, best_gain = np.where(better, cand, best_t), np.where(better, gain, best_gain)
    te = best_t
    agreement = best_gain > 0

    # 2. ends of the individually rational arc
    def f_left(t, d1, *a):
        return U(t, a)[..., 0] - d1

    def f_right(t, d2, *a):
        return d2 - U(t, a)[..., 1]

    t_left, ok_l = solve_increasing(f_left, lo, te, (d1, *fargs), agreement)
    t_right, ok_r = solve_increasing(f_right, te, hi, (d2, *fargs), agreement)
    t_left = np.where(agreement, t_left, te)
    t_right = np.where(agreement, t_right, te)

    # 3. the concept's own condition on [t_left, t_right]
    if concept == "nash":

        def f(t, lo_, hi_, d1, d2, w1, w2, *a):
            u = U(t, a)
            du = F.derivative(t, *a, lo=lo_, hi=hi_)
            return -(w1 * du[..., 0] * (u[..., 1] - d2) + w2 * du[..., 1] * (u[..., 0] - d1))

        args = (lo, hi, d1, d2, w1, w2, *fargs)
    elif concept == "utilitarian":

        def f(t, lo_, hi_, w1, w2, *a):
            du = F.derivative(t, *a, lo=lo_, hi=hi_)
            return -(w1 * du[..., 0] + w2 * du[..., 1])

        args = (lo, hi, w1, w2, *fargs)
    else:
        if concept == "kalai_smorodinsky":
            r1 = U(t_right, fargs)[..., 0] - d1
            r2 = U(t_left, fargs)[..., 1] - d2
            r1, r2 = np.where(r1 > 0, r1, 1.0), np.where(r2 > 0, r2, 1.0)
        else:
            r1, r2 = w1, w2

        def f(t, d1, d2, r1, r2, *a):
            u = U(t, a)
            return (u[..., 0] - d1) / r1 - (u[..., 1] - d2) / r2

        args = (d1, d2, r1, r2, *fargs)
    x, ok_c = solve_increasing(f, t_left, t_right, args, agreement)
    x = np.where(agreement, x, te)
    u = np.where(agreement[:, None], U(x, fargs), np.stack([d1, d2], axis=-1))
    converged = ok_e & ok_l & ok_r & ok_c
    return x, u, agreement, converged, batch
