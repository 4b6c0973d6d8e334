"""The leverage table says what the slack column is and what each party gains."""

import numpy as np
from numpy.testing import assert_allclose

import bargain as bg
from bargain.mediation._leverage import apply_levers
from bargain.report._text import format_leverage, leverage_rows


def test_leverage_table_labels_and_utility_changes():
    model = bg.load_model("ukraine_russia")
    rows, how = leverage_rows(model)
    text = format_leverage(model, rows, how)
    assert "Δ ZOPA slack" in text
    for p in model.negotiation.names:
        assert f"Δ u {p} (Nash)" in text
    base = model.negotiation.solve("nash").utilities
    levers = model.levers
    for j, row in enumerate(rows):
        # second method: solve the lever-modified negotiation directly (1e-9)
        t = np.zeros(len(levers))
        t[j] = row["intensity"]
        mod, transfer, _, _ = apply_levers(model.negotiation, levers, t)
        after = mod.solve("nash").utilities + transfer  # reported utilities include transfers
        assert_allclose(row["nash_utility_change"], after - base, rtol=0, atol=1e-9)
