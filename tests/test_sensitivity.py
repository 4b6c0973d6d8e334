"""Sensitivity: Sobol indices against closed forms, rank correlations, the tornado plot."""

from __future__ import annotations

import numpy as np
import pytest

import bargain as bg
from bargain.analysis._sensitivity import ppf, sobol

GRID = """
[model]
name = "grid_split"
[[issues]]
name = "x"
options = [{opts}]
[[parties]]
name = "A"
reservation = 0.4
discount = 0.9
values = {{ x = {{ kind = "table", values = [{a}] }} }}
[[parties]]
name = "B"
reservation = 0.3
discount = 0.8
values = {{ x = {{ kind = "table", values = [{b}] }} }}
[uncertainty]
"parties.A.reservation" = {{ dist = "uniform", lo = 0.0, hi = 0.8 }}
"parties.B.reservation" = {{ dist = "uniform", lo = 0.0, hi = 0.6 }}
"""


def ishigami(X, a=7.0, b=0.1):
    return np.sin(X[:, 0]) + a * np.sin(X[:, 1]) ** 2 + b * X[:, 2] ** 4 * np.sin(X[:, 0])


def test_ishigami_indices():
    # Ishigami and Homma (1990); analytic indices, e.g. Saltelli et al. (2008),
    # "Global Sensitivity Analysis: The Primer", section 4.7:
    # V = a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2,
    # V1 = (1 + b pi^4/5)^2 / 2, V2 = a^2/8, V3 = 0,
    # VT3 = 8 b^2 pi^8 / 225, VT1 = V1 + VT3, VT2 = V2.
    a, b = 7.0, 0.1
    V = a**2 / 8 + b * np.pi**4 / 5 + b**2 * np.pi**8 / 18 + 0.5
    V1, V2 = (1 + b * np.pi**4 / 5) ** 2 / 2, a**2 / 8
    VT3 = 8 * b**2 * np.pi**8 / 225
    t = sobol(ishigami, [(-np.pi, np.pi)] * 3, 2**14, seed=1)
    np.testing.assert_allclose(t.loc[["x1", "x2", "x3"], "S1"], [V1 / V, V2 / V, 0], atol=0.03)
    np.testing.assert_allclose(
        t.loc[["x1", "x2", "x3"], "ST"], [(V1 + VT3) / V, V2 / V, VT3 / V], atol=0.03
    )
    assert t.index.tolist() == ["x1", "x2", "x3"]  # sorted by total index


def test_model_sobol_matches_linear_closed_form(tmp_path):
    # slack = (1 - r_A - r_B) / 2 is additive: S1 = ST = Var share,
    # Var r_A = 0.8^2/12, Var r_B = 0.6^2/12 -> 0.64 and 0.36.
    g = np.linspace(0.0, 1.0, 1001)
    p = tmp_path / "grid.toml"
    p.write_text(
        GRID.format(
            opts=", ".join(f'"o{i}"' for i in range(g.size)),
            a=", ".join(map(repr, g.tolist())),
            b=", ".join(map(repr, (1 - g).tolist())),
        )
    )
    t = bg.sensitivity(bg.load_model(p), output="slack", n=1024)
    np.testing.assert_allclose(
        t.loc[["parties.A.reservation", "parties.B.reservation"], "S1"], [0.64, 0.36], atol=0.03
    )
    np.testing.assert_allclose(
        t.loc[["parties.A.reservation", "parties.B.reservation"], "ST"], [0.64, 0.36], atol=0.03
    )
    r = bg.sensitivity(bg.load_model(p), output="slack", method="spearman", n=2000)
    # both reservations lower the slack; the wider range matters more
    assert r.index.tolist() == ["parties.A.reservation", "parties.B.reservation"]
    assert (r["rho"] < -0.5).all()


def test_ppf_matches_sampling_distribution():
    m = bg.load_model("ukraine_russia")
    q = np.array([0.1, 0.5, 0.9])
    for u in m.uncertain[:3]:
        x = u.sample(200_000, np.random.default_rng(0))
        np.testing.assert_allclose(ppf(u, q), np.quantile(x, q), atol=0.005)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n": 100}, "`n`"),
        ({"output": "nope"}, "`output`"),
        ({"method": "morris"}, "`method`"),
    ],
)
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        bg.sensitivity("ukraine_russia", **kwargs)


def test_tornado_plot(tmp_path):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from bargain.plot import plot_tornado

    t = bg.sensitivity("ukraine_russia", method="spearman", n=300)
    ax = plot_tornado(t, top=8)
    assert len(ax.patches) == 8
    labels = [tl.get_text() for tl in ax.get_yticklabels()]
    from bargain.plot import parameter_label

    assert labels[-1] == parameter_label(t.index[0])  # the largest bar on top, readable
    assert "." not in labels[-1] or ":" in labels[-1]
    ax.figure.savefig(tmp_path / "tornado.png")
    plt.close(ax.figure)
    raw = plot_tornado(t, top=3, labels="paths")
    assert raw.get_yticklabels()[-1].get_text() == t.index[0]
    plt.close(raw.figure)


def test_imprecise_sobol_warns_and_the_tornado_shows_intervals():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from bargain.plot import plot_tornado

    with pytest.warns(RuntimeWarning, match="imprecise"):
        t = bg.sensitivity("ukraine_russia", n=16)
    ax = plot_tornado(t, top=4)
    assert ax.containers and any(getattr(c, "has_xerr", False) for c in ax.containers)
    plt.close(ax.figure)
