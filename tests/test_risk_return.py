"""Private information: the risk-return offer against closed forms, a brute force and samples."""

import numpy as np
import pytest
import scipy.stats as st
from hypothesis import given
from hypothesis import strategies as st_h
from numpy.testing import assert_allclose

import bargain as bg
from bargain.conflict import _information as info


def brute(p, ca, survival, pb=None, pa=None, n=400_001):
    pb = p if pb is None else pb
    pa = p if pa is None else pa
    z = np.linspace(-pb, 1 - pb, n)
    S = survival(z)
    U = S * (pb + z) + (1 - S) * (pa - ca)
    j = np.argmax(U)
    return z[j] + pb, 1 - S[j], U[j]


@pytest.mark.parametrize(
    ("p", "ca", "lo", "hi"),
    [(0.5, 0.1, 0.0, 0.4), (0.3, 0.0, 0.1, 0.5), (0.7, 0.5, 0.0, 0.2), (0.5, 0.05, 0.2, 0.3)],
)
def test_uniform_closed_form_against_brute_force_and_the_general_path(p, ca, lo, hi):
    res = bg.risk_return(p, ca, st.uniform(lo, hi - lo))
    z = np.clip((hi - ca) / 2, lo, hi)
    assert res.offer == pytest.approx(np.clip(p + z, 0, 1), abs=1e-15)
    assert res.war_probability == pytest.approx((np.clip(z, lo, hi) - lo) / (hi - lo), abs=1e-15)
    x, _, U = brute(p, ca, lambda z: np.clip((hi - z) / (hi - lo), 0, 1))
    assert res.offer == pytest.approx(x, abs=1e-5)
    assert res.utilities[0] == pytest.approx(U, abs=1e-9)
    g = info._general(np.array(p), np.array(p), np.array(ca), st.uniform(lo, hi - lo), ())
    assert g[0] == pytest.approx(res.offer, abs=1e-7)  # golden section: ~sqrt(eps) in the argmax
    assert_allclose([g[3], g[4]], res.utilities, atol=1e-9)


def test_the_receivers_expected_utility_by_quadrature():
    res = bg.risk_return(0.5, 0.1, st.norm(0.2, 0.05))
    x = res.offer
    c = np.linspace(0.2 - 12 * 0.05, 0.2 + 12 * 0.05, 2_000_001)
    pdf = st.norm(0.2, 0.05).pdf(c)
    ub = np.trapezoid(pdf * np.maximum(1 - x, 1 - 0.5 - c), c)
    assert res.utilities[1] == pytest.approx(ub, abs=1e-8)
    xb, _, U = brute(0.5, 0.1, st.norm(0.2, 0.05).sf)
    assert res.offer == pytest.approx(xb, abs=1e-5)
    assert res.utilities[0] >= U - 1e-12  # the refined optimum beats every grid point


def test_a_large_sample_converges_to_the_distribution():
    dist = st.beta(2, 5, loc=0.0, scale=0.5)
    sample = dist.rvs(200_000, random_state=4)
    exact = bg.risk_return(0.4, 0.05, dist)
    emp = bg.risk_return(0.4, 0.05, cost_b_sample=sample)
    assert emp.offer == pytest.approx(exact.offer, abs=5e-3)
    assert emp.war_probability == pytest.approx(exact.war_probability, abs=5e-3)
    assert_allclose(emp.utilities, exact.utilities, atol=2e-3)


def test_sample_solution_is_exact_over_the_sample():
    sample = np.array([0.05, 0.1, 0.1, 0.3, 0.35])
    res = bg.risk_return(0.5, 0.1, cost_b_sample=sample)
    # candidates z = each cost: S = share of costs >= z; U = S (0.5 + z) + (1 - S) 0.4
    cands = {z: np.mean(sample >= z) * (0.5 + z) + (1 - np.mean(sample >= z)) * 0.4 for z in sample}
    best = max(cands, key=cands.get)
    assert res.offer == pytest.approx(0.5 + best, abs=1e-15)
    assert res.utilities[0] == pytest.approx(cands[best], abs=1e-15)


def test_mutual_optimism_raises_the_demand():
    calm = bg.risk_return(0.5, 0.1, st.uniform(0, 0.4))
    bold = bg.risk_return(0.5, 0.1, st.uniform(0, 0.4), p_a=0.6)
    assert bold.offer > calm.offer and bold.war_probability > calm.war_probability
    # k = c_A + p_B - p_A = 0: z* = 0.2, war probability 0.5
    assert bold.war_probability == pytest.approx(0.5, abs=1e-15)


@given(shift=st_h.floats(0.0, 0.3), dshift=st_h.floats(0.0, 0.3), ca=st_h.floats(0.0, 0.3))
def test_war_becomes_less_likely_as_the_receivers_costs_shift_up(shift, dshift, ca):
    a = bg.risk_return(0.5, ca, st.uniform(shift, 0.3))
    b = bg.risk_return(0.5, ca, st.uniform(shift + dshift, 0.3))
    assert b.war_probability <= a.war_probability + 1e-12
    an = bg.risk_return(0.5, ca, st.norm(0.1 + shift, 0.05))
    bn = bg.risk_return(0.5, ca, st.norm(0.1 + shift + dshift, 0.05))
    assert bn.war_probability <= an.war_probability + 1e-6


