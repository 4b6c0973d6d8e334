"""The mediator's procedures (bargain.single_text, bargain.shuttle).

Checked against a plain reference implementation (a loop over every text, sharing
no code with the library), the propositions of ``bargain/mediation/_procedure.py``
by brute force, and properties over random negotiations.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import examples

import bargain as bg
from bargain.analysis._sweep import batched_negotiation

TOL = 1e-9


# -- random discrete negotiations ------------------------------------------------------


@st.composite
def negotiations(draw, max_parties=3, max_issues=3, max_options=4, constrained=False):
    n = draw(st.integers(2, max_parties))
    K = draw(st.integers(1, max_issues))
    sizes = [draw(st.integers(2, max_options)) for _ in range(K)]
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    issues = [bg.DiscreteIssue(f"i{k}", [f"o{j}" for j in range(m)]) for k, m in enumerate(sizes)]
    constraints = []
    if constrained and K >= 2:
        constraints = [bg.Forbidden({"i0": "o0", "i1": "o1"})]
    agenda = bg.Agenda(*issues, constraints=constraints)
    parties = []
    for i in range(n):
        tables = {f"i{k}": bg.Table(rng.uniform(0, 1, m).round(6)) for k, m in enumerate(sizes)}
        parties.append(bg.Party(f"P{i}", bg.AdditiveUtility(tables, rng.uniform(0.1, 1, K))))
    neg = bg.Negotiation(agenda, parties)
    start = tuple(int(rng.integers(0, m)) for m in sizes)
    return neg, start


def _table(neg):
    """Every coded outcome (all option combinations) and its utilities, by brute force."""
    sizes = [issue.k for issue in neg.agenda.issues]
    X = np.array(list(itertools.product(*[range(m) for m in sizes])), dtype=float)
    U = neg.coded_utilities(X)
    ok = neg.agenda.feasible(X)
    return X, U, ok


def _reference(neg, start, *, clauses, step, bias=None, threshold=0.0, fatigue=True):
    """The steepest single text by a plain loop over every text (no ties: random tables)."""
    X, U, ok = _table(neg)
    b = np.full(neg.n, 1.0 / neg.n) if bias is None else np.asarray(bias) / np.sum(bias)
    cur = int(np.flatnonzero((X == np.asarray(start, dtype=float)).all(axis=1))[0])
    path = [cur]
    while True:
        best, best_j = 0.0, None
        for j in range(len(X)):
            if not ok[j] or j == cur:
                continue
            diff = np.abs(X[j] - X[cur])
            if np.count_nonzero(diff) > clauses or (step is not None and diff.max() > step):
                continue
            D = U[j] - U[cur]
            if fatigue:
                if np.any(D < -TOL):
                    continue
            elif np.any(D < np.maximum(threshold, 0) - TOL):
                continue
            g = float(b @ D)
            if g > best + TOL:
                best, best_j = g, j
        if best_j is None:
            return path, X[cur]
        if fatigue and np.any(U[best_j] - U[cur] < threshold - TOL):
            return path, X[cur]
        cur = best_j
        path.append(cur)


# -- against the reference -------------------------------------------------------------


@settings(max_examples=examples(2, 30), deadline=None)
@given(
    negotiations(),
    st.integers(1, 3),
    st.sampled_from([None, 1]),
    st.sampled_from([0.0, 0.05]),
    st.booleans(),
)
def test_steepest_path_matches_a_loop_over_every_text(case, clauses, step, threshold, fatigue):
    neg, start = case
    start_map = {f"i{k}": f"o{o}" for k, o in enumerate(start)}
    res = bg.single_text(
        neg, start_map, clauses=clauses, step=step, threshold=threshold, fatigue=fatigue
    )
    path, final = _reference(
        neg, start, clauses=clauses, step=step, threshold=threshold, fatigue=fatigue
    )
    np.testing.assert_array_equal(res.coded, final)
    assert res.rounds == len(path) - 1
    X, U, _ = _table(neg)
    np.testing.assert_array_equal(res.path[: res.rounds + 1], X[path])
    np.testing.assert_allclose(res.path_utilities[: res.rounds + 1], U[path], atol=1e-12)


# -- properties ------------------------------------------------------------------------


@settings(max_examples=examples(2, 30), deadline=None)
@given(
    negotiations(constrained=True),
    st.sampled_from(["steepest", "target", "random"]),
    st.integers(1, 3),
    st.sampled_from([None, 1]),
    st.integers(0, 1000),
)
def test_every_accepted_revision_is_weakly_better_for_every_party(case, rule, clauses, step, seed):
    neg, _ = case
    res = bg.single_text(
        neg, "random", n_random=4, revision=rule, clauses=clauses, step=step, rng=seed
    )
    P = res.path_utilities  # (S, R + 1, n)
    assert np.all(np.diff(P, axis=1) >= -TOL)
    X = res.path.reshape(-1, len(neg.agenda))
    # every text after the start meets the constraints
    later = res.path[:, 1:].reshape(-1, len(neg.agenda))
    assert neg.agenda.feasible(later).all() if later.size else True
    assert X.shape[0] == P.shape[0] * P.shape[1]
    # each adopted revision changes at most `clauses` issues, each by at most `step`
    changes = np.abs(np.diff(res.path, axis=1))
    assert np.all((changes > 0).sum(axis=-1) <= clauses)
    if step is not None:
        assert np.all(changes <= step)


@settings(max_examples=examples(2, 30), deadline=None)
@given(negotiations(constrained=True), st.sampled_from(["steepest", "random"]), st.integers(0, 99))
def test_whole_text_revisions_end_pareto_optimal(case, rule, seed):
    neg, _ = case
    K = len(neg.agenda)
    res = bg.single_text(neg, "random", n_random=5, revision=rule, clauses=K, rng=seed)
    _, U, ok = _table(neg)
    V = U[ok]
    for u in res.utilities:
        dominated = np.any(np.all(V >= u - TOL, axis=1) & np.any(V > u + TOL, axis=1))
        assert not dominated
    assert res.pareto.all()
    # Proposition 1: one round at most under the steepest rule
    if rule == "steepest":
        assert res.rounds.max() <= 1


@settings(max_examples=examples(2, 30), deadline=None)
@given(
    negotiations(),
    st.floats(0.0, 0.3),
    st.floats(0.0, 0.3),
    st.sampled_from(["steepest", "random", "target"]),
    st.integers(1, 3),
    st.sampled_from([None, 1]),
)
def test_larger_threshold_never_more_rounds(case, t1, t2, rule, clauses, step):
    neg, _ = case
    lo, hi = sorted((t1, t2))
    kw = dict(revision=rule, clauses=clauses, step=step, n_random=6, rng=3)
    a = bg.single_text(neg, "random", threshold=lo, **kw)
    b = bg.single_text(neg, "random", threshold=hi, **kw)
    assert np.all(b.rounds <= a.rounds)
    # the path under the larger threshold is a prefix of the path under the smaller
    for s in range(a.rounds.size):
        r = b.rounds[s]
        np.testing.assert_array_equal(b.path[s, : r + 1], a.path[s, : r + 1])


@settings(max_examples=examples(2, 30), deadline=None)
@given(negotiations(max_issues=4), st.integers(0, 99))
def test_clause_by_clause_is_issue_by_issue(case, seed):
    """Proposition 2: each issue revised at most once, to the best option of its own lens."""
    neg, _ = case
    res = bg.single_text(neg, "random", n_random=4, clauses=1, rng=seed)
    w = np.full(neg.n, 1.0 / neg.n)
    for s in range(4):
        start = res.path[s, 0].astype(int)
        changed = np.abs(np.diff(res.path[s, : res.rounds[s] + 1], axis=0)) > 0
        assert np.all(changed.sum(axis=0) <= 1)  # each issue at most once
        for k, issue in enumerate(neg.agenda.issues):
            # additive: revising issue k alone changes each party's utility by its term's change
            X = np.repeat(start[None, :].astype(float), issue.k, axis=0)
            X[:, k] = np.arange(issue.k)
            gains = neg.coded_utilities(X) - neg.coded_utilities(start[None, :].astype(float))
            lens = np.all(gains >= -TOL, axis=1)
            score = gains @ w
            best = int(np.argmax(np.where(lens, score, -np.inf)))
            want = best if score[best] > 1e-9 else start[k]
            assert res.coded[s, k] == want


@settings(max_examples=examples(2, 30), deadline=None)
@given(negotiations(constrained=True), st.integers(0, 99))
def test_shuttle_revisions_and_whole_text_end(case, seed):
    neg, _ = case
    K = len(neg.agenda)
    res = bg.shuttle(neg, "random", n_random=4, clauses=K, rng=seed)
    P = res.path_utilities
    assert np.all(np.diff(P, axis=1) >= -TOL)
    assert res.pareto.all()  # whole-text revisions: a dominating text would be proposed
    assert np.all(res.visits >= neg.n)
    assert np.all(res.offers >= res.rounds)


# -- batching --------------------------------------------------------------------------


@pytest.mark.parametrize("rule", ["steepest", "random", "target"])
def test_batched_draws_and_starts_equal_single_runs(rule):
    model = bg.load_model("ukraine_russia")
    draws = model.draw(4, rng=5)
    neg = batched_negotiation(model, draws)
    kw = dict(revision=rule, step=1, rng=11)
    starts = ["status_quo", "Ukraine", "Russia"]
    res = bg.single_text(neg, starts, **kw)
    assert res.rounds.shape == (4, 3)
    assert res.utilities.shape == (4, 3, 4)
    for j in range(4):
        one = batched_negotiation(model, {k: v[j : j + 1] for k, v in draws.items()})
        single = bg.single_text(one, starts, **kw)
        np.testing.assert_array_equal(single.coded[0], res.coded[j])
        np.testing.assert_array_equal(single.rounds[0], res.rounds[j])
        np.testing.assert_allclose(single.utilities[0], res.utilities[j], rtol=0, atol=1e-12)
        np.testing.assert_array_equal(single.pareto[0], res.pareto[j])
        np.testing.assert_array_equal(single.in_zopa[0], res.in_zopa[j])
        if rule != "random":  # the random revisions depend on the start's position
            for s, start in enumerate(starts):
                alone = bg.single_text(one, start, **kw)
                np.testing.assert_array_equal(alone.coded[0, 0], res.coded[j, s])
                assert alone.rounds[0, 0] == res.rounds[j, s]


def test_governed_revisions_never_hurt_a_veto_player():
    neg = bg.load_model("ukraine_russia").negotiation
    res = bg.single_text(neg, "random", n_random=200, rng=2)
    P = res.path_utilities
    for i in neg.veto_players:
        assert np.all(np.diff(P[..., i], axis=1) >= -TOL)
    # a revision that changes what a non-veto controller holds needs its consent
    A = neg.agenda
    for i, p in enumerate(neg.parties):
        if p.veto or not p.controls:
            continue
        cols = [A.position(k) for k in p.controls]
        sq = neg.status_quo_coded[cols]
        texts = res.path[..., 1:, :][..., cols]
        moved = np.diff(P[..., i], axis=1)
        touches = np.any(texts != sq, axis=-1)
        assert np.all(moved[touches] >= -TOL)


# -- exact statements ------------------------------------------------------------------


def test_concave_frontier_end_point_converges_to_the_clamped_utilitarian_point():
    """Proposition 1 on u_A = sqrt(a), u_B = b, a + b <= 1: the end tends to a = b1^2/(4 b2^2)."""
    A = bg.Agenda(
        bg.ContinuousIssue("a"),
        bg.ContinuousIssue("b"),
        constraints=bg.LinearConstraint({"a": 1, "b": 1}, ub=1),
    )
    pa = bg.Party("A", bg.AdditiveUtility({"a": bg.Power(0.5)}))
    pb = bg.Party("B", bg.AdditiveUtility({"b": bg.Linear()}))
    neg = bg.Negotiation(A, [pa, pb])
    for b1, grid in [(0.55, 41), (0.55, 161), (0.62, 161)]:
        res = bg.single_text(neg, {"a": 0, "b": 0}, bias=[b1, 1 - b1], grid=grid)
        a_star = min((b1 / (2 * (1 - b1))) ** 2, 1.0)
        h = 1 / (grid - 1)
        assert abs(res.coded[0] - a_star) <= h  # within one grid step
        assert res.rounds == 1
    # from a start inside the lens's end: the clamp (A's gain is zero at the arc's end)
    res = bg.single_text(neg, {"a": 0.64, "b": 0}, grid=26)
    assert res.coded[0] == pytest.approx(0.64) and res.rounds == 1  # b rises to 0.36
    assert res.coded[1] == pytest.approx(0.36)


def test_drafting_advantage_and_start_share():
    neg = bg.load_model("camp_david_1978").negotiation
    res = bg.single_text(neg, "proposals", step=1)
    adv = res.drafting_advantage()
    assert set(adv) == {"Egypt", "Israel"}
    U = res.utilities
    assert adv["Egypt"] == pytest.approx(U[0, 0] - U[1, 0])
    assert adv["Israel"] == pytest.approx(U[1, 1] - U[0, 1])
    share = res.start_share()
    assert share.shape == (2,) and np.all((share >= 0) & (share <= 1))
    rows = res.distribution()
    assert sum(r["share"] for r in rows) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="proposals of at least two parties"):
        bg.single_text(neg, "Egypt").drafting_advantage()


def test_start_share_decomposes_the_variance():
    model = bg.load_model("ukraine_russia")
    neg = batched_negotiation(model, model.draw(6, rng=1))
    res = bg.single_text(neg, "random", n_random=5, rng=4, step=1)
    U = res.utilities
    for i in range(4):
        total = U[..., i].var()
        if total > 0:
            want = U[..., i].var(axis=1).mean() / total
            assert res.start_share()[i] == pytest.approx(want, rel=1e-12)


# -- bad input -------------------------------------------------------------------------

PIE = bg.Negotiation(
    bg.Agenda(bg.ContinuousIssue("x")),
    [
        bg.Party("A", bg.AdditiveUtility({"x": bg.Linear()})),
        bg.Party("B", bg.AdditiveUtility({"x": bg.Linear(-1.0, 1.0)})),
    ],
)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: bg.single_text("model", "A"), "needs a bargain Negotiation"),
        (lambda: bg.single_text(PIE, "A", revision="greedy"), "`revision`"),
        (lambda: bg.single_text(PIE, "nobody"), r"`start\[0\]`"),
        (lambda: bg.single_text(PIE, "status_quo"), "status quo"),
        (lambda: bg.single_text(PIE, "random"), "n_random"),
        (lambda: bg.single_text(PIE, {"y": 1}), r"`start\[0\]`"),
        (lambda: bg.single_text(PIE, [[0.5, 0.5]]), r"`start\[0\]`"),
        (lambda: bg.single_text(PIE, [], n_random=1), "`start`"),
        (lambda: bg.single_text(PIE, "A", bias=[1, -1]), "`bias`"),
        (lambda: bg.single_text(PIE, "A", bias=[0, 0]), "`bias`"),
        (lambda: bg.single_text(PIE, "A", bias=[1, 2, 3]), "`bias`"),
        (lambda: bg.single_text(PIE, "A", bias={"C": 1}), "`bias`"),
        (lambda: bg.single_text(PIE, "A", threshold=-0.1), "`threshold`"),
        (lambda: bg.single_text(PIE, "A", threshold=float("nan")), "`threshold`"),
        (lambda: bg.single_text(PIE, "A", threshold=1j), "`threshold`"),
        (lambda: bg.single_text(PIE, "A", threshold="a"), "`threshold`"),
        (lambda: bg.single_text(PIE, "A", clauses=0), "`clauses`"),
        (lambda: bg.single_text(PIE, "A", step=0), "`step`"),
        (lambda: bg.single_text(PIE, "A", step=1.5), "`step`"),
        (lambda: bg.single_text(PIE, "A", grid=1), "`grid`"),
        (lambda: bg.single_text(PIE, "A", grid={"y": 3}), "y"),
        (lambda: bg.single_text(PIE, "A", grid=10**8), "coarser `grid`"),
        (lambda: bg.single_text(PIE, "A", max_rounds=-1), "`max_rounds`"),
        (lambda: bg.single_text(PIE, "A", n_random=-2), "`n_random`"),
        (lambda: bg.single_text(PIE, "A", fatigue="yes"), "`fatigue`"),
        (lambda: bg.single_text(PIE, "A", revision="target", target="median"), "`target`"),
        (lambda: bg.single_text(PIE, "A", revision="target", target=[1.0]), "`target`"),
        (lambda: bg.single_text(PIE, "A", rng=-1), "`rng`"),
        (lambda: bg.shuttle(PIE, "A", order=["C"]), "`order`"),
        (lambda: bg.shuttle(PIE, "A", order="A"), "`order`"),
        (lambda: bg.shuttle(PIE, "A", order=[]), "`order`"),
    ],
)
def test_bad_input_is_named(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()


def test_too_many_revisions_is_named():
    issues = [bg.DiscreteIssue(f"i{k}", [str(j) for j in range(40)]) for k in range(4)]
    tables = {f"i{k}": bg.Table(np.linspace(0, 1, 40)) for k in range(4)}
    ps = [bg.Party(p, bg.AdditiveUtility(tables)) for p in "AB"]
    with pytest.raises(ValueError, match="admissible revisions per text"):
        bg.single_text(bg.Negotiation(bg.Agenda(*issues), ps), "A", clauses=3)


def test_compare_procedures_against_its_parts():
    neg = bg.load_model("syria_geneva_2012_17").negotiation
    cmp = bg.compare_procedures(neg, "random", n_random=30, rng=5)
    st = bg.single_text(neg, "random", n_random=30, rng=5)
    sh = bg.shuttle(neg, "random", n_random=30, rng=5)
    rub = bg.rubinstein(neg).utilities
    nash = bg.nash(neg).utilities
    rows = {r["procedure"]: r for r in cmp.rows}
    assert rows["single_text"]["rounds"] == pytest.approx(st.rounds.mean())
    assert rows["single_text"]["offers"] == pytest.approx(st.rounds.mean() + 1)
    assert rows["shuttle"]["offers"] == pytest.approx(sh.offers.mean())
    np.testing.assert_allclose(rows["rubinstein"]["utilities"], rub, atol=1e-12)
    want = np.linalg.norm(sh.utilities - rub, axis=-1).mean()
    assert rows["shuttle"]["rubinstein_distance"] == pytest.approx(want, rel=1e-12)
    want = np.linalg.norm(st.utilities - nash, axis=-1).mean()
    assert rows["single_text"]["nash_distance"] == pytest.approx(want, rel=1e-12)
    assert rows["single_text"]["pareto"] == pytest.approx(st.pareto.mean())


def test_continuous_and_mixed_agendas_with_red_lines():
    """Texts honour a red line that narrows a divisible issue; the path stays inside it."""
    model = bg.load_model("camp_david_1978")
    neg = model.negotiation
    egypt, israel = neg.parties
    israel = israel.replace(red_lines={"sinai_returned": {"max": 0.8}})
    narrowed = bg.Negotiation(neg.stated_agenda, [egypt, israel])
    res = bg.single_text(narrowed, "random", n_random=50, rng=1)
    later = res.path[:, 1:, 0]
    moved = np.diff(res.path[..., 0], axis=1) != 0
    assert np.all(later[moved] <= 0.8 + 1e-12)
    assert np.all((res.coded[:, 0] <= 0.8 + 1e-12) | (res.rounds == 0))
    # a start across the red line: the text may stay there, but every revision lands inside
    start = {
        "sinai_returned": 1.0,
        "sinai_settlements": "remain",
        "recognition": "non_belligerency",
        "palestinian_question": "none",
    }
    res = bg.single_text(narrowed, start)
    assert res.path[0, 0] == 1.0
    assert np.all(res.path[1 : res.rounds + 1, 0] <= 0.8 + 1e-12)
    assert res.outcome["sinai_returned"] == (1.0 if res.rounds == 0 else res.coded[0])
    assert "rounds" in repr(res)


def test_too_many_utilities_at_once_is_named():
    model = bg.load_model("ukraine_russia")
    neg = batched_negotiation(model, model.draw(8000, rng=0))  # 8000 x 4455 x 4 values
    with pytest.raises(ValueError, match="fewer draws per call"):
        bg.single_text(neg, "status_quo")
