"""Commitment problems: Powell's one-shift condition, a hand-worked path, guarantees, batches."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose

import bargain as bg


@given(
    p0=st.floats(0.0, 1.0),
    p1=st.floats(0.0, 1.0),
    c=st.floats(0.0, 0.3),
    delta=st.floats(0.05, 0.99),
)
def test_one_shift_matches_powells_closed_form(p0, p1, c, delta):
    res = bg.commitment([p0, p1], c, c, delta=delta)
    # the state that declines fights at once iff delta * shift > (1 - delta)(1 - own p_0 + c)
    a_fights = (p0 - c) - ((1 - delta) + delta * max(p1 - c, 0.0))
    b_fights = (1 - p0 - c) - ((1 - delta) + delta * max(1 - p1 - c, 0.0))
    expect = max(a_fights, b_fights) > 1e-12 * 2
    if abs(max(a_fights, b_fights)) > 1e-9:  # away from the knife edge
        assert res.war == expect
        if expect:
            assert res.war_time == 0.0
            assert res.initiator == (0 if a_fights > 1e-12 * 2 else 1)
    # with W_A(1) >= 0 the condition is Powell's: delta (p0 - p1) > (1 - delta)(1 - p0 + c)
    if p1 - c >= 0 and abs(a_fights) > 1e-9:
        assert (a_fights > 0) == (delta * (p0 - p1) > (1 - delta) * (1 - p0 + c))


def test_a_gradual_path_by_hand():
    # p = 0.6, 0.5, 0.4 then 0.4; c = 0.05 each; delta = 0.8
    res = bg.commitment([0.6, 0.5, 0.4], 0.05, 0.05, delta=0.8)
    # C_A(3) = 0.35; C_A(2) = max(0.35, 0.28) = 0.35; C_A(1) = max(0.45, 0.28) = 0.45
    # M_A(0) = 0.2 + 0.8 * 0.45 = 0.56 >= W_A(0) = 0.55; M_A(1) = 0.2 + 0.28 = 0.48 >= 0.45;
    # M_A(2) = 0.48 >= 0.35: no war, the margins are -0.01, -0.03, -0.13
    assert not res.war and res.war_time == np.inf and res.initiator == -1
    assert_allclose(res.margin[:, 0], [-0.01, -0.03, -0.13], atol=1e-15)
    # a faster decline: p = 0.6 then 0.3: M_A(0) = 0.2 + 0.8 * 0.25 = 0.4 < 0.55
    fast = bg.commitment([0.6, 0.3], 0.05, 0.05, delta=0.8)
    assert fast.war and fast.war_time == 0.0 and fast.initiator == 0
    assert fast.guarantee_needed == pytest.approx((0.55 - 0.4) / 0.8, abs=1e-15)


def test_the_guarantee_needed_is_exactly_enough():
    rng = np.random.default_rng(8)
    for _ in range(50):
        p = rng.uniform(0, 1, 4)
        c, delta = rng.uniform(0, 0.2), rng.uniform(0.3, 0.95)
        res = bg.commitment(p, c, c, delta=delta)
        g = res.guarantee_needed
        if g > 0:
            assert (
                bg.commitment(p, c, c, delta=delta, guarantee=g * (1 + 1e-9) + 1e-12).war is False
            )
            assert bg.commitment(p, c, c, delta=delta, guarantee=g * (1 - 1e-6)).war is True
            # half credibility needs twice the size
            assert (
                bg.commitment(p, c, c, delta=delta, guarantee=2 * g + 1e-9, credibility=0.5).war
                is False
            )


@given(g=st.floats(0.0, 0.5), dg=st.floats(0.0, 0.5))
def test_a_larger_guarantee_never_causes_war(g, dg):
    a = bg.commitment([0.8, 0.5, 0.2], 0.02, 0.02, delta=0.9, guarantee=g)
    b = bg.commitment([0.8, 0.5, 0.2], 0.02, 0.02, delta=0.9, guarantee=g + dg)
    assert (not a.war) <= (not b.war)
    assert np.all(b.margin <= a.margin + 1e-15)


@pytest.mark.parametrize("shape", [(), (12,), (3, 4), (3, 2, 2)])
def test_batched_equals_loop(shape):
    rng = np.random.default_rng(9)
    p = rng.uniform(0, 1, shape + (3,))
    c = rng.uniform(0, 0.2, shape)
    res = bg.commitment(p, c, 0.05, delta=0.85)
    assert np.shape(res.war) == shape and res.margin.shape == shape + (3, 2)
    for idx in np.ndindex(*shape):
        one = bg.commitment(p[idx], c[idx], 0.05, delta=0.85)
        assert one.war == np.asarray(res.war)[idx]
        assert_allclose(one.margin, res.margin[idx], atol=0)


def test_bad_input():
    with pytest.raises(ValueError, match="`p` must hold probabilities"):
        bg.commitment([0.5, 1.5], 0.1, 0.1, delta=0.9)
    with pytest.raises(ValueError, match="`delta` must be in \\(0, 1\\)"):
        bg.commitment([0.5, 0.4], 0.1, 0.1, delta=1.0)
    with pytest.raises(ValueError, match="`cost_b` must be >= 0"):
        bg.commitment([0.5, 0.4], 0.1, -0.1, delta=0.9)
    with pytest.raises(ValueError, match="`credibility` must be in"):
        bg.commitment([0.5, 0.4], 0.1, 0.1, delta=0.9, credibility=2.0)


def _capped():
    agenda = bg.Agenda(
        bg.DiscreteIssue("cap", ["low", "mid", "none"]), bg.DiscreteIssue("aid", ["no", "yes"])
    )
    ug = bg.AdditiveUtility({"cap": bg.Table([0.5, 0.4, 0.2]), "aid": bg.Table([0.2, 0.0])})
    ur = bg.AdditiveUtility({"cap": bg.Table([0.1, 0.3, 0.5]), "aid": bg.Table([0.0, 0.3])})
    return bg.Negotiation(agenda, [bg.Party("G", ug, 0.2), bg.Party("R", ur, 0.2)])


def _war_values(X):
    W = np.full((len(X), 3, 2), 0.2)
    W[:, 2, 1] = 0.2 + 0.25 * X[:, 0]  # the rebels' power later grows with a looser cap
    return W


def test_self_enforcing_against_a_direct_check():
    talks = _capped()
    res = bg.self_enforcing(talks, _war_values)
    X = talks.agenda.enumerate()
    U = talks.coded_utilities(X)
    W = _war_values(X)
    direct = np.all(U[:, None, :] >= W, axis=(-2, -1))
    assert np.array_equal(res.self_enforcing, direct)
    assert_allclose(res.shortfall, (W - U[:, None, :]).max(axis=(-2, -1)), atol=0)


@given(g=st.floats(0.0, 0.4), dg=st.floats(0.0, 0.4))
def test_self_enforcing_outcomes_stay_so_as_the_guarantee_grows(g, dg):
    talks = _capped()
    a = bg.self_enforcing(talks, _war_values, guarantee=g)
    b = bg.self_enforcing(talks, _war_values, guarantee=g + dg)
    assert np.all(b.self_enforcing[a.self_enforcing])


def test_the_guarantee_needed_makes_the_nash_deal_self_enforcing():
    talks = _capped()
    res = bg.self_enforcing(talks, _war_values)
    need = res.guarantee_needed
    best = talks.agenda.encode(res.best)
    k = int(np.flatnonzero((res.coded_outcomes == best).all(axis=1))[0])
    after = bg.self_enforcing(talks, _war_values, guarantee=need + 1e-12)
    assert after.self_enforcing[k]
    if need > 0:
        assert not bg.self_enforcing(talks, _war_values, guarantee=need * 0.999).self_enforcing[k]
    half = bg.self_enforcing(talks, _war_values, credibility=0.5)
    assert half.guarantee_needed == pytest.approx(2 * need, abs=1e-15)


def test_self_enforcing_bad_input():
    talks = _capped()
    with pytest.raises(ValueError, match="must have shape \\(T, 2\\)"):
        bg.self_enforcing(talks, np.zeros((3, 3)))
    with pytest.raises(ValueError, match="must return shape \\(6, T, 2\\)"):
        bg.self_enforcing(talks, lambda X: np.zeros((len(X), 2)))
