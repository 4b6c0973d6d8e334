r"""Parties and negotiations: who bargains over which agenda, with what preferences.

A :class:`Negotiation` holds data only — the agenda and the parties. Its
methods map issue space to utility space (:meth:`Negotiation.utilities`,
:meth:`Negotiation.frontier`, :meth:`Negotiation.pareto_frontier`) and hand
the result to the solvers; ``bg.nash(negotiation)`` and the other solution
functions accept a negotiation directly and map the solution back to issue
values.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from .._core._validate import as_float_array, as_vector
from . import _combine
from ._agenda import Agenda
from ._frontier import IssueFrontier, continuous_frontier
from ._solve import solve
from ._terms import decode_groups, grouped_contributions
from ._utility import AdditiveUtility, CustomUtility

__all__ = ["Negotiation", "Party"]


class Party:
    r"""A negotiating party: a name, a utility over outcomes and its bargaining data.

    Parameters
    ----------
    name : str
        Unique within a negotiation.
    utility : AdditiveUtility, CustomUtility or callable
        Preferences over outcomes; a plain callable ``f(outcome) -> array`` is
        wrapped in :class:`~bargain.CustomUtility`.
    reservation : array_like, default 0
        Reservation value: the utility of no agreement (the BATNA). It is the
        party's coordinate of the default disagreement point.
    discount : array_like, default 1
        Discount factor per bargaining round, in ``[0, 1]`` (0: the party
        cannot wait a round; 1: it does not discount at all).
    breakdown : array_like, default 0
        Probability that talks break down after a rejected offer, in ``[0, 1)``.
    outside_option : array_like, optional
        Utility of an outside option the party can take at any time.
    power : array_like, default 1
        Bargaining power, ``> 0``: the weight of this party in the generalised
        Nash solution (normalised over the parties).
    red_lines : mapping, optional
        What the party never accepts, whatever the rest of the package:
        ``{issue: [options]}`` for a discrete issue, ``{issue: {"min": x,
        "max": y}}`` for a divisible one. Agreement needs every party, so a
        :class:`Negotiation` drops the outcomes across any red line from its
        agenda (``Negotiation.agenda``; the agenda as given is
        ``stated_agenda``): they are not low-utility deals but no deals.
    veto : bool, default True
        Whether the party's consent is needed for every agreement. A party
        with ``veto=False`` consents or not, but only its control and the
        negotiation's decision rule make that count (see
        :class:`Negotiation`).
    controls : sequence of str, optional
        Issues the party controls: an agreement that changes one of them from
        the negotiation's ``status_quo`` needs this party's consent (the EU
        over its sanctions, NATO's members over Article 5).

    Notes
    -----
    Array-valued data carry batch dimensions, broadcast with the batch
    dimensions of the utilities.

    Examples
    --------
    >>> import bargain as bg
    >>> u = bg.AdditiveUtility({"territory": bg.Linear()})
    >>> bg.Party("Ukraine", u, reservation=0.2, discount=0.95)
    Party('Ukraine', reservation=0.2, discount=0.95, power=1.0)
    """

    def __init__(
        self,
        name: str,
        utility,
        reservation=0.0,
        *,
        discount=1.0,
        breakdown=0.0,
        outside_option=None,
        power=1.0,
        red_lines=None,
        veto=True,
        controls=(),
    ) -> None:
        if not isinstance(name, str) or not name.strip():
            raise TypeError(f"party name must be a non-empty string, got {name!r}")
        self.name = name
        if isinstance(utility, (AdditiveUtility, CustomUtility)):
            self.utility = utility
        elif isinstance(utility, Mapping):
            raise TypeError(
                f"party {name!r}: `utility` is a mapping; wrap it as "
                "bargain.AdditiveUtility(values, weights)"
            )
        elif callable(utility):
            self.utility = CustomUtility(utility)
        else:
            raise TypeError(
                f"party {name!r}: `utility` must be an AdditiveUtility, CustomUtility or a "
                f"vectorised function, got {type(utility).__name__}"
            )

        def arr(value, key):
            return as_float_array(value, f"party {name!r} {key}")

        self.reservation = arr(reservation, "reservation")
        self.discount = arr(discount, "discount")
        if np.any((self.discount < 0) | (self.discount > 1)):
            raise ValueError(f"party {name!r}: `discount` must be in [0, 1], got {self.discount}")
        self.breakdown = arr(breakdown, "breakdown")
        if np.any((self.breakdown < 0) | (self.breakdown >= 1)):
            raise ValueError(f"party {name!r}: `breakdown` must be in [0, 1), got {self.breakdown}")
        self.outside_option = (
            None if outside_option is None else arr(outside_option, "outside_option")
        )
        self.power = arr(power, "power")
        if np.any(self.power <= 0):
            raise ValueError(f"party {name!r}: `power` must be positive, got {self.power}")
        self.red_lines = _red_lines(red_lines, name)
        if not isinstance(veto, (bool, np.bool_)):
            raise TypeError(f"party {name!r}: `veto` must be True or False, got {veto!r}")
        self.veto = bool(veto)
        if isinstance(controls, str):
            controls = (controls,)
        controls = tuple(controls)
        if not all(isinstance(k, str) for k in controls):
            raise TypeError(f"party {name!r}: `controls` must list issue names, got {controls!r}")
        self.controls = controls

    _FIELDS = (
        "name",
        "utility",
        "reservation",
        "discount",
        "breakdown",
        "outside_option",
        "power",
        "red_lines",
        "veto",
        "controls",
    )

    def replace(self, **changes) -> Party:
        """A copy of the party with the given fields changed, the others kept.

        Parameters
        ----------
        **changes
            Any of ``name``, ``utility``, ``reservation``, ``discount``,
            ``breakdown``, ``outside_option``, ``power``, ``red_lines``,
            ``veto`` and ``controls``, validated as by
            the constructor.

        Returns
        -------
        Party

        Examples
        --------
        >>> import bargain as bg
        >>> p = bg.Party("Ukraine", bg.AdditiveUtility({"x": bg.Linear()}), 0.2, discount=0.95)
        >>> p.replace(reservation=0.3)
        Party('Ukraine', reservation=0.3, discount=0.95, power=1.0)
        """
        unknown = sorted(set(changes) - set(self._FIELDS))
        if unknown:
            raise TypeError(
                f"Party.replace: unknown field(s) {unknown}; fields are {list(self._FIELDS)}"
            )
        f = {k: getattr(self, k) for k in self._FIELDS}
        f.update(changes)
        return Party(f.pop("name"), f.pop("utility"), f.pop("reservation"), **f)

    def __repr__(self) -> str:
        def show(a):
            return repr(a.item()) if a.ndim == 0 else f"array{a.shape}"

        extra = ""
        if np.any(self.breakdown != 0):
            extra += f", breakdown={show(self.breakdown)}"
        if self.outside_option is not None:
            extra += f", outside_option={show(self.outside_option)}"
        if not self.veto:
            extra += ", veto=False"
        if self.controls:
            extra += f", controls={list(self.controls)}"
        return (
            f"Party({self.name!r}, reservation={show(self.reservation)}, "
            f"discount={show(self.discount)}{extra}, power={show(self.power)})"
        )


class Negotiation:
    r"""A negotiation: an agenda and ``n >= 2`` parties with utilities over it.

    Parameters
    ----------
    agenda : Agenda
        The issues (a sequence of issues is wrapped in an :class:`Agenda`).
    parties : sequence of Party
        At least two, with distinct names. Each party's utility is checked
        against the agenda (unknown issues, tables that do not match the
        options, value functions undefined on an issue's range, non-vectorised
        custom functions), with errors naming the party and the issue.
    rule : DecisionRule, optional
        How the parties decide (:class:`~bargain.Unanimity`,
        :class:`~bargain.Majority`, :class:`~bargain.QualifiedMajority`):
        an agreement needs a winning set of consenting voters on top of every
        veto player and every controller of a changed issue. By default only
        the veto players (every party unless ``veto=False``) and the
        controllers must consent.
    status_quo : mapping, optional
        Issue -> value without agreement (options for discrete issues), the
        reference for issue control; required when a party ``controls``
        issues. It need not satisfy the agenda's constraints.

    Notes
    -----
    A negotiation with a rule, a party without veto or a party controlling
    issues is *governed*: its acceptable outcomes are those with
    non-negative rule slack (:mod:`bargain.issues._rules`), and the solution
    concepts bargain among the veto players over those outcomes.

    The flow is one way: issue space (coded outcomes, see
    :class:`~bargain.Agenda`) -> utility space (:meth:`utilities`) -> a
    solution (``bg.nash(negotiation)`` etc., via the utility-space kernels)
    -> back to issue values (``res.outcome``).

    Batch dimensions of utilities (weights, value-function parameters) and of
    the parties' data broadcast to :attr:`batch_shape`.

    Examples
    --------
    Two parties, two divisible issues: party A cares more about ``x``,
    party B about ``y`` (logrolling):

    >>> import bargain as bg
    >>> A = bg.Agenda(bg.ContinuousIssue("x"), bg.ContinuousIssue("y"))
    >>> a = bg.Party("A", bg.AdditiveUtility({"x": bg.Linear(), "y": bg.Linear()}, [0.8, 0.2]))
    >>> b = bg.Party(
    ...     "B",
    ...     bg.AdditiveUtility(
    ...         {"x": bg.Linear(-1.0, 1.0), "y": bg.Linear(-1.0, 1.0)}, [0.2, 0.8]
    ...     ),
    ... )
    >>> neg = bg.Negotiation(A, [a, b])
    >>> res = bg.nash(neg)
    >>> res.outcome  # A gets x, B gets y
    Outcome(x=1.0, y=0.0)
    >>> res.utilities
    array([0.8, 0.8])
    """

    def __init__(self, agenda, parties, *, rule=None, status_quo=None) -> None:
        if not isinstance(agenda, Agenda):
            agenda = Agenda(*agenda) if isinstance(agenda, (list, tuple)) else agenda
        if not isinstance(agenda, Agenda):
            raise TypeError(f"`agenda` must be an Agenda, got {type(agenda).__name__}")
        parties = tuple(parties)
        if len(parties) < 2:
            raise ValueError(f"a negotiation needs at least two parties, got {len(parties)}")
        for p in parties:
            if not isinstance(p, Party):
                raise TypeError(f"`parties` must hold Party objects, got {p!r}")
        names = [p.name for p in parties]
        dup = sorted({x for x in names if names.count(x) > 1})
        if dup:
            raise ValueError(f"party names must be distinct; repeated: {dup}")
        self.stated_agenda = agenda
        agenda = _within_red_lines(agenda, parties)
        self.agenda = agenda
        self.parties = parties
        self.names = tuple(names)
        self.bound = tuple(p.utility.bind(agenda, p.name) for p in parties)
        shapes = {
            f"party {p.name!r} utility": b.batch_shape
            for p, b in zip(parties, self.bound, strict=True)
        }
        for p in parties:
            for key in ("reservation", "discount", "breakdown", "power"):
                shapes[f"party {p.name!r} {key}"] = getattr(p, key).shape
        try:
            self.batch_shape = np.broadcast_shapes(*shapes.values())
        except ValueError:
            desc = ", ".join(f"{k} {v}" for k, v in shapes.items())
            raise ValueError(f"batch shapes of the parties do not broadcast: {desc}") from None
        self._govern(rule, status_quo)

    def _govern(self, rule, status_quo) -> None:
        from ._rules import DecisionRule

        if rule is not None and not isinstance(rule, DecisionRule):
            raise TypeError(
                "`rule` must be a DecisionRule (bg.Unanimity, bg.Majority, "
                f"bg.QualifiedMajority), got {rule!r}"
            )
        self.rule = rule
        self.bound_rule = None if rule is None else rule.bind(self.names)
        for p in self.parties:
            for k in p.controls:
                if k not in self.agenda.names:
                    raise ValueError(
                        f"party {p.name!r} controls unknown issue {k!r}; issues are "
                        f"{list(self.agenda.names)}"
                    )
        self.vetoes = tuple(p.veto for p in self.parties)
        controllers = [p.name for p in self.parties if p.controls]
        if controllers and status_quo is None:
            raise ValueError(
                f"parties {controllers} control issues: give the negotiation's `status_quo` "
                "(issue -> value without agreement), the reference for a changed issue"
            )
        self.status_quo_coded = (
            None
            if status_quo is None
            else self.stated_agenda.encode_reference(status_quo, "status_quo")
        )
        self.status_quo = None if status_quo is None else dict(status_quo)
        if rule is None and not any(self.vetoes):
            raise ValueError(
                "no party has a veto and there is no decision rule: give some party veto=True "
                "or the negotiation a `rule`"
            )

    @property
    def governed(self) -> bool:
        """Whether agreement needs more than every party's consent (rule, control, non-veto)."""
        from ._rules import Unanimity

        if not all(self.vetoes) or any(p.controls for p in self.parties):
            return True
        # with every party a veto player, unanimity of any voters adds nothing
        return self.rule is not None and not isinstance(self.rule, Unanimity)

    @property
    def veto_players(self) -> tuple[int, ...]:
        """Positions of the parties whose consent every agreement needs."""
        return tuple(i for i, v in enumerate(self.vetoes) if v)

    def rule_slack(self, U, X, r=None) -> np.ndarray:
        r"""Rule slack :math:`\sigma(x)` of coded outcomes (see :mod:`bargain.issues._rules`).

        Parameters
        ----------
        U : ndarray, shape (..., N, n)
            The outcomes' utilities (``coded_utilities(X)``).
        X : ndarray, shape (N, K)
            Coded outcomes.
        r : array_like, shape (..., n), optional
            Reservation values (the parties' by default).

        Returns
        -------
        ndarray, shape (..., N)
            Non-negative exactly where the outcome is acceptable: every veto
            player and every controller of a changed issue gains at least its
            reservation value and the consenting set wins under the rule.

        Examples
        --------
        Three parties decide by simple majority, nobody has a veto, and each
        needs 0.5. "A+B" gives the majority A, B a surplus of 0.3 each;
        "all" gives everyone 0.1; "A-only" finds no second supporter.

        >>> import numpy as np, bargain as bg
        >>> A = bg.Agenda(bg.DiscreteIssue("plan", ["A-only", "A+B", "all"]))
        >>> tables = {"A": [1.0, 0.8, 0.6], "B": [0.0, 0.8, 0.6], "C": [0.0, 0.0, 0.6]}
        >>> ps = [bg.Party(c, bg.AdditiveUtility({"plan": bg.Table(t)}), 0.5, veto=False)
        ...       for c, t in tables.items()]
        >>> neg = bg.Negotiation(A, ps, rule=bg.Majority())
        >>> X = neg.agenda.enumerate()
        >>> neg.rule_slack(neg.coded_utilities(X), X).round(3)
        array([-0.5,  0.3,  0.1])
        """
        from ._rules import rule_slack

        r = self.disagreement(r)
        return rule_slack(self, np.asarray(U, dtype=float), np.asarray(X), np.asarray(r))

    @property
    def n(self) -> int:
        """Number of parties."""
        return len(self.parties)

    @property
    def additive(self) -> bool:
        """Whether every party's utility is additive."""
        return all(b.additive for b in self.bound)

    def __repr__(self) -> str:
        extra = "" if self.rule is None else f", rule={self.rule!r}"
        return f"Negotiation({self.agenda!r}, parties={list(self.names)}{extra})"

    def replace(self, *, agenda=None, parties=None) -> Negotiation:
        """A copy with a new agenda and/or new parties (checked again against each other).

        Examples
        --------
        >>> import bargain as bg
        >>> neg = bg.load_model("camp_david_1978").negotiation
        >>> egypt, israel = neg.parties
        >>> tougher = neg.replace(parties=[egypt.replace(reservation=0.5), israel])
        >>> tougher.reservation
        array([0.5 , 0.35])
        """
        return Negotiation(
            self.stated_agenda if agenda is None else agenda,
            self.parties if parties is None else parties,
            rule=self.rule,
            status_quo=self.status_quo,
        )

    def party(self, name: str) -> Party:
        """The party called ``name``.

        Parameters
        ----------
        name : str
            The party's name (``ValueError`` listing the parties if unknown).

        Returns
        -------
        Party

        Examples
        --------
        >>> import bargain as bg
        >>> A = bg.Agenda(bg.ContinuousIssue("x"))
        >>> a = bg.Party("A", bg.AdditiveUtility({"x": bg.Linear()}), reservation=0.2)
        >>> b = bg.Party("B", bg.AdditiveUtility({"x": bg.Linear(-1.0, 1.0)}))
        >>> neg = bg.Negotiation(A, [a, b])
        >>> float(neg.party("A").reservation)
        0.2
        >>> neg.party("C")
        Traceback (most recent call last):
            ...
        ValueError: unknown party 'C'; parties are ['A', 'B']
        """
        for p in self.parties:
            if p.name == name:
                return p
        raise ValueError(f"unknown party {name!r}; parties are {list(self.names)}")

    # -- data across parties ---------------------------------------------------

    def _stack(self, key) -> np.ndarray:
        arrs = [np.asarray(getattr(p, key), dtype=float) for p in self.parties]
        shape = np.broadcast_shapes(*(a.shape for a in arrs))
        return np.stack([np.broadcast_to(a, shape) for a in arrs], axis=-1)

    @property
    def reservation(self) -> np.ndarray:
        """Reservation values ``(..., n)``: the default disagreement point."""
        return self._stack("reservation")

    @property
    def powers(self) -> np.ndarray:
        """Bargaining powers ``(..., n)``, normalised to sum to 1."""
        p = self._stack("power")
        return p / p.sum(axis=-1, keepdims=True)

    @property
    def discount(self) -> np.ndarray:
        """Discount factors ``(..., n)``."""
        return self._stack("discount")

    @property
    def breakdown(self) -> np.ndarray:
        """Breakdown probabilities ``(..., n)``."""
        return self._stack("breakdown")

    def disagreement(self, d=None) -> np.ndarray:
        """The disagreement point ``(..., n)``: ``d`` if given, else the reservation values.

        Parameters
        ----------
        d : array_like, shape (..., n), optional
            An explicit disagreement point (checked: one value per party).

        Returns
        -------
        ndarray, shape (..., n)

        Examples
        --------
        >>> import bargain as bg
        >>> A = bg.Agenda(bg.ContinuousIssue("x"))
        >>> a = bg.Party("A", bg.AdditiveUtility({"x": bg.Linear()}), reservation=0.2)
        >>> b = bg.Party("B", bg.AdditiveUtility({"x": bg.Linear(-1.0, 1.0)}))
        >>> neg = bg.Negotiation(A, [a, b])
        >>> neg.disagreement()  # the reservation values (B's defaults to 0)
        array([0.2, 0. ])
        >>> neg.disagreement([0.1, 0.1])
        array([0.1, 0.1])
        """
        if d is None:
            return self.reservation
        return as_vector(d, self.n, "d", "the negotiation")

    # -- issue space -> utility space --------------------------------------------

    def utilities(self, outcome) -> np.ndarray:
        """Utilities of outcomes: shape ``batch_shape + N... + (n,)``.

        Parameters
        ----------
        outcome : mapping or array_like
            A mapping issue name -> value(s) (option labels for discrete
            issues), or coded outcomes ``(N..., K)``.

        Examples
        --------
        >>> import bargain as bg
        >>> A = bg.Agenda(bg.DiscreteIssue("g", ["none", "treaty", "art5"]))
        >>> p1 = bg.Party("P1", bg.AdditiveUtility({"g": bg.Table([0.0, 0.5, 1.0])}))
        >>> p2 = bg.Party("P2", bg.AdditiveUtility({"g": bg.Linear(-1.0, 2.0)}))
        >>> bg.Negotiation(A, [p1, p2]).utilities({"g": ["treaty", "art5"]})
        array([[0.5, 1. ],
               [1. , 0. ]])
        """
        if isinstance(outcome, Mapping):
            X = self.agenda.encode(outcome)
        else:
            X = self.agenda.check_coded(outcome, "outcome")
        return self.coded_utilities(X)

    def coded_utilities(self, X: np.ndarray) -> np.ndarray:
        """Utilities of validated coded outcomes ``(N..., K)``: ``batch + N... + (n,)``.

        As :meth:`utilities` without the checks: ``X`` must already be valid
        (see :meth:`Agenda.check_coded`). Every outcome is evaluated under
        every batch element.

        Parameters
        ----------
        X : ndarray, shape (N..., K)
            Coded outcomes.

        Returns
        -------
        ndarray, shape batch_shape + (N..., n)

        Examples
        --------
        >>> import numpy as np, bargain as bg
        >>> A = bg.Agenda(bg.ContinuousIssue("x"), bg.ContinuousIssue("y"))
        >>> a = bg.Party("A", bg.AdditiveUtility({"x": bg.Linear(), "y": bg.Linear()}, [0.8, 0.2]))
        >>> b = bg.Party(
        ...     "B",
        ...     bg.AdditiveUtility(
        ...         {"x": bg.Linear(-1.0, 1.0), "y": bg.Linear(-1.0, 1.0)}, [0.2, 0.8]
        ...     ),
        ... )
        >>> neg = bg.Negotiation(A, [a, b])
        >>> neg.coded_utilities(np.array([[1.0, 0.0], [0.5, 0.5]]))  # A: 0.8 * 1, B: 0.8 * 1
        array([[0.8, 0.8],
               [0.5, 0.5]])
        """
        shape = self.batch_shape + X.shape[:-1]
        if self.additive and not self.agenda.continuous and X.ndim == 2 and len(X):
            cols = _discrete_columns(self, X)
        else:
            cols = [b.evaluate(X) for b in self.bound]
        if X.ndim == 2 and X.shape[0] >= _PARTY_ROWS:
            # many outcomes: party by party into contiguous rows, so that a party's
            # column U[..., i], what the solvers read, is a contiguous array
            out = np.empty((self.n,) + shape)
            for i, c in enumerate(cols):
                out[i] = c
            return np.moveaxis(out, 0, -1)
        out = np.empty(shape + (self.n,))
        for i, c in enumerate(cols):
            out[..., i] = c
        return out

    def aligned_utilities(self, X: np.ndarray) -> np.ndarray:
        """Utilities of coded outcomes ``batch + (K,)``, one outcome per batch element.

        Where :meth:`coded_utilities` evaluates every outcome under every
        batch element, this evaluates outcome ``X[b]`` under batch element
        ``b`` only (e.g. each draw's own solution).

        Parameters
        ----------
        X : ndarray, shape batch + (K,)
            Valid coded outcomes, one per batch element.

        Returns
        -------
        ndarray, shape batch + (n,)

        Examples
        --------
        Party A's weights are a batch of two:

        >>> import numpy as np, bargain as bg
        >>> A = bg.Agenda(bg.ContinuousIssue("x"), bg.ContinuousIssue("y"))
        >>> w = [[0.8, 0.2], [0.5, 0.5]]
        >>> a = bg.Party("A", bg.AdditiveUtility({"x": bg.Linear(), "y": bg.Linear()}, w))
        >>> b = bg.Party(
        ...     "B",
        ...     bg.AdditiveUtility(
        ...         {"x": bg.Linear(-1.0, 1.0), "y": bg.Linear(-1.0, 1.0)}, [0.2, 0.8]
        ...     ),
        ... )
        >>> neg = bg.Negotiation(A, [a, b])
        >>> X = np.array([[1.0, 0.0], [0.5, 0.5]])  # one outcome per draw
        >>> neg.aligned_utilities(X)  # draw 0: A 0.8 * 1; draw 1: A 0.5 * 0.5 + 0.5 * 0.5
        array([[0.8, 0.8],
               [0.5, 0.5]])
        >>> neg.coded_utilities(X).shape  # every outcome under every draw
        (2, 2, 2)
        """
        batch = X.shape[:-1]
        out = np.empty(batch + (self.n,))
        for i, b in enumerate(self.bound):
            if b.additive:
                total = np.zeros(batch)
                for k, (v, w) in b.terms.items():
                    vb = v._broadcast_to(np.broadcast_shapes(v.batch_shape, batch))
                    x = b._x(k, X[..., k])
                    total = total + np.broadcast_to(w, batch) * vb._aligned(
                        np.broadcast_to(x, vb.batch_shape)
                    )
                out[..., i] = total
            else:
                out[..., i] = b.evaluate(X)
        return out

    def pareto_frontier(self, *, method: str = "auto", batch_index=()):
        """Exact Pareto frontier of a discrete agenda: ``(points, coded)``.

        Parameters
        ----------
        method : {"auto", "combine", "enumerate"}
            ``"combine"`` builds the frontier issue by issue from per-issue
            contributions, pruning dominated partial sums (additive
            utilities; never enumerates the outcomes); ``"enumerate"``
            evaluates every outcome. ``"auto"`` combines when it can.
        batch_index : tuple, optional
            Which element of a batched negotiation.

        Returns
        -------
        points : ndarray, shape (m, n)
            The non-dominated utility vectors, in enumeration order of the
            outcomes achieving them.
        coded : ndarray, shape (m, K)
            For each, the first outcome in enumeration order achieving it.

        Examples
        --------
        >>> import bargain as bg
        >>> issues = [bg.DiscreteIssue(f"i{k}", ["a", "b", "c"]) for k in range(12)]
        >>> p1 = bg.Party("P1", bg.AdditiveUtility(
        ...     {f"i{k}": bg.Table([0.0, 1.0, 2.0 + k]) for k in range(12)}))
        >>> p2 = bg.Party("P2", bg.AdditiveUtility(
        ...     {f"i{k}": bg.Table([3.0, 1.5, 0.0]) for k in range(12)}))
        >>> neg = bg.Negotiation(bg.Agenda(issues), [p1, p2])
        >>> neg.agenda.size  # 531441 outcomes, never enumerated
        531441
        >>> pts, coded = neg.pareto_frontier()
        >>> pts.shape
        (25, 2)
        """
        A = self.agenda
        if A.continuous:
            raise ValueError(
                "pareto_frontier needs an all-discrete agenda; continuous issues: "
                f"{[A.names[k] for k in A.continuous]} (use frontier() instead)"
            )
        if method not in ("auto", "combine", "enumerate"):
            raise ValueError(f"`method` must be 'auto', 'combine' or 'enumerate', got {method!r}")
        if method == "auto":
            method = "combine" if self.additive else "enumerate"
        idx = tuple(np.atleast_1d(batch_index)) if batch_index != () else ()
        if method == "enumerate":
            if self.additive and not (A.constraints or A.option_constraints):
                # every option combination: utilities from the option grid, and only the
                # frontier's outcomes decoded from their positions in it
                sizes = tuple(issue.k for issue in A.issues)
                U = np.empty(self.batch_shape + (math.prod(sizes), self.n))
                for i, b in enumerate(self.bound):
                    U[..., i] = _grid_column(b, sizes)
                U = U[idx] if idx else U
                if U.ndim != 2:
                    raise ValueError(
                        f"the negotiation is batched (batch shape {self.batch_shape}): give "
                        "`batch_index`"
                    )
                keep = _combine.enumerate_frontier(U)
                X = np.stack(np.unravel_index(keep, sizes), axis=-1).astype(float)
                return U[keep], X
            X = A.enumerate()
            U = self.coded_utilities(X)[idx] if idx else self.coded_utilities(X)
            if U.ndim != 2:
                raise ValueError(
                    f"the negotiation is batched (batch shape {self.batch_shape}): give "
                    "`batch_index`"
                )
            keep = _combine.enumerate_frontier(U)
            return U[keep], X[keep]
        if not self.additive:
            raise ValueError("method='combine' needs additive utilities for every party")
        if self.batch_shape and not idx:
            raise ValueError(
                f"the negotiation is batched (batch shape {self.batch_shape}): give `batch_index`"
            )
        contributions, groups = grouped_contributions(self, self.batch_shape)
        U, codes = _combine.combine([c[idx] if idx else c for c in contributions])
        return U, decode_groups(groups, codes, len(A))

    def frontier(self, *, fixed: Mapping | None = None) -> IssueFrontier:
        r"""The two-party Pareto frontier in utility space, with the map back to issues.

        Parameters
        ----------
        fixed : mapping of str to option, optional
            Options of discrete issues held fixed (required for each discrete
            issue of a mixed agenda: the frontier of a mixed agenda is a union
            of shifted continuous frontiers, one per discrete combination).

        Returns
        -------
        IssueFrontier
            All-continuous (after ``fixed``): ``kind="continuous"`` with an
            exact :class:`~bargain.Frontier` parametrised by party 1's utility
            and :meth:`IssueFrontier.outcome` mapping ``t`` to issue values.
            Needs two parties with additive concave utilities, no cross-issue
            constraints and no batch dimensions.
            All-discrete: ``kind="points"`` with the Pareto-optimal points
            (sorted by ``u_1``) and their outcomes.

        Notes
        -----
        The continuous frontier is :math:`t \mapsto (t, f(t))`,
        :math:`f(t) = \max\{u_2(x) : u_1(x) \ge t\}`. For each ``t`` the
        supporting weight :math:`\lambda` with
        :math:`u_1(x(\lambda)) = t` is bracketed (``x(lambda)`` maximises
        :math:`\lambda u_1 + (1 - \lambda) u_2` issue by issue, see
        ``bargain.issues._separable``) and the point is interpolated exactly on the
        bracketing segment; the slope is :math:`f'(t) = -\lambda/(1 - \lambda)`.
        For Rubinstein bargaining over issues, solve on ``fr.frontier`` and
        map the SPE agreement ``t`` back with ``fr.outcome(t)``.

        Examples
        --------
        Splitting one divisible issue: the frontier is ``u_2 = 1 - u_1``.

        >>> import bargain as bg
        >>> A = bg.Agenda(bg.ContinuousIssue("x"))
        >>> a = bg.Party("A", bg.AdditiveUtility({"x": bg.Linear()}))
        >>> b = bg.Party("B", bg.AdditiveUtility({"x": bg.Linear(-1.0, 1.0)}))
        >>> fr = bg.Negotiation(A, [a, b]).frontier()
        >>> fr.kind, fr.lo, fr.hi
        ('continuous', 0.0, 1.0)
        >>> fr.frontier(0.3)  # (t, 1 - t)
        array([0.3, 0.7])
        >>> fr.outcome(0.3)  # A's utility 0.3 needs x = 0.3
        Outcome(x=0.3)

        One discrete issue: the Pareto-optimal options, sorted by ``u_1``.

        >>> D = bg.Agenda(bg.DiscreteIssue("g", ["none", "treaty", "art5"]))
        >>> p1 = bg.Party("P1", bg.AdditiveUtility({"g": bg.Table([0.0, 0.5, 1.0])}))
        >>> p2 = bg.Party("P2", bg.AdditiveUtility({"g": bg.Table([1.0, 0.8, 0.0])}))
        >>> fd = bg.Negotiation(D, [p1, p2]).frontier()
        >>> fd.kind, fd.points
        ('points', array([[0. , 1. ],
               [0.5, 0.8],
               [1. , 0. ]]))
        >>> fd.outcome(1)
        Outcome(g='treaty')
        """
        if self.n != 2:
            raise ValueError(f"frontier() needs exactly two parties, got {self.n}")
        A = self.agenda
        if fixed is None:
            fixed = {}
        if not A.continuous:
            if fixed:
                raise ValueError("`fixed` applies to mixed agendas only")
            if self.batch_shape:
                raise ValueError(
                    f"frontier() needs an unbatched negotiation, batch shape {self.batch_shape}"
                )
            U, X = self.pareto_frontier()
            order = np.lexsort((-U[:, 1], U[:, 0]))
            return IssueFrontier(
                "points",
                self,
                points=U[order],
                coded=X[order],
                lo=float(U[:, 0].min()),
                hi=float(U[:, 0].max()),
            )
        return continuous_frontier(self, fixed)

    # -- convenience -------------------------------------------------------------

    def solve(
        self, concept: str = "nash", d=None, weights=None, *, method="auto", grid=None, hull=False
    ):
        """Solve a bargaining concept in issue space; see :func:`bargain.nash`.

        Parameters
        ----------
        concept : {"nash", "kalai_smorodinsky", "egalitarian", "utilitarian"}
        d : array_like, shape (..., n), optional
            Disagreement point; the parties' reservation values by default.
        weights : array_like, shape (..., n), optional
            Nash: bargaining powers (the parties' ``power`` by default);
            egalitarian / utilitarian: weights (equal by default).
        method : {"auto", "exact", "enumerate", "frontier"}
            ``"exact"``: continuous and mixed agendas, exact optimisation
            (root-finding for two parties, a convex programme otherwise);
            ``"enumerate"``: every outcome (continuous issues on a ``grid``);
            ``"frontier"``: discrete additive agendas via the issue-by-issue
            Pareto frontier. ``"auto"`` picks ``"exact"`` with continuous
            issues, otherwise ``"enumerate"`` up to 2**20 outcomes and
            ``"frontier"`` beyond (additive utilities).
        grid : int or mapping, optional
            Grid points per continuous issue for ``method="enumerate"``.
        hull : bool, default False
            Lotteries over outcomes are not modelled in issue space; must be False.

        Returns
        -------
        Result
            See :func:`bargain.issues._solve.solve`.

        Examples
        --------
        Splitting ``x`` with A's reservation value 0.2 (B's is 0):

        >>> import bargain as bg
        >>> A = bg.Agenda(bg.ContinuousIssue("x"))
        >>> a = bg.Party("A", bg.AdditiveUtility({"x": bg.Linear()}), reservation=0.2)
        >>> b = bg.Party("B", bg.AdditiveUtility({"x": bg.Linear(-1.0, 1.0)}))
        >>> neg = bg.Negotiation(A, [a, b])
        >>> res = neg.solve("nash")  # max (x - 0.2)(1 - x): x = (1 + 0.2) / 2
        >>> res.outcome, res.utilities
        (Outcome(x=0.6), array([0.6, 0.4]))
        >>> neg.solve("nash", d=[0, 0]).outcome  # an even split from (0, 0)
        Outcome(x=0.5)
        >>> neg.solve("nash", weights=[3, 1]).outcome  # 3 / (x - 0.2) = 1 / (1 - x)
        Outcome(x=0.8)
        """
        return solve(self, concept, d, weights, method=method, grid=grid, hull=hull)


_PARTY_ROWS = 256  # outcomes from which coded_utilities stores each party contiguously


def _discrete_columns(neg, X):
    """Per-party utilities of coded outcomes of an all-discrete additive agenda.

    Each issue's contributions are evaluated on its options only (a table per
    issue); the outcomes then look them up. When the outcomes fill at least half
    of the option grid (an enumeration), the tables are added as an outer sum
    over the grid and the outcomes are read off it in one gather; otherwise each
    issue's table is gathered at the outcomes' codes. Either way each utility is
    ``0 + c_0 + c_1 + ...`` in agenda order, the same floating-point sum as
    :meth:`BoundAdditive.evaluate`.
    """
    A = neg.agenda
    sizes = tuple(issue.k for issue in A.issues)
    codes = [X[:, k].astype(np.intp) for k in range(len(sizes))]
    grid = math.prod(sizes)
    dense = grid <= 2 * X.shape[0]
    flat = np.ravel_multi_index(codes, sizes) if dense else None
    cols = []
    for b in neg.bound:
        if dense:
            cols.append(np.take(_grid_column(b, sizes), flat, axis=-1))
        else:
            total = np.zeros(b.batch_shape + X.shape[:1])
            for k in b.terms:
                c = b.contribution(k, np.arange(sizes[k], dtype=float))
                total = total + np.take(c, codes[k], axis=-1)
            cols.append(total)
    return cols


def _grid_column(b, sizes):
    """One party's utilities over the whole option grid (C order): ``batch + (prod(sizes),)``.

    The outer sum ``0 + c_0[o_0] + c_1[o_1] + ...`` of its per-issue option
    contributions, broadcast along the issues' grid axes.
    """
    total = np.zeros(b.batch_shape + (1,) * len(sizes))
    for k in b.terms:
        c = b.contribution(k, np.arange(sizes[k], dtype=float))
        shape = [1] * len(sizes)
        shape[k] = sizes[k]
        total = total + c.reshape(c.shape[:-1] + tuple(shape))
    return np.broadcast_to(total, b.batch_shape + sizes).reshape(b.batch_shape + (-1,))


def _red_lines(spec, name):
    """Validate a party's red lines: issue -> options it never accepts, or {min, max}."""
    if spec is None:
        return {}
    if not isinstance(spec, Mapping):
        raise TypeError(
            f"party {name!r}: `red_lines` must be a mapping issue -> options never accepted "
            f"(or {{'min': x, 'max': y}} for a divisible issue), got {spec!r}"
        )
    out = {}
    for issue, v in spec.items():
        if not isinstance(issue, str):
            raise TypeError(f"party {name!r}: red-line issue names must be strings, got {issue!r}")
        if isinstance(v, str):
            v = (v,)
        if isinstance(v, Mapping):
            bad = sorted(set(v) - {"min", "max"})
            if bad or not v:
                raise ValueError(
                    f"party {name!r}: red line on {issue!r} takes 'min' and/or 'max', got {dict(v)}"
                )
            bound = {}
            for key, x in v.items():
                if isinstance(x, bool) or not isinstance(x, (int, float, np.integer, np.floating)):
                    raise TypeError(
                        f"party {name!r}: red line {issue!r}.{key} must be a number, got {x!r}"
                    )
                bound[key] = float(x)
            out[issue] = bound
        elif isinstance(v, (list, tuple)) and v and all(isinstance(o, str) for o in v):
            out[issue] = tuple(v)
        else:
            raise TypeError(
                f"party {name!r}: red line on {issue!r} must list option labels or give "
                f"'min'/'max', got {v!r}"
            )
    return out


def _within_red_lines(agenda, parties):
    """The agenda without the outcomes across any party's red line.

    Agreement needs every party, so an outcome across one party's red line is
    no agreement at all: discrete red lines become :class:`Forbidden`
    constraints, and a minimum or maximum on a divisible issue narrows its
    range. The agenda as stated stays in ``Negotiation.stated_agenda``.
    """
    from ._agenda import ContinuousIssue, Forbidden

    if not any(p.red_lines for p in parties):
        return agenda
    issues = list(agenda.issues)
    extra = []
    for p in parties:
        for key, line in p.red_lines.items():
            try:
                k = agenda.position(key)
            except ValueError:
                raise ValueError(
                    f"party {p.name!r}: red line on unknown issue {key!r}; issues are "
                    f"{list(agenda.names)}"
                ) from None
            issue = issues[k]
            if issue.discrete:
                if isinstance(line, dict):
                    raise ValueError(
                        f"party {p.name!r}: red line on discrete issue {key!r} must list the "
                        "options it never accepts, not 'min'/'max'"
                    )
                for o in line:
                    if o not in issue.options:
                        raise ValueError(
                            f"party {p.name!r}: red line on {key!r} names no option {o!r}; "
                            f"options are {list(issue.options)}"
                        )
                extra.append(Forbidden({key: list(line)}))
            else:
                if not isinstance(line, dict):
                    raise ValueError(
                        f"party {p.name!r}: red line on divisible issue {key!r} takes "
                        "{'min': x} and/or {'max': y}, not option labels"
                    )
                lo = max(issue.lo, line.get("min", issue.lo))
                hi = min(issue.hi, line.get("max", issue.hi))
                if not lo < hi:
                    raise ValueError(
                        f"party {p.name!r}: red line on {key!r} leaves no value in "
                        f"[{issue.lo}, {issue.hi}] (needs {lo} < {hi})"
                    )
                issues[k] = ContinuousIssue(key, lo, hi)
    try:
        return type(agenda)(
            *issues, constraints=[*agenda.constraints, *agenda.option_constraints, *extra]
        )
    except ValueError as exc:
        raise ValueError(f"the parties' red lines: {exc}") from None
