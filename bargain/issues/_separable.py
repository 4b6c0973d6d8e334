r"""Exact two-party solutions over divisible issues with separable concave utilities.

With :math:`u_i(x) = c_i + \sum_k W_{ik} v_{ik}(x_k)` and every :math:`v_{ik}`
concave, the Pareto frontier is traced by the weighted-sum maximisers

.. math:: x(\lambda) \in \arg\max_x\ \lambda u_1(x) + (1 - \lambda) u_2(x),

which separate by issue: :math:`x_k(\lambda)` maximises the concave function
:math:`\varphi_k(x) = \lambda W_{1k} v_{1k}(x) + (1 - \lambda) W_{2k} v_{2k}(x)`
on :math:`[lo_k, hi_k]`, i.e. it is the point where the right derivative
:math:`\varphi_k'^{+}` turns non-positive: an end of the range, or the root of
:math:`\varphi_k'` found by Newton steps with the value functions' second
derivatives inside a bracket that every step shrinks (bisection where a step
would leave it, stalls, or meets a kink or a linear piece; see
:meth:`SeparableTwo.argmax`).

``u_1(x(lambda))`` is non-decreasing and ``u_2`` non-increasing in
``lambda``; it jumps where some issue's :math:`\varphi_k` is flat — a flat
(linear) piece of the frontier, where the issue is split. Each solution
concept is the sign change of a function ``h(lambda, u)`` that is increasing
along the frontier; a search on ``lambda`` brackets it between two frontier
points ``(x_a, u_a)`` and ``(x_b, u_b)``: by false position (Illinois) to
``2**-40`` relative when every issue has a strictly concave value (``x`` and
``h`` are then continuous in ``lambda``), else by multisection to a few ulps.
Between them the frontier is a straight segment (a flat piece, or a piece
whose chord is exact far below rounding), and on a flat piece the utilities
are affine along the straight line from ``x_a`` to ``x_b`` in issue space
(concave functions whose positive combination is affine are each affine
there). The concept is then solved on the segment in closed form.

Everything is vectorised over a flat batch ``(B,)``; only the unfinished
problems are evaluated at each step; the multisection width adapts to the
batch size so small batches take few (wide) steps and large batches take many
cheap ones.
"""

from __future__ import annotations

import math

import numpy as np

__all__: list[str] = []

_BITS = 60  # bracketing resolution: (hi - lo) / 2**60
_NEWTON_BITS = 48  # resolution of the per-issue maximiser: (hi - lo) / 2**48
_TINY = 1e-300


