"""Array kernels for the alternating-offers game (see :mod:`bargain._rubinstein`).

Every kernel takes clean, flat float64 arrays of one common length (one entry
per problem) and returns flat arrays; the public functions validate,
broadcast and reshape. Per-party quantities are ``(n, 2)`` arrays.

Notation (as in the docstring of :func:`bargain.rubinstein`): ``d`` is the
disagreement point, ``a`` the per-round factor on the surplus over ``d``
(``a_i = (1 - p) delta_i``), ``w`` the outside options (``-inf`` for none) and
``r = max(d, w)`` the least utility a responder ever accepts.
"""

from __future__ import annotations

import numpy as np

from ._continuous import solve_increasing

__all__: list[str] = []

# -- the unit pie: closed forms --------------------------------------------------


def pie_stationary(d, a, w):
    """Stationary SPE of the unit pie: party 1's share in each party's proposal.

    Arrays broadcast (``(..., 2)`` per-party; ``d=None`` means zero). Returns
    ``(x, y)``: party 1's share in its own proposal and in party 2's.
    """
    a1, a2 = a[..., 0], a[..., 1]
    e1, e2 = 1.0 - a1, 1.0 - a2
    # fixed point of x -> 1 - d2 - a2 (1 - d2 - y(x)), y(x) = d1 + a1 (x - d1);
    # 1 - a1 a2 written as e1 + a1 e2 to keep accuracy as a -> 1
    if d is None:
        d1 = d2 = 0.0
        x = e2 / (e1 + a1 * e2)
    else:
        d1, d2 = d[..., 0], d[..., 1]
        x = d1 + (1.0 - d1 - d2) * e2 / (e1 + a1 * e2)
    if w is None:
        return x, d1 + a1 * (x - d1)
    w1, w2 = w[..., 0], w[..., 1]
    # the responder's threshold is a max, so the map is clip(A(x), B, 1 - w2) with
    # A the affine map above (slope a1 a2 < 1); its fixed point is clip(x_A, B, 1 - w2)
    B = 1.0 - d2 - a2 * (1.0 - d2 - w1)
    x = np.minimum(1.0 - w2, np.maximum(B, x))
    return x, d1 + np.maximum(w1 - d1, a1 * (x - d1))


def pie_finite(d, a, w, horizon):
    """Backward induction on the unit pie with ``horizon`` rounds (int array, batch shape).

    Returns ``(x, y)``: party 1's share in the round-1 proposal of party 1
    (when it proposes first) and of party 2 (when it does).
    """
    shape = horizon.shape
    d1, d2 = d[..., 0], d[..., 1]
    a1, a2 = a[..., 0], a[..., 1]
    w1 = -np.inf if w is None else w[..., 0]
    w2 = -np.inf if w is None else w[..., 1]
    # "no round left" is the disagreement point, so with one round left the
    # responder's threshold is max(w, d). A = party 1's share when 1 proposes
    # with n rounds left, B = when 2 proposes.
    A_prev = np.broadcast_to(d1, shape)
    B_prev = np.broadcast_to(1.0 - d2, shape)
    x, y = np.empty(shape), np.empty(shape)
    for n in range(1, int(horizon.max()) + 1):
        A = 1.0 - d2 - np.maximum(w2 - d2, a2 * (1.0 - B_prev - d2))
        B = d1 + np.maximum(w1 - d1, a1 * (A_prev - d1))
        A, B = np.broadcast_to(A, shape), np.broadcast_to(B, shape)
        hit = horizon == n
        x[hit], y[hit] = A[hit], B[hit]
        A_prev, B_prev = A, B
    return x, y


def costs_split(c):
    """Rubinstein's fixed-cost model on the unit pie (no discounting).

    Returns ``(x_lo, x_hi, y_lo, y_hi)``: the range over all SPE of party 1's
    share in its own proposal and in party 2's proposal.
    """
    c1, c2 = c[:, 0], c[:, 1]
    one = np.ones_like(c1)
    zero = np.zeros_like(c1)
    # c1 < c2: x = 1, y = 1 - c1; c1 > c2: x = c2, y = 0; c1 = c2 = c: x in [c, 1],
    # y = x - c (all capped to the pie)
    x_lo = np.where(c1 < c2, one, np.minimum(c2, 1.0))
    x_hi = np.where(c1 > c2, np.minimum(c2, 1.0), one)
    y_lo = np.where(c1 < c2, np.maximum(1.0 - c1, 0.0), zero)
    y_hi = np.where(c1 > c2, zero, np.maximum(1.0 - c1, 0.0))
    return x_lo, x_hi, y_lo, y_hi


# -- general concave frontiers: vectorised root-finding ----------------------------


