"""The axioms of the bargaining solutions, as Hypothesis properties.

Finite sets (2-4 parties), convex hulls (lotteries) and continuous split
frontiers. Finite-set solutions can tie exactly, and a rescaling or a
permutation of the parties can break a tie the other way: there the property is
stated for the Nash product (equal to the best within 1e-12), and the chosen
point is compared only when the maximiser is unique by a margin.
"""

import numpy as np
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from strategies import (
    CONCEPTS,
    FINE,
    FrontierProblem,
    Problem,
    comprehensive,
    dominated,
    examples,
    frontier_problems,
    hull_pareto_gap,
    nash_score,
    point_sets,
    problems,
    problems_above_d,
    solve,
    symmetric_problems,
    values,
)

import bargain as bg

TIE = 1e-12  # Nash products (logs) within this are ties
EXACT = 1e-12  # two-party hulls: closed form on an edge, rounding only
ROOT = 1e-9  # frontiers: root-finding to |dt| <= 1e-15, plus finite-difference slopes
CVX = 1e-6  # n > 2 hulls: interior point (about 1e-7) before the Newton polish

scale_factors = values(8, 0.125, 10.0)
shifts = values(4, -5.0, 5.0)


def _p(S, d, w):
    return Problem(np.array(S, dtype=float), np.array(d, dtype=float), np.array(w, dtype=float))


# -- finite sets -------------------------------------------------------------------


@given(problems())
@example(_p([[1, 0], [0, 1], [0.5, 0.5]], [0, 0], [0.5, 0.5]))
@example(_p([[0.5, 0.5], [0.5, 0.5]], [0.5, 0], [0.5, 0.5]))
def test_nash_pareto_optimal_points(p):
    res = bg.nash(p.S, p.d, p.w)
    if res.agreement:
        assert_allclose(res.utilities, p.S[res.index], rtol=0, atol=0)
        assert not dominated(res.utilities, p.S)
    else:
        assert res.index == -1
        assert_allclose(res.utilities, p.d, rtol=0, atol=0)


@given(p=problems())
@example(p=_p([[0, 1], [1, 0]], [0, 0], [0.5, 0.5]))  # only weakly above d: no agreement
def test_individually_rational_and_pareto_points(p):
    strict = np.all(p.S > p.d, axis=-1)
    for concept in CONCEPTS:
        res = solve(concept, p.S, p.d, p.w)
        assert res.agreement == bool(np.any(strict)), concept
        assert np.all(res.utilities >= p.d), concept
        if res.agreement:
            assert np.array_equal(res.utilities, p.S[res.index]), concept
            assert not dominated(res.utilities, p.S), concept
            if concept == "nash":
                assert np.all(res.utilities > p.d)


def _unique_best(scores):
    order = np.sort(scores)[::-1]
    return scores.size == 1 or order[0] - order[1] > 1e-9


def _perm(perm4, n):
    """A permutation of ``range(n)`` from one of ``range(4)``."""
    return np.array([k for k in perm4 if k < n])


permutations4 = st.permutations(range(4))
factors4 = st.lists(scale_factors, min_size=4, max_size=4).map(np.array)
shifts4 = st.lists(shifts, min_size=4, max_size=4).map(np.array)
masks8 = st.lists(st.booleans(), min_size=8, max_size=8).map(np.array)


@given(problems(), permutations4)
@example(_p([[1, 0.5], [0.5, 1]], [0, 0], [0.5, 0.5]), [1, 0, 2, 3])  # exact tie under swap
def test_nash_permuting_parties_permutes_solution_points(p, perm4):
    n = p.S.shape[1]
    perm = _perm(perm4, n)
    a = bg.nash(p.S, p.d, p.w)
    b = bg.nash(p.S[:, perm], p.d[perm], p.w[perm])
    assert a.agreement == b.agreement
    if not a.agreement:
        assert_allclose(b.utilities, p.d[perm], rtol=0, atol=0)
        return
    scores = nash_score(p.S, p.d, p.w)
    assert abs(nash_score(b.utilities[np.argsort(perm)], p.d, p.w) - scores.max()) <= TIE
    if _unique_best(scores):
        assert_allclose(b.utilities, a.utilities[perm], rtol=0, atol=0)


