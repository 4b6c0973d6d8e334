"""Rubinstein alternating offers: closed forms, scalar baselines, vectorisation, bad input.

Every expected number here comes from outside the library: closed forms,
``scipy.optimize.brentq`` per problem on plain-Python utility functions, or
backward induction written out as a scalar loop.
"""

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy.optimize import brentq

import bargain as bg

ROOT = 1e-12  # root-finding on a frontier: |dt| <= 1e-15 plus the brentq baseline's 1e-14
BRENT = dict(xtol=1e-15, rtol=4 * np.finfo(float).eps, maxiter=500)


# -- independent scalar references ------------------------------------------------------


def pie_closed_form(d1, d2):
    return (1 - d2) / (1 - d1 * d2)


def split_scalar(p1, p2):
    """u = (t**p1, (1 - t)**p2): plain-Python scalar functions and inverses."""
    return (
        lambda t: t**p1,
        lambda t: (1 - t) ** p2,
        lambda v: v ** (1 / p1),  # smallest t with u1(t) >= v (v in [0, 1])
        lambda v: 1 - v ** (1 / p2),  # largest t with u2(t) >= v
    )


def spe_brentq(u1, u2, inv1, a, d=(0.0, 0.0), w=(-math.inf, -math.inf)):
    """Stationary SPE on [0, 1] by brentq on x, with y from the inverse of u1."""
    a1, a2 = a
    d1, d2 = d
    w1, w2 = w

    def y_of(x):
        return inv1(min(1.0, max(0.0, d1 + max(w1 - d1, a1 * (u1(x) - d1)))))

    def g(x):
        return (u2(x) - d2) - max(w2 - d2, a2 * (u2(y_of(x)) - d2))

    lo = inv1(max(d1, w1, 0.0))
    hi = 1.0
    x = hi if g(hi) >= 0 else brentq(g, lo, hi, **BRENT)
    return x, y_of(x)


def pie_backward(a, T, d=(0.0, 0.0), w=(-math.inf, -math.inf)):
    """Finite-horizon pie by backward induction from the last round (scalar loop).

    Returns party 1's share when party 1 proposes first and when party 2 does.
    """
    out = []
    for first in (0, 1):
        # rounds T, T-1, ..., 1; proposer of round k is `first` if k is odd
        value = list(d)  # after the last rejection: the disagreement point
        for k in range(T, 0, -1):
            prop = first if k % 2 == 1 else 1 - first
            resp = 1 - prop
            need = max(w[resp], d[resp] + (a[resp] * (value[resp] - d[resp]) if k < T else 0))
            share = [0.0, 0.0]
            share[resp] = need
            share[prop] = 1 - need
            value = share
        out.append(value[0])
    return out


# -- the unit pie --------------------------------------------------------------------------


def test_pie_closed_form_grid():
    g = np.linspace(0.05, 0.95, 19)
    D1, D2 = np.meshgrid(g, g, indexing="ij")
    delta = np.stack([D1, D2], axis=-1)
    res = bg.rubinstein(delta)
    assert res.utilities.shape == (19, 19, 2)
    assert_allclose(res.x, pie_closed_form(D1, D2), rtol=1e-13)
    res2 = bg.rubinstein(delta, first=1)
    assert_allclose(res2.utilities[..., 1], pie_closed_form(D2, D1), rtol=1e-13)
    assert np.all(res.agreement) and np.all(res.status == 0)
    assert_allclose(res.utilities.sum(-1), 1.0, rtol=1e-15)


def test_pie_accuracy_near_one():
    # 1 - a1 a2 is formed as (1 - a1) + a1 (1 - a2), so patience near 1 loses no accuracy
    e = np.array([1e-3, 1e-6, 1e-9])
    res = bg.rubinstein(np.stack([1 - e, 1 - 2 * e], axis=-1))
    exact = 2 * e / (e + 2 * e - 2 * e * e)  # (1 - d2)/(1 - d1 d2) in exact terms of e
    assert_allclose(res.x, exact, rtol=1e-7)  # limited by the representation of 1 - e


