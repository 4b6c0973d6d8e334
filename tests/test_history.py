"""The historical table: P(ZOPA open), signed terms inside the ZOPA, against second methods."""

import re
from pathlib import Path

import numpy as np
import pytest

import bargain as bg
from bargain.report._history import format_history, history_rows

README = Path(__file__).resolve().parents[1] / "README.md"


def test_signed_terms_inside_by_hand():
    # second method: u_i(signed terms) >= r_i for every party, straight from the utilities
    row = history_rows(["good_friday_1998"], n=0)[0]
    m = bg.load_model("good_friday_1998")
    u = m.negotiation.utilities(dict(m.history.outcome))
    s = float(np.min(u - m.negotiation.reservation))
    assert row["terms_slack"] == pytest.approx(s, abs=1e-12)
    assert row["terms_inside"] == (s >= 0)
    assert "p_open" not in row  # n = 0: no draws


def test_probabilities_match_a_loop_over_the_draws():
    n = 60
    row = history_rows(["paris_vietnam_1968_73"], n=n, seed=4)[0]
    m = bg.load_model("paris_vietnam_1968_73")
    t = bg.sweep(m, n, seed=4, progress=False).table
    hits_open, hits_terms = 0, 0
    for j in range(n):
        mj = m.with_parameters({c[6:]: float(t[c][j]) for c in t.columns if c.startswith("param:")})
        neg = mj.negotiation
        hits_open += not bool(bg.zopa(neg).empty)
        u = neg.utilities(dict(m.history.outcome))
        hits_terms += bool(np.all(u - neg.reservation >= 0))
    assert row["p_open"] == pytest.approx(hits_open / n, abs=1e-12)
    assert row["p_terms_inside"] == pytest.approx(hits_terms / n, abs=1e-12)
    assert row["p_open_se"] == pytest.approx(
        np.sqrt(row["p_open"] * (1 - row["p_open"]) / n), abs=1e-12
    )


def test_readme_table_is_the_command_output():
    """The README's table is `bargain history --markdown`; its model-value columns are checked
    here (the probability columns need 1,000 draws per case: regenerate with the command)."""
    text = README.read_text(encoding="utf-8")
    rows = history_rows(n=0)
    ours = format_history(rows).splitlines()
    lines = [line for line in text.splitlines() if line.startswith("| ")]
    head = ours[0]
    assert head in lines
    table = lines[lines.index(head) + 1 : lines.index(head) + 1 + len(rows)]
    assert len(table) == len(rows)
    for got, want in zip(table, ours[2:], strict=True):
        g, w = got.split(" | "), want.split(" | ")
        assert g[0] == w[0] and g[1] == w[1] and g[3] == w[3] and g[5] == w[5]
        assert g[4].split(";")[0] == w[4].split(";")[0]
        assert g[6].split(";")[0].rstrip(" |") == w[6].split(";")[0].rstrip(" |")
        assert re.fullmatch(r"\d\.\d\d ± \d\.\d\d", g[2])
