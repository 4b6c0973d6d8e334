r"""Geometry of the issue-space ZOPA: sections, polygons and quadrature.

Everything here works on one *piece* of a negotiation at a time
(:class:`bargain.issues._piece.Piece`: one batch element and one combination
of the discrete issues' options), whose ZOPA is
:math:`Z = \{x : u_i(x) \ge r_i\ \forall i\}`, a convex set when every
value function is concave. The piece itself solves the programmes (the
slack, the extreme values of each issue); here:

- :func:`clip_polygon` and :func:`polygon_area` give the exact ZOPA polygon
  of two continuous issues with linear utilities;
- :func:`section` and :func:`gauss_legendre_area` give the area of a convex
  two-issue ZOPA with nonlinear concave utilities by quadrature of its
  section lengths.
"""

from __future__ import annotations

import numpy as np

__all__: list[str] = []

_BISECT = 80  # halvings of an interval: far below float resolution


def _issue_value(piece, i, k, x):
    total = np.zeros(np.shape(x))
    for kk, v, W in piece.terms[i]:
        if kk == k:
            total = total + W * v(x)
    return total


def section(piece, r, x1):
    """Interval ``[l, h]`` of the second issue with ``u(x1, .) >= r`` (two issues).

    ``l > h`` where the section is empty. Each party's set is a superlevel
    set of a concave function of the second issue: an interval found by
    bisection on either side of the function's maximiser.
    """
    x1 = np.asarray(x1, float)
    lo2, hi2 = piece.lo[1], piece.hi[1]
    left = np.full(x1.shape, lo2)
    right = np.full(x1.shape, hi2)
    for i in range(piece.n):
        need = r[i] - piece.offset[i] - _issue_value(piece, i, 0, x1)

        def g(y, i=i):
            return _issue_value(piece, i, 1, y)

        peak = _concave_argmax(g, lo2, hi2)
        gmax = g(peak)
        ok = gmax >= need
        # left end: smallest y in [lo2, peak] with g(y) >= need
        a, b = np.full(x1.shape, lo2), np.full(x1.shape, peak)
        for _ in range(_BISECT):
            m = 0.5 * (a + b)
            good = g(m) >= need
            b = np.where(good, m, b)
            a = np.where(good, a, m)
        l_i = np.where(g(np.full(x1.shape, lo2)) >= need, lo2, b)
        a, b = np.full(x1.shape, peak), np.full(x1.shape, hi2)
        for _ in range(_BISECT):
            m = 0.5 * (a + b)
            good = g(m) >= need
            a = np.where(good, m, a)
            b = np.where(good, b, m)
        h_i = np.where(g(np.full(x1.shape, hi2)) >= need, hi2, a)
        left = np.where(ok, np.maximum(left, l_i), np.inf)
        right = np.where(ok, np.minimum(right, h_i), -np.inf)
    return left, right


def _concave_argmax(g, lo, hi):
    """Maximiser of a concave scalar function on ``[lo, hi]`` (golden-section search)."""
    phi = (np.sqrt(5.0) - 1.0) / 2.0
    a, b = lo, hi
    c, d = b - phi * (b - a), a + phi * (b - a)
    gc, gd = float(g(np.array(c))), float(g(np.array(d)))
    for _ in range(120):
        if gc >= gd:
            b, d, gd = d, c, gc
            c = b - phi * (b - a)
            gc = float(g(np.array(c)))
        else:
            a, c, gc = c, d, gd
            d = a + phi * (b - a)
            gd = float(g(np.array(d)))
    cands = np.array([lo, 0.5 * (a + b), hi])
    vals = np.array([float(g(np.array(t))) for t in cands])
    return float(cands[np.argmax(vals)])


def gauss_legendre_area(length, a: float, b: float, panels: int = 512, order: int = 8) -> float:
    """Integral of ``length(x)`` over ``[a, b]`` by composite Gauss–Legendre quadrature."""
    if not b > a:
        return 0.0
    nodes, weights = np.polynomial.legendre.leggauss(order)
    edges = np.linspace(a, b, panels + 1)
    half = 0.5 * np.diff(edges)
    mid = 0.5 * (edges[:-1] + edges[1:])
    x = (mid[:, None] + half[:, None] * nodes).ravel()
    w = (half[:, None] * weights).ravel()
    return float(np.sum(w * np.maximum(length(x), 0.0)))


# -- convex polygons (two continuous issues, linear utilities) -----------------------


def clip_polygon(poly: np.ndarray, a: np.ndarray, beta: float) -> np.ndarray:
    """Clip a convex polygon (V, 2), counter-clockwise, to the half-plane ``a @ x >= beta``."""
    if poly.shape[0] == 0:
        return poly
    scale = 1e-12 * (1.0 + abs(beta) + np.abs(a).sum() * (1.0 + np.abs(poly).max()))
    s = poly @ a - beta
    out = []
    V = poly.shape[0]
    for j in range(V):
        p, q = poly[j], poly[(j + 1) % V]
        sp, sq = s[j], s[(j + 1) % V]
        if sp >= -scale:
            out.append(p)
        if (sp > scale and sq < -scale) or (sp < -scale and sq > scale):
            t = sp / (sp - sq)
            out.append(p + t * (q - p))
    if not out:
        return np.zeros((0, 2))
    P = np.array(out)
    # drop repeated vertices
    keep = np.ones(P.shape[0], dtype=bool)
    for j in range(1, P.shape[0]):
        if np.allclose(P[j], P[j - 1], rtol=0, atol=1e-13 * (1 + np.abs(P).max())):
            keep[j] = False
    P = P[keep]
    if P.shape[0] > 1 and np.allclose(P[0], P[-1], rtol=0, atol=1e-13 * (1 + np.abs(P).max())):
        P = P[:-1]
    return P


def polygon_area(poly: np.ndarray) -> float:
    """Area of a simple polygon (V, 2) by the shoelace formula (0 for fewer than 3 vertices)."""
    if poly.shape[0] < 3:
        return 0.0
    x, y = poly[:, 0], poly[:, 1]
    return 0.5 * abs(float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))))


def box_polygon(lo, hi) -> np.ndarray:
    """The rectangle ``[lo_0, hi_0] x [lo_1, hi_1]`` counter-clockwise."""
    return np.array([[lo[0], lo[1]], [hi[0], lo[1]], [hi[0], hi[1]], [lo[0], hi[1]]], float)


def feasible_polygon(piece) -> np.ndarray:
    """The box of two continuous issues clipped by the agenda constraints."""
    poly = box_polygon(piece.lo, piece.hi)
    for row in range(piece.A.shape[0]):
        if np.isfinite(piece.lb[row]):
            poly = clip_polygon(poly, piece.A[row], piece.lb[row])
        if np.isfinite(piece.ub[row]):
            poly = clip_polygon(poly, -piece.A[row], -piece.ub[row])
    return poly


def zopa_polygon(piece, r) -> np.ndarray:
    """The exact ZOPA polygon (V, 2) of a linear two-issue piece (empty: shape (0, 2))."""
    a, c = piece.affine()
    poly = feasible_polygon(piece)
    for i in range(piece.n):
        if np.all(a[i] == 0):
            if c[i] < r[i]:
                return np.zeros((0, 2))
            continue
        poly = clip_polygon(poly, a[i], r[i] - c[i])
    return poly
