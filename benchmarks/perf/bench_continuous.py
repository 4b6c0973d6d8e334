"""Continuous and mixed issue spaces: Nash and the ZOPA, against cvxpy and linear programmes.

1. Two parties, two divisible issues, power value functions with random exponents and
   weights (a batch of problems, one call): ``bg.nash(neg)``, the exact separable
   solver. Baseline: cvxpy one problem at a time (``maximise log(u1 - d1) + log(u2 -
   d2)`` over the box, power cones with ``approx=False``, Clarabel), the convex
   programme a competent user writes; timed on a subsample and scaled. The answers
   agree to 1e-7 in utilities (asserted on the subsample).
2. The bundled mixed agendas (one divisible issue valued linearly beside three
   discrete issues: ``camp_david_1978``, ``dayton_1995``): ``bg.zopa`` and ``bg.nash``
   on the model's negotiation. Baseline for the ZOPA: the same library solving each
   combination's piece with linear programmes (HiGHS), its path before the closed
   form; the two agree to 1e-12. Baseline for Nash: cvxpy on every combination of the
   discrete options, the best product kept; the log Nash products agree to 1e-6.
3. A mixed agenda with two divisible issues (power values, random exponents) and two
   discrete issues of three options (nine pieces): ``bg.zopa`` (the lens of every
   piece at once, :mod:`bargain.zopa._lens`) against the library's earlier path, one
   convex programme per piece for the slack and for each extreme (cvxpy, Clarabel)
   and sections by bisection for the area (slack to 1e-7, share to 1e-6 asserted);
   ``bg.nash`` against cvxpy per combination of the discrete options (power cones).
"""

from __future__ import annotations

import importlib
import sys
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _harness

import bargain as bg

D = 0.1


def _problems(B, seed=0):
    rng = np.random.default_rng(seed)
    p = rng.uniform(0.3, 0.95, (4, B))
    w = rng.uniform(0.2, 0.8, (2, B))
    A = bg.Agenda(bg.ContinuousIssue("x"), bg.ContinuousIssue("y"))
    one = bg.AdditiveUtility({"x": bg.Power(p[0]), "y": bg.Power(p[1])}, {"x": w[0], "y": 1 - w[0]})
    two = bg.AdditiveUtility(
        {
            "x": bg.Power(p[2], origin=1.0, decreasing=True),
            "y": bg.Power(p[3], origin=1.0, decreasing=True),
        },
        {"x": w[1], "y": 1 - w[1]},
    )
    neg = bg.Negotiation(A, [bg.Party("A", one, D), bg.Party("B", two, D)])
    return neg, p, w


def _cvxpy_one(p, w, j):
    import cvxpy as cp

    x = cp.Variable(2)
    u1 = w[0, j] * cp.power(x[0], p[0, j], approx=False) + (1 - w[0, j]) * cp.power(
        x[1], p[1, j], approx=False
    )
    u2 = w[1, j] * cp.power(1 - x[0], p[2, j], approx=False) + (1 - w[1, j]) * cp.power(
        1 - x[1], p[3, j], approx=False
    )
    prob = cp.Problem(cp.Maximize(cp.log(u1 - D) + cp.log(u2 - D)), [x >= 0, x <= 1])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        prob.solve(solver=cp.CLARABEL, tol_gap_abs=1e-12, tol_gap_rel=1e-12, tol_feas=1e-12)
    return np.array([u1.value, u2.value], dtype=float)


def _cvxpy_loop(p, w, k):
    return np.array([_cvxpy_one(p, w, j) for j in range(k)])