@given(problems(resolution=FINE), factors4, shifts4)
def test_nash_invariant_to_affine_rescaling_points(p, a, b):
    n = p.S.shape[1]
    a, b = a[:n], b[:n]
    r0 = bg.nash(p.S, p.d, p.w)
    r1 = bg.nash(a * p.S + b, a * p.d + b, p.w)
    assert r0.agreement == r1.agreement
    if not r0.agreement:
        return
    scores = nash_score(p.S, p.d, p.w)
    assert abs(scores[r1.index] - scores.max()) <= TIE
    if _unique_best(scores):
        assert r1.index == r0.index
    assert_allclose(r1.utilities, a * p.S[r1.index] + b, rtol=1e-15, atol=1e-14)


@given(problems(m=st.integers(1, 8)), masks8)
@example(_p([[0.5, 0.5], [1, 0.25], [0.5, 0.5]], [0, 0], [0.5, 0.5]), np.zeros(8, bool))
def test_nash_independent_of_irrelevant_alternatives_points(p, keep):
    m = p.S.shape[0]
    r0 = bg.nash(p.S, p.d, p.w)
    assume(r0.agreement)
    keep = keep[:m].copy()
    keep[r0.index] = True
    r1 = bg.nash(p.S[keep], p.d, p.w)
    assert r1.agreement
    # ties go to the first index, and removing points keeps the order
    assert np.flatnonzero(keep)[r1.index] == r0.index


# -- two-party hulls -----------------------------------------------------------


@pytest.mark.slow
@given(problems(n=2))
@example(_p([[1, 0], [0, 1]], [0, 0], [0.5, 0.5]))
@example(_p([[0, 0], [1, 0], [0, 1], [1, 0.7]], [0, 0], [0.5, 0.5]))
def test_nash_pareto_optimal_hull(p):
    res = bg.nash(p.S, p.d, p.w, hull=True)
    if res.agreement:
        assert hull_pareto_gap(res.utilities, p.S) <= 1e-9
    else:
        assert_allclose(res.utilities, p.d, rtol=0, atol=0)


@pytest.mark.slow
@given(p=problems(n=2))
def test_individually_rational_hull(p):
    for concept in CONCEPTS:
        res = solve(concept, p.S, p.d, p.w, hull=True)
        assert np.all(res.utilities >= p.d - EXACT), concept
        if concept == "nash" and res.agreement:
            assert np.all(res.utilities > p.d)


@pytest.mark.slow
@given(p=symmetric_problems(n=2))
@example(p=_p([[1, 0], [0, 1]], [0, 0], [0.5, 0.5]))
def test_symmetric_problem_equal_utilities_hull(p):
    for concept in ("nash", "kalai_smorodinsky", "egalitarian"):
        res = solve(concept, p.S, p.d, p.w, hull=True)
        assert_allclose(res.utilities[0], res.utilities[1], rtol=0, atol=EXACT, err_msg=concept)


def _check_swap_hull(concept, p):
    a = solve(concept, p.S, p.d, p.w, hull=True)
    b = solve(concept, p.S[:, ::-1], p.d[::-1], p.w[::-1], hull=True)
    assert a.agreement == b.agreement
    if concept == "utilitarian":  # maximisers can form a whole edge: compare the value
        assert_allclose(b.utilities @ p.w[::-1], a.utilities @ p.w, rtol=0, atol=EXACT)
    else:
        assert_allclose(b.utilities[::-1], a.utilities, rtol=0, atol=EXACT, err_msg=concept)


@pytest.mark.slow
@given(p=problems(n=2))
def test_nash_swapping_parties_swaps_solution_hull(p):
    _check_swap_hull("nash", p)


@pytest.mark.slow
@settings(max_examples=examples(4))  # not one of the required axioms: fewer examples
@given(p=problems(n=2))
def test_others_swapping_parties_swaps_solution_hull(p):
    for concept in ("kalai_smorodinsky", "egalitarian", "utilitarian"):
        _check_swap_hull(concept, p)


@pytest.mark.slow
@given(
    p=problems(n=2),
    a=st.lists(scale_factors, min_size=2, max_size=2),
    b=st.lists(shifts, min_size=2, max_size=2),
)
def test_invariant_to_affine_rescaling_hull(p, a, b):
    """Nash and Kalai–Smorodinsky are invariant to positive affine rescaling."""
    a, b = np.array(a), np.array(b)
    for concept in ("nash", "kalai_smorodinsky"):
        r0 = solve(concept, p.S, p.d, p.w, hull=True)
        r1 = solve(concept, a * p.S + b, a * p.d + b, p.w, hull=True)
        assert r0.agreement == r1.agreement
        atol = 1e-11 * (1 + np.abs(b).max())
        assert_allclose(r1.utilities, a * r0.utilities + b, rtol=0, atol=atol, err_msg=concept)


