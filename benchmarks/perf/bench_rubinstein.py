"""Rubinstein SPE on large batches, against the numpy one-liner and a Python loop.

- pie split: 10^7 problems (random discount factors) in one ``bg.rubinstein`` call,
  twice: against the vectorised closed form a competent user would type,
  ``(1 - d2) / (1 - d1 * d2)`` (target: ours within 3x of it; ours also
  validates the input and returns both parties' utilities, deriving the other
  fields only when read), with the streaming floor ``delta.copy()`` (read the
  input once, write an array of the output's size once); and against a Python
  loop over the problems with the closed form (the baseline a user would write),
  and, kept from earlier reports, one that solves the stationary condition
  ``1 - x = delta2 (1 - delta1 x)`` with ``brentq`` problem by problem;
- concave frontier: 10^5 problems ``u = (t^p1, (1 - t)^p2)`` with random
  exponents and discount factors in one call, twice:

  * built with ``bg.Frontier.split``, which knows the closed-form inverse of
    ``u1`` (one vectorised bracketed solve in ``x``); the baseline runs
    ``brentq`` on ``(1 - x)^p2 - delta2 (1 - y(x))^p2`` with the same
    closed-form inverse ``y(x) = (delta1 x^p1)^(1/p1)`` in plain-Python
    ``math`` (one bracketing solve per problem, the strongest scalar
    baseline);
  * built as a plain ``bg.Frontier(u)`` from a callable, so that ours knows
    only ``t -> u(t)`` (no inverse, no derivative: nested vectorised
    root-finding); the baseline has the same information (the frontier
    called on scalars): nested ``brentq``, the inner one inverting ``u1``.

- lotteries over packages: 10^4 problems of 50 random packages each in one call
  (``hull=True``); the baseline, per problem, takes the hull with
  ``scipy.spatial.ConvexHull``, keeps its Pareto-optimal vertices and runs
  ``brentq`` on the stationary condition ``phi(z) = a2 phi(max(a1 z, z0))`` with
  ``phi`` = ``np.interp`` over the chain.

The baselines run on a subsample (10^4 and 10^3 problems) and are scaled
linearly to the full size (``scale`` in the harness); both answers are
compared on the subsample first.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from scipy.optimize import brentq

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _harness

import bargain as bg

XTOL = dict(xtol=1e-15, rtol=4 * np.finfo(float).eps)


def _one_liner(delta):
    d1, d2 = delta[:, 0], delta[:, 1]
    return (1 - d2) / (1 - d1 * d2)


def _hull_loop(S, delta):
    """Per problem: scipy's convex hull, its Pareto chain, brentq on the SPE condition."""
    from scipy.spatial import ConvexHull

    out = np.empty(len(S))
    for k in range(len(S)):
        P = S[k]
        V = P[ConvexHull(P).vertices]
        V = V[np.lexsort((-V[:, 1], -V[:, 0]))]  # u1 descending
        keep = V[:, 1] > np.concatenate([[-np.inf], np.maximum.accumulate(V[:-1, 1])])
        V = V[keep][::-1]  # the Pareto chain, u1 ascending
        X, Y = V[:, 0], V[:, 1]
        a1, a2 = delta[k]

        def g(z, X=X, Y=Y, a1=a1, a2=a2):
            return np.interp(z, X, Y) - a2 * np.interp(max(a1 * z, X[0]), X, Y)

        # party 1's best vertex when even it leaves party 2 enough, else the root
        out[k] = X[-1] if len(X) == 1 or g(X[-1]) >= 0 else brentq(g, X[0], X[-1], **XTOL)
    return out


def _pie_closed_loop(delta):
    """Per problem, the closed form in plain Python (what a user writes without numpy)."""
    out = np.empty(len(delta))
    for k, (d1, d2) in enumerate(delta.tolist()):
        out[k] = (1 - d2) / (1 - d1 * d2)
    return out


def _pie_loop(delta):
    out = np.empty(len(delta))
    for k, (d1, d2) in enumerate(delta.tolist()):
        out[k] = brentq(lambda x, d1=d1, d2=d2: (1 - x) - d2 * (1 - d1 * x), 0.0, 1.0, **XTOL)
    return out


def _frontier_loop(delta, p1, p2):
    out = np.empty(len(delta))
    for k, ((d1, d2), q1, q2) in enumerate(
        zip(delta.tolist(), p1.tolist(), p2.tolist(), strict=True)
    ):

        def g(x, d1=d1, d2=d2, q1=q1, q2=q2):
            y = (d1 * x**q1) ** (1 / q1)  # u1(y) = delta1 u1(x)
            return (1 - x) ** q2 - d2 * (1 - y) ** q2

        out[k] = brentq(g, 0.0, 1.0, **XTOL)
    return out


def _power_frontier(t, q1, q2):
    return np.stack(np.broadcast_arrays(t**q1, (1.0 - t) ** q2), axis=-1)


