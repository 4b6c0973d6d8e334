import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bargain as bg

CONCEPTS = ["nash", "kalai_smorodinsky", "egalitarian", "utilitarian"]


def linear_pair(a, b):
    """Two parties, divisible issues: A gets share x_k (worth a_k); B keeps 1 - x_k (worth b_k)."""
    names = [f"i{k}" for k in range(len(a))]
    A = bg.Agenda(*(bg.ContinuousIssue(n) for n in names))
    pa = bg.Party("A", bg.AdditiveUtility({n: bg.Linear() for n in names}, list(a)))
    pb = bg.Party("B", bg.AdditiveUtility({n: bg.Linear(-1.0, 1.0) for n in names}, list(b)))
    return A, pa, pb


# -- logrolling ------------------------------------------------------------------------


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(
    a=st.tuples(st.floats(0.05, 1), st.floats(0.05, 1)),
    b=st.tuples(st.floats(0.05, 1), st.floats(0.05, 1)),
    f=st.floats(0, 0.9),
)
def test_logrolling_nash_matches_hand_derivation(a, b, f):
    """Two linear issues, A relatively keener on issue 0: the closed form of the Nash point.

    Frontier from B's best deal: issue 0 goes to A first (s = x_0), then issue 1. On
    the first edge the gains are (a0 s, b0 (1 - s) + b1 - dB); the Nash condition
    a0 (b0 (1 - s) + b1 - dB) = b0 a0 s gives s = (b0 + b1 - dB) / (2 b0). If s > 1
    the point lies on the second edge (x_0 = 1, y = t): gains (a0 + a1 t, b1 (1 - t) - dB)
    and a1 (b1 (1 - t) - dB) = b1 (a0 + a1 t) gives t = (a1 b1 - a1 dB - a0 b1)/(2 a1 b1).
    """
    if a[0] / b[0] <= a[1] / b[1] * (1 + 1e-6):
        a, b = a[::-1], b[::-1]
        if a[0] / b[0] <= a[1] / b[1] * (1 + 1e-6):
            return  # equal relative valuations: no logrolling to test
    dB = f * (b[0] + b[1])  # B's reservation value, below its best deal
    A, pa, pb = linear_pair(a, b)
    pb = bg.Party("B", pb.utility, dB)
    res = bg.nash(bg.Negotiation(A, [pa, pb]))
    s = (b[0] + b[1] - dB) / (2 * b[0])
    if s <= 1:
        x = (max(s, 0.0), 0.0)
    else:
        t = (a[1] * b[1] - a[1] * dB - a[0] * b[1]) / (2 * a[1] * b[1])
        x = (1.0, min(max(t, 0.0), 1.0))
    assert res.agreement
    np.testing.assert_allclose(res.coded, x, atol=1e-9)


# 100 examples: each solves two three-issue problems by root-finding (~0.1 s)
@pytest.mark.slow
@settings(max_examples=100, deadline=None)
@given(
    a=st.lists(st.floats(0.05, 1), min_size=3, max_size=3),
    b=st.lists(st.floats(0.05, 1), min_size=3, max_size=3),
)
def test_logrolling_shape_of_agreements(a, b):
    """Utilitarian: each issue to the party with the larger weight. Nash: issues go to A
    in the order of A's relative valuation, at most one issue is split."""
    A, pa, pb = linear_pair(a, b)
    neg = bg.Negotiation(A, [pa, pb])
    a, b = np.array(a), np.array(b)
    util = bg.utilitarian(neg)
    clear = np.abs(a - b) > 1e-9
    np.testing.assert_array_equal(util.coded[clear], (a > b)[clear].astype(float))
    x = bg.nash(neg).coded
    ratio = a / b
    r = np.sort(ratio)
    if np.any(np.diff(r) <= 1e-6 * r[1:]):
        return  # equal relative valuations: the split among those issues is not unique
    for j in range(3):
        for k in range(3):
            if ratio[j] > ratio[k] * (1 + 1e-9):
                assert x[j] >= x[k] - 1e-12
    assert np.sum((x > 1e-9) & (x < 1 - 1e-9)) <= 1


# -- exact continuous solver against a brute-force grid --------------------------------


def _value(draw, side):
    kind = draw(st.sampled_from(["linear", "power", "exp", "log", "ideal", "ideal1"]))
    dec = side == 1
    if kind == "linear":
        return bg.Linear(-1.0, 1.0) if dec else bg.Linear()
    if kind == "power":
        p = draw(st.floats(0.2, 1.0))
        return bg.Power(p, origin=1.0, decreasing=True) if dec else bg.Power(p)
    if kind == "exp":
        return bg.Exponential(draw(st.floats(0, 4)), origin=1.0 if dec else 0.0, decreasing=dec)
    if kind == "log":
        return bg.Logarithmic(draw(st.floats(0.1, 5)), origin=1.0 if dec else 0.0, decreasing=dec)
    loss = "quadratic" if kind == "ideal" else "linear"
    return bg.IdealPoint(draw(st.floats(0, 1)), loss=loss)


