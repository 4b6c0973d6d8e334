"""A mediator's information (Kydd 2003): credibility from bias, the value of information."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose

import bargain as bg

GAME = dict(p=0.5, cost_a=0.1, cost_low=0.05, cost_high=0.3, prob_low=0.3)


def call(**kw):
    g = dict(GAME, **kw)
    return bg.mediated_information(
        g.pop("p"), g.pop("cost_a"), g.pop("cost_low"), g.pop("cost_high"), g.pop("prob_low"), **g
    )


@given(beta=st.floats(0.0, 1.0))
def test_an_informed_mediator_is_credible_iff_biased_toward_the_side_it_informs(beta):
    res = call(bias=beta, mediator_war_cost=1.0)
    if abs(beta - 0.5) > 1e-9:
        assert res.credible == (beta > 0.5)


def test_credible_information_prevents_the_risky_war():
    res = call(bias=0.7)
    assert res.credible
    assert_allclose(res.war_probability, [0.3, 0.0], atol=1e-15)
    # with information A gets p + E[c] = 0.5 + 0.3 * 0.05 + 0.7 * 0.3 = 0.725
    assert_allclose(res.utility_a, [0.68, 0.725], atol=1e-15)
    assert res.value_of_information == pytest.approx(0.045, abs=1e-15)


def test_a_mediator_without_information_changes_nothing():
    res = call(bias=0.7, accuracy=0.5)
    assert_allclose(res.posterior, [0.3, 0.3], atol=1e-15)
    assert res.value_of_information == 0.0
    assert_allclose(res.war_probability[0], res.war_probability[1], atol=1e-15)


def test_noisy_signals_by_bayes_rule():
    # with a noisy signal a "not resolved" report risks a war, which a war-averse mediator
    # leaning only 0.7 toward A will not risk: it needs more bias to be believed
    assert not call(bias=0.7, accuracy=0.8).credible
    res = call(bias=0.9, accuracy=0.8)
    assert res.credible
    # P(r) = 0.3 * 0.8 + 0.7 * 0.2 = 0.38; mu_r = 0.24 / 0.38, mu_n = 0.06 / 0.62
    assert_allclose(res.posterior, [0.24 / 0.38, 0.06 / 0.62], rtol=1e-14)
    # after "not", A still risks it (0.0968 resolved): war with probability 0.62 * 0.06/0.62 = 0.06
    assert res.risky[2] and not res.risky[1]
    assert res.war_probability[1] == pytest.approx(0.06, abs=1e-15)


@given(
    beta=st.floats(0.0, 1.0),
    acc=st.floats(0.5, 1.0),
    pi=st.floats(0.0, 1.0),
    w=st.floats(0.0, 2.0),
)
def test_credible_information_never_hurts_the_informed_side(beta, acc, pi, w):
    res = call(bias=beta, accuracy=acc, prob_low=pi, mediator_war_cost=w)
    assert res.value_of_information >= -1e-12
    if res.credible:
        assert res.utility_a[1] >= res.utility_a[0] - 1e-12


@pytest.mark.parametrize("shape", [(), (12,), (3, 4), (3, 2, 2)])
def test_batched_equals_loop(shape):
    rng = np.random.default_rng(12)
    beta = rng.uniform(0, 1, shape)
    acc = rng.uniform(0.5, 1, shape)
    res = call(bias=beta, accuracy=acc)
    assert np.shape(res.credible) == shape and res.war_probability.shape == shape + (2,)
    for idx in np.ndindex(*shape):
        one = call(bias=beta[idx], accuracy=acc[idx])
        assert one.credible == np.asarray(res.credible)[idx]
        assert_allclose(one.utility_a, res.utility_a[idx], atol=0)


def test_bad_input():
    with pytest.raises(ValueError, match="`cost_high` must exceed"):
        call(cost_high=0.01)
    with pytest.raises(ValueError, match=r"`accuracy` must be in \[0.5, 1\]"):
        call(accuracy=0.3)
    with pytest.raises(ValueError, match="`bias` must be a probability"):
        call(bias=1.5)
