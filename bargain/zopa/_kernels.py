r"""Kernels of the issue-space ZOPA: programmes, polygons, sections and quadrature.

Everything here works on one *piece* of a negotiation at a time: one batch
element ``b`` and one combination ``c`` of the discrete issues' options. With
additive utilities the piece is

.. math:: u_i(x) = o_i + \sum_{k \in C} W_{ik}\, v_{ik}(x_k), \qquad x \in
          [lo, hi] \cap \{l \le A x \le u\},

over the continuous issues ``C`` only (``o_i`` collects the discrete issues'
contributions), and the piece of the ZOPA is
:math:`Z = \{x : u_i(x) \ge r_i\ \forall i\}`, a convex set when every
:math:`v_{ik}` is concave.

- :class:`Piece` holds the scalar parameters and builds linear programmes
  (HiGHS, when every value function is linear) or convex programmes (cvxpy
  with Clarabel) for the slack :math:`\max_x \min_i (u_i(x) - r_i)` and the
  extreme values :math:`\min / \max x_k` over ``Z``.
- :func:`clip_polygon` and :func:`polygon_area` give the exact ZOPA polygon
  of two continuous issues with linear utilities.
- :meth:`Piece.section_length` and :func:`gauss_legendre_area` give the area of
  a convex two-issue ZOPA with nonlinear concave utilities by quadrature of
  its section lengths.
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy.optimize import linprog

from ..issues._values import Linear

__all__: list[str] = []

_LP_OPTIONS = {"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10}
_CVX_SETTINGS = dict(tol_gap_abs=1e-10, tol_gap_rel=1e-10, tol_feas=1e-10, max_iter=400)
_BISECT = 80  # halvings of an interval: far below float resolution


class Piece:
    """One batch element and one discrete combination of a negotiation.

    Parameters
    ----------
    lo, hi : ndarray, shape (K,)
        Bounds of the continuous issues.
    terms : list over parties of list of (column, ValueFunction, float)
        Scalar-parameter value functions and weights of the continuous issues.
    offset : ndarray, shape (n,)
        Utility from everything else (the discrete issues' options).
    A, lb, ub : ndarray
        Agenda constraints over the continuous columns: ``lb <= A x <= ub``.
    """

    def __init__(self, lo, hi, terms, offset, A, lb, ub):
        self.lo, self.hi = np.asarray(lo, float), np.asarray(hi, float)
        self.K = self.lo.size
        self.n = len(terms)
        self.terms = [[(k, v, W) for k, v, W in party if W != 0] for party in terms]
        self.offset = np.asarray(offset, float)
        self.A, self.lb, self.ub = A, lb, ub
        self.linear = all(isinstance(v, Linear) for party in self.terms for _, v, _ in party)
        self._cvx = None

    # -- evaluation ---------------------------------------------------------

    def utilities(self, x) -> np.ndarray:
        """Utilities ``(..., n)`` of continuous values ``x`` of shape ``(..., K)``."""
        x = np.asarray(x, float)
        out = np.empty(x.shape[:-1] + (self.n,))
        for i, party in enumerate(self.terms):
            total = np.full(x.shape[:-1], self.offset[i])
            for k, v, W in party:
                total = total + W * v(x[..., k])
            out[..., i] = total
        return out

    def affine(self):
        """``(a, c)`` with ``u(x) = a @ x + c`` (linear value functions only)."""
        a = np.zeros((self.n, self.K))
        c = self.offset.copy()
        for i, party in enumerate(self.terms):
            for k, v, W in party:
                p = v.params
                a[i, k] += W * float(p["slope"])
                c[i] += W * float(p["intercept"])
        return a, c

    # -- linear programmes ---------------------------------------------------

    def _constraints_ub(self):
        """Agenda constraints as ``G x <= h``."""
        rows, rhs = [], []
        for r in range(self.A.shape[0]):
            if np.isfinite(self.ub[r]):
                rows.append(self.A[r])
                rhs.append(self.ub[r])
            if np.isfinite(self.lb[r]):
                rows.append(-self.A[r])
                rhs.append(-self.lb[r])
        G = np.array(rows).reshape(-1, self.K)
        return G, np.array(rhs, dtype=float)

    def _lp(self, c, G, h, bounds):
        res = linprog(c, A_ub=G, b_ub=h, bounds=bounds, method="highs", options=_LP_OPTIONS)
        if res.status == 2:  # infeasible
            return None
        if res.status != 0:
            raise RuntimeError(f"linear programme failed: {res.message}")
        return res.x

    def slack(self, r):
        """``(x*, s*)``: the most robust values and the slack (evaluated at ``x*``)."""
        if self.K == 0:
            return np.zeros(0), float(np.min(self.offset - r))
        if self.linear:
            a, c = self.affine()
            G0, h0 = self._constraints_ub()
            # variables (x, t): maximise t s.t. t - a_i x <= c_i - r_i
            G = np.vstack(
                [np.hstack([-a, np.ones((self.n, 1))]), np.hstack([G0, np.zeros((G0.shape[0], 1))])]
            )
            h = np.concatenate([c - r, h0])
            obj = np.zeros(self.K + 1)
            obj[-1] = -1.0
            bounds = [(lo, hi) for lo, hi in zip(self.lo, self.hi, strict=True)] + [(None, None)]
            z = self._lp(obj, G, h, bounds)
            if z is None:
                raise ValueError("no outcome of the agenda satisfies its constraints")
            x = np.clip(z[:-1], self.lo, self.hi)
        else:
            x = self._cvx_slack(r)
        return x, float(np.min(self.utilities(x) - r))

    def extremes(self, r, level=0.0):
        """``(K, 2)``: min and max of each continuous value over ``u_i >= r_i + level``.

        Rows are NaN when that set is empty (to solver accuracy).
        """
        out = np.full((self.K, 2), np.nan)
        if self.K == 0:
            return out
        if self.linear:
            a, c = self.affine()
            G0, h0 = self._constraints_ub()
            G = np.vstack([-a, G0])
            h = np.concatenate([c - r - level, h0])
            bounds = list(zip(self.lo, self.hi, strict=True))
            for k in range(self.K):
                for j, sign in enumerate((1.0, -1.0)):
                    e = np.zeros(self.K)
                    e[k] = sign
                    z = self._lp(e, G, h, bounds)
                    if z is None:
                        return np.full((self.K, 2), np.nan)
                    out[k, j] = np.clip(z[k], self.lo[k], self.hi[k])
            return out
        return self._cvx_extremes(r, level)

    def best(self, i, r):
        """Values maximising ``u_i`` subject to ``u_j >= r_j`` for every other party (or None)."""
        others = [j for j in range(self.n) if j != i]
        if self.linear:
            a, c = self.affine()
            G0, h0 = self._constraints_ub()
            G = np.vstack([-a[others], G0])
            h = np.concatenate([c[others] - r[others], h0])
            z = self._lp(-a[i], G, h, list(zip(self.lo, self.hi, strict=True)))
            return None if z is None else np.clip(z, self.lo, self.hi)
        cp, x, u, base = self._cvx or self._cvx_build()
        cons = base + [u[j] >= float(r[j]) for j in others]
        status = self._cvx_solve(cp.Problem(cp.Maximize(u[i]), cons))
        if status not in ("optimal", "optimal_inaccurate"):
            return None
        return np.clip(np.asarray(x.value, float), self.lo, self.hi)

    # -- convex programmes -----------------------------------------------------

    def _cvx_build(self):
        import cvxpy as cp

        x = cp.Variable(self.K)
        u = []
        for i, party in enumerate(self.terms):
            e = float(self.offset[i])
            for k, v, W in party:
                e = e + float(W) * v.expr(x[k])
            u.append(e)
        base = [x >= self.lo, x <= self.hi]
        s = self.A @ x if self.A.shape[0] else None
        for row in range(self.A.shape[0]):
            if np.isfinite(self.lb[row]):
                base.append(s[row] >= self.lb[row])
            if np.isfinite(self.ub[row]):
                base.append(s[row] <= self.ub[row])
        self._cvx = (cp, x, u, base)
        return self._cvx

    def _cvx_solve(self, prob):
        cp = self._cvx[0]
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                prob.solve(solver=cp.CLARABEL, **_CVX_SETTINGS)
        except cp.error.SolverError as exc:
            raise RuntimeError(f"convex programme failed: {exc}") from None
        return prob.status

    def _cvx_slack(self, r):
        cp, x, u, base = self._cvx or self._cvx_build()
        t = cp.Variable()
        cons = base + [u[i] - float(r[i]) >= t for i in range(self.n)]
        status = self._cvx_solve(cp.Problem(cp.Maximize(t), cons))
        if status not in ("optimal", "optimal_inaccurate"):
            raise ValueError("no outcome of the agenda satisfies its constraints")
        return np.clip(np.asarray(x.value, float), self.lo, self.hi)

    def _cvx_extremes(self, r, level):
        cp, x, u, base = self._cvx or self._cvx_build()
        direction = cp.Parameter(self.K)
        cons = base + [u[i] >= float(r[i] + level) for i in range(self.n)]
        prob = cp.Problem(cp.Maximize(direction @ x), cons)
        out = np.full((self.K, 2), np.nan)
        for k in range(self.K):
            for j, sign in enumerate((-1.0, 1.0)):
                e = np.zeros(self.K)
                e[k] = sign
                direction.value = e
                status = self._cvx_solve(prob)
                if status not in ("optimal", "optimal_inaccurate"):
                    return np.full((self.K, 2), np.nan)
                out[k, j] = np.clip(float(x.value[k]), self.lo[k], self.hi[k])
        # interior-point answers sit ~1e-12 inside an active bound: put them on it
        tol = 1e-9 * (self.hi - self.lo)[:, None]
        out = np.where(np.abs(out - self.lo[:, None]) <= tol, self.lo[:, None], out)
        return np.where(np.abs(out - self.hi[:, None]) <= tol, self.hi[:, None], out)

    # -- sections of a two-issue piece -----------------------------------------

    def _issue_value(self, i, k, x):
        total = np.zeros(np.shape(x))
        for kk, v, W in self.terms[i]:
            if kk == k:
                total = total + W * v(x)
        return total

    def section(self, r, x1):
        """Interval ``[l, h]`` of the second issue with ``u(x1, .) >= r`` (two issues).

        ``l > h`` where the section is empty. Each party's set is a superlevel
        set of a concave function of the second issue: an interval found by
        bisection on either side of the function's maximiser.
        """
        x1 = np.asarray(x1, float)
        lo2, hi2 = self.lo[1], self.hi[1]
        left = np.full(x1.shape, lo2)
        right = np.full(x1.shape, hi2)
        for i in range(self.n):
            need = r[i] - self.offset[i] - self._issue_value(i, 0, x1)

            def g(y, i=i):
                return self._issue_value(i, 1, y)

            peak = _concave_argmax(g, lo2, hi2)
            gmax = g(peak)
            ok = gmax >= need
            # left end: smallest y in [lo2, peak] with g(y) >= need
            a, b = np.full(x1.shape, lo2), np.full(x1.shape, peak)
            for _ in range(_BISECT):
                m = 0.5 * (a + b)
                good = g(m) >= need
                b = np.where(good, m, b)
                a = np.where(good, a, m)
            l_i = np.where(g(np.full(x1.shape, lo2)) >= need, lo2, b)
            a, b = np.full(x1.shape, peak), np.full(x1.shape, hi2)
            for _ in range(_BISECT):
                m = 0.5 * (a + b)
                good = g(m) >= need
                a = np.where(good, m, a)
                b = np.where(good, b, m)
            h_i = np.where(g(np.full(x1.shape, hi2)) >= need, hi2, a)
            left = np.where(ok, np.maximum(left, l_i), np.inf)
            right = np.where(ok, np.minimum(right, h_i), -np.inf)
        return left, right


def _concave_argmax(g, lo, hi):
    """Maximiser of a concave scalar function on ``[lo, hi]`` (golden-section search)."""
    phi = (np.sqrt(5.0) - 1.0) / 2.0
    a, b = lo, hi
    c, d = b - phi * (b - a), a + phi * (b - a)
    gc, gd = float(g(np.array(c))), float(g(np.array(d)))
    for _ in range(120):
        if gc >= gd:
            b, d, gd = d, c, gc
            c = b - phi * (b - a)
            gc = float(g(np.array(c)))
        else:
            a, c, gc = c, d, gd
            d = a + phi * (b - a)
            gd = float(g(np.array(d)))
    cands = np.array([lo, 0.5 * (a + b), hi])
    vals = np.array([float(g(np.array(t))) for t in cands])
    return float(cands[np.argmax(vals)])


def gauss_legendre_area(length, a: float, b: float, panels: int = 512, order: int = 8) -> float:
    """Integral of ``length(x)`` over ``[a, b]`` by composite Gauss–Legendre quadrature."""
    if not b > a:
        return 0.0
    nodes, weights = np.polynomial.legendre.leggauss(order)
    edges = np.linspace(a, b, panels + 1)
    half = 0.5 * np.diff(edges)
    mid = 0.5 * (edges[:-1] + edges[1:])
    x = (mid[:, None] + half[:, None] * nodes).ravel()
    w = (half[:, None] * weights).ravel()
    return float(np.sum(w * np.maximum(length(x), 0.0)))


# -- convex polygons (two continuous issues, linear utilities) -----------------------


def clip_polygon(poly: np.ndarray, a: np.ndarray, beta: float) -> np.ndarray:
    """Clip a convex polygon (V, 2), counter-clockwise, to the half-plane ``a @ x >= beta``."""
    if poly.shape[0] == 0:
        return poly
    scale = 1e-12 * (1.0 + abs(beta) + np.abs(a).sum() * (1.0 + np.abs(poly).max()))
    s = poly @ a - beta
    out = []
    V = poly.shape[0]
    for j in range(V):
        p, q = poly[j], poly[(j + 1) % V]
        sp, sq = s[j], s[(j + 1) % V]
        if sp >= -scale:
            out.append(p)
        if (sp > scale and sq < -scale) or (sp < -scale and sq > scale):
            t = sp / (sp - sq)
            out.append(p + t * (q - p))
    if not out:
        return np.zeros((0, 2))
    P = np.array(out)
    # drop repeated vertices
    keep = np.ones(P.shape[0], dtype=bool)
    for j in range(1, P.shape[0]):
        if np.allclose(P[j], P[j - 1], rtol=0, atol=1e-13 * (1 + np.abs(P).max())):
            keep[j] = False
    P = P[keep]
    if P.shape[0] > 1 and np.allclose(P[0], P[-1], rtol=0, atol=1e-13 * (1 + np.abs(P).max())):
        P = P[:-1]
    return P


def polygon_area(poly: np.ndarray) -> float:
    """Area of a simple polygon (V, 2) by the shoelace formula (0 for fewer than 3 vertices)."""
    if poly.shape[0] < 3:
        return 0.0
    x, y = poly[:, 0], poly[:, 1]
    return 0.5 * abs(float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))))


def box_polygon(lo, hi) -> np.ndarray:
    """The rectangle ``[lo_0, hi_0] x [lo_1, hi_1]`` counter-clockwise."""
    return np.array([[lo[0], lo[1]], [hi[0], lo[1]], [hi[0], hi[1]], [lo[0], hi[1]]], float)


def feasible_polygon(piece: Piece) -> np.ndarray:
    """The box of two continuous issues clipped by the agenda constraints."""
    poly = box_polygon(piece.lo, piece.hi)
    for row in range(piece.A.shape[0]):
        if np.isfinite(piece.lb[row]):
            poly = clip_polygon(poly, piece.A[row], piece.lb[row])
        if np.isfinite(piece.ub[row]):
            poly = clip_polygon(poly, -piece.A[row], -piece.ub[row])
    return poly


def zopa_polygon(piece: Piece, r) -> np.ndarray:
    """The exact ZOPA polygon (V, 2) of a linear two-issue piece (empty: shape (0, 2))."""
    a, c = piece.affine()
    poly = feasible_polygon(piece)
    for i in range(piece.n):
        if np.all(a[i] == 0):
            if c[i] < r[i]:
                return np.zeros((0, 2))
            continue
        poly = clip_polygon(poly, a[i], r[i] - c[i])
    return poly
