"""Malformed input raises ValueError/TypeError naming the argument; never a NaN result."""

from pathlib import Path

import numpy as np
import pytest
from strategies import CONCEPTS, WEIGHTED, solve

import bargain as bg

GOOD_S = [[0.0, 1.0], [0.6, 0.6], [1.0, 0.0]]
GOOD_D = [0.0, 0.0]
nan, inf = np.nan, np.inf


def _frontier():
    return bg.Frontier.split("linear", ("power", 0.5))


# (S, d, weights, hull, error, message fragment); every concept is tried
BAD_PROBLEMS = {
    "nan in S": ([[nan, 1.0], [1.0, 0.0]], GOOD_D, None, False, ValueError, r"`S` must be finite"),
    "inf in S": ([[inf, 1.0], [1.0, 0.0]], GOOD_D, None, True, ValueError, r"`S` must be finite"),
    "-inf in S": ([[0, -inf]], GOOD_D, None, False, ValueError, r"`S` must be finite"),
    "nan in d": (GOOD_S, [nan, 0.0], None, False, ValueError, r"`d` must be finite"),
    "inf in d": (GOOD_S, [0.0, inf], None, True, ValueError, r"`d` must be finite"),
    "one party": ([[1.0], [0.0]], [0.0], None, False, ValueError, r"`S` must have shape.*n >= 2"),
    "no points": (np.zeros((0, 2)), GOOD_D, None, False, ValueError, r"`S` must contain at least"),
    "no points, batch": (np.zeros((3, 0, 2)), GOOD_D, None, True, ValueError, r"`S`"),
    "1-D S": ([0.0, 1.0], GOOD_D, None, False, ValueError, r"`S` must have at least 2 dim"),
    "0-D S": (1.0, GOOD_D, None, False, ValueError, r"`S` must have at least 2 dim"),
    "d too long": (GOOD_S, [0.0, 0.0, 0.0], None, False, ValueError, r"`d` must have shape"),
    "d too short": (GOOD_S, [0.0], None, True, ValueError, r"`d` must have shape"),
    "scalar d": (GOOD_S, 0.0, None, False, ValueError, r"`d`"),
    "d batch": (
        np.zeros((3, 4, 2)),
        np.zeros((5, 2)),
        None,
        False,
        ValueError,
        r"batch shapes do not broadcast.*`d`",
    ),
    "hull not bool (int)": (GOOD_S, GOOD_D, None, 1, TypeError, r"`hull` must be True or False"),
    "hull not bool (str)": (GOOD_S, GOOD_D, None, "yes", TypeError, r"`hull`"),
    "hull None": (GOOD_S, GOOD_D, None, None, TypeError, r"`hull`"),
    "S string": ("abc", GOOD_D, None, False, TypeError, r"`S` must be numeric"),
    "S strings": ([["a", "b"]], GOOD_D, None, False, TypeError, r"`S`"),
    "S complex": ([[1j, 2.0]], GOOD_D, None, False, TypeError, r"`S`"),
    "S ragged": ([[1.0, 2.0], [1.0]], GOOD_D, None, False, TypeError, r"`S`"),
    "d string": (GOOD_S, "00", None, False, TypeError, r"`d`"),
    "d strings": (GOOD_S, ["a", "b"], None, False, TypeError, r"`d`"),
    "S function": (lambda t: t, GOOD_D, None, False, TypeError, r"`S`.*Frontier"),
    "frontier d too long": (_frontier(), [0, 0, 0], None, False, ValueError, r"`d` must have"),
    "frontier d nan": (_frontier(), [nan, 0], None, False, ValueError, r"`d` must be finite"),
    "frontier hull not bool": (_frontier(), GOOD_D, None, 0, TypeError, r"`hull`"),
}

BAD_WEIGHTS = {
    "negative": ([-0.5, 1.5], ValueError, r"`weights` must be positive"),
    "zero": ([0.0, 1.0], ValueError, r"`weights` must be positive"),
    "too long": ([0.3, 0.3, 0.4], ValueError, r"`weights` must have shape"),
    "too short": ([1.0], ValueError, r"`weights` must have shape"),
    "nan": ([nan, 1.0], ValueError, r"`weights` must be finite"),
    "inf": ([inf, 1.0], ValueError, r"`weights` must be finite"),
    "string": ("ab", TypeError, r"`weights`"),
    "batch mismatch": (np.ones((5, 2)), ValueError, r"batch shapes do not broadcast.*`weights`"),
}


@pytest.mark.parametrize("concept", sorted(CONCEPTS))
@pytest.mark.parametrize("name", sorted(BAD_PROBLEMS))
def test_bad_problem(concept, name):
    S, d, w, hull, error, match = BAD_PROBLEMS[name]
    with pytest.raises(error, match=match):
        solve(concept, S, d, w, hull=hull)


@pytest.mark.parametrize("concept", WEIGHTED)
@pytest.mark.parametrize("hull", [False, True])
@pytest.mark.parametrize("name", sorted(BAD_WEIGHTS))
def test_bad_weights(concept, hull, name):
    w, error, match = BAD_WEIGHTS[name]
    S = np.zeros((3, 4, 2)) + np.array(GOOD_S)[:, None][:, :1]  # batch (3,) of 4 points
    with pytest.raises(error, match=match):
        solve(concept, S, GOOD_D, w, hull=hull)