def test_pie_with_disagreement_and_breakdown():
    d = np.array([0.3, 0.1])
    res = bg.rubinstein([0.8, 0.7], None, d, breakdown=0.25)
    a = 0.75 * np.array([0.8, 0.7])
    x = d[0] + (1 - d.sum()) * (1 - a[1]) / (1 - a[0] * a[1])
    assert_allclose(res.utilities, [x, 1 - x], rtol=1e-14)
    assert_allclose(res.proposals_x, [x, d[0] + a[0] * (x - d[0])], rtol=1e-14)


def test_pie_outside_options_match_fixed_point_iteration():
    rng = np.random.default_rng(1)
    n = 300
    delta = rng.uniform(0.05, 0.95, (n, 2))
    d = rng.uniform(0, 0.3, (n, 2))
    w = rng.uniform(0, 0.6, (n, 2))
    p = rng.uniform(0, 0.3, n)
    res = bg.rubinstein(delta, None, d, breakdown=p, outside=w)
    a = (1 - p)[:, None] * delta
    for k in range(n):
        if max(d[k, 0], w[k, 0]) + max(d[k, 1], w[k, 1]) >= 1:
            assert not res.agreement[k]
            continue
        # the Shaked-Sutton map iterated to its fixed point
        x = 1.0
        for _ in range(2000):
            y = d[k, 0] + max(w[k, 0] - d[k, 0], a[k, 0] * (x - d[k, 0]))
            x = 1 - d[k, 1] - max(w[k, 1] - d[k, 1], a[k, 1] * (1 - y - d[k, 1]))
        assert res.agreement[k]
        assert_allclose(res.proposals_x[k], [x, y], rtol=0, atol=1e-13)


def test_outside_option_principle():
    delta = [0.9, 0.8]
    base = bg.rubinstein(delta).utilities
    for w2 in [0.0, 0.1, base[1] * 0.999]:
        assert_allclose(bg.rubinstein(delta, outside=[0, w2]).utilities, base, rtol=1e-15)
    for w2 in [base[1] * 1.001, 0.5, 0.9]:
        assert_allclose(bg.rubinstein(delta, outside=[0, w2]).utilities, [1 - w2, w2], 1e-15)


def test_no_agreement_reports_the_no_deal_point():
    res = bg.rubinstein([0.9, 0.9], None, [0.6, 0.5])
    assert not res.agreement and res.status == 1 and res.success
    assert_allclose(res.utilities, [0.6, 0.5])
    assert_allclose(res.first_mover_advantage, [0, 0])
    res = bg.rubinstein([0.9, 0.9], outside=[0.7, 0.4])
    assert not res.agreement
    assert_allclose(res.utilities, [0.7, 0.4])
    assert "no agreement" in res.message
    for field in ("utilities", "proposals", "proposals_x", "first_mover_advantage", "x"):
        assert np.all(np.isfinite(res[field]))


@pytest.mark.parametrize("T", [1, 2, 3, 4, 7, 20])
def test_pie_finite_horizon_by_hand(T):
    rng = np.random.default_rng(T)
    delta = rng.uniform(0.1, 0.95, (40, 2))
    d = rng.uniform(0, 0.2, (40, 2))
    w = rng.uniform(0, 0.5, (40, 2))
    res = bg.rubinstein(delta, None, d, outside=w, horizon=T)
    for k in range(40):
        if not res.agreement[k]:
            continue
        x, y = pie_backward(delta[k], T, d[k], w[k])
        assert_allclose(res.proposals_x[k], [x, y], rtol=0, atol=1e-14)


