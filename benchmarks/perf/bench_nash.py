"""Nash solution on a batch of finite problems, against two baselines.

- a plain Python loop over the problems, each solved with the same numpy
  arithmetic one problem at a time (what a user would write without batching);
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
    size = f"{batch} x {m} points"
    repeat = 1 if smoke else 5
    return [
        _harness.compare(
            "nash, finite sets",
            size,
            lambda: bg.nash(U, d),
            "Python loop over problems",
            lambda: _loop(U, d),
            repeat=repeat,
            baseline_repeat=repeat,
        ),
        _harness.compare(
            "nash, finite sets",
            size,
            lambda: bg.nash(U, d),
            "U.sum() (bandwidth floor)",
            U.sum,
            repeat=repeat,
            baseline_repeat=repeat,
        ),
    ]


if __name__ == "__main__":
    _harness.main(run)
