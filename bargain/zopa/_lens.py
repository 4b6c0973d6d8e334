r"""The ZOPA of two parties over two divisible issues, every discrete combination at once.

On a mixed agenda each combination of the discrete issues' options is a
*piece*: the divisible issues' values :math:`x = (x_0, x_1)` with the
combination's utility :math:`c_i` added. With separable concave utilities
:math:`u_i(x) = c_i + h_{i0}(x_0) + h_{i1}(x_1)`, :math:`h_{ik} = W_{ik}
v_{ik}` concave, the piece's ZOPA is the convex *lens*

.. math:: Z = \{x \in [lo, hi] : h_{i0}(x_0) + h_{i1}(x_1) \ge \tau_i,\ i = 1, 2\},
   \qquad \tau_i = r_i - c_i .

All pieces (and batch elements) are solved together, with no convex
programme:

- **Slack and robust point.** :math:`\max_x \min_i (u_i(x) - r_i)` is
  attained on the Pareto frontier (Pareto-improving a maximiser keeps it
  one), where the gains are equal or, if the frontier does not cross that
  line, at its end that favours the party with the smaller gain:
  :func:`bargain.issues._separable.cross` with unit scales.
- **Extremes.** The projection of :math:`Z` on issue :math:`j` is
  :math:`\{t : F_j(t) \ge 0\}` with

  .. math:: F_j(t) = \max_{y} \min_i \bigl(h_{ij}(t) - \tau_i + h_{io}(y)\bigr),

  :math:`o` the other issue. :math:`F_j` is concave (a partial maximum of a
  jointly concave function) and largest at the robust point's :math:`x_j^*`
  (where it equals the slack), so it decreases to the right of
  :math:`x_j^*` and increases to its left: each end is one bracketed root.
  With :math:`p_i` the maximiser of :math:`h_{io}`, :math:`F_j(t)` is
  :math:`h_{1o}(p_1) + a_1` if party 1 binds at its own peak
  (:math:`a_i = h_{ij}(t) - \tau_i`), symmetrically for party 2, and
  otherwise the value where :math:`h_{1o} + a_1 = h_{2o} + a_2` between the
  peaks (the difference is monotone there): a root inside the root.
- **Area.** The share of the box is the integral over :math:`x_0` of the
  section length :math:`|\{x_1 : (x_0, x_1) \in Z\}|`, the intersection of
  each party's interval :math:`\{x_1 : h_{i1}(x_1) \ge \tau_i - h_{i0}(x_0)\}`
  around its peak :math:`p_i` (two roots of monotone functions), by the
  composite Gauss-Legendre rule of :func:`bargain.zopa._kernels.gauss_legendre_area`
  at all nodes of all pieces at once.

Every root goes through :func:`bargain._core._roots.solve_increasing`
(Brent, to a few ulps).
"""

from __future__ import annotations

import numpy as np

from .._core._roots import solve_increasing

__all__: list[str] = []

_PANELS, _ORDER = 512, 8  # the quadrature of gauss_legendre_area


