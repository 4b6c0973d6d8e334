"""Spatial models: Nash per issue, compromise, weighted median; CSV in and out.

Hand-worked cases are in bargain/cases/data/spatial.toml (run by test_cases.py). Here:
independent checks (scipy's bounded scalar minimiser on the Nash objective, brute-force
weighted medians, closed-form limits), the vectorisation contract, agreement with the
issue-space core, CSV round trips and errors.
"""

from pathlib import Path

import numpy as np
import pytest
from scipy.optimize import minimize_scalar

import bargain as bg

DATA = Path(__file__).resolve().parent / "data" / "spatial"


def _problem(rng, n, K, q=None):
    P = rng.uniform(0, 100, (n, K))
    S = rng.uniform(0.1, 1.0, (n, K))
    C = rng.uniform(0.5, 2.0, n)
    if q is None:
        q = np.zeros(K)
    return P, S, C, q


def _scipy_nash(p, w, q, loss):
    """Maximise sum w log gains on the agreement interval with scipy (independent)."""
    r = np.abs(q - p)
    lo, hi = np.max(p - r), np.min(p + r)

    def neg_obj(x):
        z = np.abs(x - p)
        g = r - z if loss == "linear" else r * r - z * z
        return np.inf if np.any(g <= 0) else -np.sum(w * np.log(g))

    pad = 1e-9 * (hi - lo)
    res = minimize_scalar(
        neg_obj, bounds=(lo + pad, hi - pad), method="bounded", options={"xatol": 1e-11}
    )
    return res.x, -res.fun, neg_obj


@pytest.mark.parametrize("loss", ["quadratic", "linear"])
def test_nash_matches_scipy(loss):
    rng = np.random.default_rng(3)
    for _ in range(20):
        n = int(rng.integers(2, 8))
        P, S, C, _ = _problem(rng, n, 1)
        # status quo below every position: agreement always exists
        q = np.array([rng.uniform(0, P.min())])
        res = bg.spatial_nash(P, S, C, q, loss=loss)
        assert res.agreement[0]
        x_ref, f_ref, neg_obj = _scipy_nash(P[:, 0], C * S[:, 0], q[0], loss)
        # our point is at least as good as scipy's, and close to it
        assert -neg_obj(res.x[0]) >= f_ref - 1e-9 * abs(f_ref)
        assert res.x[0] == pytest.approx(x_ref, abs=1e-6)
        # certificate: one-sided derivatives bracket zero
        h = 1e-7
        assert -neg_obj(res.x[0] - h) <= -neg_obj(res.x[0]) + 1e-12
        assert -neg_obj(res.x[0] + h) <= -neg_obj(res.x[0]) + 1e-12


def test_quadratic_first_order_condition():
    rng = np.random.default_rng(4)
    P, S, C, q = _problem(rng, 30, 200)
    res = bg.spatial_nash(P, S, C, q)
    x = res.x
    g = (q - P) ** 2 - (x - P) ** 2
    assert np.all(g > 0)
    # sum_i w_i (x - p_i) / g_i = 0, scaled by the size of the terms
    W = C[:, None] * S
    terms = W * (x - P) / g
    np.testing.assert_array_less(np.abs(terms.sum(axis=0)), 1e-9 * np.abs(terms).sum(axis=0))


def test_remote_status_quo_tends_to_compromise():
    # quadratic loss: as |q| grows the Nash solution tends to the weighted mean, error O(1/q)
    rng = np.random.default_rng(5)
    P, S, C, _ = _problem(rng, 6, 3)
    mean = bg.compromise(P, S, C)
    errs = []
    for q in (-1e3, -1e4, -1e5):
        x = bg.spatial_nash(P, S, C, np.full(3, q)).x
        errs.append(np.max(np.abs(x - mean)))
    assert errs[0] > errs[1] > errs[2]
    assert errs[2] < 1e-1 and errs[1] / errs[2] == pytest.approx(10, rel=0.2)


def test_gaussian_utilities_make_the_compromise_exact():
    # u_i = exp(-(x - p_i)^2), d = 0: sum w log u = -sum w (x - p)^2, maximised at the mean
    rng = np.random.default_rng(6)
    P, S, C, _ = _problem(rng, 5, 1)
    w = C * S[:, 0]
    x = np.linspace(0, 100, 200_001)
    obj = -(w[:, None] * (x[None, :] - P[:, :1]) ** 2).sum(axis=0)
    assert x[np.argmax(obj)] == pytest.approx(bg.compromise(P, S, C)[0], abs=1e-3)


