r"""The one vectorised root-finder: bracketed roots of whole batches of monotone functions.

Every root-finding in the package goes through :func:`bracketed`: the
frontier kernels of the axiomatic solutions (:mod:`bargain.utility._curve`),
the alternating-offers equilibria (:mod:`bargain.solutions._rubinstein_kernels`)
and the ZOPA on a continuous frontier (:mod:`bargain.zopa._utility`). It is
Brent's safeguarding of the secant method, vectorised over the batch with no
per-element Python work; it was kept over SciPy's elementwise Chandrupatla
solver (``scipy.optimize.elementwise.find_root``) by measurement
(``benchmarks/perf/bench_roots.py``), and it needs no SciPy import.

Conventions: a problem is an elementwise function ``f`` on brackets
``[lo, hi]`` with ``f(lo) < 0 < f(hi)``; the answer is the bracket end with
the smaller ``|f|`` once ``hi - lo <= 4 eps |x|``. Not-a-number values read
as an exact root and infinities as the largest finite numbers, so a function
that overflows near an end still brackets.
"""

from __future__ import annotations

import numpy as np

__all__: list[str] = []

_EPS = np.finfo(float).eps
_TINY = 1e-300
_MAXITER = 200
_BIG = 1e300


def clean(v):
    """Function values with ``nan`` read as a root and infinities made finite."""
    return np.nan_to_num(v, nan=0.0, posinf=_BIG, neginf=-_BIG)


def mask(m):
    """All-ones int64 words where the boolean array ``m`` is true (for :func:`pick`)."""
    return -(m.view(np.int8).astype(np.int64))


def pick(M, a, b):
    """``np.where(m, a, b)`` for float64 arrays, bit-exact, given ``M = mask(m)``.

    A branch-free bitwise blend: several times faster than ``np.where`` on the
    unpredictable masks of a root-finder's iterations.
    """
    ai, bi = a.view(np.int64), b.view(np.int64)
    return ((ai ^ bi) & M ^ bi).view(np.float64)


