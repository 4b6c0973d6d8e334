"""Array kernels for the alternating-offers game (see :mod:`bargain.solutions._rubinstein`).

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

from .._core._roots import clean as _values
from .._core._roots import increasing as _increasing
from .._core._roots import mask as _mask
from .._core._roots import pick as _pick

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
    r"""Backward induction on the unit pie with ``horizon`` rounds (int array, batch shape).

    Returns ``(x, y)``: party 1's share in the round-1 proposal of party 1
    (when it proposes first) and of party 2 (when it does).

    With :math:`n` rounds left, party 1's surplus over :math:`d_1` as the
    proposer is :math:`\alpha_n = s(1 - a_2) + a_2 \beta_{n-1}` and as the
    responder :math:`\beta_n = a_1 \alpha_{n-1}` (:math:`s = 1 - d_1 - d_2`,
    :math:`\alpha_0 = 0`, :math:`\beta_0 = s`). Without outside options the
    two-round map is affine, :math:`\alpha_n = s(1 - a_2) + r \alpha_{n-2}`
    with :math:`r = a_1 a_2`, so :math:`\alpha_{2m + j} = r^m \alpha_j +
    s(1 - a_2)(1 - r^m)/(1 - r)` (:math:`m s (1 - a_2)` when :math:`r = 1`):
    O(1) per problem whatever the horizon. With outside options the map is
    that affine map clipped (a max in each threshold); the rounds run until
    the pair of shares repeats exactly in floating point (then every longer
    horizon of the same parity has the same answer), so the cost is the
    number of rounds to that fixed point, not the horizon.
    """
    shape = horizon.shape
    d1, d2 = d[..., 0], d[..., 1]
    a1, a2 = a[..., 0], a[..., 1]
    if w is None:
        s = 1.0 - d1 - d2
        c = s * (1.0 - a2)
        r = a1 * a2

        def alpha(k):
            m, j = np.divmod(k, 2)
            start = np.where(j == 1, s, 0.0)
            inner = (r > 0) & (r < 1)
            logr = np.log(np.where(inner, r, 0.5))
            rm = np.where(r > 0, r**m, np.where(m == 0, 1.0, 0.0))
            # (1 - r^m) / (1 - r) without cancellation near r = 1: m at r = 1, and
            # 1 (m >= 1) or 0 (m = 0) at r = 0
            geo = np.where(inner, np.expm1(m * logr) / np.expm1(logr), 0.0)
            geo = np.where(r >= 1.0, m, geo)
            geo = np.where(r <= 0, np.minimum(m, 1), geo)
            return rm * start + c * geo

        n = np.broadcast_to(horizon, shape).astype(np.int64)
        x = d1 + alpha(n)
        y = d1 + a1 * alpha(n - 1)
        return np.broadcast_to(x, shape).copy(), np.broadcast_to(y, shape).copy()
    w1, w2 = w[..., 0], w[..., 1]
    # "no round left" is the disagreement point, so with one round left the
    # responder's threshold is max(w, d). A = party 1's share when 1 proposes
    # with n rounds left, B = when 2 proposes.
    A_prev = np.broadcast_to(d1, shape)
    B_prev = np.broadcast_to(1.0 - d2, shape)
    A_prev2 = B_prev2 = None
    x, y = np.empty(shape), np.empty(shape)
    top = int(horizon.max())
    for n in range(1, top + 1):
        A = 1.0 - d2 - np.maximum(w2 - d2, a2 * (1.0 - B_prev - d2))
        B = d1 + np.maximum(w1 - d1, a1 * (A_prev - d1))
        A, B = np.broadcast_to(A, shape), np.broadcast_to(B, shape)
        hit = horizon == n
        x[hit], y[hit] = A[hit], B[hit]
        if A_prev2 is not None and np.array_equal(A, A_prev2) and np.array_equal(B, B_prev2):
            # the two-round map is at its fixed point: longer horizons repeat by parity
            rest = horizon > n
            same = (horizon - n) % 2 == 0
            x[rest & same], y[rest & same] = A[rest & same], B[rest & same]
            x[rest & ~same], y[rest & ~same] = A_prev[rest & ~same], B_prev[rest & ~same]
            break
        A_prev2, B_prev2 = A_prev, B_prev
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


# -- n >= 3 parties on the unit pie -----------------------------------------------


def shaked(a):
    r"""Stationary SPE proposals of the rotating-proposer game (Shaked; O&R 1990 sec. 3.13).

    ``a`` is ``(..., n)``; returns ``X`` ``(..., n, n)``, row ``i`` the split
    party ``i`` proposes. After any rejection the next party in the order
    proposes, so a responder ``j`` accepts exactly what it gets from the next
    proposer's offer a round later: :math:`X_{ij} = a_j X_{i+1, j}`. Going
    round the cycle from ``j``'s own proposal, :math:`X_{ij} = a_j^{(j - i)
    \bmod n} p_j` with ``p_j = X_{jj}``, and each row sums to 1: the linear
    system :math:`\sum_j a_j^{(j - i) \bmod n} p_j = 1`, solved for the whole
    batch. With a common ``a``: :math:`p = (1 - a) / (1 - a^n)` and the
    responders get :math:`a p, a^2 p, \dots` in the order they propose.
    """
    n = a.shape[-1]
    i = np.arange(n)
    k = (i[None, :] - i[:, None]) % n  # (j - i) mod n
    M = a[..., None, :] ** k  # M[i, j] = a_j^k
    pj = np.linalg.solve(M, np.ones(a.shape[:-1] + (n, 1)))[..., 0]
    return M * pj[..., None, :]


def exit_shares(a):
    r"""SPE proposals of unanimity bargaining with exit (after Krishna and Serrano 1996).

    ``a`` is ``(..., n)``; returns ``X`` ``(..., n, n)``. Responders who accept
    leave with their shares; the talks go on between the proposer and the
    responders who reject, the first of them proposing next. A responder
    ``j`` who alone rejects party ``i``'s offer then bargains with ``i`` over
    what the two claimed, as first proposer of a two-party game, and gets the
    share :math:`c_{ij} = (1 - a_i) / (1 - a_i a_j)` of it a round later; so
    it accepts exactly :math:`X_{ij} = a_j c_{ij} (X_{ii} + X_{ij})`, i.e.
    :math:`X_{ij} = q_{ij} X_{ii}` with
    :math:`q_{ij} = a_j c_{ij} / (1 - a_j c_{ij})`, and
    :math:`X_{ii} = 1 / (1 + \sum_{j \ne i} q_{ij})`. With a common ``a``,
    :math:`q = a` and the proposer gets :math:`1 / (1 + (n - 1) a)`, each
    responder :math:`a / (1 + (n - 1) a)`.
    """
    ai, aj = a[..., :, None], a[..., None, :]
    c = (1.0 - ai) / (1.0 - ai * aj)
    q = aj * c / (1.0 - aj * c)
    n = a.shape[-1]
    eye = np.eye(n, dtype=bool)
    q = np.where(eye, 1.0, q)
    own = 1.0 / q.sum(axis=-1)
    return q * own[..., None]


# -- finitely many packages, no lotteries ------------------------------------------


def stationary_pairs(S, d, a, w):
    r"""Stationary SPE of alternating offers over finitely many packages (no lotteries).

    ``S`` is ``(n, m, 2)``; returns a boolean ``(n, m, m)`` array whose entry
    ``[i, j]`` says that "party 1 always proposes package ``i``, party 2
    always proposes ``j``, each accepted at once" is a subgame-perfect
    equilibrium in stationary strategies.

    Notes
    -----
    With the responders' thresholds
    :math:`T_2(j) = d_2 + \max(w_2 - d_2, a_2 (u_2(j) - d_2))` and
    :math:`T_1(i) = d_1 + \max(w_1 - d_1, a_1 (u_1(i) - d_1))` (what
    rejecting is worth: the outside option, or the other's proposal one
    round later), the pair is an equilibrium iff each proposal is acceptable
    (:math:`u_2(i) \ge T_2(j)`, :math:`u_1(j) \ge T_1(i)`), is the
    proposer's best among the acceptable packages (ties: every maximiser is
    an equilibrium), and beats having it rejected (the proposer then gets the
    other's proposal a round later, or the outside option if the responder
    walks away). Both proposals must be worth at least ``max(d, w)`` to both
    parties. Utilities equal to within ``1e-12`` (relative) count as ties.
    """
    n = S.shape[0]
    wv = np.full((n, 2), -np.inf) if w is None else w
    u1, u2 = S[..., 0], S[..., 1]
    d1, d2 = d[:, 0:1], d[:, 1:2]
    a1, a2 = a[:, 0:1], a[:, 1:2]
    w1, w2 = wv[:, 0:1], wv[:, 1:2]
    cont2 = d2 + a2 * (u2 - d2)  # (n, m): party 2's value of rejecting when it will propose j
    cont1 = d1 + a1 * (u1 - d1)
    T2 = np.maximum(w2, cont2)  # indexed by j
    T1 = np.maximum(w1, cont1)  # indexed by i
    tol = 1e-12 * (1.0 + np.abs(S).max(axis=(-2, -1)))[:, None, None]
    acc2 = u2[:, :, None] >= T2[:, None, :] - tol  # [i, j]: 2 accepts i given j
    acc1 = u1[:, None, :] >= T1[:, :, None] - tol  # [i, j]: 1 accepts j given i
    best1 = np.max(np.where(acc2, u1[:, :, None], -np.inf), axis=1, keepdims=True)  # per j
    best2 = np.max(np.where(acc1, u2[:, None, :], -np.inf), axis=2, keepdims=True)  # per i
    top1 = acc2 & (u1[:, :, None] >= best1 - tol)
    top2 = acc1 & (u2[:, None, :] >= best2 - tol)
    # proposing something rejected: party 2 walks away (w) if that beats continuing
    out2 = w2 > cont2  # per j
    out1 = w1 > cont1  # per i
    rej1 = np.where(out2, w1, cont1)  # party 1's value of a rejected offer, per j
    rej2 = np.where(out1, w2, cont2)  # party 2's, per i
    keep1 = u1[:, :, None] >= rej1[:, None, :] - tol
    keep2 = u2[:, None, :] >= rej2[:, :, None] - tol
    ir = np.all(S >= np.maximum(d, wv)[:, None, :] - tol[:, :, 0:1], axis=-1)
    return top1 & top2 & keep1 & keep2 & ir[:, :, None] & ir[:, None, :]


# -- general concave frontiers: vectorised root-finding ----------------------------


class FlatFrontier:
    """A :class:`~bargain.Frontier` restricted to flat batch arrays.

    Inversions and arcs are solved with :func:`bargain._core._roots.bracketed`; ``aux`` rows
    carry the utilities ``u(t)`` at each solution, so no extra evaluation is
    needed to use them. Where the frontier knows a closed-form inverse of a
    component (``Frontier.split`` and ``Frontier.from_function`` do),
    inversions use it instead (``inv[k]``, else ``None``).
    """

    def __init__(self, F, lo, hi, fargs):
        self.F, self.lo, self.hi, self.fargs = F, lo, hi, fargs
        self.inv = (getattr(F, "_inverse_1", None), getattr(F, "_inverse_2", None))
        self._ends = None

    def inverse_at(self, k, target, idx, lo, hi, fargs=None):
        """Closed-form inversion of ``u_k`` for the problems ``idx``, clipped to ``[lo, hi]``."""
        fargs = self.fargs if fargs is None else fargs
        with np.errstate(all="ignore"):
            t = self.inv[k](target, *(a[idx] for a in fargs))
        return np.minimum(np.maximum(t, lo), hi)

    def U(self, t, fargs=None):
        return self.F(t, *(self.fargs if fargs is None else fargs))

    def Ui(self, t, idx):
        """Utilities at ``t`` for the problems ``idx``."""
        with np.errstate(all="ignore"):
            return self.F(t, *(a[idx] for a in self.fargs))

    def ends(self):
        """``u(lo)`` and ``u(hi)`` over the whole batch (computed once)."""
        if self._ends is None:
            self._ends = (self.U(self.lo), self.U(self.hi))
        return self._ends

    def _inverse(self, k, sign, target, lo, hi, fargs, active):
        act = np.ones(target.shape, dtype=bool) if active is None else active
        j = np.flatnonzero(act)
        t, ok = lo.copy(), np.ones(lo.shape, dtype=bool)
        if j.size == 0:
            return t, ok
        tg = target[j]
        if self.inv[k] is not None:
            t[j] = self.inverse_at(k, tg, j, lo[j], hi[j], fargs)
            return t, ok

        def Uj(x, i):
            with np.errstate(all="ignore"):
                return self.F(x, *(a[i] for a in fargs))

        U_lo, U_hi = Uj(lo[j], j), Uj(hi[j], j)

        def f(x, i, *_):
            u = Uj(x, j[i])
            return sign * (u[:, k] - tg[i]), u

        t[j], _, ok[j] = _increasing(
            f,
            lo[j],
            hi[j],
            _values(sign * (U_lo[:, k] - tg)),
            _values(sign * (U_hi[:, k] - tg)),
            U_lo,
            U_hi,
        )
        return t, ok

    def inverse_1(self, target, lo, hi, fargs, active=None):
        """Smallest ``t`` with ``u_1(t) >= target`` (``hi`` if none)."""
        return self._inverse(0, 1.0, target, lo, hi, fargs, active)

    def inverse_2(self, target, lo, hi, fargs, active=None):
        """Largest ``t`` with ``u_2(t) >= target`` (``lo`` if none)."""
        return self._inverse(1, -1.0, target, lo, hi, fargs, active)

    def agreement_arc(self, r, aux=False):
        """Whether some frontier point strictly dominates ``r``; the arc above ``r``.

        Returns ``(agreement, t_left, t_right, converged)`` with ``u_1(t_left) = r_1``
        and ``u_2(t_right) = r_2`` (clipped to the domain); with ``aux=True``
        also ``u(t_left)`` and ``u(t_right)``.
        """
        lo, hi = self.lo, self.hi
        U_lo, U_hi = self.ends()
        r1, r2 = r[:, 0], r[:, 1]
        every = np.arange(lo.shape[0])

        def gap(u, i):
            return (u[:, 0] - r1[i]) - (u[:, 1] - r2[i])

        def f_e(x, i, *_):
            u = self.Ui(x, i)
            return gap(u, i), u

        te, ue, ok_e = _increasing(
            f_e, lo, hi, _values(gap(U_lo, every)), _values(gap(U_hi, every)), U_lo, U_hi
        )
        agreement = np.minimum(ue[:, 0] - r1, ue[:, 1] - r2) > 0

        def f_l(x, i, *_):
            u = self.Ui(x, i)
            return u[:, 0] - r1[i], u

        def f_r(x, i, *_):
            u = self.Ui(x, i)
            return r2[i] - u[:, 1], u

        if self.inv[0] is None:
            t_left, u_left, ok_l = _increasing(
                f_l, lo, te, _values(U_lo[:, 0] - r1), _values(ue[:, 0] - r1), U_lo, ue, agreement
            )
        else:
            t_left = np.where(agreement, self.inverse_at(0, r1, every, lo, te), lo)
            u_left, ok_l = self.U(t_left), True
        if self.inv[1] is None:
            t_right, u_right, ok_r = _increasing(
                f_r, te, hi, _values(r2 - ue[:, 1]), _values(r2 - U_hi[:, 1]), ue, U_hi, agreement
            )
        else:
            t_right = np.where(agreement, self.inverse_at(1, r2, every, te, hi), te)
            u_right, ok_r = self.U(t_right), True
        ok = ok_e & ok_l & ok_r
        if aux:
            return agreement, t_left, t_right, ok, u_left, u_right
        return agreement, t_left, t_right, ok


def frontier_stationary(ff: FlatFrontier, d, a, w):
    r"""Stationary SPE proposals on a concave frontier.

    Returns ``(x, y, agreement, converged)``.

    Notes
    -----
    The two stationarity equations become one equation in ``x``:
    ``g(x) = u_2(x) - d_2 - max(w_2 - d_2, a_2 (u_2(y(x)) - d_2)) = 0`` with
    ``y(x)`` the smallest parameter with
    ``u_1(y) - d_1 = max(w_1 - d_1, a_1 (u_1(x) - d_1))``. On the arc above
    ``r = max(d, w)``, ``g`` decreases (see :func:`bargain.rubinstein`), is
    non-negative where ``u_1 = r_1`` and non-positive where ``u_2 = r_2``,
    so ``-g`` is solved on that bracket by :func:`bargain._core._roots.bracketed` (safeguarded
    secant steps, to ``|Delta x| <= 4 eps |x|``).

    *Closed-form inverse* (``Frontier.split``, ``Frontier.from_function``):
    ``y(x)`` is explicit, so ``g`` costs two frontier evaluations and the
    problem is a single unnested bracketed solve, like a scalar ``brentq``
    on ``g`` but for the whole batch at once.

    *Otherwise* the inner inversion is nested but warm-started: ``y(x)`` is
    non-decreasing and bounded by ``x``, so for an outer iterate inside the
    outer bracket ``[x_lo, x_hi]``, ``y`` lies in ``[y(x_lo), min(y(x_hi), x)]``.
    The outer solver carries ``(y, u_1(y), u_2(y))`` at its bracket ends as
    ``aux`` rows, so the inner bracket and the inner residuals at its ends
    cost nothing; as the outer bracket closes so does the inner one, and the
    inner solve needs only a few secant steps. The final ``y*`` is the inner
    solution at the outer answer.
    """
    n = d.shape[0]
    wv = np.full((n, 2), -np.inf) if w is None else w
    r = d if w is None else np.maximum(d, w)
    agreement, t_left, t_right, ok_arc, u_left, u_right = ff.agreement_arc(r, aux=True)
    lo = ff.lo
    U_lo, _ = ff.ends()
    d1, d2, a1, a2, w1, w2 = d[:, 0], d[:, 1], a[:, 0], a[:, 1], wv[:, 0], wv[:, 1]

    def target1(u1, i):
        return d1[i] + np.maximum(w1[i] - d1[i], a1[i] * (u1 - d1[i]))

    def y_of(x, ux, i, ylo, uylo, yhi, uyhi):
        """``y(x)`` on ``[ylo, yhi]`` (utilities at the ends given): ``(y, u(y), ok)``."""
        tg = target1(ux[:, 0], i)
        # the bracket may not pass x itself: y(x) <= x
        past = _mask(yhi > x)
        yhi, uyhi = _pick(past, x, yhi), _pick(past[:, None], ux, uyhi)

        def f(t, k, *_):
            u = ff.Ui(t, i[k])
            return u[:, 0] - tg[k], u

        y, uy, ok = _increasing(
            f,
            ylo,
            yhi,
            _values(uylo[:, 0] - tg),
            _values(uyhi[:, 0] - tg),
            uylo,
            uyhi,
        )
        return y, uy, ok

    def G(ux, uy, i):
        return -((ux[:, 1] - d2[i]) - np.maximum(w2[i] - d2[i], a2[i] * (uy[:, 1] - d2[i])))

    ids = np.flatnonzero(agreement)
    if ff.inv[0] is not None:  # closed-form y(x): one unnested solve in x

        def f_closed(x, k, *_):
            i = ids[k]
            ux = ff.Ui(x, i)
            y = ff.inverse_at(0, target1(ux[:, 0], i), i, lo[i], x)
            return G(ux, ff.Ui(y, i), i), y[:, None]

        tL, tR, uL, uR = t_left[ids], t_right[ids], u_left[ids], u_right[ids]
        yL = ff.inverse_at(0, target1(uL[:, 0], ids), ids, lo[ids], tL)
        yR = ff.inverse_at(0, target1(uR[:, 0], ids), ids, lo[ids], tR)
        xs, aux, ok_x = _increasing(
            f_closed,
            tL,
            tR,
            _values(G(uL, ff.Ui(yL, ids), ids)),
            _values(G(uR, ff.Ui(yR, ids), ids)),
            yL[:, None],
            yR[:, None],
        )
        x, y = lo.copy(), lo.copy()
        x[ids], y[ids] = xs, aux[:, 0]
        ok = ok_arc.copy()
        ok[ids] &= ok_x
        return x, y, agreement, ok

    # the outer bracket ends with their y, from the whole inner bracket [lo, x]
    yR, uyR, okR = y_of(
        t_right[ids], u_right[ids], ids, lo[ids], U_lo[ids], t_right[ids], u_right[ids]
    )
    yL, uyL, okL = y_of(
        t_left[ids],
        u_left[ids],
        ids,
        lo[ids],
        U_lo[ids],
        np.minimum(yR, t_left[ids]),
        np.where((yR < t_left[ids])[:, None], uyR, u_left[ids]),
    )
    aux_L = np.column_stack([yL, uyL, okL])
    aux_R = np.column_stack([yR, uyR, okR])

    def f_outer(x, k, a_lo, a_hi):
        i = ids[k]
        ux = ff.Ui(x, i)
        y, uy, ok = y_of(x, ux, i, a_lo[:, 0], a_lo[:, 1:3], a_hi[:, 0], a_hi[:, 1:3])
        return G(ux, uy, i), np.column_stack([y, uy, ok])

    xs, aux, ok_x = _increasing(
        f_outer,
        t_left[ids],
        t_right[ids],
        _values(G(u_left[ids], uyL, ids)),
        _values(G(u_right[ids], uyR, ids)),
        aux_L,
        aux_R,
    )
    x, y = lo.copy(), lo.copy()
    x[ids], y[ids] = xs, aux[:, 0]
    ok = ok_arc.copy()
    ok[ids] &= ok_x & (aux[:, 3] == 1.0)
    return x, y, agreement, ok


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
    prev2 = None  # the proposals two rounds back
    prev = None
    for k in range(1, int(horizon.max()) + 1):
        need2 = d2 + np.maximum(wv[:, 1] - d2, a[:, 1] * (B_prev[:, 1] - d2))
        need1 = d1 + np.maximum(wv[:, 0] - d1, a[:, 0] * (A_prev[:, 0] - d1))
        live = horizon >= k
        tA, okA = ff.inverse_2(need2, lo, hi, fargs, live)
        tB, okB = ff.inverse_1(need1, lo, hi, fargs, live)
        ok &= okA & okB
        hit = horizon == k
        x[hit], y[hit] = tA[hit], tB[hit]
        rest = horizon > k
        if (
            prev2 is not None
            and np.array_equal(tA[rest], prev2[0][rest])
            and np.array_equal(tB[rest], prev2[1][rest])
        ):
            # at the fixed point of the two-round map (exactly, in floating point): every
            # longer horizon repeats the last two rounds by parity; the cost is the rounds
            # to convergence, not the horizon
            same = rest & ((horizon - k) % 2 == 0)
            other = rest & ~same
            x[same], y[same] = tA[same], tB[same]
            x[other], y[other] = prev[0][other], prev[1][other]
            break
        prev2, prev = prev, (tA.copy(), tB.copy())
        A_prev, B_prev = ff.U(tA), ff.U(tB)
    return x, y, ok


def _first_root(pts, g):
    """Root of ``g``, increasing and linear between consecutive ``pts`` (n, Q), per row.

    Where ``g`` is already non-negative at the first point the answer is that
    point, where it is still non-positive at the last, the last (the
    conventions of :func:`bargain._core._roots.increasing`).
    """
    k = np.argmax(g >= 0, axis=-1)
    k = np.where(np.any(g >= 0, axis=-1), k, pts.shape[-1] - 1)
    k0 = np.maximum(k - 1, 0)[:, None]
    p0, p1 = (
        np.take_along_axis(pts, k0, axis=-1)[:, 0],
        np.take_along_axis(pts, k[:, None], axis=-1)[:, 0],
    )
    g0, g1 = (
        np.take_along_axis(g, k0, axis=-1)[:, 0],
        np.take_along_axis(g, k[:, None], axis=-1)[:, 0],
    )
    with np.errstate(all="ignore"):
        x = np.where(g1 > g0, p0 + (p1 - p0) * (-g0 / (g1 - g0)), p1)
    x = np.clip(x, p0, p1)
    x = np.where(g[:, 0] >= 0, pts[:, 0], x)
    return np.where(g[:, -1] <= 0, pts[:, -1], x)


def chain_stationary(X, Y, d, a):
    r"""Stationary SPE proposals on concave polygonal chains, exactly: ``(x, y, agreement)``.

    :func:`frontier_stationary` without outside options, on the frontier
    :math:`u_2 = \varphi(u_1)` through the vertices ``(X, Y)`` (n, K) (rows
    ascending in ``u_1``, padded by repeating the last vertex). Both of its
    root-findings have piecewise-linear functions here, so each root is found
    exactly: evaluate at the breakpoints, take the first sign change and
    interpolate on that linear piece.

    - The arc above ``d`` meets the diagonal where
      :math:`(u_1 - d_1) - (\varphi(u_1) - d_2)` (increasing, linear between
      vertices) is zero; there is agreement iff that point is strictly above
      ``d``. The arc runs from :math:`t_L = \max(d_1, X_0)` to
      :math:`t_R = \varphi^{-1}(d_2)`.
    - Party 1 proposes :math:`x`, party 2 :math:`y(x) = d_1 + a_1 (x - d_1)`
      (clipped to ``[X_0, x]``), and
      :math:`g(x) = a_2 (\varphi(y(x)) - d_2) - (\varphi(x) - d_2)` increases on
      :math:`[t_L, t_R]` (see :func:`frontier_stationary`); it is linear between
      the vertices' :math:`u_1` and their preimages under :math:`y`,
      :math:`d_1 + (X_j - d_1) / a_1`.
    """
    from ..utility._chain import Chain

    lo, hi = X[:, 0], X[:, -1]
    d1, d2, a1, a2 = d[:, 0], d[:, 1], a[:, 0], a[:, 1]
    te = _first_root(X, (X - d1[:, None]) - (Y - d2[:, None]))
    ue2 = Chain.phi(te, X, Y)
    agreement = np.minimum(te - d1, ue2 - d2) > 0
    x, y = lo.copy(), lo.copy()
    ids = np.flatnonzero(agreement)
    if not ids.size:
        return x, y, agreement
    Xa, Ya = X[ids], Y[ids]
    da1, da2, aa1, aa2 = d1[ids], d2[ids], a1[ids], a2[ids]
    lo_a = lo[ids]
    tL = np.minimum(np.maximum(da1, lo_a), te[ids])
    with np.errstate(all="ignore"):
        tR = Chain()._inverse_2(da2, Xa, Ya)
    tR = np.minimum(np.maximum(tR, te[ids]), hi[ids])
    with np.errstate(all="ignore"):  # a tiny a_1 puts the preimages beyond the arc
        pre = np.where(aa1[:, None] > 0, da1[:, None] + (Xa - da1[:, None]) / aa1[:, None], np.inf)
    pts = np.concatenate([tL[:, None], Xa, pre, tR[:, None]], axis=-1)
    pts = np.sort(np.clip(pts, tL[:, None], tR[:, None]), axis=-1)

    def y_of(t):
        return np.minimum(
            np.maximum(da1[:, None] + aa1[:, None] * (t - da1[:, None]), lo_a[:, None]), t
        )

    g = aa2[:, None] * (Chain.phi(y_of(pts), Xa, Ya) - da2[:, None]) - (
        Chain.phi(pts, Xa, Ya) - da2[:, None]
    )
    xs = _first_root(pts, g)
    x[ids] = xs
    y[ids] = y_of(xs[:, None])[:, 0]
    return x, y, agreement