def test_finite_horizon_converges_to_stationary():
    delta = np.array([0.9, 0.7])
    T = np.arange(1, 80)
    res = bg.rubinstein(delta, horizon=T)
    inf = bg.rubinstein(delta)
    err = np.abs(res.x - inf.x)
    a1a2 = 0.63
    assert np.all(err <= a1a2 ** ((T - 1) // 2) + 1e-15)
    assert err[-1] < 1e-7


# -- concave frontiers ---------------------------------------------------------------------


def test_frontier_matches_brentq_per_problem():
    rng = np.random.default_rng(2)
    n = 60
    p1, p2 = rng.uniform(0.2, 1.0, n), rng.uniform(0.2, 1.0, n)
    delta = rng.uniform(0.05, 0.99, (n, 2))
    F = bg.Frontier.split(("power", p1), ("power", p2))
    res = bg.rubinstein(delta, F)
    assert np.all(res.status == 0)
    for k in range(n):
        u1, u2, inv1, _ = split_scalar(p1[k], p2[k])
        x, y = spe_brentq(u1, u2, inv1, delta[k])
        assert_allclose(res.proposals_x[k], [x, y], rtol=0, atol=ROOT)
        # the two indifference conditions hold at the returned proposals (to the
        # utility resolution of |dt| ~ 1e-15 where the frontier is steep)
        P = res.proposals[k]
        assert_allclose(P[1, 0], delta[k, 0] * P[0, 0], rtol=1e-12, atol=1e-12)
        assert_allclose(P[0, 1], delta[k, 1] * P[1, 1], rtol=1e-12, atol=1e-12)


def test_frontier_with_d_breakdown_and_outside_matches_brentq():
    rng = np.random.default_rng(3)
    n = 60
    p1, p2 = rng.uniform(0.2, 1.0, n), rng.uniform(0.2, 1.0, n)
    delta = rng.uniform(0.3, 0.99, (n, 2))
    d = rng.uniform(0, 0.3, (n, 2))
    w = rng.uniform(0, 0.8, (n, 2))
    p = rng.uniform(0, 0.2, n)
    F = bg.Frontier.split(("power", p1), ("power", p2))
    res = bg.rubinstein(delta, F, d, breakdown=p, outside=w)
    a = (1 - p)[:, None] * delta
    for k in range(n):
        u1, u2, inv1, _ = split_scalar(p1[k], p2[k])
        r1, r2 = max(d[k, 0], w[k, 0]), max(d[k, 1], w[k, 1])
        if u2(inv1(r1)) <= r2:
            assert not res.agreement[k]
            continue
        assert res.agreement[k]
        x, y = spe_brentq(u1, u2, inv1, a[k], d[k], w[k])
        assert_allclose(res.proposals_x[k], [x, y], rtol=0, atol=ROOT)


def test_frontier_linear_split_equals_pie():
    delta = np.array([[0.9, 0.8], [0.5, 0.99], [0.3, 0.3]])
    d = np.array([0.1, 0.2])
    pie = bg.rubinstein(delta, None, d, outside=[0.0, 0.5])
    fr = bg.rubinstein(delta, bg.Frontier.split(), d, outside=[0.0, 0.5])
    assert_allclose(fr.proposals, pie.proposals, rtol=0, atol=1e-14)


def test_frontier_finite_horizon_by_hand():
    p1, p2 = 0.6, 0.4
    u1, u2, inv1, inv2 = split_scalar(p1, p2)
    F = bg.Frontier.split(("power", p1), ("power", p2))
    delta = (0.85, 0.7)
    T = np.arange(1, 9)
    res = bg.rubinstein(delta, F, horizon=T)
    for k, t in enumerate(T):
        # scalar backward induction with the closed-form inverses
        A, B = (0.0, 0.0), (0.0, 0.0)  # utilities of 1's and 2's proposal, k rounds left
        for n in range(1, t + 1):
            need2 = delta[1] * B[1] if n > 1 else 0.0
            need1 = delta[0] * A[0] if n > 1 else 0.0
            tA, tB = inv2(need2), inv1(need1)
            A, B = (u1(tA), u2(tA)), (u1(tB), u2(tB))
        assert_allclose(res.proposals[k], [A, B], rtol=0, atol=1e-13)


def test_frontier_finite_horizon_converges_batch():
    rng = np.random.default_rng(4)
    n = 30
    F = bg.Frontier.split(("power", rng.uniform(0.3, 1, n)), ("cara", rng.uniform(0.5, 4, n)))
    delta = rng.uniform(0.5, 0.9, (n, 2))
    inf = bg.rubinstein(delta, F)
    fin = bg.rubinstein(delta, F, horizon=120)
    assert_allclose(fin.proposals, inf.proposals, rtol=0, atol=1e-9)


def test_frontier_first_mover_advantage_formula():
    F = bg.Frontier.split(("power", 0.5), ("cara", 2.0))
    res = bg.rubinstein([0.7, 0.9], F, [0.05, 0.1])
    P = res.proposals
    assert_allclose(res.first_mover_advantage[0], (1 - 0.7) * (P[0, 0] - 0.05), rtol=1e-12)
    assert_allclose(res.first_mover_advantage[1], (1 - 0.9) * (P[1, 1] - 0.1), rtol=1e-12)


def test_frontier_without_derivative_and_from_function():
    F = bg.Frontier(lambda t: np.stack([t, 1 - t**2], axis=-1), 0.0, 1.0)
    res = bg.rubinstein([0.8, 0.8], F)
    assert_allclose(res.utilities, [5 / math.sqrt(61), 36 / 61], rtol=1e-13)


def test_nonconcave_frontier_rejected():
    F = bg.Frontier.from_function(lambda u: (1 - u) ** 2, 0.0, 1.0)
    with pytest.raises(ValueError, match="not concave"):
        bg.rubinstein([0.9, 0.9], F)


# -- costs ----------------------------------------------------------------------------------


def test_costs_all_orderings():
    c = np.array([[0.1, 0.2], [0.2, 0.1], [0.3, 0.3], [0.0, 0.5], [1.5, 1.5], [0.4, 1.2]])
    res0 = bg.rubinstein_costs(c)
    res1 = bg.rubinstein_costs(c, first=1)
    assert_allclose(res0.utilities[:, 0], [1.0, 0.1, 0.65, 1.0, 1.0, 1.0])
    assert_allclose(res1.utilities[:, 0], [0.9, 0.0, 0.35, 1.0, 0.0, 0.6])
    assert res0.indeterminate.tolist() == [False, False, True, False, False, False]
    assert_allclose(res0.utilities_range[2], [[0.3, 1.0], [0.0, 0.7]])
    assert_allclose(res1.utilities_range[2], [[0.0, 0.7], [0.3, 1.0]])
    assert res0.status.tolist() == [0, 0, 2, 0, 0, 0]
    assert_allclose(res0.first_mover_advantage[:, 0], [0.1, 0.1, 0.3, 0.0, 1.0, 0.4])
    assert "indeterminate" in res0.message


# -- the Nash limit -------------------------------------------------------------------------


def test_nash_limit_pie_rate():
    r = np.array([1.0, 3.0])
    Delta = np.array([1e-2, 1e-3, 1e-4])
    spe = bg.rubinstein(np.exp(-Delta[:, None] * r))
    lim = bg.rubinstein_nash_limit(r)
    # x* = r2/(r1 + r2) + r1 r2 Delta / (2 (r1 + r2)) + O(Delta^2)
    assert_allclose((spe.x - lim.x) / Delta, 0.375, rtol=2e-2)


def test_nash_limit_frontier_first_order_rate_and_bracket():
    F = bg.Frontier.split(("power", 0.5), ("cara", 3.0))
    r = np.array([0.5, 2.0])
    d = np.array([0.1, 0.05])
    lim = bg.rubinstein_nash_limit(r, F, d)
    ref = bg.nash(F, d, 1 / r)
    assert_allclose(lim.utilities, ref.utilities, rtol=1e-14)
    Delta = np.array([1e-1, 1e-2, 1e-3, 1e-4])
    spe = bg.rubinstein(np.exp(-Delta[:, None] * r), F, d)
    err = np.abs(spe.utilities[:, 0] - lim.utilities[0])
    assert_allclose(err[:-1] / err[1:], 10.0, rtol=0.1)  # first order in Delta
    # certificate: the limit lies between the two proposals for every Delta
    P = spe.proposals
    assert np.all(P[:, 1, 0] <= lim.utilities[0] + 1e-12)
    assert np.all(lim.utilities[0] <= P[:, 0, 0] + 1e-12)


def test_nash_limit_outside_options_on_frontier():
    F = bg.Frontier.split("linear", ("power", 0.5))
    lim = bg.rubinstein_nash_limit([1.0, 1.0], F, outside=[0.0, 0.8])
    # Nash gives u2 = sqrt(1/3) < 0.8, so u2 = 0.8 exactly and u1 = 1 - 0.64
    assert_allclose(lim.utilities, [0.36, 0.8], rtol=1e-13)
    spe = bg.rubinstein(np.exp(-1e-5 * np.ones(2)), F, outside=[0.0, 0.8])
    assert_allclose(spe.utilities, lim.utilities, atol=1e-5)
    none = bg.rubinstein_nash_limit([1.0, 1.0], F, outside=[0.9, 0.9])
    assert not none.agreement and none.status == 1


# -- vectorisation contract -----------------------------------------------------------------


def _draw(shape, rng):
    return dict(
        delta=rng.uniform(0.2, 0.95, shape + (2,)),
        d=rng.uniform(0, 0.2, shape + (2,)),
        w=rng.uniform(0, 0.6, shape + (2,)),
        p=rng.uniform(0, 0.3, shape),
        first=rng.integers(0, 2, shape),
        T=rng.integers(1, 6, shape),
        c=rng.choice([0.1, 0.2, 0.3], shape + (2,)),
        q=rng.uniform(0.3, 1.0, shape),
    )


CALLS = {
    "pie": lambda a, F: bg.rubinstein(
        a["delta"], None, a["d"], first=a["first"], breakdown=a["p"], outside=a["w"]
    ),
    "pie-finite": lambda a, F: bg.rubinstein(
        a["delta"], None, a["d"], first=a["first"], outside=a["w"], horizon=a["T"]
    ),
    "frontier": lambda a, F: bg.rubinstein(
        a["delta"], F, a["d"], first=a["first"], breakdown=a["p"], outside=a["w"]
    ),
    "frontier-finite": lambda a, F: bg.rubinstein(a["delta"], F, a["d"], horizon=a["T"]),
    "costs": lambda a, F: bg.rubinstein_costs(a["c"], first=a["first"]),
    "limit": lambda a, F: bg.rubinstein_nash_limit(a["delta"], F, a["d"], outside=a["w"]),
}


@pytest.mark.parametrize("kind", sorted(CALLS))
@pytest.mark.parametrize("shape", [(), (12,), (3, 4), (3, 2, 2)])
def test_batched_equals_loop(kind, shape):
    rng = np.random.default_rng(len(shape) + 10 * len(kind))
    args = _draw(shape, rng)
    F = bg.Frontier.split(("power", args["q"]), "linear")
    batched = CALLS[kind](args, F)
    for idx in np.ndindex(*shape):
        single_args = {k: v[idx] for k, v in args.items()}
        single = CALLS[kind](single_args, bg.Frontier.split(("power", args["q"][idx]), "linear"))
        for key, value in single.items():
            if isinstance(value, str):
                continue
            got = np.asarray(batched[key])[idx]
            if np.asarray(value).dtype.kind in "bi":
                assert np.array_equal(got, value), (key, idx)
            else:
                assert_allclose(got, value, rtol=0, atol=1e-13, err_msg=f"{key} at {idx}")
    assert np.shape(batched.utilities) == shape + (2,)


def test_broadcasting_of_mixed_batch_shapes():
    res = bg.rubinstein(np.full((4, 1, 2), 0.9), None, np.zeros((3, 2)), breakdown=np.zeros((1, 3)))
    assert res.utilities.shape == (4, 3, 2)
    assert res.proposals.shape == (4, 3, 2, 2)
    with pytest.raises(ValueError, match="batch shapes do not broadcast"):
        bg.rubinstein(np.full((4, 2), 0.9), None, np.zeros((3, 2)))


def test_result_is_read_only():
    res = bg.rubinstein(np.full((3, 2), 0.9))
    with pytest.raises(ValueError):
        res.utilities[0, 0] = 1.0
    with pytest.raises(AttributeError):
        res.x = 1.0


# -- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(delta=[1.0, 1.0]), "`delta`.*both.*breakdown"),
        (dict(delta=[1.2, 0.9]), "`delta`"),
        (dict(delta=[-0.5, 0.9]), "`delta`"),
        (dict(delta=[0.9]), "`delta` must have shape"),
        (dict(delta=[np.nan, 0.9]), "`delta` must be finite"),
        (dict(delta=[0.9, 0.9], breakdown=1.0), "`breakdown`"),
        (dict(delta=[0.9, 0.9], breakdown=-0.1), "`breakdown`"),
        (dict(delta=[0.9, 0.9], d=[0.1]), "`d` must have shape"),
        (dict(delta=[0.9, 0.9], outside=[0.1, 0.2, 0.3]), "`outside` must have shape"),
        (dict(delta=[0.9, 0.9], first=2), "`first`"),
        (dict(delta=[0.9, 0.9], first=0.5), "`first`"),
        (dict(delta=[0.9, 0.9], horizon=0), "`horizon`"),
    ],
)
def test_bad_input_names_the_argument(kwargs, match):
    delta = kwargs.pop("delta")
    S = kwargs.pop("S", None)
    d = kwargs.pop("d", None)
    with pytest.raises(ValueError, match=match):
        bg.rubinstein(delta, S, d, **kwargs)


