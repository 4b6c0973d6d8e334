"""Alternating offers over finitely many packages, with and without lotteries, and n parties.

Every expected number comes from outside the solver: linear programmes over the
lotteries (``scipy.optimize.linprog``) for the Pareto frontier of ``conv(S)``,
the SPE equations written out, closed forms, brute-force loops over pairs of
packages, the Nash solution (``bg.nash``, tested elsewhere) for the limit of
frequent offers, and hand evaluation of additive utilities for issue space.
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from scipy.optimize import linprog

import bargain as bg

LP = 1e-9  # linprog (HiGHS simplex) optimum on a problem of scale 1
EXACT = 1e-12  # a few floating-point operations on numbers of scale 1
ROOT = 1e-10  # the SPE root on a polygonal chain: exact on an edge, up to rounding
TIE = 1e-12  # the library's relative tolerance for ties between package utilities


# -- independent references ------------------------------------------------------------


def _lp_best(S, own, other, floor):
    """max S[:, own] over lotteries with expected S[:, other] >= floor (HiGHS)."""
    m = S.shape[0]
    res = linprog(
        -S[:, own],
        A_ub=-S[:, other][None, :],
        b_ub=[-floor],
        A_eq=np.ones((1, m)),
        b_eq=[1.0],
        bounds=(0, None),
        method="highs",
    )
    assert res.status == 0, res.message
    return -res.fun


def phi(S, z):
    """Pareto frontier of conv(S): max u2 over lotteries with u1 >= z."""
    return _lp_best(S, 1, 0, z)


def psi(S, v):
    """Its inverse: max u1 over lotteries with u2 >= v."""
    return _lp_best(S, 0, 1, v)


def random_problem(rng, *, m_max=12):
    """Random packages in [0, 1]^2 and a disagreement point below their range."""
    m = int(rng.integers(2, m_max + 1))
    S = rng.random((m, 2))
    lo, hi = S.min(axis=0), S.max(axis=0)
    d = lo - 0.2 + rng.random(2) * (0.5 * (lo + hi) - lo + 0.2)
    return S, d


def pie_x(a1, a2, d1=0.0, d2=0.0):
    """Party 1's share as first proposer on the pie: d1 + (1 - d1 - d2)(1 - a2)/(1 - a1 a2)."""
    return d1 + (1.0 - d1 - d2) * (1.0 - a2) / (1.0 - a1 * a2)


# -- 1. certificates of the SPE on the hull --------------------------------------------


def _certify_hull(S, d, a, w, res):
    """Check ``res`` against the problem; returns which branches of the equations were hit."""
    U, P, L = res.utilities, res.proposals, res.lottery
    # (a) the lottery reaches the agreement, and mixes at most two packages
    assert_allclose(L @ S, U, rtol=0, atol=EXACT)
    assert np.all(L >= 0)
    assert_allclose(L.sum(), 1.0, rtol=0, atol=EXACT)
    assert np.count_nonzero(L) <= 2
    assert_allclose(P[0], U, rtol=0, atol=0)  # party 1 proposes first (first=0)
    # (b) both proposals lie on the Pareto frontier of conv(S)
    for k in range(2):
        assert_allclose(P[k, 1], phi(S, P[k, 0]), rtol=0, atol=LP)
    # (c) each proposal is the proposer's best among those the responder accepts:
    # responder i's threshold is d_i + max(w_i - d_i, a_i (u_i(own proposal) - d_i))
    wv = np.full(2, -np.inf) if w is None else w
    T1 = d[0] + max(wv[0] - d[0], a[0] * (P[0, 0] - d[0]))  # party 1 answering y*
    T2 = d[1] + max(wv[1] - d[1], a[1] * (P[1, 1] - d[1]))  # party 2 answering x*
    assert_allclose(P[0, 0], psi(S, T2), rtol=0, atol=LP)
    assert_allclose(P[1, 1], phi(S, T1), rtol=0, atol=LP)
    # where the threshold lies inside the frontier's range, the responder is indifferent:
    # u2(x*) - d2 = max(w2 - d2, a2 (u2(y*) - d2)) and u1(y*) - d1 likewise; otherwise
    # the proposer takes its end of the frontier
    left_u1 = psi(S, S[:, 1].max())  # u1 at the frontier's end best for party 2
    right_u2 = phi(S, S[:, 0].max())  # u2 at the end best for party 1
    hit = {"interior": 0, "outside": 0}
    if T2 >= right_u2:
        assert_allclose(P[0, 1] - d[1], T2 - d[1], rtol=0, atol=ROOT)
        hit["interior"] += 1
        hit["outside"] += bool(wv[1] - d[1] > a[1] * (P[1, 1] - d[1]))
    else:
        assert_allclose(P[0, 1], right_u2, rtol=0, atol=LP)
    if T1 >= left_u1:
        assert_allclose(P[1, 0] - d[0], T1 - d[0], rtol=0, atol=ROOT)
        hit["interior"] += 1
        hit["outside"] += bool(wv[0] - d[0] > a[0] * (P[0, 0] - d[0]))
    else:
        assert_allclose(P[1, 0], left_u1, rtol=0, atol=LP)
    return hit


@pytest.mark.parametrize("with_outside", [False, True])
def test_hull_spe_certificates(with_outside):
    rng = np.random.default_rng(20240611 + with_outside)
    hits = {"interior": 0, "outside": 0}
    agreed = 0
    for _ in range(40):
        S, d = random_problem(rng)
        delta = rng.uniform(0.05, 0.98, 2)
        p = float(rng.uniform(0.0, 0.3)) if rng.random() < 0.4 else 0.0
        w = None
        if with_outside:
            # up to 80% of the way from d to each party's best package: binds sometimes
            w = d + rng.random(2) * 0.8 * (S.max(axis=0) - d)
        res = bg.rubinstein(delta, S, d, breakdown=p, outside=w, hull=True)
        r = d if w is None else np.maximum(d, w)
        # agreement iff some point of conv(S) is strictly better than max(d, w) for both
        better = r[0] < S[:, 0].max() and phi(S, r[0]) > r[1] + LP
        assert bool(res.agreement) == better
        if not res.agreement:
            continue
        agreed += 1
        assert np.all(res.proposals >= r - EXACT)  # both proposals acceptable to both
        hit = _certify_hull(S, d, (1.0 - p) * delta, w, res)
        for k in hits:
            hits[k] += hit[k]
    assert agreed >= 30
    assert hits["interior"] >= 20
    if with_outside:
        assert hits["outside"] >= 3  # the outside-option branch of the equations was tested


