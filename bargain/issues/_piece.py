r"""The one engine of a continuous sub-problem: linear and convex programmes, certified.

A :class:`Piece` is one batch element and one combination of the discrete
options of a negotiation, over its continuous issues. The solution concepts
use it where the two-party root-finding kernel does not apply (three or more
parties, or linear constraints across issues); the ZOPA uses it for every
continuous agenda (its slack and the extreme values of each issue: linear
programmes with HiGHS for linear value functions, convex programmes
otherwise). With concave value functions each party's utility is a concave
expression of the issue values ``x``, so

- Nash: :math:`\max \sum_i w_i \log(u_i(x) - d_i)` (exponential cone),
- egalitarian / Kalai–Smorodinsky: :math:`\max t` s.t.
  :math:`u_i(x) - d_i \ge t\,r_i`, then the Pareto refinement
  :math:`\max \sum_i (u_i - d_i)/r_i` at that level,
- utilitarian: :math:`\max \sum_i w_i u_i(x)` s.t. :math:`u(x) \ge d` (and the
  ideal point of Kalai–Smorodinsky: each :math:`\max u_i` s.t. :math:`u \ge d`),

are convex programmes. Each is solved in two steps:

1. **Interior point** (Clarabel through cvxpy, tight tolerances): a point
   accurate to about 1e-8, close enough to read off the *active set* — issues
   at a bound or at a kink of a value function, linear constraints at a
   bound, parties whose floor ``u_i >= a_i + b_i t`` binds.
2. **Newton on the active set**: on the affine set the active issues and
   constraints define (``x = x_0 + Z y``, ``Z`` a null-space basis), the KKT
   system of the smooth problem — reduced stationarity
   :math:`Z^\top \nabla_x L = 0` and the binding floors ``h_J = 0`` — is solved
   by Newton's method with the value functions' second derivatives, to float
   resolution.

The polished point is kept only with a **KKT certificate**: stationarity
(one-sided derivatives at bounds and kinks, the superdifferential interval at
a kink), the signs of the multipliers and complementary slackness to
``CERT_TOL = 1e-10`` relative; primal feasibility, and equality of the active
constraints whose multipliers matter, to ``FEAS_TOL = 1e-13`` (Newton meets
them to rounding; a larger gap means an inconsistent active set). The
multipliers come from a least-squares fit on the smooth free issues, or, when
that is ambiguous (degenerate active sets), from a small LP (HiGHS) that
minimises the largest violation; either way the residuals are recomputed
here. Active sets are tried at several thresholds and at the gaps between the
slacks, corrected by adding violated and moving or dropping wrong-signed
constraints, then as subsets of the widest set; if none gives a certificate the
problem is reported (``status -2``), never returned silently.

For the max-min concepts the first stage (the level ``t*``) is certified, and
the second (the Pareto refinement at ``t*``) is skipped when the first stage's
solution is provably unique (strong second-order conditions), since its
feasible set has no interior and need not admit multipliers; otherwise both
stages are certified at the returned point.
"""

from __future__ import annotations

import itertools
import warnings

import numpy as np

from ._values import IdealPoint, Linear, PiecewiseLinear

__all__: list[str] = []