def _sections(B: int) -> int:
    # points per multisection round: 63 for a single problem (10 rounds of 6 bits),
    # down to plain bisection for batches of 16384 and more
    return int(max(1, min(63, math.isqrt(max(1, 16384 // max(B, 1))))))


class SeparableTwo:
    """A batch of two-party problems over continuous issues with separable utilities.

    Parameters
    ----------
    lo, hi : ndarray, shape (K,)
        Issue bounds.
    terms : list of length K of [t1, t2]
        ``t_i`` is ``None`` (party indifferent) or ``(v, W)`` with ``v`` a value
        function whose batch shape is ``(B,)`` and ``W`` its weights ``(B,)``.
    offset : ndarray, shape (B, 2)
        Constant utility (from fixed discrete issues).
    """

    def __init__(self, lo, hi, terms, offset):
        self.lo, self.hi = np.asarray(lo, float), np.asarray(hi, float)
        self.terms = terms
        self.offset = offset
        self.B = offset.shape[0]
        self.K = len(terms)
        self.S = _sections(self.B)

    # -- the weighted-sum maximiser ----------------------------------------

    def _slope(self, k, x, lam, second=False):
        """Right derivative of phi_k at ``x`` (B, G, S) for weights ``lam`` (B, G).

        With ``second``, also the second derivative (of the piece to the right).
        """
        total = np.zeros(x.shape)
        curve = np.zeros(x.shape) if second else None
        for i, t in enumerate(self.terms[k]):
            if t is None:
                continue
            v, W = t
            coef = (lam if i == 0 else 1.0 - lam)[..., None] * W[:, None, None]
            with np.errstate(invalid="ignore", over="ignore"):
                g = coef * v._aligned(x, derivative=True)
                total = total + np.where(coef != 0, g, 0.0)
                if second:
                    h = coef * v._aligned(x, second=True)
                    curve = curve + np.where(coef != 0, h, 0.0)
        return (total, curve) if second else total

    def argmax(self, lam: np.ndarray, start=None) -> np.ndarray:
        r"""``x(lam)``: shape ``lam.shape + (K,)``; ``lam`` has shape ``(B, G)``.

        Issue by issue, ``x_k`` is where the right derivative of the concave
        :math:`\varphi_k` turns non-positive: an end of the range when
        :math:`\varphi_k'` has one sign on it (always, for linear values),
        else the root of :math:`\varphi_k'` in a bracket ``[a, b]`` with
        :math:`\varphi_k'(a) > 0 \ge \varphi_k'(b)`, found by Newton steps
        with the value functions' second derivatives, safeguarded: a step that
        leaves the bracket, does not halve the step before the last (it may
        cycle across a kink) or meets a zero or undefined curvature (a linear
        piece) bisects it instead (or, while one end of the
        bracket is still a bound, moves a sixteenth of the way to that bound),
        and every step shrinks the bracket. It stops when the step or the
        bracket is below ``(hi - lo) / 2**48`` or 16 ulps, or when
        :math:`\varphi_k'` is zero to its rounding (8 ulps of the magnitude of
        its terms). ``start`` (``lam.shape + (K,)``), a nearby solution, is
        where the Newton steps begin (by default the middle of each range).
        """
        B, G = lam.shape
        out = np.empty((B, G, self.K))
        for k in range(self.K):
            lo, hi = self.lo[k], self.hi[k]
            if all(t is None for t in self.terms[k]):
                out[..., k] = lo
                continue
            ends = np.stack([np.full((B, G), lo), np.full((B, G), hi)], axis=-1)
            s_end = self._slope(k, ends, lam)
            x = np.full((B, G), lo)
            inner = (s_end[..., 1] <= 0) & (s_end[..., 0] > 0)
            x = np.where(s_end[..., 1] > 0, hi, x)
            if np.any(inner) and not self._linear(k):
                x0 = None if start is None else start[..., k]
                x = np.where(inner, self._root(k, lam, inner, lo, hi, x0), x)
            out[..., k] = x
        return out

    def _linear(self, k) -> bool:
        """Whether every party's value of issue ``k`` is linear (a constant slope)."""
        from ._values import Linear

        return all(t is None or isinstance(t[0], Linear) for t in self.terms[k])

    def _root(self, k, lam, inner, lo, hi, start=None):
        """The sign change of phi_k' in ``(lo, hi)`` where ``inner`` (B, G); see :meth:`argmax`.

        Only the unfinished problems are evaluated at each step.
        """
        tol = (hi - lo) * 2.0**-_NEWTON_BITS
        x_out = np.full(lam.shape, 0.5 * (lo + hi))
        rows, cols = np.nonzero(inner)
        lam_a = lam[rows, cols]
        a, b = np.full(rows.shape, lo), np.full(rows.shape, hi)
        x = x_out[rows, cols]
        if start is not None:  # a nearby solution, strictly inside the range
            x0 = start[rows, cols]
            x = np.where((x0 > lo) & (x0 < hi), x0, x)
        live = np.arange(rows.size)  # positions (in rows, cols) still iterating
        last = np.full(rows.shape, hi - lo)  # the step before the last one
        terms = self.terms[k]
        for _ in range(4 * _BITS):
            r, la, xl = rows[live], lam_a[live], x[live]
            s, c, mag = np.zeros(live.size), np.zeros(live.size), np.zeros(live.size)
            for i, t in enumerate(terms):
                if t is None:
                    continue
                v, W = t
                vi = v._take_many(r)
                coef = (la if i == 0 else 1.0 - la) * W[r]
                with np.errstate(invalid="ignore", over="ignore"):
                    d1, d2 = vi._aligned_d12(xl)
                    g = np.where(coef != 0, coef * d1, 0.0)
                    s, mag = s + g, mag + np.abs(g)
                    c = c + np.where(coef != 0, coef * d2, 0.0)
            pos = s > 0
            al = np.where(pos, xl, a[live])
            bl = np.where(pos, b[live], xl)
            a[live], b[live] = al, bl
            with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                step = xl - s / c  # an overflowing step is not finite and is rejected below
            # a Newton step must stay in the bracket and at least halve the step before
            # the last (else it may cycle, e.g. across a kink)
            ok = np.isfinite(step) & (c < 0) & (step >= al) & (step <= bl)
            ok &= np.abs(step - xl) <= 0.5 * last[live]
            # else bisect, or, while one end is still a bound, step a sixteenth of the
            # way to it (roots near a bound, as for extreme weights, come in a few steps)
            mid = np.where(
                al == lo,
                lo + (bl - lo) / 16,
                np.where(bl == hi, hi - (hi - al) / 16, 0.5 * (al + bl)),
            )
            new = np.where(ok, step, mid)
            res = np.maximum(tol, 16.0 * np.spacing(np.maximum(np.abs(al), np.abs(bl))))
            # converged: the step or bracket is at resolution, or phi' is zero to its
            # rounding (a few ulps of its terms' magnitude)
            flat = np.abs(s) <= 8.0 * np.finfo(float).eps * mag
            done = (bl - al <= res) | (ok & (np.abs(new - xl) <= res)) | flat
            last[live] = np.abs(new - xl)
            x[live] = np.where(done, xl, new)
            live = live[~done]
            if live.size == 0:
                break
        x_out[rows, cols] = x
        return x_out

    def utilities(self, x: np.ndarray) -> np.ndarray:
        """Utilities ``(B, ..., 2)`` of issue values ``x`` of shape ``(B, ..., K)``."""
        U = np.zeros(x.shape[:-1] + (2,))
        extra = (1,) * (x.ndim - 2)
        for i in range(2):
            total = np.zeros(x.shape[:-1])
            for k in range(self.K):
                t = self.terms[k][i]
                if t is None:
                    continue
                v, W = t
                total = total + W.reshape((-1,) + extra) * v._aligned(x[..., k])
            U[..., i] = total + self.offset[:, i].reshape((-1,) + extra)
        return U

    # -- bracketing a concept's condition -------------------------------------

    def bracket(self, h):
        """Frontier points ``(x_a, u_a, x_b, u_b)`` around the sign change of ``h``.

        ``h(lam, U)`` (arrays ``(B, G)`` and ``(B, G, 2)``) must be
        non-decreasing in ``lam``; the search finds
        ``lam* = inf {lam : h > 0}`` with ``h <= 0`` at ``a`` and ``> 0`` at ``b``
        (``a = 0`` / ``b = 1`` mean the ends of the frontier).

        When every issue has a party with a strictly concave value, ``x(lam)``
        and so ``h`` are continuous in ``lam`` and the sign change is found by
        false position with the Illinois modification (superlinear where ``h``
        is smooth), a bisection forced whenever two steps fail to halve the
        bracket; otherwise (linear or kinked values on both sides of an issue,
        where the frontier has flat pieces and ``x(lam)`` jumps) by
        multisection.
        """
        if self._continuous_support():
            return self._bracket_illinois(h)
        return self._bracket_sections(h)

    def _continuous_support(self) -> bool:
        """Whether every issue someone values has a party with a strictly concave value."""
        return all(
            any(t is not None and _strictly_concave(t[0]) for t in pair)
            for pair in self.terms
            if any(t is not None for t in pair)
        )

    def _bracket_illinois(self, h):
        B = self.B
        ends = np.broadcast_to(np.array([_TINY, 1.0 - 2.0**-53]), (B, 2))
        _, U = self.support(np.array(ends))
        he = h(ends, U)
        a, b = np.zeros(B), np.ones(B)
        ha, hb = he[:, 0].copy(), he[:, 1].copy()
        at_left, at_right = ha > 0, hb <= 0  # the sign change is at an end of the frontier
        b = np.where(at_left, 2.0**-_BITS, b)
        a = np.where(at_right & ~at_left, 1.0, a)
        live = ~(at_left | at_right)
        side = np.zeros(B)  # which end moved last: -1 a, +1 b
        ref, count = b - a, np.zeros(B, dtype=int)  # width two steps ago
        X = np.full((B, 1, self.K), np.nan)
        U = np.full((B, 1, 2), np.nan)
        started = False
        for _ in range(4 * _BITS):
            idx = np.flatnonzero(live)
            if idx.size == 0:
                break
            with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                lam = a - ha * (b - a) / (hb - ha)
            mid = 0.5 * (a + b)
            forced = (count >= 4) & (b - a > 0.5 * ref)
            bad = ~np.isfinite(lam) | (lam <= a) | (lam >= b) | forced
            lam = np.where(bad | ~live, mid, lam)
            # at least the resolution from either end: a root within it of an end is
            # then caught by the next step
            res = _resolution(a, b)
            lam = np.where(b - a > 2.0 * res, np.clip(lam, a + res, b - res), lam)
            # only the unfinished problems are solved; the others keep their last point
            sub = self if idx.size == B else self._subset(idx)
            X[idx], U[idx] = sub.support(lam[idx, None], X[idx] if started else None)
            started = True
            hv = h(lam[:, None], U)[:, 0]
            to_a, to_b = live & (hv <= 0), live & (hv > 0)
            # Illinois: when the same end moves twice running, halve the other's value
            hb = np.where(to_a & (side < 0), 0.5 * hb, hb)
            ha = np.where(to_b & (side > 0), 0.5 * ha, ha)
            a, ha = np.where(to_a, lam, a), np.where(to_a, hv, ha)
            b, hb = np.where(to_b, lam, b), np.where(to_b, hv, hb)
            side = np.where(to_a, -1.0, np.where(to_b, 1.0, side))
            count = np.where(forced, 0, count + 1)
            ref = np.where(forced | (count == 1), b - a, ref)
            live &= b - a > _resolution(a, b)
        lam = np.stack([np.maximum(a, _TINY), np.minimum(b, 1.0 - 2.0**-53)], axis=-1)
        X, U = self.support(lam, np.repeat(X, 2, axis=1) if started else None)
        return X[:, 0], U[:, 0], X[:, 1], U[:, 1], lam

    def _subset(self, idx) -> SeparableTwo:
        """The problems ``idx`` of the batch, as a batch of their own."""
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)
        new.terms = [
            [None if t is None else (t[0]._take_many(idx), t[1][idx]) for t in pair]
            for pair in self.terms
        ]
        new.offset = self.offset[idx]
        new.B = int(idx.size)
        new.S = _sections(new.B)
        return new

    def _bracket_sections(self, h):
        B, G = self.B, self.S
        a, b = np.zeros(B), np.ones(B)
        rounds = math.ceil(_BITS / math.log2(G + 1))
        frac = np.arange(1, G + 1) / (G + 1)
        for _ in range(rounds):
            lam = a[:, None] + (b - a)[:, None] * frac
            _, U = self.support(lam)
            pos = h(lam, U) > 0
            c = pos.shape[-1] - pos.sum(axis=-1)  # number of points with h <= 0
            left = np.take_along_axis(lam, np.maximum(c - 1, 0)[:, None], axis=-1)[:, 0]
            right = np.take_along_axis(lam, np.minimum(c, G - 1)[:, None], axis=-1)[:, 0]
            a = np.where(c > 0, left, a)
            b = np.where(c < G, right, b)
        lam = np.stack([np.maximum(a, _TINY), np.minimum(b, 1.0 - 2.0**-53)], axis=-1)
        X, U = self.support(lam)
        return X[:, 0], U[:, 0], X[:, 1], U[:, 1], lam

    def support(self, lam, start=None):
        """The supporting frontier point for weights ``lam`` (B, G): ``(x, u)``."""
        X = self.argmax(lam, start)
        return X, self.utilities(X)

    def point(self, xa, xb, t):
        """Issue values and utilities at ``x_a + t (x_b - x_a)``, ``t`` of shape (B,)."""
        x = xa + t[:, None] * (xb - xa)
        x = np.clip(x, self.lo, self.hi)
        return x, self.utilities(x[:, None, :])[:, 0]


class ShiftedTwo(SeparableTwo):
    r"""Divisible issues plus lotteries over discrete combinations: a Minkowski sum.

    With additive utilities the discrete issues add a constant ``o_c`` to the
    utilities of every deal with combination ``c``, so the deals are the
    union of translates :math:`S + o_c` of the continuous set ``S``, and with
    lotteries over them its convex hull :math:`S + \mathrm{conv}\{o_c\}`
    (``S`` is convex). Support functions add, so the supporting point for
    weights :math:`(\lambda, 1 - \lambda)` is the continuous maximiser
    ``x(lambda)`` plus the supporting vertex of the offsets' Pareto chain
    ``V`` (the first on ties). :meth:`support` returns the issue values with
    the vertex index as an extra last column; everything else
    (:meth:`bracket`) is inherited.
    """

    def __init__(self, lo, hi, terms, V):
        super().__init__(lo, hi, terms, np.zeros((terms_batch(terms), 2)))
        self.V = V

    def vertex(self, lam, side=None):
        """Supporting vertex for ``lam``; ``side`` (B, G) of -1/+1 breaks near-ties.

        At the direction of a chain edge both its ends support; within ``1e-12``
        of a tie ``side = -1`` picks the left one (smaller ``u_1``), ``+1`` the
        right one, so the two bracketing points of :meth:`bracket` are the
        edge's two ends even when their ``lam`` are equal in floating point.
        """
        score = lam[..., None] * self.V[:, 0] + (1.0 - lam)[..., None] * self.V[:, 1]
        if side is None:
            return np.argmax(score, axis=-1)
        top = score.max(axis=-1, keepdims=True)
        near = score >= top - 1e-12 * (1.0 + np.abs(top))
        k = self.V.shape[0]
        first = np.argmax(near, axis=-1)
        last = k - 1 - np.argmax(near[..., ::-1], axis=-1)
        return np.where(side < 0, first, last)

    def support(self, lam, side=None):
        X = self.argmax(lam)
        j = self.vertex(lam, side)
        U = self.utilities(X) + self.V[j]
        return np.concatenate([X, j[..., None].astype(float)], axis=-1), U

    def bracket(self, h):
        # the offsets' chain makes the support jump between vertices: multisection
        lam = self._bracket_sections(h)[-1]
        side = np.broadcast_to(np.array([-1, 1]), lam.shape)
        X, U = self.support(lam, side)
        return X[:, 0], U[:, 0], X[:, 1], U[:, 1], lam


def _resolution(a, b):
    """Width at which a bracket ``[a, b]`` of weights is final.

    ``2**-40`` relative to the nearer end of ``[0, 1]`` (the chord between the
    two support points is then exact far below rounding), at least a few ulps
    and ``2**-60``.
    """
    res = np.maximum(2.0**-40 * np.minimum(b, 1.0 - a), 4.0 * np.spacing(b))
    return np.maximum(res, 2.0**-_BITS)


def _strictly_concave(v) -> bool:
    """Whether value function ``v`` is strictly concave for every draw (no flat piece)."""
    from ._values import Exponential, IdealPoint, Logarithmic, Power

    p = v.params
    if isinstance(v, Power):
        return bool(np.all(p["exponent"] < 1.0))
    if isinstance(v, Exponential):
        return bool(np.all(p["a"] > 0.0))
    if isinstance(v, Logarithmic):
        return bool(np.all(p["a"] > 0.0))
    if isinstance(v, IdealPoint):
        return v.loss == "quadratic" and bool(np.all(p["scale"] > 0.0))
    return False


def terms_batch(terms) -> int:
    """The batch size ``B`` of a list of per-issue terms (1 when no party has a stake)."""
    for pair in terms:
        for t in pair:
            if t is not None:
                return int(t[1].shape[0])
    return 1


def _lin_t(ha, hb):
    """Root in [0, 1] of the affine function with values ``ha`` at 0 and ``hb`` at 1."""
    den = hb - ha
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        t = np.where(den > 0, -ha / np.where(den > 0, den, 1.0), 0.0)
    t = np.where(ha > 0, 0.0, t)
    t = np.where(hb <= 0, 1.0, t)
    return np.clip(t, 0.0, 1.0)


def cross(P: SeparableTwo, d, r):
    """Frontier point where ``(u_1 - d_1)/r_1 = (u_2 - d_2)/r_2`` (or the nearer end).

    This is the leximin point of the normalised gains ``(u_i - d_i) / r_i``.
    """

    def h(lam, U):
        return (U[..., 0] - d[:, None, 0]) / r[:, None, 0] - (U[..., 1] - d[:, None, 1]) / r[
            :, None, 1
        ]

    xa, ua, xb, ub, _ = P.bracket(h)

    def hh(u):
        return (u[:, 0] - d[:, 0]) / r[:, 0] - (u[:, 1] - d[:, 1]) / r[:, 1]

    return P.point(xa, xb, _lin_t(hh(ua), hh(ub)))


def ir_end(P: SeparableTwo, d, party: int):
    """End of the individually rational arc where party ``1 - party`` is at ``d``.

    ``party = 0``: the best point for party 1 with ``u_2 >= d_2`` (where
    ``u_2 = d_2``, or the frontier's end). ``party = 1``: the best for party 2
    with ``u_1 >= d_1``.
    """
    if party == 0:

        def h(lam, U):
            return d[:, None, 1] - U[..., 1]

        xa, ua, xb, ub, _ = P.bracket(h)
        t = _lin_t(d[:, 1] - ua[:, 1], d[:, 1] - ub[:, 1])
    else:

        def h(lam, U):
            return U[..., 0] - d[:, None, 0]

        xa, ua, xb, ub, _ = P.bracket(h)
        t = _lin_t(ua[:, 0] - d[:, 0], ub[:, 0] - d[:, 0])
    return P.point(xa, xb, t)


def _segment_nash(ua, ub, d, w):
    """Maximiser ``t`` in [0, 1] of the weighted Nash product on the segment [ua, ub]."""
    D = ub - ua
    ga = ua - d
    den = (w[:, 0] + w[:, 1]) * D[:, 0] * D[:, 1]
    num = -(w[:, 0] * D[:, 0] * ga[:, 1] + w[:, 1] * D[:, 1] * ga[:, 0])
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        t = np.where(den != 0, num / np.where(den != 0, den, 1.0), 0.0)
    return np.clip(t, 0.0, 1.0)


def nash(P: SeparableTwo, d, w):
    """Generalised Nash point (assumes agreement is possible)."""

    def h(lam, U):
        g1 = U[..., 0] - d[:, None, 0]
        g2 = U[..., 1] - d[:, None, 1]
        return lam * w[:, None, 1] * g1 - (1.0 - lam) * w[:, None, 0] * g2

    xa, ua, xb, ub, _ = P.bracket(h)
    return P.point(xa, xb, _segment_nash(ua, ub, d, w))


def _smooth(v) -> bool:
    """Whether value function ``v`` is twice differentiable inside its range (no kink)."""
    from ._values import Exponential, IdealPoint, Linear, Logarithmic, Power

    if isinstance(v, (Power, Exponential, Logarithmic, Linear)):
        return True
    return isinstance(v, IdealPoint) and v.loss == "quadratic"


def smooth(P: SeparableTwo) -> bool:
    """Whether every value function of ``P`` is smooth (the interior Newton applies)."""
    return type(P) is SeparableTwo and all(
        t is None or _smooth(t[0]) for pair in P.terms for t in pair
    )


_NEWTON_STEPS = 60


def nash_newton(P: SeparableTwo, d, w):
    r"""The Nash point by Newton's method in issue space, where it is interior.

    Maximises :math:`f(x) = \sum_j w_j \log s_j(x)`, :math:`s_j = u_j(x) - d_j`,
    over the open box. With additive utilities the gradient and Hessian are

    .. math:: g_k = \sum_j w_j \frac{W_{jk} v_{jk}'(x_k)}{s_j}, \qquad
              H = \operatorname{diag}\Bigl(\sum_j w_j \frac{W_{jk} v_{jk}''}{s_j}\Bigr)
                  - \sum_j w_j \frac{a_j a_j^\top}{s_j^2},

    :math:`a_{jk} = W_{jk} v_{jk}'(x_k)`: negative semi-definite (concave
    utilities), so :math:`f` is concave where :math:`s > 0` and Newton's
    direction :math:`-H^{-1} g` ascends. Each step is damped to stay strictly
    inside the box (at most 0.99 of the way to a bound) and with :math:`s > 0`,
    then halved until :math:`f` rises (Armijo, 1e-4). It starts at the centre
    of the box.

    Returns ``(x, u, ok)``. ``ok`` marks the problems where the centre is
    individually rational, the Hessian is negative definite at every step and
    the step fell to rounding (4 ulps) or the Newton decrement
    :math:`g^\top \Delta = -g^\top H^{-1} g` below 1e-30, with the point strictly
    inside the box: there the point is the unique maximiser
    (to rounding), found in 5-10 steps. The others (a maximiser on a bound,
    a linear issue both value alike, a centre outside the ZOPA) are left to
    the frontier method (:func:`nash`).
    """
    B, K = P.B, P.K
    lo, hi = P.lo, P.hi
    x = np.broadcast_to(0.5 * (lo + hi), (B, K)).copy()
    done = np.zeros(B, dtype=bool)
    # the centre must be individually rational: the log objective is defined there
    failed = ~np.all(P.utilities(x[:, None, :])[:, 0] - d > 0, axis=-1)
    for _ in range(_NEWTON_STEPS):
        live = np.flatnonzero(~done & ~failed)
        if not live.size:
            break
        sub = P._subset(live) if live.size < B else P
        xl = x[live]
        Ul = sub.utilities(xl[:, None, :])[:, 0]
        sl = Ul - d[live]
        wl = w[live]
        H = np.zeros((live.size, K, K))
        A = np.zeros((live.size, 2, K))
        for k in range(K):
            for j in range(2):
                t = sub.terms[k][j]
                if t is None:
                    continue
                v, W = t
                with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
                    d1, d2 = v._aligned_d12(xl[:, k])
                A[:, j, k] = W * d1
                H[:, k, k] += wl[:, j] * W * d2 / sl[:, j]
        g = np.einsum("bj,bjk->bk", wl / sl, A)
        H -= np.einsum("bj,bjk,bjl->bkl", wl / sl**2, A, A)
        with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
            det_ok = np.all(np.isfinite(H), axis=(1, 2)) & np.all(np.isfinite(g), axis=1)
            Hs = np.where(det_ok[:, None, None], H, -np.eye(K))
            try:
                step = np.linalg.solve(Hs, -g[:, :, None])[:, :, 0]
            except np.linalg.LinAlgError:
                step = np.full_like(g, np.nan)
            dec = np.sum(g * step, axis=1)  # g' Delta = -g' H^-1 g >= 0
        # a direction that does not ascend (H not negative definite): give up there
        bad = ~det_ok | ~np.all(np.isfinite(step), axis=1) | ~(dec >= 0)
        tiny = np.max(np.abs(step), axis=1) <= 4 * np.finfo(float).eps * (
            1.0 + np.max(np.abs(xl), axis=1)
        )
        converged = ~bad & ((dec <= 1e-30) | tiny)
        # near the maximiser the objective changes by less than its rounding: full
        # Newton steps there (quadratic convergence), no Armijo test
        close = ~bad & ~converged & (dec <= 1e-12)
        # damp: strictly inside the box
        with np.errstate(divide="ignore", invalid="ignore"):
            up, down = (hi - xl) / step, (lo - xl) / step
            room = np.where(step > 0, up, np.where(step < 0, down, np.inf))
        tmax = np.minimum(1.0, 0.99 * np.min(room, axis=1))
        f0 = np.sum(wl * np.log(sl), axis=1)
        t = np.where(bad | converged, 0.0, tmax)
        accepted = np.zeros(live.size, dtype=bool)
        for _half in range(40):
            trial = ~accepted & (t > 0)
            if not trial.any():
                break
            xt = xl + t[:, None] * step
            Ut = sub.utilities(xt[:, None, :])[:, 0]
            st = Ut - d[live]
            with np.errstate(invalid="ignore", divide="ignore"):
                ft = np.sum(wl * np.log(np.where(st > 0, st, np.nan)), axis=1)
            good = trial & np.all(st > 0, axis=1) & ((ft >= f0 + 1e-4 * t * dec) | close)
            xl = np.where(good[:, None], xt, xl)
            accepted |= good
            t = np.where(trial & ~good, 0.5 * t, t)
        x[live] = xl
        stalled = ~accepted & ~converged & ~bad
        interior = np.all((xl > lo) & (xl < hi), axis=1)
        done[live[converged & interior]] = True
        failed[live[bad | stalled | (converged & ~interior)]] = True
    return x, P.utilities(x[:, None, :])[:, 0], done & ~failed


def nash_fast(P: SeparableTwo, d, w):
    """Nash points, the max-min points and strict agreement, Newton first, frontier for the rest.

    Returns ``(x, u, xe, ue, strict)`` as the frontier path would: the Nash point,
    the max-min point (the fallback without agreement), and whether some deal is
    strictly better than ``d`` for both. Where :func:`nash_newton` succeeds its
    point is strictly individually rational, so agreement is certain and the
    max-min point is not needed (the Nash point stands in for it).
    """
    x, u, ok = nash_newton(P, d, w)
    xe, ue = x.copy(), u.copy()
    strict = ok.copy()
    rest = np.flatnonzero(~ok)
    if rest.size:
        sub = P._subset(rest) if rest.size < P.B else P
        dr, wr = d[rest], w[rest]
        xr, ur = cross(sub, dr, np.ones_like(dr))
        with np.errstate(invalid="ignore"):
            ge = np.min(ur - dr, axis=-1)
        strict[rest] = np.where(np.isfinite(ge), ge, -np.inf) > 0
        xe[rest], ue[rest] = xr, ur
        xs, us = nash(sub, dr, wr)
        x[rest], u[rest] = xs, us
    return x, u, xe, ue, strict


def utilitarian(P: SeparableTwo, d, w):
    """Maximiser of ``w . u`` over the individually rational arc.

    Where the maximisers form a flat piece, the one with the largest Nash
    product (equal powers) is returned.
    """
    lam_w = w[:, 0] / (w[:, 0] + w[:, 1])
    # both ends of the (possibly flat) piece of maximisers: just left and right of lam_w
    delta = 1e-15 * np.maximum(lam_w, 1.0 - lam_w)
    lam = np.stack([lam_w - delta, lam_w + delta], axis=-1)
    X = P.argmax(lam)
    U = P.utilities(X)
    xa, ua, xb, ub = X[:, 0], U[:, 0], X[:, 1], U[:, 1]
    # restrict the maximising segment to the individually rational part
    D = ub - ua
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        t1 = np.where(D[:, 0] > 0, (d[:, 0] - ua[:, 0]) / np.where(D[:, 0] > 0, D[:, 0], 1), 0)
        t2 = np.where(D[:, 1] < 0, (d[:, 1] - ua[:, 1]) / np.where(D[:, 1] < 0, D[:, 1], 1), 1)
    lo_t, hi_t = np.clip(t1, 0, 1), np.clip(t2, 0, 1)
    t = np.clip(_segment_nash(ua, ub, d, np.ones_like(w)), lo_t, hi_t)
    x, u = P.point(xa, xb, t)
    # the segment misses the IR arc: its nearer end
    left = ub[:, 0] < d[:, 0]
    right = ua[:, 1] < d[:, 1]
    if np.any(left):
        xl, ul = ir_end(P, d, 1)
        x, u = np.where(left[:, None], xl, x), np.where(left[:, None], ul, u)
    if np.any(right):
        xr, ur = ir_end(P, d, 0)
        x, u = np.where(right[:, None], xr, x), np.where(right[:, None], ur, u)
    return x, u


def ideal(P: SeparableTwo, d):
    """Each party's best utility on the individually rational arc, ``(B, 2)``."""
    _, u_right = ir_end(P, d, 0)
    _, u_left = ir_end(P, d, 1)
    return np.stack([u_right[:, 0], u_left[:, 1]], axis=-1)