@st.composite
def two_party(draw, max_issues=2):
    K = draw(st.integers(1, max_issues))
    names = [f"i{k}" for k in range(K)]
    A = bg.Agenda(*(bg.ContinuousIssue(n) for n in names))
    parties = []
    for side in (0, 1):
        values = {n: _value(draw, side) for n in names}
        w = [draw(st.floats(0.2, 1.0)) for _ in names]
        parties.append(bg.Party(f"P{side}", bg.AdditiveUtility(values, w)))
    neg = bg.Negotiation(A, parties)
    x0 = np.array([draw(st.floats(0, 1)) for _ in names])
    d = neg.utilities(x0) - 0.01  # x0 is strictly better for both: agreement exists
    return neg, d


def _grid(neg, K):
    return neg.agenda.enumerate(grid=2001 if K == 1 else 201)


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(problem=two_party())
def test_exact_nash_beats_every_grid_point_and_the_grid_converges(problem):
    neg, d = problem
    res = bg.nash(neg, d)
    assert res.agreement and res.status == 0
    X = _grid(neg, len(neg.agenda))
    U = neg.utilities(X)
    g = U - d
    prod = np.where(np.all(g > 0, axis=1), np.prod(np.maximum(g, 0), axis=1), 0)
    best = prod.max()
    exact = np.prod(res.utilities - d)
    assert exact >= best * (1 - 1e-12) - 1e-15  # certificate: no grid point is better
    # and the exact deal is feasible: its issue values give its utilities (1e-12); with the
    # certificate above this is the whole check (the grid's maximiser itself need not be
    # near the exact one: where a party's gains are tiny the product is flat and
    # far-apart deals nearly tie)
    x = np.asarray(res.coded)
    assert np.all((x >= 0) & (x <= 1))
    np.testing.assert_allclose(neg.utilities(x), res.utilities, rtol=0, atol=1e-12)


# egalitarian / utilitarian: 60 examples (each runs several bracketing searches, ~0.1 s)
@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(problem=two_party(), concept=st.sampled_from(["egalitarian", "utilitarian"]))
def test_exact_egalitarian_utilitarian_against_grid(problem, concept):
    neg, d = problem
    res = getattr(bg, concept)(neg, d)
    X = _grid(neg, len(neg.agenda))
    U = neg.utilities(X)
    weak = np.all(U >= d, axis=1)
    if concept == "egalitarian":
        grid_best = np.max(np.min(U - d, axis=1))
        assert np.min(res.utilities - d) >= grid_best - 1e-12
    else:
        grid_best = np.max(np.where(weak, U.sum(axis=1), -np.inf))
        assert res.utilities.sum() >= grid_best - 1e-12
        assert np.all(res.utilities >= d - 1e-12)


def test_grid_converges_to_exact_solution():
    A = bg.Agenda(bg.ContinuousIssue("x"))
    neg = bg.Negotiation(
        A,
        [
            bg.Party("A", bg.AdditiveUtility({"x": bg.Exponential(3.0)})),
            bg.Party(
                "B", bg.AdditiveUtility({"x": bg.Logarithmic(2.0, origin=1, decreasing=True)})
            ),
        ],
    )
    exact = bg.nash(neg).coded[0]
    errors = [
        abs(neg.solve("nash", method="enumerate", grid=m).coded[0] - exact)
        for m in (11, 101, 1001, 10001)
    ]
    assert all(e2 <= e1 + 1e-15 for e1, e2 in itertools.pairwise(errors))
    assert errors[-1] < 1e-4
    # first-order condition of the Nash product at the exact point
    # a e^{-3x} / (1 - e^{-3x}) * ... : u1' / u1 = -u2' / u2
    x = exact
    u1, du1 = (1 - np.exp(-3 * x)) / 3, np.exp(-3 * x)
    u2, du2 = np.log1p(2 * (1 - x)) / 2, -1 / (1 + 2 * (1 - x))
    assert du1 * u2 + du2 * u1 == pytest.approx(0, abs=1e-13)