class Lens:
    """``T`` two-issue pieces of a two-party negotiation (see the module docstring).

    Parameters
    ----------
    lo, hi : ndarray, shape (2,)
        The divisible issues' bounds.
    terms : list of 2 lists of 2
        ``terms[k][i]``: party ``i``'s ``(v, W)`` on issue ``k`` (value function
        of batch ``(T,)`` and weights ``(T,)``, or, shared by every piece, of
        batch ``()`` and a float), or ``None``.
    tau : ndarray, shape (T, 2)
        Each party's threshold on its divisible-issue utility, ``r_i - c_i``.
    """

    def __init__(self, lo, hi, terms, tau):
        self.lo, self.hi = np.asarray(lo, float), np.asarray(hi, float)
        self.terms, self.tau = terms, tau
        self.T = tau.shape[0]
        # each party's peak on each issue, and its value there
        self.peak = np.empty((2, 2, self.T))
        for k in range(2):
            for i in range(2):
                self.peak[k, i] = self._peak(k, i)

    def h(self, k, i, x, idx=None, derivative=False):
        """``h_ik`` at ``x`` for the pieces ``idx`` (aligned: ``x`` led by ``len(idx)``)."""
        t = self.terms[k][i]
        x = np.asarray(x, float)
        if t is None:
            return np.zeros(x.shape)
        v, W = t
        if not v.batch_shape:  # shared by every piece: plain broadcasting
            return W * (v.derivative(x) if derivative else v(x))
        if idx is not None:
            v, W = v._take_many(idx), W[idx]
        extra = (1,) * (x.ndim - 1)
        return W.reshape((-1,) + extra) * v._aligned(x, derivative=derivative)

    def _peak(self, k, i):
        """The maximiser of the concave ``h_ik`` on the issue's range."""
        lo, hi = self.lo[k], self.hi[k]
        T = self.T
        if self.terms[k][i] is None:
            return np.full(T, lo)
        d_lo = self.h(k, i, np.full(T, lo), derivative=True)
        d_hi = self.h(k, i, np.full(T, np.nextafter(hi, lo)), derivative=True)
        inner = (d_lo > 0) & (d_hi < 0)
        x = np.where(d_lo <= 0, lo, hi)
        if inner.any():
            idx = np.flatnonzero(inner)
            t, _ = solve_increasing(
                lambda y, j: -self.h(k, i, y, j, derivative=True),
                np.full(idx.size, lo),
                np.full(idx.size, hi),
                (idx,),
            )
            x[idx] = t
        return x

    # -- the projection on issue j -------------------------------------------------------

    def F(self, j, t, idx):
        """:math:`F_j(t)` for the pieces ``idx`` (``t`` aligned with ``idx``)."""
        o = 1 - j
        a = [self.h(j, i, t, idx) - self.tau[idx, i] for i in range(2)]
        p = self.peak[o][:, idx]  # (2, m): each party's peak on the other issue
        h = [[self.h(o, i, p[q], idx) for q in range(2)] for i in range(2)]  # h[i][q] at p_q
        own1 = h[0][0] + a[0] <= h[1][0] + a[1]  # party 1 binds at its own peak
        own2 = ~own1 & (h[1][1] + a[1] <= h[0][1] + a[0])
        out = np.where(own1, h[0][0] + a[0], h[1][1] + a[1])
        cut = np.flatnonzero(~own1 & ~own2)
        if cut.size:
            # between the peaks party 1's value falls and party 2's rises (from p_1 to p_2)
            sub = idx[cut]
            p1, p2 = p[0, cut], p[1, cut]
            a1, a2 = a[0][cut], a[1][cut]

            def D(s, m):  # (h_2 + a_2) - (h_1 + a_1) at p_1 + s (p_2 - p_1), s in [0, 1]
                y = p1[m] + s * (p2[m] - p1[m])
                return (self.h(o, 1, y, sub[m]) + a2[m]) - (self.h(o, 0, y, sub[m]) + a1[m])

            s, _ = solve_increasing(
                D, np.zeros(cut.size), np.ones(cut.size), (np.arange(cut.size),)
            )
            y = p1 + s * (p2 - p1)
            out[cut] = np.minimum(self.h(o, 0, y, sub) + a1, self.h(o, 1, y, sub) + a2)
        return out

    def extremes(self, x, active):
        """``(T, 2, 2)``: each issue's smallest and largest value in the lens (NaN: empty).

        ``x`` (T, 2) is the robust point (the slack's maximiser), ``active``
        the pieces whose lens is not empty.
        """
        out = np.full((self.T, 2, 2), np.nan)
        idx = np.flatnonzero(active)
        if not idx.size:
            return out
        # all four roots in one search: issue j in (0, 1), left (F_j rises up to x_j*) and
        # right (F_j falls after it)
        m = idx.size
        piece = np.tile(idx, 4)
        js = np.repeat([0, 1, 0, 1], m)
        side = np.repeat([1.0, 1.0, -1.0, -1.0], m)
        xs = x[piece, js]
        lo = np.where(side > 0, self.lo[js], xs)
        hi = np.where(side > 0, xs, self.hi[js])

        def f(t, e):
            out = np.empty(t.shape)
            for j in range(2):
                sel = np.flatnonzero(js[e] == j)
                if sel.size:
                    out[sel] = self.F(j, t[sel], piece[e[sel]])
            return side[e] * out

        t, _ = solve_increasing(f, lo, hi, (np.arange(4 * m),))
        t = t.reshape(4, m)
        out[idx, 0, 0], out[idx, 1, 0] = t[0], t[1]
        out[idx, 0, 1], out[idx, 1, 1] = t[2], t[3]
        return out

    # -- sections and area ---------------------------------------------------------------

    def section(self, x0, idx):
        """``[l, h]`` of issue 1 at issue-0 values ``x0`` (m, Q) of the pieces ``idx`` (m,)."""
        m, Q = x0.shape
        rows = np.repeat(idx, Q)
        flat = x0.ravel()
        left = np.full(flat.shape, self.lo[1])
        right = np.full(flat.shape, self.hi[1])
        for i in range(2):
            need = self.tau[rows, i] - self.h(0, i, flat, rows)
            p = self.peak[1, i, rows]
            top = self.h(1, i, p, rows)
            ok = top >= need
            e = np.arange(flat.size)
            # left end: smallest y in [lo, p] with h(y) >= need (h rises there)
            l_i, _ = solve_increasing(
                lambda y, q, i=i, need=need: self.h(1, i, y, rows[q]) - need[q],
                np.full(flat.size, self.lo[1]),
                p,
                (e,),
                active=ok & (p > self.lo[1]),  # a peak at the bound: no rising branch
            )
            # right end: largest y in [p, hi] with h(y) >= need (h falls there)
            h_i, _ = solve_increasing(
                lambda y, q, i=i, need=need: need[q] - self.h(1, i, y, rows[q]),
                p,
                np.full(flat.size, self.hi[1]),
                (e,),
                active=ok & (p < self.hi[1]),  # no falling branch
            )
            left = np.where(ok, np.maximum(left, l_i), np.inf)
            right = np.where(ok, np.minimum(right, h_i), -np.inf)
        return left.reshape(m, Q), right.reshape(m, Q)

    def area(self, ext, active):
        """``(T,)``: the lens's share of the box, by quadrature over issue 0."""
        out = np.zeros(self.T)
        idx = np.flatnonzero(active & (ext[:, 0, 1] > ext[:, 0, 0]))
        if not idx.size:
            return out
        nodes, weights = np.polynomial.legendre.leggauss(_ORDER)
        a, b = ext[idx, 0, 0], ext[idx, 0, 1]
        edges = a[:, None] + (b - a)[:, None] * np.linspace(0.0, 1.0, _PANELS + 1)
        half = 0.5 * np.diff(edges, axis=-1)
        mid = 0.5 * (edges[:, :-1] + edges[:, 1:])
        x = (mid[:, :, None] + half[:, :, None] * nodes).reshape(idx.size, -1)
        w = (half[:, :, None] * weights).reshape(idx.size, -1)
        left, right = self.section(x, idx)
        full = (self.hi[0] - self.lo[0]) * (self.hi[1] - self.lo[1])
        out[idx] = np.sum(w * np.maximum(right - left, 0.0), axis=-1) / full
        return out
