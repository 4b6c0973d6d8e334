r"""Threat games: Nash's variable-threat bargaining and a plain coercion game (nashpy)."""

from __future__ import annotations

import warnings

import numpy as np

from .._core._result import Result
from .._core._validate import as_float_array

__all__ = ["coercion_game", "variable_threat"]


def _matrices(A, B):
    A = as_float_array(A, "A", min_ndim=2)
    B = as_float_array(B, "B", min_ndim=2)
    if A.ndim != 2 or B.shape != A.shape:
        raise ValueError(
            f"`A` and `B` must be payoff matrices of one shape (m, k), got {A.shape} and {B.shape}"
        )
    return A, B


def _frontier_segment(P):
    """The Pareto frontier of the convex hull of points ``P`` (N, 2), if one segment or point."""
    from ..utility._pareto import pareto_frontier

    mask = np.asarray(pareto_frontier(P))
    Q = np.unique(P[mask], axis=0)
    Q = Q[np.argsort(Q[:, 0])]
    if Q.shape[0] == 1:
        return Q[0], Q[0]
    a, b = Q[0], Q[-1]
    # every Pareto point must lie on the segment [a, b], and no point above its line
    normal = np.array([b[1] - a[1], a[0] - b[0]])  # outward (up-right) for a decreasing line
    normal = -normal if normal @ np.array([1.0, 1.0]) < 0 else normal
    off = (P - a) @ normal
    if np.any(off > 1e-9 * (1 + np.abs(P).max())):
        return None
    return a, b


def variable_threat(A, B, /, *, transferable=False) -> Result:
    r"""Nash's (1953) variable-threat bargaining solution of a bimatrix game.

    Each party first commits to a threat — a (mixed) strategy of the game
    ``(A, B)`` it will play if bargaining fails — then the parties bargain
    (Nash solution) with the resulting payoffs as the disagreement point.

    Parameters
    ----------
    A, B : array_like, shape (m, k)
        Payoffs of the row party (1) and the column party (2) for each pair
        of threat strategies (escalate / hold / de-escalate, ...).
    transferable : bool, default False
        Utility is transferable (side payments): the feasible set is
        :math:`u_1 + u_2 \le \max_{ij} (A_{ij} + B_{ij})`. Otherwise it is
        the convex hull of the payoff pairs (jointly randomised
        agreements), whose Pareto frontier must then be a single segment.

    Returns
    -------
    res : Result
        ``threats`` (the optimal mixed threat strategies, a pair of arrays),
        ``threat_point`` (2,) the disagreement point they induce, ``value``
        of the derived zero-sum game, ``slope`` ``h`` of the frontier
        :math:`u_2 = c - h u_1` and ``c``, ``utilities`` (2,) the Nash
        solution, ``derived_game`` (m, k) :math:`h A - B`, ``on_segment``
        (whether the Nash point lies within the frontier segment),
        ``success``, ``message``.

    Notes
    -----
    On a linear frontier :math:`u_2 = c - h u_1` the Nash solution with
    disagreement point ``d`` is
    :math:`u_1 = (c + h d_1 - d_2)/(2h)`, :math:`u_2 = (c - h d_1 + d_2)/2`.
    Party 1 gains exactly when :math:`h d_1 - d_2` rises and party 2 when
    it falls, so the threat choice is the zero-sum game with matrix
    :math:`hA - B` (Nash 1953, sec. on the threat game); its optimal
    strategies (solved by nashpy's linear programme) are the optimal
    threats, and the Nash solution at their threat point is the value of
    the whole game.

    References
    ----------
    .. [1] J. F. Nash, "Two-person cooperative games", Econometrica
       21(1):128-140, 1953.
    .. [2] R. D. Luce and H. Raiffa, *Games and Decisions*, Wiley, 1957,
       ch. 6 (two-person cooperative games: the threat game).

    Examples
    --------
    >>> import bargain as bg
    >>> A = [[4, -2], [-1, 1]]
    >>> B = [[1, 1], [2, -1]]
    >>> res = bg.variable_threat(A, B, transferable=True)
    >>> res.threats[0].round(6), res.utilities * 11  # (26/11, 29/11)
    (array([0.454545, 0.545455]), array([26., 29.]))
    """
    import nashpy

    A, B = _matrices(A, B)
    if transferable:
        h = 1.0
        c = float((A + B).max())
        ends = None
    else:
        P = np.stack([A.ravel(), B.ravel()], axis=-1)
        seg = _frontier_segment(P)
        if seg is None:
            raise ValueError(
                "the Pareto frontier of the convex hull of (A, B) has more than one segment; "
                "variable_threat supports a single segment (or transferable=True)"
            )
        a, b = seg
        if np.allclose(a, b):
            return Result(
                threats=(np.full(A.shape[0], 1 / A.shape[0]), np.full(A.shape[1], 1 / A.shape[1])),
                threat_point=a.copy(),
                value=0.0,
                slope=np.nan,
                c=np.nan,
                utilities=a.copy(),
                derived_game=np.zeros_like(A),
                on_segment=True,
                success=True,
                message="the frontier is a single point: every threat gives that point",
            )
        h = float((a[1] - b[1]) / (b[0] - a[0]))
        c = float(a[1] + h * a[0])
        ends = (a, b)
    M = h * A - B
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # nashpy/scipy notes on degenerate games
        p, q = nashpy.Game(M).linear_program()
    p = np.clip(np.asarray(p, float), 0, None)
    q = np.clip(np.asarray(q, float), 0, None)
    p, q = p / p.sum(), q / q.sum()
    d = np.array([p @ A @ q, p @ B @ q])
    u = np.array([(c + h * d[0] - d[1]) / (2 * h), (c - h * d[0] + d[1]) / 2])
    on = True
    if ends is not None:
        a, b = ends
        on = bool(a[0] - 1e-12 <= u[0] <= b[0] + 1e-12)
        if not on:
            u = a.copy() if u[0] < a[0] else b.copy()
    return Result(
        threats=(p, q),
        threat_point=d,
        value=float(p @ M @ q),
        slope=h,
        c=c,
        utilities=u,
        derived_game=M,
        on_segment=on,
        success=True,
        message="optimal threats found"
        if on
        else "the Nash point at the optimal threats falls off the frontier segment; clipped "
        "to its end (the derived game is then only an approximation)",
    )