def test_mixed_agenda_matches_grid():
    A = bg.Agenda(bg.ContinuousIssue("t"), bg.DiscreteIssue("g", ["a", "b", "c"]))
    neg = bg.Negotiation(
        A,
        [
            bg.Party("U", bg.AdditiveUtility({"t": bg.Power(0.6), "g": bg.Table([0, 0.4, 0.7])})),
            bg.Party(
                "R", bg.AdditiveUtility({"t": bg.Linear(-1, 1), "g": bg.Table([0.6, 0.5, 0])})
            ),
        ],
    )
    for concept in CONCEPTS:
        exact = getattr(bg, concept)(neg)
        grid = neg.solve(concept, method="enumerate", grid=20001)
        assert exact.outcome["g"] == grid.outcome["g"], concept
        assert exact.outcome["t"] == pytest.approx(grid.outcome["t"], abs=2e-4), concept
        if concept == "nash":
            assert np.prod(exact.utilities) >= np.prod(grid.utilities) - 1e-15


# three parties: each example runs several convex programmes (~0.2 s), so 8 examples
@settings(max_examples=8, deadline=None)
@given(
    ideals=st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1)), min_size=3, max_size=3),
    concept=st.sampled_from(["nash", "egalitarian", "utilitarian"]),
)
def test_three_party_convex_against_grid(ideals, concept):
    A = bg.Agenda(bg.ContinuousIssue("x"), bg.ContinuousIssue("y"))
    parties = [
        bg.Party(f"P{i}", bg.AdditiveUtility({"x": bg.IdealPoint(p), "y": bg.IdealPoint(q)}), -1.0)
        for i, (p, q) in enumerate(ideals)
    ]
    neg = bg.Negotiation(A, parties)
    res = getattr(bg, concept)(neg)
    assert res.status == 0
    U = neg.utilities(A.enumerate(grid=101))
    g = U + 1.0
    if concept == "nash":
        best = np.max(np.sum(np.log(np.maximum(g, 1e-300)), axis=1))
        assert np.sum(np.log(res.utilities + 1)) >= best - 1e-9
    elif concept == "egalitarian":
        assert np.min(res.utilities + 1) >= np.max(np.min(g, axis=1)) - 1e-9
    else:
        np.testing.assert_allclose(res.coded, np.mean(ideals, axis=0), rtol=1e-9, atol=1e-12)


def test_three_party_nash_closed_form():
    """Shares of a pie split three ways equal the bargaining powers (Roth 1979, ch. 2)."""
    A = bg.Agenda(
        bg.ContinuousIssue("x"),
        bg.ContinuousIssue("y"),
        constraints=[bg.LinearConstraint({"x": 1, "y": 1}, ub=1)],
    )
    parties = [
        bg.Party("A", bg.AdditiveUtility({"x": bg.Linear()}), power=0.5),
        bg.Party("B", bg.AdditiveUtility({"y": bg.Power(1.0)}), power=0.3),
        bg.Party("C", bg.AdditiveUtility({"x": bg.Linear(-1, 1), "y": bg.Linear(-1)}), power=0.2),
    ]
    res = bg.nash(bg.Negotiation(A, parties))
    assert res.status == 0
    np.testing.assert_allclose(res.utilities, [0.5, 0.3, 0.2], rtol=1e-9)


# -- discrete agendas: enumeration and the issue-by-issue frontier agree ----------------


@st.composite
def discrete(draw):
    n = draw(st.integers(2, 3))
    K = draw(st.integers(1, 4))
    ks = [draw(st.integers(2, 4)) for _ in range(K)]
    issues = [bg.DiscreteIssue(f"i{k}", [f"o{j}" for j in range(ks[k])]) for k in range(K)]
    parties = []
    for i in range(n):
        tables = {
            f"i{k}": bg.Table([draw(st.integers(0, 4)) * 0.5 for _ in range(ks[k])])
            for k in range(K)
        }
        parties.append(bg.Party(f"P{i}", bg.AdditiveUtility(tables), draw(st.integers(0, 2)) * 0.5))
    return bg.Negotiation(bg.Agenda(issues), parties)


@settings(max_examples=200, deadline=None)
@given(neg=discrete(), concept=st.sampled_from(CONCEPTS))
def test_frontier_path_agrees_with_enumeration(neg, concept):
    P1, X1 = neg.pareto_frontier(method="combine")
    P2, X2 = neg.pareto_frontier(method="enumerate")
    np.testing.assert_array_equal(P1, P2)  # same vectors, same (enumeration) order
    np.testing.assert_array_equal(X1, X2)  # same representative outcomes
    e = neg.solve(concept, method="enumerate")
    f = neg.solve(concept, method="frontier")
    assert e.agreement == f.agreement
    np.testing.assert_array_equal(e.utilities, f.utilities)
    if e.agreement:
        assert e.index == f.index
        np.testing.assert_array_equal(e.coded, f.coded)


