r"""Axiomatic bargaining solutions in utility space.

A two-or-more-party bargaining problem is a pair ``(S, d)``: the feasible set
``S`` of utility vectors and the disagreement point ``d``. ``S`` is given as

- an array of shape ``(..., m, n)``: ``m`` points for ``n`` parties; with
  ``hull=True`` the parties may also agree on lotteries over them, so the
  feasible set is their convex hull;
- a :class:`~bargain.Frontier` (two parties): a continuous concave frontier.

Leading dimensions of every argument are batch dimensions; they broadcast
against one another like a ufunc, and one call solves the whole batch.
"""

from __future__ import annotations

from .._core._result import Result
from ..issues._negotiation import Negotiation
from ..utility._solve import solve

__all__ = ["egalitarian", "kalai_smorodinsky", "nash", "utilitarian"]


def _solve(concept: str, S, d, weights, hull, use_weights=True):
    if isinstance(S, Negotiation):  # issue space: d defaults to the reservation values
        return S.solve(concept, d, weights if use_weights else None, hull=hull)
    if d is None:
        raise TypeError("`d` (the disagreement point) is required unless `S` is a Negotiation")
    return solve(concept, S, d, weights, hull, use_weights)


_RETURNS = """
    Returns
    -------
    res : Result
        ``utilities`` (..., n), the solution (``d`` where there is no
        agreement); ``agreement`` (...), whether some feasible point strictly
        dominates ``d``; ``index`` (...) for point sets without lotteries (the
        chosen row, ``-1`` without agreement); ``lottery`` (..., m) with
        ``hull=True`` (probability of each point; all zero without agreement);
        ``x`` (...) on a :class:`Frontier` (the parameter of the solution; without
        agreement, of the frontier point with the largest smallest gain);
        ``success``, ``status`` (0 agreement, 1 no agreement, -2 not converged)
        and ``message``.
"""

_PARAMS = """
    Parameters
    ----------
    S : array_like, shape (..., m, n), Frontier or Negotiation
        Feasible utility vectors, a continuous two-party frontier, or a
        :class:`~bargain.Negotiation` (solved in issue space; the result then
        also has ``outcome``, the agreement as issue values — see
        :meth:`bargain.Negotiation.solve`).
    d : array_like, shape (..., n)
        Disagreement point (required, except for a Negotiation, where it
        defaults to the parties' reservation values).
"""


def nash(S, d=None, /, weights=None, *, hull=False) -> Result:
    r"""Generalised (asymmetric) Nash bargaining solution.

    Maximises the weighted Nash product over the individually rational part
    of ``S``:

    .. math:: \max_{u \in S,\ u > d} \prod_i (u_i - d_i)^{w_i}
    {params}
    weights : array_like, shape (..., n), optional
        Bargaining powers ``w_i > 0`` (normalised to sum to 1); equal by default.
    hull : bool, default False
        Allow lotteries over the points (the convex hull of ``S``).
    {returns}

    Notes
    -----
    Finite set: the maximiser of :math:`\sum_i w_i \log(u_i - d_i)` over the
    points strictly above ``d`` (first index on ties). Every maximiser is
    Pareto optimal, because a dominating point has a larger product.

    Convex hull, two parties: the log Nash product is concave on the hull, so
    the maximiser lies on the edge ``[P, Q]`` of the Pareto chain where the
    supporting line of the hull has normal proportional to
    :math:`(w_1 / (u_1 - d_1),\ w_2 / (u_2 - d_2))`. On that edge the first-order
    condition is linear in the lottery weight and solved in closed form.
    More parties: cvxpy (exponential cone, Clarabel), about 1e-7 relative accuracy.

    Frontier ``t -> (u_1(t), u_2(t))``: the first-order condition

    .. math:: w_1 u_1'(t) (u_2(t) - d_2) + w_2 u_2'(t) (u_1(t) - d_1) = 0

    changes sign once on the individually rational arc; its root is found to
    ``|dt| <= 4 eps |t|`` (Brent's safeguarded secant method, vectorised:
    :func:`bargain._core._roots.solve_increasing`).

    References
    ----------
    .. [1] J. F. Nash, "The bargaining problem", Econometrica 18(2):155-162, 1950.
    .. [2] A. E. Roth, *Axiomatic Models of Bargaining*, Springer, 1979, ch. 1-2
       (the asymmetric solution).

    Examples
    --------
    Split a unit pie; party 2's utility is the square root of its share:

    >>> import numpy as np, bargain as bg
    >>> res = bg.nash(bg.Frontier.split("linear", ("power", 0.5)), [0, 0])
    >>> float(res.x)  # party 1's share, 2/3
    0.6666666666666666
    >>> res.utilities
    array([0.66666667, 0.57735027])

    A batch of three finite problems in one call:

    >>> S = np.array([[0, 1], [0.5, 0.6], [0.7, 0.4], [1, 0]])
    >>> d = np.array([[0, 0], [0.6, 0], [0.9, 0.9]])
    >>> r = bg.nash(S, d)
    >>> r.index, r.agreement
    (array([ 1,  2, -1]), array([ True,  True, False]))
    """
    return _solve("nash", S, d, weights, hull)


