"""The ``[front]`` table of model files: a front line's reservation values, paths and draws."""

import copy

import numpy as np
import pytest
from numpy.testing import assert_allclose

import bargain as bg
from bargain.analysis._sweep import batched_negotiation
from bargain.io._model import _set_path, loads_model, model_from_dict

MODEL = """
[model]
name = "front_line"

[[issues]]
name = "x"

[[parties]]
name = "A"
discount = 0.95
values = { x = { kind = "linear" } }

[[parties]]
name = "B"
discount = 0.9
values = { x = { kind = "linear", slope = -1, intercept = 1 } }

[front]
start = "stalemate"
decisive = ["A_wins", "B_wins"]
cost_per_period = { A = 0.01, B = 0.02 }

[[front.states]]
name = "stalemate"
outcome = { x = 0.5 }

[[front.states]]
name = "A_wins"
outcome = { x = 1.0 }

[[front.states]]
name = "B_wins"
outcome = { x = 0.0 }

[front.transitions]
A = [
  { periods = 3, matrix = [[0.5, 0.45, 0.05], [0, 1, 0], [0, 0, 1]] },
  { matrix = [[0.9, 0.05, 0.05], [0, 1, 0], [0, 0, 1]] },
]
B = [
  { periods = 3, matrix = [[0.5, 0.05, 0.45], [0, 1, 0], [0, 0, 1]] },
  { matrix = [[0.9, 0.05, 0.05], [0, 1, 0], [0, 0, 1]] },
]

[uncertainty]
"front.cost_per_period.A" = { dist = "uniform", lo = 0.0, hi = 0.03 }
"parties.B.discount" = { dist = "uniform", lo = 0.85, hi = 0.95 }
"""

OPTIMISTIC = [[0.5, 0.45, 0.05], [0, 1, 0], [0, 0, 1]]
PESSIMISTIC = [[0.5, 0.05, 0.45], [0, 1, 0], [0, 0, 1]]
HARD = [[0.9, 0.05, 0.05], [0, 1, 0], [0, 0, 1]]


def api(delta_b=0.9, cost_a=0.01):
    agenda = bg.Agenda(bg.ContinuousIssue("x"))
    talks = bg.Negotiation(
        agenda,
        [
            bg.Party("A", bg.AdditiveUtility({"x": bg.Linear()}), discount=0.95),
            bg.Party("B", bg.AdditiveUtility({"x": bg.Linear(-1.0, 1.0)}), discount=delta_b),
        ],
    )
    front = bg.FrontLine(
        {"stalemate": {"x": 0.5}, "A_wins": {"x": 1.0}, "B_wins": {"x": 0.0}},
        ["A_wins", "B_wins"],
        {"A": [OPTIMISTIC] * 3 + [HARD], "B": [PESSIMISTIC] * 3 + [HARD]},
        start="stalemate",
        cost_per_period={"A": cost_a, "B": 0.02},
    )
    return talks, front


def test_the_front_gives_the_reservation_values_at_date_zero():
    m = loads_model(MODEL, "front.toml")
    talks, front = api()
    assert isinstance(m.front, bg.FrontLine) and m.war is None
    assert_allclose(m.negotiation.reservation, front.reservation_path(talks, [0])[0], rtol=1e-14)
    # and by hand for the stationary tail: V = (delta 0.05 u(win) - kappa) / (1 - 0.9 delta)
    V_a = (0.95 * 0.05 - 0.01) / (1 - 0.9 * 0.95)
    assert_allclose(front.values(talks)[-1][0, 0], V_a, rtol=1e-14)


def test_ripeness_of_the_model_uses_its_front():
    m = loads_model(MODEL, "front.toml")
    talks, front = api()
    dates = np.arange(8)
    from_model = bg.ripeness(m, times=dates)
    from_api = bg.ripeness(talks, front=front, times=dates)
    assert_allclose(from_model.reservation, from_api.reservation, rtol=1e-14)
    assert_allclose(from_model.slack, from_api.slack, atol=1e-14)
    assert from_model.ripe_time == pytest.approx(from_api.ripe_time, abs=1e-12)
    # the hopes of a breakthrough end after date 2: the values fall and the ZOPA opens
    assert from_model.ripe and 0 < from_model.ripe_time <= 3
    assert np.all(np.diff(from_model.reservation[:4], axis=0) < 0)


def test_an_explicit_reservation_is_kept_at_every_date():
    text = MODEL.replace('name = "A"\n', 'name = "A"\nreservation = 0.3\n', 1)
    m = loads_model(text, "front.toml")
    r = bg.ripeness(m, times=np.arange(5))
    assert_allclose(r.reservation[:, 0], 0.3)
    talks, front = api()
    assert_allclose(r.reservation[:, 1], front.reservation_path(talks, np.arange(5))[:, 1])


def test_sweeps_draw_the_front_costs_and_the_discounts():
    m = loads_model(MODEL, "front.toml")
    draws = m.draw(6, rng=3)
    neg = batched_negotiation(m, draws)
    for k in range(6):
        talks, front = api(
            delta_b=float(draws["parties.B.discount"][k]),
            cost_a=float(draws["front.cost_per_period.A"][k]),
        )
        assert_allclose(neg.reservation[k], front.reservation_path(talks, [0])[0], rtol=1e-13)
    run = bg.sweep(m, 40, seed=2)
    assert run.summary is not None and len(run.table) == 40


