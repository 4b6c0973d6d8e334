"""Genius XML: reading real ANAC domains, brute-force checks, round trips, clear errors.

The brute force here is independent of ``bargain.io._genius``: it parses the XML with
ElementTree, applies the Genius formulas (discrete evaluation / issue maximum; integer
``clip(offset + slope (x - lowerbound), 0, 1)``), enumerates every outcome with
itertools and finds the Nash and Kalai–Smorodinsky points with plain Python.
"""

import itertools
import math
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

import bargain as bg

GENIUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "genius"
DATA = Path(__file__).resolve().parent / "data" / "genius"
TOL = 1e-12


def _domains():
    if not GENIUS.is_dir():
        return []
    return sorted(p for p in GENIUS.iterdir() if p.is_dir())


def _files(folder):
    xs = sorted(folder.glob("*.xml"))
    dom = [x for x in xs if ET.parse(x).getroot().tag == "negotiation_template"]
    assert len(dom) == 1, folder
    return dom[0], [x for x in xs if x != dom[0]]


needs_data = pytest.mark.skipif(
    not _domains(), reason=f"shared Genius domains not found at {GENIUS}"
)
DOMAINS = _domains()
IDS = [p.name for p in DOMAINS]


# -- the independent brute force ---------------------------------------------------


def _brute_profile(path):
    """(per-issue evaluation lists in domain order, reservation) by the Genius formulas."""
    root = ET.parse(path).getroot()
    obj = root.find("objective")
    weights = {w.get("index"): float(w.get("value")) for w in obj.findall("weight")}
    issues = []
    for el in obj.findall("issue"):
        w = weights[el.get("index")]
        if el.find("item") is not None:
            ev = {i.get("value"): float(i.get("evaluation")) for i in el.findall("item")}
            top = max(ev.values())
            issues.append((el.get("name"), {k: w * v / top for k, v in ev.items()}))
        else:
            lo, hi = int(el.get("lowerbound")), int(el.get("upperbound"))
            e = el.find("evaluator")
            s, o = float(e.get("slope")), float(e.get("offset"))
            issues.append(
                (
                    el.get("name"),
                    {x: w * min(1.0, max(0.0, o + s * (x - lo))) for x in range(lo, hi + 1)},
                )
            )
    res = root.find("reservation")
    return dict(issues), 0.0 if res is None else float(res.get("value"))


def _brute(folder):
    dom, profs = _files(folder)
    obj = ET.parse(dom).getroot().find("utility_space").find("objective")
    axes, names = [], []
    for el in obj.findall("issue"):
        names.append(el.get("name"))
        if el.find("item") is not None:
            axes.append([i.get("value") for i in el.findall("item")])
        else:
            axes.append(list(range(int(el.get("lowerbound")), int(el.get("upperbound")) + 1)))
    parties = [_brute_profile(p) for p in profs]
    U = []
    for outcome in itertools.product(*axes):
        U.append(
            [sum(tab[n][v] for n, v in zip(names, outcome, strict=True)) for tab, _ in parties]
        )
    return np.array(U), np.array([r for _, r in parties])


def _brute_nash(U, d):
    best, prods = -math.inf, []
    for u in U:
        g = [a - b for a, b in zip(u, d, strict=True)]
        prods.append(math.prod(g) if all(x > 0 for x in g) else -math.inf)
        best = max(best, prods[-1])
    return [j for j, p in enumerate(prods) if p >= best - 1e-12 * abs(best)]


def _brute_ks(U, d):
    weak = [all(a >= b for a, b in zip(u, d, strict=True)) for u in U]
    ideal = [max(u[i] for u, ok in zip(U, weak, strict=True) if ok) for i in range(len(d))]
    keys = []
    for u, ok in zip(U, weak, strict=True):
        if ok:
            keys.append(sorted((a - b) / (c - b) for a, b, c in zip(u, d, ideal, strict=True)))
        else:
            keys.append(None)
    best = max(k for k in keys if k is not None)
    return [j for j, k in enumerate(keys) if k is not None and k == best]


# -- real domains ---------------------------------------------------------------------


