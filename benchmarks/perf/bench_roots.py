"""The package's one root-finder against SciPy's elementwise solver, on the same problems.

The problems are what the frontier kernels solve: the first-order condition
of the Nash product on batches of concave frontiers (``Frontier.split`` with
a power value function of random exponent and random disagreement points),
a monotone function of the frontier parameter on ``[0, 1]``. Ours is
:func:`bargain._core._roots.solve_increasing` (Brent's safeguarded secant,
vectorised); the baseline is ``scipy.optimize.elementwise.find_root``
(Chandrupatla's method) with the tolerances the library used with it. Both
must agree to 1e-12; the floor is one evaluation of the function on the
whole batch (any bracketing method needs a few dozen).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _harness

from bargain._core._roots import clean, solve_increasing


def _problem(B, seed=0):
    rng = np.random.default_rng(seed)
    p = rng.uniform(0.2, 1.0, B)
    d = rng.uniform(0.0, 0.2, (B, 2))

    def f(t, p, d1, d2):
        u1, u2 = t, (1.0 - t) ** p
        du1, du2 = 1.0, -p * (1.0 - t) ** (p - 1.0)
        return -(du1 * (u2 - d2) + du2 * (u1 - d1))

    lo, hi = d[:, 0].copy(), 1.0 - d[:, 1] ** (1.0 / p)
    return f, lo, hi, (p, d[:, 0], d[:, 1])


def scipy_increasing(f, lo, hi, args):
    """The library's former wrapper of SciPy's ``find_root`` (same conventions)."""
    from scipy.optimize.elementwise import find_root

    t = lo.copy()
    with np.errstate(all="ignore"):
        fl, fh = clean(f(lo, *args)), clean(f(hi, *args))
    t = np.where(fl >= 0, lo, hi)
    inner = (fl < 0) & (fh > 0) & (lo < hi)
    j = np.flatnonzero(inner)
    if j.size:

        def g(x, *a):
            with np.errstate(all="ignore"):
                return clean(f(x, *a))

        width = float(np.max(hi[j] - lo[j]))
        res = find_root(
            g,
            (lo[j], hi[j]),
            args=tuple(a[j] for a in args),
            tolerances=dict(
                xatol=1e-300 * max(width, 1.0), xrtol=4 * np.finfo(float).eps, fatol=0.0, frtol=0.0
            ),
        )
        t[j] = res.x
    return t


def run(smoke: bool = False) -> list[dict]:
    rows = []
    sizes = (1, 100) if smoke else (1, 1_000, 100_000)
    for B in sizes:
        f, lo, hi, args = _problem(B)
        ours = solve_increasing(f, lo, hi, args)[0]
        theirs = scipy_increasing(f, lo, hi, args)
        if not np.allclose(ours, theirs, rtol=1e-12, atol=1e-14):
            raise AssertionError(f"root-finders disagree: {np.max(np.abs(ours - theirs))}")
        repeat = 3 if smoke else (50 if B == 1 else 7)
        rows.append(
            _harness.compare(
                "Nash FOC roots on split frontiers",
                f"{B} problems",
                lambda f=f, lo=lo, hi=hi, args=args: solve_increasing(f, lo, hi, args),
                "scipy.optimize.elementwise.find_root",
                lambda f=f, lo=lo, hi=hi, args=args: scipy_increasing(f, lo, hi, args),
                repeat=repeat,
                baseline_repeat=repeat,
                floor=("one evaluation", lambda f=f, lo=lo, args=args: f(lo, *args)),
            )
        )
    return rows


if __name__ == "__main__":
    _harness.main(run)
