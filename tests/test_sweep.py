"""Monte Carlo sweeps: closed-form statistics, batching, chunk independence, files."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import bargain as bg
from bargain.analysis._sweep import _chunk_rng, batched_negotiation, evaluate, sweep
from bargain.io._model import model_from_dict

# Two parties split x in [0, 1]: u_A = x, u_B = 1 - x; reservations uniform on
# [0, 0.8] and [0, 0.6]. The ZOPA [r_A, 1 - r_B] is open iff r_A + r_B <= 1:
# P = 1 - (area of the triangle a + b > 1 in the rectangle) / 0.48
#   = 1 - 0.08 / 0.48 = 5/6; slack = (1 - r_A - r_B) / 2 with mean 0.15;
# Nash x = (1 + r_A - r_B) / 2; Rubinstein limit x = r_A + w_A (1 - r_A - r_B)
# with w_A = (1/-ln 0.9) / (1/-ln 0.9 + 1/-ln 0.8).
LINEAR = """
[model]
name = "linear_split"
[[issues]]
name = "x"
{issue}
[[parties]]
name = "A"
reservation = 0.4
discount = 0.9
[parties.values]
x = {value_a}
[[parties]]
name = "B"
reservation = 0.3
discount = 0.8
[parties.values]
x = {value_b}
[uncertainty]
"parties.A.reservation" = {{ dist = "uniform", lo = 0.0, hi = 0.8 }}
"parties.B.reservation" = {{ dist = "uniform", lo = 0.0, hi = 0.6 }}
"""
P_OPEN = 5 / 6
MEAN_SLACK = 0.15
W_A = (1 / -np.log(0.9)) / (1 / -np.log(0.9) + 1 / -np.log(0.8))


@pytest.fixture(scope="module")
def continuous_model(tmp_path_factory):
    p = tmp_path_factory.mktemp("models") / "linear.toml"
    p.write_text(
        LINEAR.format(
            issue="",
            value_a='{ kind = "linear", slope = 1.0 }',
            value_b='{ kind = "linear", slope = -1.0, intercept = 1.0 }',
        )
    )
    return bg.load_model(p)


@pytest.fixture(scope="module")
def grid_model(tmp_path_factory):
    """The same split on a grid of 1001 options (fast: enumerated)."""
    g = np.linspace(0.0, 1.0, 1001)
    opts = ", ".join(f'"o{i}"' for i in range(g.size))
    p = tmp_path_factory.mktemp("models") / "grid.toml"
    p.write_text(
        LINEAR.format(
            issue=f"options = [{opts}]",
            value_a="{{ kind = 'table', values = [{}] }}".format(", ".join(map(repr, g.tolist()))),
            value_b="{{ kind = 'table', values = [{}] }}".format(
                ", ".join(map(repr, (1 - g).tolist()))
            ),
        )
    )
    return bg.load_model(p)


def test_closed_form_grid_within_4_se(grid_model):
    # Discretisation bias: the ZOPA interval [r_A, 1 - r_B] can miss every grid
    # point only when its length is < 0.001: probability <= 0.001 * (density of
    # r_A + r_B at 1 = 0.4 / 0.48) < 1e-3, a third of one standard error here;
    # grid slack is below (1 - r_A - r_B) / 2 by at most 0.0005.
    res = sweep(grid_model, 20_000, seed=11, chunk_size=5_000)
    s = res.summary
    assert abs(res.p_open - P_OPEN) <= 4 * res.p_open_se + 1e-3
    assert abs(s.loc["slack", "mean"] - MEAN_SLACK) <= 4 * s.loc["slack", "se"] + 5e-4
    assert s.loc["P(zopa open)", "n"] == 20_000
    # the standard error formula of a proportion
    assert np.isclose(res.p_open_se, np.sqrt(res.p_open * (1 - res.p_open) / 20_000))


@pytest.mark.slow
def test_closed_form_continuous_per_draw_and_probability(continuous_model):
    res = sweep(continuous_model, 300, seed=5, chunk_size=150)
    t = res.table
    ra, rb = t["param:parties.A.reservation"], t["param:parties.B.reservation"]
    open_ = ra + rb <= 1
    np.testing.assert_array_equal(t["zopa_open"], open_)
    np.testing.assert_allclose(t["slack"], (1 - ra - rb) / 2, atol=1e-7)
    ok = t["nash_agreement"].to_numpy()
    np.testing.assert_array_equal(ok, ra + rb < 1)
    np.testing.assert_allclose(t["nash.x"][ok], ((1 + ra - rb) / 2)[ok], atol=1e-7)
    np.testing.assert_allclose(
        t["rubinstein_limit.x"][ok], (ra + W_A * (1 - ra - rb))[ok], atol=1e-7
    )
    assert abs(res.p_open - P_OPEN) <= 4 * res.p_open_se


def test_rubinstein_weights_match_the_limit_theorem():
    # bg.rubinstein_nash_limit: powers proportional to 1 / (r_i + lambda)
    rates = np.array([-np.log(0.9), -np.log(0.8)])
    lim = bg.rubinstein_nash_limit(rates)
    np.testing.assert_allclose(lim.weights, [W_A, 1 - W_A], rtol=1e-12)


def test_batched_equals_loop_over_with_parameters():
    m = bg.load_model("ukraine_russia")
    draws = m.draw(6, rng=42)
    out = evaluate(m, draws)
    neg = batched_negotiation(m, draws)
    assert neg.batch_shape == (6,)
    for j in range(6):
        mj = m.with_parameters({k: v[j] for k, v in draws.items()})
        z = bg.zopa(mj.negotiation)
        r = bg.nash(mj.negotiation)
        assert out["zopa_open"][j] == (not z.empty)
        assert np.isclose(out["slack"][j], z.slack, rtol=1e-12, atol=1e-14)
        assert out["nash_agreement"][j] == r.agreement
        for k, issue in enumerate(m.agenda.names):
            assert out[f"nash.{issue}"][j] == r.coded[k]
        np.testing.assert_allclose(
            [out[f"nash.u.{p}"][j] for p in m.negotiation.names], r.utilities, rtol=1e-12
        )


def test_results_do_not_depend_on_chunk_scheduling(grid_model):
    a = sweep(grid_model, 1_000, seed=7, chunk_size=300)
    b = sweep(grid_model, 1_000, seed=7, chunk_size=300, keep=False)
    assert b.table is None
    pd.testing.assert_frame_equal(a.summary[["n", "mean", "sd", "se"]], b.summary)
    np.testing.assert_array_equal(a.table["draw"], np.arange(1_000))
    # chunk i draws from the i-th spawned child of SeedSequence(seed)
    child = np.random.SeedSequence(7).spawn(4)[2]
    x = grid_model.draw(300, np.random.default_rng(child))
    y = grid_model.draw(300, _chunk_rng(7, 2))
    for k in x:
        np.testing.assert_array_equal(x[k], y[k])
        np.testing.assert_array_equal(a.table[f"param:{k}"][600:900], x[k])
    c = sweep(grid_model, 1_000, seed=8, chunk_size=300)
    assert not np.array_equal(a.table["slack"], c.table["slack"])


def test_out_files_parquet_and_csv(grid_model, tmp_path):
    res = sweep(grid_model, 500, seed=2, chunk_size=200, out=tmp_path / "s.parquet")
    back = pd.read_parquet(tmp_path / "s.parquet")
    pd.testing.assert_frame_equal(back, res.table)
    res2 = sweep(grid_model, 500, seed=2, chunk_size=200, out=tmp_path / "s.csv")
    back2 = pd.read_csv(tmp_path / "s.csv")
    np.testing.assert_array_equal(back2["slack"], res2.table["slack"])
    np.testing.assert_array_equal(res.table["slack"], res2.table["slack"])
    assert not list(tmp_path.glob("**/*.part"))


def test_chunks_are_removed_after_the_join(grid_model, tmp_path):
    out = tmp_path / "s.parquet"
    first = sweep(grid_model, 100, seed=2, chunk_size=50, out=out)
    assert out.exists() and not (tmp_path / "s.parquet.chunks").exists()
    again = sweep(grid_model, 100, seed=2, chunk_size=50, out=out)  # the same call runs again
    pd.testing.assert_frame_equal(again.table, first.table)
    pd.testing.assert_frame_equal(pd.read_parquet(out), first.table)


def test_resume_needs_out_and_timeout_is_checked(grid_model):
    with pytest.raises(ValueError, match=r"`resume`.*`out`"):
        sweep(grid_model, 100, resume=True)
    with pytest.raises(ValueError, match="`timeout`"):
        sweep(grid_model, 100, timeout=0)


def test_truncated_chunk_is_named_and_recomputed(grid_model, tmp_path):
    out = tmp_path / "s.parquet"
    full = sweep(grid_model, 150, seed=2, chunk_size=50, out=out, keep_chunks=True)
    chunk = tmp_path / "s.parquet.chunks" / "chunk-00000001.parquet"
    chunk.write_bytes(chunk.read_bytes()[:40])  # cut short
    with pytest.warns(RuntimeWarning, match="chunk-00000001.parquet"):
        again = sweep(grid_model, 150, seed=2, chunk_size=50, out=out, resume=True)
    pd.testing.assert_frame_equal(again.table, full.table)


def test_existing_chunks_need_resume(grid_model, tmp_path):
    sweep(grid_model, 100, seed=2, chunk_size=50, out=tmp_path / "s.parquet", keep_chunks=True)
    with pytest.raises(FileExistsError, match="`out`"):
        sweep(grid_model, 100, seed=2, chunk_size=50, out=tmp_path / "s.parquet")
    with pytest.raises(ValueError, match="`resume`"):
        sweep(grid_model, 100, seed=3, chunk_size=50, out=tmp_path / "s.parquet", resume=True)
    again = sweep(grid_model, 100, seed=2, chunk_size=50, out=tmp_path / "s.parquet", resume=True)
    assert len(again.table) == 100


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n": 0}, "`n`"),
        ({"n": 10, "seed": -1}, "`seed`"),
        ({"n": 10, "chunk_size": 0}, "`chunk_size`"),
        ({"n": 10, "out": "x.txt"}, "`out`"),
    ],
)
def test_bad_arguments_are_named(grid_model, kwargs, match):
    n = kwargs.pop("n")
    with pytest.raises(ValueError, match=match):
        sweep(grid_model, n, **kwargs)


def test_model_without_uncertainty_is_an_error():
    m = bg.load_model("camp_david_1978")
    bare = model_from_dict({k: v for k, v in m.data.items() if k != "uncertainty"})
    with pytest.raises(ValueError, match="`model`"):
        sweep(bare, 10)


def test_agenda_parameters_cannot_be_batched():
    m = bg.load_model("camp_david_1978")
    with pytest.raises(ValueError, match="`draws`"):
        batched_negotiation(m, {"issues.sinai_returned.hi": [1.0]})


def test_summary_matches_pandas_on_the_table():
    res = sweep("ukraine_russia", 1_500, seed=6, chunk_size=400)
    t, s = res.table, res.summary
    for col in ("slack", "nash.u.Ukraine", "rubinstein_limit.u.Russia"):
        assert s.loc[col, "mean"] == pytest.approx(t[col].mean(), rel=1e-12)
        assert s.loc[col, "sd"] == pytest.approx(t[col].std(ddof=1), rel=1e-12)
        assert s.loc[col, "se"] == pytest.approx(t[col].std(ddof=1) / np.sqrt(1_500), rel=1e-12)
        np.testing.assert_allclose(
            s.loc[col, ["q05", "q50", "q95"]].to_numpy(dtype=float),
            t[col].quantile([0.05, 0.5, 0.95]).to_numpy(),
            rtol=1e-12,
        )
    ok = t["nash_agreement"]
    # a discrete issue is categorical: the share of each option among the agreements
    col = "P(nash.territory_returned = 30% | agreement)"
    assert s.loc[col, "n"] == ok.sum()
    assert s.loc[col, "mean"] == pytest.approx((t.loc[ok, "nash.territory_returned"] == 3).mean())
    assert "nash.territory_returned | agreement" not in s.index
    # the typology's four probabilities add up to one
    types = [f"P({k})" for k in ("settlement", "symbolic", "frozen", "failure")]
    assert s.loc[types, "mean"].sum() == pytest.approx(1.0, abs=1e-12)


def test_local_workers_give_the_same_table():
    one = sweep("ukraine_russia", 900, seed=4, chunk_size=200)
    two = sweep("ukraine_russia", 900, seed=4, chunk_size=200, workers=2)
    pd.testing.assert_frame_equal(one.table, two.table)
    pd.testing.assert_frame_equal(one.summary, two.summary)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"workers": 0}, r"`workers` must be an integer >= 1"),
        ({"workers": 2, "scheduler": "tcp://127.0.0.1:1"}, r"`workers` runs local processes"),
    ],
)
def test_workers_are_checked(grid_model, kwargs, match):
    with pytest.raises(ValueError, match=match):
        sweep(grid_model, 10, **kwargs)