@needs_data
@pytest.mark.parametrize("folder", DOMAINS, ids=IDS)
def test_real_domain_utilities_and_solutions_match_brute_force(folder):
    dom, profs = _files(folder)
    neg = bg.read_genius(dom, profs)
    U, d = _brute(folder)
    X = neg.agenda.enumerate()
    np.testing.assert_allclose(neg.utilities(X), U, rtol=0, atol=TOL)
    np.testing.assert_allclose(neg.reservation, d, rtol=0, atol=0)
    for concept, brute in (("nash", _brute_nash), ("kalai_smorodinsky", _brute_ks)):
        winners = brute(U.tolist(), d.tolist())
        for method in ("enumerate", "frontier"):
            res = neg.solve(concept, method=method)
            assert res.agreement
            # the solver's point is one of the brute-force optima (ties: NiceOrDie)
            err = np.abs(U[winners] - res.utilities).max(axis=1)
            assert err.min() <= TOL, (concept, method, res.utilities, U[winners])
            if len(winners) == 1:
                np.testing.assert_allclose(res.utilities, U[winners[0]], rtol=0, atol=TOL)


@needs_data
@pytest.mark.parametrize("folder", DOMAINS, ids=IDS)
def test_real_domain_round_trip(folder, tmp_path):
    dom, profs = _files(folder)
    neg = bg.read_genius(dom, profs)
    d2, p2 = bg.write_genius(neg, tmp_path)
    back = bg.read_genius(d2, p2)
    assert back.names == neg.names
    assert back.agenda.names == neg.agenda.names
    X = neg.agenda.enumerate()
    np.testing.assert_allclose(back.utilities(X), neg.utilities(X), rtol=0, atol=TOL)
    assert np.array_equal(back.reservation, neg.reservation)
    assert np.array_equal(back.discount, neg.discount)
    if all(not i.ordered for i in neg.agenda.issues):
        # discrete domains are written exactly: a second round trip reproduces the text
        _, p3 = bg.write_genius(back, tmp_path / "again")
        assert [p.read_text() for p in p3] == [p.read_text() for p in p2]


@needs_data
def test_laptop_reservation_discount_and_integer_domain():
    neg = bg.read_genius(*_files(GENIUS / "LaptopA"))
    assert np.array_equal(neg.reservation, [0.5, 0.5])
    assert np.array_equal(neg.discount, [0.5, 0.5])
    neg = bg.read_genius(*_files(GENIUS / "IntegerDomain"))
    issue = neg.agenda.issue("price")
    assert issue.options == tuple(range(-5, 6)) and issue.ordered
    # discount_factor 0 means no discounting in Genius
    assert np.array_equal(neg.discount, [1.0, 1.0])
    # profile 1's evaluator 0.3 + 0.08 (x + 5) passes 1 at x = 4: clipped
    u = neg.utilities({"price": [3, 4, 5], "otherprice": [-5, -5, -5]})[:, 0]
    np.testing.assert_allclose(u, 0.75 * np.array([0.94, 1.0, 1.0]), rtol=0, atol=TOL)


# -- hand-made files: all three issue kinds ------------------------------------------


def test_mixed_issue_kinds():
    neg = bg.read_genius(
        DATA / "domain.xml", [DATA / "good.xml", DATA / "good.xml"], names=["a", "b"]
    )
    A = neg.agenda
    assert isinstance(A.issue("share"), bg.ContinuousIssue)
    assert A.issue("days").options == (1, 2, 3, 4, 5)
    assert not A.issue("price").ordered
    u = neg.utilities({"price": "mid", "days": 3, "share": 2.5})
    # 0.5 * 2/4 + 0.3 * 0.25 * (3 - 1) + 0.2 * 0.1 * 2.5
    assert u[0] == pytest.approx(0.25 + 0.15 + 0.05, abs=TOL)
    assert neg.reservation[0] == 0.25 and neg.discount[0] == 0.9


def test_mixed_round_trip(tmp_path):
    neg = bg.read_genius(
        DATA / "domain.xml", [DATA / "good.xml", DATA / "good.xml"], names=["a", "b"]
    )
    back = bg.read_genius(*bg.write_genius(neg, tmp_path))
    X = neg.agenda.sample(200, rng=1)
    np.testing.assert_allclose(back.utilities(X), neg.utilities(X), rtol=0, atol=TOL)