def test_bad_types():
    with pytest.raises(TypeError, match="`horizon`"):
        bg.rubinstein([0.9, 0.9], horizon=2.5)
    with pytest.raises(ValueError, match="exactly two parties"):
        bg.rubinstein([0.9, 0.9], [[1, 0, 0], [0, 1, 0]])
    with pytest.raises(TypeError, match="`hull` applies to a finite set"):
        bg.rubinstein([0.9, 0.9], hull=True)
    with pytest.raises(TypeError, match="`S` must be None"):
        bg.rubinstein([0.9, 0.9], {"a": 1})
    with pytest.raises(TypeError, match="wrap a continuous frontier"):
        bg.rubinstein([0.9, 0.9], lambda t: t)
    with pytest.raises(TypeError, match="`delta`"):
        bg.rubinstein("0.9")


def test_pure_breakdown_model_allows_delta_one():
    res = bg.rubinstein([1.0, 1.0], breakdown=0.5)
    assert_allclose(res.utilities, [2 / 3, 1 / 3])


def test_bad_costs_and_rates():
    with pytest.raises(ValueError, match="`costs` must be >= 0"):
        bg.rubinstein_costs([-0.1, 0.2])
    with pytest.raises(ValueError, match="`costs` must have"):
        bg.rubinstein_costs(0.1)
    with pytest.raises(ValueError, match="`first`"):
        bg.rubinstein_costs([0.1, 0.2], first=-1)
    with pytest.raises(ValueError, match="`rates` must be >= 0"):
        bg.rubinstein_nash_limit([-1.0, 1.0])
    with pytest.raises(ValueError, match="`breakdown_rate` must be >= 0"):
        bg.rubinstein_nash_limit([1.0, 1.0], breakdown_rate=-1)
    with pytest.raises(ValueError, match="must be positive"):
        bg.rubinstein_nash_limit([0.0, 1.0])


