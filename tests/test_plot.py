"""bargain.plot: the ZOPA pictures draw, label from names, return Axes, and reject bad input."""

import sys

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import bargain as bg  # noqa: E402
from bargain.plot import plot_zopa_issues, plot_zopa_utilities  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def negotiation(rb=0.3, discount=1.0, extra=False):
    issues = [bg.ContinuousIssue("territory"), bg.ContinuousIssue("sanctions")]
    if extra:
        issues.append(bg.DiscreteIssue("guarantee", ["none", "treaty", "art5"]))
    ua = {"territory": bg.Linear(), "sanctions": bg.Linear(-1, 1)}
    ub = {"territory": bg.Linear(-1, 1), "sanctions": bg.Linear()}
    wa, wb = [0.7, 0.3], [0.4, 0.6]
    if extra:
        ua["guarantee"] = bg.Table([0, 0.5, 1])
        ub["guarantee"] = bg.Table([1, 0.5, 0])
        wa, wb = [0.6, 0.2, 0.2], [0.3, 0.5, 0.2]
    a = bg.Party("Ukraine", bg.AdditiveUtility(ua, wa), 0.35, discount=discount)
    b = bg.Party("Russia", bg.AdditiveUtility(ub, wb), rb, discount=discount)
    return bg.Negotiation(bg.Agenda(*issues), [a, b])


def legend_texts(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


def test_issue_plot_labels_and_marks():
    ax = plot_zopa_issues(negotiation())
    assert isinstance(ax, matplotlib.axes.Axes)
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("territory", "sanctions")
    texts = legend_texts(ax)
    assert "ZOPA" in texts and "Ukraine: u = reservation" in texts
    assert {"Nash", "Kalai–Smorodinsky", "egalitarian", "utilitarian"} <= set(texts)
    assert "Rubinstein" not in texts  # no discounting: no Rubinstein point
    assert ax.get_xlim() == (0.0, 1.0)
    # the exact ZOPA polygon is drawn
    assert any(len(p.get_xy()) >= 4 for p in ax.patches)


def test_issue_plot_axes_can_be_swapped_and_given():
    _, ax0 = plt.subplots()
    ax = plot_zopa_issues(negotiation(discount=0.9), x="sanctions", y="territory", ax=ax0)
    assert ax is ax0 and ax.get_xlabel() == "sanctions"
    assert "Rubinstein" in legend_texts(ax)


def test_issue_plot_slice_of_a_larger_agenda():
    ax = plot_zopa_issues(negotiation(extra=True), fixed={"guarantee": "treaty"})
    assert "guarantee = treaty" in ax.get_title()


def test_issue_plot_empty_zopa_says_so():
    ax = plot_zopa_issues(negotiation(rb=0.99))
    assert any("ZOPA empty" in t.get_text() for t in ax.texts)


def test_issue_plot_errors():
    neg = negotiation()
    with pytest.raises(ValueError, match="unknown issue 'territry'"):
        plot_zopa_issues(neg, x="territry")
    with pytest.raises(ValueError, match="different issues"):
        plot_zopa_issues(neg, x="territory", y="territory")
    one = bg.Negotiation(
        bg.Agenda(bg.ContinuousIssue("t")),
        [
            bg.Party("A", bg.AdditiveUtility({"t": bg.Linear()})),
            bg.Party("B", bg.AdditiveUtility({"t": bg.Linear(-1, 1)})),
        ],
    )
    with pytest.raises(ValueError, match="needs two continuous issues"):
        plot_zopa_issues(one)
    with pytest.raises(ValueError, match="discrete"):
        plot_zopa_issues(negotiation(extra=True), x="territory", y="guarantee")
    with pytest.raises(ValueError, match="unknown option"):
        plot_zopa_issues(negotiation(extra=True), fixed={"guarantee": "nato"})
    with pytest.raises(ValueError, match="axis of the plot"):
        plot_zopa_issues(neg, fixed={"territory": 0.5})
    with pytest.raises(ValueError, match="unknown concept"):
        plot_zopa_issues(neg, concepts=["nsh"])
    batched = bg.Negotiation(
        neg.agenda,
        [neg.parties[0], bg.Party("Russia", neg.parties[1].utility, np.array([0.2, 0.3]))],
    )
    with pytest.raises(ValueError, match="batched"):
        plot_zopa_issues(batched)


def test_utility_plots():
    F = bg.Frontier.split("linear", ("power", 0.5))
    ax = plot_zopa_utilities(F, [0.2, 0.3], delta=[0.9, 0.9])
    texts = legend_texts(ax)
    assert "Rubinstein" in texts and "disagreement point d" in texts
    rng = np.random.default_rng(0)
    P = rng.random((12, 2))
    ax = plot_zopa_utilities(P, [0.3, 0.3], hull=True)
    assert ax.get_xlabel() == "$u_1$"
    ax = plot_zopa_utilities(P, [2.0, 2.0])
    assert any("ZOPA empty" in t.get_text() for t in ax.texts)
    with pytest.raises(ValueError, match=r"shape \(m, 2\)"):
        plot_zopa_utilities(rng.random((4, 3)), [0, 0, 0])


def test_utility_plot_of_a_negotiation_uses_party_names():
    agenda = bg.Agenda(bg.DiscreteIssue("g", ["none", "treaty", "art5"]))
    a = bg.Party("Kyiv", bg.AdditiveUtility({"g": bg.Table([0, 0.6, 1])}), 0.3)
    b = bg.Party("Moscow", bg.AdditiveUtility({"g": bg.Table([1, 0.5, 0])}), 0.2)
    ax = plot_zopa_utilities(bg.Negotiation(agenda, [a, b]))
    assert ax.get_xlabel() == "utility of Kyiv" and ax.get_ylabel() == "utility of Moscow"


def test_missing_matplotlib_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match=r"pip install bargain\[plot\]"):
        plot_zopa_issues(negotiation())
