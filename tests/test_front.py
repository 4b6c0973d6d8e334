"""Battlefield dynamics: the front line's values against War, simulation and a hand derivation."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

import bargain as bg


def talks(delta=0.9, ra=0.0, rb=0.0):
    agenda = bg.Agenda(bg.ContinuousIssue("x"))
    return bg.Negotiation(
        agenda,
        [
            bg.Party("A", bg.AdditiveUtility({"x": bg.Linear()}), ra, discount=delta),
            bg.Party("B", bg.AdditiveUtility({"x": bg.Linear(-1.0, 1.0)}), rb, discount=delta),
        ],
    )


STATES = {"stalemate": {"x": 0.5}, "A wins": {"x": 1.0}, "B wins": {"x": 0.0}}


def front(P, costs=(0.02, 0.02), start="stalemate"):
    return bg.FrontLine(
        STATES,
        decisive=["A wins", "B wins"],
        transitions=P,
        start=start,
        cost_per_period={"A": costs[0], "B": costs[1]},
    )


@pytest.mark.parametrize("lam", [0.05, 0.2, 0.7, 1.0])
def test_one_fighting_state_is_the_war_of_attrition(lam):
    P = [[1 - lam, 0.6 * lam, 0.4 * lam], [0, 1, 0], [0, 0, 1]]
    war = bg.War(
        {"A wins": {"x": 1.0}, "B wins": {"x": 0.0}},
        {"A": [0.6, 0.4], "B": [0.6, 0.4]},
        cost_per_period={"A": 0.02, "B": 0.02},
        hazard=lam,
    )
    neg = talks()
    assert_allclose(front(P).reservation_path(neg, [0])[0], war.reservation(neg), rtol=1e-13)


def test_values_against_a_monte_carlo_simulation():
    P = np.array([[0.7, 0.2, 0.05, 0.05], [0.3, 0.5, 0.1, 0.1], [0, 0, 1, 0], [0, 0, 0, 1]])
    states = {"west": {"x": 0.4}, "east": {"x": 0.6}, "A wins": {"x": 1.0}, "B wins": {"x": 0.0}}
    f = bg.FrontLine(states, ["A wins", "B wins"], P, start="west", cost_per_period=[0.03, 0.01])
    neg = talks(delta=0.85)
    V = f.values(neg)[-1]
    rng = np.random.default_rng(11)
    N, total = 20_000, np.zeros(2)
    U = np.array([[0.4, 0.6], [0.6, 0.4], [1.0, 0.0], [0.0, 1.0]])
    for _ in range(N):
        s, disc, pay = 0, 1.0, np.zeros(2)
        while s < 2:
            pay -= disc * np.array([0.03, 0.01])
            s = rng.choice(4, p=P[s])
            disc *= 0.85
        total += pay + disc * U[s]
    assert_allclose(total / N, V[0], atol=0.01)


def test_time_varying_chain_by_hand():
    # date 0: the stalemate breaks toward A with 0.5 (its offensive); then stationary 0.1 / 0.1
    P0 = [[0.5, 0.5, 0.0], [0, 1, 0], [0, 0, 1]]
    P1 = [[0.8, 0.1, 0.1], [0, 1, 0], [0, 0, 1]]
    f = front([P0, P1])
    neg = talks()
    V = f.values(neg)
    # stationary stalemate value 0.25 each; at date 0: -0.02 + 0.9 (0.5 * 0.25 + 0.5 * V(win))
    assert_allclose(V[-1, 0], [0.25, 0.25], atol=1e-15)
    assert_allclose(
        V[0, 0], [-0.02 + 0.9 * (0.5 * 0.25 + 0.5), -0.02 + 0.9 * (0.5 * 0.25)], atol=1e-15
    )


def test_disagreeing_beliefs_and_a_ripe_moment():
    # A expects its offensive to succeed, B expects to hold: while both are optimistic the ZOPA
    # is closed; fighting costs erode both continuation values until a deal is better (the
    # mutually hurting stalemate)
    beliefs = {
        "A": [[0.7, 0.25, 0.05], [0, 1, 0], [0, 0, 1]],
        "B": [[0.7, 0.05, 0.25], [0, 1, 0], [0, 0, 1]],
    }
    f = bg.FrontLine(
        STATES, ["A wins", "B wins"], beliefs, start="stalemate", cost_per_period=[0.06, 0.06]
    )
    neg = talks(delta=0.95)
    dates = np.arange(0, 30)
    R = f.reservation_path(neg, dates)
    # one fighting state: while the war is on the front is at the stalemate, so r = V(stalemate)
    V = f.values(neg)[-1]
    assert_allclose(R[:, 0], V[0, 0], atol=1e-14)
    assert_allclose(R[:, 1], V[0, 1], atol=1e-14)
    res = bg.ripeness(neg, front=f, times=dates)
    assert_allclose(res.reservation, R, atol=0)
    assert np.array_equal(res.open, res.slack >= 0)
    if res.ripe:
        assert res.ripe_time == dates[np.argmax(res.slack >= 0)]


def test_two_fighting_lines_weight_by_the_conditional_front():
    P = np.array([[0.6, 0.3, 0.1, 0.0], [0.2, 0.6, 0.0, 0.2], [0, 0, 1, 0], [0, 0, 0, 1]])
    states = {"west": {"x": 0.4}, "east": {"x": 0.6}, "A wins": {"x": 1.0}, "B wins": {"x": 0.0}}
    f = bg.FrontLine(states, ["A wins", "B wins"], P, start="west", cost_per_period=[0.02, 0.02])
    neg = talks(delta=0.9)
    V = f.values(neg)[-1]
    R = f.reservation_path(neg, [0, 1, 2])
    pi = np.array([1.0, 0, 0, 0])
    for t in range(3):
        w = pi[:2] / pi[:2].sum()
        assert_allclose(R[t], w @ V[:2], atol=1e-14)
        pi = pi @ P


def test_bad_input():
    with pytest.raises(ValueError, match="every row must sum to 1"):
        front([[0.5, 0.1, 0.1], [0, 1, 0], [0, 0, 1]]).values(talks())
    with pytest.raises(ValueError, match="a decisive state must stay"):
        front([[0.8, 0.1, 0.1], [0.5, 0.5, 0], [0, 0, 1]]).values(talks())
    with pytest.raises(ValueError, match="must have shape \\(S, S\\)"):
        front([[0.5, 0.5], [0.5, 0.5]]).values(talks())
    with pytest.raises(ValueError, match="unknown state 'nowhere'"):
        front(np.eye(3), start="nowhere")
    with pytest.raises(ValueError, match="`decisive` names unknown states"):
        bg.FrontLine(STATES, ["A won"], np.eye(3), start="stalemate")
    with pytest.raises(ValueError, match="can go on for ever"):
        front([[1.0, 0.0, 0.0], [0, 1, 0], [0, 0, 1]]).values(talks(delta=1.0))


@pytest.mark.parametrize("shape", [(), (12,), (3, 4), (3, 2, 2)])
def test_batched_discounts_and_costs_equal_one_front_at_a_time(shape):
    rng = np.random.default_rng(5)
    delta = rng.uniform(0.7, 0.99, shape + (2,))
    kappa = rng.uniform(0.0, 0.05, shape)
    P = [
        [[0.7, 0.2, 0.1], [0, 1, 0], [0, 0, 1]],
        [[0.9, 0.05, 0.05], [0, 1, 0], [0, 0, 1]],
    ]
    agenda = bg.Agenda(bg.ContinuousIssue("x"))
    neg = bg.Negotiation(
        agenda,
        [
            bg.Party("A", bg.AdditiveUtility({"x": bg.Linear()}), discount=delta[..., 0]),
            bg.Party("B", bg.AdditiveUtility({"x": bg.Linear(-1.0, 1.0)}), discount=delta[..., 1]),
        ],
    )
    f = bg.FrontLine(
        STATES, ["A wins", "B wins"], P, start="stalemate", cost_per_period={"A": kappa, "B": 0.01}
    )
    R = f.reservation_path(neg, [0, 1, 3])
    assert R.shape == shape + (3, 2)
    for idx in np.ndindex(*shape):
        one = front(P, costs=(float(kappa[idx]), 0.01)).reservation_path(
            talks_pair(delta[idx]), [0, 1, 3]
        )
        assert_allclose(R[idx], one, rtol=1e-12, atol=1e-15)


def talks_pair(delta):
    agenda = bg.Agenda(bg.ContinuousIssue("x"))
    return bg.Negotiation(
        agenda,
        [
            bg.Party("A", bg.AdditiveUtility({"x": bg.Linear()}), discount=float(delta[0])),
            bg.Party(
                "B", bg.AdditiveUtility({"x": bg.Linear(-1.0, 1.0)}), discount=float(delta[1])
            ),
        ],
    )
