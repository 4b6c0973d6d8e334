"""Security levels against a brute force over mixed strategies and nashpy's zero-sum values."""

import warnings

import nashpy
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

import bargain as bg

games = st.integers(2, 3).flatmap(
    lambda m: st.integers(2, 3).flatmap(
        lambda k: st.tuples(
            st.lists(st.lists(st.integers(-5, 5), min_size=k, max_size=k), min_size=m, max_size=m),
            st.lists(st.lists(st.integers(-5, 5), min_size=k, max_size=k), min_size=m, max_size=m),
        )
    )
)


@settings(max_examples=60, deadline=None)
@given(games)
def test_security_level_is_the_zero_sum_value(game):
    A, B = (np.array(g, float) for g in game)
    res = bg.security_levels(A, B)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p, q = nashpy.Game(A).linear_program()  # row's value of the zero-sum game A
        p2, q2 = nashpy.Game(B.T).linear_program()
    assert res.security[0] == pytest.approx(float(p @ A @ q), abs=1e-8)
    assert res.security[1] == pytest.approx(float(p2 @ B.T @ q2), abs=1e-8)
    x, y = res.strategies
    assert np.min(x @ A) == pytest.approx(res.security[0], abs=1e-9)  # x guarantees it
    assert np.min(B @ y) == pytest.approx(res.security[1], abs=1e-9)


@settings(max_examples=40, deadline=None)
@given(games)
def test_no_equilibrium_pays_less_than_the_security_level(game):
    A, B = (np.array(g, float) for g in game)
    res = bg.security_levels(A, B)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        eqs = list(nashpy.Game(A, B).support_enumeration())
    for x, y in eqs:
        assert x @ A @ y >= res.security[0] - 1e-9
        assert x @ B @ y >= res.security[1] - 1e-9


def test_two_by_two_against_a_fine_grid():
    A = np.array([[2.0, -1.0], [-3.0, 4.0]])
    x = np.linspace(0, 1, 100_001)
    grid = np.minimum(x * A[0, 0] + (1 - x) * A[1, 0], x * A[0, 1] + (1 - x) * A[1, 1]).max()
    # closed form: the two columns meet at x = 7/10, value 2 * 0.7 - 3 * 0.3 = 0.5
    res = bg.security_levels(A, -A)
    assert_allclose(res.security[0], 0.5, atol=1e-12)
    assert grid == pytest.approx(0.5, abs=1e-4)
    assert_allclose(res.strategies[0], [0.7, 0.3], atol=1e-12)


def test_fixed_threat_nash_on_the_hull_is_the_utility_space_solution():
    A, B = np.array([[3.0, 0.0], [5.0, 1.0]]), np.array([[3.0, 5.0], [0.0, 1.0]])
    res = bg.security_levels(A, B)
    P = np.stack([A.ravel(), B.ravel()], -1)
    assert_allclose(res.utilities, bg.nash(P, res.security, hull=True).utilities, atol=1e-12)
    assert res.variable_threat is None


def test_bad_games():
    with pytest.raises(ValueError, match="one shape"):
        bg.security_levels([[1, 2]], [[1], [2]])