@pytest.mark.slow
@given(problems(n=2, m=st.integers(1, 8)), masks8)
@example(_p([[0, 0], [1, 0], [0, 1], [1, 0.7]], [0, 0], [0.5, 0.5]), np.zeros(8, bool))
def test_nash_independent_of_irrelevant_alternatives_hull(p, keep):
    r0 = bg.nash(p.S, p.d, p.w, hull=True)
    assume(r0.agreement)
    keep = keep[: p.S.shape[0]]
    T = np.vstack([p.S[keep], r0.utilities])  # conv(T) within conv(S), holds the solution
    r1 = bg.nash(T, p.d, p.w, hull=True)
    assert r1.agreement
    assert_allclose(r1.utilities, r0.utilities, rtol=0, atol=EXACT)


@pytest.mark.slow
@given(
    p=problems_above_d(n=2), extra=point_sets(2, st.integers(1, 4), FINE), j=st.sampled_from([0, 1])
)
@example(
    p=_p([[0, 0], [1, 0], [0, 1], [0.75, 0.75]], [0, 0], [0.5, 0.5]),
    extra=np.array([[1.0, 0.7]]),
    j=1,
)  # Kalai & Smorodinsky (1975): party 2 gains from the larger set
def test_kalai_smorodinsky_individually_monotone_hull(p, extra, j):
    """Enlarge the set for party ``j``, other party's ideal fixed: ``j`` does not lose."""
    i = 1 - j
    S = comprehensive(p.S, p.d)
    ideal = S.max(axis=0)
    # new points above d, never beyond the other party's ideal
    extra = p.d + extra * (np.array([2.0, 2.0]) * (ideal - p.d + 0.1))
    extra[:, i] = np.minimum(extra[:, i], ideal[i])
    T = comprehensive(np.vstack([p.S, extra]), p.d)
    assert T.max(axis=0)[i] == ideal[i]
    r0 = bg.kalai_smorodinsky(S, p.d, hull=True)
    r1 = bg.kalai_smorodinsky(T, p.d, hull=True)
    assert r1.utilities[j] >= r0.utilities[j] - EXACT


@pytest.mark.slow
@given(p=problems_above_d(n=2), extra=point_sets(2, st.integers(1, 4), FINE))
@example(
    p=_p([[1, 1]], [0, 0], [0.5, 1]), extra=np.array([[0.2, 1.0]])
)  # the ray meets a weakly Pareto edge of S: the Pareto end dominates the ray point
def test_egalitarian_monotone_hull(p, extra):
    """A larger set leaves every party weakly better than the ray point ``d + s w`` of ``S``.

    The solution is Pareto-refined: when the ray meets a flat (weakly Pareto)
    edge, the solution is that edge's Pareto end, which does better than the ray
    point. Every party's payoff in the larger set is at least the ray point of
    the smaller set, and when the smaller set's solution is on its ray, at
    least that solution (Kalai 1977, monotonicity).
    """
    S = comprehensive(p.S, p.d)
    top = S.max(axis=0)
    T = comprehensive(np.vstack([p.S, p.d + extra * 2.0 * (top - p.d + 0.1)]), p.d)
    r0 = bg.egalitarian(S, p.d, p.w, hull=True)
    r1 = bg.egalitarian(T, p.d, p.w, hull=True)
    gains = (r0.utilities - p.d) / p.w
    level = gains.min()
    assert np.all(r1.utilities >= p.d + level * p.w - EXACT)
    if gains.max() - level <= 1e-12:
        assert np.all(r1.utilities >= r0.utilities - EXACT)


# -- more than two parties (one LP / cvxpy problem each: fewer examples) ---------


@settings(max_examples=examples(8))
@given(symmetric_problems(n=st.integers(3, 4)))
def test_nash_symmetric_problem_equal_utilities_hull_n(p):
    res = bg.nash(p.S, p.d, hull=True)
    assert_allclose(res.utilities, np.full(p.S.shape[1], res.utilities.mean()), rtol=0, atol=CVX)


