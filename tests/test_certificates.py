"""Certificates of every solution, and second methods that reach the same answers.

A certificate is checked against the problem, not against the solver's own
numbers: feasibility (a point of ``S``; a lottery whose mixture is the
solution; a point on the curve), individual rationality, Pareto optimality
(dominance over the points; a HiGHS LP over ``conv(S)``), and the Nash
first-order condition on continuous frontiers. Second methods: brute force on a
fine parameter grid (frontiers), ``scipy.spatial.ConvexHull`` facets and a
per-edge maximisation (two-party hulls), LPs and a cvxpy ``geo_mean``
formulation (more parties). Problems come in large random batches (the
solvers are vectorised), drawn from seeded generators.
"""

import itertools

import cvxpy as cp
import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy.optimize import brentq, minimize_scalar
from scipy.spatial import ConvexHull, QhullError
from strategies import (
    CONCEPTS,
    FrontierProblem,
    hull_ideal,
    hull_pareto_gap,
    hull_ray_max,
    nash_score,
    solve,
)

import bargain as bg

EXACT = 1e-12  # two-party hulls: closed form on an edge, rounding only
LP = 1e-9  # HiGHS feasibility/optimality tolerances
CVX = 1e-6  # n > 2 Nash: interior point, then a Newton polish when its KKT check passes


def _random_problems(seed, batch, m, n, grid=None):
    """``S`` (batch, m, n) in the unit cube (on a grid ``k / grid`` if given), ``d``, ``w``."""
    rng = np.random.default_rng(seed)
    if grid:
        S = rng.integers(0, grid + 1, (batch, m, n)) / grid
        d = rng.integers(-1, grid, (batch, n)) / grid
    else:
        S = rng.random((batch, m, n))
        d = rng.uniform(-0.2, 0.8, (batch, n))
    w = rng.uniform(0.05, 1.0, (batch, n))
    return S, d, w / w.sum(axis=-1, keepdims=True)


# -- finite sets -------------------------------------------------------------------


@pytest.mark.parametrize("concept", sorted(CONCEPTS))
@pytest.mark.parametrize("n", [2, 3, 4])
@pytest.mark.parametrize("grid", [None, 4])
def test_points_certificates(concept, n, grid):
    S, d, w = _random_problems(n + (grid or 0), 2000, 6, n, grid)
    res = solve(concept, S, d, w)
    strict = np.all(S > d[:, None], axis=-1)
    assert np.array_equal(res.agreement, strict.any(axis=-1))
    a = res.agreement
    assert np.all(res.index[~a] == -1)
    assert np.array_equal(res.utilities[~a], d[~a])
    # feasible: the chosen row, exactly
    assert np.array_equal(res.utilities[a], S[a, res.index[a]])
    # individually rational (Nash: strictly)
    assert np.all(res.utilities >= d)
    if concept == "nash":
        assert np.all(res.utilities[a] > d[a])
    # Pareto optimal: no point of S dominates it
    u = res.utilities[:, None]
    dom = np.all(S >= u, axis=-1) & np.any(S > u, axis=-1)
    assert not np.any(dom[a])


def test_points_nash_is_the_brute_force_maximiser():
    S, d, w = _random_problems(7, 3000, 8, 3)
    res = bg.nash(S, d, w)
    scores = nash_score(S, d[:, None], w[:, None])
    best = scores.max(axis=-1)
    a = res.agreement
    assert np.array_equal(a, np.isfinite(best))
    assert np.array_equal(res.index[a], np.argmax(scores, axis=-1)[a])


# -- two-party hulls -----------------------------------------------------------


def _check_hull_certificates(res, S, d, tol, gap_tol, pareto_checks):
    a = np.asarray(res.agreement)
    L = res.lottery
    # feasible: a lottery whose mixture is the solution
    assert np.all(L >= 0)
    assert_allclose(L.sum(axis=-1)[a], 1.0, rtol=0, atol=1e-12)
    assert np.all(L[~a] == 0)
    assert_allclose(np.einsum("...m,...mn->...n", L, S)[a], res.utilities[a], rtol=0, atol=tol)
    assert np.array_equal(res.utilities[~a], d[~a])
    # individually rational
    assert np.all(res.utilities >= d - tol)
    # agreement iff some lottery strictly dominates d (max-min gain by LP)
    for k in range(min(pareto_checks, S.shape[0])):
        s = hull_ray_max(S[k], d[k], np.ones(S.shape[-1]))
        if abs(s) > 1e-9:
            assert a[k] == (s > 0), k
        # Pareto optimal in conv(S): the LP finds no gain in any direction
        if a[k]:
            assert hull_pareto_gap(res.utilities[k], S[k]) <= gap_tol, k


