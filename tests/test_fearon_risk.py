"""Fearon's bargaining range for any risk attitude: exact inverses, against closed forms."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose

import bargain as bg


def test_power_utilities_have_closed_form_ends():
    # u(x) = x^k: war is worth p - c (A) and 1 - p - c (B); the range is
    # [(p - c_A)^(1/k), 1 - (1 - p - c_B)^(1/k)]
    for k in (0.3, 0.5, 1.0, 2.0, 3.0):
        r = bg.fearon_range(0.6, 0.1, 0.05, utility_a=bg.Power(k), utility_b=bg.Power(k))
        assert_allclose([r.lo, r.hi], [0.5 ** (1 / k), 1 - 0.35 ** (1 / k)], rtol=1e-14)
        assert_allclose(r.war_values, [0.5, 0.35], rtol=1e-15)
        assert r.empty == (r.lo > r.hi)


def test_linear_through_the_general_path_equals_the_closed_form():
    kw = dict(p_a=np.linspace(0.3, 0.9, 13), p_b=0.5)
    closed = bg.fearon_range(0.6, 0.1, 0.15, **kw)
    general = bg.fearon_range(0.6, 0.1, 0.15, utility_a=bg.Linear(), utility_b=bg.Linear(), **kw)
    for key in ("lo", "hi", "slack", "robust_share", "war_values"):
        assert_allclose(general[key], closed[key], rtol=0, atol=1e-15, err_msg=key)
    assert np.array_equal(general.empty, closed.empty)


def test_slack_is_the_equal_gain_point_by_brute_force():
    ua, ub = bg.Exponential(3.0), bg.Power(1.5)  # A risk averse (CARA), B risk acceptant
    r = bg.fearon_range(0.55, 0.08, 0.04, utility_a=ua, utility_b=ub)
    x = np.linspace(0, 1, 2_000_001)
    ra, rb = r.war_values
    gains = np.minimum(ua(x) - ra, ub(1 - x) - rb)
    # the exact maximum beats every grid point and the grid's best is within its spacing
    assert r.slack >= gains.max() - 1e-15
    assert r.slack == pytest.approx(gains.max(), abs=2e-6)
    assert r.robust_share == pytest.approx(x[gains.argmax()], abs=1e-6)
    inside = x[(ua(x) >= ra) & (ub(1 - x) >= rb)]
    assert_allclose([r.lo, r.hi], [inside.min(), inside.max()], atol=1e-6)


@given(k=st.floats(0.1, 1.0), p=st.floats(0.05, 0.95), c=st.floats(0.0, 0.3))
def test_risk_aversion_widens_the_range(k, p, c):
    neutral = bg.fearon_range(p, c, c)
    averse = bg.fearon_range(p, c, c, utility_a=bg.Power(k), utility_b=bg.Power(k))
    assert averse.lo <= neutral.lo + 1e-12 and averse.hi >= neutral.hi - 1e-12


@given(k=st.floats(1.0, 5.0), p=st.floats(0.05, 0.95), c=st.floats(0.0, 0.3))
def test_risk_acceptance_narrows_the_range(k, p, c):
    neutral = bg.fearon_range(p, c, c)
    acceptant = bg.fearon_range(p, c, c, utility_a=bg.Power(k), utility_b=bg.Power(k))
    assert acceptant.lo >= neutral.lo - 1e-12 and acceptant.hi <= neutral.hi + 1e-12


@pytest.mark.parametrize("shape", [(), (12,), (3, 4), (3, 2, 2)])
def test_batched_equals_loop(shape):
    rng = np.random.default_rng(3)
    p = rng.uniform(0, 1, shape)
    k = rng.uniform(0.3, 3.0, shape)
    r = bg.fearon_range(p, 0.05, 0.1, utility_a=bg.Power(k), utility_b=bg.Power(2.0))
    assert np.shape(r.lo) == shape and np.shape(r.war_values) == shape + (2,)
    for idx in np.ndindex(*shape):
        one = bg.fearon_range(
            p[idx], 0.05, 0.1, utility_a=bg.Power(k[idx]), utility_b=bg.Power(2.0)
        )
        for key in ("lo", "hi", "slack", "robust_share"):
            assert np.asarray(r[key])[idx] == pytest.approx(one[key], abs=1e-14), key


def test_bad_utilities():
    with pytest.raises(ValueError, match="`utility_a` must be increasing"):
        bg.fearon_range(0.5, 0.1, 0.1, utility_a=bg.Linear(-1.0, 1.0))
    with pytest.raises(TypeError, match="`utility_b` must be a value function"):
        bg.fearon_range(0.5, 0.1, 0.1, utility_b=bg.Table([0.0, 1.0]))
    with pytest.raises(ValueError, match="`utility_a`: Logarithmic needs 1 \\+ a z > 0"):
        bg.fearon_range(0.5, 0.1, 0.1, utility_a=bg.Logarithmic(2.0, origin=0.8))


def _one_issue(ua, ub, ra, rb, constraints=()):
    agenda = bg.Agenda(bg.ContinuousIssue("x"), constraints=constraints)
    return bg.Negotiation(
        agenda,
        [
            bg.Party("A", bg.AdditiveUtility({"x": ua}), ra),
            bg.Party("B", bg.AdditiveUtility({"x": ub}), rb),
        ],
    )


@pytest.mark.parametrize("k", [1.5, 2.0, 3.0])
def test_zopa_of_risk_acceptant_parties_matches_fearon_range(k):
    # A values its share x at x^k, B values 1 - x at (1 - x)^k
    for ra, rb in ((0.2, 0.3), (0.45, 0.45), (0.05, 0.6)):
        neg = _one_issue(bg.Power(k), bg.Power(k, origin=1.0, decreasing=True), ra, rb)
        z = bg.zopa(neg)
        f = bg.fearon_range(
            ra, 0.0, 0.0, p_a=1.0, p_b=0.0, utility_a=bg.Power(k), utility_b=bg.Power(k)
        )
        # fearon_range's war values: p_a u(1) - c = 1 and 1 - ... : shift to the same reservations
        lo, hi = ra ** (1 / k), 1 - rb ** (1 / k)
        assert z.empty == (lo > hi)
        assert z.slack == pytest.approx(
            np.max(
                np.minimum(
                    np.linspace(0, 1, 200_001) ** k - ra, (1 - np.linspace(0, 1, 200_001)) ** k - rb
                )
            ),
            abs=2e-5,
        )
        if not z.empty:
            assert_allclose(z.ranges["x"], [lo, hi], rtol=1e-13)
            assert z.share == pytest.approx(hi - lo, rel=1e-12)
        assert f.war_values.shape == (2,)


def test_zopa_monotone_path_honours_a_constraint_and_batches():
    cap = bg.LinearConstraint({"x": 1.0}, ub=0.6)
    ra = np.array([0.1, 0.2, 0.5])
    neg = _one_issue(bg.Power(2.0), bg.Power(2.0, origin=1.0, decreasing=True), ra, 0.1, [cap])
    z = bg.zopa(neg)
    lo, hi = np.sqrt(ra), np.minimum(1 - np.sqrt(0.1), 0.6)
    assert np.array_equal(z.empty, lo > hi)
    assert_allclose(
        z.ranges["x"][~z.empty], np.stack([lo, np.full(3, hi)], -1)[~z.empty], rtol=1e-13
    )
    for j in range(3):
        one = bg.zopa(
            _one_issue(bg.Power(2.0), bg.Power(2.0, origin=1.0, decreasing=True), ra[j], 0.1, [cap])
        )
        assert one.slack == pytest.approx(z.slack[j], abs=1e-14)
