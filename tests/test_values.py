import cvxpy as cp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bargain as bg
from bargain.issues._values import check_concave

X = np.linspace(0.07, 0.93, 6)  # avoids the kinks at 0.3 and 0.5

CLOSED_FORMS = [
    (bg.Linear(2.0, 0.5), lambda x: 0.5 + 2 * x, True, "increasing"),
    (bg.Linear(-1.0, 1.0), lambda x: 1 - x, True, "decreasing"),
    (bg.Power(0.5), np.sqrt, True, "increasing"),
    (bg.Power(2.0, origin=1.0, decreasing=True), lambda x: (1 - x) ** 2, False, "decreasing"),
    (bg.Exponential(2.0), lambda x: (1 - np.exp(-2 * x)) / 2, True, "increasing"),
    (bg.Exponential(-1.0), lambda x: np.expm1(x), False, "increasing"),
    (bg.Exponential(0.0), lambda x: x, True, "increasing"),
    (bg.Logarithmic(3.0), lambda x: np.log1p(3 * x) / 3, True, "increasing"),
    (bg.Logarithmic(1.0, origin=1.0, decreasing=True), lambda x: np.log(2 - x), True, "decreasing"),
    (
        bg.PiecewiseLinear([0, 0.5, 1], [0, 0.8, 1]),
        lambda x: np.interp(x, [0, 0.5, 1], [0, 0.8, 1]),
        True,
        "increasing",
    ),
    (
        bg.PiecewiseLinear([0, 0.5, 1], [0, 0.2, 1]),
        lambda x: np.interp(x, [0, 0.5, 1], [0, 0.2, 1]),
        False,
        "increasing",
    ),
    (bg.IdealPoint(0.3), lambda x: -((x - 0.3) ** 2), True, None),
    (bg.IdealPoint(0.3, loss="linear", scale=2), lambda x: -2 * np.abs(x - 0.3), True, None),
]


@pytest.mark.parametrize(("v", "f", "concave", "monotone"), CLOSED_FORMS, ids=repr)
def test_values_assumptions_and_derivatives(v, f, concave, monotone):
    np.testing.assert_allclose(v(X), f(X), rtol=1e-14, atol=1e-15)
    assert v.concave is concave
    assert v.monotone == monotone
    h = 1e-6
    np.testing.assert_allclose(v.derivative(X), (f(X + h) - f(X - h)) / (2 * h), rtol=1e-6)


@pytest.mark.parametrize(
    "v",
    [c[0] for c in CLOSED_FORMS if c[2]],
    ids=repr,
)
def test_cvxpy_expressions_match(v):
    x = cp.Variable()
    for value in X:
        x.value = value
        assert v.expr(x).value == pytest.approx(float(v(value)), rel=1e-12, abs=1e-14)


def test_outer_evaluation_contract():
    v = bg.Power(np.array([[0.25], [0.5], [1.0]]) * np.ones((3, 4)))
    assert v.batch_shape == (3, 4)
    out = v(np.zeros((2, 5)) + 0.5)
    assert out.shape == (3, 4, 2, 5)
    np.testing.assert_allclose(out[1, 2], np.full((2, 5), 0.5**0.5))
    # aligned: one x per batch element
    al = v._aligned(np.full((3, 4), 0.25))
    np.testing.assert_allclose(al[:, 0], [0.25**0.25, 0.5, 0.25])


def test_table():
    t = bg.Table([[0.0, 1.0, 2.0], [5.0, 4.0, 3.0]])
    assert t.batch_shape == (2,)
    np.testing.assert_array_equal(t([0, 2]), [[0, 2], [5, 3]])
    labelled = bg.Table({"b": 1.0, "a": 0.0})
    g = bg.DiscreteIssue("g", ["a", "b"])
    np.testing.assert_array_equal(labelled.bind(g, "")([0, 1]), [0.0, 1.0])
    with pytest.raises(ValueError, match=r"unknown option\(s\) \['c'\]"):
        bg.Table({"a": 0, "c": 1}).bind(g, "")
    with pytest.raises(ValueError, match=r"3 values but the issue has 2 options"):
        bg.Table([0, 1, 2]).bind(g, "")


@settings(max_examples=200, deadline=None)
@given(
    p=st.floats(0.05, 1.0),
    a=st.floats(0.0, 5.0),
    knots=st.lists(st.floats(-2, 2), min_size=3, max_size=3),
)
def test_declared_concavity_holds(p, a, knots):
    """Every value function declared concave has non-positive second differences."""
    slopes = np.sort(knots)[::-1]
    vals = np.concatenate([[0.0], np.cumsum(slopes) / 3])
    grid = np.linspace(0, 1, 201)
    for v in (
        bg.Power(p),
        bg.Exponential(a),
        bg.Logarithmic(a + 0.1),
        bg.PiecewiseLinear(np.linspace(0, 1, 4), vals),
    ):
        assert v.concave
        y = v(grid)
        assert np.all(y[2:] - 2 * y[1:-1] + y[:-2] <= 1e-12), v


def test_custom_value_function():
    v = bg.Custom(np.sqrt, concave=True)
    np.testing.assert_allclose(v.derivative(np.array([0.25])), [1.0], rtol=1e-8)
    check_concave(v, 0, 1, "")
    lying = bg.Custom(np.square, concave=True)
    with pytest.raises(ValueError, match=r"declared concave but is not"):
        check_concave(lying, 0, 1, "party 'A', issue 'x': ")
    with pytest.raises(ValueError, match=r"is not concave"):
        check_concave(bg.Power(2.0), 0, 1, "")


def test_parameter_validation():
    with pytest.raises(ValueError, match=r"exponent"):
        bg.Power(-1)
    with pytest.raises(ValueError, match=r"strictly increasing"):
        bg.PiecewiseLinear([0, 0, 1], [0, 1, 2])
    with pytest.raises(ValueError, match=r"loss"):
        bg.IdealPoint(0.5, loss="cubic")
    with pytest.raises(ValueError, match=r"do not broadcast"):
        bg.Linear([1, 2], [1, 2, 3])
    with pytest.raises(ValueError, match=r"x - origin >= 0"):
        bg.Power(0.5, origin=0.5).check_domain(0, 1, "")


def test_piecewise_concavity_survives_rounding_at_close_knots():
    # equal slopes through knots 1e-7 apart: the recomputed slopes differ by rounding only
    knots = np.array([0.0, 0.5, 0.5000001, 1.0])
    values = np.concatenate([[0.0], np.cumsum(0.1 * np.diff(knots))])
    assert bg.PiecewiseLinear(knots, values).concave
    # a real kink upwards at close knots is still convex
    assert not bg.PiecewiseLinear([0.0, 0.5, 0.5000001, 1.0], [0.0, 0.05, 0.0500001, 0.3]).concave