@pytest.mark.parametrize("concept", sorted(CONCEPTS))
@pytest.mark.parametrize("grid", [None, 4])
def test_hull2_certificates(concept, grid):
    S, d, w = _random_problems(11 + (grid or 0), 1000, 7, 2, grid)
    res = solve(concept, S, d, w, hull=True)
    _check_hull_certificates(res, S, d, EXACT, LP, pareto_checks=150)


def _segment_nash(P, Q, d, w):
    """Best weighted log Nash product on the segment ``[P, Q]`` (bounded Brent), or ``-inf``."""
    A, B = P - d, Q - P  # gains A + t B, each linear in t
    lo, hi = 0.0, 1.0
    for a, b in zip(A, B, strict=True):
        if b > 0:
            lo = max(lo, -a / b)
        elif b < 0:
            hi = min(hi, -a / b)
        elif a <= 0:
            return -np.inf, None
    if not lo < hi:
        return -np.inf, None
    eps = 1e-15 * (hi - lo)
    r = minimize_scalar(
        lambda t: -np.sum(w * np.log(np.maximum(A + t * B, 1e-300))),
        bounds=(lo + eps, hi - eps),
        method="bounded",
        options={"xatol": 1e-13},
    )
    t = r.x
    return -r.fun, P + t * B


def test_hull2_nash_against_edge_enumeration():
    """Nash over the hull equals the best over all segments between two points."""
    S, d, w = _random_problems(21, 150, 6, 2)
    res = bg.nash(S, d, w, hull=True)
    for k in range(S.shape[0]):
        best, arg = -np.inf, None
        for i, j in itertools.combinations_with_replacement(range(S.shape[1]), 2):
            val, u = _segment_nash(S[k, i], S[k, j], d[k], w[k])
            if val > best:
                best, arg = val, u
        assert res.agreement[k] == np.isfinite(best), k
        if res.agreement[k]:
            mine = nash_score(res.utilities[k], d[k], w[k])
            assert mine >= best - 1e-12, k  # nothing on any edge beats the solver
            assert mine - best <= 1e-9, k  # and the edge search gets there too
            assert_allclose(res.utilities[k], arg, rtol=0, atol=1e-5, err_msg=str(k))


def _convexhull_ray(S, d, r):
    """``d + s r`` with the largest ``s`` inside ``conv(S)`` from Qhull's facets, or None."""
    try:
        h = ConvexHull(S)
    except QhullError:
        return None  # flat or single-point set: no 2-d facets
    normal, offset = h.equations[:, :-1], h.equations[:, -1]
    # inside: normal . (d + s r) + offset <= 0 for every facet
    nr, slack = normal @ r, -(normal @ d + offset)
    up = slack[nr > 0] / nr[nr > 0]
    low = slack[nr < 0] / nr[nr < 0]
    s_max = up.min()
    if low.size and low.max() > s_max + 1e-12:
        return None  # the ray misses the hull
    return d + s_max * r


@pytest.mark.parametrize("concept", ["kalai_smorodinsky", "egalitarian", "utilitarian"])
def test_hull2_against_convexhull(concept):
    """KS and egalitarian: the ray's last point in ``conv(S)`` (Qhull facets); utilitarian: LP.

    The library's solution is the ray point when that is Pareto optimal, and
    dominates it (the Pareto end of a flat edge) when it is only weakly so.
    """
    S, d, w = _random_problems(31, 300, 6, 2)
    res = solve(concept, S, d, w, hull=True)
    checked = 0
    for k in range(S.shape[0]):
        if not res.agreement[k]:
            continue
        u = res.utilities[k]
        if concept == "utilitarian":
            from strategies import _lottery_lp

            lp = _lottery_lp(-(S[k] @ w[k]), S[k], d[k])
            assert_allclose(u @ w[k], -lp.fun, rtol=0, atol=LP)
            continue
        r = w[k] if concept == "egalitarian" else hull_ideal(S[k], d[k]) - d[k]
        ray = _convexhull_ray(S[k], d[k], r)
        if ray is None or np.any(ray < d[k]):
            continue
        checked += 1
        assert np.all(u >= ray - 1e-9), k
        if hull_pareto_gap(ray, S[k]) <= 1e-9:
            assert_allclose(u, ray, rtol=0, atol=1e-9, err_msg=str(k))
    assert concept == "utilitarian" or checked > 100


