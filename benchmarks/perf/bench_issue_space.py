"""Nash agreement of two-party discrete negotiations, against plain-Python baselines.

1. Enumeration: 3 issues x 100 options = 10**6 outcomes. Ours: ``bg.nash(neg,
   method="enumerate")`` (enumerate coded outcomes, evaluate additive utilities as
   arrays, solve with the finite kernel, map back). Baseline: a plain-Python loop over
   all outcomes computing both utilities and the Nash product (what one writes
   without numpy).
2. Frontier combining: 10 issues x 10 options = 10**10 outcomes. Ours:
   ``bg.nash(neg)`` (issue-by-issue Pareto frontier, never enumerating). Baselines:
   the same plain-Python loop over outcomes, timed on a 10**5-outcome sample and
   scaled linearly to 10**10; and a plain-Python (lists, no numpy) implementation of
   the same frontier-combining algorithm.

Every timed call does all the work (the negotiation is built outside; solving it
runs enumeration or frontier construction each time).
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _harness

import bargain as bg


def _negotiation(K, k, seed):
    # opposed interests (party 2's values fall as party 1's rise, with noise) and
    # different issue weights: large Pareto frontiers, the hard case for combining
    rng = np.random.default_rng(seed)
    t1 = np.sort(rng.random((K, k)), axis=1) * rng.uniform(0.2, 1.0, (K, 1))
    t2 = (t1.max(axis=1, keepdims=True) - t1) * rng.uniform(0.2, 1.0, (K, 1))
    tabs = np.stack([t1, t2 + 0.05 * rng.random((K, k))])
    issues = [bg.DiscreteIssue(f"i{j}", [str(o) for o in range(k)]) for j in range(K)]
    parties = [
        bg.Party(f"P{i}", bg.AdditiveUtility({f"i{j}": bg.Table(tabs[i, j]) for j in range(K)}))
        for i in range(2)
    ]
    return bg.Negotiation(bg.Agenda(issues), parties), tabs.tolist()


def _python_enumeration(tabs, d, limit=None):
    """Plain Python: every outcome, utilities and Nash product; returns the best outcome."""
    K, k = len(tabs[0]), len(tabs[0][0])
    best, arg = 0.0, None
    outcomes = itertools.product(range(k), repeat=K)
    if limit is not None:
        outcomes = itertools.islice(outcomes, limit)
    t1, t2 = tabs
    for o in outcomes:
        u1 = 0.0
        u2 = 0.0
        for j, oj in enumerate(o):
            u1 += t1[j][oj]
            u2 += t2[j][oj]
        g1, g2 = u1 - d[0], u2 - d[1]
        if g1 > 0 and g2 > 0 and g1 * g2 > best:
            best, arg = g1 * g2, o
    return arg


def _python_frontier(tabs, d):
    """Plain Python: the same issue-by-issue frontier combination, then the Nash point."""
    t1, t2 = tabs
    front = [(0.0, 0.0, ())]
    for j in range(len(t1)):
        cand = [
            (a + t1[j][o], b + t2[j][o], p + (o,)) for a, b, p in front for o in range(len(t1[j]))
        ]
        cand.sort(key=lambda c: (-c[0], -c[1]))
        front, top = [], -float("inf")
        for c in cand:
            if c[1] > top:
                front.append(c)
                top = c[1]
    best = max(
        front, key=lambda c: (c[0] - d[0]) * (c[1] - d[1]) if c[0] > d[0] and c[1] > d[1] else 0
    )
    return best[2]


def run(smoke: bool = False) -> list[dict]:
    rows = []
    # 1. enumeration
    k1 = 12 if smoke else 100
    neg, tabs = _negotiation(3, k1, 0)
    d = [0.1, 0.1]
    res = bg.nash(neg, d)
    assert res.method == "enumerate" and res.agreement
    assert tuple(int(c) for c in res.coded) == _python_enumeration(tabs, d), "paths differ"
    n1 = k1**3
    row = _harness.compare(
        "nash, 2 parties, 3 issues, by enumeration",
        f"{n1:.0e} outcomes",
        lambda: neg.solve("nash", d, method="enumerate"),
        "plain-Python loop over outcomes",
        lambda: _python_enumeration(tabs, d),
        repeat=1 if smoke else 3,
    )
    row["outcomes_per_s"] = n1 / row["seconds"]
    row["baseline_outcomes_per_s"] = n1 / row["baseline_seconds"]
    rows.append(row)
    # 2. frontier combining
    K2, k2 = (5, 6) if smoke else (10, 10)
    neg2, tabs2 = _negotiation(K2, k2, 1)
    d2 = [0.1 * K2 / 2, 0.1 * K2 / 2]
    res2 = neg2.solve("nash", d2, method="frontier")
    assert res2.agreement
    assert tuple(int(c) for c in res2.coded) == _python_frontier(tabs2, d2), "paths differ"
    n2 = k2**K2
    sample = 2000 if smoke else 100_000
    row = _harness.compare(
        f"nash, 2 parties, {K2} issues, frontier combining",
        f"{n2:.0e} outcomes",
        lambda: neg2.solve("nash", d2, method="frontier"),
        f"plain-Python loop over outcomes ({sample:.0e} timed, scaled)",
        lambda: _python_enumeration(tabs2, d2, limit=sample),
        repeat=1 if smoke else 3,
        scale=n2 / sample,
    )
    row["outcomes_per_s"] = n2 / row["seconds"]
    row["baseline_outcomes_per_s"] = n2 / row["baseline_seconds"]
    rows.append(row)
    row = _harness.compare(
        f"nash, 2 parties, {K2} issues, frontier combining",
        f"{n2:.0e} outcomes",
        lambda: neg2.solve("nash", d2, method="frontier"),
        "plain-Python frontier combining",
        lambda: _python_frontier(tabs2, d2),
        repeat=1 if smoke else 3,
        baseline_repeat=1 if smoke else 3,
    )
    row["outcomes_per_s"] = n2 / row["seconds"]
    row["baseline_outcomes_per_s"] = n2 / row["baseline_seconds"]
    rows.append(row)
    return rows


if __name__ == "__main__":
    rows = run("--smoke" in sys.argv)
    print(_harness.report(rows))
    for r in rows:
        print(
            f"{r['name']} vs {r['baseline']}: {r['outcomes_per_s']:.3g} outcomes/s "
            f"(baseline {r['baseline_outcomes_per_s']:.3g} outcomes/s)"
        )
