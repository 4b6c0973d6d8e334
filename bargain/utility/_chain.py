r"""The Pareto chain of the convex hull of finite point sets, batched, as a frontier.

Two parties agreeing on lotteries over finitely many packages can reach every
point of ``conv(S)``; its Pareto frontier is a concave polygonal chain
``V_0, ..., V_{k-1}`` (``u_1`` strictly increasing, ``u_2`` strictly
decreasing). :func:`pareto_chain` finds it for a whole batch at once and
:class:`Chain` evaluates it as a frontier parametrised by party 1's
utility, with both inverses in closed form, so that the frontier kernels of
the alternating-offers game (:mod:`bargain.solutions._rubinstein_kernels`)
solve on it exactly as on any concave frontier; :func:`lottery` maps a point
of the chain back to the lottery over (at most two adjacent) packages.
"""

from __future__ import annotations

import numpy as np

__all__: list[str] = []


def _compact(keep, *arrays):
    """Move the kept columns of each row to the front (in order); pad with the last kept."""
    order = np.argsort(~keep, axis=-1, kind="stable")
    count = keep.sum(axis=-1)
    width = max(int(count.max()), 1)
    order = order[..., :width]
    # pad: columns beyond the row's count repeat its last kept column
    col = np.arange(width)
    last = np.take_along_axis(order, np.maximum(count - 1, 0)[..., None], axis=-1)
    order = np.where(col < count[..., None], order, last)
    out = []
    for a in arrays:
        if a.ndim == keep.ndim:
            out.append(np.take_along_axis(a, order, axis=-1))
        else:
            out.append(np.take_along_axis(a, order[..., None], axis=-2))
    return count, out


def pareto_chain(S):
    """Vertices of the Pareto frontier of ``conv(S)``, batched.

    Parameters
    ----------
    S : ndarray, shape (..., m, 2)
        Finite, validated utility vectors.

    Returns
    -------
    V : ndarray, shape (..., K, 2)
        The chain's vertices by increasing ``u_1`` (and decreasing ``u_2``);
        rows with fewer than ``K`` vertices repeat their last one.
    index : ndarray of int, shape (..., K)
        Each vertex's row in ``S`` (the first of equal points).
    count : ndarray of int, shape (...)
        Number of vertices ``k >= 1`` of each problem.

    Notes
    -----
    Sorting by ``u_1`` descending (ties: ``u_2`` descending), a point is
    Pareto optimal iff its ``u_2`` exceeds that of every point before it
    (a running maximum). Among the Pareto points, by ``u_1`` ascending, a
    point is not a vertex of the hull iff it lies on or below the segment
    joining its neighbours (the turn ``V_{j-1} -> V_j -> V_{j+1}`` is not
    clockwise); such points are removed simultaneously (each lies in the
    hull of two others, so none is a vertex) until every turn is clockwise,
    the monotone-chain condition for a concave chain.

    Examples
    --------
    >>> import numpy as np
    >>> from bargain.utility._chain import pareto_chain
    >>> S = np.array([[0.0, 1.0], [0.4, 0.5], [0.5, 0.8], [1.0, 0.0], [0.3, 0.3]])
    >>> V, index, count = pareto_chain(S)  # (0.4, 0.5) and (0.3, 0.3) lie inside
    >>> V.tolist(), index.tolist(), int(count)
    ([[0.0, 1.0], [0.5, 0.8], [1.0, 0.0]], [0, 2, 3], 3)
    """
    m = S.shape[-2]
    if m <= _PREFILTER_MIN:
        return _chain(S)
    # sort only the points that can be vertices (see _candidates), in their order in S
    batch = S.shape[:-2]
    flat = S.reshape(-1, m, 2)
    keep, first = _candidates(flat)
    pos = np.cumsum(keep, axis=-1) - 1
    width = int(pos[:, -1].max()) + 1
    rows, cols = np.nonzero(keep)
    # rows are padded with a later copy of the row's rightmost point, never the first
    # of equal points, so the padding is never a vertex
    take = np.repeat(first[:, None], width, axis=-1)
    take[rows, pos[rows, cols]] = cols
    V, index, count = _chain(np.take_along_axis(flat, take[..., None], axis=-2))
    index = np.take_along_axis(take, index, axis=-1)
    k = V.shape[-2]
    return V.reshape(batch + (k, 2)), index.reshape(batch + (k,)), count.reshape(batch)


_PREFILTER_MIN = 64  # points per problem from which the candidates are filtered first


