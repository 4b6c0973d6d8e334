"""Option constraints across discrete issues (Requires, Forbidden), checked by brute force.

Every package a solver, the ZOPA or a sweep returns must exist; the issue-by-issue
fast paths (coupled issues as one compound issue) must agree with enumerating the
allowed packages.
"""

import itertools

import numpy as np
import pytest
from numpy.testing import assert_allclose

import bargain as bg
from bargain.zopa import _issues as zopa_issues


def _agenda(constraints, sizes=(3, 4, 2, 3)):
    issues = [bg.DiscreteIssue(f"i{k}", [f"o{j}" for j in range(n)]) for k, n in enumerate(sizes)]
    return bg.Agenda(*issues, constraints=constraints)


def _allowed(A, combo):
    """Plain-Python reading of the constraints (the definition, not the masks)."""
    opt = {A.names[k]: A.issues[k].options[int(c)] for k, c in enumerate(combo)}

    def match(spec):
        return all(opt[k] in ((v,) if isinstance(v, str) else v) for k, v in spec.items())

    for c in A.option_constraints:
        if isinstance(c, bg.Requires) and match(c.when) and not match(c.then):
            return False
        if isinstance(c, bg.Forbidden) and match(c.options):
            return False
    return True


CONSTRAINTS = [
    bg.Requires({"i0": "o2"}, {"i1": ["o0", "o1"]}),
    bg.Forbidden({"i1": "o3", "i2": "o1"}),
    bg.Requires({"i2": "o0", "i3": ["o1", "o2"]}, {"i0": "o0"}),
]


def _negotiation(A, rng):
    parties = []
    for name in ("P", "Q"):
        values = {n: bg.Table(rng.uniform(0, 1, A.issue(n).k)) for n in A.names}
        parties.append(bg.Party(name, bg.AdditiveUtility(values, rng.uniform(0.2, 1, len(A)))))
    return bg.Negotiation(A, parties)


def test_enumerate_drops_exactly_the_forbidden_packages():
    A = _agenda(CONSTRAINTS)
    every = itertools.product(*(range(i.k) for i in A.issues))
    expected = [c for c in every if _allowed(A, c)]
    assert_allclose(A.enumerate(), np.array(expected, float))
    assert len(expected) < 3 * 4 * 2 * 3
    assert np.all(A.feasible(A.enumerate()))


@pytest.mark.parametrize("concept", ["nash", "kalai_smorodinsky", "egalitarian", "utilitarian"])
def test_solvers_return_existing_packages_and_match_brute_force(concept):
    A = _agenda(CONSTRAINTS)
    rng = np.random.default_rng(5)
    for _ in range(10):
        neg = _negotiation(A, rng)
        X = A.enumerate()
        U = neg.coded_utilities(X)
        d = U.min(axis=0) + 0.3 * (U.max(axis=0) - U.min(axis=0))
        ref = getattr(bg, concept)(U, d)  # second method: the allowed packages as points
        for method in ("enumerate", "frontier"):
            res = neg.solve(concept, d, method=method)
            assert bool(res.agreement) == bool(ref.agreement)
            if res.agreement:
                assert A.feasible(np.asarray(res.coded))
                assert_allclose(res.utilities, ref.utilities, rtol=0, atol=1e-12)


def test_pareto_frontier_combining_equals_enumeration_under_constraints():
    A = _agenda(CONSTRAINTS, sizes=(4, 4, 3, 3))
    rng = np.random.default_rng(8)
    for _ in range(10):
        neg = _negotiation(A, rng)
        Uc, Xc = neg.pareto_frontier(method="combine")
        Ue, _ = neg.pareto_frontier(method="enumerate")
        order_c, order_e = np.lexsort(Uc.T[::-1]), np.lexsort(Ue.T[::-1])
        assert_allclose(Uc[order_c], Ue[order_e], rtol=0, atol=1e-12)
        assert np.all(A.feasible(Xc))


def test_zopa_issue_by_issue_equals_enumeration_under_constraints():
    A = _agenda(CONSTRAINTS)
    rng = np.random.default_rng(9)
    for _ in range(5):
        neg = _negotiation(A, rng)
        U = neg.coded_utilities(A.enumerate())
        r = np.broadcast_to(U.mean(axis=0), (1, 2))
        e = zopa_issues._discrete_enumerate(neg, r, (1,))
        c = zopa_issues._discrete_combine(neg, r, (1,), 200, 0)
        assert_allclose(c["slack"], e["slack"], rtol=0, atol=1e-12)
        for name in A.names:
            np.testing.assert_array_equal(c["options"][name], e["options"][name])
        assert A.feasible(c["robust_coded"][0])


