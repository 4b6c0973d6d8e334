"""``bargain sweep`` and ``bargain ripeness``."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import bargain as bg
from bargain.cli import main


def test_sweep_cli_writes_the_table(tmp_path, capsys):
    out = tmp_path / "s.csv"
    assert main(["sweep", "ukraine_russia", "-n", "300", "--seed", "2", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "P(zopa open)" in text and str(out) in text
    t = pd.read_csv(out)
    np.testing.assert_array_equal(t["draw"], np.arange(300))
    ref = bg.sweep("ukraine_russia", 300, seed=2)
    np.testing.assert_array_equal(t["slack"], ref.table["slack"])
    # the chunks are removed after the join: the same command runs again
    assert not (tmp_path / "s.csv.chunks").exists()
    assert main(["sweep", "ukraine_russia", "-n", "300", "--seed", "2", "--out", str(out)]) == 0
    # kept chunks (an interrupted run leaves them too) need --resume
    args = ["sweep", "-n", "300", "--seed", "2", "--out", str(out), "--keep-chunks"]
    assert main(args) == 0
    assert (tmp_path / "s.csv.chunks").is_dir()
    capsys.readouterr()
    assert main(args) == 2
    assert "--resume" in capsys.readouterr().err
    assert main([*args, "--resume"]) == 0


def test_sweep_cli_workers(tmp_path, capsys):
    out = tmp_path / "s.parquet"
    args = ["sweep", "ukraine_russia", "-n", "500", "--seed", "3", "--chunk-size", "200"]
    assert main([*args, "-j", "2", "--out", str(out)]) == 0
    ref = bg.sweep("ukraine_russia", 500, seed=3, chunk_size=200)
    pd.testing.assert_frame_equal(pd.read_parquet(out), ref.table)
    capsys.readouterr()
    assert main([*args, "--workers", "0"]) == 2
    assert "`workers` must be an integer >= 1" in capsys.readouterr().err


def test_resume_without_out_and_bad_plot_fail_before_work(capsys):
    assert main(["sweep", "-n", "300", "--resume"]) == 2
    assert "--out" in capsys.readouterr().err
    assert main(["zopa", "camp_david_1978", "--plot", "x.jpg"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "x.jpg" in captured.err
    assert main(["ripeness", "--plot", "x.jpg"]) == 2
    assert capsys.readouterr().out == ""


def test_debug_anywhere(capsys):
    with pytest.raises(bg.ModelError):
        main(["solve", "no_such_model", "--debug"])
    with pytest.raises(bg.ModelError):
        main(["--debug", "solve", "no_such_model"])
    assert main(["solve", "no_such_model"]) == 2


def test_ctrl_c_ends_with_one_line_and_the_resume_command(monkeypatch, capsys, tmp_path):
    import bargain.analysis._sweep as sw

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(sw, "_run_chunk", interrupted)
    out = tmp_path / "r.parquet"
    code = main(["sweep", "-n", "300", "--seed", "4", "--out", str(out)])
    assert code == 130
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0] == "bargain: interrupted"
    assert err[1].startswith("bargain: resume with: bargain sweep ukraine_russia -n 300")
    assert "--resume" in err[1] and str(out) in err[1]
    assert len(err) == 2
    monkeypatch.setattr(sw, "_run_chunk", interrupted)
    assert main(["sweep", "-n", "300"]) == 130
    assert capsys.readouterr().err.strip() == "bargain: interrupted"


def test_sweep_cli_json(capsys):
    assert main(["sweep", "-n", "200", "--seed", "3", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    ref = bg.sweep("ukraine_russia", 200, seed=3)
    assert doc["summary"]["P(zopa open)"]["mean"] == pytest.approx(ref.p_open, abs=0)
    assert doc["n"] == 200


def test_sweep_cli_bad_n(capsys):
    assert main(["sweep", "-n", "0"]) == 2
    assert "`n`" in capsys.readouterr().err


def test_ripeness_cli(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    png = tmp_path / "r.png"
    assert main(["ripeness", "--optimism", "0.1", "--plot", str(png)]) == 0
    text = capsys.readouterr().out
    assert "ripe moment" in text and png.stat().st_size > 0
    assert main(["ripeness", "--json", "-n", "20"]) == 0
    doc = json.loads(capsys.readouterr().out)
    ref = bg.ripeness("ukraine_russia", n=20)
    assert doc["p_ripe"] == ref.p_ripe
    np.testing.assert_allclose(doc["slack"], ref.slack, rtol=0, atol=0)
