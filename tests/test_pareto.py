"""``pareto_frontier`` against a brute-force dominance check (2, 3, 4 parties)."""

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from strategies import COARSE, FINE, point_sets

import bargain as bg


def brute_force(S):
    """Not dominated: no row is ``>=`` everywhere and ``>`` somewhere (all pairs, O(m^2 n))."""
    S = np.asarray(S, dtype=float)
    q, p = S[..., None, :, :], S[..., :, None, :]  # [..., i, j]: does row j dominate row i?
    return ~np.any(np.all(q >= p, axis=-1) & np.any(q > p, axis=-1), axis=-1)


@given(
    S=point_sets(
        n=st.integers(2, 4), m=st.integers(1, 12), resolution=st.sampled_from([2, COARSE, FINE])
    )
)
@example(S=np.array([[1.0, 0.0], [1.0, 0.0]]))  # duplicates of a Pareto point: both kept
@example(S=np.array([[0.5, 0.5], [0.5, 0.5], [1.0, 1.0]]))  # duplicates, both dominated
@example(S=np.array([[1.0, 0.0], [1.0, 0.5], [1.0, 0.5]]))  # ties in u1, dominated first
@example(S=np.array([[0.0, 1.0], [0.5, 1.0], [1.0, 1.0], [1.0, 0.0]]))  # ties in u2
@example(S=np.array([[0.0, 0.0, 1.0], [0.0, 0.0, 1.0], [0.0, 0.0, 0.5]]))
@example(S=np.array([[-0.0, 1.0], [0.0, 1.0]]))  # signed zeros are equal
def test_matches_brute_force(S):
    mask = bg.pareto_frontier(S)
    assert mask.dtype == bool and mask.shape == S.shape[:1]
    assert np.array_equal(mask, brute_force(S))
    assert mask.any()  # a finite set always has a Pareto point


@given(
    S=st.integers(2, 4).flatmap(
        lambda n: st.lists(point_sets(n, st.just(5), COARSE), min_size=6, max_size=6)
    ),
    shape=st.sampled_from([(6,), (2, 3), (3, 2, 1)]),
)
def test_batches_match_brute_force(S, shape):
    S = np.stack(S).reshape(shape + S[0].shape)
    mask = bg.pareto_frontier(S)
    assert mask.shape == shape + (5,)
    assert np.array_equal(mask, brute_force(S))


@given(S=point_sets(n=st.integers(2, 4), m=st.integers(1, 10), resolution=COARSE), data=st.data())
def test_invariant_to_order_and_monotone_rescaling(S, data):
    perm = np.array(data.draw(st.permutations(range(S.shape[0]))))
    mask = bg.pareto_frontier(S)
    assert np.array_equal(bg.pareto_frontier(S[perm]), mask[perm])
    assert np.array_equal(bg.pareto_frontier(3.0 * S**3 - 2.0), mask)


@pytest.mark.parametrize(("m", "n", "batch"), [(1200, 3, ()), (300, 4, (20,)), (2000, 2, (3,))])
def test_large_sets_use_blocks(m, n, batch):
    """Sets big enough that the pairwise comparison is done in blocks (memory bound)."""
    rng = np.random.default_rng(m)
    S = np.round(rng.random(batch + (m, n)) * 50) / 50
    mask = bg.pareto_frontier(S)
    for idx in np.ndindex(batch):
        assert np.array_equal(mask[idx], brute_force(S[idx]))
