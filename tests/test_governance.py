"""Veto players, issue control, decision rules and the outcome typology.

The hand-worked cases are in bargain/cases/data/governance.toml; here the second
methods (brute force over coalitions), invariances and the error paths.
"""

import itertools

import numpy as np
import pytest
from strategies import FIVE_PARTY_RULES

import bargain as bg
from bargain import ModelError
from bargain.io._model import loads_model


def _brute_sigma(s, required, winning):
    """max t such that {i: s_i >= t} contains `required` and wins, by trying every coalition."""
    n = len(s)
    best = -np.inf
    for size in range(1, n + 1):
        for C in itertools.combinations(range(n), size):
            m = np.zeros(n, dtype=bool)
            m[list(C)] = True
            if not winning(m) or not np.all(m[required]):
                continue
            best = max(best, min(s[list(C)]))
    return best


@pytest.mark.parametrize("rule", [bg.Unanimity(), *FIVE_PARTY_RULES])
def test_rule_slack_matches_coalition_brute_force(rule):
    rng = np.random.default_rng(3)
    names = [f"P{i}" for i in range(5)]
    A = bg.Agenda(bg.DiscreteIssue("x", [str(k) for k in range(6)]))
    parties = [
        bg.Party(
            nm,
            bg.AdditiveUtility({"x": bg.Table(rng.random(6))}),
            reservation=0.4,
            veto=(i == 0),
        )
        for i, nm in enumerate(names)
    ]
    neg = bg.Negotiation(A, parties, rule=rule)
    X = A.enumerate()
    U = neg.coded_utilities(X)
    sigma = neg.rule_slack(U, X)
    bound = rule.bind(names)
    for j in range(len(X)):
        want = _brute_sigma(U[j] - 0.4, [0], lambda m: bool(bound.winning(m)))
        assert sigma[j] == pytest.approx(want, abs=1e-12)


def test_two_party_majority_is_the_plain_negotiation():
    # more than half of two parties is both: the governed path must agree with the plain one
    m = bg.load_model("ukraine_russia")
    two = m.negotiation.parties[:2]
    neg = bg.Negotiation(m.negotiation.stated_agenda, two)
    assert not bg.Negotiation(neg.stated_agenda, two, rule=bg.Unanimity()).governed
    ruled = bg.Negotiation(neg.stated_agenda, two, rule=bg.Majority())
    assert ruled.governed
    for concept in (bg.nash, bg.kalai_smorodinsky, bg.egalitarian, bg.utilitarian):
        a, b = concept(neg), concept(ruled)
        np.testing.assert_allclose(a.utilities, b.utilities, atol=1e-12)
        np.testing.assert_array_equal(a.coded, b.coded)
    assert float(bg.zopa(neg).slack) == pytest.approx(float(bg.zopa(ruled).slack), abs=1e-12)


def test_governed_nash_is_brute_force_over_acceptable_packages_batched():
    rng = np.random.default_rng(11)
    A = bg.Agenda(
        bg.DiscreteIssue("land", ["0", "1", "2", "3"]), bg.DiscreteIssue("s", ["kept", "lifted"])
    )
    B = 6
    tabs = rng.random((3, B, 2, 4))
    ps = []
    for i, nm in enumerate(["U", "R", "EU"]):
        ps.append(
            bg.Party(
                nm,
                bg.AdditiveUtility(
                    {"land": bg.Table(tabs[i, :, 0, :]), "s": bg.Table(tabs[i, :, 1, :2])}
                ),
                reservation=0.5,
                veto=nm != "EU",
                controls=["s"] if nm == "EU" else (),
            )
        )
    neg = bg.Negotiation(A, ps, status_quo={"land": "0", "s": "kept"})
    res = bg.nash(neg)
    X = A.enumerate()
    U = neg.coded_utilities(X)
    for b in range(B):
        best, arg = -np.inf, -1
        for j, x in enumerate(X):
            g = U[b, j] - 0.5
            need_eu = x[1] != 0
            if g[0] > 0 and g[1] > 0 and (not need_eu or g[2] >= 0):
                val = np.log(g[0]) + np.log(g[1])
                if val > best:
                    best, arg = val, j
        assert int(res.index[b]) == arg
        if arg >= 0:
            np.testing.assert_allclose(res.utilities[b], U[b, arg], atol=1e-12)