def _candidates(S):
    """Points of ``S`` (B, m, 2) that can be vertices of the chain, and the rightmost's row.

    ``A``, the rightmost point (largest ``u_1``, ties by the largest ``u_2``, then
    the first), and ``B``, the top point (roles swapped), are the chain's ends.
    Every vertex is Pareto optimal, so it has ``u_1 >= B_1`` and ``u_2 >= A_2``
    (a point left of ``B`` is dominated by ``B``, one below ``A`` by ``A``), and
    lies on or above the segment ``AB`` (the hull contains it). Later copies of
    ``A`` and ``B`` are dropped (the chain takes the first of equal points).
    Points within rounding of the segment are kept: the exact pass decides them.
    """
    u1, u2 = S[..., 0], S[..., 1]
    col = np.arange(S.shape[-2])
    iA = np.argmax(np.where(u1 == u1.max(axis=-1, keepdims=True), u2, -np.inf), axis=-1)
    iB = np.argmax(np.where(u2 == u2.max(axis=-1, keepdims=True), u1, -np.inf), axis=-1)
    a = np.take_along_axis(S, iA[:, None, None], axis=-2)  # (B, 1, 2)
    b = np.take_along_axis(S, iB[:, None, None], axis=-2)
    e1, e2 = b[..., 0] - a[..., 0], b[..., 1] - a[..., 1]
    cross = e1 * (u2 - a[..., 1]) - e2 * (u1 - a[..., 0])  # < 0 above the segment A -> B
    scale = np.abs(e1) * np.abs(e2)
    keep = (u1 >= b[..., 0]) & (u2 >= a[..., 1]) & (cross <= 1e-9 * scale)
    for end, i in ((a, iA), (b, iB)):
        keep &= (u1 != end[..., 0]) | (u2 != end[..., 1]) | (col == i[:, None])
    return keep, iA


def _chain(S):
    """:func:`pareto_chain` on all points (the exact pass)."""
    u1, u2 = S[..., 0], S[..., 1]
    # lexsort is stable: equal points keep their order in S (the first of them leads)
    order = np.lexsort((-u2, -u1), axis=-1)
    s1 = np.take_along_axis(u1, order, axis=-1)
    s2 = np.take_along_axis(u2, order, axis=-1)
    before = np.maximum.accumulate(s2, axis=-1)
    before = np.concatenate([np.full(s2.shape[:-1] + (1,), -np.inf), before[..., :-1]], axis=-1)
    pareto = s2 > before
    # reverse to u1 ascending
    pareto, order = pareto[..., ::-1], order[..., ::-1]
    P = np.stack([s1[..., ::-1], s2[..., ::-1]], axis=-1)
    count, (P, index) = _compact(pareto, P, order)
    while P.shape[-2] >= 3:
        a, b, c = P[..., :-2, :], P[..., 1:-1, :], P[..., 2:, :]
        turn = (b[..., 0] - a[..., 0]) * (c[..., 1] - b[..., 1]) - (b[..., 1] - a[..., 1]) * (
            c[..., 0] - b[..., 0]
        )
        col = np.arange(1, P.shape[-2] - 1)
        inner = col < (count[..., None] - 1)
        drop = inner & (turn >= 0)
        if not np.any(drop):
            break
        keep = np.ones(P.shape[:-1], dtype=bool)
        keep[..., 1:-1] = ~drop
        keep &= np.arange(P.shape[-2]) < count[..., None]
        count, (P, index) = _compact(keep, P, index)
    return P, index, count


class Chain:
    """A concave polygonal chain as a frontier ``t -> (t, phi(t))`` with ``t = u_1``.

    Called on flat batches: ``t`` of shape ``(k,)`` with vertex rows ``X, Y``
    of shape ``(k, K)`` (padded by repeating the last vertex; at least two
    distinct vertices per row). ``_inverse_1`` and ``_inverse_2`` are the
    closed-form inverses the frontier kernels use (see
    :class:`bargain.solutions._rubinstein_kernels.FlatFrontier`).
    """

    @staticmethod
    def _segment(z, knots):
        """Index ``j`` of the segment ``[knots_j, knots_{j+1}]`` holding ``z`` (ascending knots)."""
        return np.sum(knots[..., 1:-1] < z[..., None], axis=-1)

    def __call__(self, t, X, Y):
        t = np.clip(t, X[..., 0], X[..., -1])
        return np.stack([t, self.phi(t, X, Y)], axis=-1)

    @staticmethod
    def phi(t, X, Y):
        """``u_2`` where ``u_1 = t`` (clipped to the chain): ``t`` (k,) or (k, Q) points per row."""
        extra = (1,) * (np.ndim(t) - X.ndim + 1)  # a query axis after the row axis
        X = X.reshape(X.shape[:1] + extra + X.shape[1:])
        Y = Y.reshape(Y.shape[:1] + extra + Y.shape[1:])
        t = np.clip(t, X[..., 0], X[..., -1])
        j = Chain._segment(t, X)[..., None]
        x0 = np.take_along_axis(X, j, axis=-1)[..., 0]
        x1 = np.take_along_axis(X, j + 1, axis=-1)[..., 0]
        y0 = np.take_along_axis(Y, j, axis=-1)[..., 0]
        y1 = np.take_along_axis(Y, j + 1, axis=-1)[..., 0]
        s = (t - x0) / (x1 - x0)
        return y0 + s * (y1 - y0)

    @staticmethod
    def _inverse_1(z, X, Y):
        return z  # smallest t with u_1(t) = t >= z

    def _inverse_2(self, z, X, Y):
        """Largest ``t`` with ``phi(t) >= z``."""
        z = np.clip(z, Y[..., -1], Y[..., 0])
        j = self._segment(-z, -Y)[..., None]
        x0 = np.take_along_axis(X, j, axis=-1)[..., 0]
        x1 = np.take_along_axis(X, j + 1, axis=-1)[..., 0]
        y0 = np.take_along_axis(Y, j, axis=-1)[..., 0]
        y1 = np.take_along_axis(Y, j + 1, axis=-1)[..., 0]
        s = (y0 - z) / (y0 - y1)
        return x0 + s * (x1 - x0)


