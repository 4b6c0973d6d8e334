"""The main output (`bargain` with no arguments) has every part a policy brief needs.

Issue scope item 6: the deal of each concept with each party's gain (and its meaning in
words), the Rubinstein column (the concept the sweep and the report use, same numbers),
the ZOPA as a distribution over options, the leverage table with labelled changes, the
typology with probabilities, a verdict line and the top sensitivities.
"""

import re
import subprocess
import sys

import numpy as np
import pytest

import bargain as bg
from bargain.analysis._sweep import batched_negotiation, evaluate
from bargain.report._brief import outlook
from bargain.report._text import zopa_summary


@pytest.fixture(scope="module")
def main_output():
    out = subprocess.run(
        [sys.executable, "-m", "bargain.cli"], capture_output=True, text=True, check=True
    )
    return out.stdout


def test_every_part_is_there(main_output):
    text = main_output
    m = bg.load_model("ukraine_russia")
    assert text.count("Verdict: ") == 1
    head = next(line for line in text.splitlines() if "Nash" in line and "Rubinstein" in line)
    for concept in ("Nash", "Kalai-Smor.", "Egalitarian", "Utilitarian", "Rubinstein"):
        assert concept in head  # the solution table's header
    for p in m.negotiation.names:
        assert f"gain of {p}" in text
        assert re.search(rf"  {re.escape(p)}: [+-]\d\.\d{{3}} \(no deal", text)
    assert "of the swing from its worst to its best" in text
    assert "How the deals inside the ZOPA distribute over each issue's options" in text
    assert "0%, 10%, 20%, 30%" not in text  # no bare list of every option
    assert "Δ ZOPA slack" in text and all(f"Δ u {p} (Nash)" in text for p in m.negotiation.names)
    assert re.search(r"settlement \d\.\d\d ± \d\.\d\d, symbolic .*, frozen .*, failure ", text)
    assert "Key sensitivities" in text
    assert len(re.findall(r"^  (parties|war|levers)\.[^:]+: rho = [+-]\d\.\d\d$", text, re.M)) == 3


def test_rubinstein_column_is_the_sweep_number(main_output):
    # the point model's Rubinstein utilities equal the sweep pipeline's at the point values
    m = bg.load_model("ukraine_russia")
    from bargain.report._text import solve_all

    sol = solve_all(m)["rubinstein"]
    point = {u.path: np.array([u.value]) for u in m.uncertain}
    out = evaluate(m, point)
    for i, p in enumerate(m.negotiation.names[:2]):
        assert out[f"rubinstein.u.{p}"][0] == pytest.approx(sol["utilities"][i], abs=1e-12)


def test_zopa_distribution_is_a_distribution_matching_enumeration():
    m = bg.load_model("ukraine_russia")
    dist = zopa_summary(m)["distribution"]
    neg = m.negotiation
    X = neg.agenda.enumerate()
    ok = neg.rule_slack(neg.coded_utilities(X), X) >= 0  # second method: the rule slack
    for k, issue in enumerate(neg.agenda.issues):
        shares = dist[issue.name]
        assert sum(shares.values()) == pytest.approx(1.0, abs=1e-12)
        for j, o in enumerate(issue.options):
            assert shares[o] == pytest.approx(np.mean(X[ok, k] == j), abs=1e-12)


def test_outlook_probabilities_are_the_sweep_frequencies():
    m = bg.load_model("ukraine_russia")
    o = outlook(m, n=200, seed=3)
    t = bg.sweep(m, 200, seed=3, progress=False).table
    for k, name in enumerate(("settlement", "symbolic", "frozen", "failure")):
        p, se = o["typology_probabilities"][name]
        assert p == pytest.approx(np.mean(t["typology"] == k), abs=1e-12)
        assert se == pytest.approx(np.sqrt(p * (1 - p) / 200), abs=1e-12)


def test_sweep_deals_are_acceptable_to_every_required_party():
    # 2,000 draws: every Nash deal lies within the red lines and the constraints and has
    # non-negative rule slack (the EU and the US consent where a deal changes what they hold)
    m = bg.load_model("ukraine_russia")
    draws = m.draw(2_000, rng=5)
    out = evaluate(m, draws)
    neg = batched_negotiation(m, draws)
    A = neg.agenda
    X = np.stack([out[f"nash.{n}"] for n in A.names], axis=-1)
    agree = out["nash_agreement"]
    assert agree.mean() > 0.9
    assert np.all(A.feasible(X[agree]))
    U = neg.aligned_utilities(X)
    sigma = np.array(
        [
            neg.rule_slack(U[j][None, None, :], X[j][None, :], neg.reservation[j])[0, 0]
            if agree[j]
            else 0.0
            for j in range(len(X))
        ]
    )
    assert np.all(sigma >= -1e-12)