def test_ripeness_draws_equal_the_models_with_the_drawn_values():
    m = loads_model(MODEL, "front.toml")
    dates = np.arange(8)
    r = bg.ripeness(m, times=dates, n=12, seed=4, chunk_size=5)
    assert r.slack_draws.shape == (12, 8) and 0.0 <= r.p_ripe <= 1.0
    from bargain.analysis._sweep import _chunk_rng

    draws = m.draw(5, _chunk_rng(4, 1))  # the second chunk: draws 5..9
    for k in range(5):
        doc = copy.deepcopy(m.data)
        for path, v in draws.items():
            _set_path(doc, path, float(v[k]))
        one = bg.ripeness(model_from_dict(doc, "drawn"), times=dates)
        assert_allclose(r.slack_draws[5 + k], one.slack, atol=1e-12)


def test_cli_ripeness_on_a_front_model(tmp_path, capsys):
    from bargain.cli import main

    f = tmp_path / "front.toml"
    f.write_text(MODEL, encoding="utf-8")
    assert main(["ripeness", str(f)]) == 0
    out = capsys.readouterr().out
    assert "period" in out.splitlines()[3]
    assert "ripe moment: the ZOPA opens at period t =" in out


@pytest.mark.parametrize(
    ("edit", "fragment"),
    [
        (
            ('decisive = ["A_wins", "B_wins"]', 'decisive = ["A_win", "B_wins"]'),
            "front.decisive: unknown state 'A_win'",
        ),
        (('start = "stalemate"', 'start = "A_wins"'), "front.start: the war starts undecided"),
        (
            ("[[0.5, 0.45, 0.05], [0, 1, 0]", "[[0.5, 0.45, 0.15], [0, 1, 0]"),
            "front.transitions.A[0].matrix[0]: a row of transition probabilities must add up to 1",
        ),
        (
            (
                "{ matrix = [[0.9, 0.05, 0.05], [0, 1, 0], [0, 0, 1]] },\n]\nB",
                "{ matrix = [[0.9, 0.05, 0.05], [0.5, 0.5, 0], [0, 0, 1]] },\n]\nB",
            ),
            "front.transitions.A[1].matrix[1]: a decisive state is absorbing",
        ),
        (
            (
                "{ matrix = [[0.9, 0.05, 0.05], [0, 1, 0], [0, 0, 1]] },\n]\nB",
                "{ matrix = [[0.9, 0.1], [0, 1]] },\n]\nB",
            ),
            "front.transitions.A[1].matrix: expected 3 rows of 3 probabilities",
        ),
        (
            (
                "{ matrix = [[0.9, 0.05, 0.05], [0, 1, 0], [0, 0, 1]] },\n]\nB",
                "{ periods = 2, matrix = [[0.9, 0.05, 0.05], [0, 1, 0], [0, 0, 1]] },\n]\nB",
            ),
            "front.transitions.A[1].periods: the last phase lasts for ever",
        ),
        (
            ("cost_per_period = { A = 0.01", "cost_per_peroid = { A = 0.01"),
            "did you mean 'cost_per_period'",
        ),
        (
            ("cost_per_period = { A = 0.01", "cost_per_period = { A = -0.01"),
            "front.cost_per_period.A",
        ),
        (("outcome = { x = 0.5 }", "outcome = { y = 0.5 }"), "front.states[0].outcome"),
        (("B = [\n", "C = [\n"), "front.transitions: unknown party 'C'"),
    ],
)
def test_bad_front_tables_name_the_key_path(edit, fragment):
    assert edit[0] in MODEL
    with pytest.raises(bg.ModelError) as info:
        loads_model(MODEL.replace(*edit, 1), "front.toml")
    assert fragment in str(info.value)


def test_a_front_excludes_a_war_and_hand_entered_paths():
    war = """
[war]
costs = { A = 0.1, B = 0.1 }
[[war.end_states]]
name = "A_wins"
outcome = { x = 1.0 }
probability = { A = 0.5, B = 0.5 }
[[war.end_states]]
name = "B_wins"
outcome = { x = 0.0 }
"""
    with pytest.raises(bg.ModelError, match=r"front: give either \[war\]"):
        loads_model(MODEL + war, "front.toml")
    text = MODEL.replace(
        'name = "A"\n', 'name = "A"\nreservation_path = { times = [0, 1], values = [0.3, 0.2] }\n'
    )
    with pytest.raises(bg.ModelError, match=r"parties\[0\].reservation_path"):
        loads_model(text, "front.toml")


def test_a_front_model_saves_and_loads_back(tmp_path):
    m = loads_model(MODEL, "front.toml")
    back = bg.load_model(bg.save_model(m, tmp_path / "front.toml"))
    assert back.data == m.data
    assert_allclose(back.negotiation.reservation, m.negotiation.reservation, rtol=0)
    assert "front.cost_per_period.B" in m.parameters()
