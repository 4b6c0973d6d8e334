"""Kernels for bargaining over lotteries: the convex hull of a finite set.

Two parties: exact and vectorised. The Pareto frontier of ``conv(S)`` is a
concave polygonal chain; the supporting vertex for the direction
``(lam, 1 - lam)`` is an ``argmax`` over the points, and it moves right
(``u_1`` up, ``u_2`` down) as ``lam`` grows. Each solution concept is a sign
change of a function ``H(lam, v)`` along that chain, so a bisection on ``lam``
(64 halvings reach float64 resolution) brackets the edge ``[p, q]`` holding
the solution, which is then found in closed form on the edge.

More parties: one problem at a time, cvxpy (exponential cone) for Nash and
HiGHS linear programmes for the others.
"""

from __future__ import annotations

import numpy as np

__all__: list[str] = []

_HALVINGS = 64


def _take(S, idx):
    """Rows ``S[..., idx, :]`` for a batch of indices."""
    return np.take_along_axis(S, idx[..., None, None], axis=-2)[..., 0, :]


def _extreme(S, party):
    """Lexicographic maximiser: best for ``party``, ties broken by the other."""
    a, b = S[..., party], S[..., 1 - party]
    top = a.max(axis=-1, keepdims=True)
    return np.argmax(np.where(a == top, b, -np.inf), axis=-1)


def _vertex(S, lam):
    score = lam[..., None] * S[..., 0] + (1.0 - lam)[..., None] * S[..., 1]
    return np.argmax(score, axis=-1)


def bracket(S, H):
    """Edge ``(p, q)`` of the hull's Pareto chain where ``H`` changes sign.

    ``H(lam, v) > 0`` means the target lies to the right of vertex ``v``.
    If ``H`` is already non-positive at the leftmost vertex, both ends are the
    leftmost vertex; if positive at the rightmost, both are the rightmost.
    """
    batch = S.shape[:-2]
    left, right = _extreme(S, 1), _extreme(S, 0)
    lo, hi = np.zeros(batch), np.ones(batch)
    h_left = H(lo, _take(S, left))
    h_right = H(hi, _take(S, right))
    p, q = left.copy(), right.copy()
    for _ in range(_HALVINGS):
        mid = 0.5 * (lo + hi)
        v = _vertex(S, mid)
        pos = H(mid, _take(S, v)) > 0
        lo = np.where(pos, mid, lo)
        hi = np.where(pos, hi, mid)
        p = np.where(pos, v, p)
        q = np.where(pos, q, v)
    at_left, at_right = h_left <= 0, h_right > 0
    p = np.where(at_left, left, np.where(at_right, right, p))
    q = np.where(at_left, left, np.where(at_right, right, q))
    return p, q


def _cross(a, b):
    return a[..., 0] * b[..., 1] - a[..., 1] * b[..., 0]


def _safe_div(num, den):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den != 0, num / np.where(den != 0, den, 1.0), 0.0)


def _ray(S, d, r):
    """Edge and position where the ray ``d + s r`` (``r > 0``) meets the chain."""

    def H(lam, v):
        return r[..., 0] * (v[..., 1] - d[..., 1]) - r[..., 1] * (v[..., 0] - d[..., 0])

    p, q = bracket(S, H)
    P, Q = _take(S, p), _take(S, q)
    t = np.clip(_safe_div(_cross(d - P, r), _cross(Q - P, r)), 0.0, 1.0)
    return p, q, t


def _level(S, d, party):
    """Edge and position where the chain crosses ``u_party = d_party``.

    ``party = 1``: the right end of the individually rational arc (``u_2 = d_2``);
    ``party = 0``: its left end (``u_1 = d_1``).
    """
    if party == 1:

        def H(lam, v):
            return v[..., 1] - d[..., 1]

    else:

        def H(lam, v):
            return d[..., 0] - v[..., 0]

    p, q = bracket(S, H)
    P, Q = _take(S, p), _take(S, q)
    t = np.clip(_safe_div(d[..., party] - P[..., party], Q[..., party] - P[..., party]), 0, 1)
    return p, q, t


def _point(S, p, q, t):
    P, Q = _take(S, p), _take(S, q)
    return P + t[..., None] * (Q - P)


def agreement2(S, d):
    """Whether some lottery strictly dominates ``d``: max-min gain > 0."""
    p, q, t = _ray(S, d, np.ones_like(d))
    return np.min(_point(S, p, q, t) - d, axis=-1) > 0