def _cvxpy_mixed(neg):
    """Nash by cvxpy on each combination of the discrete options, the best product kept."""
    import cvxpy as cp

    A = neg.agenda
    (k,) = A.continuous
    lo, hi = A.issues[k].bounds
    d = neg.reservation
    best, arg = -np.inf, None
    X = A.enumerate(grid=2)
    for combo in X[X[:, k] == lo]:  # every combination, the divisible issue at lo
        ends = np.array([combo, combo])
        ends[1, k] = hi
        u_lo, u_hi = neg.coded_utilities(ends)
        x = cp.Variable()
        u = [u_lo[i] + (u_hi[i] - u_lo[i]) * (x - lo) / (hi - lo) for i in range(2)]
        prob = cp.Problem(
            cp.Maximize(cp.log(u[0] - d[0]) + cp.log(u[1] - d[1])), [x >= lo, x <= hi]
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            prob.solve(solver=cp.CLARABEL)
        if prob.status == "optimal" and prob.value > best:
            best, arg = prob.value, (combo, float(x.value))
    return best, arg


def _mixed_two(seed=3):
    """Two divisible issues (power values) and two discrete ones (three options each)."""
    rng = np.random.default_rng(seed)
    A = bg.Agenda(
        bg.ContinuousIssue("x"),
        bg.ContinuousIssue("y"),
        bg.DiscreteIssue("p", ["a", "b", "c"]),
        bg.DiscreteIssue("q", ["a", "b", "c"]),
    )
    p = rng.uniform(0.3, 0.9, 4)
    tables = rng.random((2, 2, 3))
    w = np.array([[0.35, 0.25, 0.2, 0.2], [0.2, 0.3, 0.25, 0.25]])
    one = bg.AdditiveUtility(
        {
            "x": bg.Power(p[0]),
            "y": bg.Power(p[1], origin=1.0, decreasing=True),
            "p": bg.Table(tables[0, 0]),
            "q": bg.Table(tables[0, 1]),
        },
        w[0],
    )
    two = bg.AdditiveUtility(
        {
            "x": bg.Power(p[2], origin=1.0, decreasing=True),
            "y": bg.Power(p[3]),
            "p": bg.Table(tables[1, 0]),
            "q": bg.Table(tables[1, 1]),
        },
        w[1],
    )
    neg = bg.Negotiation(A, [bg.Party("A", one, 0.3), bg.Party("B", two, 0.3)])
    return neg, p, w, tables


def _cvxpy_mixed_two(p, w, tables, d=0.3):
    """Nash by cvxpy (power cones) on each of the nine combinations, the best kept."""
    import cvxpy as cp

    best = -np.inf
    for a in range(3):
        for b in range(3):
            x = cp.Variable(2)
            c1 = w[0, 2] * tables[0, 0, a]
            c1 += w[0, 3] * tables[0, 1, b]
            c2 = w[1, 2] * tables[1, 0, a]
            c2 += w[1, 3] * tables[1, 1, b]
            u1 = c1 + w[0, 0] * cp.power(x[0], p[0], approx=False)
            u1 += w[0, 1] * cp.power(1 - x[1], p[1], approx=False)
            u2 = c2 + w[1, 0] * cp.power(1 - x[0], p[2], approx=False)
            u2 += w[1, 1] * cp.power(x[1], p[3], approx=False)
            prob = cp.Problem(cp.Maximize(cp.log(u1 - d) + cp.log(u2 - d)), [x >= 0, x <= 1])
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                prob.solve(solver=cp.CLARABEL)
            if prob.status == "optimal":
                best = max(best, prob.value)
    return best


def _lp_pieces(neg):
    """The ZOPA with every piece solved by linear programmes (the path before the closed form)."""
    return importlib.import_module("bargain.zopa._issues").issue_zopa(neg, closed_form=False)


def run(smoke: bool = False) -> list[dict]:
    B, k = (50, 2) if smoke else (100_000, 20)
    neg, p, w = _problems(B)
    res = bg.nash(neg)
    ref = _cvxpy_loop(p, w, k)
    assert np.allclose(res.utilities[:k], ref, rtol=0, atol=1e-7), "Nash differs from cvxpy"
    rows = [
        _harness.compare(
            "nash, 2 divisible issues, power values",
            f"{B:,} problems",
            lambda: bg.nash(neg),
            f"cvxpy per problem, power cones, Clarabel ({k} timed, scaled)",
            lambda: _cvxpy_loop(p, w, k),
            repeat=1 if smoke else 3,
            scale=B / k,
        )
    ]
    for name in ("camp_david_1978", "dayton_1995"):
        mneg = bg.load_model(name).negotiation
        z, zl = bg.zopa(mneg), _lp_pieces(mneg)
        assert abs(float(z.slack) - float(zl.slack)) <= 1e-12
        for issue in z.ranges:
            a = np.asarray(z.ranges[issue], float)
            b = np.asarray(zl.ranges[issue], float)
            assert np.allclose(a, b, rtol=0, atol=1e-12, equal_nan=True), issue
        repeat = 3 if smoke else 21
        rows.append(
            _harness.compare(
                "zopa, mixed agenda (1 divisible + 3 discrete issues)",
                name,
                lambda mneg=mneg: bg.zopa(mneg),
                "linear programmes per piece (HiGHS)",
                lambda mneg=mneg: _lp_pieces(mneg),
                repeat=repeat,
                baseline_repeat=max(1, repeat // 3),
            )
        )
        r = bg.nash(mneg)
        best, _ = _cvxpy_mixed(mneg)
        ours = float(np.sum(np.log(np.asarray(r.utilities) - mneg.reservation)))
        assert abs(ours - best) <= 1e-6, (ours, best)  # cvxpy's tolerance
        rows.append(
            _harness.compare(
                "nash, mixed agenda (1 divisible + 3 discrete issues)",
                name,
                lambda mneg=mneg: bg.nash(mneg),
                "cvxpy per combination of the discrete options",
                lambda mneg=mneg: _cvxpy_mixed(mneg),
                repeat=repeat,
                baseline_repeat=1 if smoke else 3,
            )
        )
    neg2, p2, w2, t2 = _mixed_two()
    z, zc = bg.zopa(neg2), _lp_pieces(neg2)
    assert abs(float(z.slack) - float(zc.slack)) <= 1e-7
    assert abs(float(z.share) - float(zc.share)) <= 1e-6
    repeat = 3 if smoke else 11
    rows.append(
        _harness.compare(
            "zopa, mixed agenda (2 divisible + 2 discrete issues, power values)",
            "9 pieces",
            lambda: bg.zopa(neg2),
            "a convex programme per piece and extreme (cvxpy, Clarabel), bisected sections",
            lambda: _lp_pieces(neg2),
            repeat=repeat,
            baseline_repeat=max(1, repeat // 3),
        )
    )
    r = bg.nash(neg2)
    ours = float(np.sum(np.log(np.asarray(r.utilities) - 0.3)))
    best = _cvxpy_mixed_two(p2, w2, t2)
    assert abs(ours - best) <= 1e-6, (ours, best)
    rows.append(
        _harness.compare(
            "nash, mixed agenda (2 divisible + 2 discrete issues, power values)",
            "9 combinations",
            lambda: bg.nash(neg2),
            "cvxpy per combination of the discrete options (power cones)",
            lambda: _cvxpy_mixed_two(p2, w2, t2),
            repeat=repeat,
            baseline_repeat=max(1, repeat // 3),
        )
    )
    return rows


if __name__ == "__main__":
    _harness.main(run)
