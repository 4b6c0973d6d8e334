r"""Alternating-offers bargaining: subgame-perfect equilibria, vectorised.

Three public functions share one game (described in :func:`rubinstein`):

- :func:`rubinstein`: discounting, breakdown risk, disagreement and outside
  options, infinite or finite horizon, on the unit pie or a concave frontier;
- :func:`rubinstein_costs`: Rubinstein's fixed per-round costs;
- :func:`rubinstein_nash_limit`: the limit of vanishing time between offers,
  a generalised Nash solution.

Leading dimensions of every argument are batch dimensions that broadcast like
a ufunc; kernels live in :mod:`bargain.solutions._rubinstein_kernels`.
"""

from __future__ import annotations

import numpy as np

from .._core._result import Lazy, Result, scalar, status_message
from .._core._validate import _short, as_float_array, as_points, batch_shape, check_bool
from ..utility._chain import Chain, lottery, pareto_chain
from ..utility._chain import edge as _edge
from ..utility._frontier import Frontier
from . import _rubinstein_kernels as _k

__all__ = [
    "nash_limit_weights",
    "rubinstein",
    "rubinstein_costs",
    "rubinstein_nash_limit",
    "rubinstein_setup",
]

_STATUS = {
    0: "agreement in the first round",
    1: "no agreement: no frontier point is strictly better for both than max(d, outside)",
    2: "indeterminate: equal costs support a continuum of SPE (see utilities_range)",
    -2: "not converged",
}


def _message(status) -> str:
    return status_message(status, _STATUS)


# -- argument checks ---------------------------------------------------------------


def _pair(value, name: str) -> np.ndarray:
    arr = as_float_array(value, name, min_ndim=1)
    if arr.shape[-1] != 2:
        raise ValueError(
            f"`{name}` must have shape (..., 2), one value per party, got shape {arr.shape}"
        )
    return arr


def _first(first) -> np.ndarray:
    arr = np.asarray(first)
    if arr.dtype.kind not in "iu" or not np.all((arr == 0) | (arr == 1)):
        raise ValueError(f"`first` must be 0 or 1 (the party who proposes first), got {first!r}")
    return arr.astype(np.intp)


def _horizon(horizon) -> np.ndarray | None:
    if horizon is None:
        return None
    arr = np.asarray(horizon)
    if arr.dtype.kind not in "iu":
        raise TypeError(f"`horizon` must be an integer number of rounds or None, got {horizon!r}")
    if np.any(arr < 1):
        raise ValueError(f"`horizon` must be >= 1 round, got {_short(arr[arr < 1])}")
    return arr.astype(np.int64)


def _probability(value, name: str, *, closed: bool = False) -> np.ndarray:
    p = as_float_array(value, name)
    bad = (p < 0) | (p > 1) if closed else (p < 0) | (p >= 1)
    if np.any(bad):
        interval = "[0, 1]" if closed else "[0, 1)"
        raise ValueError(f"`{name}` must be a probability in {interval}, got {_short(p[bad])}")
    return p


def _discount(delta, p, name="`delta`", *, infinite=True) -> np.ndarray:
    """Discount factors in ``[0, 1]``; both per-round factors 1 only with a finite horizon."""
    if isinstance(delta, np.ndarray) and delta.dtype == np.float64 and delta.size:
        # large batches: min and max (which propagate NaN) check finiteness and range
        # in two passes, without the temporaries of a separate finiteness test
        lo, hi = float(delta.min()), float(delta.max())
        if not (np.isfinite(lo) and np.isfinite(hi)):
            delta = _pair(delta, "delta")  # raises, naming the non-finite values
        if delta.ndim < 1 or delta.shape[-1] != 2:
            delta = _pair(delta, "delta")  # raises, naming the shape
    else:
        delta = _pair(delta, "delta")
        lo, hi = (float(delta.min()), float(delta.max())) if delta.size else (0.0, 0.0)
    if lo < 0 or hi > 1:
        bad = delta[(delta < 0) | (delta > 1)]
        raise ValueError(
            f"{name} (discount factors per round) must be in [0, 1], got {_short(bad)}"
        )
    if infinite and hi == 1:
        a = (1.0 - p)[..., None] * delta
        both = np.all(a == 1, axis=-1)
        if np.any(both):
            raise ValueError(
                f"{name}: with both parties' per-round factors (1 - breakdown) * delta equal "
                "to 1 the infinite game has no unique equilibrium (every split is one); give "
                "one party a discount factor below 1, a positive `breakdown`, or a `horizon`"
            )
    return delta


def _space(S):
    """``None`` (the pie), a :class:`Frontier`, or a validated point set ``(..., m, 2)``."""
    if S is None or isinstance(S, Frontier):
        return S
    if callable(S):
        raise TypeError("`S` is a function: wrap a continuous frontier in bargain.Frontier")
    try:
        P = as_points(S, "S")
    except TypeError:
        raise TypeError(
            "`S` must be None (the unit pie), a bargain.Frontier (a concave two-party "
            f"frontier) or an array of utility vectors (..., m, 2), got {type(S).__name__}"
        ) from None
    if P.shape[-1] != 2:
        raise ValueError(
            f"alternating offers need exactly two parties: `S` must have shape (..., m, 2), "
            f"got {P.shape}"
        )
    return P


def _flat(a, batch, tail=()):
    return np.ascontiguousarray(np.broadcast_to(a, batch + tail)).reshape((-1,) + tail)


# -- the game with discounting, breakdown and outside options -------------------------