def test_case_file_handlers_reject_unknown_keys(tmp_path):
    f = tmp_path / "bad.toml"
    f.write_text(
        '[[case]]\nid="a"\nconcept="rubinstein"\nsource="s"\nderivation="d"\n'
        "problem={delta=[0.9,0.9],horizn=3}\nexpected={agreement=true}\n"
    )
    (case,) = bg.load_cases(f)
    from bargain.cases._runner import run_case

    with pytest.raises(bg.CaseError, match="did you mean 'horizon'"):
        run_case(case)


# -- issue space ---------------------------------------------------------------------------


def _trade(d1=0.9, d2=0.8, **party2):
    A = bg.Agenda(bg.ContinuousIssue("x"), bg.ContinuousIssue("y"))
    u1 = bg.AdditiveUtility({"x": bg.Linear(2.0), "y": bg.Linear(1.0)})
    u2 = bg.AdditiveUtility({"x": bg.Linear(-1.0, 1.0), "y": bg.Linear(-2.0, 2.0)})
    return bg.Negotiation(
        A, [bg.Party("P1", u1, discount=d1), bg.Party("P2", u2, discount=d2, **party2)]
    )


def test_issue_space_trade_by_hand():
    # one solve (the issue-space frontier is costly to evaluate): both proposals by hand
    neg = _trade()
    res = bg.rubinstein(neg)
    # frontier u2 = 3 - u1/2 (u1 <= 2), 6 - 2 u1 (u1 >= 2); 6 - 2z = 0.8 (3 - 0.45 z)
    z = 3.6 / 1.64
    assert res.method.startswith("issues") and res.agreement
    assert_allclose(res.utilities, [z, 6 - 2 * z], rtol=1e-13)
    assert_allclose([res.outcome["x"], res.outcome["y"]], [1.0, z - 2], rtol=0, atol=1e-13)
    p1, p2 = res.proposal_outcomes  # party 2's proposal is the agreement when it moves first
    assert_allclose([p2["x"], p2["y"]], [0.9 * z / 2, 0.0], rtol=0, atol=1e-13)
    assert_allclose(res.first_mover_advantage, [0.1 * z, (3 - 0.45 * z) - (6 - 2 * z)], 1e-12)
    # certificate: the issue values achieve the proposals' utilities
    for o, u in zip((p1, p2), res.proposals, strict=True):
        assert_allclose(neg.utilities(o), u, rtol=1e-12, atol=1e-12)


