"""The sweep's engine for governed negotiations (bargain.analysis._governed) against the public API.

The engine computes the rule slack from minimal winning coalitions, solves over
the acceptable packages only and finds the hull's chain among its candidates;
each column is checked here against the public functions called one draw at a
time (``bg.zopa``, ``bg.nash``, ``Negotiation.solve``, ``bg.rubinstein`` on the
acceptable packages, ``bg.typology``), and the coalition formula against
``Negotiation.rule_slack`` (which sorts the surpluses).
"""

import copy

import numpy as np
import pytest
from strategies import FIVE_PARTY_RULES

import bargain as bg
import bargain.analysis._governed as governed
from bargain.analysis._sweep import _evaluate, evaluate, nash_limit_weights
from bargain.io._model import model_from_dict

RULES = [
    None,
    {"rule": "majority"},
    {
        "rule": "qualified_majority",
        "quota": 0.6,
        "weights": {"Ukraine": 3, "Russia": 3, "European Union": 2, "United States": 1},
        "blocking_members": 2,
    },
]


# a ceasefire both sides can live with: draws where it holds and nothing improves on it
CEASEFIRE = {
    "territory_returned": "20%",
    "security_guarantee": "european_force",
    "sanctions_relief": "partial",
    "alignment": "permanent_neutrality",
    "force_cap": "250k",
    "accountability": "tribunal_and_reparations",
}


def _variant(rule, ceasefire=None):
    """ukraine_russia with cheaper wars (so that some draws close the ZOPA) and a rule."""
    doc = copy.deepcopy(bg.load_model("ukraine_russia").data)
    if rule:
        doc["decision"] = rule
    if ceasefire:
        doc["ceasefire"]["outcome"] = ceasefire
    u = doc["uncertainty"]
    for k in u:
        if k.startswith("war.costs."):
            u[k].update(lo=0.0, hi=0.2)
    u["war.end_states.russian_breakthrough.probability.Russia"].update(lo=0.25, hi=0.9)
    return model_from_dict(doc, "variant", check_ranges=False)


@pytest.mark.parametrize(
    "rule, ceasefire",
    [(r, None) for r in RULES] + [(RULES[2], CEASEFIRE)],
    ids=["bundled", "majority", "qualified", "ceasefire that holds"],
)
def test_columns_equal_the_public_api_draw_by_draw(rule, ceasefire):
    m = _variant(rule, ceasefire)
    n = 30
    draws = m.draw(n, np.random.default_rng(5))
    out = evaluate(m, draws)
    assert 0 < out["zopa_open"].sum() < n  # both kinds of draws are exercised
    if ceasefire:  # settlements, and frozen conflicts where the ceasefire holds
        assert {0, 2} <= set(out["typology"].tolist())
    X = m.agenda.enumerate()
    names = m.agenda.names
    for j in range(n):
        neg = m.with_parameters({k: v[j] for k, v in draws.items()}).negotiation
        # ZOPA slack: the same float
        assert out["slack"][j] == bg.zopa(neg).slack
        # Nash with the parties' powers, and with the frequent-offer weights: the same package
        for prefix, res in (
            ("nash", bg.nash(neg)),
            ("rubinstein_limit", neg.solve("nash", weights=nash_limit_weights(neg))),
        ):
            assert out[f"{prefix}_agreement"][j] == res.agreement
            assert [out[f"{prefix}.{i}"][j] for i in names] == list(res.coded)
            got = [out[f"{prefix}.u.{p}"][j] for p in neg.names]
            np.testing.assert_array_equal(got, res.utilities)
        # alternating offers with lotteries: on all acceptable packages, to 1e-12
        U = neg.coded_utilities(X)
        ok = neg.rule_slack(U, X) >= 0
        V = list(neg.veto_players)
        if ok.any():
            a = (1 - neg.breakdown[V]) * neg.discount[V]
            rb = bg.rubinstein(a, U[ok][:, V], neg.reservation[V], hull=True)
            assert out["rubinstein_agreement"][j] == rb.agreement
            got = [out[f"rubinstein.u.{neg.names[i]}"][j] for i in V]
            np.testing.assert_allclose(got, rb.utilities, rtol=0, atol=1e-12)
            p = rb.p_upper if rb.agreement else 0.0
            assert out["rubinstein.p_lottery"][j] == pytest.approx(p, abs=1e-9)
        else:
            assert not out["rubinstein_agreement"][j]
        assert out["typology"][j] == bg.typology(neg, m.ceasefire.outcome, m.ceasefire.core).code


