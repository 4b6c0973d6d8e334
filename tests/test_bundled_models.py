"""Every bundled model loads, validates, solves, has a ZOPA, plots and is documented."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

import bargain as bg
from bargain.report._report import plot_frontier, plot_zopa
from bargain.report._text import solve_all, zopa_summary

NAMES = sorted(bg.bundled_models())
HISTORICAL = [
    "camp_david_1978",
    "dayton_1995",
    "good_friday_1998",
    "paris_vietnam_1968_73",
    "syria_geneva_2012_17",
    "israel_palestine_camp_david_2000",
]


def test_expected_models_are_bundled():
    assert set(NAMES) == {"ukraine_russia", *HISTORICAL}
    assert all(bg.bundled_models()[n] for n in NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_model_loads_solves_and_plots(name, tmp_path):
    m = bg.load_model(name)
    assert m.sources, "every model cites sources"
    assert m.uncertain, "every model states uncertainty ranges"
    sol = solve_all(m)
    for c in ("nash", "kalai_smorodinsky", "egalitarian", "utilitarian"):
        s = sol[c]
        if s["agreement"]:
            assert set(s["outcome"]) == set(m.agenda.names)
    z = zopa_summary(m)
    assert z["empty"] == (z["slack"] < 0)
    assert plot_zopa(m, tmp_path / "z.png").stat().st_size > 1000
    assert plot_frontier(m, tmp_path / "f.png").stat().st_size > 1000
    plt.close("all")
    d = m.draw(200, rng=0)
    assert set(d) == {u.path for u in m.uncertain}


@pytest.mark.parametrize("name", HISTORICAL)
def test_historical_models_record_what_happened(name):
    m = bg.load_model(name)
    assert m.history is not None and m.history.summary
    for issue, value in m.history.outcome.items():
        assert issue in m.agenda.names
        if m.agenda.issue(issue).discrete:
            assert value in m.agenda.issue(issue).options


def test_ukraine_model_every_judgement_has_basis_and_range():
    m = bg.load_model("ukraine_russia")
    covered = {u.path for u in m.uncertain} | set(m.notes)
    for u in m.uncertain:
        assert u.source or u.rationale, u.path
    # every party number and weight, and every lever's size and credibility, is covered
    params = m.parameters()
    for p in m.negotiation.names:
        for key in ("discount", "breakdown", "power"):
            assert f"parties.{p}.{key}" in covered
        # every reservation value is derived from the war: its costs and beliefs have ranges
        assert f"war.costs.{p}" in covered
        assert f"war.end_states.russian_breakthrough.probability.{p}" in covered
        for issue in m.agenda.names:
            assert f"parties.{p}.weights.{issue}" in covered
    for lv in m.lever_specs:
        for key in ("amount", "credibility", "value", "cost"):
            path = f"levers.{lv['name']}.{key}"
            if path in params:
                assert path in covered, path
    # territorial stake: Russia held about 20% of Ukraine in 2024-2025
    assert "20%" in m.agenda.issue("territory_returned").options
    assert any("ISW" in s for s in m.sources)
    assert set(m.paths) == {"Ukraine", "Russia"}
    # second edition: the EU and the US at the table, controlling what they hold
    neg = m.negotiation
    assert neg.governed and neg.veto_players == (0, 1)
    assert neg.party("European Union").controls == ("sanctions_relief", "accountability")
    assert neg.party("United States").controls == ("security_guarantee",)
    assert m.ceasefire is not None and "territory_returned" in m.ceasefire.core
    assert m.war is not None
    np.testing.assert_allclose(m.negotiation.reservation, m.war.reservation(m.negotiation))
    assert {lv.kind for lv in m.levers} == {"coercive", "value-adding"}


def test_ukraine_model_draws_keep_every_value_table_monotone():
    # each drawn knot stays between its neighbours, and territory is a concave power family,
    # so no draw makes a party prefer less of what it wants (2,000 draws)
    m = bg.load_model("ukraine_russia")
    from bargain.analysis._sweep import batched_negotiation

    neg0 = m.negotiation
    neg = batched_negotiation(m, m.draw(2_000, rng=9))
    A = neg.agenda
    for k, issue in enumerate(A.issues):
        X = np.zeros((issue.k, len(A)))
        X[:, k] = np.arange(issue.k)
        base = neg0.coded_utilities(X)  # (k, n) at the model's values
        U = neg.coded_utilities(X)  # (2000, k, n)
        for i, p in enumerate(neg.names):
            sign = np.sign(np.diff(base[:, i]))
            steps = np.diff(U[..., i], axis=-1) * sign
            assert np.all(steps >= -1e-12), (p, issue.name)


def test_ukraine_model_weights_sum_to_one_in_every_draw():
    m = bg.load_model("ukraine_russia")
    from bargain.analysis._sweep import batched_negotiation

    neg = batched_negotiation(m, m.draw(500, rng=2))
    for b in neg.bound:
        total = sum(np.broadcast_to(W, neg.batch_shape) for _, W in b.terms.values())
        np.testing.assert_allclose(total, 1.0, rtol=0, atol=1e-12)
