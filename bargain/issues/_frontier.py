"""The two-party Pareto frontier of a negotiation in utility space, and the map back to issues."""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from .._core._validate import as_float_array
from ..utility._frontier import Frontier
from . import _separable
from ._agenda import Outcome
from ._terms import check_exact, discrete_offsets, option_combinations

__all__ = ["IssueFrontier"]


class IssueFrontier:
    r"""The Pareto frontier of a two-party negotiation in utility space, mapped to issues.

    Returned by :meth:`Negotiation.frontier`. Two kinds:

    ``kind == "continuous"`` (divisible issues, concave additive utilities)
        :attr:`frontier` is a :class:`~bargain.Frontier` parametrised by
        **party 1's utility** ``t`` on ``[lo, hi]`` (``lo``: party 2's best
        deal; ``hi``: party 1's best deal): ``frontier(t) = (t, f(t))`` with
        ``f(t) = max {u_2(x) : u_1(x) >= t}``, exact (root-finding to float
        resolution), with analytic slope ``f'(t)``. :meth:`outcome` maps
        ``t`` back to the issue values achieving ``(t, f(t))``. Any solver
        that takes a ``Frontier`` (``bg.nash(fr.frontier, d)``, Rubinstein
        bargaining, ...) returns ``x`` = ``t``, which :meth:`outcome` turns
        into an agreement.
    ``kind == "points"`` (discrete issues)
        :attr:`points` ``(m, 2)`` are the Pareto-optimal utility vectors,
        sorted by ``u_1`` ascending, and :attr:`coded` ``(m, K)`` the coded
        outcomes achieving them (the first in enumeration order for each);
        :meth:`outcome` maps an index (``res.index`` of a finite solver) to
        issue values.

    Attributes
    ----------
    kind : {"continuous", "points"}
    frontier : Frontier or None
    points : ndarray or None
    coded : ndarray or None
    lo, hi : float
        Range of party 1's utility on the frontier.

    Examples
    --------
    >>> import bargain as bg
    >>> A = bg.Agenda(bg.ContinuousIssue("x"), bg.ContinuousIssue("y"))
    >>> P1 = bg.Party("P1", bg.AdditiveUtility({"x": bg.Linear(2.0), "y": bg.Linear(1.0)}))
    >>> P2 = bg.Party(
    ...     "P2",
    ...     bg.AdditiveUtility({"x": bg.Linear(-1.0, 1.0), "y": bg.Linear(-2.0, 2.0)}),
    ... )
    >>> fr = bg.Negotiation(A, [P1, P2]).frontier()
    >>> fr.kind, fr.lo, fr.hi
    ('continuous', 0.0, 3.0)
    >>> fr.frontier(2.0)  # P1 gets all of x (worth 2), P2 all of y (worth 2)
    array([2., 2.])
    >>> fr.outcome(2.0)
    Outcome(x=1.0, y=0.0)
    >>> res = bg.nash(fr.frontier, [0, 0])  # the same frontier, solved in utility space
    >>> fr.outcome(res.x)
    Outcome(x=1.0, y=0.0)
    """

    def __init__(
        self,
        kind,
        negotiation,
        *,
        frontier=None,
        points=None,
        coded=None,
        lo=None,
        hi=None,
        to_coded=None,
    ):
        self.kind = kind
        self.negotiation = negotiation
        self.frontier = frontier
        self.points = points
        self.coded = coded
        self.lo, self.hi = lo, hi
        self._to_coded = to_coded

    def coded_outcome(self, t) -> np.ndarray:
        """Coded outcome(s) ``(..., K)`` at frontier parameter(s) or index(es) ``t``.

        Parameters
        ----------
        t : array_like
            ``kind == "continuous"``: party 1's utility, in ``[lo, hi]``;
            ``kind == "points"``: integer indices into :attr:`points`.

        Returns
        -------
        ndarray, shape t.shape + (K,)
            Coded outcomes (see :class:`~bargain.Agenda`).

        Examples
        --------
        >>> import bargain as bg
        >>> A = bg.Agenda(bg.ContinuousIssue("x"))
        >>> a = bg.Party("A", bg.AdditiveUtility({"x": bg.Linear()}))
        >>> b = bg.Party("B", bg.AdditiveUtility({"x": bg.Linear(-1.0, 1.0)}))
        >>> fr = bg.Negotiation(A, [a, b]).frontier()
        >>> fr.coded_outcome([0.25, 0.5])  # u_1 = x: A's utility t needs x = t
        array([[0.25],
               [0.5 ]])
        >>> fr.coded_outcome(1.5)  # beyond A's best deal, u_1 = 1
        Traceback (most recent call last):
            ...
        ValueError: `t` (party 1's utility) must lie in [0.0, 1.0], got 1.5
        """
        if self.kind == "points":
            idx = np.asarray(t)
            if not np.issubdtype(idx.dtype, np.integer) or np.any(
                (idx < 0) | (idx >= self.points.shape[0])
            ):
                raise ValueError(
                    f"`t` must be an integer index into the {self.points.shape[0]} frontier "
                    f"points, got {t!r}"
                )
            return self.coded[idx]
        t = as_float_array(t, "t")
        if np.any(
            (t < self.lo - 1e-12 * (1 + abs(self.lo))) | (t > self.hi + 1e-12 * (1 + abs(self.hi)))
        ):
            raise ValueError(f"`t` (party 1's utility) must lie in [{self.lo}, {self.hi}], got {t}")
        return self._to_coded(np.clip(t, self.lo, self.hi))

    def outcome(self, t) -> Outcome:
        """Issue values at frontier parameter ``t`` (continuous) or point index (points).

        Parameters
        ----------
        t : array_like
            As for :meth:`coded_outcome`.

        Returns
        -------
        Outcome
            Decoded by the negotiation's agenda (option labels for discrete issues).

        Examples
        --------
        >>> import bargain as bg
        >>> D = bg.Agenda(bg.DiscreteIssue("g", ["none", "treaty", "art5"]))
        >>> p1 = bg.Party("P1", bg.AdditiveUtility({"g": bg.Table([0.0, 0.5, 1.0])}))
        >>> p2 = bg.Party("P2", bg.AdditiveUtility({"g": bg.Table([1.0, 0.8, 0.0])}))
        >>> fr = bg.Negotiation(D, [p1, p2]).frontier()
        >>> fr.points[1], fr.outcome(1)  # the second point by u_1: "treaty"
        (array([0.5, 0.8]), Outcome(g='treaty'))
        >>> res = bg.nash(fr.points, [0.0, 0.0])  # 0.5 * 0.8 = 0.4 beats 0 and 0
        >>> fr.outcome(res.index)
        Outcome(g='treaty')
        """
        return self.negotiation.agenda.decode(self.coded_outcome(t))

    def __repr__(self) -> str:
        if self.kind == "points":
            return f"IssueFrontier(points, m={self.points.shape[0]})"
        return f"IssueFrontier(continuous, t in [{self.lo}, {self.hi}])"