def test_blocks_of_draws_do_not_change_a_number(monkeypatch):
    m = bg.load_model("ukraine_russia")
    draws = m.draw(60, np.random.default_rng(8))
    whole = evaluate(m, draws)
    monkeypatch.setattr(governed, "_BLOCK_ELEMENTS", 1)  # one draw a block
    single = evaluate(m, draws)
    assert whole.keys() == single.keys()
    for k in whole:
        np.testing.assert_array_equal(whole[k], single[k], err_msg=k)


@pytest.mark.parametrize("rule", FIVE_PARTY_RULES)
def test_minimal_winning_coalitions_give_the_sorted_rule_slack(rule):
    # max over minimal winning C of min_{i in C} s_i  ==  s_(k*) of the sorted surpluses
    rng = np.random.default_rng(4)
    names = [f"P{i}" for i in range(5)]
    A = bg.Agenda(bg.DiscreteIssue("x", [str(k) for k in range(40)]))
    parties = [
        bg.Party(nm, bg.AdditiveUtility({"x": bg.Table(rng.random(40))}), veto=(i == 0))
        for i, nm in enumerate(names)
    ]
    neg = bg.Negotiation(A, parties, rule=rule)
    X = A.enumerate()
    U = neg.coded_utilities(X)[None]  # (1, N, n)
    r = rng.random((1, 5)) * 0.6
    coalitions = governed.minimal_winning(neg.bound_rule, 5)
    assert coalitions  # the rule is monotone
    S = np.moveaxis(U - r[:, None, :], -1, 0)
    extra = np.zeros((len(X), 5), dtype=bool)
    got = governed._rule_slack(neg, S, extra, np.array(neg.vetoes), coalitions, X)
    np.testing.assert_array_equal(got, neg.rule_slack(U, X, r))


class _Exactly(bg.Unanimity):
    """A rule that is not monotone: a coalition wins iff it has exactly two members."""

    def _wins(self, m, w):
        return m.sum(axis=-1) == 2


def test_a_rule_that_is_not_monotone_is_sorted_as_rule_slack_does():
    rng = np.random.default_rng(2)
    A = bg.Agenda(bg.DiscreteIssue("x", [str(k) for k in range(12)]))
    parties = [
        bg.Party(f"P{i}", bg.AdditiveUtility({"x": bg.Table(rng.random(12))}), veto=False)
        for i in range(4)
    ]
    neg = bg.Negotiation(A, parties, rule=_Exactly())
    assert governed.minimal_winning(neg.bound_rule, 4) is None
    X = A.enumerate()
    U = neg.coded_utilities(X)[None]
    r = np.full((1, 4), 0.3)
    S = np.moveaxis(U - r[:, None, :], -1, 0)
    extra = np.zeros((len(X), 4), dtype=bool)
    got = governed._rule_slack(neg, S, extra, np.array(neg.vetoes), False, X)
    np.testing.assert_array_equal(got, neg.rule_slack(U, X, r))


def test_utilities_that_are_not_additive_and_an_unbatched_negotiation():
    # a custom (non-additive) utility for the controller, no batch dimension
    A = bg.Agenda(
        bg.DiscreteIssue("land", ["none", "some", "all"]),
        bg.DiscreteIssue("sanctions", ["kept", "eased", "lifted"]),
    )
    tab = bg.Table([0.0, 0.5, 1.0])
    inv = bg.Table([1.0, 0.5, 0.0])
    parties = [
        bg.Party("A", bg.AdditiveUtility({"land": tab, "sanctions": inv}), reservation=0.3),
        bg.Party("B", bg.AdditiveUtility({"land": inv, "sanctions": tab}), reservation=0.3),
        bg.Party(
            "C",
            bg.CustomUtility(lambda o: 1.0 - 0.4 * o["sanctions"] * (o["land"] > 0)),
            reservation=0.5,
            veto=False,
            controls=("sanctions",),
        ),
    ]
    neg = bg.Negotiation(A, parties, status_quo={"land": "none", "sanctions": "kept"})
    assert neg.governed and not neg.additive
    out = _evaluate(neg)
    z, r = bg.zopa(neg), bg.nash(neg)
    assert out["slack"][0] == z.slack
    assert out["nash_agreement"][0] == r.agreement
    assert [out["nash.land"][0], out["nash.sanctions"][0]] == list(r.coded)
    np.testing.assert_array_equal([out[f"nash.u.{p}"][0] for p in "ABC"], r.utilities)