def kalai_smorodinsky(S, d=None, /, *, hull=False, convention="kalai-smorodinsky") -> Result:
    r"""Kalai–Smorodinsky solution: equal shares of each party's ideal gain.

    With the ideal point :math:`a_i = \max\{u_i : u \in S, u \ge d\}`, the
    solution is the maximal feasible point on the segment from ``d`` to ``a``:

    .. math:: \frac{u_1 - d_1}{a_1 - d_1} = \dots = \frac{u_n - d_n}{a_n - d_n}
    {params}
    hull : bool, default False
        Allow lotteries over the points (the convex hull of ``S``).
    convention : {{"kalai-smorodinsky", "negmas"}}, default "kalai-smorodinsky"
        ``"negmas"`` reproduces negmas' ``ks_points`` (finite sets and
        discrete negotiations only, no lotteries): see the Notes.
    {returns}

    Notes
    -----
    *Conventions.* The default follows the 1975 definition: the ideal point
    over the individually rational outcomes, and on a finite set the leximin
    (max-min) rule below. negmas (``negmas.preferences.ops.ks_points``) takes
    the ideal over *all* outcomes, :math:`a_i = \max_{{u \in S}} u_i`, the
    lower end :math:`l_i = d_i` if :math:`d_i \ge \min_{{u \in S}} u_i`
    (else that minimum), and among the Pareto-optimal points with
    :math:`u \ge d` the one closest to equal normalised gains,
    :math:`\min \bigl(\max_i g_i - \min_i g_i\bigr)` with
    :math:`g_i = (u_i - l_i)/(a_i - l_i)` (first point in input order on
    ties within ``1e-12``). Both are defensible readings of KS on finite
    sets; ``convention="negmas"`` lets a user migrating from negmas
    reproduce its numbers. The result then has ``convention = "negmas"``.

    Finite set (no point need lie on the segment): the leximin point of the
    normalised gains :math:`(u_i - d_i)/(a_i - d_i)` among points weakly above
    ``d``, which reduces to the segment's maximal point when it is in ``S``.
    Two-party hull and frontier: the exact intersection of the segment with
    the Pareto frontier (closed form on the bracketing edge; root-finding on a
    frontier). ``n > 2`` hull: linear programmes; when the maximal point on the
    segment is only weakly Pareto optimal, the point dominating it with the
    largest sum of normalised gains is returned.

    References
    ----------
    .. [1] E. Kalai and M. Smorodinsky, "Other solutions to Nash's bargaining
       problem", Econometrica 43(3):513-518, 1975.

    Examples
    --------
    The Kalai–Smorodinsky (1975) example: enlarging the set for party 2
    lowers its Nash payoff but raises its KS payoff.

    >>> import bargain as bg
    >>> S = [[0, 0], [1, 0], [0, 1], [0.75, 0.75]]
    >>> T = [[0, 0], [1, 0], [0, 1], [1, 0.7]]
    >>> bg.kalai_smorodinsky(T, [0, 0], hull=True).utilities  # 1/1.3 each
    array([0.76923077, 0.76923077])
    >>> bg.nash(T, [0, 0], hull=True).utilities
    array([1. , 0.7])
    """
    if convention == "negmas":
        return _ks_negmas(S, d, hull)
    if convention != "kalai-smorodinsky":
        raise ValueError(
            f"`convention` must be 'kalai-smorodinsky' or 'negmas', got {convention!r}"
        )
    return _solve("kalai_smorodinsky", S, d, None, hull, use_weights=False)