def test_hull_first_proposer_two():
    """first=1: party 2's proposal is the agreement, and its lottery is the reported one."""
    rng = np.random.default_rng(7)
    for _ in range(10):
        S, d = random_problem(rng)
        delta = rng.uniform(0.05, 0.98, 2)
        r0 = bg.rubinstein(delta, S, d, hull=True)
        r1 = bg.rubinstein(delta, S, d, hull=True, first=1)
        if not r0.agreement:
            continue
        assert_allclose(r1.utilities, r0.proposals[1], rtol=0, atol=0)
        assert_allclose(r1.lottery @ S, r1.utilities, rtol=0, atol=EXACT)
        assert_allclose(r0.proposal_lotteries @ S, r0.proposals, rtol=0, atol=EXACT)


# -- 2. two packages with lotteries are the pie ------------------------------------------


def test_two_packages_are_the_pie():
    rng = np.random.default_rng(2)
    n = 1000
    S = np.array([[1.0, 0.0], [0.0, 1.0]])
    delta = rng.uniform(0.0, 0.999, (n, 2))
    p = np.where(rng.random(n) < 0.5, 0.0, rng.uniform(0.0, 0.5, n))
    d = rng.dirichlet([1.0, 1.0, 1.0], n)[:, :2] * 0.9  # d >= 0, d1 + d2 < 1
    a = (1.0 - p)[:, None] * delta
    res = bg.rubinstein(delta, S, d, breakdown=p, hull=True)
    assert np.all(res.agreement)
    x = pie_x(a[:, 0], a[:, 1], d[:, 0], d[:, 1])
    # closed form vs the solver on the chain (1, 0) - (0, 1): a few roundings
    assert_allclose(res.utilities[:, 0], x, rtol=0, atol=EXACT)
    assert_allclose(res.utilities[:, 1], 1.0 - x, rtol=0, atol=EXACT)
    assert_allclose(res.lottery[:, 0], x, rtol=0, atol=EXACT)  # P(package (1, 0)) = u1
    assert_allclose(res.proposals[:, 1, 0], d[:, 0] + a[:, 0] * (x - d[:, 0]), rtol=0, atol=EXACT)
    # without d and breakdown: Rubinstein's (1 - delta2)/(1 - delta1 delta2)
    plain = bg.rubinstein(delta, S, hull=True)
    rub = (1.0 - delta[:, 1]) / (1.0 - delta[:, 0] * delta[:, 1])
    assert_allclose(plain.utilities[:, 0], rub, rtol=0, atol=EXACT)
    assert_allclose(plain.utilities, bg.rubinstein(delta).utilities, rtol=0, atol=EXACT)
    # party 2 first: party 1 gets a1 x* (its share of party 2's proposal)
    second = bg.rubinstein(delta, S, hull=True, first=1)
    assert_allclose(second.utilities[:, 0], delta[:, 0] * rub, rtol=0, atol=EXACT)


# -- 3. finite horizon on the hull -------------------------------------------------------


