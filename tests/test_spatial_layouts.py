"""Spatial data as researchers have it: the DEU layout (issue rows), delimiters, missing cells.

The file here is synthetic, in the layout of the DEU data sets of EU legislative
decisions (one row per issue; ``p<actor>``/``s<actor>`` columns; a status quo column;
a capability row; tab-separated; many empty cells). The expected numbers are computed
in the test from the same cells with plain numpy, not with the library.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import bargain as bg

ACTORS = ["AUS", "BEL", "DEN", "FRA"]
CAP = [10.0, 12.0, 7.0, 29.0]
# issue -> (sq, [(position, salience) per actor; None for an empty cell])
ISSUES = {
    "1.1": (0, [(50, 60), (100, 80), (0, 40), (100, 90)]),
    "1.2": (100, [(None, None), (40, 50), (60, 30), (0, 70)]),  # AUS: no stake
    "2.1": (None, [(30, 50), (70, 50), (None, None), (50, 20)]),  # no status quo
    "3.1": (20, [(80, None), (80, 40), (20, 60), (60, 60)]),  # AUS: no salience
    "4.1": (50, [(10, 90), (None, 30), (90, 10), (50, 50)]),  # BEL: salience, no position
}


def _cell(v):
    return "" if v is None else f"{v:g}"


def _deu_text():
    head = ["id", "description", "sq"] + [f"{c}{a}" for a in ACTORS for c in "ps"]
    lines = ["\t".join(head)]
    for name, (sq, cells) in ISSUES.items():
        row = [name, f"issue {name}", _cell(sq)]
        for p, s in cells:
            row += [_cell(p), _cell(s)]
        lines.append("\t".join(row))
    cap = ["capability", "", ""] + [x for c in CAP for x in (f"{c:g}", "")]
    lines.append("\t".join(cap))
    return "\n".join(lines) + "\n"


def _matrices(impute_with):
    """Positions, weights (capability x salience) and stake, by hand from the cells."""
    K, n = len(ISSUES), len(ACTORS)
    P = np.full((n, K), np.nan)
    S = np.zeros((n, K))
    for k, (_, cells) in enumerate(ISSUES.values()):
        for i, (p, s) in enumerate(cells):
            if p is None:
                continue  # no position: no stake, whatever the salience
            P[i, k] = p
            S[i, k] = impute_with(i, k) if s is None else s
    W = np.array(CAP)[:, None] * S
    return P, W, W > 0


def _mean_known_salience(i, k):
    vals = [
        s
        for kk, (_, cells) in enumerate(ISSUES.values())
        for ii, (p, s) in enumerate(cells)
        if ii == i and kk != k and p is not None and s is not None
    ]
    return float(np.mean(vals))


@pytest.fixture()
def deu(tmp_path):
    path = tmp_path / "deu_synthetic.tsv"
    path.write_text(_deu_text(), encoding="utf-8")
    return path


def test_deu_layout_reads_and_reproduces_the_hand_compromise(deu):
    m = bg.read_spatial(deu, missing_salience="impute")
    assert m.actors == tuple(ACTORS) and m.issues == tuple(ISSUES)
    np.testing.assert_array_equal(m.power, CAP)
    P, W, stake = _matrices(_mean_known_salience)
    want = np.nansum(np.where(stake, W * P, 0.0), axis=0) / W.sum(axis=0)
    np.testing.assert_allclose(m.compromise(), want, rtol=1e-13)
    # the counts of what the policy did
    assert m.missing["positions"] == 3  # AUS on 1.2, DEN on 2.1, BEL on 4.1
    assert m.missing["saliences"] == 1  # AUS on 3.1, imputed
    assert m.missing["salience_without_position"] == 1  # BEL on 4.1: ignored
    assert m.missing["status_quo"] == ["2.1"]
    assert m.missing["policy"] == "impute"


def test_missing_status_quo_disables_only_the_nash_of_that_issue(deu):
    m = bg.read_spatial(deu, missing_salience="impute")
    assert np.isnan(m.status_quo[2]) and not np.isnan(m.status_quo[[0, 1, 3, 4]]).any()
    res = m.nash(loss="linear")
    np.testing.assert_array_equal(res.status[2], 2)
    assert np.isnan(res.x[2]) and "2.1" in res.message
    keep = [0, 1, 3, 4]
    P, W, _ = _matrices(_mean_known_salience)  # the cells by hand, not as read
    S = W / np.array(CAP)[:, None]
    sq = np.array([q for q, _ in ISSUES.values()], dtype=float)
    ref = bg.spatial_nash(P[:, keep], S[:, keep], CAP, sq[keep], loss="linear")
    np.testing.assert_array_equal(res.x[keep], ref.x)
    np.testing.assert_array_equal(res.status[keep], np.where(ref.agreement, 0, 1))
    # the median and the compromise need no status quo: finite everywhere
    assert np.isfinite(m.weighted_median()).all() and np.isfinite(m.compromise()).all()
    with pytest.raises(ValueError, match=r"unknown on issue\(s\) \['2\.1'\]"):
        m.negotiation()


def test_missing_salience_policies(deu):
    with pytest.raises(
        ValueError, match=r"actor 'AUS' has a position but no salience on issue '3\.1'"
    ):
        bg.read_spatial(deu)  # the default policy is an error
    d = bg.read_spatial(deu, missing_salience="default", salience_default=25.0)
    assert d.salience[0, 3] == 25.0
    none = bg.read_spatial(deu, missing_salience="no_stake")
    assert not none.stake[0, 3] and np.isnan(none.position[0, 3])
    with pytest.raises(ValueError, match="salience_default"):
        bg.read_spatial(deu, missing_salience="default")
    with pytest.raises(ValueError, match="`missing_salience`"):
        bg.read_spatial(deu, missing_salience="guess")


def test_layouts_delimiters_and_frames_agree(deu, tmp_path):
    m = bg.read_spatial(deu, missing_salience="impute")
    # actor rows, comma-separated, written by the library: the same model
    back = bg.read_spatial(bg.write_spatial(m, tmp_path / "actors.csv"))
    np.testing.assert_array_equal(back.position, m.position)
    np.testing.assert_array_equal(back.salience, m.salience)
    np.testing.assert_array_equal(back.power, m.power)
    np.testing.assert_array_equal(back.status_quo, m.status_quo)  # NaN where unknown
    # the DEU file through pandas, then from_frame
    df = pd.read_csv(deu, sep="\t", dtype=str, keep_default_na=False)
    f = bg.SpatialModel.from_frame(df, missing_salience="impute")
    np.testing.assert_array_equal(f.compromise(), m.compromise())
    for layout in ("actors", "issues"):
        g = bg.SpatialModel.from_frame(m.to_frame(layout))
        np.testing.assert_array_equal(g.position, m.position)
        np.testing.assert_array_equal(g.salience, m.salience)
        np.testing.assert_array_equal(g.power, m.power)
    # a semicolon file with other column names
    text = _deu_text().replace("\t", ";").replace("\tsq", "\tSQ")
    for a in ACTORS:
        text = text.replace(f"p{a}", f"{a}_pos").replace(f"s{a}", f"{a}_sal")
    semi = tmp_path / "deu.txt"
    semi.write_text(text, encoding="utf-8")
    h = bg.read_spatial(
        semi, position="{actor}_pos", salience="{actor}_sal", missing_salience="impute"
    )
    np.testing.assert_array_equal(h.compromise(), m.compromise())


def test_layout_errors_name_what_is_wrong(tmp_path):
    bad = tmp_path / "x.tsv"
    bad.write_text("id\tsq\tpA\tpB\tsB\nt\t0\t1\t2\t3\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"without salience: \['A'\]"):
        bg.read_spatial(bad)
    none = tmp_path / "y.tsv"
    none.write_text("id\tsq\tfoo\nt\t0\t1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no position columns"):
        bg.read_spatial(none)
    cap = tmp_path / "z.tsv"
    cap.write_text("id\tsq\tpA\tsA\nt\t0\t1\t2\ncapability\t\t-1\t\n", encoding="utf-8")
    with pytest.raises(ValueError, match="positive capability"):
        bg.read_spatial(cap)
    with pytest.raises(ValueError, match="`layout`"):
        bg.read_spatial(cap, layout="wide")
    with pytest.raises(ValueError, match="`position`"):
        bg.read_spatial(cap, position="p{who}")