def test_weighted_median_brute_force():
    rng = np.random.default_rng(7)
    for _ in range(50):
        n = int(rng.integers(1, 9))
        P = rng.integers(0, 10, (n, 1)).astype(float)  # ties on purpose
        S = rng.integers(1, 4, (n, 1)).astype(float)
        C = rng.integers(1, 3, n).astype(float)
        w = C * S[:, 0]
        med = bg.weighted_median(P, S, C)[0]
        # the smallest position at which the weight at or below reaches half
        cands = sorted(set(P[:, 0]))
        want = next(c for c in cands if w[P[:, 0] <= c].sum() >= w.sum() / 2)
        assert med == want
        # a weighted median minimises the weighted absolute deviation
        cost = [np.sum(w * np.abs(c - P[:, 0])) for c in cands]
        assert np.sum(w * np.abs(med - P[:, 0])) == pytest.approx(min(cost))


@pytest.mark.parametrize("shape", [(), (3,), (2, 3)])
def test_vectorisation_matches_loop(shape):
    rng = np.random.default_rng(8)
    n, K = 7, 4
    P = rng.uniform(0, 100, shape + (n, K))
    S = rng.uniform(0, 1, shape + (n, K))
    S[S < 0.15] = 0.0  # some actors without a stake
    P[S == 0] = np.nan
    C = rng.uniform(0.5, 2, shape + (n,))
    q = rng.uniform(0, 100, shape + (K,))
    for loss in ("quadratic", "linear"):
        res = bg.spatial_nash(P, S, C, q, loss=loss)
        comp, med = bg.compromise(P, S, C), bg.weighted_median(P, S, C)
        assert res.x.shape == shape + (K,)
        for idx in np.ndindex(*shape):
            one = bg.spatial_nash(P[idx], S[idx], C[idx], q[idx], loss=loss)
            assert np.array_equal(one.x, res.x[idx])
            assert np.array_equal(one.agreement, res.agreement[idx])
            assert np.array_equal(bg.compromise(P[idx], S[idx], C[idx]), comp[idx])
            assert np.array_equal(bg.weighted_median(P[idx], S[idx], C[idx]), med[idx])


def test_hundreds_of_issues_thirty_actors_one_call():
    rng = np.random.default_rng(9)
    P, S, C, q = _problem(rng, 30, 500)
    res = bg.spatial_nash(P, S, C, q, loss="linear")
    assert res.x.shape == (500,) and res.agreement.all()
    assert np.all((res.x > res.lo) & (res.x < res.hi))


def test_no_agreement_when_actors_straddle_the_status_quo():
    res = bg.spatial_nash([[20.0], [80.0]], [[1.0], [1.0]], [1.0, 1.0], [50.0])
    assert not res.agreement[0] and res.x[0] == 50.0
    # an actor sitting at the status quo also blocks any move
    res = bg.spatial_nash([[50.0], [80.0]], [[1.0], [1.0]], [1.0, 1.0], [50.0], loss="linear")
    assert not res.agreement[0] and res.x[0] == 50.0


@pytest.mark.parametrize("loss", ["quadratic", "linear"])
def test_one_issue_equals_issue_space_core(loss):
    # the same problem through Negotiation.solve (the exact two-party issue-space solver)
    # with bargaining weights power x salience
    m = bg.read_spatial(DATA / "eu.csv")
    one = bg.SpatialModel(
        m.actors, ["tax"], m.power, m.position[:, :1], m.salience[:, :1], m.status_quo[:1]
    )
    assert one.negotiation().names == ("A", "B", "D")  # C has no stake in tax
    rng = np.random.default_rng(12)
    for _ in range(5):
        P = rng.uniform(0, 100, (2, 1))
        q = [rng.uniform(0, P.min())]
        S, C = rng.uniform(0.2, 1, (2, 1)), rng.uniform(0.5, 2, 2)
        two = bg.SpatialModel(["a", "b"], ["x"], C, P, S, q)
        core = two.negotiation(loss=loss).solve("nash", weights=C * S[:, 0])
        assert core.agreement
        assert core.outcome["x"] == pytest.approx(two.nash(loss=loss).x[0], abs=1e-9)


