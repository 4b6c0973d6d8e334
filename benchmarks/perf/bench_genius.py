"""Pareto frontier + Nash point of two-party Genius-style domains, against negmas.

Domains:

1. the largest shared Genius domain (Kitchen, 6 issues x 5 options = 15,625 outcomes),
   read with ``bg.read_genius`` from ``../shared/data/genius`` (skipped when absent);
2. a synthetic two-party additive domain of 10**6 outcomes (6 issues x 10 options,
   opposed random evaluations, weights summing to 1);
3. any other Genius domains in the folders named by the environment variable
   ``BARGAIN_GENIUS_DOMAINS`` (``os.pathsep``-separated): each sub-folder with one
   ``negotiation_template`` file and two ``utility_space`` profiles is one domain, e.g.
   ANAC 2011's Energy (8 issues x 5 options, 390,625 outcomes) and AMPOvsCity
   (1,944,000 outcomes), both in the Genius distribution and in negmas' test data
   (``tests/data/scenarios/anac/y2011/Energy``, ``tests/data/scenarios/other/AMPOvsCity``).

Ours, two ways: by enumeration, ``neg.pareto_frontier(method="enumerate")`` (score
every outcome, keep the non-dominated ones) and ``bg.nash`` on the frontier points,
against the floor ``U.sum()``, one streaming pass over the enumerated utilities; and
issue by issue, ``method="combine"`` (never enumerates). Baselines, run in the same
process on utility functions built from the *same* numbers (negmas reads Genius files
with other conventions, so its reader is not used):

- negmas ``pareto_frontier(ufuns, issues=...)`` + ``nash_points(ufuns, frontier, ...)``;
- negmas ``MOBANOSParetoSampler`` (its exact per-issue frontier construction for two
  linear additive utilities) + ``nash_points`` on its frontier;
- always (also without negmas): a numpy brute force that enumerates every outcome,
  evaluates both utilities and keeps the non-dominated points, then ``bg.nash``.

negmas is AGPL-licensed and not a dependency: install it separately
(``pip install negmas``) to run those comparisons; without it they are skipped with a
message. ``nash_points`` takes each party's disagreement value as its reservation value
raised to its minimum utility when below it; ours gets the same ``d``. Every run checks
that all methods give the same frontier (as a set of utility vectors, to 1e-12) and the
same Nash utilities (to 1e-12). On the largest domain the peak resident memory of
our enumeration and of negmas' ``pareto_frontier`` is measured, each in a fresh process.
"""

from __future__ import annotations

import os
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _harness

import bargain as bg

GENIUS = Path(__file__).resolve().parents[3] / "shared" / "data" / "genius"
TOL = 1e-12
_SKIPPED: list[bool] = []


def _synthetic(K, k, seed=0):
    rng = np.random.default_rng(seed)
    t1 = rng.random((K, k))
    t2 = 1.0 - t1 + 0.3 * rng.random((K, k))
    w = [rng.dirichlet(np.ones(K)) for _ in range(2)]
    issues = [
        bg.DiscreteIssue(f"i{j}", [f"o{o}" for o in range(k)], ordered=False) for j in range(K)
    ]
    parties = []
    for p, t in enumerate((t1, t2)):
        t = t / t.max(axis=1, keepdims=True)
        values = {f"i{j}": bg.Table(t[j]) for j in range(K)}
        parties.append(
            bg.Party(f"P{p + 1}", bg.AdditiveUtility(values, dict(zip(values, w[p], strict=True))))
        )
    return bg.Negotiation(bg.Agenda(issues), parties)


def _kitchen():
    folder = GENIUS / "Kitchen"
    if not folder.is_dir():
        return None
    return bg.read_genius(
        folder / "Kitchen-domain.xml", [folder / "Kitchen-husband.xml", folder / "Kitchen-wife.xml"]
    )


def _domains_from_env():
    """``(label, domain, [profile, profile])`` per domain under $BARGAIN_GENIUS_DOMAINS."""
    found = []
    for root in filter(None, os.environ.get("BARGAIN_GENIUS_DOMAINS", "").split(os.pathsep)):
        for folder in sorted(p for p in Path(root).iterdir() if p.is_dir()):
            kinds: dict[str, list[Path]] = {}
            for f in sorted(folder.glob("*.xml")):
                try:
                    kinds.setdefault(ET.parse(f).getroot().tag, []).append(f)
                except ET.ParseError:
                    continue
            domain, profiles = kinds.get("negotiation_template", []), kinds.get("utility_space", [])
            if len(domain) == 1 and len(profiles) == 2:
                found.append((f"{folder.name} (Genius)", domain[0], profiles))
            else:
                print(f"{folder}: not one template and two profiles, skipped")
    return found