def nash2(S, d, w):
    """Generalised Nash solution on the hull (closed form on the bracketing edge).

    On the edge ``u(t) = P + t (Q - P)`` write ``A = P_1 - d_1``,
    ``B = Q_1 - P_1``, ``C = P_2 - d_2``, ``D = Q_2 - P_2``; the first-order
    condition of ``a log(A + tB) + b log(C + tD)`` gives
    ``t = -(aBC + bDA) / ((a + b) B D)``, clipped to ``[0, 1]``.
    """
    a, b = w[..., 0], w[..., 1]

    def H(lam, v):
        return a * (1.0 - lam) * (v[..., 1] - d[..., 1]) - b * lam * (v[..., 0] - d[..., 0])

    p, q = bracket(S, H)
    P, Q = _take(S, p), _take(S, q)
    A, B = P[..., 0] - d[..., 0], Q[..., 0] - P[..., 0]
    C, D = P[..., 1] - d[..., 1], Q[..., 1] - P[..., 1]
    t = np.clip(_safe_div(-(a * B * C + b * D * A), (a + b) * B * D), 0.0, 1.0)
    return p, q, t


def ideal2(S, d):
    """Ideal point of the individually rational part of the hull."""
    right = _point(S, *_level(S, d, 1))
    left = _point(S, *_level(S, d, 0))
    return np.stack([right[..., 0], left[..., 1]], axis=-1)


def kalai_smorodinsky2(S, d, w=None):
    """Kalai–Smorodinsky: the ray from ``d`` towards the ideal point."""
    a = ideal2(S, d)
    r = np.where(a - d > 0, a - d, 1.0)
    return _ray(S, d, r)


def egalitarian2(S, d, w):
    """Kalai's (proportional) egalitarian solution: the ray ``d + s w``."""
    return _ray(S, d, w)


def utilitarian2(S, d, w):
    """Weighted utilitarian on the hull's individually rational part.

    The supporting vertex for ``w``; if it is not individually rational, the
    end of the individually rational arc on its side (``w . u`` rises along
    the concave chain towards the vertex).
    """
    lam = w[..., 0] / (w[..., 0] + w[..., 1])
    v = _vertex(S, lam)
    V = _take(S, v)
    pr, qr, tr = _level(S, d, 1)
    pl, ql, tl = _level(S, d, 0)
    below2 = V[..., 1] < d[..., 1]
    below1 = V[..., 0] < d[..., 0]
    p = np.where(below2, pr, np.where(below1, pl, v))
    q = np.where(below2, qr, np.where(below1, ql, v))
    t = np.where(below2, tr, np.where(below1, tl, 0.0))
    return p, q, t


KERNELS2 = {
    "nash": nash2,
    "kalai_smorodinsky": kalai_smorodinsky2,
    "egalitarian": egalitarian2,
    "utilitarian": utilitarian2,
}


def solve2(concept, S, d, w):
    """Utilities, lottery weights and agreement for a two-party hull problem."""
    p, q, t = KERNELS2[concept](S, d, w)
    agreement = agreement2(S, d)
    U = np.where(agreement[..., None], _point(S, p, q, t), d)
    lottery = np.zeros(S.shape[:-1])
    same = p == q
    np.put_along_axis(lottery, q[..., None], np.where(same, 1.0, t)[..., None], axis=-1)
    np.put_along_axis(lottery, p[..., None], np.where(same, 1.0, 1.0 - t)[..., None], axis=-1)
    lottery = np.where(agreement[..., None], lottery, 0.0)
    return U, lottery, agreement


# -- n > 2 parties: one problem at a time ---------------------------------------


def _lp(c, A_ub, b_ub, m_extra, A_eq=None, b_eq=None):
    """Solve ``min c.x`` over lotteries (first ``m`` vars on the simplex) with HiGHS."""
    from scipy.optimize import linprog

    n_var = len(c)
    m = n_var - m_extra
    simplex = np.zeros((1, n_var))
    simplex[0, :m] = 1.0
    eq = simplex if A_eq is None else np.vstack([simplex, A_eq])
    rhs = [1.0] if b_eq is None else [1.0, *b_eq]
    bounds = [(0, None)] * m + [(None, None)] * m_extra
    return linprog(c, A_ub=A_ub, b_ub=b_ub, A_eq=eq, b_eq=rhs, bounds=bounds, method="highs")


def max_ray(P, d, r):
    """``max s`` with ``P.T lam >= d + s r`` over lotteries ``lam``; returns ``(s, lam)``.

    With ``r`` all ones, ``s`` is the ZOPA slack of the lotteries over ``P``
    (the largest smallest gain over ``d``) and ``lam`` the most robust lottery.
    """
    m, _n = P.shape
    c = np.zeros(m + 1)
    c[-1] = -1.0
    A_ub = np.hstack([-P.T, r[:, None]])
    res = _lp(c, A_ub, -d, 1)
    if res.status != 0:  # pragma: no cover - bounded and feasible by construction
        raise RuntimeError(f"HiGHS failed on a bounded LP: {res.message}")
    return res.x[-1], res.x[:m]


def max_linear(P, w, floor, fix=None):
    """The lottery maximising ``w . u`` with ``u = P.T lam >= floor``; ``None`` if infeasible.

    ``fix = (i, value)`` adds the constraint ``u_i = value``.
    """
    A_eq = b_eq = None
    if fix is not None:
        A_eq, b_eq = P[:, fix[0]][None, :], [fix[1]]
    res = _lp(-(P @ w), -P.T, -floor, 0, A_eq, b_eq)
    if res.status == 2:
        return None
    if res.status != 0:  # pragma: no cover
        raise RuntimeError(f"HiGHS failed on a feasible LP: {res.message}")
    return res.x


