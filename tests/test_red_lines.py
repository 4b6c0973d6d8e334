"""Red lines: what a party never accepts is no deal, not a low-utility deal."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

import bargain as bg


def _parties(red_a=None, red_b=None):
    u1 = bg.AdditiveUtility({"x": bg.Linear(), "g": bg.Table([0.0, 0.5, 1.0])})
    u2 = bg.AdditiveUtility({"x": bg.Linear(-1.0, 1.0), "g": bg.Table([1.0, 0.5, 0.0])})
    return [
        bg.Party("A", u1, 0.1, discount=0.9, red_lines=red_a),
        bg.Party("B", u2, 0.1, discount=0.9, red_lines=red_b),
    ]


AGENDA = bg.Agenda(bg.ContinuousIssue("x"), bg.DiscreteIssue("g", ["a", "b", "c"]))


def test_red_lines_shrink_the_agenda_and_every_solution_respects_them():
    neg = bg.Negotiation(AGENDA, _parties({"g": ["a"]}, {"x": {"max": 0.3}}))
    assert neg.stated_agenda is AGENDA
    assert neg.agenda.issue("x").hi == 0.3
    for concept in ("nash", "kalai_smorodinsky", "egalitarian", "utilitarian"):
        res = neg.solve(concept)
        assert res.outcome["g"] != "a" and res.outcome["x"] <= 0.3 + 1e-12, concept
    res = bg.rubinstein(neg, hull=True)
    for _, o in res.lottery_outcomes:
        assert o["g"] != "a" and o["x"] <= 0.3 + 1e-12
    # second method: the same problem with the red lines written as the agenda itself
    A2 = bg.Agenda(
        bg.ContinuousIssue("x", 0.0, 0.3),
        bg.DiscreteIssue("g", ["a", "b", "c"]),
        constraints=bg.Forbidden({"g": "a"}),
    )
    ref = bg.Negotiation(A2, _parties())
    for concept in ("nash", "utilitarian"):
        assert_allclose(neg.solve(concept).utilities, ref.solve(concept).utilities, atol=1e-12)


def test_a_red_line_can_close_the_zopa():
    # u_A = x + g_A, u_B = (1 - x) + g_B (weights 1), both need 0.8. Without red lines
    # (0.5, b) gives (1.0, 1.0): open. B never accepts x > 0.2 or g = c: then A gets at
    # most 0.2 + 0.5 = 0.7 < 0.8, so no deal is left (slack 0.7 - 0.8 = -0.1 at best).
    red = {"x": {"max": 0.2}, "g": ["c"]}
    free = bg.Negotiation(AGENDA, [p.replace(reservation=0.8) for p in _parties()])
    lined = bg.Negotiation(AGENDA, [p.replace(reservation=0.8) for p in _parties(None, red)])
    assert not bool(bg.zopa(free).empty)
    z = bg.zopa(lined)
    assert bool(z.empty)
    assert_allclose(z.slack, -0.1, atol=1e-12)


def test_bad_red_lines_name_the_party_and_issue():
    with pytest.raises(ValueError, match="party 'A': red line on unknown issue 'y'"):
        bg.Negotiation(AGENDA, _parties({"y": ["a"]}))
    with pytest.raises(ValueError, match="names no option 'd'"):
        bg.Negotiation(AGENDA, _parties({"g": ["d"]}))
    with pytest.raises(ValueError, match="leaves no value"):
        bg.Negotiation(AGENDA, _parties({"x": {"min": 0.6}}, {"x": {"max": 0.5}}))
    with pytest.raises(ValueError, match=r"red lines: .*leave no package"):
        bg.Negotiation(AGENDA, _parties({"g": ["a", "b"]}, {"g": ["c"]}))
    with pytest.raises(TypeError, match="`red_lines` must be a mapping"):
        _parties(["g"])
    with pytest.raises(ValueError, match="takes 'min' and/or 'max'"):
        _parties({"x": {"lo": 0.1}})


MODEL = """
[model]
name = "t"
format = 1
[[issues]]
name = "x"
[[issues]]
name = "g"
options = ["a", "b", "c"]
[[parties]]
name = "A"
reservation = 0.1
RED
[parties.values]
x = { kind = "linear" }
g = { kind = "table", values = [0.0, 0.5, 1.0] }
[[parties]]
name = "B"
reservation = 0.1
[parties.values]
x = { kind = "linear", slope = -1.0, intercept = 1.0 }
g = { kind = "table", values = [1.0, 0.5, 0.0] }
"""


def test_model_file_red_lines(tmp_path):
    path = tmp_path / "m.toml"
    path.write_text(MODEL.replace("RED", 'red_lines = { g = ["a"], x = { min = 0.2 } }'), "utf-8")
    m = bg.load_model(path)
    assert m.negotiation.agenda.issue("x").lo == 0.2
    res = m.negotiation.solve("nash")
    assert res.outcome["g"] != "a" and res.outcome["x"] >= 0.2 - 1e-12
    bad = {
        'red_lines = { h = ["a"] }': "parties[0].red_lines: unknown issue 'h'",
        'red_lines = { g = ["z"] }': "parties[0].red_lines.g: issue 'g' has no option 'z'",
        "red_lines = { x = { min = 2.0 } }": "parties[0].red_lines.x.min",
        "red_lines = { x = { low = 0.2 } }": "parties[0].red_lines.x",
    }
    for text, message in bad.items():
        path.write_text(MODEL.replace("RED", text), "utf-8")
        with pytest.raises(bg.ModelError) as info:
            bg.load_model(path)
        assert message in str(info.value), (text, str(info.value))


def test_report_lists_red_lines(tmp_path):
    from bargain.report._text import format_solutions, solve_all

    path = tmp_path / "m.toml"
    path.write_text(MODEL.replace("RED", 'red_lines = { g = ["a"], x = { min = 0.2 } }'), "utf-8")
    m = bg.load_model(path)
    text = format_solutions(m, solve_all(m))
    assert "Red lines" in text and "A never accepts g a; x below 0.2" in text
    assert np.all(m.negotiation.agenda.feasible(m.negotiation.agenda.enumerate(grid=5)))