def test_negotiation_utilities_are_ideal_point_losses():
    m = bg.read_spatial(DATA / "eu.csv")
    neg = m.negotiation(loss="quadratic")
    X = neg.agenda.sample(50, rng=0)
    U = neg.utilities(X)
    for j, name in enumerate(neg.names):
        i = m.actors.index(name)
        st = m.stake[i]
        want = -np.sum(m.salience[i, st] * (X[:, st] - m.position[i, st]) ** 2, axis=1)
        np.testing.assert_allclose(U[:, j], want, rtol=1e-13)
        q_loss = -np.sum(m.salience[i, st] * (m.status_quo[st] - m.position[i, st]) ** 2)
        assert neg.reservation[j] == pytest.approx(q_loss, rel=1e-13)


def test_csv_round_trip(tmp_path):
    m = bg.read_spatial(DATA / "eu.csv")
    assert m.actors == ("A", "B", "C", "D") and m.issues == ("tax", "budget")
    assert np.isnan(m.position[0, 1]) and m.salience[0, 1] == 0
    assert np.array_equal(m.status_quo, [0.0, 50.0])
    back = bg.read_spatial(bg.write_spatial(m, tmp_path / "m.csv"))
    assert back.actors == m.actors and back.issues == m.issues
    for key in ("power", "position", "salience", "status_quo"):
        assert np.array_equal(getattr(back, key), getattr(m, key), equal_nan=True)


@pytest.mark.parametrize("loss", ["quadratic", "linear"])
def test_negotiation_round_trip_through_csv(tmp_path, loss):
    rng = np.random.default_rng(11)
    P, S, C, q = _problem(rng, 8, 5, q=rng.uniform(0, 100, 5))
    S[0, 1] = 0.0
    P[0, 1] = np.nan
    m = bg.SpatialModel([f"a{i}" for i in range(8)], [f"i{k}" for k in range(5)], C, P, S, q)
    neg = m.negotiation(loss=loss)
    f = bg.write_spatial(neg, tmp_path / "neg.csv", status_quo=q)
    back = bg.read_spatial(f).negotiation(loss=loss)
    X = neg.agenda.sample(100, rng=1)
    np.testing.assert_array_equal(back.utilities(X), neg.utilities(X))
    np.testing.assert_array_equal(back.reservation, neg.reservation)
    np.testing.assert_array_equal(back.powers, neg.powers)


@pytest.mark.parametrize(
    ("name", "pattern"),
    [
        ("bad_header.csv", r"bad_header\.csv: header columns 3 and 4 must be"),
        ("no_power.csv", r"no_power\.csv: row 2 \('A'\), column 'power'"),
        (
            "bad_number.csv",
            r"bad_number\.csv: row 2, column 'tax\.position': expected a number, got 'abc'",
        ),
        (
            "off_scale.csv",
            r"off_scale\.csv: actor 'A': position 120\.0 on issue 'tax' is off the scale",
        ),
    ],
)
def test_csv_errors(name, pattern):
    with pytest.raises(ValueError, match=pattern):
        bg.read_spatial(DATA / name)


def test_salience_without_position_is_no_stake_and_counted():
    m = bg.read_spatial(DATA / "salience_no_position.csv")
    assert not m.stake[0, 0] and m.stake[1, 0]
    assert m.missing["positions"] == 1 and m.missing["salience_without_position"] == 1
    np.testing.assert_array_equal(m.compromise(), [40.0])


def test_argument_errors():
    P, S, C = [[20.0], [60.0]], [[1.0], [1.0]], [1.0, 1.0]
    with pytest.raises(ValueError, match="`loss` must be"):
        bg.spatial_nash(P, S, C, [0.0], loss="cubic")
    with pytest.raises(ValueError, match="`power` must be positive"):
        bg.compromise(P, S, [1.0, 0.0])
    with pytest.raises(ValueError, match=r"`status_quo` must have shape \(\.\.\., 1\)"):
        bg.spatial_nash(P, S, C, [0.0, 1.0])
    with pytest.raises(ValueError, match="missing \\(NaN\\) where the actor has a positive"):
        bg.compromise([[np.nan], [60.0]], S, C)
    with pytest.raises(ValueError, match="no actor with a stake"):
        bg.weighted_median(P, [[0.0], [0.0]], C)
    m = bg.SpatialModel(["A", "B"], ["x"], C, P, S)
    with pytest.raises(ValueError, match="no status quo"):
        m.nash()