def rubinstein(
    delta,
    /,
    S=None,
    d=None,
    *,
    first=0,
    breakdown=None,
    outside=None,
    horizon=None,
    fixed=None,
    hull=False,
    protocol=None,
) -> Result:
    r"""Subgame-perfect equilibrium of Rubinstein's alternating-offers game.

    Two parties take turns proposing a point of the frontier; the other
    accepts (agreement, the game ends) or rejects, and after a rejection the
    talks break down with probability ``breakdown``, the responder may walk
    away to its outside option, and otherwise the roles swap one round
    (one discount factor) later.

    Parameters
    ----------
    delta : array_like, shape (..., 2), or Negotiation
        Discount factors per round ``(delta_1, delta_2)``, each in ``(0, 1)``
        (exactly 1 allowed when ``breakdown > 0``: the pure breakdown model).
        Or a two-party :class:`~bargain.Negotiation`: then the frontier, the
        discount factors, ``d`` (the reservation values), ``breakdown`` and
        the outside options default to the negotiation's, and the result
        also holds issue values. Divisible issues: the SPE on the continuous
        frontier. Discrete issues: the game over the Pareto-optimal packages
        (see ``hull``). Mixed agendas: with ``hull=True`` the SPE on the
        frontier with lotteries over the discrete combinations (a Minkowski
        sum, concave), mapped back to a deal or a lottery over two; without,
        the frequent-offer limit (the Nash solution with powers
        :math:`1/(-\ln a_i)` over the agenda), or the SPE on the continuous
        frontier the options in ``fixed`` leave.
    S : None, Frontier or array_like of shape (..., m, 2), optional
        The deals: ``None`` for a unit pie (party 1's share ``t``,
        utilities ``(t, 1 - t)``), a concave two-party :class:`Frontier`, or
        the utility vectors of ``m`` packages (see ``hull``).
    d : array_like, shape (..., 2), optional
        Disagreement point: the (present value of the) utilities while talks
        go on without a deal, and the utilities after a breakdown. Zero by
        default.
    first : int or array_like of int, shape (...), default 0
        The party (0 or 1) who proposes in the first round.
    breakdown : array_like, shape (...), optional
        Probability ``p`` in ``[0, 1)`` that the talks break down after a
        rejection (Binmore, Rubinstein and Wolinsky 1986); 0 by default.
    outside : array_like, shape (..., 2), optional
        Outside options ``w``: the utilities when a responder opts out
        instead of making a counter-offer (Shaked and Sutton 1984; Binmore,
        Shaked and Sutton 1989). An option no better than ``d`` never matters.
    horizon : int or array_like of int, shape (...), optional
        Number of rounds ``T``; after the last rejection the talks end at
        ``d`` (or the outside options). ``None`` (default): infinite horizon.
    fixed : mapping of str to option, optional
        With a Negotiation over a mixed agenda: the options of its discrete
        issues (the game is played on the continuous frontier they leave; see
        :func:`rubinstein_setup`, which says when alternating offers apply).
    protocol : {"rotating", "exit"}, optional
        With ``n >= 3`` discount factors (``delta`` of shape (..., n)) the
        parties split a unit pie: ``"rotating"`` (default) is Shaked's game,
        where after any rejection the next party in order proposes (Osborne
        and Rubinstein 1990, sec. 3.13), ``"exit"`` the unanimity game with
        exit after Krishna and Serrano (1996), whose SPE is unique (see
        Notes). ``first`` is then a party index; ``d``, ``outside``,
        ``horizon`` and ``S`` are not supported.
    hull : bool, default False
        With packages (a point set ``S``, or a Negotiation over discrete
        issues): ``True`` lets the parties agree on lotteries over packages,
        so the game is played on the Pareto frontier of their convex hull and
        has a unique SPE; ``False`` (as for :func:`bargain.nash`) keeps to the
        packages themselves, where the SPE is not unique: the result then
        reports the stationary SPE and, as its point, their frequent-offer
        limit (see Notes).

    Returns
    -------
    res : Result
        ``utilities`` (..., 2): the agreement reached in the first round (the
        no-deal utilities without agreement: ``outside`` if some party prefers
        it to ``d``, else ``d``); ``x`` (...): the frontier parameter of the
        agreement (party 1's share on the pie); ``proposals`` (..., 2, 2):
        row ``i`` is the utility vector that party ``i`` proposes when it is
        the proposer (``x*`` and ``y*``; with a finite horizon, its round-1
        proposal as the first proposer); ``proposals_x`` (..., 2): their
        frontier parameters; ``first_mover_advantage`` (..., 2): for each
        party, its utility when it proposes first minus when the other does;
        ``agreement`` (...); ``success``, ``status`` (0 agreement, 1 no
        agreement, -2 not converged) and ``message``. Without agreement
        ``proposals`` hold the no-deal utilities, ``x`` and ``proposals_x``
        the lower end of the frontier's domain and the advantage is zero.
        With a Negotiation also ``outcome`` (the agreed issue values, an
        :class:`~bargain.Outcome`), ``coded`` (the same as a float array) and
        ``proposal_outcomes`` (each party's proposal as issue values); ``x``
        is then party 1's utility, the parameter of the negotiation's frontier.

        With packages and ``hull=True`` also ``lottery`` (..., m): the
        probability of each package in the agreement (at most two adjacent
        vertices of the hull's frontier), ``packages`` (..., 2): their
        indices (equal when the agreement is a package), ``p_upper``: the
        probability of the second, and ``proposal_lotteries`` (..., 2, m);
        ``x`` is party 1's utility. With a Negotiation, ``lottery_outcomes``:
        ``(probability, Outcome)`` pairs, and ``outcome`` (``None`` when the
        agreement is a genuine lottery). With ``hull=False``: ``utilities``
        and ``index`` (..., ``-1`` without agreement) of the frequent-offer
        limit, ``stationary`` (..., m, m): whether "party 1 always proposes
        package ``i``, party 2 package ``j``" is a stationary SPE,
        ``n_stationary`` (...), and with a Negotiation ``outcome`` and
        ``stationary_outcomes`` (the pairs as issue values).

    See Also
    --------
    rubinstein_costs : fixed per-round bargaining costs instead of discounting.
    rubinstein_nash_limit : the limit as the time between offers vanishes.

    Notes
    -----
    *Payoffs.* Let ``a_i = (1 - p) delta_i``. An agreement ``u`` reached
    after ``k`` rejections is worth :math:`d_i + a_i^k (u_i - d_i)` to party
    ``i`` in expectation: with probability :math:`(1 - p)^k` the talks are
    still alive and the gain over ``d`` is discounted by :math:`\delta_i^k`;
    otherwise the parties are at ``d``. (So ``d`` plays both roles of
    Binmore, Rubinstein and Wolinsky [2]_: the status quo during the talks,
    an inside option in Muthoo's [4]_ terms, and the breakdown point.)

    *Stationary SPE* [1]_, [3]_ (ch. 3), [4]_ (ch. 3-5). The game has a
    unique subgame-perfect equilibrium: party 1 always proposes ``x*``,
    party 2 always proposes ``y*``, and each proposal is accepted at once. A
    responder accepts exactly the deals worth at least what rejecting is
    worth, so each proposal leaves the responder indifferent (or at its
    outside option):

    .. math::

        u_2(x^*) - d_2 &= \max\bigl(w_2 - d_2,\ a_2\,(u_2(y^*) - d_2)\bigr) \\
        u_1(y^*) - d_1 &= \max\bigl(w_1 - d_1,\ a_1\,(u_1(x^*) - d_1)\bigr)

    *Pie.* With ``u = (t, 1 - t)`` and no outside options, writing
    :math:`\pi = 1 - d_1 - d_2`, the equations are linear:

    .. math:: x^* = d_1 + \pi\,\frac{1 - a_2}{1 - a_1 a_2}, \qquad
              y^* = d_1 + a_1 (x^* - d_1),

    Rubinstein's :math:`(1 - \delta_2)/(1 - \delta_1 \delta_2)` for ``d = 0``,
    ``p = 0``. With outside options the map :math:`x \mapsto 1 - u_2(x)` of
    the two equations is :math:`\mathrm{clip}(A(x), B, 1 - w_2)` with ``A``
    affine of slope :math:`a_1 a_2 < 1` and
    :math:`B = 1 - d_2 - a_2 (1 - d_2 - w_1)`, so its fixed point is
    :math:`x^* = \min(1 - w_2, \max(B, x_A))` with :math:`x_A` the point
    above: the *outside-option principle* [4]_ (ch. 5), [3]_ (sec. 3.12): an
    outside option changes the outcome only if it beats what its holder gets
    without it, and then the holder gets exactly its outside option.

    *Concave frontiers.* Write ``y(x)`` for the smallest parameter with
    :math:`u_1(y) - d_1 = \max(w_1 - d_1, a_1 (u_1(x) - d_1))`. In terms of
    :math:`z = u_1(x)` and the frontier :math:`u_2 = \phi(u_1)`, the
    residual :math:`g = \phi(z) - d_2 - a_2 (\phi(a_1 z + (1 - a_1) d_1) - d_2)`
    has :math:`g' = \phi'(z) - a_1 a_2 \phi'(a_1 z + \dots) \le
    (1 - a_1 a_2)\,\phi'(z) \le 0` because :math:`\phi'` decreases
    (concavity), and the maxima with the outside options keep it
    non-increasing. It is positive where :math:`u_1 = r_1` and non-positive
    where :math:`u_2 = r_2`, :math:`r = \max(d, w)`, so ``x*`` is its unique
    root on that arc; it is found for the whole batch at once by a
    vectorised bracketing solver (secant steps safeguarded by bisection, as
    in Brent's method [6]_), to :math:`|\Delta t| \le 4 \epsilon |t|`. When the
    frontier knows the inverse of :math:`u_1` in closed form (frontiers
    built by :meth:`Frontier.split` or :meth:`Frontier.from_function`),
    ``y(x)`` is explicit and this is a single solve; otherwise each
    evaluation inverts :math:`u_1` the same way, warm-started inside the
    bracket that the values of ``y`` at the ends of the outer bracket give
    (``y`` is non-decreasing). There is an agreement iff some frontier
    point is strictly better than ``r`` for both.

    *First-mover advantage.* Party 1 gets :math:`u_1(x^*)` as the first
    proposer and :math:`u_1(y^*)` as the first responder; without binding
    outside options the difference is :math:`(1 - a_1)(u_1(x^*) - d_1)`,
    which vanishes as :math:`a_1 \to 1`.

    *Finite horizon* (Ståhl's model, [3]_ ch. 3): with one round left the
    responder gets :math:`\max(w_j, d_j)` and the proposer the rest of the
    frontier (an ultimatum); with ``k`` rounds left the responder's
    threshold comes from the proposal it would make with ``k - 1`` left.
    Backward induction runs over the whole batch at once (one inversion of
    :math:`u_1` and one of :math:`u_2` per round). On the pie the error
    against ``x*`` contracts by :math:`a_1 a_2` every two rounds; without
    outside options the pie has the closed form of
    ``bargain.solutions._rubinstein_kernels.pie_finite`` (O(1) per problem),
    and otherwise the rounds stop once the two-round map reaches its fixed
    point exactly in floating point, so a horizon of :math:`10^9` costs what
    convergence costs (hundreds of rounds at :math:`a_1 a_2 = 0.9`), not
    :math:`10^9` rounds.

    *Packages with lotteries* ([3]_ sec. 3.10, [2]_). The parties may agree
    on a lottery over the ``m`` packages (or, equivalently for expected
    utility, on a package drawn by a public randomisation), so the deals are
    ``conv(S)``. Its Pareto frontier is a concave polygonal chain
    ``V_0, ..., V_{k-1}`` (found exactly: Pareto filter by a running maximum,
    then removal of every point on or below the chord of its neighbours), and
    the stationary equations above apply with the chain as frontier,
    parametrised by party 1's utility, with both inverses in closed form
    (linear on each edge). On an edge the residual is linear, so the bracketed
    secant steps reach the root exactly once the bracket lies within one
    edge. The agreement maps back to the lottery
    :math:`(1 - p) V_j + p V_{j+1}` over the two vertices of the edge that
    holds it; breakdown risk, outside options and finite horizons are
    handled as for any frontier.

    *Packages without lotteries.* With finitely many alternatives the
    alternating-offers game typically has many SPE: with patient enough
    parties every individually rational package (and delayed agreements) can
    be supported by a subgame-perfect equilibrium [7]_, [8]_. What is
    well-defined and computed here is the set of **stationary** SPE in pure
    strategies (party 1 always proposes ``i``, party 2 always ``j``, each
    accepted at once): with the responders' thresholds
    :math:`T_2(j) = d_2 + \max(w_2 - d_2, a_2 (u_2(j) - d_2))` and
    :math:`T_1(i)` likewise, ``i`` must be party 1's best package with
    :math:`u_2 \ge T_2(j)`, ``j`` party 2's best with :math:`u_1 \ge T_1(i)`,
    and each proposer must prefer its accepted proposal to having an offer
    rejected (all pairs are checked at once, :math:`O(m^2)` per problem).
    There may be several, or none. The reported point is the limit as the
    time between offers vanishes, as in [2]_: the generalised Nash solution
    over the packages with powers :math:`1 / (-\ln a_i)` (a party with
    :math:`a_i = 1` has all the power, one with :math:`a_i = 0` none; the
    limit then is the other party's best package above ``d``); with outside
    options, over the packages that beat ``max(d, w)`` for both (the
    outside-option principle).

    *More than two parties* ([3]_ sec. 3.13, [9]_). With a rotating
    proposer each responder ``j`` of party ``i``'s offer accepts what it would
    get from the next proposer a round later, :math:`X_{ij} = a_j X_{i+1,j}`;
    round the cycle :math:`X_{ij} = a_j^{(j-i) \bmod n} X_{jj}`, and the rows
    summing to 1 give a linear system in the proposers' shares (solved for the
    batch at once). With a common factor the first proposer gets
    :math:`(1 - \delta)/(1 - \delta^n)`, the others
    :math:`\delta^k (1 - \delta)/(1 - \delta^n)` in the order they propose
    (``utilities``); ``proposals`` (..., n, n) holds every party's offer.
    This stationary SPE is not the only one: with a common
    :math:`\delta \ge 1/2` every split of the pie is an SPE outcome (Shaked's
    example, [3]_ sec. 3.13), flagged by ``multiple_spe = True``
    (``None`` where this is not established: unequal or smaller factors).
    With ``protocol="exit"`` responders who accept leave with their shares
    and the talks go on between the proposer and those who reject, a
    rejecter proposing next; a lone rejecter ``j`` of party ``i``'s offer then
    bargains with ``i`` over what both claimed as first proposer of a
    two-party game, so :math:`X_{ij} = a_j c_{ij} (X_{ii} + X_{ij})` with
    :math:`c_{ij} = (1 - a_i)/(1 - a_i a_j)`; with a common factor the
    proposer gets :math:`1/(1 + (n - 1)\delta)` and each responder
    :math:`\delta/(1 + (n - 1)\delta)`, the unique SPE of Krishna and
    Serrano's game [9]_ (``multiple_spe = False``), which tends to the equal
    split as :math:`\delta \to 1`.

    *Boundaries.* Discount factors may be 0 (a party that cannot wait a round:
    as responder it accepts anything at least ``max(d, w)``; on the pie
    :math:`\delta_2 = 0` gives party 1 everything as first proposer) and 1
    for one party when the other's per-round factor is below 1: the limit
    :math:`\delta_i \to 1` of the closed forms, in which the patient party
    gets everything the other party's threshold allows. Both factors 1 with
    an infinite horizon is an error: every split is then an SPE.

    *Nash limit* [2]_: ``x*`` and ``y*`` have the same generalised Nash
    product with powers :math:`1 / (-\log a_i)`, since
    :math:`(u_1(x^*) - d_1)/(u_1(y^*) - d_1) = 1/a_1` and
    :math:`(u_2(x^*) - d_2)/(u_2(y^*) - d_2) = a_2`; that Nash solution lies
    between them. See :func:`rubinstein_nash_limit`.

    References
    ----------
    .. [1] A. Rubinstein, "Perfect equilibrium in a bargaining model",
       Econometrica 50(1):97-109, 1982.
    .. [2] K. Binmore, A. Rubinstein and A. Wolinsky, "The Nash bargaining
       solution in economic modelling", RAND Journal of Economics
       17(2):176-188, 1986.
    .. [3] M. J. Osborne and A. Rubinstein, *Bargaining and Markets*,
       Academic Press, 1990, ch. 3-4.
    .. [4] A. Muthoo, *Bargaining Theory with Applications*, Cambridge
       University Press, 1999, ch. 3-6.
    .. [5] A. Shaked and J. Sutton, "Involuntary unemployment as a perfect
       equilibrium in a bargaining model", Econometrica 52(6):1351-1364, 1984.
    .. [6] R. P. Brent, *Algorithms for Minimization without Derivatives*,
       Prentice-Hall, 1973, ch. 4.
    .. [7] A. Muthoo, "A note on bargaining over a finite number of feasible
       agreements", Economic Theory 1(3):290-292, 1991.
    .. [8] E. van Damme, R. Selten and E. Winter, "Alternating bid bargaining
       with a smallest money unit", Games and Economic Behavior 2(2):188-201,
       1990.
    .. [9] V. Krishna and R. Serrano, "Multilateral bargaining", Review of
       Economic Studies 63(1):61-80, 1996.

    Examples
    --------
    The classic split: party 1 proposes first and gets
    :math:`(1 - \delta_2)/(1 - \delta_1 \delta_2)`.

    >>> import numpy as np, bargain as bg
    >>> res = bg.rubinstein([0.9, 0.8])
    >>> res.utilities  # 0.2 / 0.28 = 5/7
    array([0.71428571, 0.28571429])
    >>> res.first_mover_advantage  # (1 - 0.9) * 5/7 for both
    array([0.07142857, 0.07142857])

    A batch of discount factors, and party 2 moving first:

    >>> delta = np.stack([np.full(3, 0.9), [0.5, 0.9, 0.99]], axis=-1)
    >>> bg.rubinstein(delta, first=1).utilities[:, 1]  # party 2's share
    array([0.18181818, 0.52631579, 0.91743119])

    An outside option binds only when it beats the responder's share:

    >>> bg.rubinstein([0.9, 0.9], outside=[0, 0.3]).utilities  # 0.3 < 0.9/1.9
    array([0.52631579, 0.47368421])
    >>> bg.rubinstein([0.9, 0.9], outside=[0, 0.6]).utilities
    array([0.4, 0.6])

    A concave frontier (party 2 values its share ``s`` as ``sqrt(s)``) and a
    finite horizon:

    >>> F = bg.Frontier.split("linear", ("power", 0.5))
    >>> bg.rubinstein([0.9, 0.9], F).utilities  # 1 - x = 0.81 (1 - 0.9 x): x = 0.19/0.271
    array([0.70110701, 0.54671107])
    >>> bg.rubinstein([0.9, 0.9], F, horizon=1).utilities  # an ultimatum
    array([1., 0.])

    Three packages: with lotteries the SPE mixes the two on the edge that
    holds it; without, each package is a stationary SPE and the limit point
    is the Nash package:

    >>> S = [[0.0, 1.0], [0.5, 0.8], [1.0, 0.0]]
    >>> res = bg.rubinstein([0.9, 0.9], S, hull=True)  # 0.8 - 1.6 (z - 0.5) = 0.9 (1 - 0.36 z)
    >>> res.utilities, res.lottery
    (array([0.54858934, 0.72225705]), array([0.        , 0.90282132, 0.09717868]))
    >>> lim = bg.rubinstein([0.9, 0.9], S)
    >>> lim.index, lim.n_stationary
    (1, 3)

    Three parties with a rotating proposer (Shaked's game): shares in the
    ratio :math:`1 : \delta : \delta^2`, one SPE among many when
    :math:`\delta \ge 1/2`:

    >>> res = bg.rubinstein([0.9, 0.9, 0.9])
    >>> res.utilities, res.multiple_spe  # 1 / (1 + 0.9 + 0.81) = 0.369...
    (array([0.36900369, 0.33210332, 0.29889299]), True)
    >>> bg.rubinstein([0.9, 0.9, 0.9], protocol="exit").utilities  # 1 / 2.8
    array([0.35714286, 0.32142857, 0.32142857])

    In issue space: each party proposes the deal that is best for it among
    those the other accepts. Party 1 values ``x`` twice as much as ``y``,
    party 2 the reverse; both discount by 0.9 per round:

    >>> A = bg.Agenda(bg.ContinuousIssue("x"), bg.ContinuousIssue("y"))
    >>> u1 = bg.AdditiveUtility({"x": bg.Linear(2.0), "y": bg.Linear(1.0)})
    >>> u2 = bg.AdditiveUtility({"x": bg.Linear(-1.0, 1.0), "y": bg.Linear(-2.0, 2.0)})
    >>> neg = bg.Negotiation(A, [bg.Party("P1", u1, discount=0.9),
    ...                          bg.Party("P2", u2, discount=0.9)])
    >>> res = bg.rubinstein(neg)
    >>> res.outcome  # y = 2/29: 6 - 2 u1 = 0.9 (3 - 0.45 u1) at u1 = 60/29
    Outcome(x=1.0, y=0.06896551724137945)
    >>> res.first_mover_advantage  # 6/29 each
    array([0.20689655, 0.20689655])
    """
    from ..issues._negotiation import Negotiation

    hull = check_bool(hull, "hull")
    if isinstance(delta, Negotiation):
        return _rubinstein_issues(delta, S, d, first, breakdown, outside, horizon, fixed, hull)
    if fixed is not None:
        raise TypeError("`fixed` applies to a Negotiation (the options of its discrete issues)")
    p = _probability(0.0 if breakdown is None else breakdown, "breakdown")
    T = _horizon(horizon)
    if (np.ndim(delta) >= 1 and np.shape(delta)[-1] >= 3) or protocol is not None:
        return _multilateral(delta, S, d, first, p, outside, T, hull, protocol)
    delta = _discount(delta, p, infinite=T is None)
    F = _space(S)
    fm = _first(first)
    if isinstance(F, np.ndarray):
        return _rubinstein_points(delta, F, d, fm, p, outside, T, hull)
    if hull:
        raise TypeError("`hull` applies to a finite set `S` of utility vectors (lotteries over it)")
    if F is None and d is None and outside is None and T is None and p.ndim == 0 and p == 0:
        if fm.ndim == 0:
            return _pie_plain(delta, int(fm))
    dd = np.zeros(2) if d is None else _pair(d, "d")
    w = None if outside is None else _pair(outside, "outside")
    shapes = {"delta": delta.shape[:-1], "breakdown": p.shape, "d": dd.shape[:-1]}
    shapes["first"] = fm.shape
    if w is not None:
        shapes["outside"] = w.shape[:-1]
    if T is not None:
        shapes["horizon"] = T.shape
    if F is not None:
        shapes["S"] = F.batch_shape
    batch = batch_shape(**shapes)
    a = delta if (p.ndim == 0 and p == 0) else (1.0 - p)[..., None] * delta
    r = dd if w is None else np.maximum(dd, w)
    nodeal = dd if w is None else np.where(np.any(w > dd, axis=-1, keepdims=True), w, dd)
    P = np.empty(batch + (2, 2))  # proposals: (proposer, party)

    if F is None:
        # the pie: closed forms, evaluated with plain broadcasting (no flat copies)
        method = "pie"
        if T is None:
            x, y = _k.pie_stationary(None if d is None else dd, a, w)
        else:
            x, y = _k.pie_finite(dd, a, w, np.broadcast_to(T, batch))
        agreement = np.broadcast_to(r[..., 0] + r[..., 1] < 1.0, batch)
        P[..., 0, 0] = x
        P[..., 0, 1] = 1.0 - P[..., 0, 0]
        P[..., 1, 0] = y
        P[..., 1, 1] = 1.0 - P[..., 1, 0]
        lo = 0.0
        converged = True
    else:
        method = "frontier"
        lo, hi = _flat(F.lo, batch), _flat(F.hi, batch)
        fargs = tuple(_flat(t, batch) for t in F.args)
        F.check(lo, hi, fargs)
        ff = _k.FlatFrontier(F, lo, hi, fargs)
        af, df, rf = _flat(a, batch, (2,)), _flat(dd, batch, (2,)), _flat(r, batch, (2,))
        wf = None if w is None else _flat(w, batch, (2,))
        if T is None:
            x, y, agreement, converged = _k.frontier_stationary(ff, df, af, wf)
        else:
            agreement, _, _, ok_arc = ff.agreement_arc(rf)
            x, y, ok = _k.frontier_finite(ff, df, af, wf, _flat(T, batch))
            converged = ok_arc & ok
        P[..., 0, :] = ff.U(x).reshape(batch + (2,))
        P[..., 1, :] = ff.U(y).reshape(batch + (2,))
        x, y, lo = x.reshape(batch), y.reshape(batch), lo.reshape(batch)
        agreement, converged = agreement.reshape(batch), converged.reshape(batch)
    method += ", stationary SPE" if T is None else ", backward induction"

    if not np.all(agreement):
        P = np.where(agreement[..., None, None], P, np.expand_dims(nodeal, -2))
        x, y = np.where(agreement, x, lo), np.where(agreement, y, lo)
    if fm.ndim == 0 and fm == 0:
        utilities, x_agreed = P[..., 0, :], x
    elif fm.ndim == 0:
        utilities, x_agreed = P[..., 1, :], y
    else:
        one_first = np.broadcast_to(fm == 0, batch)
        utilities = np.where(one_first[..., None], P[..., 0, :], P[..., 1, :])
        x_agreed = np.where(one_first, x, y)
    status = np.where(agreement, 0, 1)
    if not np.all(converged):
        status = np.where(converged, status, -2)

    def advantage():
        if F is None:  # both parties' advantage is x* - y* on the pie
            return np.broadcast_to((x - y)[..., None], batch + (2,)).copy()
        return np.stack([P[..., 0, 0] - P[..., 1, 0], P[..., 1, 1] - P[..., 0, 1]], axis=-1)

    return Result(
        concept="rubinstein",
        method=method,
        utilities=utilities,
        x=scalar(x_agreed),
        proposals=P,
        proposals_x=Lazy(lambda: np.stack([x, y], axis=-1)),
        first_mover_advantage=Lazy(advantage),
        agreement=scalar(np.asarray(agreement)),
        success=scalar(status >= 0),
        status=scalar(status),
        message=_message(status),
    )