def test_mixed_agenda_combinations_respect_constraints():
    A = bg.Agenda(
        bg.ContinuousIssue("x"),
        bg.DiscreteIssue("g", ["none", "treaty", "article5"]),
        bg.DiscreteIssue("a", ["nato", "neutral"]),
        constraints=bg.Requires({"g": "article5"}, {"a": "nato"}),
    )
    u1 = bg.AdditiveUtility(
        {"x": bg.Linear(), "g": bg.Table([0, 0.5, 1.0]), "a": bg.Table([1.0, 0.0])}
    )
    u2 = bg.AdditiveUtility(
        {"x": bg.Linear(-1, 1), "g": bg.Table([1.0, 0.6, 0.5]), "a": bg.Table([0.0, 1.0])}
    )
    neg = bg.Negotiation(A, [bg.Party("U", u1, discount=0.9), bg.Party("R", u2, discount=0.9)])
    for concept in ("nash", "kalai_smorodinsky", "egalitarian", "utilitarian"):
        res = neg.solve(concept)
        assert A.feasible(np.asarray(res.coded)), concept
    res = bg.rubinstein(neg, hull=True)
    for _, outcome in res.lottery_outcomes:
        assert A.feasible(A.encode(outcome))
    # second method: the frontier with lotteries is the hull of the allowed combinations'
    # translates of the continuous segment, sampled densely (linear: exact at the ends)
    X = np.array([[x, g, a] for g in range(3) for a in range(2) for x in (0.0, 1.0)])
    X = X[A.feasible(X)]
    V, _, k = bg.utility._chain.pareto_chain(neg.coded_utilities(X)[None])
    from bargain.issues._frontier import hull_frontier

    fr = hull_frontier(neg)
    assert_allclose(fr.lo, V[0, 0, 0], atol=1e-12)
    assert_allclose(fr.hi, V[0, int(k[0]) - 1, 0], atol=1e-12)
    assert_allclose(fr.frontier(V[0, : int(k[0]), 0])[:, 1], V[0, : int(k[0]), 1], atol=1e-9)


def test_bad_constraints_name_the_problem():
    issues = (bg.DiscreteIssue("g", ["a", "b"]), bg.ContinuousIssue("x"))
    with pytest.raises(ValueError, match=r"no issue 'h'|unknown issue"):
        bg.Agenda(*issues, constraints=bg.Forbidden({"h": "a"}))
    with pytest.raises(ValueError, match="has no option 'c'"):
        bg.Agenda(*issues, constraints=bg.Forbidden({"g": "c"}))
    with pytest.raises(ValueError, match="continuous"):
        bg.Agenda(*issues, constraints=bg.Requires({"g": "a"}, {"x": "b"}))
    with pytest.raises(ValueError, match="leave no package"):
        bg.Agenda(*issues, constraints=[bg.Forbidden({"g": "a"}), bg.Forbidden({"g": "b"})])
    with pytest.raises(TypeError, match="`then`"):
        bg.Requires({"g": "a"}, {"x": 1.0})
    with pytest.raises(TypeError, match="`options`"):
        bg.Forbidden({})


MODEL = """
[model]
name = "t"
format = 1
[[issues]]
name = "guarantee"
options = ["none", "treaty", "article5"]
[[issues]]
name = "alignment"
options = ["nato_path", "neutrality"]
[[constraints]]
CONSTRAINT
[[parties]]
name = "A"
[parties.values]
guarantee = { kind = "table", values = [0, 0.5, 1] }
alignment = { kind = "table", values = [1, 0] }
[[parties]]
name = "B"
[parties.values]
guarantee = { kind = "table", values = [1, 0.6, 0] }
alignment = { kind = "table", values = [0, 1] }
"""


