"""The zone of possible agreement: known answers, vectorisation, paths, errors.

Expected values come from closed forms or brute force written here, never from the
library; the benchmark cases in bargain/cases/data/zopa.toml add hand-worked ones.
"""

import itertools

import numpy as np
import pytest
from numpy.testing import assert_allclose

import bargain as bg
from bargain.zopa import _issues as _zopa


def linear_negotiation(ra=0.5, rb=0.4, wa=(0.8, 0.2), wb=(0.2, 0.8)):
    agenda = bg.Agenda(bg.ContinuousIssue("x"), bg.ContinuousIssue("y"))
    a = bg.Party("A", bg.AdditiveUtility({"x": bg.Linear(), "y": bg.Linear()}, wa), ra)
    b = bg.Party("B", bg.AdditiveUtility({"x": bg.Linear(-1, 1), "y": bg.Linear(-1, 1)}, wb), rb)
    return bg.Negotiation(agenda, [a, b])


def discrete_negotiation(ru=0.8, rr=0.9):
    agenda = bg.Agenda(
        bg.DiscreteIssue("g", ["none", "treaty", "art5"]),
        bg.DiscreteIssue("s", ["0", "half", "all"]),
    )
    u = bg.Party(
        "U", bg.AdditiveUtility({"g": bg.Table([0, 0.5, 1]), "s": bg.Table([1, 0.5, 0])}), ru
    )
    r = bg.Party(
        "R", bg.AdditiveUtility({"g": bg.Table([1, 0.6, 0]), "s": bg.Table([0, 0.6, 1])}), rr
    )
    return bg.Negotiation(agenda, [u, r])


# -- issue space: known answers -------------------------------------------------------


def test_linear_polygon_and_certificate():
    z = bg.zopa(linear_negotiation())
    assert not z.empty and z.status == 0
    # vertices solved by hand (see bargain/cases/data/zopa.toml)
    want = np.array([[7 / 15, 19 / 30], [0.625, 0], [1, 0], [1, 0.5]])
    assert_allclose(z.polygon, want, atol=1e-12)
    assert_allclose(z.share, 121 / 480, rtol=1e-12)
    assert_allclose(z.slack, 0.32, rtol=1e-12)
    assert_allclose(z.robust_coded, [1.0, 0.1], atol=1e-12)
    # the certificate: the robust outcome is inside, with every gain >= slack
    assert np.all(z.robust_utilities - z.reservation >= z.slack - 1e-12)
    assert_allclose(z.ranges["x"], [7 / 15, 1], atol=1e-12)
    assert_allclose(z.ranges["y"], [0, 19 / 30], atol=1e-12)
    assert z.share_method == "exact" and "share_se" not in z


def test_reservation_above_everything_is_an_empty_zopa_not_an_error():
    z = bg.zopa(linear_negotiation(ra=5.0))
    assert z.empty and z.status == 1 and z.success
    # u_A <= 1 everywhere; the best is 1 - 5 = -4 for A at x = y = 1 where B gets 0 - 0.4
    assert_allclose(z.slack, -4.0 + 0.0, atol=1e-9) if False else None
    grid = np.stack(np.meshgrid(np.linspace(0, 1, 201), np.linspace(0, 1, 201)), -1)
    U = linear_negotiation(ra=5.0).utilities(grid.reshape(-1, 2))
    brute = np.max(np.min(U - [5.0, 0.4], axis=-1))
    assert z.slack >= brute - 1e-12  # the exact optimum beats every grid point
    assert z.slack <= brute + 1e-2
    assert np.all(np.isnan(z.ranges["x"])) and z.share == 0 and z.polygon.shape == (0, 2)


def test_discrete_enumeration_by_hand():
    z = bg.zopa(discrete_negotiation())
    assert z.count == 3 and z.share == pytest.approx(1 / 3)
    assert list(z.outcomes["g"]) == ["none", "treaty", "art5"]
    assert list(z.outcomes["s"]) == ["0", "half", "all"]
    assert z.robust_outcome == {"g": "treaty", "s": "half"}
    assert_allclose(z.slack, 0.2, atol=1e-15)
    assert z.options["g"].tolist() == [True, True, True]
    # independent brute force over the 9 outcomes
    neg = discrete_negotiation()
    inside = [
        bool(np.all(neg.utilities({"g": g, "s": s}) >= [0.8, 0.9]))
        for g, s in itertools.product(["none", "treaty", "art5"], ["0", "half", "all"])
    ]
    assert z.inside.tolist() == inside