@pytest.mark.parametrize("concept", WEIGHTED)
@pytest.mark.parametrize("name", ["negative", "zero", "too long", "nan"])
def test_bad_weights_on_frontier(concept, name):
    w, error, match = BAD_WEIGHTS[name]
    with pytest.raises(error, match=match):
        solve(concept, _frontier(), GOOD_D, w)


def test_kalai_smorodinsky_takes_no_weights():
    with pytest.raises(TypeError):
        bg.kalai_smorodinsky(GOOD_S, GOOD_D, [0.5, 0.5])


# -- frontiers -------------------------------------------------------------------

BAD_FRONTIERS = {
    "not concave": (
        lambda: bg.Frontier.from_function(lambda x: (1.0 - x) ** 2, 0.0, 1.0),
        r"not concave",
    ),
    "u2 increasing": (lambda: bg.Frontier.from_function(lambda x: x, 0.0, 1.0), r"non-increasing"),
    "u1 decreasing": (
        lambda: bg.Frontier(lambda t: np.stack([1.0 - t, 1.0 - t], axis=-1)),
        r"non-decreasing",
    ),
    "non-finite values": (
        lambda: bg.Frontier(lambda t: np.stack([t, np.log(t)], axis=-1)),
        r"non-finite",
    ),
    "wrong output shape": (lambda: bg.Frontier(lambda t: np.stack([t, t, t], -1)), r"shape"),
    "convex split": (
        lambda: bg.Frontier(lambda t: np.stack([t**2, 1.0 - t], axis=-1)),
        r"not concave",
    ),
}


@pytest.mark.parametrize("concept", sorted(CONCEPTS))
@pytest.mark.parametrize("name", sorted(BAD_FRONTIERS))
def test_bad_frontier(concept, name):
    make, match = BAD_FRONTIERS[name]
    with pytest.raises(ValueError, match=match):
        solve(concept, make(), GOOD_D, None)


BAD_CONSTRUCTORS = {
    "lo == hi": (lambda: bg.Frontier(lambda t: t, 1.0, 1.0), ValueError, r"`lo` must be < `hi`"),
    "lo > hi": (lambda: bg.Frontier(lambda t: t, 1.0, 0.0), ValueError, r"`lo` must be < `hi`"),
    "lo > hi in a batch": (
        lambda: bg.Frontier(lambda t: t, [0.0, 2.0], 1.0),
        ValueError,
        r"`lo` must be < `hi`",
    ),
    "lo nan": (lambda: bg.Frontier(lambda t: t, nan, 1.0), ValueError, r"`lo` must be finite"),
    "hi inf": (lambda: bg.Frontier(lambda t: t, 0.0, inf), ValueError, r"`hi` must be finite"),
    "u not callable": (lambda: bg.Frontier([0, 1]), TypeError, r"`u` must be callable"),
    "du not callable": (lambda: bg.Frontier(lambda t: t, du=1), TypeError, r"`du`"),
    "args not tuple": (lambda: bg.Frontier(lambda t: t, args=[1]), TypeError, r"`args`"),
    "f not callable": (lambda: bg.Frontier.from_function(1, 0, 1), TypeError, r"`f`"),
    "from_function lo >= hi": (
        lambda: bg.Frontier.from_function(lambda x: 1 - x, 1.0, 0.5),
        ValueError,
        r"`lo` must be < `hi`",
    ),
    "power > 1": (lambda: bg.Frontier.split(("power", 2.0)), ValueError, r"`v1`.*power"),
    "power <= 0": (lambda: bg.Frontier.split("linear", ("power", 0.0)), ValueError, r"`v2`"),
    "cara <= 0": (lambda: bg.Frontier.split(("cara", -1.0)), ValueError, r"`v1`"),
    "unknown kind": (lambda: bg.Frontier.split("quadratic"), ValueError, r"`v1` kind"),
    "missing parameter": (lambda: bg.Frontier.split("linear", "log"), ValueError, r"`v2`"),
    "linear with parameter": (lambda: bg.Frontier.split(("linear", 2)), ValueError, r"`v1`"),
    "parameter nan": (lambda: bg.Frontier.split(("power", nan)), ValueError, r"v1 parameter"),
    "scale negative": (
        lambda: bg.Frontier.split(scale=(1.0, -1.0)),
        ValueError,
        r"`scale` must be positive",
    ),
    "scale wrong length": (lambda: bg.Frontier.split(scale=(1.0,)), ValueError, r"`scale`"),
    "scale scalar": (lambda: bg.Frontier.split(scale=1.0), ValueError, r"`scale`"),
}


@pytest.mark.parametrize("name", sorted(BAD_CONSTRUCTORS))
def test_bad_frontier_constructor(name):
    make, error, match = BAD_CONSTRUCTORS[name]
    with pytest.raises(error, match=match):
        make()


