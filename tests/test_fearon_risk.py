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
