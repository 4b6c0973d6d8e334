"""Hypothesis strategies for bargaining problems, and independent checks of solutions.

Utilities are drawn from grids ``k / resolution``: with ``COARSE`` they tie and
repeat often (exercising tie-breaking and duplicates); with ``FINE`` distinct
values differ by at least ``1e-4``, so strict orders survive a positive affine
rescaling in float64. The checks here share no code with the library.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from hypothesis import settings
from hypothesis import strategies as st
from scipy.optimize import linprog

import bargain as bg

COARSE = 8
FINE = 10_000

CONCEPTS = {
    "nash": bg.nash,
    "kalai_smorodinsky": bg.kalai_smorodinsky,
    "egalitarian": bg.egalitarian,
    "utilitarian": bg.utilitarian,
}
WEIGHTED = ("nash", "egalitarian", "utilitarian")

# decision rules over five parties P0..P4 (weighted, qualified, with a blocking minority)
FIVE_PARTY_RULES = [
    bg.Majority(),
    bg.Majority({"P0": 3, "P1": 1, "P2": 1, "P3": 2, "P4": 1}),
    bg.QualifiedMajority(
        0.65, weights={"P0": 40, "P1": 25, "P2": 15, "P3": 12, "P4": 8}, members=0.55
    ),
    bg.QualifiedMajority(0.9, blocking_members=2),
]


def examples(divisor: int, floor: int = 10) -> int:
    """A fraction of the active profile's ``max_examples`` (for the slow paths)."""
    return max(floor, settings.default.max_examples // divisor)


def solve(concept, S, d, w=None, **kw):
    """Call a concept, passing ``weights`` only to the concepts that take them."""
    if concept in WEIGHTED:
        return CONCEPTS[concept](S, d, w, **kw)
    return CONCEPTS[concept](S, d, **kw)


PARTIES = st.integers(2, 4)
SIZES = st.integers(1, 6)
FEW = st.integers(1, 4)
RESOLUTIONS = st.sampled_from([COARSE, FINE])


def _get(draw, x):
    return draw(x) if isinstance(x, st.SearchStrategy) else x


def values(resolution: int = FINE, lo: float = 0.0, hi: float = 1.0):
    """Grid values ``k / resolution`` in ``[lo, hi]``."""
    return st.integers(round(lo * resolution), round(hi * resolution)).map(lambda k: k / resolution)


@dataclass(frozen=True)
class Problem:
    """A finite (or hull) problem: points ``S`` (m, n), ``d`` (n,), weights ``w`` (n,)."""

    S: np.ndarray
    d: np.ndarray
    w: np.ndarray

    def __repr__(self) -> str:
        return f"Problem(S={self.S.tolist()}, d={self.d.tolist()}, w={self.w.tolist()})"


@st.composite
def point_sets(draw, n=2, m=SIZES, resolution=RESOLUTIONS):
    """An array (m, n) of grid points in the unit cube."""
    n, m, res = _get(draw, n), _get(draw, m), _get(draw, resolution)
    flat = draw(st.lists(values(res), min_size=m * n, max_size=m * n))
    return np.array(flat, dtype=float).reshape(m, n)


@st.composite
def weights(draw, n):
    return np.array(draw(st.lists(values(20, 0.05, 1.0), min_size=n, max_size=n)))


@st.composite
def problems(
    draw,
    n=PARTIES,
    m=SIZES,
    resolution=RESOLUTIONS,
    d_lo=-0.25,
):
    """A random problem: ``d`` anywhere from below the cube to its top (agreement or not)."""
    n = _get(draw, n)
    S = draw(point_sets(n, m, resolution))
    res = _get(draw, resolution)
    d = np.array(draw(st.lists(values(res, d_lo, 1.0), min_size=n, max_size=n)))
    return Problem(S, d, draw(weights(n)))


@st.composite
def problems_above_d(draw, n=2, m=SIZES, resolution=FINE):
    """Every point weakly above ``d``: ``d = min(S) - offset``."""
    n = _get(draw, n)
    S = draw(point_sets(n, m, resolution))
    off = np.array(draw(st.lists(values(FINE, 0.0, 0.5), min_size=n, max_size=n)))
    return Problem(S, S.min(axis=0) - off, draw(weights(n)))


@st.composite
def symmetric_problems(draw, n=PARTIES, m=FEW, resolution=FINE):
    """The union of all party permutations of a set, with ``d = c (1, ..., 1)``."""
    n = _get(draw, n)
    base = draw(point_sets(n, _get(draw, m) if n < 4 else 1, resolution))
    S = np.unique(np.vstack([base[:, p] for p in itertools.permutations(range(n))]), axis=0)
    c = draw(values(FINE, -0.25, 0.75))
    return Problem(S, np.full(n, c), np.full(n, 1.0 / n))


def comprehensive(S, d):
    """Points whose hull is the free-disposal hull of ``conv(S)`` down to ``d`` (two parties).

    Requires ``S >= d``. Adds ``(p_1, d_2)``, ``(d_1, p_2)`` for every point and ``d``.
    """
    proj1 = np.column_stack([S[:, 0], np.full(len(S), d[1])])
    proj2 = np.column_stack([np.full(len(S), d[0]), S[:, 1]])
    return np.vstack([S, proj1, proj2, d[None, :]])


# -- frontiers -----------------------------------------------------------------


def value_functions(min_power=0.2):
    """Value-function specs for ``Frontier.split``.

    Small exponents make the frontier very steep at its ends: with ``p = 0.05``
    the curve ``(1 - t)^p`` still rises to ``0.16`` one float step before
    ``t = 1``, so solutions there are limited by the resolution of ``t``
    itself, not by the solver, and comparisons between parametrisations (such
    as swapping the parties) fail for that reason alone. ``p >= 0.2`` keeps the
    last step below ``7e-4``; steep ends have their own regression tests in
    ``test_certificates.py``.
    """
    return st.one_of(
        st.just("linear"),
        st.tuples(st.just("power"), values(100, min_power, 1.0)),
        st.tuples(st.just("cara"), values(100, 0.1, 5.0)),
        st.tuples(st.just("log"), values(100, 0.1, 20.0)),
    )


@dataclass(frozen=True)
class FrontierProblem:
    """A split frontier ``u = (s1 v1(t), s2 v2(1 - t))`` with ``d`` and ``w``.

    ``analytic=False`` hides the derivative, so solvers use finite differences.
    """

    v1: object
    v2: object
    scale: tuple
    d: np.ndarray
    w: np.ndarray
    analytic: bool = True

    def frontier(self) -> bg.Frontier:
        F = bg.Frontier.split(self.v1, self.v2, scale=self.scale)
        if self.analytic:
            return F
        return bg.Frontier(lambda t, *a: F(t, *a), 0.0, 1.0, args=F.args)

    def swapped(self) -> FrontierProblem:
        """The same problem with the parties' roles exchanged (``t -> 1 - t``)."""
        return FrontierProblem(
            self.v2, self.v1, self.scale[::-1], self.d[::-1], self.w[::-1], self.analytic
        )

    def __repr__(self) -> str:
        return (
            f"FrontierProblem(v1={self.v1!r}, v2={self.v2!r}, scale={self.scale!r}, "
            f"d={self.d.tolist()}, w={self.w.tolist()}, analytic={self.analytic})"
        )


@st.composite
def frontier_problems(draw, d_lo=-0.3, d_hi=1.1, analytic=True, min_power=0.2):
    """A split frontier with random value functions, scales, ``d`` (relative to scale), ``w``."""
    vf = value_functions(min_power)
    scale = (draw(values(100, 0.1, 5.0)), draw(values(100, 0.1, 5.0)))
    rel = np.array([draw(values(100, d_lo, d_hi)), draw(values(100, d_lo, d_hi))])
    return FrontierProblem(
        draw(vf),
        draw(vf),
        scale,
        rel * np.array(scale),
        draw(weights(2)),
        _get(draw, analytic),
    )


# -- independent checks ----------------------------------------------------------


def nash_score(U, d, w):
    """``sum_i w_i log(u_i - d_i)`` where every gain is positive, else ``-inf``."""
    G = np.asarray(U, dtype=float) - d
    pos = np.all(G > 0, axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        score = np.sum(w * np.log(np.where(G > 0, G, 1.0)), axis=-1)
    return np.where(pos, score, -np.inf)


def dominated(u, S, tol=0.0):
    """Whether a row of ``S`` is ``>= u - tol`` everywhere and ``> u + tol`` somewhere."""
    S = np.asarray(S, dtype=float)
    return bool(np.any(np.all(S >= u - tol, axis=-1) & np.any(S > u + tol, axis=-1)))


def _lottery_lp(c, P, floor):
    """``min c @ lam`` over lotteries with ``P.T @ lam >= floor``; the HiGHS result."""
    m = P.shape[0]
    return linprog(
        c,
        A_ub=-P.T,
        b_ub=-np.asarray(floor, dtype=float),
        A_eq=np.ones((1, m)),
        b_eq=[1.0],
        bounds=[(0, None)] * m,
        method="highs",
    )


def hull_pareto_gap(u, S, slack=1e-12):
    """``max sum(v - u)`` over ``v`` in ``conv(S)`` with ``v >= u - slack``.

    Computed after rescaling each party's utility to ``[0, 1]`` over ``S``.
    Zero (up to the solver's tolerance) iff ``u`` is Pareto optimal in ``conv(S)``;
    ``nan`` if no point of the hull is (nearly) above ``u``.
    """
    P = np.asarray(S, dtype=float)
    # Pareto optimality is invariant to rescaling each party; normalising by the
    # range keeps the slack from being amplified along a very flat or steep edge
    lo = P.min(axis=0)
    span = np.ptp(P, axis=0)
    span = np.where(span > 0, span, 1.0)
    P = (P - lo) / span
    u = (np.asarray(u, dtype=float) - lo) / span
    scale = 1.0 + np.max(np.abs(P))
    res = _lottery_lp(-P.sum(axis=1), P, u - slack * scale)
    if res.status != 0:
        return np.nan
    return float(-res.fun - np.sum(u))


def hull_ideal(S, d):
    """Each party's largest utility over ``conv(S) ∩ {u >= d}`` (one LP per party)."""
    P = np.asarray(S, dtype=float)
    out = np.empty(P.shape[1])
    for i in range(P.shape[1]):
        res = _lottery_lp(-P[:, i], P, d)
        out[i] = -res.fun
    return out


def hull_ray_max(S, d, r):
    """Largest ``s`` with a point of ``conv(S)`` ``>= d + s r`` (an LP in ``(lam, s)``)."""
    P = np.asarray(S, dtype=float)
    m = P.shape[0]
    c = np.zeros(m + 1)
    c[-1] = -1.0
    res = linprog(
        c,
        A_ub=np.hstack([-P.T, np.asarray(r, dtype=float)[:, None]]),
        b_ub=-np.asarray(d, dtype=float),
        A_eq=np.hstack([np.ones((1, m)), np.zeros((1, 1))]),
        b_eq=[1.0],
        bounds=[(0, None)] * m + [(None, None)],
        method="highs",
    )
    return float(res.x[-1])