def test_issue_space_outside_option_from_the_party():
    # without options (delta = 0.9 both) P2 gets 6 - 2 * 60/29 = 54/29 < 2.5: an option of
    # 2.5 binds, P2 gets exactly 2.5 and P1 the rest of the frontier: u1 = 2 (3 - 2.5) = 1
    res = bg.rubinstein(_trade(0.9, 0.9, outside_option=2.5))
    assert_allclose(res.utilities, [1.0, 2.5], rtol=1e-12)
    assert_allclose([res.outcome["x"], res.outcome["y"]], [0.5, 0.0], atol=1e-12)


def test_issue_space_bad_input():
    with pytest.raises(ValueError, match="discount"):
        bg.rubinstein(_trade(1.0, 1.0))
    with pytest.raises(ValueError, match="breakdown probabilities differ"):
        bg.rubinstein(_trade(0.9, 0.9, breakdown=0.1))
    with pytest.raises(TypeError, match="leave `S` unset"):
        bg.rubinstein(_trade(), bg.Frontier.split())


def _backward_loop(d, a, horizon):
    """Ståhl's backward induction on the pie, one problem at a time, in plain Python."""
    out = []
    for (d1, d2), (a1, a2), T in zip(d.tolist(), a.tolist(), horizon.tolist(), strict=True):
        A, B = d1, 1.0 - d2  # party 1's share when 1 / 2 proposes, no round left
        for _ in range(T):
            A, B = 1.0 - d2 - a2 * (1.0 - B - d2), d1 + a1 * (A - d1)
        out.append(A)
    return np.array(out)