# -- more than two parties -------------------------------------------------------


@pytest.mark.parametrize("concept", sorted(CONCEPTS))
@pytest.mark.parametrize(("n", "m"), [(3, 5), (4, 4)])
def test_hulln_certificates(concept, n, m):
    S, d, w = _random_problems(41 + n, 12, m, n)  # one LP / cvxpy problem each: small batch
    res = solve(concept, S, d, w, hull=True)
    _check_hull_certificates(res, S, d, 1e-9, 1e-7, pareto_checks=12)


def test_hulln_nash_against_cvxpy_geo_mean():
    """An independent formulation: maximise the geometric mean of the gains over ``u``.

    Equal weights; ``geo_mean`` goes through second-order cones, not the
    exponential cone the library uses, and the variables are the utilities.
    """
    S, d, _ = _random_problems(51, 10, 5, 3)
    res = bg.nash(S, d, hull=True)
    for k in range(S.shape[0]):
        lam = cp.Variable(S.shape[1], nonneg=True)
        u = S[k].T @ lam
        prob = cp.Problem(cp.Maximize(cp.geo_mean(u - d[k])), [cp.sum(lam) == 1, u >= d[k]])
        prob.solve(solver=cp.CLARABEL)
        if prob.value is None or prob.value <= 1e-9:
            assert not res.agreement[k]
            continue
        assert res.agreement[k]
        # as good as the independent answer, to the documented accuracy (about 1e-7)
        ours = nash_score(res.utilities[k], d[k], np.full(3, 1 / 3))
        theirs = nash_score(u.value, d[k], np.full(3, 1 / 3))
        assert ours >= theirs - CVX * 0.1, k
        assert_allclose(res.utilities[k], u.value, rtol=0, atol=1e-4, err_msg=str(k))


@pytest.mark.parametrize("concept", ["kalai_smorodinsky", "egalitarian", "utilitarian"])
def test_hulln_against_lp(concept):
    S, d, w = _random_problems(61, 12, 5, 3)
    res = solve(concept, S, d, w, hull=True)
    for k in np.flatnonzero(res.agreement):
        u = res.utilities[k]
        if concept == "utilitarian":
            from strategies import _lottery_lp

            lp = _lottery_lp(-(S[k] @ w[k]), S[k], d[k])
            assert_allclose(u @ w[k], -lp.fun, rtol=0, atol=LP)
            continue
        r = w[k] if concept == "egalitarian" else hull_ideal(S[k], d[k]) - d[k]
        s = hull_ray_max(S[k], d[k], r)
        assert np.all(u >= d[k] + s * r - 1e-8), k


# -- frontiers -------------------------------------------------------------------

SPECS = [
    ("linear", "linear"),
    ("linear", ("power", 0.5)),
    (("power", 0.3), ("cara", 2.0)),
    (("log", 5.0), ("power", 0.7)),
    (("cara", 0.5), ("log", 1.0)),
]


def _frontier_batch(seed, count):
    rng = np.random.default_rng(seed)
    out = []
    for k in range(count):
        v1, v2 = SPECS[k % len(SPECS)]
        scale = tuple(rng.uniform(0.2, 4.0, 2).round(3))
        d = rng.uniform(-0.3, 0.8, 2) * np.array(scale)
        w = rng.uniform(0.1, 1.0, 2)
        out.append(FrontierProblem(v1, v2, scale, d, w / w.sum(), analytic=k % 3 != 2))
    return out


def _ir_arc(F, d):
    """The parameters ``[tl, tr]`` where the curve is weakly above ``d`` (brentq)."""
    u0, u1 = F(0.0), F(1.0)
    tl = 0.0 if u0[0] >= d[0] else brentq(lambda t: F(t)[0] - d[0], 0.0, 1.0, xtol=1e-15)
    tr = 1.0 if u1[1] >= d[1] else brentq(lambda t: F(t)[1] - d[1], 0.0, 1.0, xtol=1e-15)
    return tl, tr


def _grid_objective(concept, F, d, w, t):
    U = F(t)
    G = U - d
    G = np.where(np.abs(G) <= 1e-12 * (1 + np.abs(d)), 0.0, G)  # root-found arc ends
    if concept == "nash":
        return nash_score(U, d, w)
    if concept == "utilitarian":
        return np.where(np.all(G >= 0, axis=-1), U @ w, -np.inf)
    if concept == "kalai_smorodinsky":
        tl, tr = _ir_arc(F, d)
        r = np.array([F(tr)[0], F(tl)[1]]) - d
    else:
        r = w
    return np.where(np.all(G >= 0, axis=-1), np.min(G / r, axis=-1), -np.inf)