def coercion_game(
    concession, punishment, /, *, value=1.0, cost=0.0, audience_cost=0.0, resolve=0.0
) -> Result:
    r"""A coercion game: the target complies or resists, the coercer carries out or backs down.

    Parameters
    ----------
    concession : float
        Target's cost of complying with the demand, ``> 0``.
    punishment : float
        Target's cost if it resists and the threat is carried out, ``> 0``.
    value : float, default 1
        Coercer's gain when the target complies.
    cost : float, default 0
        Coercer's cost of standing ready to carry out the threat (paid
        whenever it chooses "carry out").
    audience_cost : float, default 0
        Coercer's cost of backing down after resistance (reputation).
    resolve : float, default 0
        Coercer's net benefit of punishing a resister (beyond ``cost``).

    Returns
    -------
    res : Result
        ``A`` and ``B``: the target's and coercer's payoffs (rows comply /
        resist, columns carry out / back down); ``equilibria``: every Nash
        equilibrium (nashpy support enumeration) as (target, coercer) mixed
        strategies; ``credibility`` the probability of carrying out the
        threat and ``compliance`` the probability the target complies, in
        the first equilibrium; ``success``, ``message``.

    Notes
    -----
    Payoffs (target, coercer): comply :math:`(-c, v - m)` against carry out
    and :math:`(-c, v)` against back down; resist :math:`(-p, r - m)` and
    :math:`(0, -a)`. With :math:`c < p` and :math:`0 < m < r + a` neither
    side has a dominant strategy and the unique equilibrium is mixed: the
    target is indifferent when :math:`q p = c`, so credibility
    :math:`q^* = c/p` *emerges* — the threat is carried out just often
    enough to make compliance worthwhile — and the coercer is indifferent
    when the target complies with :math:`s^* = 1 - m/(r + a)`. With
    :math:`m > r + a` backing down dominates, the threat has credibility 0
    and the target resists.

    References
    ----------
    .. [1] T. C. Schelling, *Arms and Influence*, Yale University Press,
       1966, ch. 2 ("The art of commitment").
    .. [2] J. D. Fearon, "Domestic political audiences and the escalation of
       international disputes", American Political Science Review
       88(3):577-592, 1994.

    Examples
    --------
    >>> import bargain as bg
    >>> res = bg.coercion_game(0.3, 1.0, value=1.0, cost=0.2, audience_cost=0.5, resolve=0.3)
    >>> round(res.credibility, 12), round(res.compliance, 12)  # c/p and 1 - m/(r + a)
    (0.3, 0.75)
    """
    import nashpy

    vals = {}
    for key, v, positive in (
        ("concession", concession, True),
        ("punishment", punishment, True),
        ("value", value, False),
        ("cost", cost, False),
        ("audience_cost", audience_cost, False),
        ("resolve", resolve, False),
    ):
        a = as_float_array(v, key)
        if a.ndim:
            raise ValueError(f"`{key}` must be a scalar, got shape {a.shape}")
        if positive and a <= 0:
            raise ValueError(f"`{key}` must be > 0, got {float(a)}")
        if not positive and key != "resolve" and a < 0:
            raise ValueError(f"`{key}` must be >= 0, got {float(a)}")
        vals[key] = float(a)
    c, p, v, m = vals["concession"], vals["punishment"], vals["value"], vals["cost"]
    a, r = vals["audience_cost"], vals["resolve"]
    A = np.array([[-c, -c], [-p, 0.0]])
    B = np.array([[v - m, v], [r - m, -a]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # nashpy warns on degenerate games
        eqs = list(nashpy.Game(A, B).support_enumeration())
    eqs = [(np.asarray(s, float), np.asarray(t, float)) for s, t in eqs]
    if not eqs:  # degenerate ties: fall back on vertex enumeration
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            eqs = [
                (np.asarray(s), np.asarray(t)) for s, t in nashpy.Game(A, B).vertex_enumeration()
            ]
    s, t = eqs[0]
    return Result(
        A=A,
        B=B,
        equilibria=tuple(eqs),
        credibility=float(t[0]),
        compliance=float(s[0]),
        success=True,
        message=f"{len(eqs)} equilibrium/equilibria",
    )