def _tables(neg):
    """Per party, per issue: (weight, {option: value})."""
    out = []
    for b in neg.bound:
        terms = []
        for k, issue in enumerate(neg.agenda.issues):
            v, w = b.terms[k]
            vals = v(np.arange(issue.k, dtype=float))
            terms.append(
                (float(w), {str(o): float(x) for o, x in zip(issue.options, vals, strict=True)})
            )
        out.append(terms)
    return out


def _d(neg):
    """Reservation raised to the minimum utility (negmas' nash_points convention)."""
    lows = []
    for b in neg.bound:
        low = 0.0
        for k, issue in enumerate(neg.agenda.issues):
            low += float(np.min(b.contribution(k, np.arange(issue.k, dtype=float))))
        lows.append(low)
    return np.maximum(neg.reservation, lows)


def _ours(neg, d, method="combine"):
    pts, _ = neg.pareto_frontier(method=method)
    return pts, bg.nash(pts, d)


def _brute(neg, d):
    X = neg.agenda.enumerate()
    U = neg.coded_utilities(X)
    order = np.lexsort((-U[:, 1], -U[:, 0]))
    s = U[order]
    keep = np.empty(len(s), dtype=bool)
    keep[0] = True
    keep[1:] = s[1:, 1] > np.maximum.accumulate(s[:, 1])[:-1]
    pts = s[keep]
    return pts, bg.nash(pts, d)


def _same_set(a, b):
    a = np.unique(np.round(np.asarray(a, dtype=float), 12), axis=0)
    b = np.unique(np.round(np.asarray(b, dtype=float), 12), axis=0)
    return a.shape == b.shape and np.allclose(a, b, rtol=0, atol=TOL)


def _check_nash(name, pts, d, u):
    """``u`` is a Nash point of ``pts``: its product equals the best product (ties allowed)."""
    prod = np.prod(np.maximum(pts - d, 0), axis=1)
    got = np.prod(np.asarray(u, dtype=float) - d)
    assert abs(got - prod.max()) <= TOL, f"{name}: Nash product {got} != best {prod.max()}"


def _negmas_setup(neg):
    from negmas import make_issue, make_os
    from negmas.preferences import LinearAdditiveUtilityFunction
    from negmas.preferences.value_fun import TableFun

    issues = [make_issue([str(o) for o in i.options], name=i.name) for i in neg.agenda.issues]
    space = make_os(issues)
    ufuns = []
    for p, terms in zip(neg.parties, _tables(neg), strict=True):
        ufuns.append(
            LinearAdditiveUtilityFunction(
                values=[TableFun(t) for _, t in terms],
                weights=[w for w, _ in terms],
                outcome_space=space,
                reserved_value=float(p.reservation),
            )
        )
    return issues, ufuns


def _negmas_exhaustive(issues, ufuns):
    from negmas.preferences.ops import nash_points, pareto_frontier

    front, _ = pareto_frontier(ufuns, issues=issues)
    return front, nash_points(ufuns, front, issues=issues)


def _negmas_mobanos(issues, ufuns):
    from negmas.preferences import MOBANOSParetoSampler
    from negmas.preferences.ops import nash_points

    sampler = MOBANOSParetoSampler()
    sampler.init(ufuns[0], ufuns[1])
    front = [tuple(float(u(o)) for u in ufuns) for o in sampler.pareto_outcomes()]
    return front, nash_points(ufuns, front, issues=issues)