def _rubinstein_points(delta, S, d, fm, p, outside, T, hull) -> Result:
    """Alternating offers over finitely many packages (``hull``: and lotteries over them)."""
    m = S.shape[-2]
    dd = np.zeros(2) if d is None else _pair(d, "d")
    w = None if outside is None else _pair(outside, "outside")
    shapes = {"delta": delta.shape[:-1], "breakdown": p.shape, "d": dd.shape[:-1]}
    shapes.update(first=fm.shape, S=S.shape[:-2])
    if w is not None:
        shapes["outside"] = w.shape[:-1]
    if T is not None:
        shapes["horizon"] = T.shape
    batch = batch_shape(**shapes)
    a = (1.0 - p)[..., None] * delta
    r = dd if w is None else np.maximum(dd, w)
    nodeal = dd if w is None else np.where(np.any(w > dd, axis=-1, keepdims=True), w, dd)
    N = int(np.prod(batch))
    Sf = _flat(S, batch, (m, 2))
    af, df, rf = _flat(a, batch, (2,)), _flat(dd, batch, (2,)), _flat(r, batch, (2,))
    wf = None if w is None else _flat(w, batch, (2,))
    nodeal_f = _flat(nodeal, batch, (2,))
    first_f = _flat(fm, batch)
    if not hull:
        if T is not None:
            raise ValueError(
                "`horizon` with a finite set and no lotteries is not supported: backward "
                "induction over packages is not unique under ties; pass hull=True"
            )
        return _packages(Sf, df, af, wf, rf, nodeal_f, batch, m)
    V, index, count = pareto_chain(Sf)
    P = np.empty((N, 2, 2))
    agreement = np.empty(N, dtype=bool)
    converged = np.ones(N, dtype=bool)
    one = count == 1  # a single Pareto-optimal package: both propose it
    if np.any(one):
        v = V[one, 0, :]
        P[one] = v[:, None, :]
        agreement[one] = np.all(v > rf[one], axis=-1)
    many = np.flatnonzero(~one)
    if many.size:
        Vm = V[many]
        X, Y = np.ascontiguousarray(Vm[..., 0]), np.ascontiguousarray(Vm[..., 1])
        ff = _k.FlatFrontier(Chain(), X[:, 0].copy(), X[:, -1].copy(), (X, Y))
        wm = None if wf is None else wf[many]
        if T is None and wm is None:  # piecewise linear: every root exactly
            x, y, agr = _k.chain_stationary(X, Y, df[many], af[many])
            ok = np.ones(many.size, dtype=bool)
        elif T is None:
            x, y, agr, ok = _k.frontier_stationary(ff, df[many], af[many], wm)
        else:
            agr, _, _, ok_arc = ff.agreement_arc(rf[many])
            x, y, ok = _k.frontier_finite(ff, df[many], af[many], wm, _flat(T, batch)[many])
            ok = ok_arc & ok
        P[many, 0, :] = ff.U(x)
        P[many, 1, :] = ff.U(y)
        agreement[many], converged[many] = agr, ok
    P = np.where(agreement[:, None, None], P, nodeal_f[:, None, :])
    U = np.where((first_f == 0)[:, None], P[:, 0, :], P[:, 1, :])
    t = U[:, 0]
    lo, hi, p_hi = _edge(V, index, count, t)
    status = np.where(agreement, 0, 1)
    status = np.where(converged, status, -2)

    def proposal_lotteries():
        out = np.empty((N, 2, m))
        for k in range(2):
            out[:, k] = np.where(
                agreement[:, None], lottery(V, index, count, P[:, k, 0], m)[0], 0.0
            )
        return out.reshape(batch + (2, m))

    def advantage():
        fma = np.stack([P[:, 0, 0] - P[:, 1, 0], P[:, 1, 1] - P[:, 0, 1]], axis=-1)
        return fma.reshape(batch + (2,))

    status = status.reshape(batch)
    return Result(
        concept="rubinstein",
        method="lotteries over packages (hull of S), "
        + ("stationary SPE" if T is None else "backward induction"),
        utilities=U.reshape(batch + (2,)),
        x=scalar(t.reshape(batch)),
        lottery=Lazy(
            lambda: np.where(agreement[:, None], lottery(V, index, count, t, m)[0], 0.0).reshape(
                batch + (m,)
            )
        ),
        packages=np.stack([lo, hi], axis=-1).reshape(batch + (2,)),
        p_upper=scalar(np.where(agreement, p_hi, 0.0).reshape(batch)),
        proposals=P.reshape(batch + (2, 2)),
        proposal_lotteries=Lazy(proposal_lotteries),
        first_mover_advantage=Lazy(advantage),
        agreement=scalar(agreement.reshape(batch)),
        success=scalar(status >= 0),
        status=scalar(status),
        message=_message(status),
    )


