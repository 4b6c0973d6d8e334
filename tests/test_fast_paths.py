"""The fast paths give the same answers as the exact passes they shortcut.

Each test compares a shortcut with the computation it replaces, on random and on
deliberately degenerate inputs (ties, duplicates, points on a curve): the hull-candidate
prefilter of the Pareto chain and the bin prefilter of the 2-D frontier (bit-for-bit the
same output), the option-grid utilities (bit-for-bit the per-outcome sums), Spearman's
rho (scipy.stats to 1e-12), and the closed-form ZOPA of one linear divisible issue (the
per-piece linear programmes to 1e-9).
"""

import importlib

import numpy as np
import pytest
from scipy.stats import spearmanr

import bargain as bg
from bargain.analysis._sensitivity import _ranks
from bargain.issues._combine import _prune_2d, _sorted_prune
from bargain.utility._chain import _chain, pareto_chain


def _sets(rng, trial, m):
    B = int(rng.integers(1, 12))
    kind = trial % 4
    if kind == 0:
        return rng.random((B, m, 2))
    if kind == 1:
        return np.round(rng.random((B, m, 2)), 1)  # many ties and duplicates
    if kind == 2:  # every point on a concave curve: all Pareto, many hull vertices
        t = rng.random((B, m))
        return np.stack([t, 1 - t ** rng.uniform(0.3, 3)], axis=-1)
    S = np.round(rng.random((B, m, 2)) * 3) / 3
    S[:, : m // 2] = S[:, :1]  # half the points copies of one
    return S


@pytest.mark.parametrize("trial", range(40))
def test_chain_prefilter_is_exact(trial):
    rng = np.random.default_rng(trial)
    S = _sets(rng, trial, int(rng.integers(65, 500)))
    for got, want in zip(pareto_chain(S), _chain(S), strict=True):
        assert np.array_equal(got, want)


@pytest.mark.parametrize("trial", range(24))
def test_frontier_prefilter_is_exact(trial):
    rng = np.random.default_rng(100 + trial)
    S = _sets(rng, trial, int(rng.integers(4097, 30000)))[0]
    assert np.array_equal(_prune_2d(S), _sorted_prune(S))


def test_frontier_prefilter_skips_a_degenerate_range():
    S = np.column_stack([np.full(5000, 0.5), np.linspace(0, 1, 5000)])  # one u1 value
    assert np.array_equal(_prune_2d(S), _sorted_prune(S))
    assert _prune_2d(S).tolist() == [4999]


def _random_negotiation(rng, constrained):
    K = int(rng.integers(2, 5))
    issues = [
        bg.DiscreteIssue(f"i{k}", [f"o{j}" for j in range(int(rng.integers(2, 6)))])
        for k in range(K)
    ]
    cons = ()
    if constrained:
        cons = bg.Requires({"i0": "o1"}, {"i1": ["o0"]})
    parties = []
    for p in range(3):
        values = {}
        for issue in issues:
            if rng.random() < 0.2:
                continue  # a party indifferent to an issue
            if rng.random() < 0.5:
                values[issue.name] = bg.Table(rng.random((4, issue.k)))  # a batch of four
            else:
                values[issue.name] = bg.Power(rng.uniform(0.3, 1.0, 4))
        if not values:
            values[issues[0].name] = bg.Linear()
        parties.append(bg.Party(f"P{p}", bg.AdditiveUtility(values)))
    return bg.Negotiation(bg.Agenda(*issues, constraints=cons), parties)


@pytest.mark.parametrize("trial", range(12))
def test_grid_utilities_are_the_per_outcome_sums(trial):
    rng = np.random.default_rng(trial)
    neg = _random_negotiation(rng, constrained=trial % 2 == 1)
    X = neg.agenda.enumerate()
    U = neg.coded_utilities(X)
    for i, b in enumerate(neg.bound):  # the reference: each outcome's sum, issue by issue
        assert np.array_equal(U[..., i], np.broadcast_to(b.evaluate(X), U.shape[:-1]))
    few = X[rng.choice(len(X), size=3)]  # sparse outcomes take the per-issue gather
    V = neg.coded_utilities(few)
    for i, b in enumerate(neg.bound):
        assert np.array_equal(V[..., i], np.broadcast_to(b.evaluate(few), V.shape[:-1]))


def test_enumerated_frontier_matches_the_combined_one():
    rng = np.random.default_rng(5)
    issues = [bg.DiscreteIssue(f"i{k}", [f"o{j}" for j in range(9)]) for k in range(5)]
    t = rng.random((2, 5, 9))
    parties = [
        bg.Party(f"P{p}", bg.AdditiveUtility({f"i{k}": bg.Table(t[p, k]) for k in range(5)}))
        for p in range(2)
    ]
    neg = bg.Negotiation(bg.Agenda(*issues), parties)
    pe, xe = neg.pareto_frontier(method="enumerate")
    pc, xc = neg.pareto_frontier(method="combine")
    assert np.array_equal(pe, pc) and np.array_equal(xe, xc)


@pytest.mark.parametrize("trial", range(20))
def test_spearman_ranks_match_scipy(trial):
    rng = np.random.default_rng(trial)
    n = int(rng.integers(3, 400))
    x = np.round(rng.random(n), int(rng.integers(1, 4)))  # ties
    y = np.round(rng.random(n) + x, 2)
    if np.ptp(x) == 0 or np.ptp(y) == 0:
        pytest.skip("constant column")
    rho = np.corrcoef(_ranks(x), _ranks(y))[0, 1]
    assert abs(rho - spearmanr(x, y)[0]) <= 1e-12


def _lp_zopa(neg):
    """The ZOPA with every piece solved by its linear programmes."""
    return importlib.import_module("bargain.zopa._issues").issue_zopa(neg, closed_form=False)


@pytest.mark.parametrize("trial", range(16))
def test_linear_issue_zopa_matches_the_linear_programmes(trial):
    rng = np.random.default_rng(trial)
    issues = [
        bg.ContinuousIssue("x", 0.0, float(rng.uniform(0.5, 2.0))),
        bg.DiscreteIssue("a", ["p", "q", "r"]),
        bg.DiscreteIssue("b", ["s", "t"]),
    ]
    cons = ()
    if trial % 3 == 0:
        cons = bg.LinearConstraint({"x": 1.0}, lb=0.1, ub=float(rng.uniform(0.3, 0.5)))
    n = 2 + trial % 2
    parties = []
    for p in range(n):
        slope = rng.uniform(-1, 1, 3)  # a batch of three
        values = {
            "x": bg.Linear(slope, rng.uniform(0, 1, 3)),
            "a": bg.Table(rng.random(3)),
            "b": bg.Table(rng.random(2)),
        }
        parties.append(bg.Party(f"P{p}", bg.AdditiveUtility(values), rng.uniform(0.2, 0.6, 3)))
    neg = bg.Negotiation(bg.Agenda(*issues, constraints=cons), parties)
    z, zl = bg.zopa(neg), _lp_zopa(neg)
    assert np.allclose(z.slack, zl.slack, rtol=0, atol=1e-9)
    assert np.allclose(z.share, zl.share, rtol=0, atol=1e-9)
    for name in z.ranges:
        a, b = np.asarray(z.ranges[name], float), np.asarray(zl.ranges[name], float)
        assert np.allclose(a, b, rtol=0, atol=1e-9, equal_nan=True), name


# -- continuous Nash: Newton in issue space against the frontier method ----------------


def _smooth_problem(B, seed, kinds=("power", "exp", "log", "linear")):
    rng = np.random.default_rng(seed)

    def value(kind, decreasing):
        if kind == "power":
            e = rng.uniform(0.2, 0.95, B)
            return bg.Power(e, origin=1.0, decreasing=True) if decreasing else bg.Power(e)
        if kind == "exp":
            a = rng.uniform(0.3, 3.0, B)
            return (
                bg.Exponential(a, origin=1.0, decreasing=True) if decreasing else bg.Exponential(a)
            )
        if kind == "log":
            a = rng.uniform(0.5, 5.0, B)
            return (
                bg.Logarithmic(a, origin=1.0, decreasing=True) if decreasing else bg.Logarithmic(a)
            )
        return bg.Linear(-1.0, 1.0) if decreasing else bg.Linear()

    k1, k2, k3 = (kinds[rng.integers(len(kinds))] for _ in range(3))
    A = bg.Agenda(bg.ContinuousIssue("x"), bg.ContinuousIssue("y"), bg.ContinuousIssue("z"))
    w1 = rng.dirichlet([1, 1, 1], B)
    w2 = rng.dirichlet([1, 1, 1], B)
    one = bg.AdditiveUtility(
        {"x": value(k1, False), "y": value(k2, False), "z": value(k3, False)}, w1
    )
    two = bg.AdditiveUtility({"x": value(k2, True), "y": value(k3, True), "z": value(k1, True)}, w2)
    d = rng.uniform(0.0, 0.3, (B, 2))
    neg = bg.Negotiation(A, [bg.Party("A", one, d[:, 0]), bg.Party("B", two, d[:, 1])])
    return neg


@pytest.mark.parametrize("seed", range(6))
def test_newton_nash_equals_the_frontier_method(seed, monkeypatch):
    from bargain.issues import _separable

    neg = _smooth_problem(400, seed)
    fast = bg.nash(neg)
    monkeypatch.setattr(_separable, "smooth", lambda P: False)  # the frontier method only
    slow = bg.nash(neg)
    np.testing.assert_array_equal(fast.agreement, slow.agreement)
    np.testing.assert_allclose(fast.utilities, slow.utilities, rtol=0, atol=1e-9)
    # the same optimum of the log Nash product, to rounding
    d = neg.reservation
    with np.errstate(divide="ignore"):
        f_fast = np.log(fast.utilities - d).sum(-1)
        f_slow = np.log(slow.utilities - d).sum(-1)
    ok = np.asarray(fast.agreement)
    assert np.all(f_fast[ok] >= f_slow[ok] - 1e-12)


def test_newton_leaves_boundary_optima_to_the_frontier_method():
    from bargain.issues import _separable
    from bargain.issues._solve import _SepEngine
    from bargain.issues._terms import discrete_offsets, option_combinations

    # linear values: the Nash point is a vertex of the box (logrolling), never interior
    neg = _smooth_problem(50, 3, kinds=("linear",))
    combos = option_combinations(neg.agenda)
    offsets = np.broadcast_to(
        discrete_offsets(neg, combos, neg.batch_shape), neg.batch_shape + (1, 2)
    )
    eng = _SepEngine(neg, neg.batch_shape, combos, offsets)
    _, _, ok = _separable.nash_newton(eng.P, neg.reservation, np.full((50, 2), 0.5))
    assert not ok.any()
    res = bg.nash(neg)  # still solved, by the frontier method
    assert np.asarray(res.agreement).all()
