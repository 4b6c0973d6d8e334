"""Properties of the ZOPA (hypothesis), checked against independent brute force.

Linear two-issue negotiations solve in milliseconds (linear programmes and an exact
polygon), so those properties run the profile's full example count (200 by default).
The property that compares with the issue-space solution concepts runs four exact
solvers per example (~0.2 s), and the nonlinear one runs convex programmes (~0.5 s):
they use fewer examples, as marked.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bargain as bg

CONCEPTS = ("nash", "kalai_smorodinsky", "egalitarian", "utilitarian")
TOL = 1e-9


def grid_values(lo, hi, res=100):
    return st.integers(round(lo * res), round(hi * res)).map(lambda k: k / res)


@st.composite
def linear_negotiations(draw, n=2):
    """Two continuous issues on [0, 1]; party i has u_i = c_i + a_i . x (signs mixed)."""
    agenda = bg.Agenda(bg.ContinuousIssue("x"), bg.ContinuousIssue("y"))
    parties = []
    for i in range(n):
        sx = draw(grid_values(-1, 1))
        sy = draw(grid_values(-1, 1))
        values = {"x": bg.Linear(sx, max(0.0, -sx)), "y": bg.Linear(sy, max(0.0, -sy))}
        w = draw(grid_values(0.05, 0.95))
        parties.append(
            bg.Party(f"P{i}", bg.AdditiveUtility(values, [w, 1 - w]), draw(grid_values(-0.2, 1)))
        )
    return bg.Negotiation(agenda, parties)


GRID = np.stack(np.meshgrid(np.linspace(0, 1, 61), np.linspace(0, 1, 61)), -1).reshape(-1, 2)


@pytest.mark.slow
@given(linear_negotiations(), st.integers(0, 1), grid_values(0.01, 0.5))
def test_raising_a_reservation_shrinks_the_zopa(neg, i, bump):
    r0 = neg.reservation
    r1 = r0.copy()
    r1[i] += bump
    z0, z1 = bg.zopa(neg, r0), bg.zopa(neg, r1)
    assert z1.slack <= z0.slack + TOL
    assert z1.share <= z0.share + TOL
    if not z1.empty:
        assert not z0.empty
        for k in ("x", "y"):
            assert z0.ranges[k][0] <= z1.ranges[k][0] + TOL
            assert z1.ranges[k][1] <= z0.ranges[k][1] + TOL


@given(linear_negotiations())
def test_slack_is_nonnegative_iff_the_zopa_is_nonempty(neg):
    z = bg.zopa(neg)
    r = neg.reservation
    U = neg.utilities(GRID)
    gaps = np.min(U - r, axis=-1)
    # the slack is a maximum: no grid outcome does better
    assert z.slack >= gaps.max() - TOL
    # and it is attained: the certificate is the robust outcome itself
    np.testing.assert_allclose(np.min(neg.utilities(z.robust_coded) - r), z.slack, atol=1e-12)
    if z.slack >= 0:
        assert not z.empty and np.all(neg.utilities(z.robust_coded) >= r - TOL)
    else:
        assert z.empty and not np.any(gaps >= 0) and z.share == 0
    if np.any(gaps > 1e-6):
        assert not z.empty and z.share > 0
    # the polygon's vertices are inside (to rounding) and it has the reported area
    if z.polygon.shape[0]:
        assert np.all(neg.utilities(z.polygon) >= r - 1e-9)


@pytest.mark.slow
@given(linear_negotiations())
def test_share_matches_a_brute_force_grid(neg):
    z = bg.zopa(neg)
    m = 400
    c = (np.arange(m) + 0.5) / m
    X = np.stack(np.meshgrid(c, c), -1).reshape(-1, 2)
    inside = np.all(neg.utilities(X) >= neg.reservation, axis=-1).mean()
    # midpoint grid: the boundary cells (perimeter <= 4 of cells 1/m) bound the error
    assert abs(inside - z.share) <= 4 * 2 / m + 1e-12


@pytest.mark.slow
@settings(max_examples=30)  # four exact issue-space solvers per example (~0.2 s)
@given(linear_negotiations())
def test_solutions_lie_in_the_zopa_and_the_ranges_contain_nash(neg):
    z = bg.zopa(neg)
    r = neg.reservation
    for concept in CONCEPTS:
        res = neg.solve(concept)
        if z.empty:
            assert not res.agreement or np.all(res.utilities >= r - 1e-7)
            continue
        if not res.agreement:
            continue
        assert np.all(neg.utilities(res.coded) >= r - 1e-7), concept
        for k, name in enumerate(("x", "y")):
            lo, hi = z.ranges[name]
            assert lo - 1e-7 <= res.coded[k] <= hi + 1e-7, (concept, name)


@st.composite
def discrete_negotiations(draw):
    k1, k2 = draw(st.integers(2, 4)), draw(st.integers(2, 4))
    agenda = bg.Agenda(
        bg.DiscreteIssue("a", list(range(k1))), bg.DiscreteIssue("b", list(range(k2)))
    )
    parties = []
    for i in range(draw(st.integers(2, 3))):
        ta = draw(st.lists(grid_values(0, 1, 8), min_size=k1, max_size=k1))
        tb = draw(st.lists(grid_values(0, 1, 8), min_size=k2, max_size=k2))
        u = bg.AdditiveUtility({"a": bg.Table(ta), "b": bg.Table(tb)})
        parties.append(bg.Party(f"P{i}", u, draw(grid_values(0, 2, 8))))
    return bg.Negotiation(agenda, parties), (k1, k2)


@pytest.mark.slow
@given(discrete_negotiations())
def test_discrete_zopa_equals_hand_enumeration(case):
    neg, (k1, k2) = case
    z = bg.zopa(neg)
    r = neg.reservation
    inside, best = [], -np.inf
    for oa in range(k1):
        for ob in range(k2):
            u = neg.utilities({"a": oa, "b": ob})
            gap = float(np.min(u - r))
            best = max(best, gap)
            if gap >= 0:
                inside.append((oa, ob))
    assert z.slack == best
    assert bool(z.empty) == (best < 0) == (not inside)
    assert z.count == len(inside)
    assert z.options["a"].tolist() == [any(o == oa for o, _ in inside) for oa in range(k1)]
    if inside:
        assert np.min(z.robust_utilities - r) == best


@settings(max_examples=12)  # convex programmes (Clarabel): ~0.5 s per example
@given(grid_values(0.1, 0.9), grid_values(0.2, 0.9), grid_values(0.0, 0.8))
def test_nonlinear_ranges_contain_nash_and_match_a_grid(w, ra, rb):
    agenda = bg.Agenda(bg.ContinuousIssue("x"), bg.ContinuousIssue("y"))
    a = bg.Party("A", bg.AdditiveUtility({"x": bg.Power(0.5), "y": bg.Linear()}, [w, 1 - w]), ra)
    b = bg.Party(
        "B",
        bg.AdditiveUtility(
            {"x": bg.Linear(-1, 1), "y": bg.Logarithmic(2.0, origin=1.0, decreasing=True)},
            [0.5, 0.5],
        ),
        rb,
    )
    neg = bg.Negotiation(agenda, [a, b])
    z = bg.zopa(neg)
    U = neg.utilities(GRID)
    ok = np.all(U >= neg.reservation, axis=-1)
    assert z.slack >= np.max(np.min(U - neg.reservation, -1)) - 1e-9
    if ok.any():
        assert not z.empty
        for k, name in enumerate(("x", "y")):
            assert z.ranges[name][0] <= GRID[ok, k].min() + 1e-7
            assert z.ranges[name][1] >= GRID[ok, k].max() - 1e-7
        res = neg.solve("nash")
        if res.agreement:
            for k, name in enumerate(("x", "y")):
                assert z.ranges[name][0] - 1e-7 <= res.coded[k] <= z.ranges[name][1] + 1e-7
