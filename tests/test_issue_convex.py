"""The convex-programme path (three or more parties, constraints across issues): exact to 1e-9.

Closed forms by hand, the two-party root-finding kernel (an independent
algorithm) on problems forced through the convex path, an independent scipy
formulation on random three-party problems, and the KKT certificate itself.
"""

import warnings

import numpy as np
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from scipy.optimize import LinearConstraint, minimize

import bargain as bg
import bargain.issues._piece as ic

CONCEPTS = ["nash", "kalai_smorodinsky", "egalitarian", "utilitarian"]
S = np.sqrt

# -- second derivatives of the value functions ---------------------------------------

SMOOTH = [
    bg.Linear(2.0, 0.5),
    bg.Power(0.5),
    bg.Power(0.3, origin=1.2, decreasing=True),
    bg.Power(2.0, origin=1.0, decreasing=True),
    bg.Exponential(2.0),
    bg.Exponential(-1.0),
    bg.Exponential(0.0),
    bg.Exponential(1.5, origin=1.0, decreasing=True),
    bg.Logarithmic(3.0),
    bg.Logarithmic(1.0, origin=1.0, decreasing=True),
    bg.PiecewiseLinear([0, 0.5, 1], [0, 0.8, 1]),
    bg.IdealPoint(0.3),
    bg.IdealPoint(0.3, loss="linear", scale=2),
    bg.Custom(np.sqrt, concave=True),
    bg.Custom(np.sqrt, derivative=lambda x: 0.5 / np.sqrt(x), concave=True),
]


@pytest.mark.parametrize("v", SMOOTH, ids=repr)
def test_second_derivative_matches_differences(v):
    x = np.linspace(0.07, 0.93, 6)  # away from the kinks at 0.3 and 0.5
    h = 1e-5
    numeric = (v.derivative(x + h) - v.derivative(x - h)) / (2 * h)
    np.testing.assert_allclose(v.second_derivative(x), numeric, rtol=1e-6, atol=1e-6)


def test_second_derivative_closed_forms_and_contract():
    x = np.array([0.25, 1.0])
    np.testing.assert_allclose(bg.Power(0.5).second_derivative(x), -0.25 * x**-1.5, rtol=1e-15)
    np.testing.assert_allclose(bg.Exponential(2.0).second_derivative(x), -2 * np.exp(-2 * x))
    np.testing.assert_allclose(bg.Logarithmic(3.0).second_derivative(x), -3 / (1 + 3 * x) ** 2)
    assert np.all(bg.IdealPoint(0.3).second_derivative(x) == -2.0)
    # batch contract: batch_shape + x.shape, like derivative()
    for v in (bg.Power([0.5, 0.7]), bg.Linear([1.0, 2.0]), bg.IdealPoint([0.1, 0.2])):
        y = np.ones((3, 1))
        assert v.second_derivative(y).shape == v.derivative(y).shape == (2, 3, 1)
    pl = bg.PiecewiseLinear([[0, 0.5, 1], [0, 0.4, 1]], [[0, 0.8, 1], [0, 0.5, 1]])
    assert pl.second_derivative([0.2, 0.7]).shape == (2, 2)
    with pytest.raises(TypeError, match="no derivative"):
        bg.Table([0.0, 1.0]).second_derivative(0)


# -- closed forms ---------------------------------------------------------------------


def pie(pa, pb, d=(0.0, 0.0, 0.0)):
    """A unit pie: x to A (value x**pa), y to B (y**pb), the rest 1 - x - y to C (linear)."""
    A = bg.Agenda(
        bg.ContinuousIssue("x"),
        bg.ContinuousIssue("y"),
        constraints=[bg.LinearConstraint({"x": 1, "y": 1}, ub=1)],
    )
    return bg.Negotiation(
        A,
        [
            bg.Party("A", bg.AdditiveUtility({"x": bg.Power(pa)}), d[0]),
            bg.Party("B", bg.AdditiveUtility({"y": bg.Power(pb)}), d[1]),
            bg.Party("C", bg.AdditiveUtility({"x": bg.Linear(-1, 1), "y": bg.Linear(-1)}), d[2]),
        ],
    )


