import numpy as np
import pytest

import bargain as bg


def agenda():
    return bg.Agenda(
        bg.ContinuousIssue("territory"),
        bg.DiscreteIssue("guarantee", ["none", "assurances", "treaty", "force", "art5"]),
        bg.DiscreteIssue("venue", ["Geneva", "Riyadh"], ordered=False),
    )


def test_structure():
    A = agenda()
    assert A.names == ("territory", "guarantee", "venue")
    assert A.discrete == (1, 2) and A.continuous == (0,)
    assert A.size == 10
    assert A.issue("guarantee").index("force") == 3


def test_enumerate_c_order_and_count():
    A = agenda()
    X = A.enumerate(grid=3)
    assert X.shape == (3 * 5 * 2, 3)
    # last issue fastest
    assert np.array_equal(X[:3], [[0, 0, 0], [0, 0, 1], [0, 1, 0]])
    assert np.array_equal(np.unique(X[:, 0]), [0, 0.5, 1])
    X2 = A.enumerate(grid={"territory": 5})
    assert X2.shape[0] == 50


def test_enumerate_needs_grid_for_continuous():
    with pytest.raises(ValueError, match=r"'territory' is continuous"):
        agenda().enumerate()


def test_constraints_filter_enumeration_and_sampling():
    A = bg.Agenda(
        bg.ContinuousIssue("x"),
        bg.ContinuousIssue("y"),
        constraints=[bg.LinearConstraint({"x": 1, "y": 1}, ub=1)],
    )
    X = A.enumerate(grid=11)
    assert np.all(X.sum(axis=1) <= 1 + 1e-12)
    assert X.shape[0] == 66  # points of an 11 x 11 grid on or below the diagonal
    S = A.sample(500, rng=3)
    assert S.shape == (500, 2) and np.all(S.sum(axis=1) <= 1)


def test_sampling_is_seeded_and_in_bounds():
    A = agenda()
    a, b = A.sample(100, rng=7), A.sample(100, rng=np.random.default_rng(7))
    assert np.array_equal(a, b)
    assert np.all((a[:, 0] >= 0) & (a[:, 0] <= 1))
    assert set(np.unique(a[:, 1])) <= set(range(5))
    assert not np.array_equal(a, A.sample(100, rng=8))


def test_encode_decode_roundtrip_batched():
    A = agenda()
    out = {"territory": [0.1, 0.9], "guarantee": ["none", "art5"], "venue": "Riyadh"}
    X = A.encode(out)
    assert np.array_equal(X, [[0.1, 0, 1], [0.9, 4, 1]])
    back = A.decode(X)
    assert list(back["guarantee"]) == ["none", "art5"]
    assert list(back["venue"]) == ["Riyadh", "Riyadh"]
    single = A.decode([0.25, 2, 0])
    assert single["guarantee"] == "treaty" and single["territory"] == 0.25


@pytest.mark.parametrize(
    ("outcome", "match"),
    [
        ({"territory": 1.5, "guarantee": "none", "venue": "Geneva"}, "'territory'.*out of bounds"),
        ({"territory": 0.5, "guarantee": "nato", "venue": "Geneva"}, "'guarantee'.*unknown option"),
        ({"territory": 0.5, "guarantee": "none"}, "missing issue 'venue'"),
        (
            {"territory": 0.5, "guarantee": "none", "venue": "Geneva", "oil": 1},
            "unknown issue 'oil'",
        ),
    ],
)
def test_encode_errors_name_the_issue(outcome, match):
    with pytest.raises(ValueError, match=match):
        agenda().encode(outcome)


def test_coded_checks_name_the_issue():
    A = agenda()
    with pytest.raises(ValueError, match=r"'guarantee'.*option index"):
        A.check_coded([0.5, 7, 0])
    with pytest.raises(ValueError, match=r"'territory'.*out of bounds"):
        A.check_coded([-0.5, 0, 0])
    with pytest.raises(ValueError, match=r"shape \(\.\.\., 3\)"):
        A.check_coded([0.5, 0])


def test_issue_and_agenda_validation():
    with pytest.raises(ValueError, match=r"'x': need lo < hi"):
        bg.ContinuousIssue("x", 1, 0)
    with pytest.raises(ValueError, match=r"'g': options must be distinct"):
        bg.DiscreteIssue("g", ["a", "a"])
    with pytest.raises(ValueError, match=r"at least two options"):
        bg.DiscreteIssue("g", ["a"])
    with pytest.raises(ValueError, match=r"repeated"):
        bg.Agenda(bg.ContinuousIssue("x"), bg.ContinuousIssue("x"))
    with pytest.raises(ValueError, match=r"continuous issues only"):
        bg.Agenda(
            bg.DiscreteIssue("g", ["a", "b"]),
            constraints=[bg.LinearConstraint({"g": 1}, ub=1)],
        )
    with pytest.raises(ValueError, match=r"unknown issue 'z'"):
        bg.Agenda(bg.ContinuousIssue("x"), constraints=[bg.LinearConstraint({"z": 1}, ub=1)])
    with pytest.raises(ValueError, match=r"strictly increasing"):
        bg.DiscreteIssue("g", ["a", "b"], positions=[1, 0])


def test_check_coded_tolerates_rounding_at_a_bound_only():
    A = bg.Agenda(bg.ContinuousIssue("x", 0.0, 1.0))
    assert A.decode([1.0 + 1e-11])["x"] == pytest.approx(1.0)  # a solver's point at the bound
    with pytest.raises(ValueError, match="out of bounds"):
        A.check_coded([[1.0 + 1e-6]])
    with pytest.raises(ValueError, match="out of bounds"):
        A.check_coded([[-1e-6]])