def _rows(label, neg, smoke, memory=None):
    d = _d(neg)
    size = f"{label}, {neg.agenda.size:,} outcomes"
    pts, res = _ours(neg, d)
    _check_nash("ours", pts, d, res.utilities)
    bpts, bres = _brute(neg, d)
    assert _same_set(pts, bpts), "frontier differs from the brute force"
    assert np.allclose(res.utilities, bres.utilities, rtol=0, atol=TOL)
    epts, eres = _ours(neg, d, "enumerate")
    assert _same_set(epts, pts) and np.allclose(eres.utilities, res.utilities, rtol=0, atol=TOL)
    repeat = 1 if smoke else 5
    U = neg.coded_utilities(neg.agenda.enumerate())
    rows = [
        _harness.compare(
            "score + Pareto + Nash by enumeration",
            size,
            lambda: _ours(neg, d, "enumerate"),
            "numpy brute force (enumerate, score, lexsort, prune, bg.nash)",
            lambda: _brute(neg, d),
            repeat=repeat,
            baseline_repeat=repeat,
            floor=("U.sum() over the outcomes' utilities", U.sum),
        ),
        _harness.compare(
            "Pareto frontier + Nash, issue by issue",
            size,
            lambda: _ours(neg, d),
            "numpy brute force (enumerate, score, lexsort, prune, bg.nash)",
            lambda: _brute(neg, d),
            repeat=repeat,
            baseline_repeat=repeat,
        ),
    ]
    del U
    try:
        import negmas
    except ImportError:
        if not _SKIPPED:
            print("negmas is not installed: skipping the negmas comparisons (pip install negmas)")
            _SKIPPED.append(True)
        return rows
    issues, ufuns = _negmas_setup(neg)
    # same numbers: negmas' utilities of the enumerated outcomes equal ours
    X = neg.agenda.enumerate()[:: max(1, neg.agenda.size // 1000)]
    labels = [[str(neg.agenda.issues[k].options[int(c)]) for k, c in enumerate(x)] for x in X]
    U = neg.coded_utilities(X)
    V = np.array([[float(u(tuple(o))) for u in ufuns] for o in labels])
    assert np.allclose(U, V, rtol=0, atol=TOL), "negmas utilities differ from ours"
    version = f"negmas {negmas.__version__}"
    for name, fn in (
        (f"{version} pareto_frontier + nash_points", _negmas_exhaustive),
        (f"{version} MOBANOS + nash_points", _negmas_mobanos),
    ):
        front, nash = fn(issues, ufuns)
        assert _same_set(front, pts), f"{name}: frontier differs from ours"
        _check_nash(name, pts, d, nash[0][0])
        assert np.allclose(nash[0][0], res.utilities, rtol=0, atol=TOL) or len(nash) > 1
        for label, method in (("by enumeration", "enumerate"), ("issue by issue", "combine")):
            rows.append(
                _harness.compare(
                    f"Pareto frontier + Nash, {label}",
                    size,
                    lambda method=method: _ours(neg, d, method),
                    name,
                    lambda fn=fn: fn(issues, ufuns),
                    repeat=repeat,
                    baseline_repeat=1,
                )
            )
    if memory:
        rows.append(_memory_row(size, version, memory))
    return rows


_SETUP = """
import sys
sys.path.insert(0, {here!r})
import bargain as bg
from bench_genius import _synthetic, _d, _ours, _negmas_setup, _negmas_exhaustive
neg = {build}
d = _d(neg)
"""


def _memory_row(size, version, build):
    """Peak RSS of our enumeration and of negmas' exhaustive frontier, fresh processes.

    ``build``: the expression that makes the negotiation in the fresh process.
    """
    here = str(Path(__file__).resolve().parent)
    setup = _SETUP.format(here=here, build=build)
    base = _harness.peak_rss_mib(setup)
    ours = _harness.peak_rss_mib(setup + "_ours(neg, d, 'enumerate')")
    theirs = _harness.peak_rss_mib(
        setup + "issues, ufuns = _negmas_setup(neg)\n_negmas_exhaustive(issues, ufuns)"
    )
    return {
        "name": "peak RSS, score + Pareto + Nash by enumeration",
        "size": size,
        "seconds": ours,
        "baseline": f"{version} pareto_frontier + nash_points",
        "baseline_seconds": theirs,
        "ratio": theirs / ours,
        "memory": True,
        "setup_mib": base,
    }


def run(smoke: bool = False) -> list[dict]:
    rows = []
    kitchen = _kitchen()
    if kitchen is None:
        print(f"shared Genius domains not found at {GENIUS}: skipping the Kitchen domain")
    else:
        rows += _rows("Kitchen (Genius)", kitchen, smoke)
    K, k = (3, 5) if smoke else (6, 10)
    rows += _rows(
        f"synthetic {K} issues x {k} options", _synthetic(K, k), smoke, f"_synthetic({K}, {k})"
    )
    for label, domain, profiles in _domains_from_env():
        build = f"bg.read_genius({str(domain)!r}, {[str(p) for p in profiles]!r})"
        rows += _rows(label, bg.read_genius(domain, profiles), smoke, build)
    return rows


if __name__ == "__main__":
    _harness.main(run)