_R = (S(3) - 1) / 2  # root of 2 s^2 + 2 s = 1

THREE_PARTY = [
    # Nash, equal powers: maximise 1/2 log x + 1/4 log y + log(1 - x - y): shares prop. to
    # (1/2, 1/4, 1), i.e. x = 2/7, y = 1/7, C keeps 4/7
    ("nash", (0.5, 0.25), (0, 0, 0), None, [2 / 7, 1 / 7], [S(2 / 7), (1 / 7) ** 0.25, 4 / 7]),
    # generalised Nash, powers (.2, .3, .5): shares prop. to (.2 * .5, .3 * .5, .5)
    (
        "nash",
        (0.5, 0.5),
        (0, 0, 0),
        [0.2, 0.3, 0.5],
        [0.1 / 0.75, 0.15 / 0.75],
        [S(0.1 / 0.75), S(0.15 / 0.75), 0.5 / 0.75],
    ),
    # KS with d = (0, 0, 0.2): ideal (sqrt(.8), sqrt(.8), 1); equal normalised gains s:
    # x = y = 0.8 s^2, 1 - x - y = 0.2 + 0.8 s, so 2 s^2 + s - 1 = 0, s = 1/2
    ("kalai_smorodinsky", (0.5, 0.5), (0, 0, 0.2), None, [0.2, 0.2], [S(0.2), S(0.2), 0.6]),
    # KS with d = 0: ideal (1, 1, 1); 2 t^2 + t = 1, t = 1/2
    ("kalai_smorodinsky", (0.5, 0.5), (0, 0, 0), None, [0.25, 0.25], [0.5, 0.5, 0.5]),
    # egalitarian, weights (1, 1, 2): gains (s, s, 2s) with x = y = s^2, 2 s^2 + 2 s = 1
    ("egalitarian", (0.5, 0.5), (0, 0, 0), [1, 1, 2], [_R**2, _R**2], [_R, _R, 2 * _R]),
    # utilitarian, weights (1, 1, 2): 1/(2 sqrt(x)) = 2, x = y = 1/16, C keeps 7/8
    ("utilitarian", (0.5, 0.5), (0, 0, 0), [1, 1, 2], [1 / 16, 1 / 16], [0.25, 0.25, 7 / 8]),
]