def _clean(lam):
    lam = np.clip(lam, 0.0, None)
    return lam / lam.sum()


def _nash_cvxpy(P, d, w):
    """Nash lottery for ``n > 2``: cvxpy (Clarabel), then Newton on the support.

    The interior-point answer is accurate to about 1e-8; Newton's method on the
    face it identifies (equality-constrained, KKT system) brings it to rounding
    error, and is kept only if the KKT certificate holds for every point:
    :math:`G_j (w / g) <= 1` with equality on the support.
    """
    import warnings

    import cvxpy as cp

    m = P.shape[0]
    scale = np.max(np.abs(P - d), axis=0)
    G = (P - d) / np.where(scale > 0, scale, 1.0)  # gains, rescaled per party
    lam = cp.Variable(m, nonneg=True)
    prob = cp.Problem(cp.Maximize(w @ cp.log(G.T @ lam)), [cp.sum(lam) == 1])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "may be inaccurate": polished below
        prob.solve(solver=cp.CLARABEL, tol_gap_abs=1e-10, tol_gap_rel=1e-10, tol_feas=1e-10)
    if prob.status not in ("optimal", "optimal_inaccurate"):  # pragma: no cover
        raise RuntimeError(f"cvxpy could not solve a Nash problem: status {prob.status}")
    start = _clean(np.asarray(lam.value))
    return _polish_nash(G, w, start)


def _polish_nash(G, w, lam0, iters=30):
    support = np.flatnonzero(lam0 > 1e-7)
    GK = G[support]
    x = lam0[support] / lam0[support].sum()
    k = support.size
    for _ in range(iters):
        g = GK.T @ x
        if np.any(g <= 0):
            return lam0
        grad = GK @ (w / g)
        H = -(GK * (w / g**2)) @ GK.T
        K = np.zeros((k + 1, k + 1))
        K[:k, :k], K[:k, k], K[k, :k] = H, 1.0, 1.0
        rhs = np.concatenate([-grad, [0.0]])
        step = np.linalg.lstsq(K, rhs, rcond=None)[0][:k]
        neg = step < 0
        alpha = min(1.0, 0.99 * np.min(-x[neg] / step[neg])) if np.any(neg) else 1.0
        x = x + alpha * step
        if np.max(np.abs(alpha * step)) < 1e-16:
            break
    lam = np.zeros_like(lam0)
    lam[support] = np.clip(x, 0.0, None)
    lam /= lam.sum()
    g = G.T @ lam
    if np.any(g <= 0):
        return lam0
    c = G @ (w / g)  # KKT: c_j <= 1 for all j, = 1 on the support
    if np.max(c) > 1 + 1e-9 or np.any(np.abs(c[support] - 1) > 1e-9):
        return lam0
    return lam


def solve_n(concept, S, d, w, tol=1e-10):
    """Loop over the batch for ``n > 2`` parties (LPs with HiGHS, Nash with cvxpy)."""
    batch, (m, n) = S.shape[:-2], S.shape[-2:]
    Sf, df, wf = S.reshape(-1, m, n), d.reshape(-1, n), w.reshape(-1, n)
    U = np.empty_like(df)
    L = np.zeros((Sf.shape[0], m))
    A = np.zeros(Sf.shape[0], dtype=bool)
    for k in range(Sf.shape[0]):
        P, dk, wk = Sf[k], df[k], wf[k]
        scale = 1.0 + np.max(np.abs(P))
        s, _ = max_ray(P, dk, np.ones(n))
        if s <= tol * scale:
            U[k] = dk
            continue
        A[k] = True
        if concept == "nash":
            lam = _nash_cvxpy(P, dk, wk)
        elif concept == "utilitarian":
            lam = _clean(max_linear(P, wk, dk))
        else:
            if concept == "kalai_smorodinsky":
                ideal = np.array([P[:, i] @ max_linear(P, np.eye(n)[i], dk) for i in range(n)])
                r = ideal - dk
            else:
                r = wk
            s, lam_ray = max_ray(P, dk, r)
            lam = _clean(lam_ray)
            # Pareto refinement: best normalised sum among points dominating the ray
            # point; taken only when it improves on the ray point by more than the
            # LP's own slack, so a strongly Pareto-optimal ray point is kept exactly
            floor = dk + s * r - tol * scale
            refined = _clean(max_linear(P, 1.0 / r, floor))
            gain_ray = np.sum((P.T @ lam - dk) / r)
            gain_ref = np.sum((P.T @ refined - dk) / r)
            if gain_ref - gain_ray > 1e3 * n * tol * scale / np.min(r):
                lam = refined
        L[k] = lam
        U[k] = P.T @ lam
    return U.reshape(batch + (n,)), L.reshape(batch + (m,)), A.reshape(batch)
