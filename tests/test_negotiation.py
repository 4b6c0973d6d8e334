import numpy as np
import pytest

import bargain as bg


def agenda():
    return bg.Agenda(
        bg.ContinuousIssue("territory"),
        bg.ContinuousIssue("sanctions"),
        bg.DiscreteIssue("guarantee", ["none", "treaty", "art5"]),
    )


def ukraine(**kw):
    u = bg.AdditiveUtility(
        {
            "territory": bg.Power(0.5),
            "sanctions": bg.Linear(-1.0, 1.0),
            "guarantee": bg.Table([0.0, 0.6, 1.0]),
        },
        weights={"territory": 0.5, "sanctions": 0.2, "guarantee": 0.3},
    )
    return bg.Party("Ukraine", u, **kw)


def russia(**kw):
    u = bg.AdditiveUtility(
        {
            "territory": bg.Linear(-1.0, 1.0),
            "sanctions": bg.Linear(),
            "guarantee": bg.Table([1.0, 0.5, 0.0]),
        },
        weights=[0.4, 0.4, 0.2],
    )
    return bg.Party("Russia", u, **kw)


def test_utilities_by_hand():
    neg = bg.Negotiation(agenda(), [ukraine(), russia()])
    U = neg.utilities({"territory": 0.25, "sanctions": 0.5, "guarantee": "treaty"})
    np.testing.assert_allclose(
        U, [0.5 * 0.5 + 0.2 * 0.5 + 0.3 * 0.6, 0.4 * 0.75 + 0.4 * 0.5 + 0.2 * 0.5]
    )
    assert neg.n == 2 and neg.names == ("Ukraine", "Russia")
    np.testing.assert_array_equal(neg.reservation, [0.0, 0.0])


def test_monte_carlo_over_preferences_is_one_call():
    rng = np.random.default_rng(1)
    w = rng.dirichlet(np.ones(3), size=50)  # 50 draws of Russia's issue weights
    p = rng.uniform(0.3, 1.0, size=50)  # and of Ukraine's risk attitude
    u_ru = bg.AdditiveUtility(
        {
            "territory": bg.Linear(-1.0, 1.0),
            "sanctions": bg.Linear(),
            "guarantee": bg.Table([1.0, 0.5, 0.0]),
        },
        weights=w,
    )
    u_ua = bg.AdditiveUtility({"territory": bg.Power(p), "guarantee": bg.Table([0, 0.6, 1.0])})
    neg = bg.Negotiation(agenda(), [bg.Party("U", u_ua), bg.Party("R", u_ru)])
    assert neg.batch_shape == (50,)
    X = agenda().enumerate(grid=4)
    U = neg.utilities(X)
    assert U.shape == (50, X.shape[0], 2)
    for b in (0, 17, 49):
        ua = X[:, 0] ** p[b] + np.array([0, 0.6, 1.0])[X[:, 2].astype(int)]
        ru = (
            w[b, 0] * (1 - X[:, 0])
            + w[b, 1] * X[:, 1]
            + w[b, 2] * np.array([1.0, 0.5, 0.0])[X[:, 2].astype(int)]
        )
        np.testing.assert_allclose(U[b, :, 0], ua, rtol=1e-14)
        np.testing.assert_allclose(U[b, :, 1], ru, rtol=1e-14)


def test_errors_name_the_party_and_issue():
    A = agenda()
    bad_issue = bg.Party("Russia", bg.AdditiveUtility({"oil": bg.Linear()}))
    with pytest.raises(ValueError, match=r"party 'Russia'.*unknown issue 'oil'"):
        bg.Negotiation(A, [ukraine(), bad_issue])
    with pytest.raises(ValueError, match=r"`weights` must have shape \(\.\.\., 2\)"):
        bg.AdditiveUtility({"territory": bg.Linear(), "sanctions": bg.Linear()}, [0.5, 0.3, 0.2])
    with pytest.raises(ValueError, match=r"`weights` name issue\(s\) \['oil'\]"):
        bg.AdditiveUtility({"territory": bg.Linear()}, {"territory": 1, "oil": 1})
    wrong_table = bg.Party("EU", bg.AdditiveUtility({"guarantee": bg.Table([0, 1])}))
    with pytest.raises(ValueError, match=r"party 'EU', issue 'guarantee'.*2 values.*3 options"):
        bg.Negotiation(A, [ukraine(), wrong_table])
    table_on_continuous = bg.Party("EU", bg.AdditiveUtility({"territory": bg.Table([0, 1])}))
    with pytest.raises(ValueError, match=r"party 'EU', issue 'territory'.*discrete issue"):
        bg.Negotiation(A, [ukraine(), table_on_continuous])
    B = bg.Agenda(bg.DiscreteIssue("venue", ["Geneva", "Riyadh"], ordered=False))
    with pytest.raises(ValueError, match=r"issue 'venue'.*unordered"):
        bg.Negotiation(
            B,
            [
                bg.Party("A", bg.AdditiveUtility({"venue": bg.Linear()})),
                bg.Party("B", bg.AdditiveUtility({"venue": bg.Linear()})),
            ],
        )
    with pytest.raises(ValueError, match=r"party 'Ukraine'.*`discount` must be in"):
        ukraine(discount=1.5)
    with pytest.raises(ValueError, match=r"repeated"):
        bg.Negotiation(A, [ukraine(), ukraine()])
    with pytest.raises(ValueError, match=r"at least two parties"):
        bg.Negotiation(A, [ukraine()])