@pytest.mark.parametrize("concept", sorted(CONCEPTS))
def test_frontier_certificates_and_brute_force(concept):
    """On the curve, individually rational, and the grid maximiser converges to it.

    Each objective is strictly quasi-concave in ``t`` on the individually
    rational arc, so the best point of a grid of spacing ``h`` is within ``h``
    of the maximiser; two grids (``h = 1e-3``, ``1e-5``) show the convergence.
    """
    for fp in _frontier_batch(71, 40):
        F = fp.frontier()
        res = solve(concept, F, fp.d, fp.w)
        assert res.success
        tl, tr = _ir_arc(F, fp.d)
        has_arc = tl <= tr and np.all(F(0.5 * (tl + tr)) > fp.d)
        if not res.agreement:
            assert not has_arc
            assert np.array_equal(res.utilities, fp.d)
            continue
        x = float(res.x)
        assert_allclose(res.utilities, F(x), rtol=1e-15, atol=1e-300)  # on the curve
        assert np.all(res.utilities >= fp.d - 1e-12)  # individually rational
        assert tl - 1e-12 <= x <= tr + 1e-12
        for num in (1001, 100_001):
            t = np.linspace(0.0, 1.0, num)
            obj = _grid_objective(concept, F, fp.d, fp.w, t)
            h = 1.0 / (num - 1)
            slack = 1e-6 if not fp.analytic else 1e-9
            assert abs(t[np.argmax(obj)] - x) <= h + slack, (fp, num)
            best = _grid_objective(concept, F, fp.d, fp.w, np.array([x]))[0]
            assert best >= obj.max() - 1e-9 * (1 + abs(obj.max())), fp


def test_frontier_nash_first_order_conditions():
    """``w1 u1'(t) (u2 - d2) + w2 u2'(t) (u1 - d1) = 0`` at interior solutions."""
    checked = 0
    for fp in _frontier_batch(81, 60):
        F = fp.frontier()
        res = bg.nash(F, fp.d, fp.w)
        x = float(res.x)
        if not res.agreement or not 1e-9 < x < 1 - 1e-9:
            continue
        du = FrontierProblem(fp.v1, fp.v2, fp.scale, fp.d, fp.w).frontier().derivative(x)
        g = res.utilities - fp.d
        terms = np.array([fp.w[0] * du[0] * g[1], fp.w[1] * du[1] * g[0]])
        tol = 1e-9 if fp.analytic else 1e-6  # finite-difference slopes
        assert abs(terms.sum()) <= tol * np.abs(terms).max(), fp
        checked += 1
    assert checked > 30


# -- regressions: steep ends of a frontier --------------------------------------


def test_frontier_agreement_when_the_curve_is_steep_at_its_end():
    """``u = (t, (1 - t)^0.1)``, ``d = (0.99, 0)``: the point at ``t = 0.999`` is
    ``(0.999, 0.501)`` and strictly dominates ``d``, so there is an agreement.
    The library finds the max-min-gain point between the last two floats
    below 1 and takes ``t = 1``, where ``u_2 = 0 = d_2``.
    """
    F = bg.Frontier.split("linear", ("power", 0.1))
    d = np.array([0.99, 0.0])
    assert np.all(F(0.999) > d)
    for concept in CONCEPTS:
        assert solve(concept, F, d, None).agreement, concept


def test_frontier_numerical_derivative_near_a_steep_end():
    """Without ``du``: ``u_2 = 0.1 (1 - t)^0.1``; at ``t = 0.999`` the slope is ``-5.01``
    but ``Frontier.derivative`` returns ``+1.71``, and ``nash`` with ``d = (0, 0.025)``
    returns ``x = 0.99999905`` (where ``u_2 = d_2``, Nash product 0) instead of
    ``x = 0.87382`` (the answer with the analytic derivative).
    """
    F0 = bg.Frontier.split("linear", ("power", 0.1), scale=(0.1, 0.1))
    F = bg.Frontier(lambda t, *a: F0(t, *a), 0.0, 1.0, args=F0.args)
    assert_allclose(F.derivative(0.999), F0.derivative(0.999), rtol=1e-6)
    assert_allclose(bg.nash(F, [0.0, 0.025]).x, bg.nash(F0, [0.0, 0.025]).x, atol=1e-6)