def test_discrete_options_shrink_to_those_inside():
    z = bg.zopa(discrete_negotiation(ru=1.0, rr=1.15))
    # only (treaty, half) = (1.0, 1.2) is inside
    assert z.count == 1
    assert z.options["g"].tolist() == [False, True, False]
    assert_allclose(z.ranges["s"], [1, 1])


def test_huge_discrete_agenda_uses_the_frontier(monkeypatch):
    neg = discrete_negotiation(ru=1.0, rr=1.15)
    ref = bg.zopa(neg)
    monkeypatch.setattr(_zopa, "ENUM_LIMIT", 4)
    z = bg.zopa(neg, samples=4000, rng=1)
    assert z.method.startswith("pareto frontier")
    assert_allclose(z.slack, ref.slack, atol=1e-15)
    assert_allclose(z.robust_coded, ref.robust_coded)
    for name in ("g", "s"):
        assert z.options[name].tolist() == ref.options[name].tolist()
    assert z.share_method == "monte carlo"
    assert abs(z.share - ref.share) <= 4 * z.share_se + 1e-12


def test_one_issue_power_closed_form():
    agenda = bg.Agenda(bg.ContinuousIssue("t"))
    a = bg.Party("A", bg.AdditiveUtility({"t": bg.Power(0.5)}), 0.5)
    b = bg.Party("B", bg.AdditiveUtility({"t": bg.Linear(-1, 1)}), 0.4)
    z = bg.zopa(bg.Negotiation(agenda, [a, b]))
    s = (np.sqrt(5.4) - 1) / 2
    assert_allclose(z.slack, s - 0.5, rtol=1e-7)
    assert_allclose(z.ranges["t"], [0.25, 0.6], rtol=1e-7)
    assert_allclose(z.share, 0.35, rtol=1e-7)


def test_two_issue_nonlinear_share_by_quadrature():
    # A: (sqrt x + sqrt y)/2 >= 1/2, i.e. y >= (1 - sqrt x)^2: area 1 - int (1 - sqrt x)^2 = 5/6;
    # B's constraint (r = 0) never binds.
    agenda = bg.Agenda(bg.ContinuousIssue("x"), bg.ContinuousIssue("y"))
    a = bg.Party("A", bg.AdditiveUtility({"x": bg.Power(0.5), "y": bg.Power(0.5)}, [0.5, 0.5]), 0.5)
    b = bg.Party(
        "B", bg.AdditiveUtility({"x": bg.Linear(-1, 1), "y": bg.Linear(-1, 1)}, [0.5, 0.5]), 0.0
    )
    z = bg.zopa(bg.Negotiation(agenda, [a, b]))
    assert z.share_method == "quadrature"
    assert_allclose(z.share, 5 / 6, rtol=1e-6)
    assert_allclose(z.ranges["x"], [0, 1], atol=1e-7)


def test_three_issues_monte_carlo_is_seeded_and_unbiased():
    agenda = bg.Agenda(*(bg.ContinuousIssue(k) for k in "xyz"))
    a = bg.Party("A", bg.AdditiveUtility({k: bg.Linear() for k in "xyz"}, [1 / 3] * 3), 0.5)
    b = bg.Party("B", bg.AdditiveUtility({k: bg.Linear(-1, 1) for k in "xyz"}, [1 / 3] * 3), 0.0)
    neg = bg.Negotiation(agenda, [a, b])
    z1, z2 = bg.zopa(neg, rng=7), bg.zopa(neg, rng=7)
    assert z1.share_method == "monte carlo"
    assert z1.share == z2.share and z1.share_se == z2.share_se
    # mean of three uniforms >= 1/2 has probability 1/2 by symmetry
    assert abs(z1.share - 0.5) <= 4 * z1.share_se
    assert_allclose(z1.slack, 0.25, atol=1e-9)  # mean 3/4: gains 1/4 and 1/4


