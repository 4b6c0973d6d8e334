"""Nash solution on a batch of finite problems, against a per-problem loop and the floor.

- the loop a competent user writes without batching: per problem, the gains
  ``G = U[k] - d``, their product where both are positive, ``argmax`` (equal
  weights need no logarithms);
- the loop kept from earlier reports for continuity (masks and logarithms per
  problem, which flatters the batched solver);
- one streaming pass over the same utility array (``U.sum()``): the
  memory-bandwidth floor that no solver reading the data can beat.

Full size: 1,000 problems of 1,000 points each (two parties).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _harness

import bargain as bg


def _loop(U, d):
    """Per problem, the product of the positive gains and its argmax."""
    out = np.empty(U.shape[0], dtype=np.intp)
    for k in range(U.shape[0]):
        G = U[k] - d
        prod = np.where((G[:, 0] > 0) & (G[:, 1] > 0), G[:, 0] * G[:, 1], -np.inf)
        out[k] = np.argmax(prod)
    return out


def _loop_logs(U, d):
    """The earlier baseline: masks and logarithms per problem."""
    out = np.empty(U.shape[0], dtype=np.intp)
    for k in range(U.shape[0]):
        G = U[k] - d
        ok = np.all(G > 0, axis=1)
        score = np.full(G.shape[0], -np.inf)
        score[ok] = np.log(G[ok]).sum(axis=1)
        out[k] = np.argmax(score)
    return out


def run(smoke: bool = False) -> list[dict]:
    batch, m = (20, 50) if smoke else (1000, 1000)
    rng = np.random.default_rng(0)
    U = rng.random((batch, m, 2))
    d = np.array([0.1, 0.2])
    ours = bg.nash(U, d)
    assert np.array_equal(ours.index, _loop(U, d)), "batched and looped answers differ"
    assert np.array_equal(ours.index, _loop_logs(U, d)), "batched and looped answers differ"
    size = f"{batch} x {m} points"
    repeat = 3 if smoke else 11
    floor = ("U.sum() (bandwidth floor)", U.sum)
    return [
        _harness.compare(
            "nash, finite sets",
            size,
            lambda: bg.nash(U, d),
            "per-problem loop, product of the gains",
            lambda: _loop(U, d),
            repeat=repeat,
            baseline_repeat=repeat,
            floor=floor,
        ),
        _harness.compare(
            "nash, finite sets",
            size,
            lambda: bg.nash(U, d),
            "per-problem loop, masks and logs (earlier baseline)",
            lambda: _loop_logs(U, d),
            repeat=repeat,
            baseline_repeat=repeat,
            floor=floor,
        ),
    ]


if __name__ == "__main__":
    _harness.main(run)