def _frontier_loop_general(F, delta):
    """Nested brentq on the Frontier object itself (no inverse of u1 known)."""
    out = np.empty(len(delta))
    for k, (d1, d2) in enumerate(delta.tolist()):
        args = tuple(float(np.broadcast_to(a, F.batch_shape)[k]) for a in F.args)

        def u(t, args=args):
            return F(t, *args)

        def y_of(x, d1=d1, u=u):
            target = d1 * u(x)[0]
            return brentq(lambda t: u(t)[0] - target, 0.0, x, **XTOL) if x > 0 else 0.0

        def g(x, d2=d2, u=u, y_of=y_of):
            return u(x)[1] - d2 * u(y_of(x))[1]

        out[k] = brentq(g, 0.0, 1.0, **XTOL)
    return out


def run(smoke: bool = False) -> list[dict]:
    rng = np.random.default_rng(0)
    n_pie, sub_pie = (10_000, 100) if smoke else (10_000_000, 10_000)
    n_fr, sub_fr = (200, 20) if smoke else (100_000, 1_000)
    sub_gen = 5 if smoke else 200
    repeat = 1 if smoke else 3

    delta = rng.uniform(0.05, 0.95, (n_pie, 2))
    ours = bg.rubinstein(delta)
    base = _pie_loop(delta[:sub_pie])
    assert np.allclose(ours.x[:sub_pie], base, rtol=0, atol=1e-13), "pie answers differ"
    assert np.allclose(ours.x, _pie_closed_loop(delta), rtol=0, atol=1e-13)
    assert np.allclose(ours.utilities[:, 0], _one_liner(delta), rtol=1e-14, atol=0)
    rows = [
        _harness.compare(
            "rubinstein, pie split (utilities)",
            f"{n_pie:,} problems",
            lambda: bg.rubinstein(delta).utilities,
            "numpy one-liner (1 - d2) / (1 - d1 * d2)",
            lambda: _one_liner(delta),
            repeat=5 if smoke else 11,
            baseline_repeat=5 if smoke else 11,
            floor=("delta.copy()", delta.copy),
        ),
        _harness.compare(
            "rubinstein, pie split",
            f"{n_pie:,} problems",
            lambda: bg.rubinstein(delta),
            "Python loop, the closed form per problem",
            lambda: _pie_closed_loop(delta),
            repeat=repeat,
        ),
        _harness.compare(
            "rubinstein, pie split",
            f"{n_pie:,} problems",
            lambda: bg.rubinstein(delta),
            f"Python loop, brentq per problem ({sub_pie:,} scaled; earlier baseline)",
            lambda: _pie_loop(delta[:sub_pie]),
            repeat=repeat,
            scale=n_pie / sub_pie,
        ),
    ]

    p1 = rng.uniform(0.2, 1.0, n_fr)
    p2 = rng.uniform(0.2, 1.0, n_fr)
    dfr = rng.uniform(0.05, 0.99, (n_fr, 2))
    F = bg.Frontier.split(("power", p1), ("power", p2))
    ours = bg.rubinstein(dfr, F)
    assert np.all(ours.success)
    base = _frontier_loop(dfr[:sub_fr], p1[:sub_fr], p2[:sub_fr])
    assert np.allclose(ours.x[:sub_fr], base, rtol=0, atol=1e-12), "frontier answers differ"
    rows.append(
        _harness.compare(
            "rubinstein, concave frontier",
            f"{n_fr:,} problems",
            lambda: bg.rubinstein(dfr, F),
            f"Python loop, brentq per problem ({sub_fr:,} scaled)",
            lambda: _frontier_loop(dfr[:sub_fr], p1[:sub_fr], p2[:sub_fr]),
            repeat=repeat,
            scale=n_fr / sub_fr,
        )
    )
    Fg = bg.Frontier(_power_frontier, args=(p1, p2))  # no inverse or derivative known
    ours = bg.rubinstein(dfr, Fg)
    assert np.all(ours.success)
    base = _frontier_loop_general(Fg, dfr[:sub_gen])
    assert np.allclose(ours.x[:sub_gen], base, rtol=0, atol=1e-12), "frontier answers differ"
    rows.append(
        _harness.compare(
            "rubinstein, concave frontier (u only)",
            f"{n_fr:,} problems",
            lambda: bg.rubinstein(dfr, Fg),
            f"Python loop, nested brentq on the Frontier ({sub_gen:,} scaled)",
            lambda: _frontier_loop_general(Fg, dfr[:sub_gen]),
            repeat=repeat,
            scale=n_fr / sub_gen,
        )
    )
    n_h, sub_h = (100, 20) if smoke else (10_000, 1_000)
    S = rng.uniform(0.0, 1.0, (n_h, 50, 2))
    dh = rng.uniform(0.05, 0.95, (n_h, 2))
    ours = bg.rubinstein(dh, S, hull=True)
    assert np.all(ours.agreement)
    base = _hull_loop(S[:sub_h], dh[:sub_h])
    assert np.allclose(ours.x[:sub_h], base, rtol=0, atol=1e-12), "hull answers differ"
    rows.append(
        _harness.compare(
            "rubinstein, lotteries over 50 packages",
            f"{n_h:,} problems",
            lambda: bg.rubinstein(dh, S, hull=True).utilities,
            f"Python loop, ConvexHull + brentq per problem ({sub_h:,} scaled)",
            lambda: _hull_loop(S[:sub_h], dh[:sub_h]),
            repeat=repeat,
            scale=n_h / sub_h,
        )
    )
    return rows


if __name__ == "__main__":
    _harness.main(run)