def _continuous_terms(neg, cont, T, batch=()):
    """Bounds and per-party value terms of the continuous issues ``cont``, batch ``T``.

    Each of the ``prod(batch)`` flat elements of a batched negotiation is
    repeated ``T / prod(batch)`` times (element ``b * M + m``, as ``_flat``).
    """
    A = neg.agenda
    M = T // math.prod(batch)
    terms = []
    for k in cont:
        pair = []
        for b in neg.bound:
            if k in b.terms:
                v, W = b.terms[k]
                W = np.broadcast_to(np.asarray(W, dtype=float), batch).reshape(-1)
                pair.append((v._flat(batch, M), np.repeat(W, M)))
            else:
                pair.append(None)
        terms.append(pair)
    lo = [A.issues[k].lo for k in cont]
    hi = [A.issues[k].hi for k in cont]
    return lo, hi, terms


def _check_two_party(neg, what):
    if neg.batch_shape:
        raise ValueError(f"{what} needs an unbatched negotiation, batch shape {neg.batch_shape}")
    if neg.agenda.constraints:
        raise ValueError(f"{what} needs an agenda without cross-issue constraints")


def hull_frontier(neg):
    r"""The frontier of a mixed agenda when lotteries over discrete combinations are allowed.

    Returns an :class:`IssueFrontier` of kind ``"continuous"`` parametrised
    by party 1's utility, with :attr:`IssueFrontier.lottery`: the frontier
    of :math:`S + \mathrm{conv}\{o_c\}` (see
    :class:`bargain.issues._separable.ShiftedTwo`), concave, so every solver
    of concave frontiers applies. A point of it is a deal of one discrete
    combination (on a translated arc of the continuous frontier) or a
    lottery over two (on a translated edge of the offsets' chain).
    """
    from ..utility._chain import pareto_chain

    A = neg.agenda
    _check_two_party(neg, "the frontier with lotteries")
    check_exact(neg, "the frontier with lotteries")
    disc, cont = list(A.discrete), list(A.continuous)
    combos = option_combinations(A)  # the allowed ones (option constraints)
    offsets = discrete_offsets(neg, combos, ())
    V, index, count = pareto_chain(offsets)
    k = int(count)
    V, combos = V[:k], combos[index[:k]]

    def problem(T):
        lo, hi, terms = _continuous_terms(neg, cont, T)
        return _separable.ShiftedTwo(lo, hi, terms, V)

    P1 = problem(1)
    _, ends = P1.support(np.array([[1e-300, 1.0 - 2.0**-53]]))
    lo, hi = float(ends[0, 0, 0]), float(ends[0, 1, 0])
    if not hi - lo > 1e-12 * (1.0 + abs(lo)):
        raise ValueError("the frontier with lotteries is a single point")

    def coded_of(x, j):
        C = np.empty(x.shape[:-1] + (len(A),))
        C[..., cont] = x
        C[..., disc] = combos[j]
        return C

    def at(t):
        t = np.asarray(t, dtype=float)
        P, xa, ua, xb, ub, lam, s = _at_utility(problem, t.ravel())
        ja, jb = xa[:, -1].astype(int), xb[:, -1].astype(int)
        xa, xb = xa[:, :-1], xb[:, :-1]
        x, u_arc = P.point(xa, xb, s)
        same = ja == jb
        u = np.where(same[:, None], u_arc + V[ja], ua + s[:, None] * (ub - ua))
        return t.shape, (x, xa, xb, ja, jb, s, same), u, lam.mean(axis=-1)

    def lottery(t):
        shape, (x, xa, xb, ja, jb, s, same), _, _ = at(t)
        p = np.where(same, 0.0, s)
        tol = 1e-12
        p = np.where(p < tol, 0.0, np.where(p > 1.0 - tol, 1.0, p))
        a = np.where(same[:, None], coded_of(x, ja), coded_of(xa, ja))
        b = coded_of(xb, jb)
        one = p == 1.0
        a = np.where(one[:, None], b, a)
        p = np.where(one, 0.0, p)
        K = len(A)
        return p.reshape(shape), a.reshape(shape + (K,)), b.reshape(shape + (K,))

    def to_coded(t):
        p, a, _ = lottery(t)
        if np.any(p > 0):
            raise ValueError(
                "this point of the frontier with lotteries is a lottery over two discrete "
                "combinations: see IssueFrontier.lottery"
            )
        return a

    F = _parametrised(at, lo, hi)
    F._inverse_1 = _identity
    fr = IssueFrontier("continuous", neg, frontier=F, lo=lo, hi=hi, to_coded=to_coded)
    fr.lottery = lottery
    return fr


