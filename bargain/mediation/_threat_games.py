r"""Threat games: Nash's variable-threat bargaining and a plain coercion game (nashpy)."""

from __future__ import annotations

import warnings

import numpy as np

from .._core._result import Result
from .._core._validate import as_float_array

__all__ = ["coercion_game", "security_levels", "variable_threat"]


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


def _maximin(M):
    r"""``(value, strategy)``: the row player's maximin over mixed strategies of payoffs ``M``.

    The linear programme :math:`\max v` s.t. :math:`M^\top x \ge v`, ``x`` on
    the simplex (HiGHS).
    """
    from scipy.optimize import linprog

    m, k = M.shape
    c = np.zeros(m + 1)
    c[-1] = -1.0
    A_ub = np.hstack([-M.T, np.ones((k, 1))])
    A_eq = np.hstack([np.ones((1, m)), np.zeros((1, 1))])
    res = linprog(
        c,
        A_ub=A_ub,
        b_ub=np.zeros(k),
        A_eq=A_eq,
        b_eq=[1.0],
        bounds=[(0, None)] * m + [(None, None)],
        method="highs",
    )
    if res.status != 0:  # pragma: no cover - always feasible and bounded
        raise RuntimeError(f"HiGHS failed on a maximin LP: {res.message}")
    x = np.clip(res.x[:m], 0.0, None)
    x /= x.sum()
    return float(np.min(x @ M)), x


def security_levels(A, B, /, *, transferable=False) -> Result:
    r"""Each party's security level in a bimatrix game, and Nash's (1950) fixed-threat solution.

    A party's *security level* is the most it can guarantee itself whatever
    the other does: its maximin value over mixed strategies,

    .. math:: v_1 = \max_x \min_j (x^\top A)_j, \qquad v_2 = \max_y \min_i (B y)_i .

    Nash (1950) takes the security levels as the status quo of the
    bargaining problem on the game's feasible set; Nash (1953,
    :func:`variable_threat`) lets each party choose its threat instead. Both
    are returned, so the two can be compared on the same game.

    Parameters
    ----------
    A, B : array_like, shape (m, k)
        Payoffs of the row party and the column party.
    transferable : bool, default False
        Transferable utility: the feasible set is
        :math:`u_1 + u_2 \le \max_{ij}(A_{ij} + B_{ij})`. Otherwise the convex
        hull of the payoff pairs (jointly randomised agreements).

    Returns
    -------
    res : Result
        ``security`` (2,): the security levels :math:`(v_1, v_2)`;
        ``strategies``: each party's maximin mixed strategy (a pair of
        arrays); ``utilities`` (2,): the Nash bargaining solution with the
        security levels as disagreement point (``agreement`` says whether
        some feasible point strictly dominates them); ``variable_threat``:
        the :func:`variable_threat` result on the same game (None where that
        solution is not defined: a frontier of several segments without
        transferable utility); ``success``, ``message``.

    Notes
    -----
    Each security level is a linear programme (HiGHS): maximise ``v``
    subject to the party's expected payoff being at least ``v`` against
    every pure strategy of the other, over the simplex. With transferable
    utility the Nash solution splits the surplus over the security levels
    equally: :math:`u_i = v_i + (c - v_1 - v_2)/2`. Since a party's optimal
    threat is chosen to hurt the other, not to protect itself, the fixed and
    the variable threat points differ in general, and with them the
    agreements.

    References
    ----------
    .. [1] J. F. Nash, "The bargaining problem", Econometrica 18(2):155-162, 1950.
    .. [2] J. F. Nash, "Two-person cooperative games", Econometrica
       21(1):128-140, 1953.
    .. [3] R. D. Luce and H. Raiffa, *Games and Decisions*, Wiley, 1957, sec. 6.5
       (maximin values as the status quo).

    Examples
    --------
    The game of :func:`variable_threat`: the row party can guarantee 1/4
    (mixing 1/4, 3/4), the column party 1 (its first column).

    >>> import bargain as bg
    >>> A = [[4, -2], [-1, 1]]
    >>> B = [[1, 1], [2, -1]]
    >>> res = bg.security_levels(A, B, transferable=True)
    >>> res.security.round(12), res.strategies[0].round(12)
    (array([0.25, 1.  ]), array([0.25, 0.75]))
    >>> res.utilities  # 0.25 + 3.75 / 2 and 1 + 3.75 / 2
    array([2.125, 2.875])
    >>> res.variable_threat.utilities * 11  # the variable threats favour the row party
    array([26., 29.])
    """
    A, B = _matrices(A, B)
    transferable = bool(transferable)
    v1, x = _maximin(A)
    v2, y = _maximin(B.T)
    d = np.array([v1, v2])
    if transferable:
        c = float((A + B).max())
        surplus = c - v1 - v2
        agreement = surplus > 1e-12 * (1.0 + abs(c))
        u = d + max(surplus, 0.0) / 2 if agreement else d.copy()
    else:
        from ..utility._solve import solve

        P = np.stack([A.ravel(), B.ravel()], axis=-1)
        res = solve("nash", P, d, None, True)
        u, agreement = np.asarray(res.utilities), bool(res.agreement)
    try:
        vt = variable_threat(A, B, transferable=transferable)
    except ValueError:
        vt = None
    return Result(
        security=d,
        strategies=(x, y),
        utilities=u,
        agreement=agreement,
        variable_threat=vt,
        success=True,
        message="security levels found"
        + ("" if vt is not None else "; the variable-threat solution needs a one-segment frontier"),
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
