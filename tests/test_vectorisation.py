"""A batched call equals a loop of single calls, for every batched solver.

Batch shapes (), (12,), (3, 4), (3, 2, 2) as in scipy's
``tests/test_chandrupatla.py::test_vectorization``; then broadcasting of ``d``
and ``weights`` against the batch dimensions of ``S``.
"""

import numpy as np
import pytest
from numpy.testing import assert_allclose
from strategies import CONCEPTS, solve

import bargain as bg

SHAPES = [(), (12,), (3, 4), (3, 2, 2)]
FIELDS = ("utilities", "agreement", "status", "success", "index", "lottery", "x")


def _problems(shape, m, n, seed=0, grid=None):
    rng = np.random.default_rng(seed)
    S = rng.random(shape + (m, n))
    if grid:  # ties and duplicates
        S = np.round(S * grid) / grid
    d = rng.uniform(-0.2, 0.7, shape + (n,))
    w = rng.uniform(0.1, 1.0, shape + (n,))
    return S, d, w


def _assert_equal_to_loop(batched, singles, shape, exact=True):
    for key in FIELDS:
        if key not in batched:
            continue
        got = np.asarray(batched[key])
        assert got.shape[: len(shape)] == shape, key
        for idx in np.ndindex(shape):
            want = np.asarray(singles[idx][key])
            if exact or got.dtype.kind in "bi":
                assert np.array_equal(got[idx], want), (key, idx)
            else:
                assert_allclose(got[idx], want, rtol=1e-14, atol=1e-15, err_msg=f"{key} {idx}")
    assert isinstance(batched.message, str)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("concept", sorted(CONCEPTS))
@pytest.mark.parametrize("n", [2, 3])
@pytest.mark.parametrize("grid", [None, 3])
def test_points(shape, concept, n, grid):
    S, d, w = _problems(shape, 6, n, seed=len(shape), grid=grid)
    batched = solve(concept, S, d, w)
    singles = {idx: solve(concept, S[idx], d[idx], w[idx]) for idx in np.ndindex(shape)}
    _assert_equal_to_loop(batched, singles, shape)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("concept", sorted(CONCEPTS))
@pytest.mark.parametrize("grid", [None, 3])
def test_hull2(shape, concept, grid):
    S, d, w = _problems(shape, 6, 2, seed=len(shape) + 10, grid=grid)
    batched = solve(concept, S, d, w, hull=True)
    singles = {idx: solve(concept, S[idx], d[idx], w[idx], hull=True) for idx in np.ndindex(shape)}
    _assert_equal_to_loop(batched, singles, shape)


@pytest.mark.parametrize("shape", [(), (3,), (2, 1)])  # one LP / cvxpy problem each
@pytest.mark.parametrize("concept", sorted(CONCEPTS))
def test_hulln(shape, concept):
    S, d, w = _problems(shape, 4, 3, seed=len(shape) + 20)
    batched = solve(concept, S, d, w, hull=True)
    singles = {idx: solve(concept, S[idx], d[idx], w[idx], hull=True) for idx in np.ndindex(shape)}
    _assert_equal_to_loop(batched, singles, shape, exact=False)


def _frontier_params(shape, seed):
    rng = np.random.default_rng(seed)
    return dict(
        p1=rng.uniform(0.2, 1.0, shape),
        a2=rng.uniform(0.2, 5.0, shape),
        scale=rng.uniform(0.5, 3.0, shape + (2,)),
        d=rng.uniform(-0.2, 0.9, shape + (2,)),
        w=rng.uniform(0.1, 1.0, shape + (2,)),
    )


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("concept", sorted(CONCEPTS))
def test_frontier(shape, concept):
    """Batched value-function parameters, scales, ``d`` and weights."""
    q = _frontier_params(shape, seed=len(shape) + 30)
    F = bg.Frontier.split(("power", q["p1"]), ("cara", q["a2"]), scale=q["scale"])
    assert F.batch_shape == shape
    batched = solve(concept, F, q["d"], q["w"])
    singles = {}
    for idx in np.ndindex(shape):
        Fi = bg.Frontier.split(
            ("power", float(q["p1"][idx])), ("cara", float(q["a2"][idx])), scale=q["scale"][idx]
        )
        singles[idx] = solve(concept, Fi, q["d"][idx], q["w"][idx])
    # Chandrupatla's iterations are elementwise; allow for rounding in pow/exp only
    _assert_equal_to_loop(batched, singles, shape, exact=False)


@pytest.mark.parametrize("concept", sorted(CONCEPTS))
def test_frontier_batch_from_d_alone(concept):
    """One frontier, a batch of disagreement points (and weights broadcast against them)."""
    F = bg.Frontier.split("linear", ("power", 0.5))
    rng = np.random.default_rng(40)
    d = rng.uniform(-0.2, 0.9, (3, 4, 2))
    w = rng.uniform(0.1, 1.0, (4, 2))
    batched = solve(concept, F, d, w)
    singles = {idx: solve(concept, F, d[idx], w[idx[1:]]) for idx in np.ndindex(3, 4)}
    _assert_equal_to_loop(batched, singles, (3, 4), exact=False)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("n", [2, 3, 4])
def test_pareto_frontier(shape, n):
    rng = np.random.default_rng(50 + n)
    S = np.round(rng.random(shape + (9, n)) * 3) / 3  # ties and duplicates
    mask = bg.pareto_frontier(S)
    assert mask.shape == shape + (9,)
    for idx in np.ndindex(shape):
        assert np.array_equal(mask[idx], bg.pareto_frontier(S[idx])), idx


@pytest.mark.parametrize("hull", [False, True])
@pytest.mark.parametrize("concept", sorted(CONCEPTS))
def test_broadcasting_d_and_weights(hull, concept):
    """``S`` (3, 1, m, n), ``d`` (4, n), ``weights`` (3, 4, n) -> batch (3, 4)."""
    rng = np.random.default_rng(60)
    S = rng.random((3, 1, 5, 2))
    d = rng.uniform(-0.2, 0.6, (4, 2))
    w = rng.uniform(0.1, 1.0, (3, 4, 2))
    batched = solve(concept, S, d, w, hull=hull)
    singles = {
        (i, j): solve(concept, S[i, 0], d[j], w[i, j], hull=hull) for i, j in np.ndindex(3, 4)
    }
    _assert_equal_to_loop(batched, singles, (3, 4))
    # a single problem against a batch of d, unbatched weights
    batched = solve(concept, S[0, 0], d, w[0, 0], hull=hull)
    singles = {(j,): solve(concept, S[0, 0], d[j], w[0, 0], hull=hull) for j in range(4)}
    _assert_equal_to_loop(batched, singles, (4,))


def test_weights_are_normalised_and_scale_free():
    """``weights`` and ``c * weights`` give the same answer (they are normalised)."""
    S, d, w = _problems((5,), 6, 2, seed=70)
    for concept in ("nash", "egalitarian", "utilitarian"):
        a = solve(concept, S, d, w, hull=True)
        b = solve(concept, S, d, 7.0 * w, hull=True)
        assert_allclose(a.utilities, b.utilities, rtol=1e-12, atol=1e-14)


def test_scalar_batch_returns_scalars():
    S, d, w = _problems((), 6, 2, seed=80)
    res = bg.nash(S, d, w)
    assert np.ndim(res.index) == 0 and np.ndim(res.agreement) == 0
    assert res.utilities.shape == (2,)
    F = bg.Frontier.split("linear", "linear")
    res = bg.nash(F, [0.0, 0.0])
    assert np.ndim(res.x) == 0 and res.utilities.shape == (2,)