def _identity(z, *args):
    return z


def _at_utility(problem, flat):
    """Bracket the frontier points with party 1's utilities ``flat`` (B,).

    Returns the problem, the two support points around each (issue values and
    utilities), their weights and the position ``s`` in [0, 1] between them.
    """
    P = problem(flat.size)

    def h(lam, U):
        return U[..., 0] - flat[:, None]

    xa, ua, xb, ub, lam = P.bracket(h)
    s = _separable._lin_t(ua[:, 0] - flat, ub[:, 0] - flat)
    return P, xa, ua, xb, ub, lam, s


def _parametrised(at, lo, hi) -> Frontier:
    """The frontier ``t -> (t, u_2)`` with slope ``-lam / (1 - lam)`` from a bracketing ``at``.

    ``at(t)`` returns ``(shape, extra, u, lam)``: the utilities at party 1's
    utility ``t`` and the supporting weight there.
    """

    def u_of_t(t):
        shape, _, u, _ = at(t)
        return np.stack([np.asarray(t, dtype=float).ravel(), u[:, 1]], axis=-1).reshape(
            shape + (2,)
        )

    def du_of_t(t):
        shape, _, _, lam = at(t)
        slope = -lam / (1.0 - lam)
        return np.stack([np.ones_like(slope), slope], axis=-1).reshape(shape + (2,))

    return Frontier(u_of_t, lo, hi, du=du_of_t)


