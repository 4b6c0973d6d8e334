"""Ripeness: slack along reservation paths, the first opening, optimism, uncertainty."""

from __future__ import annotations

import numpy as np
import pytest

import bargain as bg

# u_A = x, u_B = 1 - x; r_A(t) = 0.8 - 0.1 t, r_B(t) = 0.6 - 0.1 t on t in [0, 5]:
# slack(t) = (1 - r_A - r_B) / 2 = 0.1 t - 0.2, open from t* = 2. Optimism m on
# both sides: slack - m, t* = 2 + 10 m. Uncertain level shifts e_A ~ U(-0.1, 0.1),
# e_B ~ U(-0.1, 0.1): t* = 2 + 5 (e_A + e_B), mean 2, sd 5 * sqrt(2 * 0.2^2 / 12).
MODEL = """
[model]
name = "ripening"
[[issues]]
name = "x"
{issue}
[[parties]]
name = "A"
reservation = 0.8
discount = 0.9
reservation_path = {{ times = [0.0, 5.0], values = [0.8, 0.3] }}
values = {{ x = {va} }}
[[parties]]
name = "B"
reservation = 0.6
discount = 0.9
reservation_path = {{ times = [0.0, 5.0], values = [0.6, 0.1] }}
values = {{ x = {vb} }}
[uncertainty]
"parties.A.reservation" = {{ dist = "uniform", lo = 0.7, hi = 0.9 }}
"parties.B.reservation" = {{ dist = "uniform", lo = 0.5, hi = 0.7 }}
"""


@pytest.fixture(scope="module")
def continuous(tmp_path_factory):
    p = tmp_path_factory.mktemp("m") / "c.toml"
    p.write_text(
        MODEL.format(
            issue="",
            va='{ kind = "linear", slope = 1.0 }',
            vb='{ kind = "linear", slope = -1.0, intercept = 1.0 }',
        )
    )
    return bg.load_model(p)


@pytest.fixture(scope="module")
def grid(tmp_path_factory):
    g = np.linspace(0, 1, 1001)
    p = tmp_path_factory.mktemp("m") / "g.toml"
    p.write_text(
        MODEL.format(
            issue="options = [{}]".format(", ".join(f'"o{i}"' for i in range(g.size))),
            va="{{ kind = 'table', values = [{}] }}".format(", ".join(map(repr, g.tolist()))),
            vb="{{ kind = 'table', values = [{}] }}".format(", ".join(map(repr, (1 - g).tolist()))),
        )
    )
    return bg.load_model(p)


def test_slack_path_and_ripe_moment(continuous):
    r = bg.ripeness(continuous, times=np.linspace(0, 5, 11))
    np.testing.assert_allclose(r.slack, 0.1 * r.times - 0.2, atol=1e-9)
    away = np.abs(r.times - 2) > 1e-9  # at t = 2 the slack is 0 up to rounding
    np.testing.assert_array_equal(r.open[away], r.times[away] > 2)
    assert r.ripe
    assert r.ripe_time == pytest.approx(2.0, abs=1e-9)
    np.testing.assert_allclose(r.reservation[:, 0], 0.8 - 0.1 * r.times, atol=1e-12)


@pytest.mark.parametrize("m", [0.05, 0.12])
def test_mutual_optimism_delays_ripeness(continuous, m):
    r = bg.ripeness(continuous, times=np.linspace(0, 5, 11), optimism=m)
    assert r.ripe_time == pytest.approx(2 + 10 * m, abs=1e-9)
    base = bg.ripeness(continuous, times=np.linspace(0, 5, 11))
    np.testing.assert_allclose(r.slack, base.slack - m, atol=1e-9)


def test_optimism_that_keeps_it_closed(continuous):
    r = bg.ripeness(continuous, optimism={"A": 0.35, "B": 0.35})
    assert not r.ripe and r.ripe_time == np.inf
    assert "closed" in r.message


def test_ripe_time_distribution_under_uncertainty(grid):
    n = 1000
    r = bg.ripeness(grid, times=np.linspace(0, 5, 51), n=n, seed=3)
    assert r.slack_draws.shape == (n, 51)
    rt = r.ripe_times
    assert r.p_ripe == 1.0  # t* = 2 + 5 (e_A + e_B) lies in [1, 3]
    sd = 5 * np.sqrt(2 * 0.2**2 / 12)
    # grid of 1001 options: slack is low by at most 5e-4 -> t* late by <= 5e-3
    assert abs(rt.mean() - 2.0) <= 4 * sd / np.sqrt(n) + 5e-3
    # sd of a sample sd ~ sd / sqrt(2 n): 4 of them is 9% at n = 1000
    assert abs(rt.std() - sd) <= 0.09 * sd
    # P(open at t=2) = P(e_A + e_B <= 0) = 1/2
    j = 20
    assert abs(r.p_open[j] - 0.5) <= 4 * r.p_open_se[j] + 4e-3


def test_ukraine_russia_paths():
    m = bg.load_model("ukraine_russia")
    r = bg.ripeness(m)
    # second method: the ZOPA slack of the model with each party's reservation value set
    # to its path at that date (the EU and the US keep theirs: they have no path)
    for t, s in zip(r.times, r.slack, strict=True):
        parties = [
            p.replace(reservation=np.interp(t, m.paths[p.name].times, m.paths[p.name].values))
            if p.name in m.paths
            else p
            for p in m.negotiation.parties
        ]
        z = bg.zopa(m.negotiation.replace(parties=parties))
        assert float(s) == pytest.approx(float(z.slack), abs=1e-12)


def test_errors_name_the_argument(continuous):
    with pytest.raises(ValueError, match="`model`"):
        bg.ripeness("dayton_1995")
    with pytest.raises(ValueError, match="`times`"):
        bg.ripeness(continuous, times=[1.0, 0.0])
    with pytest.raises(ValueError, match="`optimism`"):
        bg.ripeness(continuous, optimism={"C": 0.1})
    with pytest.raises(ValueError, match="`n`"):
        bg.ripeness(continuous, n=-1)