class FlatFrontier:
    """A :class:`~bargain.Frontier` restricted to flat batch arrays."""

    def __init__(self, F, lo, hi, fargs):
        self.F, self.lo, self.hi, self.fargs = F, lo, hi, fargs

    def U(self, t, fargs=None):
        return self.F(t, *(self.fargs if fargs is None else fargs))

    def inverse_1(self, target, lo, hi, fargs, active=None):
        """Smallest ``t`` with ``u_1(t) >= target`` (``hi`` if none)."""

        def f(t, tg, *a):
            return self.F(t, *a)[..., 0] - tg

        act = np.ones(target.shape, dtype=bool) if active is None else active
        return solve_increasing(f, lo, hi, (target, *fargs), act)

    def inverse_2(self, target, lo, hi, fargs, active=None):
        """Largest ``t`` with ``u_2(t) >= target`` (``lo`` if none)."""

        def f(t, tg, *a):
            return tg - self.F(t, *a)[..., 1]

        act = np.ones(target.shape, dtype=bool) if active is None else active
        return solve_increasing(f, lo, hi, (target, *fargs), act)

    def agreement_arc(self, r):
        """Whether some frontier point strictly dominates ``r``; the arc above ``r``.

        Returns ``(agreement, t_left, t_right, converged)`` with ``u_1(t_left) = r_1``
        and ``u_2(t_right) = r_2`` (clipped to the domain).
        """
        lo, hi, fargs = self.lo, self.hi, self.fargs
        r1, r2 = r[:, 0], r[:, 1]
        everyone = np.ones(lo.shape, dtype=bool)

        def f_e(t, r1, r2, *a):
            u = self.F(t, *a)
            return (u[..., 0] - r1) - (u[..., 1] - r2)

        te, ok_e = solve_increasing(f_e, lo, hi, (r1, r2, *fargs), everyone)
        ue = self.U(te)
        agreement = np.minimum(ue[:, 0] - r1, ue[:, 1] - r2) > 0
        t_left, ok_l = self.inverse_1(r1, lo, te, fargs, agreement)
        t_right, ok_r = self.inverse_2(r2, te, hi, fargs, agreement)
        return agreement, t_left, t_right, ok_e & ok_l & ok_r


def _flat_args(x, args):
    shape = x.shape
    args = tuple(np.broadcast_to(a, shape).ravel() for a in args)
    return shape, x.ravel(), args


def frontier_stationary(ff: FlatFrontier, d, a, w):
    """Stationary SPE proposals on a concave frontier.

    Solves ``u_2(x) - d_2 = max(w_2 - d_2, a_2 (u_2(y) - d_2))`` with
    ``y = y(x)`` the smallest parameter with
    ``u_1(y) - d_1 = max(w_1 - d_1, a_1 (u_1(x) - d_1))``; the residual
    decreases in ``x`` on the arc above ``r = max(d, w)``.

    ``y(x)`` is non-decreasing and every point the outer solver evaluates lies
    inside its current bracket, so the values of ``y`` at the bracket's ends
    seen so far bracket every later ``y``: the inner inversions run on brackets
    that shrink with the outer one (a few iterations each instead of ~12).

    Returns ``(x, y, agreement, converged)``.
    """
    n = d.shape[0]
    wv = np.full((n, 2), -np.inf) if w is None else w
    r = d if w is None else np.maximum(d, w)
    agreement, t_left, t_right, ok_arc = ff.agreement_arc(r)
    lo, hi, fargs = ff.lo, ff.hi, ff.fargs
    # known bounds on y at the root: y(t_left) >= lo, y(x) <= x for x on the arc
    y_low, y_high = lo.copy(), t_right.copy()

    def target1(u1, d1, a1, w1):
        return d1 + np.maximum(w1 - d1, a1 * (u1 - d1))

    def residual(x, ids, d1, d2, a1, a2, w1, w2, *fa):
        # -(u_2(x) - d_2 - max(...)): increasing in x; find_root may pass any shape
        shape, x, (ids, d1, d2, a1, a2, w1, w2, *fa) = _flat_args(
            x, (ids, d1, d2, a1, a2, w1, w2, *fa)
        )
        ux = ff.F(x, *fa)
        lo_y = np.minimum(y_low[ids], x)
        hi_y = np.maximum(np.minimum(y_high[ids], x), lo_y)
        y, _ = ff.inverse_1(target1(ux[..., 0], d1, a1, w1), lo_y, hi_y, fa)
        g = (ux[..., 1] - d2) - np.maximum(w2 - d2, a2 * (ff.F(y, *fa)[..., 1] - d2))
        right, left = g > 0, g < 0  # the root lies right (left) of x
        np.maximum.at(y_low, ids[right], y[right])
        np.minimum.at(y_high, ids[left], y[left])
        return (-g).reshape(shape)

    ids = np.arange(n)
    args = (ids, d[:, 0], d[:, 1], a[:, 0], a[:, 1], wv[:, 0], wv[:, 1], *fargs)
    x, ok_x = solve_increasing(residual, t_left, t_right, args, agreement)
    u1 = ff.U(x)[:, 0]
    y, ok_y = ff.inverse_1(target1(u1, d[:, 0], a[:, 0], wv[:, 0]), lo, hi, fargs)
    return x, y, agreement, ok_arc & ok_x & ok_y


def frontier_finite(ff: FlatFrontier, d, a, w, horizon):
    """Backward induction on a concave frontier with ``horizon`` rounds.

    Returns ``(x, y, converged)``: the round-1 proposal parameters of party 1
    and of party 2 (each as the first proposer).
    """
    n = d.shape[0]
    wv = np.full((n, 2), -np.inf) if w is None else w
    lo, hi, fargs = ff.lo, ff.hi, ff.fargs
    d1, d2 = d[:, 0], d[:, 1]
    A_prev = d.copy()  # utilities when party 1 proposes with k rounds left (k = 0: d)
    B_prev = d.copy()
    x, y = np.empty(n), np.empty(n)
    ok = np.ones(n, dtype=bool)
    for k in range(1, int(horizon.max()) + 1):
        need2 = d2 + np.maximum(wv[:, 1] - d2, a[:, 1] * (B_prev[:, 1] - d2))
        need1 = d1 + np.maximum(wv[:, 0] - d1, a[:, 0] * (A_prev[:, 0] - d1))
        live = horizon >= k
        tA, okA = ff.inverse_2(need2, lo, hi, fargs, live)
        tB, okB = ff.inverse_1(need1, lo, hi, fargs, live)
        ok &= okA & okB
        hit = horizon == k
        x[hit], y[hit] = tA[hit], tB[hit]
        A_prev, B_prev = ff.U(tA), ff.U(tB)
    return x, y, ok
