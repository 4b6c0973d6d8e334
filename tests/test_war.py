"""War as a costly lottery: reservation values against hand derivations, properties, batches."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose

import bargain as bg


def pie():
    agenda = bg.Agenda(bg.ContinuousIssue("x"))
    return bg.Negotiation(
        agenda,
        [
            bg.Party("A", bg.AdditiveUtility({"x": bg.Linear()}), discount=0.9),
            bg.Party("B", bg.AdditiveUtility({"x": bg.Linear(-1.0, 1.0)}), discount=0.8),
        ],
    )


def two_outcome(p_a, p_b, c_a=0.1, c_b=0.1):
    """A wins all of x with probability p_a (A's belief) and p_b (B's belief)."""
    pa, pb = np.asarray(p_a, float), np.asarray(p_b, float)
    return bg.War(
        {"A wins": {"x": 1.0}, "B wins": {"x": 0.0}},
        {"A": np.stack([pa, 1 - pa], -1), "B": np.stack([pb, 1 - pb], -1)},
        costs={"A": c_a, "B": c_b},
    )


def test_fearon_pie_by_hand():
    # r_A = p_A - c_A, r_B = (1 - p_B) - c_B; the ZOPA is [p_A - c_A, p_B + c_B]
    war = two_outcome(0.6, 0.55, 0.1, 0.15)
    r = war.reservation(pie())
    assert_allclose(r, [0.5, 0.3], rtol=0, atol=1e-15)
    z = bg.zopa(war.apply(pie()))
    assert_allclose(z.ranges["x"], [0.5, 0.7], atol=1e-12)
    f = bg.fearon_range(0.6, 0.1, 0.15, p_a=0.6, p_b=0.55)
    assert_allclose([f.lo, f.hi], [0.5, 0.7], atol=1e-15)
    assert war.optimism(pie()) == pytest.approx(0.05, abs=1e-15)  # 0.6 + 0.45 - 1


def test_zopa_closes_exactly_when_optimism_exceeds_the_joint_cost():
    p_a = np.linspace(0.5, 0.9, 41)
    war = two_outcome(p_a, 0.5, 0.1, 0.1)
    slack = np.asarray(bg.zopa(war.apply(pie())).slack)
    optimism = war.optimism(pie())
    assert_allclose(optimism, p_a - 0.5, atol=1e-15)
    # slack = (joint cost - optimism) / 2 on the linear pie
    assert_allclose(slack, (0.2 - optimism) / 2, atol=1e-9)
    assert np.array_equal(slack < -1e-12, optimism > 0.2 + 1e-12)


def test_war_of_attrition_closed_form_and_series():
    # r = (lam delta E - kappa) / (1 - delta (1 - lam)); check against the series it sums
    war = bg.War(
        {"A wins": {"x": 1.0}, "B wins": {"x": 0.0}},
        {"A": [0.7, 0.3], "B": [0.4, 0.6]},
        cost_per_period={"A": 0.05, "B": 0.02},
        hazard=0.25,
    )
    r = war.reservation(pie())  # the parties' discount factors 0.9, 0.8
    E = np.array([0.7, 0.6])
    kappa, delta, lam = np.array([0.05, 0.02]), np.array([0.9, 0.8]), 0.25
    t = np.arange(2000)[:, None]
    series = ((delta * (1 - lam)) ** t * (lam * delta * E - kappa)).sum(axis=0)
    assert_allclose(r, series, rtol=1e-12)
    assert_allclose(r, (lam * delta * E - kappa) / (1 - delta * (1 - lam)), rtol=1e-15)


def test_one_off_is_the_attrition_war_decided_at_once_undiscounted():
    one = two_outcome(0.6, 0.3, 0.1, 0.2)
    attrition = bg.War(
        {"A wins": {"x": 1.0}, "B wins": {"x": 0.0}},
        {"A": [0.6, 0.4], "B": [0.3, 0.7]},
        cost_per_period={"A": 0.1, "B": 0.2},
        hazard=1.0,
        discount=[1.0, 1.0],
    )
    assert_allclose(attrition.reservation(pie()), one.reservation(pie()), rtol=0, atol=1e-15)


def test_discrete_end_states_and_utility_vectors_agree():
    agenda = bg.Agenda(bg.DiscreteIssue("line", ["west", "current", "east"]))
    ua = bg.AdditiveUtility({"line": bg.Table([0.2, 0.5, 0.9])})
    ub = bg.AdditiveUtility({"line": bg.Table([0.9, 0.6, 0.1])})
    talks = bg.Negotiation(agenda, [bg.Party("U", ua), bg.Party("R", ub)])
    probs = {"U": {"west": 0.2, "current": 0.5, "east": 0.3}, "R": [0.4, 0.5, 0.1]}
    war = bg.War(
        {"west": {"line": "west"}, "current": {"line": "current"}, "east": {"line": "east"}},
        probs,
        costs={"U": 0.05, "R": 0.1},
    )
    # U: 0.2*0.2 + 0.5*0.5 + 0.3*0.9 - 0.05 = 0.51; R: 0.4*0.9 + 0.5*0.6 + 0.1*0.1 - 0.1 = 0.57
    assert_allclose(war.reservation(talks), [0.51, 0.57], atol=1e-15)
    U = war.end_state_utilities(talks)
    flat = bg.War(U, [[0.2, 0.5, 0.3], [0.4, 0.5, 0.1]], costs=[0.05, 0.1])
    assert_allclose(flat.reservation(), [0.51, 0.57], atol=1e-15)


@given(
    p=st.floats(0.0, 1.0),
    dp=st.floats(0.0, 1.0),
    c=st.floats(0.0, 1.0),
    dc=st.floats(0.0, 1.0),
)
def test_reservation_rises_with_own_victory_and_falls_with_own_cost(p, dp, c, dc):
    p2 = min(1.0, p + dp)
    r1 = two_outcome(p, 0.5, c, 0.1).reservation(pie())
    r2 = two_outcome(p2, 0.5, c, 0.1).reservation(pie())
    r3 = two_outcome(p, 0.5, c + dc, 0.1).reservation(pie())
    assert r2[0] >= r1[0] - 1e-15 and r2[1] == r1[1]
    assert r3[0] <= r1[0] + 1e-15 and r3[1] == r1[1]


@given(
    lam=st.floats(0.01, 1.0),
    delta=st.floats(0.5, 0.99),
    kappa=st.floats(0.0, 0.5),
    dk=st.floats(0.0, 0.5),
)
def test_attrition_value_falls_with_the_cost_per_period(lam, delta, kappa, dk):
    def r(k):
        return bg.War(
            [[1.0, 0.0], [0.0, 1.0]],
            [[0.6, 0.4], [0.5, 0.5]],
            cost_per_period=[k, 0.0],
            hazard=lam,
            discount=[delta, delta],
        ).reservation()[0]

    assert r(kappa + dk) <= r(kappa) + 1e-15


@pytest.mark.parametrize("shape", [(), (12,), (3, 4), (3, 2, 2)])
def test_batched_equals_loop(shape):
    rng = np.random.default_rng(7)
    p_a = rng.uniform(0, 1, shape)
    c_b = rng.uniform(0, 0.3, shape)
    war = two_outcome(p_a, 0.4, 0.1, c_b)
    r = war.reservation(pie())
    assert r.shape == shape + (2,)
    z = bg.zopa(war.apply(pie()))
    assert np.shape(z.slack) == shape
    for idx in np.ndindex(*shape):
        one = two_outcome(p_a[idx], 0.4, 0.1, c_b[idx])
        assert_allclose(r[idx], one.reservation(pie()), rtol=0, atol=1e-15)
        assert np.asarray(z.slack)[idx] == pytest.approx(bg.zopa(one.apply(pie())).slack, abs=1e-12)


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        (dict(probabilities={"A": [0.6, 0.3], "B": [0.5, 0.5]}), "of A must sum to 1"),
        (dict(probabilities={"A": [1.2, -0.2], "B": [0.5, 0.5]}), "must be >= 0"),
        (dict(probabilities={"A": [0.6, 0.4]}), "missing: ['B']"),
        (dict(probabilities={"A": [0.6, 0.4], "B": [0.5, 0.5], "C": [1, 0]}), "unknown: ['C']"),
        (dict(probabilities={"A": [0.6, 0.2, 0.2], "B": [0.5, 0.5]}), "must give 2 probabilities"),
        (dict(probabilities={"A": {"A won": 1.0}, "B": [0.5, 0.5]}), "unknown end-states"),
        (dict(costs={"A": -0.1}), "`costs` must be >= 0"),
        (dict(costs={"Z": 0.1}), "unknown parties ['Z']"),
    ],
)
def test_bad_input_names_the_argument(kwargs, fragment):
    base = dict(
        end_states={"A wins": {"x": 1.0}, "B wins": {"x": 0.0}},
        probabilities={"A": [0.6, 0.4], "B": [0.5, 0.5]},
        costs={"A": 0.1, "B": 0.1},
    )
    base.update(kwargs)
    war = bg.War(**base)
    with pytest.raises(ValueError) as info:
        war.reservation(pie())
    assert fragment in str(info.value)


def test_end_states_outside_the_agenda():
    war = bg.War({"win": {"x": 1.5}, "loss": {"x": 0.0}}, [[1, 0], [0, 1]])
    with pytest.raises(ValueError, match=r"end-state 'win': issue 'x': value\(s\) \[1\.5\] out of"):
        war.reservation(pie())
    war = bg.War({"win": {"y": 1.0}, "loss": {"x": 0.0}}, [[1, 0], [0, 1]])
    with pytest.raises(ValueError, match="end-state 'win' must give every issue"):
        war.reservation(pie())


def test_constructor_errors():
    with pytest.raises(ValueError, match="either `costs`"):
        bg.War([[1, 0], [0, 1]], [[1, 0], [0, 1]], costs=[0.1, 0.1], cost_per_period=[0.1, 0.1])
    with pytest.raises(ValueError, match="`hazard` must be a probability"):
        bg.War([[1, 0], [0, 1]], [[1, 0], [0, 1]], cost_per_period=[0.1, 0.1], hazard=1.5)
    with pytest.raises(ValueError, match="`hazard` applies to a war of attrition"):
        bg.War([[1, 0], [0, 1]], [[1, 0], [0, 1]], hazard=0.5)
    with pytest.raises(ValueError, match="no finite value"):
        bg.War(
            [[1, 0], [0, 1]],
            [[1, 0], [0, 1]],
            cost_per_period=[0.1, 0.1],
            hazard=0.0,
            discount=[1.0, 1.0],
        ).reservation()