def test_write_non_genius_utility_needs_rescale(tmp_path):
    # ideal-point values on an integer issue and an unordered table with negative values
    A = bg.Agenda(
        bg.DiscreteIssue("n", [0, 1, 2, 3, 4], positions=[0, 1, 2, 3, 4]),
        bg.DiscreteIssue("venue", ["x", "y", "z"], ordered=False),
    )
    p1 = bg.Party(
        "P1",
        bg.AdditiveUtility({"n": bg.IdealPoint(1.0), "venue": bg.Table([-1.0, 0.0, 2.0])}),
        reservation=-6.0,
    )
    p2 = bg.Party("P2", bg.AdditiveUtility({"n": bg.Linear(2.0, 1.0)}, [3.0]), reservation=4.0)
    neg = bg.Negotiation(A, [p1, p2])
    with pytest.raises(ValueError, match=r"party 'P1'.*rescale=True"):
        bg.write_genius(neg, tmp_path)
    back = bg.read_genius(*bg.write_genius(neg, tmp_path, rescale=True))
    # issue n is not linear for P1 (ideal point): written as a discrete issue
    assert not back.agenda.issue("n").ordered
    X = A.enumerate()
    U, V = neg.utilities(X), back.utilities(X)
    # each party's utilities are a positive affine transform of the original
    for i in range(2):
        slope, icpt = np.polyfit(U[:, i], V[:, i], 1)
        assert slope > 0
        np.testing.assert_allclose(slope * U[:, i] + icpt, V[:, i], atol=1e-12)
        assert back.reservation[i] == pytest.approx(slope * neg.reservation[i] + icpt, abs=1e-12)
    # and the Nash and KS outcomes do not change
    for concept in ("nash", "kalai_smorodinsky"):
        assert neg.solve(concept).index == back.solve(concept).index


def test_write_integer_issue_kept_when_linear(tmp_path):
    A = bg.Agenda(bg.DiscreteIssue("n", [2, 3, 4, 5], positions=[2, 3, 4, 5]))
    p1 = bg.Party("P1", bg.AdditiveUtility({"n": bg.Linear(0.25, -0.25)}))
    p2 = bg.Party("P2", bg.AdditiveUtility({"n": bg.Linear(-0.2, 1.0)}))
    dom, profs = bg.write_genius(bg.Negotiation(A, [p1, p2]), tmp_path)
    assert 'type="integer"' in dom.read_text()
    back = bg.read_genius(dom, profs)
    assert back.agenda.issue("n").options == (2, 3, 4, 5)
    X = A.enumerate()
    np.testing.assert_allclose(
        back.utilities(X), bg.Negotiation(A, [p1, p2]).utilities(X), atol=TOL
    )


def test_write_refuses_nonlinear_continuous_and_batches(tmp_path):
    A = bg.Agenda(bg.ContinuousIssue("x"))
    p1 = bg.Party("P1", bg.AdditiveUtility({"x": bg.Power(0.5)}))
    p2 = bg.Party("P2", bg.AdditiveUtility({"x": bg.Linear(-1.0, 1.0)}))
    with pytest.raises(ValueError, match=r"party 'P1', issue 'x'.*linear"):
        bg.write_genius(bg.Negotiation(A, [p1, p2]), tmp_path)
    p3 = bg.Party("P3", bg.AdditiveUtility({"x": bg.Linear([1.0, 0.5])}))
    with pytest.raises(ValueError, match="batched"):
        bg.write_genius(bg.Negotiation(A, [p2, p3]), tmp_path)


# -- errors name the file and the element -------------------------------------------


@pytest.mark.parametrize(
    ("profile", "pattern"),
    [
        ("bad_weights.xml", r"bad_weights\.xml: the <weight> values sum to 1\.1"),
        (
            "unknown_value.xml",
            r"unknown_value\.xml: issue 'price': <item .*'medium'.* unknown value",
        ),
        ("missing_item.xml", r"missing_item\.xml: issue 'price': missing evaluation.*'high'"),
        (
            "missing_issue.xml",
            r"missing_issue\.xml: missing evaluator\(s\) for domain issue\(s\) \['days'\]",
        ),
        ("no_evaluator.xml", r"no_evaluator\.xml: integer issue 'days' has no <evaluator>"),
        ("bad_number.xml", r"bad_number\.xml: element <item .*'low'.*evaluation' must be a number"),
        ("bad_ftype.xml", r"bad_ftype\.xml: issue 'share': evaluator ftype 'faratin'"),
        ("bad_bounds.xml", r"bad_bounds\.xml: issue 'days' has bounds \[0, 5\] here but \[1, 5\]"),
        ("malformed.xml", r"malformed\.xml: not well-formed XML"),
        ("entity.xml", r"entity\.xml: XML entity declarations are not accepted"),
        ("missing_weight.xml", r"missing_weight\.xml: no <weight index='3'> for issue 'share'"),
    ],
)
def test_malformed_profiles(profile, pattern):
    with pytest.raises(ValueError, match=pattern):
        bg.read_genius(DATA / "domain.xml", [DATA / "good.xml", DATA / profile])