def test_lever_modified_negotiation_keeps_governance():
    neg = bg.Negotiation(
        bg.Agenda(bg.DiscreteIssue("x", ["a", "b"])),
        [
            bg.Party("A", bg.AdditiveUtility({"x": bg.Table([1.0, 0.0])})),
            bg.Party("B", bg.AdditiveUtility({"x": bg.Table([0.0, 1.0])})),
            bg.Party(
                "C", bg.AdditiveUtility({"x": bg.Table([0.0, 1.0])}), veto=False, controls=["x"]
            ),
        ],
        status_quo={"x": "a"},
    )
    again = neg.replace(parties=[p.replace(reservation=0.1) for p in neg.parties])
    assert again.status_quo == {"x": "a"} and again.parties[2].controls == ("x",)


def test_governed_rubinstein_is_played_on_the_acceptable_packages():
    A = bg.Agenda(
        bg.DiscreteIssue("land", ["0", "50", "100"]),
        bg.DiscreteIssue("sanctions", ["kept", "lifted"]),
    )
    mk = lambda nm, w, land, s, r, **kw: bg.Party(  # noqa: E731
        nm,
        bg.AdditiveUtility({"land": bg.Table(land), "sanctions": bg.Table(s)}, w),
        r,
        discount=0.9,
        **kw,
    )
    ps = [
        mk("U", [0.8, 0.2], [0, 0.6, 1], [1, 0], 0.1),
        mk("R", [0.5, 0.5], [1, 0.5, 0], [0, 1], 0.1),
        mk("EU", [0.5, 0.5], [0, 0.6, 1], [1, 0], 0.4, veto=False, controls=["sanctions"]),
    ]
    neg = bg.Negotiation(A, ps, status_quo={"land": "0", "sanctions": "kept"})
    res = bg.rubinstein(neg, hull=True)
    X = A.enumerate()
    U = neg.coded_utilities(X)
    ok = neg.rule_slack(U, X) >= 0
    direct = bg.rubinstein([0.9, 0.9], U[ok][:, :2], [0.1, 0.1], hull=True)
    np.testing.assert_allclose(res.utilities, direct.utilities, atol=1e-12)
    for _, o in res.lottery_outcomes:
        j = int(np.flatnonzero((X == neg.agenda.encode(dict(o.items()))).all(axis=1))[0])
        assert ok[j]


def test_errors_name_what_was_expected():
    A = bg.Agenda(bg.DiscreteIssue("x", ["a", "b"]))
    u = bg.AdditiveUtility({"x": bg.Table([1.0, 0.0])})
    with pytest.raises(ValueError, match="controls unknown issue 'y'"):
        bg.Negotiation(
            A, [bg.Party("A", u, controls=["y"]), bg.Party("B", u)], status_quo={"x": "a"}
        )
    with pytest.raises(ValueError, match="give the negotiation's `status_quo`"):
        bg.Negotiation(A, [bg.Party("A", u, controls=["x"]), bg.Party("B", u)])
    with pytest.raises(ValueError, match="no party has a veto"):
        bg.Negotiation(A, [bg.Party("A", u, veto=False), bg.Party("B", u, veto=False)])
    with pytest.raises(ValueError, match=r"voter\(s\) \['Z'\] are not parties"):
        bg.Negotiation(A, [bg.Party("A", u), bg.Party("B", u)], rule=bg.Unanimity(["Z"]))
    with pytest.raises(ValueError, match="`quota` must be in"):
        bg.QualifiedMajority(1.5)
    neg = bg.Negotiation(
        A,
        [bg.Party("A", u), bg.Party("B", u, veto=False), bg.Party("C", u, veto=False)],
        rule=bg.Majority(),
    )
    with pytest.raises(ValueError, match="at least two parties veto=True"):
        bg.nash(neg)
    C = bg.Agenda(bg.ContinuousIssue("y"))
    lin = bg.AdditiveUtility({"y": bg.Linear()})
    negc = bg.Negotiation(
        C,
        [bg.Party("A", lin), bg.Party("B", lin), bg.Party("C", lin, veto=False)],
        rule=bg.Majority(),
    )
    with pytest.raises(ValueError, match="on a grid"):
        bg.nash(negc)
    assert negc.solve("nash", method="enumerate", grid=11).agreement