def test_frontier_batch_mismatch_names_d():
    """A frontier batch (3,) against ``d`` (4, 2): numpy's bare
    "shape mismatch: objects cannot be broadcast to a single shape" names no argument.
    """
    F = bg.Frontier.split(("power", np.full(3, 0.5)), "linear")
    with pytest.raises(ValueError, match=r"`d`"):
        bg.nash(F, np.zeros((4, 2)))


# -- pareto_frontier ---------------------------------------------------------------

BAD_POINTS = {
    "nan": ([[nan, 1.0], [1.0, 0.0]], ValueError, r"`points` must be finite"),
    "inf": ([[1.0, 0.0], [0.0, inf]], ValueError, r"`points` must be finite"),
    "one party": ([[1.0], [2.0]], ValueError, r"`points` must have shape"),
    "no points": (np.zeros((0, 3)), ValueError, r"`points` must contain"),
    "1-D": ([1.0, 2.0], ValueError, r"`points` must have at least 2 dim"),
    "string": ("ab", TypeError, r"`points`"),
    "ragged": ([[1.0, 2.0], [3.0]], TypeError, r"`points`"),
}


@pytest.mark.parametrize("name", sorted(BAD_POINTS))
def test_bad_points_for_pareto_frontier(name):
    points, error, match = BAD_POINTS[name]
    with pytest.raises(error, match=match):
        bg.pareto_frontier(points)


def test_no_nan_leaves_without_agreement():
    """No agreement is a result (``d``, status 1), not a NaN."""
    for hull in (False, True):
        for concept in CONCEPTS:
            res = solve(concept, GOOD_S, [2.0, 2.0], None, hull=hull)
            assert not res.agreement and res.status == 1 and res.success
            assert np.array_equal(res.utilities, [2.0, 2.0])
            assert "no point" in res.message
    res = bg.nash(_frontier(), [2.0, 2.0])
    assert not res.agreement and np.array_equal(res.utilities, [2.0, 2.0])
    assert np.isfinite(res.x)


def test_complex_input_is_rejected_not_cast():
    with pytest.raises(TypeError, match="`S` must be real"):
        bg.nash(np.array([[1 + 1j, 0.0], [0.0, 1.0]]), [0, 0])
    with pytest.raises(TypeError, match="`d` must be real"):
        bg.nash([[1.0, 0.0], [0.0, 1.0]], [0j, 0])
    with pytest.raises(TypeError, match="`delta` must be real"):
        bg.rubinstein([0.9 + 0j, 0.9])


def test_no_agreement_names_an_impossible_constraint_or_reservation():
    lin = bg.AdditiveUtility({"x": bg.Linear(), "y": bg.Linear()})
    rev = bg.AdditiveUtility({"x": bg.Linear(-1, 1), "y": bg.Linear(-1, 1)})
    A = bg.Agenda(
        bg.ContinuousIssue("x"),
        bg.ContinuousIssue("y"),
        constraints=bg.LinearConstraint({"x": 1, "y": 1}, lb=3),
    )
    neg = bg.Negotiation(A, [bg.Party("A", lin), bg.Party("B", rev)])
    res = bg.nash(neg)
    assert not res.agreement
    assert "needs at least 3" in res.message and "at most 2" in res.message
    with pytest.raises(ValueError, match="needs at least 3"):
        bg.zopa(neg)
    both = bg.Agenda(
        bg.ContinuousIssue("x"),
        bg.ContinuousIssue("y"),
        constraints=[
            bg.LinearConstraint({"x": 1, "y": 1}, lb=1.5),
            bg.LinearConstraint({"x": 1, "y": -1}, lb=0.9),
        ],
    )
    msg = bg.nash(bg.Negotiation(both, [bg.Party("A", lin), bg.Party("B", rev)])).message
    assert "contradict each other" in msg
    high = bg.Negotiation(
        bg.Agenda(bg.ContinuousIssue("x")),
        [
            bg.Party("A", bg.AdditiveUtility({"x": bg.Linear()}), reservation=1.5),
            bg.Party("B", bg.AdditiveUtility({"x": bg.Linear(-1, 1)})),
        ],
    )
    for message in (bg.nash(high).message, bg.zopa(high).message):
        assert "party 'A' needs 1.5" in message and "more than 1" in message
    # a plain conflict is not a mistake: no cause is named
    gf = bg.load_model("good_friday_1998").negotiation
    assert bg.nash(gf, [0.99, 0.99]).message == (
        "no outcome is strictly better than d for every party"
    )


def test_model_text_bom_and_size(tmp_path):
    text = (Path(bg.__file__).parent / "models" / "syria_geneva_2012_17.toml").read_text(
        encoding="utf-8"
    )
    bom = tmp_path / "bom.toml"
    bom.write_text("\ufeff" + text, encoding="utf-8")
    assert bg.load_model(bom).name == "syria_geneva_2012_17"
    big = tmp_path / "big.toml"
    big.write_text(text + "#" * (9 * 2**20), encoding="utf-8")
    with pytest.raises(bg.ModelError, match="at most 8,388,608 bytes"):
        bg.load_model(big)
