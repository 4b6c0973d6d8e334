r"""Convex programmes over continuous issues (cvxpy), one problem at a time.

Used where the two-party root-finding kernel does not apply: three or more
parties, or linear constraints across issues. With concave value functions
each party's utility is a concave expression of the issue values ``x``, so

- Nash: :math:`\max \sum_i w_i \log(u_i(x) - d_i)` (exponential cone),
- egalitarian / Kalai–Smorodinsky: :math:`\max t` s.t.
  :math:`u_i(x) - d_i \ge t\,r_i`, then the Pareto refinement
  :math:`\max \sum_i (u_i - d_i)/r_i` at that level,
- utilitarian: :math:`\max \sum_i w_i u_i(x)` s.t. :math:`u(x) \ge d`,

are convex programmes, solved with Clarabel (interior point) at tight
tolerances. Their KKT residuals are checked: a solve that does not reach
the requested accuracy is reported (``status -2``), not returned silently.
"""

from __future__ import annotations

import warnings

import numpy as np

__all__: list[str] = []

_SETTINGS = dict(
    tol_gap_abs=1e-11,
    tol_gap_rel=1e-11,
    tol_feas=1e-11,
    tol_ktratio=1e-8,
    max_iter=400,
)


class ConvexIssueProblem:
    """One problem: ``terms[i]`` is a list of ``(k, v, W)`` with scalar parameters.

    Parameters
    ----------
    lo, hi : ndarray (K,)
        Bounds of the continuous issues.
    terms : list over parties of list of (column, ValueFunction, float)
    offset : ndarray (n,)
        Constant utilities (fixed discrete issues).
    A, lb, ub : constraint matrix over the continuous columns and its bounds.
    """

    def __init__(self, lo, hi, terms, offset, A=None, lb=None, ub=None):
        import cvxpy as cp

        self.cp = cp
        self.lo, self.hi = np.asarray(lo, float), np.asarray(hi, float)
        self.K = self.lo.size
        self.n = len(terms)
        self.terms, self.offset = terms, np.asarray(offset, float)
        self.x = cp.Variable(self.K)
        self.u = []
        for i, party_terms in enumerate(terms):
            e = float(self.offset[i])
            for k, v, W in party_terms:
                if W != 0:
                    e = e + float(W) * v.expr(self.x[k])
            self.u.append(e)
        self.A, self.lb, self.ub = A, lb, ub
        self.base = [self.x >= self.lo, self.x <= self.hi]
        if A is not None and A.shape[0]:
            s = A @ self.x
            for r in range(A.shape[0]):
                if np.isfinite(lb[r]):
                    self.base.append(s[r] >= lb[r])
                if np.isfinite(ub[r]):
                    self.base.append(s[r] <= ub[r])
        self.ok = True

    def utilities(self, x):
        """Exact utilities ``(n,)`` at issue values ``x`` (numpy evaluation)."""
        u = self.offset.copy()
        for i, party_terms in enumerate(self.terms):
            for k, v, W in party_terms:
                if W != 0:
                    u[i] += W * float(v(x[k]))
        return u

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

    def maxmin(self, d, r):
        """Leximin-type point of the normalised gains: ``(x, u, t*)``."""
        cp = self.cp
        t = cp.Variable()
        cons = [self.u[i] - d[i] >= t * r[i] for i in range(self.n)]
        x = self._solve(t, cons, required=False)
        if x is None:
            return None, np.full(self.n, -np.inf), -np.inf
        level = float(t.value)
        slack = 1e-9 * (1.0 + abs(level))
        cons = [self.u[i] - d[i] >= (level - slack) * r[i] for i in range(self.n)]
        # Pareto refinement at that level; kept only if it does not lower anyone's level
        x2 = self._solve(sum((self.u[i] - d[i]) / r[i] for i in range(self.n)), cons, False)
        if x2 is not None:
            u1, u2 = self.utilities(x), self.utilities(x2)
            if np.min((u2 - d) / r) >= np.min((u1 - d) / r) - 2 * slack:
                x = x2
        u = self.utilities(x)
        return x, u, float(np.min((u - d) / r))

    def ideal(self, d):
        """Each party's best utility subject to ``u >= d`` (``-inf`` if infeasible)."""
        a = np.full(self.n, -np.inf)
        cons = [self.u[i] >= d[i] for i in range(self.n)]
        for i in range(self.n):
            x = self._solve(self.u[i], cons, False)
            if x is not None:
                u = self.utilities(x)
                if np.all(u >= d - 1e-9 * (1.0 + np.abs(d))):
                    a[i] = u[i]
                else:
                    self.ok = False
        return a

    def gradients(self, x):
        """Jacobian ``(n, K)`` of the utilities at ``x`` (right derivatives)."""
        J = np.zeros((self.n, self.K))
        for i, party_terms in enumerate(self.terms):
            for k, v, W in party_terms:
                if W != 0:
                    J[i, k] += W * float(v.derivative(x[k]))
        return J

    def nash(self, d, w):
        """Weighted Nash point ``(x, u)``, polished by SLSQP from the interior-point solution."""
        cp = self.cp
        obj = sum(float(w[i]) * cp.log(self.u[i] - d[i]) for i in range(self.n))
        x = self._solve(obj, [], required=False)
        if x is None:
            self.ok = False
            return None, None

        def f(x):
            g = self.utilities(x) - d
            return np.inf if np.any(g <= 0) else -float(np.sum(w * np.log(g)))

        def jac(x):
            g = self.utilities(x) - d
            return -(w / g) @ self.gradients(x)

        return self._polish(x, f, jac, []), None

    def _polish(self, x0, f, jac, extra):
        """Refine ``x0`` by SLSQP (``ftol`` 1e-16); keep it only if feasible and no worse.

        Marks the problem inaccurate (``ok = False``) if SLSQP does not converge.
        """
        from scipy.optimize import LinearConstraint, minimize

        cons = list(extra)
        if self.A is not None and self.A.shape[0]:
            cons.append(LinearConstraint(self.A, self.lb, self.ub))
        f0 = f(x0)
        if not np.isfinite(f0):
            return x0
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            res = minimize(
                f,
                x0,
                jac=jac,
                method="SLSQP",
                bounds=list(zip(self.lo, self.hi, strict=True)),
                constraints=cons,
                options={"ftol": 1e-16, "maxiter": 300},
            )
        x1 = np.clip(res.x, self.lo, self.hi)
        feasible = (
            self.A is None
            or not self.A.shape[0]
            or np.all((self.A @ x1 >= self.lb - 1e-12) & (self.A @ x1 <= self.ub + 1e-12))
        )
        for c in extra:
            feasible = feasible and np.all(c["fun"](x1) >= -1e-12)
        if not (res.success or res.status == 8):  # 8: no further progress possible
            self.ok = False
        return x1 if feasible and f(x1) <= f0 else x0

    def utilitarian(self, d, w):
        """Maximiser of ``w . u`` subject to ``u >= d``."""
        obj = sum(float(w[i]) * self.u[i] for i in range(self.n))
        x = self._solve(obj, [self.u[i] >= d[i] for i in range(self.n)], required=False)
        if x is None:
            return None, None
        ir = {
            "type": "ineq",
            "fun": lambda x: self.utilities(x) - d,
            "jac": lambda x: self.gradients(x),
        }
        x = self._polish(
            x, lambda x: -float(w @ self.utilities(x)), lambda x: -(w @ self.gradients(x)), [ir]
        )
        return x, self.utilities(x)