@settings(max_examples=examples(8))
@given(problems(n=st.integers(3, 4), m=st.integers(1, 5)), permutations4, factors4, shifts4)
def test_nash_permutation_and_rescaling_hull_n(p, perm4, a, b):
    n = p.S.shape[1]
    perm, a, b = _perm(perm4, n), a[:n], b[:n]
    r0 = bg.nash(p.S, p.d, p.w, hull=True)
    r1 = bg.nash((a * p.S + b)[:, perm], (a * p.d + b)[perm], p.w[perm], hull=True)
    assert r0.agreement == r1.agreement
    assert_allclose(r1.utilities, (a * r0.utilities + b)[perm], rtol=0, atol=CVX * (a.max() + 1))
    if r0.agreement:
        assert hull_pareto_gap(r0.utilities, p.S) <= 1e-7
        assert np.all(r0.utilities > p.d)


@settings(max_examples=examples(8))
@given(p=problems(n=st.integers(3, 4), m=st.integers(1, 5)))
def test_individually_rational_and_pareto_hull_n(p):
    for concept in CONCEPTS:
        res = solve(concept, p.S, p.d, p.w, hull=True)
        assert np.all(res.utilities >= p.d - CVX), concept
        if res.agreement:
            assert hull_pareto_gap(res.utilities, p.S) <= 1e-7, concept


# -- frontiers -------------------------------------------------------------------


def _tol(fp):
    return ROOT if fp.analytic else 1e-6  # finite-difference slopes: about 1e-10 relative


@pytest.mark.slow
@given(fp=frontier_problems(analytic=st.booleans()))
@example(
    fp=FrontierProblem("linear", ("power", 0.5), (1.0, 1.0), np.zeros(2), np.full(2, 0.5)),
)
def test_pareto_optimal_and_individually_rational_frontier(fp):
    for concept in CONCEPTS:
        _check_frontier_solution(concept, fp)


def _check_frontier_solution(concept, fp):
    F = fp.frontier()
    res = solve(concept, F, fp.d, fp.w)
    assert 0.0 <= res.x <= 1.0
    assert res.success
    if res.agreement:
        # split frontiers are strictly monotone: every curve point is Pareto optimal
        assert_allclose(res.utilities, F(res.x), rtol=1e-15, atol=1e-300)
        assert np.all(res.utilities >= fp.d - 1e-12 * np.array(fp.scale))
        if concept == "nash":
            assert np.all(res.utilities > fp.d)
    else:
        assert_allclose(res.utilities, fp.d, rtol=0, atol=0)
        assert not np.all(F(np.linspace(0, 1, 1001)) > fp.d, axis=-1).any()


@pytest.mark.slow
@given(
    v=frontier_problems().map(lambda fp: fp.v1),
    s=values(100, 0.1, 5.0),
    c=values(100, -0.3, 0.9),
    analytic=st.booleans(),
)
def test_symmetric_problem_equal_utilities_frontier(v, s, c, analytic):
    fp = FrontierProblem(v, v, (s, s), np.array([c, c]) * s, np.full(2, 0.5), analytic)
    for concept in ("nash", "kalai_smorodinsky", "egalitarian"):
        res = solve(concept, fp.frontier(), fp.d, fp.w)
        assert_allclose(res.x, 0.5, rtol=0, atol=_tol(fp), err_msg=concept)
        assert_allclose(res.utilities[0], res.utilities[1], rtol=_tol(fp), atol=1e-12)


@pytest.mark.slow
@given(fp=frontier_problems())
def test_nash_swapping_parties_swaps_solution_frontier(fp):
    _check_swap_frontier("nash", fp)


@settings(max_examples=examples(4))  # not one of the required axioms: fewer examples
@given(fp=frontier_problems())
def test_others_swapping_parties_swaps_solution_frontier(fp):
    for concept in ("kalai_smorodinsky", "egalitarian", "utilitarian"):
        _check_swap_frontier(concept, fp)


def _check_swap_frontier(concept, fp):
    a = solve(concept, fp.frontier(), fp.d, fp.w)
    sw = fp.swapped()
    b = solve(concept, sw.frontier(), sw.d, sw.w)
    assert a.agreement == b.agreement
    if concept == "utilitarian":  # linear frontiers tie everywhere: compare the value
        assert_allclose(b.utilities[::-1] @ fp.w, a.utilities @ fp.w, rtol=_tol(fp), atol=1e-15)
        return
    if a.agreement:
        assert_allclose(b.x, 1.0 - a.x, rtol=0, atol=_tol(fp))
    # t and 1 - t round differently; near a steep end that moves the utilities by
    # |u'(t)| times the spacing of floats near 1
    slope = np.nan_to_num(np.abs(fp.frontier().derivative(a.x)), posinf=1e300).max()
    atol = _tol(fp) * max(fp.scale) + 4 * np.finfo(float).eps * slope
    assert_allclose(b.utilities[::-1], a.utilities, rtol=_tol(fp), atol=atol)