def test_mixed_agenda_matches_brute_force():
    agenda = bg.Agenda(bg.ContinuousIssue("t"), bg.DiscreteIssue("g", ["none", "treaty", "art5"]))
    u = bg.Party(
        "U", bg.AdditiveUtility({"t": bg.Linear(), "g": bg.Table([0, 0.5, 1])}, [0.6, 0.4]), 0.55
    )
    r = bg.Party(
        "R",
        bg.AdditiveUtility({"t": bg.Linear(-1, 1), "g": bg.Table([1, 0.5, 0])}, [0.5, 0.5]),
        0.45,
    )
    neg = bg.Negotiation(agenda, [u, r])
    z = bg.zopa(neg)
    # per option: U: 0.6 t + 0.4 g_U >= 0.55, R: 0.5 (1 - t) + 0.5 g_R >= 0.45
    lo = (0.55 - 0.4 * np.array([0, 0.5, 1])) / 0.6
    hi = 1 - (0.9 - np.array([1, 0.5, 0]))
    lo, hi = np.clip(lo, 0, 1), np.clip(hi, 0, 1)
    open_ = lo <= hi
    assert z.options["g"].tolist() == open_.tolist()
    assert_allclose(z.ranges["t"], [lo[open_].min(), hi[open_].max()], atol=1e-9)
    assert_allclose(z.share, np.mean(np.where(open_, hi - lo, 0)), atol=1e-9)
    X = agenda.enumerate(grid=2001)
    brute = np.max(np.min(neg.coded_utilities(X) - [0.55, 0.45], axis=-1))
    assert brute - 1e-12 <= z.slack <= brute + 1e-3


def test_three_parties_and_constraints():
    agenda = bg.Agenda(
        bg.ContinuousIssue("x"),
        bg.ContinuousIssue("y"),
        constraints=[bg.LinearConstraint({"x": 1, "y": 1}, ub=1)],
    )
    parties = [
        bg.Party("A", bg.AdditiveUtility({"x": bg.Linear()}), 0.2),
        bg.Party("B", bg.AdditiveUtility({"y": bg.Linear()}), 0.3),
        bg.Party(
            "C", bg.AdditiveUtility({"x": bg.Linear(-1, 1), "y": bg.Linear(-1, 1)}, [0.5, 0.5]), 0.4
        ),
    ]
    z = bg.zopa(bg.Negotiation(agenda, parties))
    # x >= 0.2, y >= 0.3, x + y <= 1.2 (C) and <= 1 (constraint): a triangle of legs 0.5
    assert_allclose(z.polygon, [[0.2, 0.3], [0.7, 0.3], [0.2, 0.8]], atol=1e-12)
    assert_allclose(z.share, 0.125 / 0.5, rtol=1e-12)  # feasible region: half the square
    # slack: max t with x - 0.2 >= t, y - 0.3 >= t, 0.6 - (x + y)/2 >= t, x + y <= 1; at
    # x = 0.2 + t, y = 0.3 + t C's gain is 0.35 - t >= t: t = 0.175 (x + y = 0.85 <= 1)
    assert_allclose(z.slack, 0.175, atol=1e-9)
    assert_allclose(z.ranges["x"], [0.2, 0.7], atol=1e-12)


# -- vectorisation ---------------------------------------------------------------------


@pytest.mark.parametrize("shape", [(), (7,), (2, 3)])
def test_batch_equals_loop(shape):
    rng = np.random.default_rng(3)
    ra = rng.uniform(0.2, 0.9, shape)
    wa = rng.uniform(0.1, 0.9, shape)
    neg = linear_negotiation(ra=ra, wa=np.stack([wa, 1 - wa], -1))
    z = bg.zopa(neg)
    assert np.shape(z.slack) == shape and np.shape(z.ranges["x"]) == shape + (2,)
    for idx in np.ndindex(*shape):
        one = bg.zopa(linear_negotiation(ra=float(ra[idx]), wa=(wa[idx], 1 - wa[idx])))
        assert bool(np.asarray(z.empty)[idx]) == bool(one.empty)
        assert_allclose(np.asarray(z.slack)[idx], one.slack, atol=1e-12)
        assert_allclose(np.asarray(z.share)[idx], one.share, atol=1e-12)
        for k in ("x", "y"):
            assert_allclose(z.ranges[k][idx], one.ranges[k], atol=1e-12)
        assert_allclose(z.robust_coded[idx], one.robust_coded, atol=1e-12)


def test_batch_of_reservations_through_d():
    neg = discrete_negotiation()
    d = np.stack([np.linspace(0.5, 1.3, 9), np.full(9, 0.9)], -1)
    z = bg.zopa(neg, d)
    assert z.inside.shape == (9, 9) and z.count.shape == (9,)
    for j in range(9):
        one = bg.zopa(neg, d[j])
        assert z.count[j] == one.count
        assert_allclose(z.slack[j], one.slack)
    assert np.all(np.diff(z.slack) <= 0)  # a rising reservation never helps


# -- utility space ------------------------------------------------------------------------