_LP_OPTIONS = {"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10}
_CVX_SETTINGS = dict(tol_gap_abs=1e-10, tol_gap_rel=1e-10, tol_feas=1e-10, max_iter=400)  # ZOPA
_SETTINGS = dict(
    tol_gap_abs=1e-11,
    tol_gap_rel=1e-11,
    tol_feas=1e-11,
    tol_ktratio=1e-8,
    max_iter=400,
)

CERT_TOL = 1e-10  # largest relative stationarity / dual-sign residual a certificate accepts
FEAS_TOL = 1e-13  # feasibility, and equality of the active constraints (Newton: to rounding)
_PARTS = ("stationarity", "primal", "dual", "complementarity", "active")
_ACTIVE = (1e-6, 1e-9, 1e-4)  # thresholds (relative) for reading off the active set
_ROUNDS = 6  # active-set corrections per threshold
_NEWTON = 40  # Newton iterations per active set
_SUBSETS = 64  # subsets of the widest active set tried, last
_EPS = np.finfo(float).eps


def _kinks(v, lo, hi):
    """Points strictly inside ``(lo, hi)`` where ``v`` has a kink (one-sided derivatives differ)."""
    if isinstance(v, PiecewiseLinear):
        k = np.asarray(v.params["knots"], float)[1:-1]
    elif isinstance(v, IdealPoint) and v.loss == "linear":
        k = np.atleast_1d(np.asarray(v.params["position"], float))
    else:
        return np.zeros(0)
    return k[(k > lo) & (k < hi)]


def _worst(info):
    """The certificate's residual: the largest of its parts, each relative to its tolerance.

    Stationarity and the multipliers' signs are held to ``CERT_TOL``; primal
    feasibility and the active constraints, which the polished point meets to
    rounding, to ``FEAS_TOL`` (scaled here to ``CERT_TOL``).
    """
    f = CERT_TOL / FEAS_TOL
    return max(
        info["stationarity"],
        info["dual"],
        info["complementarity"],
        f * info["primal"],
        f * info["active"],
    )


def _masked(coef, D):
    """``coef[:, None] * D`` with zero where ``coef`` is zero (``D`` may hold infinities)."""
    with np.errstate(invalid="ignore"):
        return np.where(coef[:, None] != 0, coef[:, None] * D, 0.0)


class _Smooth:
    r"""A smooth problem: maximise ``obj`` s.t. ``h_i = u_i(x) - a_i - b_i t >= 0`` (``i in cons``).

    ``obj`` is :math:`\sum_i w_i \log(u_i - d_i)` (``log=True``) or
    :math:`c \cdot u + c_t t`; ``t`` is a free scalar variable when ``has_t``.
    """

    def __init__(
        self,
        n,
        *,
        log=False,
        w=None,
        d=None,
        c=None,
        ct=0.0,
        has_t=False,
        a=None,
        b=None,
        cons=False,
    ):
        self.log, self.has_t, self.ct = log, has_t, float(ct)
        self.w = None if w is None else np.asarray(w, float)
        self.d = None if d is None else np.asarray(d, float)
        self.c = np.zeros(n) if c is None else np.asarray(c, float)
        self.a = np.zeros(n) if a is None else np.asarray(a, float)
        self.b = np.zeros(n) if b is None else np.asarray(b, float)
        self.cons = np.full(n, bool(cons))

    def alpha(self, u):
        """Objective weights on the utilities, ``d obj / d u`` (``None`` outside the domain)."""
        if not self.log:
            return self.c
        g = u - self.d
        if not np.all(g > 0):
            return None
        return self.w / g


class Piece:
    r"""One continuous sub-problem: a batch element and a combination of the discrete options.

    With additive utilities the sub-problem is

    .. math:: u_i(x) = o_i + \sum_k W_{ik}\, v_{ik}(x_k), \qquad x \in [lo, hi]
              \cap \{lb \le A x \le ub\},

    over the continuous issues only (``o_i`` collects the discrete issues'
    contributions). Every engine that needs it works on this one object: the
    solution concepts (:meth:`nash`, :meth:`maxmin`, :meth:`ideal`,
    :meth:`utilitarian`: interior point, then Newton on the active set and a
    KKT certificate) and the ZOPA (:meth:`slack`, :meth:`extremes`,
    :meth:`best`: linear programmes with HiGHS when every value function is
    linear, convex programmes otherwise). The cvxpy problem is built the
    first time one is needed.

    Parameters
    ----------
    lo, hi : ndarray (K,)
        Bounds of the continuous issues.
    terms : list over parties of list of (column, ValueFunction, float)
        Scalar-parameter value functions and weights of the continuous issues.
    offset : ndarray (n,)
        Constant utilities (fixed discrete issues).
    A, lb, ub : ndarray, optional
        Agenda constraints over the continuous columns: ``lb <= A x <= ub``.

    Attributes
    ----------
    linear : bool
        Whether every value function is linear (the ZOPA's programmes are LPs).
    ok : bool
        False once a solve failed or a solution could not be certified.
    residual : float
        The largest relative KKT residual of the certified solutions so far.
    """

    def __init__(self, lo, hi, terms, offset, A=None, lb=None, ub=None):
        self.lo, self.hi = np.asarray(lo, float), np.asarray(hi, float)
        self.K = self.lo.size
        self.n = len(terms)
        self.terms = [[(k, v, float(W)) for k, v, W in party if W != 0] for party in terms]
        self.offset = np.asarray(offset, float)
        if A is None or not np.shape(A)[0]:
            A, lb, ub = np.zeros((0, self.K)), np.zeros(0), np.zeros(0)
        self.A = np.asarray(A, float)
        self.lb, self.ub = np.asarray(lb, float), np.asarray(ub, float)
        self.linear = all(isinstance(v, Linear) for party in self.terms for _, v, _ in party)
        self.kinks = [np.zeros(0) for _ in range(self.K)]
        for party_terms in self.terms:
            for k, v, _ in party_terms:
                self.kinks[k] = np.union1d(self.kinks[k], _kinks(v, self.lo[k], self.hi[k]))
        self.ok = True
        self.residual = 0.0
        self._cvx = None

    # -- the cvxpy problem, built once on first use ---------------------------------

    def _build(self):
        import cvxpy as cp

        x = cp.Variable(self.K)
        u = []
        for i, party_terms in enumerate(self.terms):
            e = float(self.offset[i])
            for k, v, W in party_terms:
                e = e + W * v.expr(x[k])
            u.append(e)
        base = [x >= self.lo, x <= self.hi]
        if self.A.shape[0]:
            s = self.A @ x
            for r in range(self.A.shape[0]):
                if np.isfinite(self.lb[r]):
                    base.append(s[r] >= self.lb[r])
                if np.isfinite(self.ub[r]):
                    base.append(s[r] <= self.ub[r])
        self._cvx = (cp, x, u, base)
        return self._cvx

    @property
    def cp(self):
        """The cvxpy module."""
        return (self._cvx or self._build())[0]

    @property
    def x(self):
        """The cvxpy variable of the continuous issues."""
        return (self._cvx or self._build())[1]

    @property
    def u(self):
        """The parties' utilities as cvxpy expressions of :attr:`x`."""
        return (self._cvx or self._build())[2]

    @property
    def base(self):
        """The bounds and agenda constraints as cvxpy constraints."""
        return (self._cvx or self._build())[3]

    # -- evaluation -------------------------------------------------------------

    def utilities(self, x):
        """Exact utilities ``(..., n)`` of continuous values ``x`` of shape ``(..., K)``."""
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

    def _local(self, x, second=False):
        """Utilities ``(n,)``, right and left derivatives ``(n, K)`` and second derivatives."""
        u = self.offset.copy()
        D, DL, H = (np.zeros((self.n, self.K)) for _ in range(3))
        for i, party_terms in enumerate(self.terms):
            for k, v, W in party_terms:
                xk = x[k]
                u[i] += W * float(v(xk))
                D[i, k] += W * float(v.derivative(xk))
                DL[i, k] += W * float(v.derivative(np.nextafter(xk, -np.inf)))
                if second:
                    H[i, k] += W * float(v.second_derivative(xk))
        return u, D, DL, H

    # -- the ZOPA: linear programmes -------------------------------------------

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
        from scipy.optimize import linprog

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
        cp, x, u, base = self._cvx or self._build()
        cons = base + [u[j] >= float(r[j]) for j in others]
        status = self._cvx_solve(cp.Problem(cp.Maximize(u[i]), cons))
        if status not in ("optimal", "optimal_inaccurate"):
            return None
        return np.clip(np.asarray(x.value, float), self.lo, self.hi)

    # -- convex programmes of the ZOPA -----------------------------------------------------

    def _cvx_solve(self, prob):
        cp = self.cp
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                prob.solve(solver=cp.CLARABEL, **_CVX_SETTINGS)
        except cp.error.SolverError as exc:
            raise RuntimeError(f"convex programme failed: {exc}") from None
        return prob.status

    def _cvx_slack(self, r):
        cp, x, u, base = self._cvx or self._build()
        t = cp.Variable()
        cons = base + [u[i] - float(r[i]) >= t for i in range(self.n)]
        status = self._cvx_solve(cp.Problem(cp.Maximize(t), cons))
        if status not in ("optimal", "optimal_inaccurate"):
            raise ValueError("no outcome of the agenda satisfies its constraints")
        return np.clip(np.asarray(x.value, float), self.lo, self.hi)

    def _cvx_extremes(self, r, level):
        cp, x, u, base = self._cvx or self._build()
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

    # -- interior point -------------------------------------------------------------

    def _solve(self, objective, constraints, required=True):
        cp = self.cp
        prob = cp.Problem(cp.Maximize(objective), self.base + constraints)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)  # cvxpy's accuracy notes
                prob.solve(solver=cp.CLARABEL, **_SETTINGS)
        except cp.error.SolverError:
            self.ok = False
            return None
        if prob.status not in ("optimal", "optimal_inaccurate"):
            if prob.status != "infeasible" and required:
                self.ok = False
            return None
        if prob.status == "optimal_inaccurate" and required:
            self.ok = False
        return np.clip(np.asarray(self.x.value, float), self.lo, self.hi)

    # -- active sets -----------------------------------------------------------------

    def _split(self, sp, z):
        return z[: self.K], (float(z[self.K]) if sp.has_t else 0.0)

    def _floors(self, sp, u, t):
        h = u - sp.a - sp.b * t
        scale = 1.0 + np.abs(u) + np.abs(sp.a) + np.abs(sp.b * t)
        return h, scale

    def _rows(self, x):
        s = self.A @ x
        scale = 1.0 + np.abs(self.A) @ np.abs(x)
        return s, scale

    def _detect(self, sp, z, delta):
        """Active set at ``z``: ``(fixed {k: value}, rows {r: side}, J frozenset)``."""
        x, t = self._split(sp, z)
        span = self.hi - self.lo
        fixed = {}
        for k in range(self.K):
            tol = delta * max(span[k], 1.0)
            if span[k] == 0 or x[k] - self.lo[k] <= tol:
                fixed[k] = self.lo[k]
            elif self.hi[k] - x[k] <= tol:
                fixed[k] = self.hi[k]
            elif self.kinks[k].size:
                j = int(np.argmin(np.abs(self.kinks[k] - x[k])))
                if abs(self.kinks[k][j] - x[k]) <= tol:
                    fixed[k] = float(self.kinks[k][j])
        rows = {}
        if self.A.shape[0]:
            s, scale = self._rows(x)
            for r in range(self.A.shape[0]):
                if self.lb[r] == self.ub[r]:
                    rows[r] = 0
                elif self.ub[r] - s[r] <= delta * scale[r]:
                    rows[r] = 1
                elif s[r] - self.lb[r] <= delta * scale[r]:
                    rows[r] = -1
        J = frozenset()
        if sp.cons.any():
            u, D, DL, _ = self._local(x)
            h, scale = self._floors(sp, u, t)
            # a floor with an infinite slope (sqrt at 0) binds only where a bound already
            # holds it; it cannot carry a finite multiplier
            finite = np.all(np.isfinite(D) & np.isfinite(DL), axis=1)
            J = frozenset(int(i) for i in np.flatnonzero(sp.cons & finite & (h <= delta * scale)))
        return fixed, rows, J

    def _gaps(self, sp, z, most=4):
        """Activity thresholds at the largest gaps between the relative slacks at ``z``."""
        x, t = self._split(sp, z)
        span = np.maximum(self.hi - self.lo, 1.0)
        sl = [np.minimum(x - self.lo, self.hi - x) / span]
        sl += [np.abs(self.kinks[k] - x[k]) / span[k] for k in range(self.K)]
        if self.A.shape[0]:
            srow, scale = self._rows(x)
            sl.append(np.minimum(self.ub - srow, srow - self.lb) / scale)
        if sp.cons.any():
            h, scale = self._floors(sp, self.utilities(x), t)
            sl.append((h / scale)[sp.cons])
        v = np.sort(np.abs(np.concatenate(sl)))
        v = v[np.isfinite(v) & (v < 1e-2)]
        v = np.maximum(v, 1e-16)
        ratio = v[1:] / v[:-1]
        order = np.argsort(-ratio)[:most]
        return [float(np.sqrt(v[i] * v[i + 1])) for i in order if ratio[i] > 10]

    def _affine(self, sp, z, fixed, rows):
        """Project ``z`` onto the active affine set; return the point and a null-space basis."""
        nz = self.K + sp.has_t
        C, e = [], []
        for k, val in fixed.items():
            row = np.zeros(nz)
            row[k] = 1.0
            C.append(row)
            e.append(val)
        for r, side in rows.items():
            C.append(np.concatenate([self.A[r], np.zeros(nz - self.K)]))
            e.append(self.ub[r] if side >= 0 else self.lb[r])
        z = z.copy()
        if not C:
            return z, np.eye(nz)
        C, e = np.array(C), np.array(e)
        z = z + np.linalg.lstsq(C, e - C @ z, rcond=None)[0]
        _, s, Vt = np.linalg.svd(C)
        rank = int(np.sum(s > 1e-12 * s[0]))
        return z, Vt[rank:].T

    # -- Newton on the active set ---------------------------------------------------

    def _system(self, sp, z, nu, Z, J):
        """Residual and Jacobian of the reduced KKT system at ``(z, nu)`` (None off the domain)."""
        x, t = self._split(sp, z)
        u, D, _, H = self._local(x, second=True)
        alpha = sp.alpha(u)
        if alpha is None:
            return None, None
        mu = alpha.copy()
        mu[J] += nu
        grad = _masked(mu, D).sum(axis=0)
        Hx = np.diag(_masked(mu, H).sum(axis=0))
        if sp.log:
            Dm = _masked(np.sqrt(sp.w) / (u - sp.d), D)
            Hx = Hx - Dm.T @ Dm
        if sp.has_t:
            grad = np.append(grad, sp.ct - sp.b[J] @ nu)
            Hx = np.pad(Hx, ((0, 1), (0, 1)))
        G = D[J]  # gradients of the binding floors
        if sp.has_t:
            G = np.hstack([G, -sp.b[J][:, None]])
        h, _ = self._floors(sp, u, t)
        m = Z.shape[1]
        Jac = np.zeros((m + len(J), m + len(J)))
        with np.errstate(invalid="ignore", over="ignore"):
            F = np.concatenate([Z.T @ grad, h[J]])
            Jac[:m, :m] = Z.T @ Hx @ Z
            Jac[:m, m:] = Z.T @ G.T
            Jac[m:, :m] = G @ Z
            scale = max(
                float(np.max(np.abs(Hx), initial=0.0)), float(np.max(np.abs(G), initial=0.0))
            )
        if not (np.all(np.isfinite(F)) and np.all(np.isfinite(Jac)) and np.isfinite(scale)):
            return None, None
        self._jscale = scale
        return F, Jac

    def _newton(self, sp, z0, act):
        """Solve the KKT system restricted to ``act``, starting from ``z0``."""
        fixed, rows, J = act
        J = sorted(J)
        base, Z = self._affine(sp, z0, fixed, rows)
        fk = np.array(list(fixed), dtype=int)
        fv = np.array(list(fixed.values()), dtype=float)

        def point(y):
            z = base + Z @ y
            z[fk] = fv
            return z

        def to_boundary(z, dz):
            """Largest step fraction in (0, 1] that keeps the issues within their bounds."""
            with np.errstate(divide="ignore", invalid="ignore"):
                room = np.where(dz > 0, (self.hi - z) / dz, np.where(dz < 0, (self.lo - z) / dz, 1))
            return float(np.clip(np.min(room, initial=1.0), 0.0, 1.0))

        m = Z.shape[1]
        y, nu = np.zeros(m), np.zeros(len(J))
        z = point(y)
        if J:  # multipliers of the floors from the reduced stationarity at the start
            F, Jac = self._system(sp, z, nu, Z, J)
            if F is None:
                return None
            nu = np.linalg.lstsq(Jac[:m, m:], -F[:m], rcond=None)[0]
        best, best_norm = None, np.inf
        for _ in range(_NEWTON):
            F, Jac = self._system(sp, z, nu, Z, J)
            if F is None:
                break
            norm = float(np.max(np.abs(F))) if F.size else 0.0
            if norm < best_norm:
                best, best_norm = z, norm
            if norm == 0.0:
                break
            # pseudo-inverse with a cutoff relative to the unreduced blocks: on a flat face the
            # reduced Hessian is rounding noise, which must not be inverted
            U, sv, Vt = np.linalg.svd(Jac)
            keep = sv > 1e-12 * max(self._jscale, float(sv[0]) if sv.size else 0.0)
            step = -Vt[keep].T @ ((U[:, keep].T @ F) / sv[keep])
            tau = to_boundary(z[: self.K], (Z @ step[:m])[: self.K])
            if tau == 0.0:
                break
            for _ in range(40):  # damp only to stay in the domain of the log
                zn = point(y + tau * step[:m])
                zn[: self.K] = np.clip(zn[: self.K], self.lo, self.hi)  # rounding at a bound
                if not sp.log or np.all(self.utilities(zn[: self.K]) > sp.d):
                    break
                tau /= 2
            else:
                break
            y, nu = y + tau * step[:m], nu + tau * step[m:]
            z = zn
            if np.max(np.abs(tau * step), initial=0.0) <= 4 * _EPS * (
                1.0 + np.max(np.abs(np.concatenate([z, nu])), initial=0.0)
            ):
                F, _ = self._system(sp, z, nu, Z, J)
                if F is not None and (np.max(np.abs(F), initial=0.0) < best_norm):
                    best = z
                break
        return best

    # -- the certificate ---------------------------------------------------------------

    def _kkt(self, sp, z, act):
        r"""Largest relative KKT residual at ``z`` with multipliers on ``act`` only, and details.

        Stationarity of ``L = obj + sum nu_j h_j - lam . (A x)`` is checked
        issue by issue with one-sided derivatives: at a lower bound the right
        derivative must not point inwards, at an upper bound the left one, and
        between the bounds :math:`(A^\top\lambda)_k` must lie between the right
        and the left derivative (equal to both where the utilities are smooth).
        """
        _, rows, J = act
        J = sorted(J)
        R = sorted(rows)
        x, t = self._split(sp, z)
        u, D, DL, H = self._local(x, second=True)
        alpha = sp.alpha(u)
        info = dict.fromkeys(_PARTS, np.inf)
        if alpha is None:
            return np.inf, info, None
        # primal feasibility
        h, hscale = self._floors(sp, u, t)
        primal = float(np.max(np.where(sp.cons, np.maximum(-h, 0.0) / hscale, 0.0), initial=0.0))
        s, rscale = self._rows(x)
        if self.A.shape[0]:
            over = np.maximum(np.maximum(self.lb - s, s - self.ub), 0.0) / rscale
            primal = max(primal, float(np.max(over)))
        at_lo, at_hi = x <= self.lo, x >= self.hi
        at_kink = np.array([np.any(self.kinks[k] == x[k]) for k in range(self.K)])
        # linear pieces of the stationarity conditions: E(v) = e0 + M v, v = (lam_R, nu_J)
        AR = self.A[R] if R else np.zeros((0, self.K))
        e0r = _masked(alpha, D).sum(axis=0)
        e0l = _masked(alpha, DL).sum(axis=0)
        if not (np.all(np.isfinite(e0r)) and np.all(np.isfinite(e0l))):
            return np.inf, info, None
        Mr = np.hstack([-AR.T, D[J].T])
        Ml = np.hstack([-AR.T, DL[J].T])
        if sp.has_t:
            e0r, e0l = np.append(e0r, sp.ct), np.append(e0l, sp.ct)
            trow = np.concatenate([np.zeros(len(R)), -sp.b[J]])
            Mr, Ml = np.vstack([Mr, trow]), np.vstack([Ml, trow])
            at_lo, at_hi = np.append(at_lo, False), np.append(at_hi, False)
            at_kink = np.append(at_kink, False)
        if not (np.all(np.isfinite(Mr)) and np.all(np.isfinite(Ml))):
            return np.inf, info, None
        sides = np.array([rows[r] for r in R] + [1] * len(J), dtype=float)  # sign of each variable

        def residual(v):
            Er, El = e0r + Mr @ v, e0l + Ml @ v
            lam, nu = v[: len(R)], v[len(R) :]
            mu = alpha.copy()
            mu[J] += nu
            # the scale of the gradient: its terms, and how much they vary over the issue's
            # range (curvature x span), which keeps it meaningful where the gradient vanishes
            curv = np.abs(_masked(mu, np.where(np.isfinite(H), H, 0.0))).sum(axis=0)
            scale = (
                np.abs(_masked(mu, D)).sum(axis=0)
                + np.abs(AR.T) @ np.abs(lam)
                + curv * np.maximum(self.hi - self.lo, 1.0)
            )
            if sp.has_t:
                scale = np.append(scale, abs(sp.ct) + np.abs(sp.b[J]) @ np.abs(nu))
            S = max(float(np.max(scale, initial=0.0)), np.finfo(float).tiny)
            both = at_lo & at_hi
            up = np.where(~at_hi & ~both, np.maximum(Er, 0.0), 0.0)  # gain from increasing
            down = np.where(~at_lo & ~both, np.maximum(-El, 0.0), 0.0)  # gain from decreasing
            stat = float(np.max(np.maximum(up, down), initial=0.0)) / S
            norms = np.concatenate(
                [np.max(np.abs(AR), axis=1, initial=0.0), np.max(np.abs(D[J]), axis=1, initial=0.0)]
            )
            dual = float(np.max(np.maximum(-sides * v, 0.0) * norms, initial=0.0)) / S
            slack_r = [
                (self.ub[r] - s[r] if rows[r] > 0 else s[r] - self.lb[r] if rows[r] < 0 else 0.0)
                / rscale[r]
                for r in R
            ]
            slack = np.concatenate([np.abs(slack_r), np.abs(h[J]) / hscale[J]])
            # complementary slackness; Newton holds an active constraint to rounding, so one
            # whose multiplier matters must hold to FEAS_TOL (else the set was inconsistent)
            weight = np.abs(v) * norms / S
            comp = float(np.max(weight * slack, initial=0.0))
            active = float(np.max(np.where(weight > 1e-9, slack, 0.0), initial=0.0))
            return dict(
                stationarity=stat, primal=primal, dual=dual, complementarity=comp, active=active
            )

        # multipliers: least squares on the smooth free coordinates, else an LP
        eq = ~at_lo & ~at_hi & ~at_kink
        v = np.zeros(Mr.shape[1])
        if v.size and np.any(eq):
            v = np.linalg.lstsq(Mr[eq], -e0r[eq], rcond=None)[0]
        info = residual(v)
        worst = _worst(info)
        if worst > CERT_TOL and v.size:
            v2 = self._lp_multipliers(e0r, e0l, Mr, Ml, at_lo, at_hi, sides)
            if v2 is not None:
                info2 = residual(v2)
                if _worst(info2) < worst:
                    v, info, worst = v2, info2, _worst(info2)
        return worst, info, (R, J, v, e0r + Mr @ v, e0l + Ml @ v)

    @staticmethod
    def _lp_multipliers(e0r, e0l, Mr, Ml, at_lo, at_hi, sides):
        """Multipliers minimising the largest stationarity violation (HiGHS), or None."""
        from scipy.optimize import linprog

        nv = Mr.shape[1]
        both = at_lo & at_hi
        rows, rhs = [], []
        for k in range(Mr.shape[0]):
            if both[k]:
                continue
            if not at_hi[k]:  # Er <= eps
                rows.append(np.append(Mr[k], -1.0))
                rhs.append(-e0r[k])
            if not at_lo[k]:  # -El <= eps
                rows.append(np.append(-Ml[k], -1.0))
                rhs.append(e0l[k])
        if not rows:
            return np.zeros(nv)
        bounds = [
            (0, None) if sg > 0 else (None, 0) if sg < 0 else (None, None) for sg in sides
        ] + [(0, None)]
        c = np.zeros(nv + 1)
        c[-1] = 1.0
        res = linprog(
            c,
            A_ub=np.array(rows),
            b_ub=np.array(rhs),
            bounds=bounds,
            method="highs",
            options=dict(primal_feasibility_tolerance=1e-10, dual_feasibility_tolerance=1e-10),
        )
        return res.x[:nv] if res.status == 0 else None

    def _update(self, sp, z, act, info, delta):
        """Correct the active set after a failed certificate; None if nothing changes."""
        fixed, rows, J = dict(act[0]), dict(act[1]), set(act[2])
        new_fixed, new_rows, new_J = self._detect(sp, z, delta)
        for k, val in new_fixed.items():
            fixed.setdefault(k, val)
        for r, side in new_rows.items():
            rows.setdefault(r, side)
        J |= new_J
        if info is not None:
            R, JJ, v, Er, El = info
            tol = CERT_TOL * max(float(np.max(np.abs(np.concatenate([Er, El])), initial=0)), 1)
            for r, lam in zip(R, v[: len(R)], strict=True):
                if r in rows and rows[r] * lam < -tol:
                    del rows[r]
            for j, nu in zip(JJ, v[len(R) :], strict=True):
                if nu < -tol:
                    J.discard(j)
            x = z[: self.K]
            span = np.maximum(self.hi - self.lo, 1.0)
            for k in list(fixed):
                if self.lo[k] == self.hi[k]:
                    continue
                up, down = x[k] < self.hi[k] and Er[k] > tol, x[k] > self.lo[k] and -El[k] > tol
                if not (up or down):
                    continue
                # the multiplier says: move that way -- to the next kink or bound within reach
                # (an optimum at a kink next to a bound), else free the issue
                stops = np.append(self.kinks[k], [self.lo[k], self.hi[k]])
                stops = stops[(stops > x[k]) if up else (stops < x[k])]
                stops = stops[np.abs(stops - x[k]) <= delta * span[k]]
                if stops.size:
                    fixed[k] = float(stops[np.argmin(np.abs(stops - x[k]))])
                else:
                    del fixed[k]
            out = (fixed, rows, frozenset(J))
            if self._key(out) == self._key(act):
                # degenerate: drop the weakly active floors and rows (zero multiplier), which
                # can pin the point where stationarity alone would determine it
                weak_r = {r for r, lam in zip(R, v[: len(R)], strict=True) if abs(lam) <= tol}
                weak_j = {j for j, nu in zip(JJ, v[len(R) :], strict=True) if abs(nu) <= tol}
                rows = {r: sd for r, sd in rows.items() if r not in weak_r or sd == 0}
                J -= weak_j
        out = (fixed, rows, frozenset(J))
        return None if self._key(out) == self._key(act) else out

    @staticmethod
    def _key(act):
        return (tuple(sorted(act[0].items())), tuple(sorted(act[1].items())), tuple(sorted(act[2])))

    def _refine(self, sp, z0, with_active=False):
        """Newton-polish ``z0`` on its active set and certify it: ``(z, residual)``.

        Active sets are read off ``z0`` at fixed thresholds and at the gaps
        between its slacks, each corrected a few times; failing that, subsets
        of the widest one, largest first (a constraint active only to the
        interior point's accuracy, or parallel to another, makes the system
        inconsistent). ``z`` is
        None when no active set gives a certificate. With ``with_active``, also
        the active set and the multipliers of the certificate.
        """
        tried, order = set(), []
        best = np.inf

        def attempt(act):
            nonlocal best
            tried.add(self._key(act))
            order.append(act)
            z = self._newton(sp, z0, act)
            if z is None:
                return None, None
            res, _, info = self._kkt(sp, z, act)
            best = min(best, res)
            return (z, res, act, info), info

        for delta in list(_ACTIVE) + self._gaps(sp, z0):
            act = self._detect(sp, z0, delta)
            for _ in range(_ROUNDS):
                if act is None or self._key(act) in tried:
                    break
                out, info = attempt(act)
                if out is None:
                    break
                if out[1] <= CERT_TOL:
                    return out if with_active else out[:2]
                act = self._update(sp, out[0], act, info, delta)
        # subsets of the widest active set, largest first (degenerate vertices: parallel or
        # redundant constraints, where only some of the near-active ones belong)
        fixed, rows, J = self._detect(sp, z0, max(_ACTIVE))
        members = [("f", k) for k in fixed] + [("r", r) for r in rows] + [("j", j) for j in J]
        budget = _SUBSETS
        for size in range(len(members) - 1, -1, -1):
            for keep in itertools.combinations(members, size):
                if budget <= 0:
                    break
                sub = (
                    {k: fixed[k] for kind, k in keep if kind == "f"},
                    {r: rows[r] for kind, r in keep if kind == "r"},
                    frozenset(j for kind, j in keep if kind == "j"),
                )
                if self._key(sub) in tried:
                    continue
                budget -= 1
                out, _ = attempt(sub)
                if out is not None and out[1] <= CERT_TOL:
                    return out if with_active else out[:2]
        return (None, best, None, None) if with_active else (None, best)

    def _unique(self, sp, z, act, info):
        """Whether the certified point ``z`` is the problem's unique solution.

        Sufficient (strong second-order conditions): on the *strongly* active
        set — bounds, kinks, constraints and floors whose multipliers are clearly
        away from zero (a kink's strictly inside its interval); weakly active ones
        are left out — the active linear constraints are independent and the
        reduced KKT matrix is well conditioned. The KKT point is then isolated,
        and an isolated optimum of a convex problem is its only one.
        """
        fixed, rows, _ = act
        R, JJ, v, Er, El = info
        x, _ = self._split(sp, z)
        lam, nu = v[: len(R)], v[len(R) :]
        u, D, _, _ = self._local(x)
        mu = sp.alpha(u).copy()
        mu[JJ] += nu
        S = float(np.max(np.abs(_masked(mu, D)).sum(axis=0), initial=0.0)) + abs(sp.ct)
        margin = 1e-8 * max(S, np.finfo(float).tiny)
        strong_fixed = {}
        for k, val in fixed.items():
            up = x[k] >= self.hi[k] or Er[k] < -margin  # increasing x_k loses
            down = x[k] <= self.lo[k] or El[k] > margin  # decreasing x_k loses
            if self.lo[k] == self.hi[k] or (up and down):
                strong_fixed[k] = val
        strong_rows = {
            r: rows[r]
            for r, lr in zip(R, lam, strict=True)
            if rows[r] == 0 or abs(lr) * np.max(np.abs(self.A[r])) > margin
        }
        strong_J = [
            j
            for j, nj in zip(JJ, nu, strict=True)
            if nj * max(float(np.max(np.abs(D[j]), initial=0.0)), abs(sp.b[j])) > margin
        ]
        nu_s = np.array([nj for j, nj in zip(JJ, nu, strict=True) if j in strong_J])
        nrows = len(strong_fixed) + len(strong_rows)
        _, Z = self._affine(sp, z, strong_fixed, strong_rows)
        if Z.shape[1] != self.K + sp.has_t - nrows:  # dependent active constraints
            return False
        F, Jac = self._system(sp, z, nu_s, Z, strong_J)
        if F is None:
            return False
        if not Jac.size:
            return True
        sv = np.linalg.svd(Jac, compute_uv=False)
        return bool(sv[-1] > 1e-10 * sv[0])

    def certify(self, sp, z):
        """Relative KKT residual at ``z`` (active set read off at ``z`` itself), and details."""
        res, info, _ = self._kkt(sp, z, self._detect(sp, z, FEAS_TOL))
        return res, info

    def _accept(self, z, res):
        if z is None:
            self.ok = False
            return False
        self.residual = max(self.residual, res)
        return True

    # -- the concepts ---------------------------------------------------------------------

    def maxmin(self, d, r):
        """Leximin-type point of the normalised gains: ``(x, u, t*)``.

        ``t*`` is the largest level with ``(u_i - d_i)/r_i >= t*`` for all ``i``;
        among those points, ``x`` maximises the sum of the normalised gains.
        Both stages are certified at the returned point.
        """
        cp = self.cp
        d, r = np.asarray(d, float), np.asarray(r, float)
        t = cp.Variable()
        cons = [self.u[i] - d[i] >= t * r[i] for i in range(self.n)]
        x = self._solve(t, cons, required=False)
        if x is None:
            return None, np.full(self.n, -np.inf), -np.inf
        level0 = float(np.min((self.utilities(x) - d) / r))
        stage1 = _Smooth(self.n, ct=1.0, has_t=True, a=d, b=r, cons=True)
        z1, res1, act1, info1 = self._refine(stage1, np.append(x, level0), with_active=True)
        if not self._accept(z1, res1):
            u = self.utilities(x)
            return x, u, float(np.min((u - d) / r))
        x1 = z1[: self.K]
        u1 = self.utilities(x1)
        if self._unique(stage1, z1, act1, info1):  # nothing to refine
            return x1, u1, float(np.min((u1 - d) / r))
        level = float(np.min((u1 - d) / r))
        # Pareto refinement at that level
        slack = 1e-9 * (1.0 + abs(level))
        cons = [self.u[i] - d[i] >= (level - slack) * r[i] for i in range(self.n)]
        x2 = self._solve(sum((self.u[i] - d[i]) / r[i] for i in range(self.n)), cons, False)
        stage2 = _Smooth(self.n, c=1.0 / r, a=d + level * r, cons=True)
        z2 = None
        for start in ([x2] if x2 is not None else []) + [x1]:
            z2, res2 = self._refine(stage2, start)
            if z2 is not None:
                break
        if z2 is not None:
            # the refined point must still be optimal for the first stage
            res1b, _ = self.certify(stage1, np.append(z2, level))
            if res1b <= CERT_TOL:
                self._accept(z2, max(res2, res1b))
                x = z2
            else:
                z2 = None
        if z2 is None:
            self.ok = False
            x = x1
        u = self.utilities(x)
        return x, u, float(np.min((u - d) / r))

    def ideal(self, d):
        """Each party's best utility subject to ``u >= d`` (``-inf`` if infeasible)."""
        d = np.asarray(d, float)
        a = np.full(self.n, -np.inf)
        cons = [self.u[i] >= d[i] for i in range(self.n)]
        for i in range(self.n):
            x = self._solve(self.u[i], cons, False)
            if x is None:
                continue
            sp = _Smooth(self.n, c=np.eye(self.n)[i], a=d, cons=True)
            z, res = self._refine(sp, x)
            if self._accept(z, res):
                x = z
            u = self.utilities(x)
            if np.all(u >= d - 1e-9 * (1.0 + np.abs(d))):
                # a best deal within rounding of d is d: no room to gain (not a 1e-16 range)
                a[i] = d[i] if u[i] - d[i] <= 64 * _EPS * (1.0 + abs(d[i])) else u[i]
            else:
                self.ok = False
        return a

    def nash(self, d, w):
        """Weighted Nash point ``(x, u)``: interior point, then certified Newton polishing."""
        cp = self.cp
        d, w = np.asarray(d, float), np.asarray(w, float)
        obj = sum(float(w[i]) * cp.log(self.u[i] - d[i]) for i in range(self.n))
        x = self._solve(obj, [], required=False)
        if x is None:
            self.ok = False
            return None, None
        z, res = self._refine(_Smooth(self.n, log=True, w=w, d=d), x)
        if self._accept(z, res):
            x = z
        return x, self.utilities(x)

    def utilitarian(self, d, w):
        """Maximiser of ``w . u`` subject to ``u >= d``."""
        d, w = np.asarray(d, float), np.asarray(w, float)
        obj = sum(float(w[i]) * self.u[i] for i in range(self.n))
        x = self._solve(obj, [self.u[i] >= d[i] for i in range(self.n)], required=False)
        if x is None:
            return None, None
        z, res = self._refine(_Smooth(self.n, c=w, a=d, cons=True), x)
        if self._accept(z, res):
            x = z
        return x, self.utilities(x)
