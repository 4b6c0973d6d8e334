"""The single negotiating text on the Russia-Ukraine model: 10^4 processes in one call.

Ours: ``bg.single_text(neg, "random", n_random=10_000)`` on the bundled
``ukraine_russia`` model (six discrete issues, 1,782 packages, four parties with
issue control; revisions of up to two issues, the steepest-improvement mediator):
every process advanced one round at a time, all of them in one array operation
per round.

Baselines, on a subsample of starting texts scaled linearly:

- a loop of single runs, ``bg.single_text(neg, start)`` per start (what a user
  of the library writes without batching);
- the same process written with numpy one text at a time, the way a competent
  user would: a precomputed table of each text's admissible revisions, then per
  round the gains ``U[nbrs] - U[cur]``, the consent mask (veto players, and the
  controllers where a revision changes what they hold), the joint gain and an
  ``argmax``. Its answers are asserted equal to ours.

Ours evaluates each distinct text of a round once (the steepest rule's revision
depends only on the draw and the text; the random rule's on the process too, and
its row evaluates every process). Floor: one streaming pass (``sum``) over as many
utility values as that reads, (distinct texts in each round) x (revisions per
text) x (parties), summed over the rounds.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _harness

import bargain as bg
from bargain.mediation._procedure import _Texts


def _numpy_loop(neg, X, starts):
    """Steepest single text, one process at a time, numpy over the revisions."""
    T = _Texts(neg, None, np.empty((0, X.shape[1])), 2, None)
    P, M = T.P, T.M
    new = np.arange(P)[:, None] + T.offsets[None, :]
    ok = np.ones((P, M), dtype=bool)
    for k, v in enumerate(T.valid):
        ok &= v[T.digits[:, k]]
    new = np.where(ok, new, np.arange(P)[:, None])
    ok &= T.feasible[new]  # (P, M): each text's admissible revisions
    U = T.U[0]
    veto = np.flatnonzero(T.vetoes)
    extra = [(i, m) for i, m in T.extra.items()]
    w = np.full(T.n, 1.0 / T.n)
    eps = T.eps
    out = np.empty(len(starts), dtype=np.int64)
    for s, c in enumerate(starts):
        while True:
            nb = new[c]
            D = U[nb] - U[c]  # (M, n)
            good = ok[c] & np.all(D[:, veto] >= -eps, axis=1)
            for i, m in extra:
                good &= (D[:, i] >= -eps) | ~m[nb]
            score = np.where(good, D @ w, -np.inf)
            j = int(np.argmax(score))
            if not score[j] > eps:
                break
            c = nb[j]
        out[s] = c
    return out


def _library_loop(neg, X):
    return [bg.single_text(neg, [x]).coded for x in X]


def run(smoke: bool = False) -> list[dict]:
    neg = bg.load_model("ukraine_russia").negotiation
    n, sub = (200, 20) if smoke else (10_000, 200)
    repeat = 1 if smoke else 5
    res = bg.single_text(neg, "random", n_random=n, rng=1)
    X0 = res.path[:, 0]  # the starting texts, coded
    T = _Texts(neg, None, np.empty((0, X0.shape[1])), 2, None)
    idx0 = (X0 @ np.asarray(T.strides, dtype=float)).astype(np.int64)
    # our answers = the numpy loop's = single runs'
    ref = _numpy_loop(neg, X0, idx0[:sub])
    np.testing.assert_array_equal(T.X[ref], res.coded[:sub])
    one = _library_loop(neg, X0[:5])
    np.testing.assert_array_equal(np.stack(one), res.coded[:5])
    # the floor: as many values as the batched rounds read (distinct texts per round)
    rounds = np.asarray(res.rounds)
    path = np.asarray(res.path) @ np.asarray(T.strides, dtype=float)  # (S, R + 1) text indices
    alive = sum(np.unique(path[rounds >= r, r]).size for r in range(int(rounds.max()) + 1))
    block = np.random.default_rng(0).random(2**20)
    total = alive * T.M * neg.n
    reps, rest = divmod(total, block.size)

    def floor():
        s = 0.0
        for _ in range(reps):
            s += block.sum()
        return s + block[:rest].sum()

    def ours():
        return bg.single_text(neg, "random", n_random=n, rng=1)

    rows = [
        _harness.compare(
            "single negotiating text, ukraine_russia",
            f"{n:,} processes",
            ours,
            f"loop of single runs, bg.single_text per start ({sub:,} scaled)",
            lambda: _library_loop(neg, X0[:sub]),
            repeat=repeat,
            scale=n / sub,
            floor=(f"sum over {total:,} utility values", floor),
        ),
        _harness.compare(
            "single negotiating text, ukraine_russia",
            f"{n:,} processes",
            ours,
            f"numpy per process (revision table, gains, consent, argmax; {sub:,} scaled)",
            lambda: _numpy_loop(neg, X0, idx0[:sub]),
            repeat=repeat,
            scale=n / sub,
        ),
        _harness.compare(
            "single negotiating text, random revisions, ukraine_russia",
            f"{n:,} processes",
            lambda: bg.single_text(neg, "random", n_random=n, rng=1, revision="random"),
            f"loop of single runs, bg.single_text per start ({sub:,} scaled)",
            lambda: [bg.single_text(neg, [x], revision="random", rng=1) for x in X0[:sub]],
            repeat=repeat,
            scale=n / sub,
        ),
    ]
    return rows


if __name__ == "__main__":
    _harness.main(run)