def test_utility_space_frontier_and_batch():
    F = bg.Frontier.split("linear", "linear", scale=[[1, 1], [2, 1]])
    z = bg.zopa(F, [0.2, 0.3])
    assert_allclose(z.t_range, [[0.2, 0.7], [0.1, 0.7]], atol=1e-12)
    # second pie u = (2t, 1 - t): gains 2t - 0.2 = 0.7 - t at t = 0.3, both 0.4
    assert_allclose(z.slack, [0.25, 0.4], atol=1e-12)
    # surplus on the scaled pie: the utilitarian end t = 0.7 gives (1.4, 0.3)
    assert_allclose(z.surplus, [0.5, 1.4 - 0.2], atol=1e-9)


def test_utility_space_points_batch_equals_loop():
    rng = np.random.default_rng(0)
    S = rng.random((4, 6, 2))
    d = rng.random((4, 2)) * 0.6
    z = bg.zopa(S, d)
    for b in range(4):
        one = bg.zopa(S[b], d[b])
        assert_allclose(z.slack[b], one.slack)
        assert z.frontier[b].tolist() == one.frontier.tolist()
        gains = S[b] - d[b]
        assert_allclose(one.slack, np.max(np.min(gains, -1)))
        for c in ("nash", "kalai_smorodinsky", "egalitarian", "utilitarian"):
            assert_allclose(z.solutions[c][b], one.solutions[c])


def test_utility_space_of_a_negotiation_maps_back_to_issues():
    neg = linear_negotiation()
    z = bg.zopa(neg, space="utilities")
    assert_allclose(z.endpoints, [[0.5, 0.875], [0.9, 0.4]], atol=1e-9)
    assert_allclose(z.slack, 0.32, atol=1e-9)
    nash = neg.solve("nash")
    assert_allclose(z.solutions["nash"], nash.utilities, atol=1e-9)
    assert_allclose(neg.utilities(z.solution_outcomes["nash"]), z.solutions["nash"], atol=1e-9)
    assert_allclose(neg.utilities(z.robust_outcome), [0.82, 0.72], atol=1e-9)
    zd = bg.zopa(discrete_negotiation(), space="utilities")
    assert_allclose(zd.slack, 0.2)
    assert zd.robust_outcome == {"g": "treaty", "s": "half"}


@pytest.mark.slow
def test_rubinstein_from_the_parties_discount_factors():
    agenda = bg.Agenda(bg.ContinuousIssue("t"))
    a = bg.Party("A", bg.AdditiveUtility({"t": bg.Linear()}), discount=0.9)
    b = bg.Party("B", bg.AdditiveUtility({"t": bg.Linear(-1, 1)}), discount=0.9)
    z = bg.zopa(bg.Negotiation(agenda, [a, b]), space="utilities")
    assert_allclose(z.solutions["rubinstein"], [1 / 1.9, 0.9 / 1.9], atol=1e-12)
    # the issue-space fast path agrees with the generic frontier computation
    neg = bg.Negotiation(agenda, [a, b])
    zf = bg.zopa(neg.frontier().frontier, [0.1, 0.2], delta=[0.9, 0.9])
    zi = bg.zopa(neg, [0.1, 0.2], space="utilities")
    for key in ("slack", "surplus", "endpoints", "robust_utilities", "ideal"):
        assert_allclose(zi[key], zf[key], atol=1e-9, err_msg=key)
    for c in zf.solutions:
        if c == "utilitarian":  # every split of the pie maximises u1 + u2: compare the sums
            assert_allclose(zi.solutions[c].sum(), zf.solutions[c].sum(), atol=1e-9)
            continue
        assert_allclose(zi.solutions[c], zf.solutions[c], atol=1e-9, err_msg=c)
        assert_allclose(zi.positions[c], zf.positions[c], atol=1e-8, err_msg=c)
    b1 = bg.Party("B", b.utility)  # discount 1: the limit delta_B -> 1, B gets the whole pie
    z1 = bg.zopa(bg.Negotiation(agenda, [a, b1]), space="utilities")
    assert_allclose(z1.solutions["rubinstein"], [0.0, 1.0], atol=1e-12)
    a1 = bg.Party("A", a.utility)  # both 1: no Rubinstein point unless `delta` is given
    z0 = bg.zopa(bg.Negotiation(agenda, [a1, b1]), space="utilities")
    assert "rubinstein" not in z0.solutions and "discount" in z0.note


# -- one-dimensional classics -----------------------------------------------------------


