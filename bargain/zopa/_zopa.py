"""The public :func:`zopa`: the zone of possible agreement, in issue or utility space."""

from __future__ import annotations

from .._core._result import Result
from ..issues._negotiation import Negotiation
from ._issues import issue_zopa
from ._utility import negotiation_utility_zopa, utility_zopa

__all__ = ["zopa"]

_SPACES = ("issues", "utilities")


def zopa(
    S,
    d=None,
    /,
    *,
    space=None,
    hull=False,
    delta=None,
    breakdown=0.0,
    fixed=None,
    samples=20_000,
    rng=None,
) -> Result:
    r"""Zone of possible agreement: the deals every party weakly prefers to no deal.

    Parameters
    ----------
    S : Negotiation, array_like of shape (..., m, n), or Frontier
        A negotiation (issue space by default), a finite set of utility
        vectors, or a continuous two-party :class:`~bargain.Frontier`.
    d : array_like, shape (..., n), optional
        Reservation values (the disagreement point). For a negotiation, the
        parties' ``reservation`` values by default; required otherwise.
    space : {"issues", "utilities"}, optional
        For a negotiation: its ZOPA in issue space (default) or in utility
        space (on its Pareto frontier, two parties, unbatched). Arrays and
        frontiers are always utility space.
    hull : bool, default False
        Utility space, point sets: lotteries over the points (their convex
        hull) are feasible.
    delta : array_like, shape (..., 2), optional
        Utility space: discount factors per round for the Rubinstein
        alternating-offers point (:func:`bargain.rubinstein`); for point sets
        and discrete agendas, the unique SPE with lotteries over the points
        (``hull=True`` there; its lottery is ``rubinstein_lottery``). For a
        negotiation, the parties' ``discount`` factors where they apply.
    breakdown : array_like, default 0
        Utility space: breakdown probability per rejected offer for the
        Rubinstein point.
    fixed : mapping, optional
        Utility space, mixed agendas: options of the discrete issues (see
        :meth:`bargain.Negotiation.frontier`).
    samples : int, default 20000
        Issue space: Monte Carlo sample size for the share of the outcome
        space when it is not computed exactly (three or more continuous
        issues, huge discrete agendas).
    rng : None, int or numpy.random.Generator
        Seed for that sample.

    Returns
    -------
    res : Result
        Issue space (a negotiation):

        ``empty`` (...)
            Whether no outcome gives every party at least its reservation value.
        ``slack`` (...)
            :math:`\max_x \min_i (u_i(x) - r_i)`: non-negative iff the ZOPA is
            non-empty; negative, it is how far the positions are apart (the
            uniform cut in reservation values that would open a ZOPA).
        ``robust_outcome``, ``robust_coded`` (..., K), ``robust_utilities`` (..., n)
            The maximiser: the most robust deal (where the talks come
            closest when the ZOPA is empty).
        ``ranges``
            Mapping issue name -> array (..., 2): the smallest and largest
            value inside the ZOPA (option *indices* for discrete issues);
            NaN where the ZOPA is empty (``empty`` says so). Over the
            combinations of a mixed agenda's discrete options this is the
            hull of the per-combination intervals.
        ``options``
            Mapping discrete issue name -> bool array (..., k): which options
            occur in some outcome inside the ZOPA.
        ``share`` (...), ``share_method``, ``share_se`` (...)
            Fraction of the outcome space (uniform over continuous issues and
            over the options of discrete ones) inside the ZOPA. Exact
            (``"exact"``: counting, interval lengths, polygon areas) for
            discrete agendas and one continuous issue or two with linear
            value functions; ``"quadrature"`` (composite Gauss–Legendre
            over exact section lengths, relative accuracy about ``1e-6``)
            for two continuous issues with nonlinear concave value
            functions; otherwise ``"monte carlo"`` with a seeded sample of
            ``samples`` outcomes and its standard error ``share_se``
            (present only then).
        ``coded_outcomes`` (N, K), ``inside`` (..., N), ``count`` (...), ``outcomes``
            Discrete agendas of up to ``2**20`` outcomes: every outcome,
            which lie in the ZOPA, how many, and (unbatched) the
            :class:`~bargain.Outcome` of the ones inside.
        ``polygon`` (V, 2)
            Two continuous issues with linear value functions, no discrete
            issues, unbatched: the ZOPA's vertices, counter-clockwise from the
            lexicographically smallest (shape (0, 2) if empty).
        ``reservation`` (..., n), ``parties``, ``issues``, ``method``,
        ``status`` (0 non-empty, 1 empty), ``success``, ``message``.

        Utility space: see :func:`bargain.zopa._utility.utility_zopa`
        (``empty``, ``slack``, ``surplus``, the ZOPA segment of the
        frontier and where each solution concept lies on it).

    Raises
    ------
    ValueError
        Non-finite reservation values (naming ``d`` or the party), custom
        (non-additive) or non-concave utilities over continuous issues.
        A reservation value above every attainable utility is *not* an
        error: the ZOPA is then empty with a negative slack.

    See Also
    --------
    price_zopa : the buyer–seller price range.
    fearon_range : Fearon's bargaining range between two states.
    bargain.plot.plot_zopa_issues, bargain.plot.plot_zopa_utilities : pictures.

    Notes
    -----
    *Governed negotiations* (a decision rule, issue control, parties without
    veto; see :class:`~bargain.Negotiation`): the ZOPA is the set of
    acceptable outcomes, :math:`\sigma(x) \ge 0` with :math:`\sigma` the rule
    slack of :mod:`bargain.issues._rules`, and ``slack`` is
    :math:`\max_x \sigma(x)`; it is found by enumeration (discrete agendas).

    *Certificate.* ``slack`` is evaluated at ``robust_outcome``, a feasible
    outcome, so :math:`s^* \ge 0` proves the ZOPA non-empty exactly; a
    negative value is the optimum of the programme (for concave utilities
    every local maximum of :math:`\min_i (u_i - r_i)` is global).

    *Continuous issues.* With additive utilities
    :math:`u_i(x) = o_i(c) + \sum_k W_{ik} v_{ik}(x_k)` (``c`` the options of
    the discrete issues) the slack and each issue's extremes over ``Z`` are,
    per combination ``c``,

    .. math:: \max_{x, t}\ t \ \text{s.t.}\ u_i(x) - r_i \ge t, \qquad
              \min / \max_x\ x_k \ \text{s.t.}\ u_i(x) \ge r_i,

    linear programmes for linear value functions and convex programmes for
    concave ones. Over all combinations, ``slack`` is the largest and the
    ranges are the hull of the non-empty ones.

    *Monotonicity.* Raising any reservation value shrinks ``Z`` (weakly):
    ``slack`` falls, ranges and options nest, ``share`` falls.

    References
    ----------
    .. [1] H. Raiffa, *The Art and Science of Negotiation*, Harvard University
       Press, 1982, Part II ("Two parties, one issue") and Part III ("Two
       parties, many issues").
    .. [2] J. D. Fearon, "Rationalist explanations for war", International
       Organization 49(3):379-414, 1995.

    Examples
    --------
    Two parties, two divisible issues with linear values; A needs 0.5, B 0.4:

    >>> import bargain as bg
    >>> agenda = bg.Agenda(bg.ContinuousIssue("x"), bg.ContinuousIssue("y"))
    >>> a = bg.Party("A", bg.AdditiveUtility({"x": bg.Linear(), "y": bg.Linear()},
    ...                                      [0.8, 0.2]), reservation=0.5)
    >>> b = bg.Party("B", bg.AdditiveUtility({"x": bg.Linear(-1, 1), "y": bg.Linear(-1, 1)},
    ...                                      [0.2, 0.8]), reservation=0.4)
    >>> z = bg.zopa(bg.Negotiation(agenda, [a, b]))
    >>> z.empty, round(float(z.slack), 10)  # at the most robust deal x = 1, y = 0.1
    (False, 0.32)
    >>> z.ranges["x"]  # x from 7/15 to 1 inside the ZOPA
    array([0.46666667, 1.        ])
    >>> z.polygon  # the ZOPA's vertices
    array([[0.46666667, 0.63333333],
           [0.625     , 0.        ],
           [1.        , 0.        ],
           [1.        , 0.5       ]])
    >>> round(float(z.share), 12)  # its area, 121/480, in the unit square
    0.252083333333

    The same negotiation when B's BATNA improves to 0.9: no deal is
    acceptable to both, and the slack says by how much.

    >>> b9 = bg.Party("B", b.utility, reservation=0.9)
    >>> z = bg.zopa(bg.Negotiation(agenda, [a, b9]))
    >>> z.empty, round(float(z.slack), 10), z.robust_outcome
    (True, -0.02, Outcome(x=0.6, y=0.0))
    """
    if space is not None and space not in _SPACES:
        raise ValueError(f"`space` must be one of {list(_SPACES)} or None, got {space!r}")
    if isinstance(S, Negotiation):
        if space in (None, "issues"):
            for key, value, default in (
                ("hull", hull, False),
                ("delta", delta, None),
                ("fixed", fixed, None),
            ):
                if value is not default:
                    raise ValueError(f"`{key}` applies to space='utilities' only")
            return issue_zopa(S, d, samples=samples, rng=rng)
        return negotiation_utility_zopa(S, d, delta=delta, breakdown=breakdown, fixed=fixed)
    if space == "issues":
        raise TypeError(f"space='issues' needs a bargain.Negotiation, got {type(S).__name__}")
    if fixed is not None:
        raise ValueError("`fixed` applies to a Negotiation only")
    return utility_zopa(S, d, hull=hull, delta=delta, breakdown=breakdown)