def test_finite_horizon_pie_closed_form_matches_the_backward_loop():
    rng = np.random.default_rng(3)
    n = 400
    a = rng.uniform(0.0, 1.0, (n, 2))
    a[:20] = 1.0  # no discounting: the last proposer takes the surplus
    a[20:40, 0] = 0.0
    d = rng.uniform(0.0, 0.45, (n, 2))
    T = rng.integers(1, 120, n)
    res = bg.rubinstein(a, d=d, horizon=T)
    np.testing.assert_allclose(res.utilities[:, 0], _backward_loop(d, a, T), atol=1e-13)


@pytest.mark.parametrize("outside", [None, [0.1, 0.2]])
def test_huge_horizons_cost_convergence_not_rounds(outside):
    delta = [0.9, 0.95]
    inf = bg.rubinstein(delta, outside=outside)
    for T in (10**9, 10**9 + 1, 10**12):
        fin = bg.rubinstein(delta, outside=outside, horizon=T)
        np.testing.assert_allclose(fin.utilities, inf.utilities, atol=1e-12)
    F = bg.Frontier.split("linear", ("power", 0.5))
    np.testing.assert_allclose(
        bg.rubinstein(delta, F, outside=outside, horizon=10**9).utilities,
        bg.rubinstein(delta, F, outside=outside).utilities,
        atol=1e-9,
    )