def test_large_discrete_domain_by_frontier():
    rng = np.random.default_rng(5)
    K = 10
    issues = [bg.DiscreteIssue(f"i{k}", [str(j) for j in range(10)]) for k in range(K)]
    tabs = rng.random((2, K, 10))
    parties = [
        bg.Party(f"P{i}", bg.AdditiveUtility({f"i{k}": bg.Table(tabs[i, k]) for k in range(K)}))
        for i in range(2)
    ]
    neg = bg.Negotiation(bg.Agenda(issues), parties)
    assert neg.agenda.size == 10**10
    res = bg.nash(neg, [3.0, 3.0])
    assert res.method == "frontier" and res.agreement
    codes = res.coded.astype(int)
    np.testing.assert_allclose(res.utilities, tabs[:, np.arange(K), codes].sum(axis=1))
    # no single-issue change improves the Nash product (a necessary condition)
    best = np.prod(res.utilities - 3.0)
    for k in range(K):
        for j in range(10):
            u = res.utilities + tabs[:, k, j] - tabs[:, k, codes[k]]
            assert np.prod(np.maximum(u - 3.0, 0)) <= best + 1e-12


# -- vectorisation contract ------------------------------------------------------------


@pytest.mark.parametrize("shape", [(), (3,), (2, 2)])
@pytest.mark.parametrize("agenda", ["continuous", "discrete"])
def test_batched_equals_loop(shape, agenda):
    rng = np.random.default_rng(0)
    p = rng.uniform(0.2, 1.0, shape)
    if agenda == "continuous":
        A = bg.Agenda(bg.ContinuousIssue("x"), bg.ContinuousIssue("y"))
        u1 = lambda p: bg.AdditiveUtility({"x": bg.Power(p), "y": bg.Linear()}, [0.7, 0.3])  # noqa: E731
        u2 = bg.AdditiveUtility(
            {"x": bg.Linear(-1, 1), "y": bg.Exponential(2, origin=1, decreasing=True)}
        )
    else:
        A = bg.Agenda(bg.DiscreteIssue("x", list("abcd")), bg.DiscreteIssue("y", list("abc")))
        u1 = lambda p: bg.AdditiveUtility({"x": bg.Power(p), "y": bg.Linear()})  # noqa: E731
        u2 = bg.AdditiveUtility({"x": bg.Linear(-1, 3), "y": bg.Table([2, 1, 0])})
    for concept in CONCEPTS:
        batched = getattr(bg, concept)(bg.Negotiation(A, [bg.Party("A", u1(p)), bg.Party("B", u2)]))
        assert batched.utilities.shape == shape + (2,)
        assert batched.coded.shape == shape + (2,)
        for idx in np.ndindex(*shape):
            single = getattr(bg, concept)(
                bg.Negotiation(A, [bg.Party("A", u1(p[idx])), bg.Party("B", u2)])
            )
            np.testing.assert_allclose(batched.utilities[idx], single.utilities, rtol=1e-12)
            np.testing.assert_allclose(batched.coded[idx], single.coded, atol=1e-12)


# -- status and errors -----------------------------------------------------------------


def test_no_agreement_is_a_result():
    A, pa, pb = linear_pair([1, 1], [1, 1])
    neg = bg.Negotiation(A, [bg.Party("A", pa.utility, 1.5), bg.Party("B", pb.utility, 1.0)])
    for concept in CONCEPTS:
        res = getattr(bg, concept)(neg)
        assert not res.agreement and res.status == 1
        np.testing.assert_array_equal(res.utilities, [1.5, 1.0])
        assert np.all(np.isfinite(res.coded))


def test_concavity_is_checked():
    A = bg.Agenda(bg.ContinuousIssue("x"))
    neg = bg.Negotiation(
        A,
        [
            bg.Party("A", bg.AdditiveUtility({"x": bg.Power(2.0)})),
            bg.Party("B", bg.AdditiveUtility({"x": bg.Linear(-1, 1)})),
        ],
    )
    with pytest.raises(ValueError, match=r"party 'A', issue 'x'.*not concave.*method='enumerate'"):
        bg.nash(neg)
    res = neg.solve("nash", method="enumerate", grid=1001)  # the grid handles it
    assert res.outcome["x"] == pytest.approx(2 / 3, abs=1e-3)  # max of x^2 (1 - x)


def test_bad_arguments():
    A, pa, pb = linear_pair([1], [1])
    neg = bg.Negotiation(A, [pa, pb])
    with pytest.raises(ValueError, match=r"`method`"):
        neg.solve("nash", method="magic")
    with pytest.raises(ValueError, match=r"`d` must have shape \(\.\.\., 2\)"):
        bg.nash(neg, [0, 0, 0])
    with pytest.raises(ValueError, match=r"hull=True"):
        bg.nash(neg, hull=True)
    with pytest.raises(ValueError, match=r"`grid`"):
        neg.solve("nash", grid=10)
