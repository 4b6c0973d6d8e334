"""Levers that move the war (battlefield shifts, war costs) and side payments to several parties."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

import bargain as bg
from bargain.io._model import loads_model


def pie(ra=0.0, rb=0.0):
    agenda = bg.Agenda(bg.ContinuousIssue("x"))
    return bg.Negotiation(
        agenda,
        [
            bg.Party("A", bg.AdditiveUtility({"x": bg.Linear()}), ra),
            bg.Party("B", bg.AdditiveUtility({"x": bg.Linear(-1.0, 1.0)}), rb),
        ],
    )


def war(pa=0.5, pb=0.5, cost=0.1):
    return bg.War(
        {"A wins": {"x": 1.0}, "B wins": {"x": 0.0}},
        {"A": [pa, 1 - pa], "B": [pb, 1 - pb]},
        costs={"A": cost, "B": cost},
    )


def test_a_battlefield_shift_equals_the_shifted_war():
    w = war(0.6, 0.3)
    talks = w.apply(pie())
    lever = bg.BattlefieldShift(w, "B wins", 0.5, credibility=0.8)
    t = np.array([0.0, 0.5, 1.0, 2.0])
    mod, transfer, coercion, _ = bg.apply_levers(talks, lever, t)
    theta = 0.4 * t  # credibility x amount x intensity
    for k, th in enumerate(theta):
        shifted = bg.War(
            {"A wins": {"x": 1.0}, "B wins": {"x": 0.0}},
            {
                "A": [(1 - th) * 0.6, (1 - th) * 0.4 + th],
                "B": [(1 - th) * 0.3, (1 - th) * 0.7 + th],
            },
            costs={"A": 0.1, "B": 0.1},
        )
        assert_allclose(mod.reservation[k], shifted.reservation(pie()), atol=1e-15)
    assert_allclose(coercion[:, 0], 0.4 * t * 0.6, atol=1e-15)  # A loses ground
    assert_allclose(coercion[:, 1], -0.4 * t * 0.3, atol=1e-15)  # B gains (a negative drop)
    assert_allclose(transfer, 0.0) and lever.max_intensity == pytest.approx(2.5)


def test_a_shift_that_cures_mutual_optimism_opens_the_zopa():
    # A thinks it wins with 0.9, B with 0.6 (A with 0.4): optimism 0.5 > joint cost 0.2, closed.
    # A battlefield shift toward B's victory lowers A's expectation more than it raises B's own
    w = war(0.9, 0.4)
    talks = w.apply(pie())
    assert bg.zopa(talks).empty
    lever = bg.BattlefieldShift(w, "B wins", 1.0)
    res = bg.leverage(talks, lever, 0.5, concepts=["zopa", "nash"])
    # theta = 0.5: r_A = 0.5 * 0.9 - 0.1 = 0.35; r_B = (0.5 * 0.6 + 0.5) - 0.1 = 0.7
    assert_allclose(res.reservation, [0.35, 0.7], atol=1e-15)
    assert res.zopa.slack == pytest.approx((1 - 1.05) / 2, abs=1e-12)


def test_threshold_refuses_a_shift_that_helps_someone():
    w = war(0.6, 0.6)
    with pytest.raises(ValueError, match="need not open monotonically"):
        bg.lever_threshold(w.apply(pie()), bg.BattlefieldShift(w, "A wins", 0.5))


def test_war_costs_equal_the_costlier_war():
    # one-off war: raising the costs lowers each reservation value one for one
    w = war(0.6, 0.3)
    talks = w.apply(pie())
    lever = bg.WarCosts(w, {"A": 0.1, "B": 0.05}, credibility=0.8)
    t = np.array([0.0, 0.5, 1.0, 2.0])
    mod, transfer, coercion, _ = bg.apply_levers(talks, lever, t)
    for k, tk in enumerate(t):
        costlier = bg.War(
            {"A wins": {"x": 1.0}, "B wins": {"x": 0.0}},
            {"A": [0.6, 0.4], "B": [0.3, 0.7]},
            costs={"A": 0.1 + 0.08 * tk, "B": 0.1 + 0.04 * tk},
        )
        assert_allclose(mod.reservation[k], costlier.reservation(pie()), atol=1e-15)
    assert_allclose(coercion, np.outer(t, [0.08, 0.04]), atol=1e-15)
    assert_allclose(transfer, 0.0)


def test_war_costs_of_a_war_of_attrition_against_finite_differences():
    agenda = bg.Agenda(bg.ContinuousIssue("x"))
    talks = bg.Negotiation(
        agenda,
        [
            bg.Party("A", bg.AdditiveUtility({"x": bg.Linear()}), discount=0.95),
            bg.Party("B", bg.AdditiveUtility({"x": bg.Linear(-1.0, 1.0)}), discount=0.8),
        ],
    )

    def attrition(ka, kb):
        return bg.War(
            {"A wins": {"x": 1.0}, "B wins": {"x": 0.0}},
            {"A": [0.7, 0.3], "B": [0.4, 0.6]},
            cost_per_period={"A": ka, "B": kb},
            hazard=0.2,
        )

    lever = bg.WarCosts(attrition(0.02, 0.03), {"A": 0.01, "B": 0.02})
    h = 1e-6
    fd = (
        attrition(0.02 + 0.01 * h, 0.03 + 0.02 * h).reservation(talks)
        - attrition(0.02, 0.03).reservation(talks)
    ) / h
    assert_allclose(lever.reservation_shift(talks), fd, rtol=1e-6)
    # closed form: -a_i / (1 - delta_i (1 - hazard))
    assert_allclose(lever.reservation_shift(talks), [-0.01 / 0.24, -0.02 / 0.36], rtol=1e-12)


def test_war_costs_open_a_zopa_closed_by_optimism_and_the_threshold_is_exact():
    # optimism 0.5 against a joint cost 0.2: closed, gap 0.3 (r_A + r_B = 1.3)
    w = war(0.9, 0.4)
    talks = w.apply(pie())
    lever = bg.WarCosts(w, {"A": 0.1, "B": 0.1}, credibility=0.5)
    thr = bg.lever_threshold(talks, lever, xtol=1e-12)
    assert thr.threshold == pytest.approx(0.3 / 0.1, abs=1e-9)


def test_war_costs_bad_input():
    w = war()
    with pytest.raises(ValueError, match=r"amounts\['A'\]` must be >= 0"):
        bg.WarCosts(w, {"A": -0.1})
    with pytest.raises(TypeError, match="non-empty mapping"):
        bg.WarCosts(w, {})
    with pytest.raises(TypeError, match=r"must be a bargain\.War"):
        bg.WarCosts(0.5, {"A": 0.1})
    with pytest.raises(ValueError, match="unknown party 'C'"):
        bg.WarCosts(w, {"C": 0.1}).reservation_shift(pie())


def test_side_payments_to_both_parties():
    talks = pie(0.55, 0.55)  # closed: the reservation values add up to 1.1
    pay = bg.SidePayments({"A": 0.04, "B": 0.02})
    res = bg.leverage(talks, pay, 1.0, concepts=["zopa", "nash"])
    # solver reservations 0.51 and 0.53: still 0.04 short, slack -0.02
    assert res.zopa.slack == pytest.approx(-0.02, abs=1e-12)
    assert res.cost == pytest.approx(0.06)
    thr = bg.lever_threshold(talks, pay, xtol=1e-12)
    # (0.55 + 0.55 - 1) = 0.1 of excess; each unit of intensity removes 0.06
    assert thr.threshold == pytest.approx(0.1 / 0.06, abs=1e-9)
    at = bg.leverage(talks, pay, thr.threshold, concepts=["nash"])
    # the reported utilities include the transfers: each party gets at least its reservation
    assert np.all(at.nash.utilities >= np.array([0.55, 0.55]) - 1e-9)


def test_cheapest_mix_chooses_between_one_and_two_party_payments():
    talks = pie(0.55, 0.55)
    one = bg.SidePayment("A", 0.1, label="to A")
    both = bg.SidePayments({"A": 0.03, "B": 0.03}, label="to both")
    mix = bg.cheapest_mix(talks, [one, both])
    # closing the gap of 0.1 costs 0.1 either way; the mix reports that cost
    assert mix.cost == pytest.approx(0.1, abs=1e-7)


MODEL = """
[model]
name = "levers_at_war"