@pytest.mark.parametrize("shape", [(), (12,), (3, 4), (3, 2, 2)])
def test_batched_equals_loop(shape):
    rng = np.random.default_rng(5)
    p = rng.uniform(0.2, 0.8, shape)
    hi = rng.uniform(0.1, 0.5, shape)
    mu = rng.uniform(0.05, 0.3, shape)
    uni = bg.risk_return(p, 0.05, st.uniform(0.0, hi))
    nor = bg.risk_return(p, 0.05, st.norm(mu, 0.05))
    smp = bg.risk_return(p, 0.05, cost_b_sample=rng.uniform(0, 0.4, shape + (50,)))
    assert np.shape(uni.offer) == shape and uni.utilities.shape == shape + (2,)
    assert np.shape(nor.offer) == shape and np.shape(smp.offer) == shape
    draws = rng.uniform(0, 0.4, shape + (50,))
    smp = bg.risk_return(p, 0.05, cost_b_sample=draws)
    for idx in np.ndindex(*shape):
        one = bg.risk_return(p[idx], 0.05, st.uniform(0.0, hi[idx]))
        assert np.asarray(uni.offer)[idx] == pytest.approx(one.offer, abs=1e-15)
        one = bg.risk_return(p[idx], 0.05, st.norm(mu[idx], 0.05))
        assert np.asarray(nor.offer)[idx] == pytest.approx(one.offer, abs=1e-10)
        one = bg.risk_return(p[idx], 0.05, cost_b_sample=draws[idx])
        assert np.asarray(smp.offer)[idx] == pytest.approx(one.offer, abs=1e-15)


def test_bad_input():
    with pytest.raises(TypeError, match="exactly one of `cost_b`"):
        bg.risk_return(0.5, 0.1)
    with pytest.raises(TypeError, match=r"frozen scipy\.stats distribution"):
        bg.risk_return(0.5, 0.1, [0.1, 0.2])
    with pytest.raises(ValueError, match="`cost_a` must be >= 0"):
        bg.risk_return(0.5, -0.1, st.uniform(0, 1))
    with pytest.raises(ValueError, match="`p` must be a probability"):
        bg.risk_return(1.5, 0.1, st.uniform(0, 1))


def _packages():
    agenda = bg.Agenda(
        bg.DiscreteIssue("territory", ["0", "1", "2", "3"]),
        bg.DiscreteIssue("guarantee", ["none", "treaty"]),
    )
    up = bg.AdditiveUtility(
        {"territory": bg.Table([0.0, 0.2, 0.4, 0.6]), "guarantee": bg.Table([0.4, 0.0])}
    )
    ur = bg.AdditiveUtility(
        {"territory": bg.Table([0.6, 0.45, 0.3, 0.0]), "guarantee": bg.Table([0.0, 0.4])}
    )
    return bg.Negotiation(agenda, [bg.Party("P", up, 0.2), bg.Party("R", ur)])


def test_package_against_every_outcome():
    talks = _packages()
    X = talks.agenda.enumerate()
    U = talks.coded_utilities(X)
    dist = st.uniform(0.2, 0.6)
    value = dist.cdf(U[:, 1]) * U[:, 0] + (1 - dist.cdf(U[:, 1])) * 0.2
    res = bg.risk_return_package(talks, dist)
    assert res.expected[0] == pytest.approx(value.max(), abs=1e-15)
    assert_allclose(res.utilities, U[np.argmax(value)], atol=1e-15)
    # as the receiving side: the roles swap
    back = bg.risk_return_package(talks, dist, proposer="R")
    val_r = dist.cdf(U[:, 0]) * U[:, 1] + (1 - dist.cdf(U[:, 0])) * talks.reservation[1]
    assert back.expected[1] == pytest.approx(val_r.max(), abs=1e-15)


def test_package_with_a_sample_and_a_grid():
    agenda = bg.Agenda(bg.ContinuousIssue("x"))
    talks = bg.Negotiation(
        agenda,
        [
            bg.Party("A", bg.AdditiveUtility({"x": bg.Linear()}), 0.4),
            bg.Party("B", bg.AdditiveUtility({"x": bg.Linear(-1.0, 1.0)})),
        ],
    )
    # B's reservation 1 - p - c_B with c_B ~ U[0, 0.4], p = 0.5: the pie version, on a grid
    res = bg.risk_return_package(talks, st.uniform(0.1, 0.4), grid=4001)
    pie = bg.risk_return(0.5, 0.1, st.uniform(0, 0.4))
    assert res.coded[0] == pytest.approx(pie.offer, abs=2.5e-4)
    assert res.war_probability == pytest.approx(pie.war_probability, abs=1e-3)
    smp = bg.risk_return_package(
        talks, sample=st.uniform(0.1, 0.4).rvs(5000, random_state=2), grid=2001
    )
    assert smp.coded[0] == pytest.approx(pie.offer, abs=0.02)


def test_package_bad_input():
    talks = _packages()
    with pytest.raises(TypeError, match="exactly one of `reservation`"):
        bg.risk_return_package(talks)
    with pytest.raises(ValueError, match=r"`proposer` must be 0, 1"):
        bg.risk_return_package(talks, st.uniform(0, 1), proposer=2)
    with pytest.raises(ValueError, match="unknown party 'Z'"):
        bg.risk_return_package(talks, st.uniform(0, 1), proposer="Z")
