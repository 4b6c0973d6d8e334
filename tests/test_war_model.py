"""Model files with a [war] table: derived reservation values, key paths, sweeps, errors."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

import bargain as bg
from bargain.analysis._sweep import batched_negotiation
from bargain.io._model import loads_model

WAR_MODEL = """
[model]
name = "pie_at_war"

[[issues]]
name = "x"

[[parties]]
name = "A"
values = { x = { kind = "linear" } }

[[parties]]
name = "B"
values = { x = { kind = "linear", slope = -1, intercept = 1 } }

[war]
source = "Fearon (1995), the bargaining range"
costs = { A = 0.1, B = 0.15 }

[[war.end_states]]
name = "A_wins"
outcome = { x = 1.0 }
probability = { A = 0.6, B = 0.6 }

[[war.end_states]]
name = "B_wins"
outcome = { x = 0.0 }

[uncertainty]
"war.end_states.A_wins.probability.A" = { dist = "uniform", lo = 0.5, hi = 0.9 }
"war.costs.B" = { dist = "uniform", lo = 0.0, hi = 0.3 }
"""


def test_reservation_values_come_from_the_war():
    m = loads_model(WAR_MODEL, "war.toml")
    assert_allclose(m.negotiation.reservation, [0.5, 0.25], atol=1e-15)
    assert isinstance(m.war, bg.War)
    z = bg.zopa(m.negotiation)
    assert_allclose(z.ranges["x"], [0.5, 0.75], atol=1e-12)


def test_an_explicit_reservation_wins_over_the_war():
    text = WAR_MODEL.replace('name = "B"\n', 'name = "B"\nreservation = 0.1\n')
    m = loads_model(text, "war.toml")
    assert_allclose(m.negotiation.reservation, [0.5, 0.1], atol=1e-15)


def test_war_parameters_are_key_paths():
    m = loads_model(WAR_MODEL, "war.toml")
    params = m.parameters()
    assert params["war.costs.A"] == 0.1
    assert params["war.end_states.A_wins.probability.B"] == 0.6
    m2 = m.with_parameters({"war.end_states.A_wins.probability.A": 0.8, "war.costs.B": 0.05})
    assert_allclose(m2.negotiation.reservation, [0.7, 0.35], atol=1e-15)


def test_a_sweep_over_the_war_matches_the_closed_form():
    m = loads_model(WAR_MODEL, "war.toml")
    draws = m.draw(400, rng=2)
    neg = batched_negotiation(m, draws)
    pa, cb = draws["war.end_states.A_wins.probability.A"], draws["war.costs.B"]
    assert_allclose(neg.reservation, np.stack([pa - 0.1, 0.4 - cb], -1), atol=1e-15)
    res = bg.sweep(m, 400, seed=2, chunk_size=200)
    t = res.table
    pa = t["param:war.end_states.A_wins.probability.A"].to_numpy()
    cb = t["param:war.costs.B"].to_numpy()
    # the pie is open iff p_A - 0.1 <= 0.6 + c_B (A's floor below B's ceiling)
    assert np.array_equal(t["zopa_open"].to_numpy(), pa - 0.1 <= 0.6 + cb + 1e-12)


@pytest.mark.parametrize(
    ("edit", "fragment"),
    [
        (
            ("probability = { A = 0.6, B = 0.6 }", "probability = { A = 0.6, B = 0.6, C = 0.1 }"),
            "war.end_states[0].probability: unknown party 'C'",
        ),
        (
            ("probability = { A = 0.6, B = 0.6 }", "probability = { A = 1.6, B = 0.6 }"),
            "war.end_states[0].probability.A: expected a number in [0, 1]",
        ),
        (
            ("outcome = { x = 1.0 }", "outcome = { x = 1.5 }"),
            "war.end_states[0].outcome.x: expected a number in [0, 1]",
        ),
        (
            ("outcome = { x = 1.0 }", "outcome = { y = 1.0 }"),
            "war.end_states[0].outcome: unknown issue 'y'",
        ),
        (
            ("costs = { A = 0.1, B = 0.15 }", "costs = { A = -0.1, B = 0.15 }"),
            "war.costs.A: expected a number in [0, inf)",
        ),
        (("costs = { A = 0.1, B = 0.15 }", "cots = { A = 0.1 }"), "did you mean 'costs'"),
        (
            (
                'name = "B_wins"\noutcome = { x = 0.0 }',
                'name = "B_wins"\noutcome = { x = 0.0 }\nprobability = { A = 0.3 }',
            ),
            "party 'A''s probabilities must add up to 1",
        ),
    ],
)
def test_bad_war_tables_name_the_key_path(edit, fragment):
    old, new = edit
    assert old in WAR_MODEL
    with pytest.raises(bg.ModelError) as info:
        loads_model(WAR_MODEL.replace(old, new), "war.toml")
    assert fragment in str(info.value)
    assert str(info.value).startswith("war.toml: ")


def test_a_round_trip_keeps_the_war():
    m = loads_model(WAR_MODEL, "war.toml")
    from bargain.io._model import dumps_model

    back = loads_model(dumps_model(m), "back.toml")
    assert back.data == m.data
    assert_allclose(back.negotiation.reservation, m.negotiation.reservation)
