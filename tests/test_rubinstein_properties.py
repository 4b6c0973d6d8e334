"""Properties of the alternating-offers SPE (Hypothesis, 200 examples each).

- the first-mover advantage vanishes as both discount factors tend to 1;
- a party's share increases in its own patience and decreases in the other's;
- the finite-horizon SPE converges to the infinite-horizon one, geometrically;
- the SPE converges to the generalised Nash solution as the time between
  offers vanishes, at rate O(Delta), and brackets it for every Delta.

Pie cases use the closed form and cost microseconds; frontier cases solve a
small batch per example in one call.
"""

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import bargain as bg


def values(resolution, lo, hi):
    """Grid values ``k / resolution`` in ``[lo, hi]``."""
    return st.integers(round(lo * resolution), round(hi * resolution)).map(lambda k: k / resolution)


VALUE_FUNCTIONS = st.one_of(
    st.just("linear"),
    st.tuples(st.just("power"), values(100, 0.1, 1.0)),
    st.tuples(st.just("cara"), values(100, 0.1, 5.0)),
    st.tuples(st.just("log"), values(100, 0.1, 20.0)),
)

PROPERTY = settings(max_examples=200, deadline=None)
ROOT = 1e-10  # frontier utilities: |dt| <= 1e-15 times slopes up to ~1e4 near steep ends

discounts = values(1000, 0.05, 0.95)
small_d = values(100, 0.0, 0.3)


@st.composite
def split_frontiers(draw):
    """A concave split frontier with random value functions and scales."""
    scale = (draw(values(100, 0.2, 3.0)), draw(values(100, 0.2, 3.0)))
    F = bg.Frontier.split(draw(VALUE_FUNCTIONS), draw(VALUE_FUNCTIONS), scale=scale)
    d = np.array([draw(small_d), draw(small_d)]) * scale
    return F, np.array(scale), d


@PROPERTY
@given(discounts, discounts, split_frontiers())
@example(0.5, 0.5, (bg.Frontier.split(), np.ones(2), np.zeros(2)))
@example(
    0.05,
    0.092,
    (
        bg.Frontier.split(("power", 0.1), ("power", 0.1), scale=(0.2, 0.2)),
        np.full(2, 0.2),
        np.zeros(2),
    ),
)
def test_first_mover_advantage_vanishes_as_patience_grows(d1, d2, problem):
    F, scale, d = problem
    s = np.array([1.0, 1e-1, 1e-3, 1e-6])  # delta_i(s) = 1 - s (1 - delta_i) -> 1
    delta = 1.0 - s[:, None] * np.array([1.0 - d1, 1.0 - d2])
    pie = bg.rubinstein(delta)
    fma = pie.first_mover_advantage
    assert np.all(fma >= 0)
    # on the pie fma = (1 - delta_1) x* <= 1 - delta_1 (both parties' advantages are equal)
    assert np.all(fma[:, 0] <= s * (1 - d1) + 1e-15)
    assert np.all(np.diff(fma[:, 0]) <= 1e-15)
    res = bg.rubinstein(delta, F, d)
    assert np.all(res.agreement)
    fma = res.first_mover_advantage
    # the utilities are exact up to the frontier's slope times the float resolution of
    # its parameter (near t = 1, 1 - t carries only a few digits on steep power frontiers)
    X = np.asarray(res.proposals_x)
    slope = np.abs(F.derivative(X[..., 0])) + np.abs(F.derivative(X[..., 1]))
    tol = ROOT * scale + 8 * np.finfo(float).eps * slope
    assert np.all(fma >= -tol)
    # fma_i = (1 - delta_i) (u_i(own proposal) - d_i) <= s (1 - delta_i) scale_i
    assert np.all(fma <= s[:, None] * np.array([1 - d1, 1 - d2]) * scale + tol)


@PROPERTY
@given(discounts, discounts, values(1000, 0.001, 0.04), split_frontiers())
def test_share_increases_in_own_and_decreases_in_others_patience(d1, d2, h, problem):
    F, scale, d = problem
    delta = np.array([[d1, d2], [d1 + h, d2], [d1, d2 + h]])
    first = np.array([[0], [1]])  # batch (first mover, perturbation)
    pies = bg.rubinstein(delta, first=first).utilities
    us = bg.rubinstein(delta, F, d, first=first).utilities
    tol = ROOT * scale
    for pie, u in zip(pies, us, strict=True):
        assert pie[1, 0] > pie[0, 0] and pie[2, 0] < pie[0, 0]  # party 1's share
        assert pie[2, 1] > pie[0, 1] and pie[1, 1] < pie[0, 1]  # party 2's share
        assert u[1, 0] >= u[0, 0] - tol[0] and u[2, 0] <= u[0, 0] + tol[0]
        assert u[2, 1] >= u[0, 1] - tol[1] and u[1, 1] <= u[0, 1] + tol[1]


@PROPERTY
@given(
    discounts,
    discounts,
    values(100, 0.0, 0.5),
    st.tuples(small_d, small_d),
    st.tuples(values(100, 0.0, 0.7), values(100, 0.0, 0.7)),
    st.integers(1, 300),
)
def test_finite_horizon_converges_to_infinite_horizon(d1, d2, p, d, w, T):
    args = dict(d=np.array(d), breakdown=p, outside=np.array(w))
    inf = bg.rubinstein([d1, d2], None, **args)
    fin = bg.rubinstein([d1, d2], None, horizon=np.array([T, T + 1, 2 * T]), **args)
    assert np.array_equal(fin.agreement, np.full(3, inf.agreement))
    if not inf.agreement:
        return
    a1a2 = (1 - p) ** 2 * d1 * d2
    # each two rounds of backward induction apply a clipped affine map of slope a1 a2
    for k, n in enumerate([T, T + 1, 2 * T]):
        bound = a1a2 ** ((n - 1) // 2) + 1e-14
        assert np.all(np.abs(fin.proposals_x[k] - inf.proposals_x) <= bound)


@pytest.mark.slow
@PROPERTY
@given(values(100, 0.1, 5.0), values(100, 0.1, 5.0), values(100, 0.0, 1.0), split_frontiers())
def test_spe_converges_to_nash_as_delta_vanishes(r1, r2, lam, problem):
    F, scale, d = problem
    r = np.array([r1, r2])
    Delta = np.array([1e-1, 1e-3, 1e-5])
    a = np.exp(-Delta[:, None] * (r + lam))
    spe = bg.rubinstein(np.exp(-Delta[:, None] * r), F, d, breakdown=1 - np.exp(-lam * Delta))
    lim = bg.rubinstein_nash_limit(r, F, d, breakdown_rate=lam)
    assert np.all(spe.agreement) and lim.agreement
    P = spe.proposals  # (Delta, proposer, party)
    uN = lim.utilities
    tol = 1e-9 * scale
    # certificate: the Nash point with powers 1/(r_i + lambda) lies between y* and x*
    assert np.all(P[:, 1, 0] <= uN[0] + tol[0]) and np.all(uN[0] <= P[:, 0, 0] + tol[0])
    assert np.all(P[:, 0, 1] <= uN[1] + tol[1]) and np.all(uN[1] <= P[:, 1, 1] + tol[1])
    # rate: the bracket's width is (1 - a_i)(u_i(own) - d_i) <= (r_i + lambda) Delta scale_i
    err = np.abs(P - uN).max(axis=1)
    bound = (1 - a) * (P[:, [0, 1], [0, 1]] - d)
    assert np.all(err <= bound + tol)
    assert np.all(bound <= (r + lam) * Delta[:, None] * scale + tol)