def bracketed(f, lo, hi, flo, fhi, alo, ahi, *, ends=False):
    """Roots of ``f`` on brackets ``[lo, hi]`` with ``flo < 0 < fhi``, elementwise.

    ``f(x, idx, alo, ahi) -> (values, aux)`` evaluates the elements ``idx``
    (indices into the inputs) at ``x``; ``aux`` is an ``(m, k)`` array of
    by-products kept for the bracket ends (``alo``/``ahi``, passed back to
    ``f``, which may use them for warm starts). Returns ``(x, aux,
    converged)``: ``x`` is the bracket end with the smaller ``|f|`` once
    ``hi - lo <= 4 eps |x|`` (or an exact zero); with ``ends=True`` also the
    final bracket ``(lo, hi)``, with ``f(lo) <= 0 <= f(hi)``.

    Notes
    -----
    Brent's safeguarding [1]_ of the secant method, vectorised over the batch
    with no per-element Python work: each element steps by the secant through
    its last two iterates (the current one being the bracket end with the
    smaller ``|f|``) when that lands inside its bracket and is less than
    half its step before last, else bisects; steps are at least
    ``tol = 2 eps |x|`` so that the last one crosses the root and closes the
    bracket. The secant converges with order 1.618 (about seven evaluations
    from a unit bracket to full precision), bisection bounds the worst case.
    The state of all elements is one ``(rows, m)`` array, updated with
    branch-free blends (:func:`pick`); converged elements are dropped (one
    copy) once an eighth of the working set has converged, and until then
    keep iterating harmlessly inside their closed brackets.

    References
    ----------
    .. [1] R. P. Brent, *Algorithms for Minimization without Derivatives*,
       Prentice-Hall, 1973, ch. 4.
    """
    n, k = lo.shape[0], alo.shape[1]
    LO, HI, FLO, FHI, XS, FS, XP, FP, D, E = range(10)
    ALO, AHI = slice(10, 10 + k), slice(10 + k, 10 + 2 * k)
    S = np.empty((10 + 2 * k, n))
    S[LO], S[HI], S[FLO], S[FHI], S[ALO], S[AHI] = lo, hi, flo, fhi, alo.T, ahi.T
    # current iterate: the end with the smaller |f|; previous: the other end
    cur_lo = np.abs(flo) < np.abs(fhi)
    S[XS], S[FS] = np.where(cur_lo, lo, hi), np.where(cur_lo, flo, fhi)
    S[XP], S[FP] = np.where(cur_lo, hi, lo), np.where(cur_lo, fhi, flo)
    S[D] = S[E] = hi - lo
    x_out = np.empty(n)
    aux_out = np.empty((n, k))
    lo_out, hi_out = np.empty(n), np.empty(n)
    ok = np.zeros(n, dtype=bool)
    idx = np.arange(n)

    def finish(pos):
        Q = S[:, pos]
        end_lo = np.abs(Q[FLO]) <= np.abs(Q[FHI])
        j = idx[pos]
        x_out[j] = np.where(end_lo, Q[LO], Q[HI])
        aux_out[j] = np.where(end_lo, Q[ALO], Q[AHI]).T
        lo_out[j], hi_out[j] = Q[LO], Q[HI]
        return j

    for _ in range(_MAXITER):
        lo, hi, xs, fs = S[LO], S[HI], S[XS], S[FS]
        width = hi - lo
        tol = np.abs(xs)
        tol *= 2.0 * _EPS
        tol += _TINY
        done = width <= 2.0 * tol
        n_done = np.count_nonzero(done)
        if n_done == idx.size:
            ok[finish(slice(None))] = True
            idx = idx[:0]
            break
        # drop converged elements once they are worth a copy of the state
        if n_done > idx.size // 8:
            ok[finish(np.flatnonzero(done))] = True
            keep = np.flatnonzero(~done)
            idx, S, width, tol = idx[keep], S[:, keep], width[keep], tol[keep]
            lo, hi, xs, fs = S[LO], S[HI], S[XS], S[FS]
        with np.errstate(all="ignore"):
            step = fs * (S[XP] - xs) / (fs - S[FP])
            # a secant step of at least tol, inside the bracket and less than half
            # the step before last; else bisect
            size = np.abs(step)
            use = size < 0.5 * np.abs(S[E])
            step = pick(mask(size <= tol), np.copysign(tol, step), step)
            c = xs + step
            use &= (c > lo) & (c < hi)
        half = width
        half *= 0.5
        half += lo
        half -= xs
        U = mask(use)
        S[E] = pick(U, S[D], half)
        S[D] = pick(U, step, half)
        half += xs
        c = pick(U, c, half)
        fc, ac = f(c, idx, S[ALO].T, S[AHI].T)
        if not np.all(np.isfinite(fc)):
            fc = clean(fc)
        ac = np.asarray(ac, dtype=float).T
        # the new point replaces the end of its sign (an exact zero closes the bracket)
        N, P = mask(fc <= 0), mask(fc >= 0)
        S[LO], S[FLO], S[ALO] = pick(N, c, lo), pick(N, fc, S[FLO]), pick(N, ac, S[ALO])
        S[HI], S[FHI], S[AHI] = pick(P, c, hi), pick(P, fc, S[FHI]), pick(P, ac, S[AHI])
        # as in Brent's method, iterate from the bracket end with the smaller |f|
        f_other = pick(N, S[FHI], S[FLO])
        W = mask(np.abs(f_other) < np.abs(fc))
        S[XP], S[FP] = pick(W, c, xs), pick(W, fc, fs)
        S[XS], S[FS] = pick(W, pick(N, S[HI], S[LO]), c), pick(W, f_other, fc)
    if idx.size:  # out of iterations: the best end so far; converged where closed
        lo, hi = S[LO], S[HI]
        closed = hi - lo <= 4.0 * _EPS * np.maximum(np.abs(lo), np.abs(hi)) + 2.0 * _TINY
        ok[finish(slice(None))] = closed
    if ends:
        return x_out, aux_out, ok, lo_out, hi_out
    return x_out, aux_out, ok