def _packages(S, d, a, w, r, nodeal, batch, m) -> Result:
    """Finitely many packages, no lotteries: stationary SPE pairs and the frequent-offer limit."""
    from ..utility._solve import solve

    pairs = _k.stationary_pairs(S, d, a, w)
    rate = -np.log(np.where(a > 0, a, 1.0))
    rate = np.where(a > 0, rate, np.inf)
    patient = rate == 0  # a_i = 1: weight on party i alone
    impatient = np.isinf(rate)  # a_i = 0: no weight
    if np.any(np.all(impatient, axis=-1)):
        raise ValueError(
            "the frequent-offer limit over packages is undefined when both per-round factors "
            "(1 - breakdown) * delta are 0 (both rates infinite); pass hull=True for the SPE "
            "with lotteries"
        )
    lex = np.any(patient | impatient, axis=-1)
    with np.errstate(divide="ignore"):
        wts = np.where(lex[:, None], 0.5, 1.0 / np.where(rate > 0, rate, 1.0))
    # outside options: the limit maximises the Nash product over the packages that beat
    # max(d, w) for both (the outside-option principle; Binmore, Shaked and Sutton 1989);
    # the others are moved to d, which the solver never picks
    Sm = (
        S
        if w is None
        else np.where(np.all(S > r[:, None, :], axis=-1)[..., None], S, d[:, None, :])
    )
    lim = solve("nash", Sm, d, wts, False)
    U = np.asarray(lim.utilities).reshape(-1, 2).copy()
    index = np.asarray(lim.index).reshape(-1).copy()
    agreement = np.asarray(lim.agreement).reshape(-1).copy()
    if np.any(lex):
        # the limit of the Nash solution as one power tends to 0: the other party's best
        # package above d (ties: the better one for the other party)
        j = np.flatnonzero(lex)
        k = np.where(patient[j, 0] | impatient[j, 1], 0, 1)
        Sj, dj = S[j], d[j]
        ok = np.all(Sj > r[j][:, None, :], axis=-1)
        own = np.take_along_axis(Sj, k[:, None, None], axis=-1)[..., 0]
        other = np.take_along_axis(Sj, (1 - k)[:, None, None], axis=-1)[..., 0]
        top = np.max(np.where(ok, own, -np.inf), axis=-1, keepdims=True)
        pick = np.argmax(np.where(ok & (own == top), other, -np.inf), axis=-1)
        has = np.any(ok, axis=-1)
        index[j] = np.where(has, pick, -1)
        U[j] = np.where(has[:, None], Sj[np.arange(j.size), pick], dj)
        agreement[j] = has
    U = np.where(agreement[:, None], U, nodeal)
    n_pairs = pairs.sum(axis=(-2, -1))
    status = np.where(agreement, 0, 1).reshape(batch)
    return Result(
        concept="rubinstein",
        method="packages without lotteries: frequent-offer limit (Nash with powers 1/-ln a_i)",
        utilities=U.reshape(batch + (2,)),
        index=scalar(index.reshape(batch)),
        stationary=pairs.reshape(batch + (m, m)),
        n_stationary=scalar(n_pairs.reshape(batch)),
        agreement=scalar(agreement.reshape(batch)),
        success=scalar(status >= 0),
        status=scalar(status),
        message=_message(status),
    )