def test_hull_finite_horizon_converges():
    rng = np.random.default_rng(3)
    T = 200
    for _ in range(25):
        S, d = random_problem(rng)
        delta = rng.uniform(0.05, 0.9, 2)
        p = float(rng.uniform(0.0, 0.2)) if rng.random() < 0.4 else 0.0
        a = (1.0 - p) * delta
        inf = bg.rubinstein(delta, S, d, breakdown=p, hull=True)
        fin = bg.rubinstein(delta, S, d, breakdown=p, hull=True, horizon=T)
        assert bool(fin.agreement) == bool(inf.agreement)
        if not inf.agreement:
            continue
        # backward induction contracts party 1's proposal (in u1) and party 2's (in u2)
        # by a1 a2 every two rounds on a concave frontier, from at most the range of S
        tol1 = (a[0] * a[1]) ** ((T - 1) // 2) * np.ptp(S[:, 0]) + EXACT
        tol2 = (a[0] * a[1]) ** ((T - 1) // 2) * np.ptp(S[:, 1]) + EXACT
        assert abs(fin.proposals[0, 0] - inf.proposals[0, 0]) <= tol1
        assert abs(fin.proposals[1, 1] - inf.proposals[1, 1]) <= tol2
        for k in range(2):  # still on the frontier
            assert_allclose(fin.proposals[k, 1], phi(S, fin.proposals[k, 0]), rtol=0, atol=LP)
        assert_allclose(fin.lottery @ S, fin.utilities, rtol=0, atol=EXACT)


def test_hull_finite_horizon_error_shrinks():
    rng = np.random.default_rng(33)
    for _ in range(10):
        S, d = random_problem(rng)
        delta = rng.uniform(0.5, 0.95, 2)
        horizons = np.array([1, 3, 5, 9, 17, 33, 65])  # party 1 proposes last each time
        inf = bg.rubinstein(delta, S, d, hull=True)
        if not inf.agreement:
            continue
        fin = bg.rubinstein(delta, S, d, hull=True, horizon=horizons)
        err = np.abs(fin.utilities[:, 0] - inf.utilities[0])
        # the error contracts (a1 a2 per two rounds): non-increasing up to rounding
        assert np.all(np.diff(err) <= EXACT), err


def lp_backward(S, d, a, w, T):
    """Backward induction on the frontier of conv(S), one linprog per proposal and round.

    Returns the round-1 proposals (utility vectors) of party 1 and of party 2, each as
    the first proposer of a T-round game (after the last rejection: d, or w).
    """
    wv = np.full(2, -np.inf) if w is None else w
    left_u1, right_u2 = psi(S, S[:, 1].max()), phi(S, S[:, 0].max())
    A, B = d.copy(), d.copy()  # proposals of party 1 and 2 with k - 1 rounds left
    for k in range(1, T + 1):
        wait2 = a[1] * (B[1] - d[1]) if k > 1 else 0.0  # responder's value of rejecting
        wait1 = a[0] * (A[0] - d[0]) if k > 1 else 0.0
        need2 = d[1] + max(wv[1] - d[1], wait2)
        need1 = d[0] + max(wv[0] - d[0], wait1)
        # a threshold below the frontier's end leaves the proposer that end
        z1 = psi(S, min(max(need2, right_u2), S[:, 1].max()))
        z2 = phi(S, min(max(need1, left_u1), S[:, 0].max()))
        A, B = np.array([z1, phi(S, z1)]), np.array([psi(S, z2), z2])
    return A, B


def test_hull_finite_horizon_backward_induction():
    rng = np.random.default_rng(34)
    checked = 0
    for _ in range(20):
        S, d = random_problem(rng, m_max=8)
        delta = rng.uniform(0.05, 0.98, 2)
        p = float(rng.uniform(0.0, 0.3)) if rng.random() < 0.4 else 0.0
        w = None if rng.random() < 0.5 else d + rng.random(2) * 0.8 * (S.max(axis=0) - d)
        T = int(rng.integers(1, 9))
        res = bg.rubinstein(delta, S, d, breakdown=p, outside=w, hull=True, horizon=T)
        if not res.agreement:
            continue
        A, B = lp_backward(S, d, (1.0 - p) * delta, w, T)
        # up to T rounds of linprog optima, each to 1e-9
        assert_allclose(res.proposals[0], A, rtol=0, atol=T * LP)
        assert_allclose(res.proposals[1], B, rtol=0, atol=T * LP)
        checked += 1
    assert checked >= 12


def test_hull_horizon_one_is_ultimatum():
    rng = np.random.default_rng(4)
    for _ in range(20):
        S, d = random_problem(rng)
        delta = rng.uniform(0.05, 0.98, 2)
        res = bg.rubinstein(delta, S, d, hull=True, horizon=1)
        if not res.agreement:
            continue
        # the proposer takes the best frontier point that leaves the responder d
        assert_allclose(res.utilities[0], psi(S, d[1]), rtol=0, atol=LP)
        assert_allclose(res.utilities[1], phi(S, res.utilities[0]), rtol=0, atol=LP)
        assert_allclose(res.proposals[1, 1], phi(S, d[0]), rtol=0, atol=LP)
        assert_allclose(res.proposals[1, 0], psi(S, res.proposals[1, 1]), rtol=0, atol=LP)


# -- 4. properties -----------------------------------------------------------------------

coords = st.floats(0.0, 1.0, allow_nan=False, allow_subnormal=False)
point_sets = st.lists(st.tuples(coords, coords), min_size=2, max_size=8).map(np.array)
offsets = st.floats(0.01, 0.5)


@settings(max_examples=60, deadline=None)
@given(point_sets, offsets, offsets, st.floats(0.2, 5.0))
def test_hull_frequent_offers_tend_to_nash(S, o1, o2, rate):
    d = S.min(axis=0) - np.array([o1, o2])  # every package strictly above d
    nash = bg.nash(S, d, hull=True).utilities  # equal rates: equal powers
    scale = float(np.max(S.max(axis=0) - d))
    Deltas = 10.0 ** -np.arange(1, 5)
    delta = np.exp(-rate * Deltas)[:, None] * np.ones(2)
    res = bg.rubinstein(delta, S, d, hull=True)
    err = np.max(np.abs(res.utilities - nash), axis=-1)
    # the Nash point lies between y* and x* on the frontier, and they differ by
    # (1 - a_1)(u1(x*) - d1) in u1 and (1 - a2)(u2(y*) - d2) in u2: at most
    # rate * Delta * scale <= 5e-4 * scale at Delta = 1e-4
    assert err[-1] <= 1e-2 * scale
    # x* and y* lie on one level curve of the Nash product, which rises as Delta shrinks,
    # so x* moves monotonically along the frontier towards the Nash point
    assert np.all(np.diff(err) <= 1e-12 * scale), err


@settings(max_examples=60, deadline=None)
@given(
    point_sets,
    offsets,
    offsets,
    st.floats(0.0, 0.99),
    st.floats(0.0, 0.99),
    st.floats(0.0, 0.99),
    st.sampled_from([0.0, 0.1]),
)
def test_hull_first_proposer_loses_with_patient_responder(S, o1, o2, delta1, t, u, p):
    d = S.min(axis=0) - np.array([o1, o2])
    lo, hi = sorted((t, u))
    res = bg.rubinstein([[delta1, lo], [delta1, hi]], S, d, breakdown=p, hull=True)
    U1 = res.utilities[:, 0]
    assert U1[1] <= U1[0] + 1e-12  # a more patient responder never helps the proposer


# -- 5. stationary pairs without lotteries, brute force ---------------------------------


def brute_pairs(S, a, d=(0.0, 0.0), w=None):
    """The stationary SPE pairs (i, j) by the definition, in plain loops.

    Party 1 always proposes package i, party 2 always j, each accepted at once. A
    responder rejecting an offer gets the other's proposal a round later, or its outside
    option (opting out gives both parties w).
    """
    m = len(S)
    u1 = [float(s[0]) for s in S]
    u2 = [float(s[1]) for s in S]
    d1, d2 = float(d[0]), float(d[1])
    a1, a2 = float(a[0]), float(a[1])
    w1, w2 = (-math.inf, -math.inf) if w is None else (float(w[0]), float(w[1]))
    tol = TIE * (1.0 + max(abs(v) for v in u1 + u2))
    out = np.zeros((m, m), dtype=bool)
    for i in range(m):
        for j in range(m):
            wait2 = d2 + a2 * (u2[j] - d2)  # party 2 rejecting i: it proposes j next round
            wait1 = d1 + a1 * (u1[i] - d1)
            T2, T1 = max(w2, wait2), max(w1, wait1)
            if u2[i] < T2 - tol or u1[j] < T1 - tol:
                continue  # a proposal the responder rejects
            best1 = max(u1[k] for k in range(m) if u2[k] >= T2 - tol)
            best2 = max(u2[k] for k in range(m) if u1[k] >= T1 - tol)
            if u1[i] < best1 - tol or u2[j] < best2 - tol:
                continue  # the proposer could do better
            # the proposer's value of having its offer rejected
            rej1 = w1 if w2 > wait2 else d1 + a1 * (u1[j] - d1)
            rej2 = w2 if w1 > wait1 else d2 + a2 * (u2[i] - d2)
            if u1[i] < rej1 - tol or u2[j] < rej2 - tol:
                continue  # the proposer would rather be rejected
            r1, r2 = max(d1, w1), max(d2, w2)
            if min(u1[i] - r1, u1[j] - r1, u2[i] - r2, u2[j] - r2) < -tol:
                continue
            out[i, j] = True
    return out


def test_stationary_pairs_brute_force():
    rng = np.random.default_rng(5)
    grid_deltas = np.array([0.1, 0.25, 0.5, 0.8, 0.9])
    total = 0
    for trial in range(60):
        m = int(rng.integers(1, 7))
        # utilities on a grid of tenths, some negative: ties and dominated packages
        S = rng.integers(-2, 11, (m, 2)) / 10.0
        if trial % 2:
            delta = rng.choice(grid_deltas, 2)
        else:
            delta = rng.uniform(0.05, 0.98, 2)
        res = bg.rubinstein(delta, S, [0.0, 0.0])
        expected = brute_pairs(S, delta)
        np.testing.assert_array_equal(res.stationary, expected, err_msg=f"S={S}, delta={delta}")
        assert int(res.n_stationary) == int(expected.sum())
        total += int(expected.sum())
        # the limit point: max sum w_i log(u_i) over packages strictly above d = 0
        w = 1.0 / -np.log(delta)
        w = w / w.sum()
        above = [k for k in range(m) if S[k, 0] > 0 and S[k, 1] > 0]
        if not above:
            assert not res.agreement
            assert int(res.index) == -1
            assert_allclose(res.utilities, [0.0, 0.0], rtol=0, atol=0)
            continue
        score = {k: w[0] * math.log(S[k, 0]) + w[1] * math.log(S[k, 1]) for k in above}
        top = max(score.values())
        assert res.agreement
        k = int(res.index)
        assert k in score
        assert_allclose(res.utilities, S[k], rtol=0, atol=0)
        # log-objective from math.log vs the library's: a few roundings of numbers <= 3
        assert score[k] >= top - EXACT
        winners = [j for j in above if score[j] >= top - 1e-9]
        if len(winners) == 1:
            assert k == winners[0]
    assert total >= 30  # enough equilibria to make the comparison bite


def test_stationary_pairs_ties_example():
    """Hand-checked, with exact ties: a common delta of 0.5, d = 0."""
    S = np.array([[0.4, 0.4], [0.8, 0.2], [0.2, 0.8]])
    res = bg.rubinstein([0.5, 0.5], S, [0.0, 0.0])
    # (1, 0): party 2 needs 0.5 * 0.4 = 0.2 and gets exactly 0.2 from package 1, the best
    # for party 1; party 1 needs 0.5 * 0.8 = 0.4 and gets exactly 0.4 from package 0, the
    # best for party 2 among (0.4, 0.4) and (0.8, 0.2). (0, 2) is the mirror image. Any
    # other pair leaves a proposer a better acceptable package or an unacceptable offer.
    expected = np.zeros((3, 3), dtype=bool)
    expected[1, 0] = expected[0, 2] = True
    np.testing.assert_array_equal(res.stationary, expected)
    np.testing.assert_array_equal(brute_pairs(S, [0.5, 0.5]), expected)
    # every package has Nash product 0.16: the limit is the first of them
    assert int(res.index) == 0


def test_stationary_pairs_brute_force_outside_options():
    rng = np.random.default_rng(55)
    total = 0
    for _ in range(60):
        m = int(rng.integers(1, 7))
        S = rng.integers(-2, 11, (m, 2)) / 10.0
        d = rng.integers(-2, 4, 2) / 10.0
        w = rng.integers(-2, 8, 2) / 10.0
        delta = rng.choice([0.0, 0.25, 0.5, 0.8, 0.9, float(rng.uniform())], 2)
        res = bg.rubinstein(delta, S, d, outside=w)
        expected = brute_pairs(S, delta, d, w)
        np.testing.assert_array_equal(res.stationary, expected, err_msg=f"S={S}, d={d}, w={w}")
        total += int(expected.sum())
    assert total >= 30


def test_packages_outside_option_limit():
    S = np.array([[0.5, 0.5], [0.8, 0.3]])
    for delta in ([0.9, 0.9], [0.999, 0.999]):
        res = bg.rubinstein(delta, S, [0.0, 0.0], outside=[0.6, 0.0])
        # (0.8, 0.3) answers itself: party 2 needs max(0, 0.9 * 0.3) <= 0.3, party 1 needs
        # max(0.6, 0.9 * 0.8) <= 0.8; (0.5, 0.5) is below party 1's outside option 0.6
        expected = np.array([[False, False], [False, True]])
        np.testing.assert_array_equal(res.stationary, expected)
        np.testing.assert_array_equal(brute_pairs(S, delta, (0.0, 0.0), (0.6, 0.0)), expected)
        # status 1 means "no package strictly better for both than max(d, outside)", but
        # (0.8, 0.3) > (0.6, 0.0): the limit of the only stationary SPE is that package
        assert res.agreement
        assert int(res.index) == 1
        assert_allclose(res.utilities, S[1], rtol=0, atol=0)


# -- 6. vectorisation ---------------------------------------------------------------------

BATCHES = [(), (12,), (3, 4), (3, 2, 2)]


def _batched_inputs(shape, m=5, seed=6):
    rng = np.random.default_rng(seed + len(shape))
    S = rng.integers(0, 21, shape + (m, 2)) / 20.0  # grid values: ties for hull=False
    delta = rng.uniform(0.05, 0.98, shape + (2,))
    d = rng.uniform(-0.1, 0.2, shape + (2,))
    p = rng.uniform(0.0, 0.2, shape)
    return S, delta, d, p


@pytest.mark.parametrize("shape", BATCHES)
def test_vectorised_hull(shape):
    S, delta, d, p = _batched_inputs(shape)
    res = bg.rubinstein(delta, S, d, breakdown=p, hull=True)
    assert res.utilities.shape == shape + (2,)
    assert res.lottery.shape == shape + (5,)
    assert res.proposal_lotteries.shape == shape + (2, 5)
    for idx in np.ndindex(*shape):
        one = bg.rubinstein(delta[idx], S[idx], d[idx], breakdown=p[idx], hull=True)
        # the same arithmetic per element: agreement to rounding of the batched path
        for name in ("utilities", "proposals", "lottery", "proposal_lotteries", "p_upper"):
            assert_allclose(
                np.asarray(getattr(res, name))[idx], getattr(one, name), rtol=0, atol=1e-13
            )
        np.testing.assert_array_equal(np.asarray(res.packages)[idx], one.packages)
        assert bool(np.asarray(res.agreement)[idx]) == bool(one.agreement)


@pytest.mark.parametrize("shape", BATCHES)
def test_vectorised_hull_broadcast(shape):
    """One S and d for the batch of discount factors, first proposers and horizons."""
    S, delta, _, _ = _batched_inputs(shape)
    S0 = S[(0,) * len(shape)]
    first = (np.arange(int(np.prod(shape))).reshape(shape) % 2).astype(int)
    T = (np.arange(int(np.prod(shape))).reshape(shape) % 5 + 1).astype(int)
    p = np.linspace(0.0, 0.2, shape[-1]) if shape else 0.1  # broadcasts along the last axis
    d = [0.05, -0.05]
    for horizon in (None, T):
        res = bg.rubinstein(delta, S0, d, breakdown=p, hull=True, first=first, horizon=horizon)
        assert res.utilities.shape == shape + (2,)
        for idx in np.ndindex(*shape):
            one = bg.rubinstein(
                delta[idx],
                S0,
                d,
                breakdown=p[idx[-1]] if shape else p,
                hull=True,
                first=int(first[idx]),
                horizon=None if horizon is None else int(T[idx]),
            )
            assert_allclose(res.utilities[idx], one.utilities, rtol=0, atol=1e-13)
            assert_allclose(res.proposals[idx], one.proposals, rtol=0, atol=1e-13)
            assert_allclose(res.lottery[idx], one.lottery, rtol=0, atol=1e-13)


@pytest.mark.parametrize("shape", BATCHES)
def test_vectorised_packages(shape):
    S, delta, d, p = _batched_inputs(shape)
    res = bg.rubinstein(delta, S, d, breakdown=p)
    assert res.stationary.shape == shape + (5, 5)
    for idx in np.ndindex(*shape):
        one = bg.rubinstein(delta[idx], S[idx], d[idx], breakdown=p[idx])
        assert_allclose(res.utilities[idx], one.utilities, rtol=0, atol=1e-13)
        assert int(np.asarray(res.index)[idx]) == int(one.index)
        np.testing.assert_array_equal(res.stationary[idx], one.stationary)
        assert int(np.asarray(res.n_stationary)[idx]) == int(one.n_stationary)


@pytest.mark.parametrize("shape", BATCHES)
def test_vectorised_shaked(shape):
    rng = np.random.default_rng(66)
    delta = rng.uniform(0.05, 0.98, shape + (3,))
    for protocol in ("rotating", "exit"):
        res = bg.rubinstein(delta, protocol=protocol)
        assert res.utilities.shape == shape + (3,)
        assert res.proposals.shape == shape + (3, 3)
        for idx in np.ndindex(*shape):
            one = bg.rubinstein(delta[idx], protocol=protocol)
            # batched vs one linear solve: the same arithmetic up to LAPACK blocking
            assert_allclose(res.utilities[idx], one.utilities, rtol=0, atol=1e-13)
            assert_allclose(res.proposals[idx], one.proposals, rtol=0, atol=1e-13)


# -- 7. more than two parties --------------------------------------------------------------


@pytest.mark.parametrize("n", [3, 4, 5])
def test_shaked_common_delta(n):
    delta = np.linspace(0.05, 0.98, 25)
    res = bg.rubinstein(np.repeat(delta[:, None], n, axis=1))
    p = (1.0 - delta) / (1.0 - delta**n)
    k = np.arange(n)
    # closed form delta^k (1 - delta)/(1 - delta^n) vs a linear solve: 1e-12
    assert_allclose(res.utilities, delta[:, None] ** k * p[:, None], rtol=0, atol=EXACT)
    # every party's own proposal gives it p; responder j of i gets delta^((j - i) mod n) p
    X = res.proposals
    for i in range(n):
        for j in range(n):
            expect = delta ** ((j - i) % n) * p
            assert_allclose(X[:, i, j], expect, rtol=0, atol=EXACT)
    # Shaked: every split is an SPE outcome once delta >= 1/2; below, not established
    assert list(res.multiple_spe) == [True if t >= 0.5 else None for t in delta]


@pytest.mark.parametrize("n", [3, 4, 5])
def test_shaked_heterogeneous(n):
    rng = np.random.default_rng(70 + n)
    delta = rng.uniform(0.05, 0.98, (50, n))
    for first in range(n):
        res = bg.rubinstein(delta, first=first)
        X = res.proposals
        assert_allclose(X.sum(axis=-1), 1.0, rtol=0, atol=EXACT)
        for i in range(n):
            for j in range(n):
                if j != i:  # responder j accepts what the next proposer would give it
                    assert_allclose(
                        X[:, i, j], delta[:, j] * X[:, (i + 1) % n, j], rtol=0, atol=EXACT
                    )
        assert_allclose(res.utilities, X[:, first, :], rtol=0, atol=0)
        assert np.all(X >= 0)


def test_shaked_two_parties_is_rubinstein():
    rng = np.random.default_rng(8)
    delta = rng.uniform(0.0, 0.98, (200, 2))
    for first in (0, 1):
        rot = bg.rubinstein(delta, protocol="rotating", first=first)
        two = bg.rubinstein(delta, first=first)
        assert_allclose(rot.utilities, two.utilities, rtol=0, atol=EXACT)


@pytest.mark.parametrize("n", [3, 4, 5])
def test_exit_protocol(n):
    delta = np.linspace(0.05, 0.98, 20)
    res = bg.rubinstein(np.repeat(delta[:, None], n, axis=1), protocol="exit")
    own = 1.0 / (1.0 + (n - 1) * delta)
    assert_allclose(res.utilities[:, 0], own, rtol=0, atol=EXACT)
    assert_allclose(
        res.utilities[:, 1:], (delta * own)[:, None] * np.ones(n - 1), rtol=0, atol=EXACT
    )
    assert not np.any(res.multiple_spe)
    rng = np.random.default_rng(90 + n)
    a = rng.uniform(0.05, 0.98, (50, n))
    X = bg.rubinstein(a, protocol="exit").proposals
    assert_allclose(X.sum(axis=-1), 1.0, rtol=0, atol=EXACT)
    for i in range(n):
        for j in range(n):
            if j == i:
                continue
            # a lone rejecter j bargains with i over X_ii + X_ij, as first proposer of a
            # two-party game, one round later
            c = (1.0 - a[:, i]) / (1.0 - a[:, i] * a[:, j])
            rhs = a[:, j] * c * (X[:, i, i] + X[:, i, j])
            assert_allclose(X[:, i, j], rhs, rtol=0, atol=EXACT)


# -- 8. discount factors at the boundary ---------------------------------------------------


@pytest.mark.parametrize("x", [0.0, 0.3, 0.9, 1.0])
def test_boundary_discounts_pie(x):
    for delta in ([x, 0.0], [0.0, x]):
        a1, a2 = delta
        xs = pie_x(a1, a2)
        y = a1 * xs
        plain = bg.rubinstein(delta)  # the fast path
        full = bg.rubinstein(delta, d=[0.0, 0.0], first=np.array([0, 1]))  # the general one
        hull = bg.rubinstein(delta, [[1.0, 0.0], [0.0, 1.0]], hull=True)
        assert_allclose(plain.utilities, [xs, 1.0 - xs], rtol=0, atol=EXACT)
        assert_allclose(full.utilities, [[xs, 1 - xs], [y, 1 - y]], rtol=0, atol=EXACT)
        assert_allclose(hull.utilities, [xs, 1.0 - xs], rtol=0, atol=EXACT)
        assert_allclose(hull.proposals[1], [y, 1.0 - y], rtol=0, atol=EXACT)


def test_boundary_both_patient():
    with pytest.raises(ValueError, match="both"):
        bg.rubinstein([1.0, 1.0])
    with pytest.raises(ValueError, match="both"):
        bg.rubinstein([1.0, 1.0], [[1.0, 0.0], [0.0, 1.0]], hull=True)
    with pytest.raises(ValueError, match="both"):
        bg.rubinstein([1.0, 1.0], [[1.0, 0.0], [0.0, 1.0]])
    # with breakdown risk the per-round factors are 1 - p < 1: Rubinstein with a = 1 - p
    res = bg.rubinstein([1.0, 1.0], breakdown=0.2)
    assert_allclose(res.utilities[0], pie_x(0.8, 0.8), rtol=0, atol=EXACT)
    # a finite horizon is fine too: the last proposer takes everything
    assert_allclose(bg.rubinstein([1.0, 1.0], horizon=3).utilities, [1.0, 0.0], rtol=0, atol=EXACT)


def test_boundary_packages_lexicographic_limit():
    """a_1 = 1 (or a_2 = 0): the limit point is party 1's best package above d."""
    S = np.array([[0.3, 0.6], [0.7, 0.2], [0.7, 0.25], [0.9, -0.1], [0.1, 0.9]])
    for delta in ([1.0, 0.5], [0.5, 0.0]):
        res = bg.rubinstein(delta, S, [0.0, 0.0])
        # above d = 0: rows 0, 1, 2, 4; party 1's best u1 is 0.7 (rows 1 and 2), and the
        # tie goes to the better one for party 2: row 2
        assert int(res.index) == 2
    for delta in ([0.5, 1.0], [0.0, 0.5]):
        assert int(bg.rubinstein(delta, S, [0.0, 0.0]).index) == 4


# -- 9. issue space -------------------------------------------------------------------------


def _hand_utility(party, agenda, outcome):
    """sum_k w_k v_k(option_k) of an additive utility over discrete tables, by hand."""
    u = party.utility
    total = 0.0
    for name in u.issues:
        issue = agenda.issues[agenda.names.index(name)]
        table = u.values[name]
        if "values" not in table.params:  # a value function of the options' positions
            x = float(issue.positions[issue.options.index(outcome[name])])
            total += float(u.weights[name]) * float(table(np.array(x)))
            continue
        values = np.asarray(table.params["values"], dtype=float)
        labels = issue.options if table.options is None else table.options
        total += float(u.weights[name]) * float(values[labels.index(outcome[name])])
    return total


def _bilateral():
    """The Ukraine model's two warring parties alone (no EU, no US): a plain negotiation."""
    neg = bg.load_model("ukraine_russia").negotiation
    return bg.Negotiation(neg.stated_agenda, neg.parties[:2])


def test_issue_space_lotteries():
    neg = _bilateral()
    assert all(issue.discrete for issue in neg.agenda.issues)  # all discrete
    res = bg.rubinstein(neg, hull=True)
    assert res.agreement
    probs = [q for q, _ in res.lottery_outcomes]
    assert all(q > 0 for q in probs)
    assert_allclose(sum(probs), 1.0, rtol=0, atol=EXACT)
    expected = np.zeros(2)
    for q, outcome in res.lottery_outcomes:
        expected += q * np.array(
            [_hand_utility(party, neg.agenda, outcome) for party in neg.parties]
        )
    # hand evaluation vs the solver's lottery: a few roundings of utilities in [0, 1]
    assert_allclose(res.utilities, expected, rtol=0, atol=EXACT)
    # and the equilibrium conditions on the negotiation's own data
    a = (1.0 - neg.breakdown[0]) * neg.discount
    d = neg.disagreement()
    P = res.proposals
    assert_allclose(P[0, 1] - d[1], a[1] * (P[1, 1] - d[1]), rtol=0, atol=ROOT)
    assert_allclose(P[1, 0] - d[0], a[0] * (P[0, 0] - d[0]), rtol=0, atol=ROOT)


def test_issue_space_packages_limit_is_nash():
    neg = _bilateral()
    res = bg.rubinstein(neg)
    a = (1.0 - neg.breakdown[0]) * neg.discount
    w = 1.0 / -np.log(a)
    nash = bg.nash(neg, weights=w / w.sum())
    assert res.outcome == nash.outcome
    assert_allclose(res.utilities, nash.utilities, rtol=0, atol=EXACT)
    u = [_hand_utility(party, neg.agenda, res.outcome) for party in neg.parties]
    assert_allclose(res.utilities, u, rtol=0, atol=EXACT)
    assert int(res.n_stationary) == len(res.stationary_outcomes)


# -- sweeps: the hull as a Minkowski sum of the issues' option hulls ----------------------


def test_minkowski_chain_is_the_hull_of_all_packages():
    import itertools

    from bargain.utility._chain import minkowski_chain, pareto_chain

    rng = np.random.default_rng(11)
    for _ in range(100):
        ks = rng.integers(1, 5, size=rng.integers(1, 4))
        parts = [rng.uniform(size=(1, int(k), 2)) for k in ks]
        packages = np.array([sum(c) for c in itertools.product(*(p[0] for p in parts))])
        V1, _, c1 = pareto_chain(packages[None])
        V2, _, c2 = pareto_chain(minkowski_chain(parts))
        # second method: the chain of the enumerated packages, to rounding (1e-12)
        assert int(c1[0]) == int(c2[0])
        assert_allclose(V2[0, : int(c2[0])], V1[0, : int(c1[0])], rtol=0, atol=1e-12)


def test_sweep_rubinstein_columns_match_the_packages_hull():
    from bargain.analysis import _sweep

    model = bg.load_model("ukraine_russia")
    draws = model.draw(40, np.random.default_rng(3))
    out = _sweep.evaluate(model, draws)
    neg = _sweep.batched_negotiation(model, draws)
    b = neg.batch_shape
    X = neg.agenda.enumerate()
    U = np.broadcast_to(neg.coded_utilities(X), b + X.shape[:1] + (neg.n,))
    a = np.broadcast_to((1.0 - neg.breakdown) * neg.discount, b + (neg.n,))
    d = np.broadcast_to(neg.reservation, b + (neg.n,))
    # governed (the EU and the US control issues): the two veto players alternate over the
    # packages every required party accepts -- here selected draw by draw, not masked
    ok = neg.rule_slack(U, X) >= 0
    got = np.stack([out["rubinstein.u.Ukraine"], out["rubinstein.u.Russia"]], axis=-1)
    agree = np.empty(b[0], dtype=bool)
    for j in range(b[0]):
        if not np.any(ok[j]):  # no acceptable package: no agreement, the veto players keep d
            agree[j] = False
            assert_allclose(got[j], d[j, :2], rtol=0, atol=1e-12)
            continue
        res = bg.rubinstein(a[j, :2], U[j][ok[j]][:, :2], d[j, :2], hull=True)
        assert_allclose(got[j], res.utilities, rtol=0, atol=1e-12)
        agree[j] = bool(res.agreement)
    # the lottery's weight is not unique where an edge of the hull holds a package inside
    # it (either the edge's ends or the nearer packages reach the point): only its range
    assert np.all((out["rubinstein.p_lottery"] >= 0) & (out["rubinstein.p_lottery"] < 1))
    np.testing.assert_array_equal(out["rubinstein_agreement"], agree)


def test_issue_space_batched_reservation_values():
    neg = _bilateral()
    d = np.array([[0.45, 0.55], [0.5, 0.6], [0.3, 0.7], [0.9, 0.9]])
    for hull in (False, True):
        res = bg.rubinstein(neg, d=d, hull=hull)
        for k in range(len(d)):
            one = bg.rubinstein(neg, d=d[k], hull=hull)
            # the batch equals the problems one at a time (1e-13)
            assert_allclose(res.utilities[k], one.utilities, rtol=0, atol=1e-13)
            assert bool(res.agreement[k]) == bool(one.agreement)
            if one.coded is not None:
                assert_allclose(res.coded[k], one.coded)
            else:
                assert np.all(np.isnan(res.coded[k]))


def test_leverage_refuses_rubinstein_over_packages():
    m = bg.load_model("ukraine_russia")
    levers = [lv for lv in m.levers if type(lv).__name__ != "Guarantee"]
    with pytest.raises(ValueError, match="divisible issues only"):
        bg.leverage(m.negotiation, levers, np.eye(len(levers)), concepts=["rubinstein"])


# -- mixed agendas: the frontier with lotteries over discrete combinations -----------------


def _mixed(p1=0.5, p2=1.0):
    A = bg.Agenda(
        bg.ContinuousIssue("x"),
        bg.DiscreteIssue("g", ["a", "b", "c"]),
        bg.DiscreteIssue("h", ["no", "yes"]),
    )
    u1 = bg.AdditiveUtility(
        {"x": bg.Power(p1), "g": bg.Table([0.0, 0.3, 0.5]), "h": bg.Table([0.0, 0.2])},
        [0.5, 0.3, 0.2],
    )
    u2 = bg.AdditiveUtility(
        {"x": bg.Linear(-1.0, 1.0), "g": bg.Table([1.0, 0.6, 0.0]), "h": bg.Table([0.4, 0.0])},
        [0.4, 0.4, 0.2],
    )
    return bg.Negotiation(A, [bg.Party("A", u1, discount=0.9), bg.Party("B", u2, discount=0.85)])


def test_mixed_hull_frontier_against_sampled_hull():
    from bargain.issues._frontier import hull_frontier
    from bargain.utility._chain import Chain, pareto_chain

    neg = _mixed()
    fr = hull_frontier(neg)
    # second method: sample x finely for every discrete combination, take the chain of
    # the hull of all those packages, and read the frontier off it (an inner polygon of
    # the true concave frontier, within O(h^2) of it for h = 1/4000)
    xs = np.linspace(0.0, 1.0, 4001)
    X = np.array([[x, g, h] for g in range(3) for h in range(2) for x in xs])
    U = neg.coded_utilities(X)
    V, _, k = pareto_chain(U[None])
    V = V[:, : int(k[0])]
    t = np.linspace(fr.lo, fr.hi, 41)[1:-1]
    rows = np.repeat(V, t.size, axis=0)
    sampled = Chain()(t, rows[..., 0], rows[..., 1])
    exact = fr.frontier(t)
    assert np.all(exact[:, 1] >= sampled[:, 1] - 1e-12)  # the samples lie inside
    assert_allclose(exact[:, 1], sampled[:, 1], rtol=0, atol=2e-6)


def test_mixed_hull_rubinstein_certificates():
    neg = _mixed()
    res = bg.rubinstein(neg, hull=True)
    assert res.agreement
    # the lottery over (at most) two deals reaches the utilities (1e-12)
    total = sum(p * neg.utilities(neg.agenda.encode(o)) for p, o in res.lottery_outcomes)
    assert_allclose(total, res.utilities, rtol=0, atol=1e-12)
    # the SPE equations on the frontier with lotteries (1e-10): d = 0, no breakdown
    P = np.asarray(res.proposals)
    a = np.array([0.9, 0.85])
    assert_allclose(P[1, 0], a[0] * P[0, 0], rtol=0, atol=1e-10)
    assert_allclose(P[0, 1], a[1] * P[1, 1], rtol=0, atol=1e-10)
    # without lotteries: the frequent-offer limit, the Nash deal with powers 1/-ln a_i
    lim = bg.rubinstein(neg)
    w = 1 / -np.log(a)
    nash = neg.solve("nash", weights=w / w.sum())
    assert_allclose(lim.utilities, nash.utilities, rtol=0, atol=1e-12)


def test_packages_limit_needs_one_patient_enough_party():
    S = [[0.0, 1.0], [0.5, 0.8], [1.0, 0.0]]
    with pytest.raises(ValueError, match="both per-round factors"):
        bg.rubinstein([0.0, 0.0], S)
    # with lotteries the game is still defined: party 1 proposes and takes its best point
    assert_allclose(bg.rubinstein([0.0, 0.0], S, hull=True).utilities, [1.0, 0.0], atol=1e-12)


def test_exact_chain_solver_equals_root_finding_on_the_chain():
    # chain_stationary (breakpoints and interpolation) against frontier_stationary (Brent)
    import importlib

    from bargain.utility._chain import Chain, pareto_chain

    k = importlib.import_module("bargain.solutions._rubinstein_kernels")
    rng = np.random.default_rng(0)
    S = rng.random((3000, 40, 2)) ** rng.uniform(0.3, 3.0, (3000, 1, 2))
    V, _, count = pareto_chain(S)
    V = V[count >= 2]
    X, Y = np.ascontiguousarray(V[..., 0]), np.ascontiguousarray(V[..., 1])
    d = rng.random((len(X), 2)) * 0.6
    a = rng.uniform(0.5, 0.999, (len(X), 2))
    ff = k.FlatFrontier(Chain(), X[:, 0].copy(), X[:, -1].copy(), (X, Y))
    x0, y0, agree0, ok0 = k.frontier_stationary(ff, d, a, None)
    x1, y1, agree1 = k.chain_stationary(X, Y, d, a)
    assert ok0.all() and 0.2 < agree0.mean() < 1.0  # both kinds of problems
    np.testing.assert_array_equal(agree1, agree0)
    np.testing.assert_allclose(x1[agree0], x0[agree0], rtol=0, atol=1e-12)
    np.testing.assert_allclose(y1[agree0], y0[agree0], rtol=0, atol=1e-12)


def test_exact_chain_solver_with_a_vanishing_discount_factor():
    # a_1 = 5e-324: the preimages of the vertices overflow; no warning, the same answer
    import importlib
    import warnings

    from bargain.utility._chain import Chain

    k = importlib.import_module("bargain.solutions._rubinstein_kernels")
    X, Y = np.array([[0.0, 1.0]]), np.array([[1.0, 0.0]])
    d, a = np.array([[-0.5, -0.5]]), np.array([[5e-324, 0.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        x1, y1, agree1 = k.chain_stationary(X, Y, d, a)
    ff = k.FlatFrontier(Chain(), X[:, 0].copy(), X[:, -1].copy(), (X, Y))
    x0, y0, agree0, _ = k.frontier_stationary(ff, d, a, None)
    assert agree1[0] and agree0[0]
    assert x1[0] == pytest.approx(x0[0], abs=1e-12) and y1[0] == pytest.approx(y0[0], abs=1e-12)