def test_draws_without_an_acceptable_package():
    # reservation values no package reaches: no agreement anywhere, the numbers of d
    from bargain.analysis._governed import governed_columns
    from bargain.analysis._sweep import batched_negotiation

    m = bg.load_model("ukraine_russia")
    neg = batched_negotiation(m, m.draw(7, np.random.default_rng(1)))
    b, n = neg.batch_shape, neg.n
    d = np.full(b + (n,), 2.0)
    a = np.broadcast_to((1.0 - neg.breakdown) * neg.discount, b + (n,))
    w = np.broadcast_to(neg.powers, b + (n,))
    out = governed_columns(neg, [("nash", w)], d, a, b, m.ceasefire)
    assert not out["zopa_open"].any() and np.all(out["slack"] < 0)
    assert not out["nash_agreement"].any() and not out["rubinstein_agreement"].any()
    np.testing.assert_array_equal(out["nash.u.Ukraine"], 2.0)
    np.testing.assert_array_equal(out["rubinstein.u.Russia"], 2.0)
    np.testing.assert_array_equal(out["rubinstein.p_lottery"], 0.0)
    assert set(out["typology"].tolist()) <= {2, 3}  # frozen or failure, never a deal


@pytest.mark.parametrize(
    "constraints, free_from",
    [
        ([], 0),  # a full product: broadcasting only
        ([bg.Forbidden({"a": "a1", "b": "b0"})], 2),  # coupled first issues, free last ones
        ([bg.Forbidden({"c": "c1", "d": "d2"})], 4),  # the last issues coupled: gathers
        ([bg.Forbidden({"d": "d0"})], 0),  # an option ruled out alone still leaves a product
    ],
)
def test_utilities_by_blocks_are_the_public_sum(constraints, free_from):
    # _Utilities (grid prefix, gathers, broadcast suffix) gives coded_utilities bit for bit
    rng = np.random.default_rng(9)
    sizes = {"a": 3, "b": 4, "c": 2, "d": 3}
    A = bg.Agenda(
        *[bg.DiscreteIssue(k, [f"{k}{o}" for o in range(v)]) for k, v in sizes.items()],
        constraints=constraints,
    )
    parties = [
        bg.Party(
            f"P{i}",
            bg.AdditiveUtility({k: bg.Table(rng.random(v)) for k, v in sizes.items()}),
            veto=i < 2,
        )
        for i in range(3)
    ]
    neg = bg.Negotiation(A, parties, rule=bg.Majority())
    X = A.enumerate()
    utils = governed._Utilities(neg, X, (1,))
    assert utils.s == free_from
    got = utils.block(slice(0, 1))[:, 0].T
    np.testing.assert_array_equal(got, neg.coded_utilities(X))


def test_rule_slack_with_controllers_in_reused_buffers_is_rule_slack():
    # ukraine_russia: the EU and the US are needed where their issues change; the work
    # arrays come from one arena, reused block after block as in the sweep
    from bargain.analysis._sweep import batched_negotiation
    from bargain.issues._rules import controllers_needed

    m = bg.load_model("ukraine_russia")
    neg = batched_negotiation(m, m.draw(7, rng=5))
    X = m.agenda.enumerate()
    U = neg.coded_utilities(X)  # (7, N, n)
    r = np.broadcast_to(neg.reservation, (7, neg.n))
    extra = controllers_needed(neg, X)
    assert extra.any(axis=0).tolist() == [False, False, True, True]
    arena = governed._Arena()
    for rows in (slice(0, 4), slice(4, 7), slice(0, 7)):
        S = np.moveaxis(U[rows] - r[rows, None, :], -1, 0).copy()
        got = governed._rule_slack(neg, S, extra, np.array(neg.vetoes), None, X, arena)
        np.testing.assert_array_equal(got, neg.rule_slack(U[rows], X, r[rows]))


def test_segment_argmax_is_the_first_largest_of_each_row():
    # the acceptable packages as flat segments: the first maximiser per row, as
    # np.argmax over the row's acceptable entries; rows with none give -inf
    rng = np.random.default_rng(11)
    for _ in range(200):
        b, N = rng.integers(1, 6), rng.integers(1, 9)
        ok = rng.random((b, N)) < rng.random()
        v2 = rng.integers(0, 3, (b, N)).astype(float)  # many ties
        v2[rng.random((b, N)) < 0.2] = -np.inf
        acc = governed._Acceptable(ok)
        pos, top = acc.argmax(v2[ok])
        for i in range(b):
            cols = np.flatnonzero(ok[i])
            if not cols.size:
                assert top[i] == -np.inf
                continue
            k = int(np.argmax(v2[i, cols]))
            assert top[i] == v2[i, cols[k]]
            assert acc.col[pos[i]] == cols[k] and acc.r[pos[i]] == i