def lottery(V, index, count, t, m):
    """The lottery over the ``m`` packages that reaches the chain point with ``u_1 = t``.

    Returns ``(weights (..., m), lower (...), upper (...), p_upper (...))``: the
    probability of each package, the two adjacent vertices' package indices
    and the probability of the upper one (0 when the point is a vertex).
    """
    lo, hi, p = edge(V, index, count, t)
    w = np.zeros(np.shape(t) + (m,))
    np.put_along_axis(w, lo[..., None], (1.0 - p)[..., None], axis=-1)
    add = np.take_along_axis(w, hi[..., None], axis=-1)[..., 0] + p
    np.put_along_axis(w, hi[..., None], add[..., None], axis=-1)
    return w, lo, hi, p


def edge(V, index, count, t):
    """The two packages ``(lower, upper)`` whose lottery reaches ``u_1 = t``, and ``p_upper``."""
    X = V[..., 0]
    k = count
    tt = np.clip(t, X[..., 0], np.take_along_axis(X, (k - 1)[..., None], axis=-1)[..., 0])
    j = np.minimum(np.sum(X[..., 1:] < tt[..., None], axis=-1), np.maximum(k - 2, 0))
    j1 = np.minimum(j + 1, k - 1)
    x0 = np.take_along_axis(X, j[..., None], axis=-1)[..., 0]
    x1 = np.take_along_axis(X, j1[..., None], axis=-1)[..., 0]
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(x1 > x0, (tt - x0) / np.where(x1 > x0, x1 - x0, 1.0), 0.0)
    # a point within rounding of a vertex is that vertex (no lottery)
    tol = 1e-12 * np.maximum(1.0, np.abs(x1 - x0))
    p = np.where(p < tol, 0.0, np.where(p > 1.0 - tol, 1.0, p))
    lo = np.take_along_axis(index, j[..., None], axis=-1)[..., 0]
    hi = np.take_along_axis(index, j1[..., None], axis=-1)[..., 0]
    move = p == 1.0
    lo, p = np.where(move, hi, lo), np.where(move, 0.0, p)
    return lo, hi, p


def minkowski_chain(parts):
    r"""The hull's Pareto chain of a sum of finite sets, one set per issue, batched.

    With additive utilities a package's utility vector is the sum of its
    options' contributions, so the packages are the Minkowski sum
    :math:`A_1 + \dots + A_K` of the issues' option sets, and
    :math:`\mathrm{conv}(A_1 + \dots + A_K) = \mathrm{conv}(A_1) + \dots +
    \mathrm{conv}(A_K)`. Support functions add, so the sum's Pareto chain
    starts at the sum of the parts' leftmost vertices and runs through all the
    parts' edges in order of slope, the flattest first: :math:`O(\sum k_i \log
    \sum k_i)` per problem instead of a pass over :math:`\prod k_i` packages.

    Parameters
    ----------
    parts : list of ndarray, each (B, k_i, 2)
        Each issue's option contributions.

    Returns
    -------
    ndarray, shape (B, E + 1, 2)
        The chain's vertices (collinear ones included; ``pareto_chain`` of
        it drops them), padded by repeating the last.

    Examples
    --------
    >>> import numpy as np
    >>> from bargain.utility._chain import minkowski_chain
    >>> a = np.array([[[0.0, 0.5], [0.5, 0.0]]])  # one issue, two options
    >>> b = np.array([[[0.0, 0.5], [0.1, 0.45], [0.5, 0.0]]])
    >>> minkowski_chain([a, b])[0].tolist()  # b's flat edge first, then slopes -1, -1.125
    [[0.0, 1.0], [0.1, 0.95], [0.6, 0.45], [1.0, 0.0]]
    """
    start = 0.0
    edges = []
    for part in parts:
        V, _, _ = pareto_chain(part)
        start = start + V[:, 0, :]
        edges.append(np.diff(V, axis=-2))
    E = np.concatenate(edges, axis=-2)
    d1, d2 = E[..., 0], E[..., 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        key = np.where(d1 > 0, -d2 / np.where(d1 > 0, d1, 1.0), np.inf)  # zero edges last
    order = np.argsort(key, axis=-1, kind="stable")
    E = np.take_along_axis(E, order[..., None], axis=-2)
    return np.concatenate([start[:, None, :], start[:, None, :] + np.cumsum(E, axis=-2)], axis=-2)