def test_non_vectorised_utilities_are_rejected():
    A = agenda()

    def scalar_only(outcome):
        return float(outcome["territory"])  # fails on arrays

    with pytest.raises(TypeError, match=r"party 'Russia': utility function is not vectorised"):
        bg.Negotiation(A, [ukraine(), bg.Party("Russia", scalar_only)])
    loop = bg.Custom(lambda x: sum(x.ravel()))
    with pytest.raises(TypeError, match=r"party 'Russia', issue 'territory'.*not vectorised"):
        bg.Negotiation(A, [ukraine(), bg.Party("Russia", bg.AdditiveUtility({"territory": loop}))])
    with pytest.raises(TypeError, match=r"plain function: wrap it in bargain.Custom"):
        bg.AdditiveUtility({"territory": np.sqrt})


def test_custom_utility_enumerates():
    A = bg.Agenda(bg.ContinuousIssue("x"), bg.ContinuousIssue("y"))
    p1 = bg.Party("P1", lambda o: np.sqrt(o["x"] * o["y"]))
    p2 = bg.Party("P2", lambda o: 2 - o["x"] - o["y"])
    neg = bg.Negotiation(A, [p1, p2])
    res = neg.solve("nash", method="enumerate", grid=101)
    # by symmetry x = y = t, maximise t (2 - 2t): t = 1/2
    assert res.outcome["x"] == pytest.approx(0.5) and res.outcome["y"] == pytest.approx(0.5)
    with pytest.raises(ValueError, match=r"party 'P1' has a custom"):
        bg.nash(neg)


def test_d_is_required_outside_negotiations():
    with pytest.raises(TypeError, match=r"`d`"):
        bg.nash([[0, 1], [1, 0]])


def test_continuous_frontier_and_outcome_map():
    neg = bg.Negotiation(agenda(), [ukraine(), russia()])
    with pytest.raises(ValueError, match=r"\['guarantee'\]"):
        neg.frontier()
    fr = neg.frontier(fixed={"guarantee": "treaty"})
    assert fr.kind == "continuous"
    t = np.linspace(fr.lo, fr.hi, 9)
    U = fr.frontier(t)
    X = fr.coded_outcome(t)
    np.testing.assert_allclose(neg.utilities(X), U, rtol=1e-12, atol=1e-12)
    assert np.all(X[:, 2] == 1)
    # f(t) is the best u2 given u1 >= t: no grid outcome beats it
    G = bg.Agenda(*agenda().issues[:2]).enumerate(grid=201)
    G = np.column_stack([G, np.ones(len(G))])
    UG = neg.utilities(G)
    for ti, ui in zip(t, U, strict=True):
        assert UG[UG[:, 0] >= ti, 1].max() <= ui[1] + 1e-12
    direct = bg.nash(neg, [0.1, 0.1])
    fr = neg.frontier(fixed={"guarantee": direct.outcome["guarantee"]})
    res = bg.nash(fr.frontier, [0.1, 0.1])
    np.testing.assert_allclose(fr.frontier(res.x), direct.utilities, rtol=1e-9)
    out = fr.outcome(res.x)
    assert out["territory"] == pytest.approx(direct.outcome["territory"], abs=1e-9)


def test_discrete_frontier_points():
    A = bg.Agenda(bg.DiscreteIssue("a", ["p", "q", "r"]), bg.DiscreteIssue("b", ["s", "t"]))
    p1 = bg.Party("A", bg.AdditiveUtility({"a": bg.Table([0, 1, 3]), "b": bg.Table([0, 2])}))
    p2 = bg.Party("B", bg.AdditiveUtility({"a": bg.Table([3, 1.5, 0]), "b": bg.Table([2, 0])}))
    fr = bg.Negotiation(A, [p1, p2]).frontier()
    assert fr.kind == "points"
    np.testing.assert_array_equal(fr.points, [[0, 5], [1, 3.5], [2, 3], [3, 2], [5, 0]])
    assert fr.outcome(3) == {"a": "r", "b": "s"}  # (3, 2): the first outcome with it
    with pytest.raises(ValueError, match=r"integer index"):
        fr.outcome(9)