[[issues]]
name = "x"

[[parties]]
name = "A"
values = { x = { kind = "linear" } }

[[parties]]
name = "B"
values = { x = { kind = "linear", slope = -1, intercept = 1 } }

[war]
costs = { A = 0.1, B = 0.1 }

[[war.end_states]]
name = "A_wins"
outcome = { x = 1.0 }
probability = { A = 0.9, B = 0.4 }

[[war.end_states]]
name = "B_wins"
outcome = { x = 0.0 }

[mediator]
name = "M"

[[levers]]
kind = "battlefield"
name = "arms_to_B"
toward = "B_wins"
amount = 0.5
cost = 0.2

[[levers]]
kind = "side_payments"
name = "aid"
amounts = { A = 0.05, B = 0.05 }

[[levers]]
kind = "war_costs"
name = "sanctions"
amounts = { A = 0.1 }
credibility = 0.5
"""


def test_model_file_levers():
    m = loads_model(MODEL, "levers.toml")
    arms, aid, sanctions = m.levers
    assert isinstance(arms, bg.BattlefieldShift) and arms.war is m.war
    assert isinstance(aid, bg.SidePayments) and aid.targets == ("A", "B")
    assert isinstance(sanctions, bg.WarCosts) and sanctions.war is m.war
    t = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    res = bg.leverage(m.negotiation, m.mediator, t, concepts=["zopa"])
    # arms: (0.35, 0.7); aid: (0.8 - 0.05, 0.5 - 0.05) in solver terms, adding up to 1.2;
    # sanctions: r_A = 0.8 - 0.05, r_B = 0.5
    expected = [(1 - (0.35 + 0.7)) / 2, (1 - 1.2) / 2, (1 - 1.25) / 2]
    assert_allclose(res.zopa.slack, expected, atol=1e-12)


@pytest.mark.parametrize(
    ("edit", "fragment"),
    [
        (('toward = "B_wins"', 'toward = "B_won"'), "levers[0].toward: unknown end-state 'B_won'"),
        (
            ("amounts = { A = 0.05, B = 0.05 }", "amounts = { A = 0.05, C = 0.05 }"),
            "levers[1].amounts: unknown party 'C'",
        ),
        (("amount = 0.5", "amount = 1.5"), "levers[0].amount: expected a number in (0, 1]"),
        (("amounts = { A = 0.1 }", "amounts = { A = -0.1 }"), "levers[2].amounts.A"),
        (("credibility = 0.5", "credibilty = 0.5"), "did you mean 'credibility'"),
    ],
)
def test_model_file_lever_errors(edit, fragment):
    with pytest.raises(bg.ModelError) as info:
        loads_model(MODEL.replace(*edit), "levers.toml")
    assert fragment in str(info.value)


def test_a_battlefield_lever_needs_a_war():
    text = MODEL.split("[war]")[0] + "[mediator]" + MODEL.split("[mediator]")[1]
    text = text.replace('[[parties]]\nname = "A"', '[[parties]]\nname = "A"\nreservation = 0.3')
    with pytest.raises(bg.ModelError, match="needs a \\[war\\] table"):
        loads_model(text, "levers.toml")


def test_cheapest_mix_prices_war_costs_against_a_side_payment():
    # gap 0.3 (r_A + r_B = 1.3); war costs remove 0.2 per unit at 0.1 a unit (0.5 per unit of
    # gap), a side payment 1 per unit of gap: the cheapest mix uses the war costs alone
    w = war(0.9, 0.4)
    talks = w.apply(pie())
    sanctions = bg.WarCosts(w, {"A": 0.1, "B": 0.1}, cost=0.1, label="sanctions")
    pay = bg.SidePayment("A", 0.1, label="pay A")
    mix = bg.cheapest_mix(talks, [sanctions, pay])
    assert mix.cost == pytest.approx(0.15, abs=1e-7)
    assert_allclose(mix.intensity, [1.5, 0.0], atol=1e-6)


@pytest.mark.parametrize("shape", [(), (12,), (3, 4), (3, 2, 2)])
def test_war_levers_batch_over_their_parameters(shape):
    rng = np.random.default_rng(9)
    q = rng.uniform(0.1, 1.0, shape)
    a = rng.uniform(0.0, 0.2, shape)
    w = war(0.7, 0.4)
    neg = pie()
    shift = bg.BattlefieldShift(w, "B wins", 0.5, credibility=q).reservation_shift(neg)
    costs = bg.WarCosts(w, {"A": a, "B": 0.05}, credibility=q).reservation_shift(neg)
    assert shift.shape == shape + (2,) and costs.shape == shape + (2,)
    for idx in np.ndindex(*shape):
        one = bg.BattlefieldShift(w, "B wins", 0.5, credibility=float(q[idx]))
        assert_allclose(shift[idx], one.reservation_shift(neg), rtol=1e-14)
        two = bg.WarCosts(w, {"A": float(a[idx]), "B": 0.05}, credibility=float(q[idx]))
        assert_allclose(costs[idx], two.reservation_shift(neg), rtol=1e-14)