@pytest.mark.parametrize(("concept", "p", "d", "weights", "x", "u"), THREE_PARTY)
def test_three_party_closed_forms(concept, p, d, weights, x, u):
    neg = pie(*p, d=d)
    kw = {} if weights is None else {"weights": weights}
    res = getattr(bg, concept)(neg, **kw)
    assert res.status == 0 and res.method == "exact (convex programme)"
    np.testing.assert_allclose(res.coded, x, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(res.utilities, u, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("concept", CONCEPTS)
def test_symmetric_three_party_solutions_are_the_centre(concept):
    """Ideal points on an equilateral triangle around (1/2, 1/2): every concept is the centre."""
    angles = 0.3 + 2 * np.pi * np.arange(3) / 3
    ideal = 0.5 + 0.3 * np.stack([np.cos(angles), np.sin(angles)], axis=-1)
    A = bg.Agenda(bg.ContinuousIssue("x"), bg.ContinuousIssue("y"))
    parties = [
        bg.Party(f"P{j}", bg.AdditiveUtility({"x": bg.IdealPoint(p), "y": bg.IdealPoint(q)}), -1)
        for j, (p, q) in enumerate(ideal)
    ]
    res = getattr(bg, concept)(bg.Negotiation(A, parties))
    assert res.status == 0
    np.testing.assert_allclose(res.coded, [0.5, 0.5], rtol=1e-9)
    np.testing.assert_allclose(res.utilities, [-0.09] * 3, rtol=1e-9)


def budget():
    """u_A = sqrt(x) + y, u_B = (1 - x) + (1 - y), with the budget x + y <= 3/4."""
    A = bg.Agenda(
        bg.ContinuousIssue("x"),
        bg.ContinuousIssue("y"),
        constraints=[bg.LinearConstraint({"x": 1, "y": 1}, ub=0.75)],
    )
    return bg.Negotiation(
        A,
        [
            bg.Party("A", bg.AdditiveUtility({"x": bg.Power(0.5), "y": bg.Linear()})),
            bg.Party("B", bg.AdditiveUtility({"x": bg.Linear(-1, 1), "y": bg.Linear(-1, 1)})),
        ],
    )


# With s = x + y, A's best split puts x = 1/4 (sqrt'(x) = 1): u = (s + 1/4, 2 - s) for s >= 1/4.
TWO_PARTY = [
    # Nash: (s + 1/4)(2 - s) peaks at s = 7/8 > 3/4: the budget binds, s = 3/4
    ("nash", None, [0.25, 0.5], [1.0, 1.25]),
    # ideal (1, 2) (s = 3/4, s = 0): (s + 1/4) = (2 - s)/2 at s = 1/2
    ("kalai_smorodinsky", None, [0.25, 0.25], [0.75, 1.5]),
    # equal gains would need s = 7/8: the budget caps A at 1 while B has 5/4
    ("egalitarian", None, [0.25, 0.5], [1.0, 1.25]),
    # 2 u_A + u_B = 2 + 2 sqrt(x) - x + y: the budget binds, then x = 1/4
    ("utilitarian", [2, 1], [0.25, 0.5], [1.0, 1.25]),
    # u_A + 2 u_B = 4 + sqrt(x) - 2x - y: y = 0, x = 1/16, interior of the budget
    ("utilitarian", [1, 2], [1 / 16, 0.0], [0.25, 31 / 16]),
]


@pytest.mark.parametrize(("concept", "weights", "x", "u"), TWO_PARTY)
def test_constrained_two_party_closed_forms(concept, weights, x, u):
    kw = {} if weights is None else {"weights": weights}
    res = getattr(bg, concept)(budget(), **kw)
    assert res.status == 0 and res.method == "exact (convex programme)"
    np.testing.assert_allclose(res.coded, x, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(res.utilities, u, rtol=1e-9, atol=1e-12)


# -- the certificate --------------------------------------------------------------------


def problem_of(neg):
    """The Piece of an unbatched, all-continuous negotiation."""
    A = neg.agenda
    terms = [[(k, v, float(W)) for k, (v, W) in b.terms.items()] for b in neg.bound]
    Acon, lb, ub = A.constraint_matrix()
    lo = [i.lo for i in A.issues]
    hi = [i.hi for i in A.issues]
    return ic.Piece(lo, hi, terms, np.zeros(neg.n), Acon, lb, ub)


def test_certificate_separates_the_solution_from_a_near_miss():
    neg = pie(0.5, 0.25)
    P = problem_of(neg)
    sp = ic._Smooth(3, log=True, w=np.full(3, 1 / 3), d=np.zeros(3))
    x = np.array([2 / 7, 1 / 7])
    res, parts = P.certify(sp, x)
    assert res <= ic.CERT_TOL
    assert set(parts) == {"stationarity", "primal", "dual", "complementarity", "active"}
    # the residual measures the distance to the optimum relative to the issues' range: a point
    # 1e-9 off (the accuracy standard) is rejected
    worse, _ = P.certify(sp, x + [1e-9, -1e-9])
    assert worse > 5 * ic.CERT_TOL
    # on the budget line of the two-party problem: the multiplier must have the right sign
    sp2 = ic._Smooth(2, c=np.array([2.0, 1.0]), a=np.zeros(2), cons=True)
    P2 = problem_of(budget())
    assert P2.certify(sp2, np.array([0.25, 0.5]))[0] <= ic.CERT_TOL
    assert P2.certify(sp2, np.array([0.25, 0.4]))[0] > 1e-3  # interior, not stationary


def test_no_certificate_is_status_minus_two(monkeypatch):
    monkeypatch.setattr(ic, "CERT_TOL", -1.0)  # no residual can meet it
    for concept in CONCEPTS:
        res = getattr(bg, concept)(pie(0.5, 0.5))
        assert res.status == -2 and not res.success, concept
        assert "accuracy" in res.message


# -- random problems --------------------------------------------------------------------


@st.composite
def value(draw, increasing):
    """A concave value function on [0, 1], monotone in the given direction (or single-peaked)."""
    kind = draw(st.sampled_from(["linear", "power", "exp", "log", "piecewise", "ideal"]))
    o, dec = (0.0, False) if increasing else (1.0, True)
    if kind == "linear":
        return bg.Linear(1.0, 0.0) if increasing else bg.Linear(-1.0, 1.0)
    if kind == "power":  # origin off the range: finite derivatives
        p = draw(st.floats(0.2, 1.0))
        return bg.Power(p, origin=o - 0.1 if increasing else o + 0.1, decreasing=dec)
    if kind == "exp":  # a -> 0 is the linear limit; Exponential.expr has no series for tiny a
        a = draw(st.one_of(st.just(0.0), st.floats(0.01, 4.0)))
        return bg.Exponential(a, origin=o, decreasing=dec)
    if kind == "log":
        return bg.Logarithmic(draw(st.floats(0.1, 5.0)), origin=o, decreasing=dec)
    if kind == "piecewise":
        k = sorted(draw(st.lists(st.floats(0.05, 0.95), min_size=2, max_size=2, unique=True)))
        s = sorted(draw(st.lists(st.floats(0.1, 2.0), min_size=3, max_size=3)), reverse=True)
        knots = np.array([0.0, *k, 1.0])
        slopes = np.array(s) if increasing else -np.array(s)[::-1]
        return bg.PiecewiseLinear(
            knots, np.concatenate([[0.0], np.cumsum(slopes * np.diff(knots))])
        )
    loss = draw(st.sampled_from(["quadratic", "linear"]))
    return bg.IdealPoint(draw(st.floats(0.0, 1.0)), loss=loss, scale=draw(st.floats(0.5, 2.0)))


@st.composite
def two_party(draw):
    K = draw(st.integers(1, 3))
    names = [f"i{k}" for k in range(K)]
    weights = st.lists(st.floats(0.2, 1.0), min_size=K, max_size=K)
    ua = bg.AdditiveUtility({n: draw(value(True)) for n in names}, draw(weights))
    ub = bg.AdditiveUtility({n: draw(value(False)) for n in names}, draw(weights))
    x0 = np.array(draw(st.lists(st.floats(0.0, 1.0), min_size=K, max_size=K)))
    return names, ua, ub, x0


# each example solves one concept twice: by root-finding and by convex programmes (~0.3 s)
@pytest.mark.slow
@settings(max_examples=15, deadline=None)
@given(problem=two_party(), concept=st.sampled_from(CONCEPTS))
def test_convex_path_matches_root_finding(problem, concept):
    """A never-binding constraint sends a two-party problem down the convex path."""
    names, ua, ub, x0 = problem
    issues = [bg.ContinuousIssue(n) for n in names]
    loose = bg.LinearConstraint({names[0]: 1.0}, ub=5.0)
    plain = bg.Negotiation(bg.Agenda(*issues), [bg.Party("A", ua), bg.Party("B", ub)])
    d = plain.utilities(x0[None])[0] - 0.05  # the outcome x0 is strictly better than d
    parties = [bg.Party("A", ua, d[0]), bg.Party("B", ub, d[1])]
    sep = bg.Negotiation(bg.Agenda(*issues), parties).solve(concept)
    cvx = bg.Negotiation(bg.Agenda(*issues, constraints=[loose]), parties).solve(concept)
    assert sep.method == "exact (root-finding)" and cvx.method == "exact (convex programme)"
    assert sep.status == cvx.status == 0
    if concept == "utilitarian":  # the maximiser may be a flat piece: compare the value
        assert np.sum(cvx.utilities) == pytest.approx(np.sum(sep.utilities), rel=1e-9, abs=1e-12)
    else:
        np.testing.assert_allclose(cvx.utilities, sep.utilities, rtol=1e-9, atol=1e-12)


@st.composite
def three_party(draw):
    K = draw(st.integers(1, 3))
    names = [f"i{k}" for k in range(K)]
    utils = []
    for _ in range(3):
        vals = {n: draw(value(draw(st.booleans()))) for n in names}
        utils.append(
            bg.AdditiveUtility(vals, draw(st.lists(st.floats(0.2, 1.0), min_size=K, max_size=K)))
        )
    x0 = np.array(draw(st.lists(st.floats(0.1, 0.9), min_size=K, max_size=K)))
    coef = draw(st.lists(st.sampled_from([-1.0, -0.5, 0.5, 1.0, 1.5]), min_size=K, max_size=K))
    # the constraint passes near x0 (often binding), not through it: x0 is the equal-gain point,
    # and a constraint through it can make a degenerate vertex (parallel active constraints,
    # a non-unique first stage) that the certificate cannot settle (status -2, honestly)
    slack = draw(st.floats(0.01, 0.5))
    return names, utils, x0, coef, slack


def scipy_point(concept, f_u, n, K, cons, d, r):
    """An independent formulation: SLSQP on (x, t) from the best point of a grid."""
    grid = np.stack(np.meshgrid(*[np.linspace(0, 1, 9)] * K, indexing="ij"), -1).reshape(-1, K)
    grid = grid[np.all(cons.A @ grid.T <= cons.ub[:, None], axis=0)]
    U = np.array([f_u(x) for x in grid])
    G = (U - d) / r
    start = grid[np.argmax(G.min(axis=1))]
    z0 = np.append(start, G.min(axis=1).max())
    tied = concept != "utilitarian"  # the floors hold the level t (egalitarian) or d
    floors = {"type": "ineq", "fun": lambda z: (f_u(z[:K]) - d) / r - (z[K] if tied else 0.0)}
    if concept == "nash":
        obj = lambda z: -np.sum(np.log(np.maximum(f_u(z[:K]) - d, 1e-300))) / n  # noqa: E731
    elif concept == "utilitarian":
        obj = lambda z: -np.sum(f_u(z[:K])) / n  # noqa: E731
    else:
        obj = lambda z: -z[K]  # noqa: E731
    lin = LinearConstraint(np.hstack([cons.A, np.zeros((1, 1))]), -np.inf, cons.ub)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = minimize(
            obj,
            z0,
            method="SLSQP",
            bounds=[(0, 1)] * K + [(None, None)],
            constraints=[lin] + ([floors] if concept != "nash" else []),
            options=dict(ftol=1e-15, maxiter=500),
        )
    return np.clip(res.x[:K], 0.0, 1.0)


# each example runs several convex programmes and an SLSQP solve (~0.5 s), so 12 examples
@pytest.mark.slow
@settings(max_examples=12, deadline=None)
@given(problem=three_party(), concept=st.sampled_from(["nash", "egalitarian", "utilitarian"]))
def test_kkt_certificate_on_random_three_party_problems(problem, concept):
    names, utils, x0, coef, slack = problem
    issues = [bg.ContinuousIssue(n) for n in names]
    c = np.array(coef)
    cons = bg.LinearConstraint(dict(zip(names, coef, strict=True)), ub=float(c @ x0 + slack))
    plain = bg.Negotiation(bg.Agenda(*issues), [bg.Party(f"P{i}", u) for i, u in enumerate(utils)])
    d = plain.utilities(x0[None])[0] - 0.05
    A = bg.Agenda(*issues, constraints=[cons])
    neg = bg.Negotiation(A, [bg.Party(f"P{i}", u, d[i]) for i, u in enumerate(utils)])
    res = neg.solve(concept)
    # the contract: a certified solution, or status -2 -- never an unchecked one (rare:
    # degenerate max-min faces, see test_known_limitation_parallel_floor_and_constraint)
    assert res.status in (0, -2) and res.agreement
    if res.status == -2:
        event("not certified (status -2)")
        return
    x = np.asarray(res.coded)
    # the certificate, recomputed at the returned point
    P = problem_of(neg)
    w = np.full(3, 1 / 3)
    if concept == "nash":
        sp, z = ic._Smooth(3, log=True, w=w, d=d), x
    elif concept == "utilitarian":
        sp, z = ic._Smooth(3, c=w, a=d, cons=True), x
    else:
        sp = ic._Smooth(3, ct=1.0, has_t=True, a=d, b=w, cons=True)
        z = np.append(x, np.min((res.utilities - d) / w))
    residual, parts = P.certify(sp, z)
    assert residual <= ic.CERT_TOL, parts
    # an independent formulation (scipy SLSQP): where its point is feasible, it is no better
    f_u = lambda y: neg.utilities(np.asarray(y)[None])[0]  # noqa: E731
    Acon, _, ub = A.constraint_matrix()
    xs = scipy_point(
        concept,
        f_u,
        3,
        len(names),
        LinearConstraint(Acon, -np.inf, ub),
        d,
        w if concept == "egalitarian" else np.ones(3),
    )

    def value(u):
        if concept == "nash":
            return np.mean(np.log(u - d)) if np.all(u > d) else -np.inf
        if concept == "utilitarian":  # floors u >= d, to rounding
            return np.mean(u) if np.all(u >= d - 1e-13 * (1 + np.abs(d))) else -np.inf
        return np.min((u - d) / w)

    ours, theirs = value(res.utilities), value(f_u(xs))
    if np.all(Acon @ xs <= ub):
        assert ours >= theirs - 1e-12 * (1 + abs(theirs))


@pytest.mark.xfail(strict=True, reason="known limitation: degenerate max-min face, status -2")
def test_known_limitation_parallel_floor_and_constraint():
    """P1's utility depends on x + y only, parallel to the binding constraint x + y >= c.

    The max-min first stage (used for the agreement test) then has a non-unique optimum
    whose refinement has a feasible set without interior and no KKT multipliers the
    certificate can find: reported as status -2 (found by Hypothesis).
    """
    A = bg.Agenda(
        bg.ContinuousIssue("i0"),
        bg.ContinuousIssue("i1"),
        constraints=[bg.LinearConstraint({"i0": -1.0, "i1": -1.0}, ub=-0.6015625 + 0.015625)],
    )
    lin = bg.Linear(-1.0, 1.0)
    utils = [
        bg.AdditiveUtility(
            {"i0": lin, "i1": bg.Power(0.21875, origin=1.1, decreasing=True)}, [0.21875, 1.0]
        ),
        bg.AdditiveUtility({"i0": lin, "i1": lin}, [0.21875, 0.21875]),
        bg.AdditiveUtility({"i0": lin, "i1": lin}, [1.0, 0.5]),
    ]
    plain = bg.Negotiation(
        bg.Agenda(bg.ContinuousIssue("i0"), bg.ContinuousIssue("i1")),
        [bg.Party(f"P{i}", u) for i, u in enumerate(utils)],
    )
    d = plain.utilities(np.array([[0.5, 0.1015625]]))[0] - 0.05
    neg = bg.Negotiation(A, [bg.Party(f"P{i}", u, d[i]) for i, u in enumerate(utils)])
    assert bg.nash(neg).status == 0
