"""The two-issue lens ZOPA (bargain.zopa._lens) against one convex programme per piece.

``issue_zopa(neg, closed_form=False)`` solves every discrete combination's
slack and extremes with cvxpy (Clarabel) and integrates the area section by
section with bisections: an independent second method. The lens path must give
the same slack, robust point, ranges and share, to the convex solver's accuracy.
"""

import numpy as np
import pytest

import bargain as bg
from bargain.zopa._issues import issue_zopa


def _values(kind, rng, decreasing):
    if kind == "power":
        return bg.Power(
            rng.uniform(0.3, 0.9), origin=1.0 if decreasing else 0.0, decreasing=decreasing
        )
    if kind == "log":
        return bg.Logarithmic(
            rng.uniform(1.0, 6.0), origin=1.0 if decreasing else 0.0, decreasing=decreasing
        )
    if kind == "ideal":  # single-peaked: the peak lies inside the range
        return bg.IdealPoint(rng.uniform(0.2, 0.8))
    if kind == "kinked":  # concave piecewise linear
        lo, mid = (1.0, 0.7) if decreasing else (0.0, 0.6)
        return bg.PiecewiseLinear(
            [0.0, 0.5, 1.0], [lo, mid, 1.0 - lo] if decreasing else [0.0, mid, 1.0]
        )
    return bg.Linear(-1.0, 1.0) if decreasing else bg.Linear()


def _negotiation(kinds, discrete, seed, reservation=0.3):
    rng = np.random.default_rng(seed)
    issues = [bg.ContinuousIssue("x"), bg.ContinuousIssue("y")]
    issues += [bg.DiscreteIssue(f"d{k}", ["a", "b", "c"]) for k in range(discrete)]
    A = bg.Agenda(*issues)
    parties = []
    for i in range(2):
        values = {
            "x": _values(kinds[0], rng, decreasing=i == 1),
            "y": _values(kinds[1], rng, decreasing=i == 0),
        }
        for k in range(discrete):
            values[f"d{k}"] = bg.Table(rng.random(3))
        w = rng.uniform(0.5, 1.5, 2 + discrete)
        parties.append(
            bg.Party(f"P{i}", bg.AdditiveUtility(values, w / w.sum()), reservation=reservation)
        )
    return bg.Negotiation(A, parties)


CASES = [
    (("power", "power"), 2, 1),
    (("power", "log"), 1, 2),
    (("ideal", "power"), 2, 3),
    (("log", "ideal"), 0, 4),
    (("kinked", "power"), 1, 5),
    (("power", "linear"), 2, 6),
]


@pytest.mark.parametrize("kinds, discrete, seed", CASES)
def test_lens_equals_a_convex_programme_per_piece(kinds, discrete, seed):
    neg = _negotiation(kinds, discrete, seed)
    fast = issue_zopa(neg)
    slow = issue_zopa(neg, closed_form=False)
    assert "separable frontier" in fast.method and "convex programmes" in slow.method
    assert float(fast.slack) == pytest.approx(float(slow.slack), abs=1e-7)
    np.testing.assert_allclose(fast.robust_coded, slow.robust_coded, atol=2e-5)
    for name in neg.agenda.names:
        a, b = np.asarray(fast.ranges[name], float), np.asarray(slow.ranges[name], float)
        np.testing.assert_allclose(a, b, atol=1e-6, equal_nan=True, err_msg=name)
    assert fast.share_method == slow.share_method
    assert float(fast.share) == pytest.approx(float(slow.share), abs=1e-6)


def test_lens_of_a_closed_zopa_and_a_batch():
    # reservations above what any package gives: every piece's lens is empty
    neg = _negotiation(("power", "power"), 1, 7, reservation=0.95)
    fast, slow = issue_zopa(neg), issue_zopa(neg, closed_form=False)
    assert float(fast.slack) < 0
    assert float(fast.slack) == pytest.approx(float(slow.slack), abs=1e-7)
    assert float(fast.share) == 0.0
    # a batch of reservation values: each element as its own problem
    r = np.array([[0.2, 0.3], [0.5, 0.4], [0.95, 0.95]])
    batch = issue_zopa(_negotiation(("power", "log"), 1, 8), r)
    for j in range(3):
        one = issue_zopa(_negotiation(("power", "log"), 1, 8), r[j])
        assert batch.slack[j] == pytest.approx(float(one.slack), abs=1e-12)
        assert batch.share[j] == pytest.approx(float(one.share), abs=1e-12)


def test_lens_of_batched_value_functions_equals_each_problem_alone():
    # exponents drawn per batch element: the pieces carry their own value functions
    A = bg.Agenda(
        bg.ContinuousIssue("x"), bg.ContinuousIssue("y"), bg.DiscreteIssue("p", ["a", "b", "c"])
    )

    def neg_for(e):
        one = bg.AdditiveUtility(
            {
                "x": bg.Power(e),
                "y": bg.Power(0.8, origin=1.0, decreasing=True),
                "p": bg.Table([0.0, 0.5, 1.0]),
            },
            [0.4, 0.3, 0.3],
        )
        two = bg.AdditiveUtility(
            {
                "x": bg.Power(0.7, origin=1.0, decreasing=True),
                "y": bg.Power(0.6),
                "p": bg.Table([1.0, 0.6, 0.0]),
            },
            [0.3, 0.4, 0.3],
        )
        return bg.Negotiation(A, [bg.Party("A", one, 0.3), bg.Party("B", two, 0.3)])

    exponents = np.array([0.3, 0.5, 0.9])
    batch = issue_zopa(neg_for(exponents))
    for j, e in enumerate(exponents):
        one = issue_zopa(neg_for(float(e)))
        assert batch.slack[j] == pytest.approx(float(one.slack), abs=1e-12)
        assert batch.share[j] == pytest.approx(float(one.share), abs=1e-12)
        np.testing.assert_allclose(batch.ranges["x"][j], one.ranges["x"], atol=1e-12)