def _rescaled(F, a, b):
    return bg.Frontier(
        lambda t, *args: a * F(t, *args) + b,
        0.0,
        1.0,
        du=lambda t, *args: a * F.derivative(t, *args),
        args=F.args,
    )


@pytest.mark.slow
@given(
    fp=frontier_problems(),
    a=st.lists(scale_factors, min_size=2, max_size=2),
    b=st.lists(shifts, min_size=2, max_size=2),
)
def test_invariant_to_affine_rescaling_frontier(fp, a, b):
    """Nash and Kalai–Smorodinsky: same parameter ``x``, rescaled utilities."""
    a, b = np.array(a), np.array(b)
    F = fp.frontier()
    for concept in ("nash", "kalai_smorodinsky"):
        r0 = solve(concept, F, fp.d, fp.w)
        r1 = solve(concept, _rescaled(F, a, b), a * fp.d + b, fp.w)
        assert r0.agreement == r1.agreement
        if r0.agreement:
            assert_allclose(r1.x, r0.x, rtol=0, atol=_tol(fp), err_msg=concept)
        atol = _tol(fp) * (1 + np.abs(b).max())
        assert_allclose(r1.utilities, a * r0.utilities + b, rtol=_tol(fp), atol=atol)


@pytest.mark.slow
@given(fp=frontier_problems(), cut=st.tuples(values(100, 0, 0.99), values(100, 0, 0.99)))
def test_nash_independent_of_irrelevant_alternatives_frontier(fp, cut):
    F = fp.frontier()
    r0 = bg.nash(F, fp.d, fp.w)
    assume(r0.agreement)
    lo, hi = r0.x * cut[0], r0.x + (1.0 - r0.x) * (1.0 - cut[1])
    assume(hi > lo)
    G = bg.Frontier(
        lambda t, *a: F(t, *a), lo, hi, du=lambda t, *a: F.derivative(t, *a), args=F.args
    )
    r1 = bg.nash(G, fp.d, fp.w)
    assert r1.agreement
    assert_allclose(r1.x, r0.x, rtol=0, atol=_tol(fp))


@pytest.mark.slow
@given(fp=frontier_problems(), k=values(100, 1.0, 3.0), j=st.sampled_from([0, 1]))
def test_kalai_smorodinsky_individually_monotone_frontier(fp, k, j):
    """Scale party ``j``'s utility up by ``k >= 1``; with ``d_i <= 0`` the other's ideal stays."""
    d = fp.d.copy()
    d[j] = min(d[j], 0.0)  # the arc starts where party j gets 0: the other's ideal is s_i
    small = FrontierProblem(fp.v1, fp.v2, fp.scale, d, fp.w, fp.analytic)
    big_scale = tuple(s * (k if q == j else 1.0) for q, s in enumerate(fp.scale))
    big = FrontierProblem(fp.v1, fp.v2, big_scale, d, fp.w, fp.analytic)
    r0 = bg.kalai_smorodinsky(small.frontier(), d)
    r1 = bg.kalai_smorodinsky(big.frontier(), d)
    assert r1.utilities[j] >= r0.utilities[j] - _tol(fp) * big_scale[j]


@pytest.mark.slow
@given(fp=frontier_problems(), k=st.tuples(values(100, 1.0, 3.0), values(100, 1.0, 3.0)))
def test_egalitarian_monotone_frontier(fp, k):
    big = FrontierProblem(
        fp.v1, fp.v2, (fp.scale[0] * k[0], fp.scale[1] * k[1]), fp.d, fp.w, fp.analytic
    )
    r0 = bg.egalitarian(fp.frontier(), fp.d, fp.w)
    r1 = bg.egalitarian(big.frontier(), fp.d, fp.w)
    tol = _tol(fp) * max(big.scale)
    gains = (r0.utilities - fp.d) / fp.w
    level = gains.min()
    assert np.all(r1.utilities >= fp.d + level * fp.w - tol)
    if r0.agreement and gains.max() - level <= 1e-9 * max(fp.scale):
        assert np.all(r1.utilities >= r0.utilities - tol)