def continuous_frontier(neg, fixed: Mapping):
    """Build the :class:`~bargain.IssueFrontier` of a two-party continuous negotiation."""
    A = neg.agenda
    if neg.batch_shape:
        raise ValueError(
            f"frontier() needs an unbatched negotiation, batch shape {neg.batch_shape}"
        )
    if A.constraints:
        raise ValueError("frontier() needs an agenda without cross-issue constraints")
    if not isinstance(fixed, Mapping):
        raise TypeError(f"`fixed` must be a mapping issue name -> option, got {fixed!r}")
    for key in fixed:
        if A.issue(key).discrete is False:
            raise ValueError(f"`fixed` issue {key!r} is continuous; fix discrete issues only")
    missing = [A.names[k] for k in A.discrete if A.names[k] not in fixed]
    if missing:
        raise ValueError(
            f"mixed agenda: give `fixed` options for the discrete issue(s) {missing} (the "
            "frontier of a mixed agenda is one continuous frontier per discrete combination)"
        )
    check_exact(neg, "frontier()")
    combo = np.array([[float(A.issues[k].index(fixed[A.names[k]])) for k in A.discrete]])
    combo = combo.reshape(1, len(A.discrete))
    offset = discrete_offsets(neg, combo, ())[0]  # (n,) -> with M = 1: (1, n)
    cont = list(A.continuous)

    def problem(T):
        lo, hi, terms = _continuous_terms(neg, cont, T)
        return _separable.SeparableTwo(lo, hi, terms, np.broadcast_to(offset, (T, 2)))

    P1 = problem(1)
    ends = P1.utilities(P1.argmax(np.array([[1e-300, 1.0 - 2.0**-53]])))[0]
    lo, hi = float(ends[0, 0]), float(ends[1, 0])

    def coded_of(x):
        X = np.empty(x.shape[:-1] + (len(A),))
        X[..., cont] = x
        if A.discrete:
            X[..., list(A.discrete)] = combo[0]
        return X

    if not hi - lo > 1e-12 * (1.0 + abs(lo)):
        X = coded_of(P1.argmax(np.array([[0.5]]))[0])
        return IssueFrontier("points", neg, points=neg.coded_utilities(X), coded=X, lo=lo, hi=lo)

    def at(t):
        t = np.asarray(t, dtype=float)
        P, xa, _, xb, _, lam, s = _at_utility(problem, t.ravel())
        x, u = P.point(xa, xb, s)
        return t.shape, x, u, lam.mean(axis=-1)

    def to_coded(t):
        shape, x, _, _ = at(t)
        return coded_of(x).reshape(shape + (len(A),))

    F = _parametrised(at, lo, hi)
    return IssueFrontier("continuous", neg, frontier=F, lo=lo, hi=hi, to_coded=to_coded)