def _ks_negmas(S, d, hull) -> Result:
    """Kalai–Smorodinsky under negmas' conventions (see :func:`kalai_smorodinsky`)."""
    import numpy as np

    from .._core._result import scalar
    from .._core._validate import as_points, as_vector
    from ..utility._pareto import pareto_frontier

    if hull:
        raise ValueError("`convention='negmas'` is defined on finite sets: use hull=False")
    neg = S if isinstance(S, Negotiation) else None
    if neg is not None:
        A = neg.agenda
        if A.continuous:
            raise ValueError(
                "`convention='negmas'` needs a finite set of outcomes: an all-discrete agenda "
                f"(continuous issues: {[A.names[k] for k in A.continuous]})"
            )
        X = A.enumerate()
        U = neg.coded_utilities(X)
        d = neg.disagreement(d)
    else:
        if d is None:
            raise TypeError("`d` (the disagreement point) is required unless `S` is a Negotiation")
        U = as_points(S)
        d = as_vector(d, U.shape[-1], "d", "S")
    batch = np.broadcast_shapes(U.shape[:-2], d.shape[:-1])
    U = np.broadcast_to(U, batch + U.shape[-2:])
    d = np.broadcast_to(d, batch + d.shape[-1:])
    lo, hi = U.min(axis=-2), U.max(axis=-2)
    low = np.where(np.isfinite(d) & (d >= lo), d, lo)
    span = hi - low
    safe = np.where(span != 0, span, 1.0)
    gains = np.where(
        span[..., None, :] != 0, (U - low[..., None, :]) / safe[..., None, :], U - low[..., None, :]
    )
    ok = np.all(U >= d[..., None, :], axis=-1) & pareto_frontier(U)
    spread = np.where(ok, gains.max(axis=-1) - gains.min(axis=-1), np.inf)
    best = spread.min(axis=-1, keepdims=True)
    agreement = np.isfinite(best[..., 0])
    index = np.argmax(spread <= best + 1e-12, axis=-1)
    index = np.where(agreement, index, -1)
    pick = np.take_along_axis(U, np.maximum(index, 0)[..., None, None], axis=-2)[..., 0, :]
    utilities = np.where(agreement[..., None], pick, d)
    status = np.where(agreement, 0, 1)
    fields = dict(
        concept="kalai_smorodinsky",
        convention="negmas",
        utilities=utilities,
        agreement=scalar(agreement),
        index=scalar(index),
        success=True,
        status=scalar(status),
        message="agreement found"
        if np.all(agreement)
        else (
            "no Pareto-optimal point is weakly above d"
            if not np.any(agreement)
            else f"no agreement in {int((~agreement).sum())} of {agreement.size} problems"
        ),
    )
    if neg is not None:
        coded = X[np.maximum(index, 0)]
        fields.update(outcome=neg.agenda.decode(coded), coded=coded, parties=neg.names)
    return Result(**fields)


def egalitarian(S, d=None, /, weights=None, *, hull=False) -> Result:
    r"""Kalai's (1977) egalitarian / proportional solution.

    The maximal feasible point with gains proportional to ``weights``:

    .. math:: u - d = s\,w, \quad s \text{ as large as possible}
    {params}
    weights : array_like, shape (..., n), optional
        Proportions of the gains (positive); equal gains by default.
    hull : bool, default False
        Allow lotteries over the points (the convex hull of ``S``).
    {returns}

    Notes
    -----
    Finite set: the leximin point of :math:`(u_i - d_i)/w_i` over points weakly
    above ``d``. Two-party hull and frontier: the exact intersection of the ray
    :math:`d + s w` with the Pareto frontier, or the frontier's end nearest to
    it when the ray misses the frontier's individually rational arc (then the
    leximin point). ``n > 2`` hull: linear programmes, Pareto-refined as for
    :func:`kalai_smorodinsky`.

    References
    ----------
    .. [1] E. Kalai, "Proportional solutions to bargaining situations:
       interpersonal utility comparisons", Econometrica 45(7):1623-1630, 1977.

    Examples
    --------
    >>> import bargain as bg
    >>> F = bg.Frontier.from_function(lambda x: 1 - x**2, 0.0, 1.0)
    >>> u = bg.egalitarian(F, [0, 0]).utilities  # u1 = u2 = (sqrt(5) - 1) / 2
    >>> u
    array([0.61803399, 0.61803399])
    """
    return _solve("egalitarian", S, d, weights, hull)


def utilitarian(S, d=None, /, weights=None, *, hull=False) -> Result:
    r"""Weighted utilitarian solution over the individually rational set.

    .. math:: \max_{u \in S,\ u \ge d} \sum_i w_i u_i
    {params}
    weights : array_like, shape (..., n), optional
        Positive weights of the parties' utilities; equal by default.
    hull : bool, default False
        Allow lotteries over the points (the convex hull of ``S``).
    {returns}

    Notes
    -----
    Restricting to points weakly above ``d`` keeps the solution individually
    rational. With positive weights every maximiser is Pareto optimal; ties
    go to the first index (points) or the first supporting vertex (hull). On a
    frontier the condition :math:`w_1 u_1'(t) + w_2 u_2'(t) = 0` is solved on
    the individually rational arc, or its nearer end is returned.

    References
    ----------
    .. [1] M. J. Osborne and A. Rubinstein, *Bargaining and Markets*,
       Academic Press, 1990, sec. 2.5 (comparison of solutions).

    Examples
    --------
    >>> import bargain as bg
    >>> F = bg.Frontier.split("linear", ("power", 0.5))
    >>> round(float(bg.utilitarian(F, [0, 0]).x), 12)  # 1 = 1/(2 sqrt(1-x)) at x = 3/4
    0.75
    """
    return _solve("utilitarian", S, d, weights, hull)


for _f in (nash, kalai_smorodinsky, egalitarian, utilitarian):
    if _f.__doc__:  # None under python -OO
        _f.__doc__ = _f.__doc__.replace("{params}", _PARAMS).replace("{returns}", _RETURNS)
del _f