def test_argument_errors(tmp_path):
    with pytest.raises(TypeError, match="`profiles` must be a sequence"):
        bg.read_genius(DATA / "domain.xml", DATA / "good.xml")
    with pytest.raises(ValueError, match="at least two profile files"):
        bg.read_genius(DATA / "domain.xml", [DATA / "good.xml"])
    with pytest.raises(ValueError, match="one name per profile"):
        bg.read_genius(DATA / "domain.xml", [DATA / "good.xml"] * 2, names=["a"])
    with pytest.raises(ValueError, match=r"nope\.xml: cannot read"):
        bg.read_genius(tmp_path / "nope.xml", [DATA / "good.xml"] * 2)
    with pytest.raises(ValueError, match=r"good\.xml: no <utility_space>|domain has no <issue>"):
        f = tmp_path / "empty.xml"
        f.write_text(
            "<negotiation_template><utility_space><objective/></utility_space></negotiation_template>"
        )
        bg.read_genius(f, [DATA / "good.xml"] * 2)


def _brute_ks_negmas(U, d):
    """negmas' ks_points rule, by hand: ideal over all outcomes, closest to equal gains.

    Candidates in increasing spread; the first undominated ones (within 1e-12) win.
    """
    n = len(d)
    A = np.asarray(U, dtype=float)
    lo = [min(u[i] for u in U) for i in range(n)]
    hi = [max(u[i] for u in U) for i in range(n)]
    low = [d[i] if math.isfinite(d[i]) and d[i] >= lo[i] else lo[i] for i in range(n)]
    spreads = []
    for j, u in enumerate(U):
        if any(u[i] < d[i] for i in range(n)):
            continue
        g = [
            (u[i] - low[i]) / (hi[i] - low[i]) if hi[i] != low[i] else u[i] - low[i]
            for i in range(n)
        ]
        spreads.append((max(g) - min(g), j))
    best, where = math.inf, []
    for spread, j in sorted(spreads):
        if spread > best + 1e-12:
            break
        u = A[j]
        if ((A >= u).all(axis=1) & (A > u).any(axis=1)).any():
            continue  # dominated: not on the frontier negmas searches
        best = min(best, spread)
        where.append(j)
    return where


@needs_data
@pytest.mark.parametrize("folder", DOMAINS, ids=IDS)
def test_ks_with_negmas_conventions_matches_its_rule(folder):
    dom, profs = _files(folder)
    neg = bg.read_genius(dom, profs)
    U, d = _brute(folder)
    res = bg.kalai_smorodinsky(neg, convention="negmas")
    assert res.convention == "negmas" and res.agreement
    winners = _brute_ks_negmas(U.tolist(), d.tolist())
    assert res.index in winners
    np.testing.assert_allclose(res.utilities, U[res.index], rtol=0, atol=TOL)
    # the same on the utility points
    pts = bg.kalai_smorodinsky(U, d, convention="negmas")
    np.testing.assert_allclose(pts.utilities, res.utilities, rtol=0, atol=TOL)


@needs_data
def test_ks_conventions_differ_where_the_ideal_or_the_rule_matters():
    """Coffee, FlightBookingA and Kitchen: the 1975 rule and negmas' give different points."""
    differ = []
    for folder in DOMAINS:
        dom, profs = _files(folder)
        neg = bg.read_genius(dom, profs)
        a = bg.kalai_smorodinsky(neg).utilities
        b = bg.kalai_smorodinsky(neg, convention="negmas").utilities
        if np.abs(a - b).max() > 1e-9:
            differ.append(folder.name)
    assert {"Coffee", "FlightBookingA", "Kitchen"} <= set(differ)


def test_ks_negmas_convention_is_vectorised_and_checked():
    rng = np.random.default_rng(2)
    U = rng.uniform(0, 1, (7, 40, 2))
    d = rng.uniform(0, 0.3, (7, 2))
    batch = bg.kalai_smorodinsky(U, d, convention="negmas")
    for b in range(7):
        one = bg.kalai_smorodinsky(U[b], d[b], convention="negmas")
        assert one.index == batch.index[b]
        np.testing.assert_array_equal(one.utilities, batch.utilities[b])
        assert one.index in _brute_ks_negmas(U[b].tolist(), d[b].tolist())
    with pytest.raises(ValueError, match="`convention`"):
        bg.kalai_smorodinsky(U, d, convention="raiffa")
    with pytest.raises(ValueError, match="finite sets"):
        bg.kalai_smorodinsky(U, d, hull=True, convention="negmas")
    far = bg.kalai_smorodinsky(U[0], [2.0, 2.0], convention="negmas")
    assert not far.agreement and far.index == -1
    np.testing.assert_array_equal(far.utilities, [2.0, 2.0])