def test_model_file_constraints(tmp_path):
    path = tmp_path / "m.toml"
    path.write_text(
        MODEL.replace(
            "CONSTRAINT", 'when = { guarantee = "article5" }\nthen = { alignment = "nato_path" }'
        ),
        encoding="utf-8",
    )
    m = bg.load_model(path)
    X = m.agenda.enumerate()
    assert len(X) == 5 and not np.any((X[:, 0] == 2) & (X[:, 1] == 1))
    bad = {
        'when = { guarantee = "article6" }\nthen = { alignment = "nato_path" }': (
            "constraints[0].when.guarantee: issue 'guarantee' has no option 'article6'"
        ),
        'when = { guaranty = "article5" }\nthen = { alignment = "nato_path" }': (
            "constraints[0].when: unknown issue 'guaranty'"
        ),
        'when = { guarantee = "article5" }': "constraints[0]: missing required key 'then'",
        "forbidden = { alignment = [] }": "constraints[0].forbidden.alignment: expected",
    }
    for text, message in bad.items():
        path.write_text(MODEL.replace("CONSTRAINT", text), encoding="utf-8")
        with pytest.raises(bg.ModelError) as info:
            bg.load_model(path)
        assert message in str(info.value), (text, str(info.value))


def _violations(model, coded):
    X = np.asarray(coded, dtype=float)
    return int(np.sum(~model.agenda.feasible(X)))


def test_bundled_ukraine_model_has_no_article5_with_neutrality():
    import json
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-m", "bargain.cli", "solve", "ukraine_russia", "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    sol = json.loads(out.stdout)
    sol = sol.get("solutions", sol)
    m = bg.load_model("ukraine_russia")
    for concept, entry in sol.items():
        if not isinstance(entry, dict):
            continue
        outcomes = [entry["outcome"]] if entry.get("outcome") else []
        outcomes += [part["outcome"] for part in entry.get("lottery", [])]
        for o in outcomes:
            # m.agenda is the agenda within the parties' red lines
            assert m.agenda.feasible(m.agenda.encode(o)), (concept, o)
    assert sol["rubinstein"]["agreement"] is True


@pytest.mark.slow
def test_sweep_of_ten_thousand_draws_has_no_impossible_package():
    m = bg.load_model("ukraine_russia")
    run = bg.sweep(m, 10_000, seed=2)
    t = run.table
    for prefix in ("nash", "rubinstein_limit"):
        X = np.stack([t[f"{prefix}.{n}"].to_numpy() for n in m.agenda.names], axis=-1)
        agree = t[f"{prefix}_agreement"].to_numpy()
        assert _violations(m, X[agree]) == 0


def test_index_is_the_row_of_enumerate_on_both_paths():
    A = _agenda(CONSTRAINTS)
    neg = _negotiation(A, np.random.default_rng(21))
    X = A.enumerate()
    for concept in ("nash", "utilitarian"):
        e = neg.solve(concept, method="enumerate")
        f = neg.solve(concept, method="frontier")
        assert int(e.index) == int(f.index)
        assert_allclose(X[int(f.index)], f.coded)


def test_linkage_keeps_the_status_quo_options_inside_constraints():
    A = bg.Agenda(
        bg.DiscreteIssue("g", ["none", "article5"]),
        bg.DiscreteIssue("a", ["nato", "neutral"]),
        constraints=bg.Requires({"g": "article5"}, {"a": "nato"}),
    )
    u1 = bg.AdditiveUtility({"g": bg.Table([0.0, 1.0]), "a": bg.Table([0.0, 0.2])})
    u2 = bg.AdditiveUtility({"g": bg.Table([0.6, 0.5]), "a": bg.Table([0.0, 0.5])})
    neg = bg.Negotiation(A, [bg.Party("U", u1, 0.4), bg.Party("R", u2, 0.4)])
    res = bg.linkage(neg, {"g": "none", "a": "neutral"})
    # by hand: the package {g} leaves a = neutral, where article5 does not exist: only
    # (none, neutral) = (0.2, 1.1) is left, worth 0.2 - 0.4 < 0 to U: closed. Without the
    # constraint, (article5, neutral) = (1.2, 1.0) would open it.
    p = res.packages.index(("g",))
    assert_allclose(res.slack[p], -0.2, atol=1e-12)
    assert not res.open[p]
    # {g, a}: (article5, nato) = (1.0, 0.5) gives min gain 0.1 (the best allowed package)
    q = res.packages.index(("g", "a"))
    assert_allclose(res.slack[q], 0.1, atol=1e-12)