def _multilateral(delta, S, d, first, p, outside, T, hull, protocol) -> Result:
    """``n >= 3`` parties splitting a unit pie: Shaked's game, or unanimity with exit."""
    protocol = "rotating" if protocol is None else protocol
    if protocol not in ("rotating", "exit"):
        raise ValueError(f"`protocol` must be 'rotating' or 'exit', got {protocol!r}")
    delta = as_float_array(delta, "delta", min_ndim=1)
    n = delta.shape[-1]
    if n < 2:
        raise ValueError(f"`delta` needs one discount factor per party, got shape {delta.shape}")
    given = {"S": S, "d": d, "outside": outside, "horizon": T}
    extra = [k for k, v in given.items() if v is not None] + (["hull"] if hull else [])
    if extra:
        raise ValueError(
            f"with {n} parties alternating offers split a unit pie (Osborne and Rubinstein "
            f"1990, sec. 3.13); {', '.join(f'`{k}`' for k in extra)} "
            f"{'is' if len(extra) == 1 else 'are'} not supported there"
        )
    bad = (delta < 0) | (delta > 1)
    if np.any(bad):
        raise ValueError(
            f"`delta` (discount factors per round) must be in [0, 1], got {_short(delta[bad])}"
        )
    a = (1.0 - p)[..., None] * delta
    if np.any(a == 1):
        raise ValueError(
            "`delta`: with n >= 3 parties every per-round factor (1 - breakdown) * delta "
            "must be below 1"
        )
    fm = np.asarray(first)
    if fm.dtype.kind not in "iu" or np.any((fm < 0) | (fm >= n)):
        raise ValueError(f"`first` must be a party index in 0..{n - 1}, got {first!r}")
    batch = batch_shape(delta=delta.shape[:-1], breakdown=p.shape, first=fm.shape)
    a = np.broadcast_to(a, batch + (n,))
    X = _k.shaked(a) if protocol == "rotating" else _k.exit_shares(a)
    U = np.take_along_axis(X, np.broadcast_to(fm, batch)[..., None, None], axis=-2)[..., 0, :]
    if protocol == "rotating":
        common = np.all(delta == delta[..., :1], axis=-1) & (np.asarray(p) == 0)
        many = np.where(common & (delta[..., 0] >= 0.5), True, None)
        method = "n-party pie, rotating proposer (Shaked), stationary SPE"
    else:
        many = np.zeros(batch, dtype=bool)
        method = "n-party pie, unanimity with exit (Krishna-Serrano), SPE"
    many = np.broadcast_to(many, batch)
    return Result(
        concept="rubinstein",
        method=method,
        utilities=U,
        proposals=X,
        multiple_spe=scalar(many) if batch else (None if many.item() is None else bool(many)),
        agreement=scalar(np.ones(batch, dtype=bool)),
        success=scalar(np.ones(batch, dtype=bool)),
        status=scalar(np.zeros(batch, dtype=int)),
        message=_STATUS[0],
    )