MODEL = """
[model]
name = "m"
[[issues]]
name = "land"
options = ["0", "50"]
[[issues]]
name = "sanctions"
options = ["kept", "lifted"]
[[parties]]
name = "U"
values.land = { kind = "table", values = [0, 1] }
values.sanctions = { kind = "table", values = [1, 0] }
[[parties]]
name = "R"
values.land = { kind = "table", values = [1, 0] }
values.sanctions = { kind = "table", values = [0, 1] }
[[parties]]
name = "EU"
veto = false
controls = ["sanctions"]
values.land = { kind = "table", values = [0, 1] }
values.sanctions = { kind = "table", values = [1, 0] }
[status_quo]
land = "0"
sanctions = "kept"
"""


def test_model_file_governance_round_trip():
    cf = '[ceasefire]\noutcome = { land = "0", sanctions = "kept" }\ncore = ["land"]\n'
    m = loads_model(MODEL + cf)
    assert m.ceasefire.core == ("land",) and m.ceasefire.outcome["sanctions"] == "kept"
    t = bg.typology(m.negotiation, m.ceasefire.outcome, m.ceasefire.core)
    assert t.type in ("settlement", "symbolic", "frozen", "failure")
    neg = m.negotiation
    assert neg.governed and neg.parties[2].controls == ("sanctions",)
    assert neg.status_quo == {"land": "0", "sanctions": "kept"}


@pytest.mark.parametrize(
    ("edit", "where", "what"),
    [
        (
            ('controls = ["sanctions"]', 'controls = ["sanction"]'),
            "parties[2].controls",
            "unknown issue 'sanction'",
        ),
        (
            ('[status_quo]\nland = "0"\nsanctions = "kept"', ""),
            "parties[2].controls",
            "needs a [status_quo] table",
        ),
        (
            ('sanctions = "kept"\n', 'sanctions = "gone"\n'),
            "status_quo.sanctions",
            "expected one of the options",
        ),
        (('[status_quo]\nland = "0"\n', "[status_quo]\n"), "status_quo", "give issue(s) ['land']"),
        (("veto = false", "veto = 0"), "parties[2].veto", "expected"),
        (
            ("", '[decision]\nrule = "qualified_majority"\nquota = 0.6\nvoters = ["U", "X"]\n'),
            "decision.voters",
            "'X' is not a party",
        ),
        (("", '[decision]\nrule = "supermajority"\n'), "decision.rule", "expected one of"),
        (
            ("", '[decision]\nrule = "qualified_majority"\n'),
            "decision.quota",
            "needs a weight quota",
        ),
        (
            ("", '[ceasefire]\noutcome = { land = "0" }\ncore = ["land"]\n'),
            "ceasefire.outcome",
            "give issue(s) ['sanctions']",
        ),
        (
            ("", '[ceasefire]\noutcome = { land = "0", sanctions = "kept" }\ncore = ["lands"]\n'),
            "ceasefire.core",
            "unknown issue 'lands'",
        ),
    ],
)
def test_bad_model_files_name_the_key_path(edit, where, what):
    old, new = edit
    text = MODEL.replace(old, new) if old else MODEL + new
    with pytest.raises(ModelError) as exc:
        loads_model(text, "bad.toml")
    msg = str(exc.value)
    assert "bad.toml" in msg and where in msg and what in msg, msg