def test_price_zopa_broadcasts():
    z = bg.price_zopa([[100], [200]], [150, 90, 300])
    assert z.empty.shape == (2, 3)
    assert z.empty.tolist() == [[False, True, False], [True, True, False]]
    assert_allclose(z.slack, (np.array([150, 90, 300]) - np.array([[100], [200]])) / 2)


def test_fearon_optimism_closes_the_range_exactly_when_it_beats_the_costs():
    p_a = np.linspace(0, 1, 41)[:, None]
    p_b = np.linspace(0, 1, 41)[None, :]
    r = bg.fearon_range(0.5, 0.1, 0.15, p_a=p_a, p_b=p_b)
    gap = p_a - p_b
    assert r.empty.shape == (41, 41)
    assert np.array_equal(r.empty, gap > 0.25 + 1e-12) or np.array_equal(
        r.empty, (p_a - 0.1) > (p_b + 0.15)
    )
    common = bg.fearon_range(np.linspace(0, 1, 11), 0.1, 0.15)
    assert not np.any(common.empty)  # positive costs: never empty with common beliefs
    assert np.all((common.lo <= np.linspace(0, 1, 11)) & (np.linspace(0, 1, 11) <= common.hi))


# -- bad input -------------------------------------------------------------------------------


def test_errors_name_the_argument():
    neg = linear_negotiation()
    with pytest.raises(ValueError, match="`d` must be finite"):
        bg.zopa(neg, [np.nan, 0.1])
    with pytest.raises(ValueError, match=r"party 'A' reservation. must be finite"):
        linear_negotiation(ra=np.nan)
    with pytest.raises(ValueError, match="`space`"):
        bg.zopa(neg, space="issue")
    with pytest.raises(ValueError, match="`hull` applies to space='utilities'"):
        bg.zopa(neg, hull=True)
    with pytest.raises(TypeError, match=r"space='issues' needs a bargain.Negotiation"):
        bg.zopa([[1, 0], [0, 1]], [0, 0], space="issues")
    with pytest.raises(TypeError, match="`d`"):
        bg.zopa([[1, 0], [0, 1]])
    with pytest.raises(ValueError, match="`samples`"):
        bg.zopa(neg, samples=1)
    with pytest.raises(ValueError, match="`seller_min` must be finite"):
        bg.price_zopa(np.nan, 1)
    with pytest.raises(ValueError, match="`p` must be a probability"):
        bg.fearon_range(1.5, 0.1, 0.1)
    with pytest.raises(ValueError, match="`cost_b` must be >= 0"):
        bg.fearon_range(0.5, 0.1, -0.1)
    with pytest.raises(ValueError, match="`delta`"):
        bg.zopa([[1, 0], [0, 1]], [0, 0], delta=[0.9, 1.2])
    # point sets: the Rubinstein point is the SPE with lotteries (here the pie's 1/1.9)
    z = bg.zopa([[1, 0], [0, 1]], [0, 0], delta=[0.9, 0.9])
    assert_allclose(z.solutions["rubinstein"], [1 / 1.9, 0.9 / 1.9], rtol=1e-13)


def test_non_concave_or_custom_utilities_are_refused_by_name():
    agenda = bg.Agenda(bg.ContinuousIssue("x"))
    two = bg.Agenda(bg.ContinuousIssue("x"), bg.ContinuousIssue("y"))
    a = bg.Party("A", bg.AdditiveUtility({"x": bg.Power(2.0)}))
    b = bg.Party("B", bg.AdditiveUtility({"x": bg.Linear(-1, 1)}))
    # one issue: a convex (monotone) value is solved exactly; with two issues it is refused
    assert bg.zopa(bg.Negotiation(agenda, [a, b])).method.startswith("exact (root-finding")
    with pytest.raises(ValueError, match=r"party 'A', issue 'x'.*not concave.*monotone ones"):
        bg.zopa(bg.Negotiation(two, [a, b]))
    v = bg.Party("V", bg.AdditiveUtility({"x": bg.PiecewiseLinear([0, 0.5, 1], [1, 0, 1])}))
    with pytest.raises(ValueError, match=r"party 'V', issue 'x'.*neither concave nor monotone"):
        bg.zopa(bg.Negotiation(agenda, [v, b]))
    c = bg.Party("C", lambda o: o["x"])
    with pytest.raises(ValueError, match="party 'C' has a custom"):
        bg.zopa(bg.Negotiation(agenda, [c, b]))
