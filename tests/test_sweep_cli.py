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
    # interrupted-run protection: the chunk directory needs --resume
    assert main(["sweep", "ukraine_russia", "-n", "300", "--seed", "2", "--out", str(out)]) == 2
    assert "--resume" in capsys.readouterr().err
    assert main(["sweep", "-n", "300", "--seed", "2", "--out", str(out), "--resume"]) == 0


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
