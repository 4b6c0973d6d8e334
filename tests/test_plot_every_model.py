"""Every plot for every bundled model: drawn without warnings, legends that match, no repeats."""

from __future__ import annotations

import hashlib
import re

import numpy as np
import pytest

import bargain as bg

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from bargain.cli import main  # noqa: E402
from bargain.plot import (  # noqa: E402
    plot_ripeness,
    plot_tornado,
    plot_zopa_options,
    plot_zopa_utilities,
)

MODELS = sorted(bg.bundled_models())


def _labels(ax):
    leg = ax.get_legend()
    return [t.get_text() for t in leg.get_texts()] if leg else []


@pytest.mark.slow
@pytest.mark.parametrize("name", MODELS)
def test_every_plot_of_every_bundled_model(name, tmp_path, capsys):
    model = bg.load_model(name)
    neg = model.negotiation
    drawn = 0
    if neg.n == 2:
        ax = plot_zopa_utilities(neg)
        labels = _labels(ax)
        assert "disagreement point d" in labels
        if neg.agenda.discrete:
            # discrete outcomes are points: no line joins the Pareto-optimal outcomes
            assert "Pareto-optimal outcomes" in labels
            joined = [
                ln
                for ln in ax.get_lines()
                if len(np.atleast_1d(ln.get_xdata())) >= 3 and ln.get_linestyle() != "None"
            ]
            assert not joined, [ln.get_label() for ln in joined]
            zopa_entries = [t for t in labels if "ZOPA" in t]
            assert zopa_entries == ["Pareto-optimal outcomes in the ZOPA"] or bg.zopa(neg).empty
        texts = [t.get_text() for t in ax.texts]
        if bg.nash(neg).agreement:
            assert any(t.startswith("Nash deal") for t in texts)  # the terms are written out
        plt.close(ax.figure)
        drawn += 1
    if neg.agenda.discrete and (len(neg.agenda.discrete) >= 2 or neg.agenda.continuous):
        ax = plot_zopa_options(neg)
        assert ax.get_xlabel() in neg.agenda.names and ax.get_ylabel() in neg.agenda.names
        plt.close(ax.figure)
        drawn += 1
    try:
        r = bg.ripeness(model, n=50)
    except ValueError as exc:
        assert "reservation_path" in str(exc)
    else:
        ax = plot_ripeness(r)
        assert ax.get_xlabel() in ("date", "period", "time")
        plt.close("all")
        drawn += 1
    if model.uncertain:
        t = bg.sensitivity(model, method="spearman", n=100)
        ax = plot_tornado(t, top=5)
        assert all(":" in tl.get_text() or "/" in tl.get_text() for tl in ax.get_yticklabels())
        plt.close(ax.figure)
        drawn += 1
    assert drawn >= 2
    # the report: every embedded figure exists once and no two are the same image
    out = tmp_path / "report"
    assert main(["report", name, "--out", str(out)]) == 0
    md = (out / f"{name}.md").read_text(encoding="utf-8")
    images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", md)
    assert images and len(images) == len(set(images))
    digests = {hashlib.sha256((out / p).read_bytes()).hexdigest() for p in images}
    assert len(digests) == len(images)
    capsys.readouterr()


def test_coinciding_solutions_stay_visible():
    # a symmetric pie: Nash, KS, egalitarian and utilitarian all at (0.5, 0.5)
    ax = plot_zopa_utilities(bg.Frontier.split("linear", "linear"), [0.0, 0.0])
    labels = _labels(ax)
    assert any("(same point)" in t for t in labels)
    sizes = sorted(
        line.get_markersize() for line in ax.get_lines() if np.allclose(line.get_xydata(), 0.5)
    )
    assert len(sizes) >= 2 and len(set(sizes)) == len(sizes)  # concentric rings
    plt.close(ax.figure)


def test_lotteries_draw_the_hull_dashed_and_the_zopa_as_a_region():
    S = np.array([[0.0, 1.0], [0.6, 0.7], [1.0, 0.0], [0.2, 0.2]])
    ax = plot_zopa_utilities(S, [0.1, 0.1], hull=True)
    labels = _labels(ax)
    assert "frontier with lotteries" in labels and "ZOPA (lotteries)" in labels
    plt.close(ax.figure)
    ax = plot_zopa_utilities(S, [0.1, 0.1])
    labels = _labels(ax)
    assert "frontier with lotteries" not in labels
    assert "Pareto-optimal outcomes in the ZOPA" in labels
    plt.close(ax.figure)