def _pie_plain(delta, first):
    """Rubinstein's split of the unit pie, nothing else: the fast path for large batches.

    Computes party 1's share ``x* = (1 - a_2) / (1 - a_1 a_2)`` (with
    ``1 - a_1 a_2`` as ``(1 - a_1) + a_1 (1 - a_2)``, accurate as both factors
    tend to 1) straight into the utilities; every other field is derived on
    first access (:class:`~bargain._core._result.Lazy`).
    """
    batch = delta.shape[:-1]
    a1, a2 = delta[..., 0], delta[..., 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        e2 = np.subtract(1.0, a2, out=np.empty(batch))
        den = np.subtract(1.0, a1, out=np.empty(batch))
        den += a1 * e2
        np.divide(e2, den, out=e2)  # x*: party 1's share when it proposes
    x = e2 if batch else float(e2)
    U = np.empty(batch + (2,))
    if first == 0:
        U[..., 0] = x
    else:
        np.multiply(a1, x, out=U[..., 0])  # y* = a_1 x*: party 1's share when 2 proposes
    np.subtract(1.0, U[..., 0], out=U[..., 1])

    def y():
        return a1 * x

    def proposals():
        P = np.empty(batch + (2, 2))
        P[..., 0, 0] = x
        P[..., 1, 0] = y()
        P[..., :, 1] = 1.0 - P[..., :, 0]
        return P

    def advantage():
        gap = x - y()
        return np.stack([gap, gap], axis=-1)

    ok = np.broadcast_to(True, batch) if batch else True
    zero = np.broadcast_to(0, batch) if batch else 0
    return Result(
        concept="rubinstein",
        method="pie, stationary SPE",
        utilities=U,
        x=Lazy(lambda: x if first == 0 else scalar(U[..., 0].copy())),
        proposals=Lazy(proposals),
        proposals_x=Lazy(lambda: np.stack(np.broadcast_arrays(x, y()), axis=-1)),
        first_mover_advantage=Lazy(advantage),
        agreement=ok,
        success=ok,
        status=zero,
        message=_STATUS[0],
    )


# -- issue space ---------------------------------------------------------------------------


def rubinstein_setup(
    negotiation, *, fixed=None, d=None, breakdown=None, outside=None, hull=False
) -> Result:
    """Whether alternating offers apply to a negotiation, and the data of the game.

    The one check behind every Rubinstein point the package reports
    (:func:`rubinstein` on a negotiation, the command line, the plots, the
    ZOPA in utility space, :func:`bargain.leverage`): two parties, one
    negotiation (no batch), one breakdown probability, discount factors below
    1 for at least one party (or a positive breakdown risk), and a frontier:
    continuous for divisible issues, or the Pareto-optimal packages of a
    discrete agenda (``frontier.kind == "points"``). A mixed agenda needs
    ``fixed`` options for its discrete issues, or ``hull=True``: lotteries
    over the discrete combinations, whose frontier (a Minkowski sum of the
    continuous frontier and the combinations' hull, see
    :func:`bargain.issues._frontier.hull_frontier`) is concave.

    Parameters
    ----------
    negotiation : Negotiation
    fixed : mapping of str to option, optional
        Options of the discrete issues of a mixed agenda (see
        :meth:`bargain.Negotiation.frontier`).
    d, breakdown, outside : optional
        As for :func:`rubinstein`; the negotiation's reservation values,
        breakdown probability and outside options by default.
    hull : bool, default False
        Lotteries over discrete combinations (a mixed agenda without ``fixed``).

    Returns
    -------
    Result
        ``frontier`` (the :class:`~bargain.IssueFrontier`), ``delta`` (2,),
        ``breakdown``, ``d`` (..., 2) and ``outside`` (..., 2, or None).

    Raises
    ------
    ValueError
        Naming what keeps alternating offers from applying: more or fewer than
        two parties, a batched negotiation, different breakdown risks, both
        discount factors 1 without breakdown risk, a mixed agenda without
        ``fixed``, a continuous frontier that is a single point.

    Examples
    --------
    >>> import bargain as bg
    >>> m = bg.load_model("camp_david_1978")
    >>> setup = bg.rubinstein_setup(m.negotiation, fixed={
    ...     "sinai_settlements": "remain", "recognition": "full_normalisation",
    ...     "palestinian_question": "autonomy_framework"})
    >>> setup.delta
    array([0.9, 0.9])
    >>> bg.rubinstein_setup(bg.load_model("ukraine_russia").negotiation).frontier.kind
    'points'
    """
    from ..issues._negotiation import Negotiation

    neg = negotiation
    if not isinstance(neg, Negotiation):
        raise TypeError(f"`negotiation` must be a bargain.Negotiation, got {type(neg).__name__}")
    if neg.governed:
        return _governed_setup(neg, d, breakdown, outside)
    if neg.n != 2:
        raise ValueError(
            f"alternating offers over issues need exactly two parties, got {neg.n}; for "
            f"{neg.n} parties splitting a pie pass their discount factors: "
            "bargain.rubinstein(delta) with delta of shape (n,) (Shaked's game)"
        )
    if neg.batch_shape:
        raise ValueError(
            "rubinstein(negotiation) needs an unbatched negotiation (its frontier is exact "
            f"for one problem), got batch shape {neg.batch_shape}"
        )
    if breakdown is None:
        pb = np.asarray(neg.breakdown, dtype=float)
        if pb[0] != pb[1]:
            raise ValueError(
                "the parties' breakdown probabilities differ "
                f"({pb[0]} and {pb[1]}); the game has one probability of breakdown per "
                "round: pass `breakdown=`"
            )
        breakdown = pb[0]
    p = _probability(breakdown, "breakdown")
    delta = _discount(neg.discount, p, "the parties' `discount`")
    A = neg.agenda
    if A.discrete and A.continuous and fixed is None:
        if not hull:
            raise ValueError(
                "a mixed agenda without lotteries has a frontier that is the upper envelope of "
                "one concave piece per discrete combination, not concave: its alternating-offers "
                "SPE need not be unique. Pass hull=True (lotteries over the discrete "
                "combinations: a concave frontier and a unique SPE) or `fixed` options for "
                f"the discrete issues {[A.names[k] for k in A.discrete]}; "
                "bargain.rubinstein(negotiation) reports the frequent-offer limit"
            )
        from ..issues._frontier import hull_frontier

        fr = hull_frontier(neg)
    else:
        fr = neg.frontier(fixed=fixed)
    if fr.kind != "continuous" and A.continuous:
        raise ValueError(
            "alternating offers need a continuous frontier; with these options it is a single point"
        )
    dd = neg.disagreement(d)
    if outside is None:
        options = [party.outside_option for party in neg.parties]
        if any(o is not None for o in options):
            # a missing option is one no better than d: it never binds
            outside = np.stack(
                np.broadcast_arrays(
                    *(dd[..., i] if o is None else o for i, o in enumerate(options))
                ),
                axis=-1,
            )
    return Result(frontier=fr, delta=delta, breakdown=p, d=dd, outside=outside)


def _governed_setup(neg, d, breakdown, outside) -> Result:
    """Alternating offers between the two veto players over the acceptable packages."""
    from ..issues._frontier import IssueFrontier

    A = neg.agenda
    V = list(neg.veto_players)
    if len(V) != 2:
        raise ValueError(
            "alternating offers in a negotiation with a decision rule, issue control or "
            f"non-veto parties are played by its two veto players; it has {len(V)} "
            f"({[neg.names[i] for i in V]})"
        )
    if A.continuous or neg.batch_shape:
        raise ValueError(
            "alternating offers in a governed negotiation need an unbatched, all-discrete "
            "agenda (the acceptable packages are enumerated)"
        )
    if A.size > 2**20:
        raise ValueError(f"the agenda has {A.size} packages; a governed one is enumerated")
    if breakdown is None:
        pb = np.asarray(neg.breakdown, dtype=float)[V]
        if pb[0] != pb[1]:
            raise ValueError(
                f"the veto players' breakdown probabilities differ ({pb[0]} and {pb[1]}): "
                "pass `breakdown=`"
            )
        breakdown = pb[0]
    p = _probability(breakdown, "breakdown")
    delta = _discount(np.asarray(neg.discount)[V], p, "the veto players' `discount`")
    r = neg.disagreement(d)
    X = A.enumerate()
    U = neg.coded_utilities(X)
    ok = neg.rule_slack(U, X, r) >= 0
    P, C = U[ok][:, V], X[ok]
    if P.shape[0] == 0:  # no acceptable package: one point below d, never agreed
        P, C = r[None, V] - 1.0, X[:1]
    keep = _pareto_rows(P)
    P, C = P[keep], C[keep]
    order = np.lexsort((-P[:, 1], P[:, 0]))
    fr = IssueFrontier(
        "points",
        neg,
        points=P[order],
        coded=C[order],
        lo=float(P[:, 0].min()),
        hi=float(P[:, 0].max()),
    )
    if outside is None:
        options = [neg.parties[i].outside_option for i in V]
        if any(o is not None for o in options):
            outside = np.stack(
                np.broadcast_arrays(
                    *(r[..., V[j]] if o is None else o for j, o in enumerate(options))
                ),
                axis=-1,
            )
    return Result(frontier=fr, delta=delta, breakdown=p, d=r[..., V], outside=outside)


def _pareto_rows(P):
    from ..utility import pareto_frontier

    return np.asarray(pareto_frontier(P))


def _rubinstein_issues(
    negotiation, S, d, first, breakdown, outside, horizon, fixed, hull=False
) -> Result:
    """``rubinstein(negotiation)``: the SPE on the negotiation's frontier, as issue values."""
    if S is not None:
        raise TypeError("with a Negotiation, leave `S` unset: the frontier is the negotiation's")
    A = negotiation.agenda
    if A.discrete and A.continuous and fixed is None and not hull:
        return _mixed_limit(negotiation, d, breakdown, outside, horizon)
    g = rubinstein_setup(
        negotiation, fixed=fixed, d=d, breakdown=breakdown, outside=outside, hull=hull
    )
    fr = g.frontier
    common = dict(first=first, breakdown=g.breakdown, outside=g.outside, horizon=horizon)
    if fr.kind == "points":
        return _rubinstein_packages(fr, g, common, hull)
    res = rubinstein(g.delta, fr.frontier, g.d, **common)
    fields = dict(res)
    fields["method"] = "issues, " + res.method
    if getattr(fr, "lottery", None) is not None:  # a mixed agenda with lotteries
        fields["method"] = "issues, lotteries over discrete combinations, " + res.method
        p, a, b = fr.lottery(np.asarray(res.x))
        decode = negotiation.agenda.decode
        p = float(p)
        if not res.agreement:
            fields["outcome"], fields["coded"], fields["lottery_outcomes"] = None, None, ()
        elif p == 0.0:
            fields["outcome"], fields["coded"] = decode(a), a
            fields["lottery_outcomes"] = ((1.0, decode(a)),)
        else:
            fields["outcome"], fields["coded"] = None, None
            fields["lottery_outcomes"] = ((1.0 - p, decode(a)), (p, decode(b)))
        return Result(**fields)
    fields["outcome"] = fr.outcome(res.x)
    fields["coded"] = fr.coded_outcome(res.x)
    X = np.asarray(res.proposals_x)
    fields["proposal_outcomes"] = (fr.outcome(X[..., 0]), fr.outcome(X[..., 1]))
    return Result(**fields)


def _mixed_limit(neg, d, breakdown, outside, horizon) -> Result:
    """A mixed agenda without lotteries: the frequent-offer limit, in issue space."""
    if horizon is not None:
        raise ValueError(
            "`horizon` on a mixed agenda needs hull=True (lotteries over the discrete "
            "combinations) or `fixed` options"
        )
    if breakdown is not None or outside is not None:
        raise ValueError(
            "`breakdown` and `outside` overrides on a mixed agenda need hull=True or `fixed` "
            "options; the frequent-offer limit uses the parties' own"
        )
    if any(p.outside_option is not None for p in neg.parties):
        raise ValueError(
            "a mixed agenda with outside options needs hull=True or `fixed` options (the "
            "frequent-offer limit is computed without them)"
        )
    if neg.n != 2:
        raise ValueError(f"alternating offers over issues need exactly two parties, got {neg.n}")
    res = neg.solve("nash", d, nash_limit_weights(neg))
    agree = bool(res.agreement)
    return Result(
        concept="rubinstein",
        method="issues, mixed agenda without lotteries: frequent-offer limit (Nash with "
        "powers 1/-ln a_i); the SPE on the non-concave envelope is not unique in general",
        utilities=res.utilities,
        outcome=res.outcome if agree else None,
        coded=res.coded if agree else None,
        agreement=res.agreement,
        success=res.success,
        status=res.status,
        message=res.message,
    )


def _rubinstein_packages(fr, g, common, hull) -> Result:
    """A discrete agenda: the game over its Pareto-optimal packages, as issue values."""
    res = rubinstein(g.delta, fr.points, g.d, hull=hull, **common)
    fields = dict(res)
    fields["method"] = "issues, " + res.method
    if np.ndim(res.agreement):  # a batch (of d, outside options, ...): coded arrays only
        agree = np.asarray(res.agreement)
        if hull:
            pk = np.asarray(res.packages)
            single = agree & (np.asarray(res.p_upper) == 0.0)
            fields["coded"] = np.where(single[..., None], fr.coded[pk[..., 0]], np.nan)
            fields["lottery_coded"] = np.where(agree[..., None, None], fr.coded[pk], np.nan)
        else:
            k = np.asarray(res.index)
            fields["coded"] = np.where(agree[..., None], fr.coded[np.maximum(k, 0)], np.nan)
        return Result(**fields)
    if hull:
        lo, hi = (int(k) for k in res.packages)
        p = float(res.p_upper)
        if not res.agreement:
            fields["outcome"], fields["lottery_outcomes"] = None, ()
        elif p == 0.0:
            fields["outcome"] = fr.outcome(lo)
            fields["lottery_outcomes"] = ((1.0, fr.outcome(lo)),)
        else:
            fields["outcome"] = None  # a lottery: see lottery_outcomes
            fields["lottery_outcomes"] = ((1.0 - p, fr.outcome(lo)), (p, fr.outcome(hi)))
        fields["coded"] = None if fields["outcome"] is None else fr.coded_outcome(lo)
        return Result(**fields)
    k = int(res.index)
    fields["outcome"] = fr.outcome(k) if k >= 0 else None
    fields["coded"] = fr.coded_outcome(k) if k >= 0 else None
    i, j = np.nonzero(np.asarray(res.stationary))
    fields["stationary_outcomes"] = tuple(
        (fr.outcome(int(a)), fr.outcome(int(b))) for a, b in zip(i, j, strict=True)
    )
    return Result(**fields)


def nash_limit_weights(negotiation) -> np.ndarray:
    r"""Powers of the frequent-offer limit of alternating offers: :math:`\propto 1/(-\ln a_i)`.

    ``a_i = (1 - p_i) delta_i`` is party ``i``'s per-round factor (discount
    times survival of the talks). With offers every :math:`\Delta`,
    :math:`a_i = e^{-(r_i + \lambda)\Delta}`, and the SPE tends to the Nash
    solution with these powers as :math:`\Delta \to 0` (Binmore, Rubinstein
    and Wolinsky 1986; see :func:`rubinstein_nash_limit`). Sweeps report the
    Nash solution with these powers as ``rubinstein_limit``.

    Examples
    --------
    >>> import bargain as bg
    >>> from bargain.solutions._rubinstein import nash_limit_weights
    >>> neg = bg.load_model("camp_david_1978").negotiation
    >>> w = nash_limit_weights(neg)
    >>> bool(abs(w.sum() - 1) < 1e-12)
    True
    """
    a = (1.0 - negotiation.breakdown) * negotiation.discount
    rate = -np.log(a)
    if np.any(rate <= 0):
        raise ValueError(
            "`negotiation`: the Rubinstein limit needs discount < 1 or breakdown > 0 for every "
            "party"
        )
    w = 1.0 / rate
    return w / w.sum(axis=-1, keepdims=True)


# -- fixed bargaining costs ---------------------------------------------------------------


def rubinstein_costs(costs, /, *, first=0) -> Result:
    r"""SPE of the alternating-offers split of a unit pie with fixed per-round costs.

    Each rejection costs party ``i`` the amount ``c_i`` (no discounting):
    a share ``s`` agreed after ``k`` rejections is worth :math:`s - k c_i`.

    Parameters
    ----------
    costs : array_like, shape (..., 2)
        Per-round costs ``(c_1, c_2)``, each ``>= 0``.
    first : int or array_like of int, shape (...), default 0
        The party (0 or 1) who proposes in the first round.

    Returns
    -------
    res : Result
        ``utilities_range`` (..., 2, 2): ``[i, 0]`` and ``[i, 1]`` are the
        least and the largest utility of party ``i`` over all subgame-perfect
        equilibria (agreement is always immediate); ``indeterminate`` (...):
        whether that range is a continuum (equal costs below the pie);
        ``utilities`` (..., 2) and ``x`` (...): the shares when the SPE is
        unique, else the midpoint of the range (flagged by ``indeterminate``
        and ``status`` 2, never silently); ``proposals`` (..., 2, 2):
        the shares each party proposes (midpoints when indeterminate);
        ``first_mover_advantage`` (..., 2): the same in every SPE,
        :math:`\min(c_1, c_2, 1)` for both parties; ``agreement`` (always
        true), ``success``, ``status`` (0 unique SPE, 2 indeterminate) and
        ``message``.

    See Also
    --------
    rubinstein : discounting instead of costs.

    Notes
    -----
    Let ``x`` be party 1's share in its own proposal and ``y`` in party 2's.
    Each responder accepts what leaves it no worse off than rejecting and
    proposing next round, so in a stationary SPE
    :math:`1 - x = (1 - y) - c_2` and :math:`y = x - c_1`, within the pie.

    - :math:`c_1 < c_2`: the equations are inconsistent; the corner
      ``x = 1``, ``y = 1 - c_1`` solves the inequalities: the party that is
      cheaper to wait gets everything when it proposes, and all but
      :math:`c_1` when it responds.
    - :math:`c_1 > c_2`: symmetrically ``x = c_2``, ``y = 0``.
    - :math:`c_1 = c_2 = c < 1`: every ``x`` in ``[c, 1]`` with
      ``y = x - c`` is an SPE outcome; Rubinstein [1]_ shows the set of SPE
      partitions is exactly this interval, so the answer is the range, not a
      point.

    Costs of 1 or more leave the responder better off accepting anything,
    and the proposer takes the whole pie.

    References
    ----------
    .. [1] A. Rubinstein, "Perfect equilibrium in a bargaining model",
       Econometrica 50(1):97-109, 1982 (conclusion on fixed costs).
    .. [2] M. J. Osborne and A. Rubinstein, *Bargaining and Markets*,
       Academic Press, 1990, sec. 3.9 (examples: constant costs of delay).

    Examples
    --------
    >>> import bargain as bg
    >>> bg.rubinstein_costs([0.1, 0.2]).utilities  # the cheaper party 1 takes all
    array([1., 0.])
    >>> bg.rubinstein_costs([0.1, 0.2], first=1).utilities
    array([0.9, 0.1])
    >>> res = bg.rubinstein_costs([0.25, 0.25])
    >>> bool(res.indeterminate), res.utilities_range[0]  # party 1: any share in [0.25, 1]
    (True, array([0.25, 1.  ]))
    """
    c = _pair(costs, "costs")
    if np.any(c < 0):
        raise ValueError(f"`costs` must be >= 0 per round, got {_short(c[c < 0])}")
    fm = _first(first)
    batch = batch_shape(costs=c.shape[:-1], first=fm.shape)
    c = _flat(c, batch, (2,))
    fm = _flat(fm, batch)
    x_lo, x_hi, y_lo, y_hi = _k.costs_split(c)
    s_lo = np.where(fm == 0, x_lo, y_lo)
    s_hi = np.where(fm == 0, x_hi, y_hi)
    rng = np.stack(
        [np.stack([s_lo, s_hi], axis=-1), np.stack([1.0 - s_hi, 1.0 - s_lo], axis=-1)], axis=-2
    )
    indeterminate = s_hi > s_lo
    s = 0.5 * (s_lo + s_hi)
    x, y = 0.5 * (x_lo + x_hi), 0.5 * (y_lo + y_hi)
    proposals = np.stack([np.stack([x, 1 - x], -1), np.stack([y, 1 - y], -1)], axis=-2)
    fma = np.minimum(np.minimum(c[:, 0], c[:, 1]), 1.0)
    status = np.where(indeterminate, 2, 0).reshape(batch)
    return Result(
        concept="rubinstein_costs",
        method="pie, fixed costs",
        utilities=np.stack([s, 1.0 - s], axis=-1).reshape(batch + (2,)),
        x=scalar(s.reshape(batch)),
        utilities_range=rng.reshape(batch + (2, 2)),
        indeterminate=scalar(indeterminate.reshape(batch)),
        proposals=proposals.reshape(batch + (2, 2)),
        first_mover_advantage=np.stack([fma, fma], axis=-1).reshape(batch + (2,)),
        agreement=scalar(np.ones(batch, dtype=bool)),
        success=scalar(np.ones(batch, dtype=bool)),
        status=scalar(status),
        message=_message(status),
    )


# -- the limit of frequent offers ---------------------------------------------------------


def rubinstein_nash_limit(rates, /, S=None, d=None, *, breakdown_rate=0.0, outside=None):
    r"""Limit of the alternating-offers SPE as the time between offers vanishes.

    With offers every :math:`\Delta` units of time, discount factors
    :math:`\delta_i = e^{-r_i \Delta}` and breakdown probability
    :math:`p = 1 - e^{-\lambda \Delta}` per round, the SPE of
    :func:`rubinstein` converges as :math:`\Delta \to 0` to the generalised
    Nash solution with bargaining powers proportional to
    :math:`1 / (r_i + \lambda)` and disagreement point ``d``, clipped by
    binding outside options.

    Parameters
    ----------
    rates : array_like, shape (..., 2)
        Discount rates ``r_i >= 0`` per unit of time (``r_i + lambda > 0``).
    S : None or Frontier, optional
        The unit pie (default) or a concave two-party :class:`Frontier`.
    d : array_like, shape (..., 2), optional
        Disagreement point (default zero).
    breakdown_rate : array_like, shape (...), default 0
        Hazard rate ``lambda >= 0`` of an exogenous breakdown.
    outside : array_like, shape (..., 2), optional
        Outside options, as in :func:`rubinstein`.

    Returns
    -------
    res : Result
        ``utilities`` (..., 2), ``x`` (...), ``weights`` (..., 2) (the
        normalised powers), ``agreement``, ``success``, ``status`` and
        ``message``, as for :func:`rubinstein`.

    Notes
    -----
    From the SPE equations of :func:`rubinstein` without binding outside
    options, :math:`(u_1(x^*) - d_1)/(u_1(y^*) - d_1) = 1/a_1` and
    :math:`(u_2(x^*) - d_2)/(u_2(y^*) - d_2) = a_2` with
    :math:`a_i = (1 - p)\delta_i = e^{-(r_i + \lambda)\Delta}`. Hence the
    Nash products :math:`\prod_i (u_i - d_i)^{\beta_i}` with
    :math:`\beta_i = 1/((r_i + \lambda)\Delta)` are equal at ``x*`` and
    ``y*``: both proposals lie on one level curve of the product, on either
    side of its maximiser on the frontier, whose powers are proportional to
    :math:`1/(r_i + \lambda)` whatever :math:`\Delta` [1]_, [2]_ (ch. 4),
    [3]_ (ch. 4). As :math:`\Delta \to 0`,
    :math:`u_1(x^*) - u_1(y^*) = (1 - a_1)(u_1(x^*) - d_1) = O(\Delta)`, so
    both proposals converge to it at rate :math:`O(\Delta)`; on the pie with
    ``d = 0``, :math:`x^* = r_2/(r_1 + r_2) + \tfrac{r_1 r_2}{2 (r_1 + r_2)}
    \Delta + O(\Delta^2)`. An outside option above the limit payoff binds:
    its holder gets it exactly and the other party the rest of the frontier
    (the outside-option principle [4]_).

    References
    ----------
    .. [1] K. Binmore, A. Rubinstein and A. Wolinsky, "The Nash bargaining
       solution in economic modelling", RAND Journal of Economics
       17(2):176-188, 1986.
    .. [2] M. J. Osborne and A. Rubinstein, *Bargaining and Markets*,
       Academic Press, 1990, ch. 4.
    .. [3] A. Muthoo, *Bargaining Theory with Applications*, Cambridge
       University Press, 1999, ch. 3-4.
    .. [4] K. Binmore, A. Shaked and J. Sutton, "An outside option
       experiment", Quarterly Journal of Economics 104(4):753-770, 1989.

    Examples
    --------
    >>> import numpy as np, bargain as bg
    >>> bg.rubinstein_nash_limit([1.0, 3.0]).utilities  # powers 3/4 and 1/4
    array([0.75, 0.25])
    >>> Delta = 1e-4
    >>> spe = bg.rubinstein(np.exp(-np.array([1.0, 3.0]) * Delta))
    >>> round(float(spe.x - 0.75) / Delta, 3)  # r1 r2 / (2 (r1 + r2)) = 0.375
    0.375
    """
    r = _pair(rates, "rates")
    if np.any(r < 0):
        raise ValueError(f"`rates` must be >= 0, got {_short(r[r < 0])}")
    lam = as_float_array(breakdown_rate, "breakdown_rate")
    if np.any(lam < 0):
        raise ValueError(f"`breakdown_rate` must be >= 0, got {_short(lam[lam < 0])}")
    total = r + lam[..., None]
    if np.any(total <= 0):
        raise ValueError("`rates` plus `breakdown_rate` must be positive for both parties")
    F = _space(S)
    dd = np.zeros(2) if d is None else _pair(d, "d")
    w = None if outside is None else _pair(outside, "outside")
    shapes = {"rates": r.shape[:-1], "breakdown_rate": lam.shape, "d": dd.shape[:-1]}
    if w is not None:
        shapes["outside"] = w.shape[:-1]
    if F is not None:
        shapes["S"] = F.batch_shape
    batch = batch_shape(**shapes)
    beta = 1.0 / _flat(total, batch, (2,))
    beta = beta / beta.sum(axis=-1, keepdims=True)
    dd = _flat(dd, batch, (2,))
    w = None if w is None else _flat(w, batch, (2,))
    rr = dd if w is None else np.maximum(dd, w)
    n = dd.shape[0]
    if F is None:
        lo = np.zeros(n)
        x = dd[:, 0] + beta[:, 0] * (1.0 - dd[:, 0] - dd[:, 1])
        if w is not None:
            x = np.minimum(1.0 - w[:, 1], np.maximum(w[:, 0], x))
        agreement = rr[:, 0] + rr[:, 1] < 1.0
        U = np.stack([x, 1.0 - x], axis=-1)
        converged = np.ones(n, dtype=bool)
    else:
        from ._axiomatic import nash

        res = nash(F, dd.reshape(batch + (2,)), beta.reshape(batch + (2,)))
        x = _flat(res.x, batch)
        converged = _flat(res.success, batch)
        agreement = _flat(res.agreement, batch)
        lo, hi = _flat(F.lo, batch), _flat(F.hi, batch)
        fargs = tuple(_flat(t, batch) for t in F.args)
        ff = _k.FlatFrontier(F, lo, hi, fargs)
        if w is not None:
            agreement, _, _, ok = ff.agreement_arc(rr)
            U = ff.U(x)
            low1, low2 = agreement & (U[:, 0] < w[:, 0]), agreement & (U[:, 1] < w[:, 1])
            t1, ok1 = ff.inverse_1(w[:, 0], lo, hi, fargs, low1)
            t2, ok2 = ff.inverse_2(w[:, 1], lo, hi, fargs, low2)
            x = np.where(low1, t1, np.where(low2, t2, x))
            converged = converged & ok & ok1 & ok2
        U = ff.U(x)
    nodeal = dd if w is None else np.where(np.any(w > dd, axis=-1, keepdims=True), w, dd)
    U = np.where(agreement[:, None], U, nodeal)
    x = np.where(agreement, x, lo)
    status = np.where(agreement, 0, 1)
    status = np.where(converged, status, -2).reshape(batch)
    return Result(
        concept="rubinstein_nash_limit",
        method="pie, closed form" if F is None else "frontier, generalised Nash",
        utilities=U.reshape(batch + (2,)),
        x=scalar(x.reshape(batch)),
        weights=beta.reshape(batch + (2,)),
        agreement=scalar(agreement.reshape(batch)),
        success=scalar(status >= 0),
        status=scalar(status),
        message=_message(status),
    )