def increasing(f, lo, hi, flo, fhi, alo, ahi, active=None):
    """:func:`bracketed` with the conventions of :func:`solve_increasing`, on raw arrays.

    Where ``f(lo) >= 0`` the answer is ``lo``, where ``f(hi) <= 0`` it is
    ``hi``; inactive elements return ``lo``. Returns ``(t, aux, converged)``.
    """
    at_lo = flo >= 0
    if active is not None:
        at_lo |= ~active
    M = mask(at_lo)
    t = pick(M, lo, hi)
    aux = pick(M[:, None], alo, ahi)
    ok = np.ones(lo.shape, dtype=bool)
    inner = ~at_lo & (fhi > 0) & (lo < hi)
    j = np.flatnonzero(inner)
    if j.size:

        def g(x, i, *near):
            return f(x, j[i], *near)

        t[j], aux[j], ok[j] = bracketed(g, lo[j], hi[j], flo[j], fhi[j], alo[j], ahi[j])
    return t, aux, ok


def solve_increasing(f, lo, hi, args=(), active=None):
    """Root of ``f`` (negative then positive in ``t``) on ``[lo, hi]``, elementwise.

    ``f(t, *args)`` is evaluated on subsets of the batch (``args`` sliced
    alike). Where ``f(lo) >= 0`` the answer is ``lo``; where ``f(hi) <= 0``
    it is ``hi``. Only ``active`` elements are solved; the rest return ``lo``.
    Returns ``(t, converged)``.

    Examples
    --------
    >>> import numpy as np
    >>> from bargain._core._roots import solve_increasing
    >>> c = np.array([2.0, 5.0, -1.0])
    >>> t, ok = solve_increasing(lambda t, c: t**2 - c, np.zeros(3), np.full(3, 2.0), (c,))
    >>> t  # sqrt(2); sqrt(5) is beyond the bracket (hi); f(lo) >= 0 (lo)
    array([1.41421356, 2.        , 0.        ])
    """
    lo = np.asarray(lo, dtype=float)
    hi = np.asarray(hi, dtype=float)
    t = lo.copy()
    ok = np.ones(lo.shape, dtype=bool)
    idx = np.arange(lo.size) if active is None else np.flatnonzero(active)
    if idx.size == 0:
        return t, ok
    sub = tuple(np.asarray(a)[idx] for a in args)
    left, right = lo[idx], hi[idx]
    with np.errstate(all="ignore"):
        fl, fr = clean(f(left, *sub)), clean(f(right, *sub))
    none = np.zeros((idx.size, 0))

    def g(x, i, *_):
        with np.errstate(all="ignore"):
            return clean(f(x, *(a[i] for a in sub))), none[: x.shape[0]]

    t[idx], _, ok[idx] = increasing(g, left, right, fl, fr, none, none)
    return t, ok


def bracket_increasing(f, lo, hi):
    """``(a, b)`` around the sign change of a non-decreasing ``f`` on ``[lo, hi]``, elementwise.

    ``f(t, idx)`` evaluates the elements ``idx`` at ``t``. ``f(a) <= 0 < f(b)``
    where ``f`` changes sign, with ``b - a`` a few ulps; ``a = b = lo`` where
    ``f(lo) >= 0`` and ``a = b = hi`` where ``f(hi) <= 0``.

    Examples
    --------
    >>> import numpy as np
    >>> from bargain._core._roots import bracket_increasing
    >>> a, b = bracket_increasing(lambda t, idx: t**2 - 0.5, np.zeros(1), np.ones(1))
    >>> bool(a[0] ** 2 <= 0.5 < b[0] ** 2), bool(b[0] - a[0] < 1e-15)
    (True, True)
    """
    lo = np.asarray(lo, dtype=float)
    hi = np.asarray(hi, dtype=float)
    every = np.arange(lo.size)
    with np.errstate(all="ignore"):
        flo, fhi = clean(f(lo, every)), clean(f(hi, every))
    a = np.where(flo >= 0, lo, hi).astype(float)
    b = a.copy()
    inner = (flo < 0) & (fhi > 0) & (lo < hi)
    j = np.flatnonzero(inner)
    if j.size:
        none = np.zeros((j.size, 0))

        def g(x, i, *_):
            with np.errstate(all="ignore"):
                return clean(f(x, j[i])), none[: x.shape[0]]

        _, _, _, a[j], b[j] = bracketed(g, lo[j], hi[j], flo[j], fhi[j], none, none, ends=True)
    return a, b
