r"""Who must agree: veto players, issue control and collective decision rules.

A bilateral negotiation ends in agreement when both sides accept. With more
actors at the table the question "is this package agreed?" needs a rule.
Three pieces of data answer it, following the veto-players account of
collective decisions (Tsebelis 2002, *Veto Players*, ch. 1-2) and the
issue-control literature on the EU (the Council decides sanctions and
accession; Art. 31 TEU, Art. 49 TEU):

- **veto**: a party with ``veto=True`` (the default) must consent to any
  agreement; a party with ``veto=False`` sits at the table but cannot block
  on its own.
- **control**: a party that ``controls`` an issue must consent to any
  agreement that changes that issue from the negotiation's ``status_quo``
  (the EU over its sanctions: a peace deal that keeps them needs no
  Brussels signature; one that lifts them does).
- **rule**: a :class:`DecisionRule` among voting parties -- unanimity,
  a (weighted) simple majority, or a qualified majority such as the EU
  Council's double majority (Art. 16(4) TEU: 55% of the members
  representing 65% of the population; a blocking minority needs at least
  four members).

Party :math:`i` *consents* to outcome :math:`x` when its surplus
:math:`s_i(x) = u_i(x) - r_i` is non-negative. Outcome :math:`x` is
*acceptable* when the consenting set contains every veto party, every
controller of an issue that :math:`x` changes, and is winning under the rule.
All three are monotone in the consenting set, so acceptability has a
certificate, the **rule slack**

.. math::

    \sigma(x) = \min\Bigl(\min_{i \in R(x)} s_i(x),\;
        \max\{t : \{i : s_i(x) \ge t\} \text{ is winning}\}\Bigr),

where :math:`R(x)` is the set of veto players and controllers of changed
issues. :math:`x` is acceptable iff :math:`\sigma(x) \ge 0`; under unanimity
it is :math:`\min_i s_i(x)`, the ZOPA slack of the bilateral case. The
second term is read off the surpluses sorted in decreasing order: the
coalition of the :math:`k` largest surpluses is the best coalition whose
weakest member has surplus :math:`s_{(k)}`, so the term is :math:`s_{(k^*)}`
with :math:`k^*` the smallest :math:`k` whose top-:math:`k` set wins.

Solution concepts over a governed negotiation are the bargain among the veto
players, over the acceptable outcomes only: the Nash product (or KS,
egalitarian, utilitarian objective) of the veto players' gains is maximised
over :math:`\{x : \sigma(x) \ge 0\}`; the other parties enter through the
rule and their control (see :func:`bargain.nash`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

__all__ = ["DecisionRule", "Majority", "QualifiedMajority", "Unanimity"]


class DecisionRule:
    """Base class of collective decision rules over the parties of a negotiation.

    A rule says which sets of consenting parties are *winning*. Subclasses
    implement :meth:`winning` on boolean membership arrays; every rule here
    is monotone (a superset of a winning set wins).

    Examples
    --------
    >>> import numpy as np, bargain as bg
    >>> rule = bg.Majority()
    >>> isinstance(rule, bg.DecisionRule), rule.describe()
    (True, 'simple majority (more than half)')
    >>> rule.bind(["A", "B", "C"]).winning(np.array([True, True, False]))
    np.True_
    """

    voters: tuple[str, ...] | None = None

    def bind(self, names: Sequence[str]) -> _BoundRule:
        """The rule for a negotiation with parties ``names`` (checks the names it uses).

        Returns an object whose ``winning(members)`` maps boolean membership
        arrays ``(..., n)`` over the parties to ``(...)`` winning flags.

        Examples
        --------
        >>> import numpy as np, bargain as bg
        >>> bg.Unanimity(voters=["A", "B"]).bind(["A", "B", "C"]).winning(
        ...     np.array([True, True, False]))
        np.True_
        >>> bg.Unanimity(voters=["A", "D"]).bind(["A", "B", "C"])
        Traceback (most recent call last):
            ...
        ValueError: Unanimity: voter(s) ['D'] are not parties; parties are ['A', 'B', 'C']
        """
        return self._bind(tuple(names))

    def describe(self) -> str:
        """One line for reports.

        Examples
        --------
        >>> import bargain as bg
        >>> print(bg.QualifiedMajority(0.65, members=0.55).describe())
        qualified majority: 65% of the weight and 55% of the members
        """
        return self._describe()


def _check_voters(voters, names, rule):
    if voters is None:
        return tuple(names)
    voters = tuple(voters)
    unknown = [v for v in voters if v not in names]
    if unknown:
        raise ValueError(f"{rule}: voter(s) {unknown} are not parties; parties are {list(names)}")
    if len(set(voters)) != len(voters):
        raise ValueError(f"{rule}: voters must be distinct, got {list(voters)}")
    return voters


def _check_weights(weights, voters, rule):
    if weights is None:
        return np.ones(len(voters))
    if not isinstance(weights, Mapping):
        raise TypeError(f"{rule}: `weights` must map voter names to weights, got {weights!r}")
    unknown = [k for k in weights if k not in voters]
    if unknown:
        raise ValueError(
            f"{rule}: `weights` names non-voter(s) {unknown}; voters are {list(voters)}"
        )
    missing = [v for v in voters if v not in weights]
    if missing:
        raise ValueError(f"{rule}: `weights` lacks voter(s) {missing}")
    w = np.array([weights[v] for v in voters], dtype=float)
    if not np.all(np.isfinite(w)) or np.any(w < 0) or w.sum() <= 0:
        raise ValueError(f"{rule}: `weights` must be finite, >= 0 and not all 0, got {list(w)}")
    return w


class _BoundRule:
    def __init__(self, rule, names, voters, weights):
        self.rule = rule
        self.names = tuple(names)
        self.columns = np.array([self.names.index(v) for v in voters], dtype=np.intp)
        self.weights = weights / weights.sum()

    def winning(self, members: np.ndarray) -> np.ndarray:
        """``members`` (..., n) boolean over all parties -> (...) winning."""
        m = members[..., self.columns]
        return self.rule._wins(m, self.weights)


class Unanimity(DecisionRule):
    """Every voter must consent (the default bargaining rule).

    Parameters
    ----------
    voters : sequence of str, optional
        The parties whose consent the rule needs (all parties by default).

    Examples
    --------
    >>> import numpy as np, bargain as bg
    >>> r = bg.Unanimity().bind(["A", "B", "C"])
    >>> r.winning(np.array([[True, True, True], [True, False, True]]))
    array([ True, False])
    """

    def __init__(self, voters=None) -> None:
        self.voters = None if voters is None else tuple(voters)

    def _bind(self, names):
        voters = _check_voters(self.voters, names, "Unanimity")
        return _BoundRule(self, names, voters, np.ones(len(voters)))

    @staticmethod
    def _wins(m, w):
        return np.all(m, axis=-1)

    def _describe(self):
        who = "every party" if self.voters is None else ", ".join(self.voters)
        return f"unanimity of {who}"

    def __repr__(self):
        return "Unanimity()" if self.voters is None else f"Unanimity(voters={list(self.voters)})"


class Majority(DecisionRule):
    """A (weighted) simple majority: more than half of the voters' weight consents.

    Parameters
    ----------
    weights : mapping of str to float, optional
        Voting weight per voter (equal by default).
    voters : sequence of str, optional
        The voting parties (all by default).

    Examples
    --------
    >>> import numpy as np, bargain as bg
    >>> r = bg.Majority().bind(["A", "B", "C", "D"])
    >>> r.winning(np.array([[True, True, False, False], [True, True, True, False]]))
    array([False,  True])
    """

    def __init__(self, weights=None, *, voters=None) -> None:
        self.weights = None if weights is None else dict(weights)
        self.voters = None if voters is None else tuple(voters)

    def _bind(self, names):
        voters = _check_voters(self.voters, names, "Majority")
        return _BoundRule(self, names, voters, _check_weights(self.weights, voters, "Majority"))

    @staticmethod
    def _wins(m, w):
        return m.astype(float) @ w > 0.5 + 1e-12

    def _describe(self):
        kind = "weighted majority" if self.weights else "simple majority"
        return f"{kind} (more than half)"

    def __repr__(self):
        return f"Majority(weights={self.weights!r})" if self.weights else "Majority()"


class QualifiedMajority(DecisionRule):
    r"""A qualified majority: a weight quota, optionally a member quota and a blocking floor.

    A consenting set :math:`C` of voters wins when

    .. math::

        \Bigl(\sum_{i \in C} w_i \ge q \sum_i w_i
        \;\text{and}\; |C| \ge m\,|V|\Bigr)
        \;\text{or}\; |V \setminus C| < b,

    with weight quota :math:`q`, member quota :math:`m` and blocking floor
    :math:`b` (a blocking minority needs at least :math:`b` voters). The EU
    Council's rule (Art. 16(4) TEU, Art. 238(3) TFEU) is
    ``QualifiedMajority(0.65, weights=population, members=0.55,
    blocking_members=4)``.

    Parameters
    ----------
    quota : float
        Share of the total weight, in ``(0, 1]``, the consenting voters must reach.
    weights : mapping of str to float, optional
        Weight per voter (population, votes); equal by default.
    members : float, optional
        Share of the voters, in ``(0, 1]``, that must consent as well.
    blocking_members : int, optional
        Fewer opponents than this cannot block.
    voters : sequence of str, optional
        The voting parties (all by default).

    Examples
    --------
    Five members with populations 40, 25, 15, 12 and 8: A, B and C (60% of
    the members, 80% of the population) pass; A, B, D, E (68% of the
    population) pass; B, C, D, E (60%) fail the 65% quota.

    >>> import numpy as np, bargain as bg
    >>> pop = {"A": 40, "B": 25, "C": 15, "D": 12, "E": 8}
    >>> r = bg.QualifiedMajority(0.65, weights=pop, members=0.55).bind(list(pop))
    >>> r.winning(np.array([[1, 1, 1, 0, 0], [1, 1, 0, 1, 1], [0, 1, 1, 1, 1]], dtype=bool))
    array([ True,  True, False])
    """

    def __init__(
        self, quota, *, weights=None, members=None, blocking_members=None, voters=None
    ) -> None:
        def share(x, key):
            if isinstance(x, bool) or not isinstance(x, (int, float, np.integer, np.floating)):
                raise TypeError(f"QualifiedMajority: `{key}` must be a number in (0, 1], got {x!r}")
            if not 0 < float(x) <= 1:
                raise ValueError(f"QualifiedMajority: `{key}` must be in (0, 1], got {x!r}")
            return float(x)

        self.quota = share(quota, "quota")
        self.members = None if members is None else share(members, "members")
        if blocking_members is not None and (
            isinstance(blocking_members, bool)
            or not isinstance(blocking_members, (int, np.integer))
            or blocking_members < 1
        ):
            raise ValueError(
                f"QualifiedMajority: `blocking_members` must be an integer >= 1, got "
                f"{blocking_members!r}"
            )
        self.blocking_members = blocking_members
        self.weights = None if weights is None else dict(weights)
        self.voters = None if voters is None else tuple(voters)

    def _bind(self, names):
        voters = _check_voters(self.voters, names, "QualifiedMajority")
        w = _check_weights(self.weights, voters, "QualifiedMajority")
        return _BoundRule(self, names, voters, w)

    def _wins(self, m, w):
        eps = 1e-12
        ok = m.astype(float) @ w >= self.quota - eps
        if self.members is not None:
            ok &= m.sum(axis=-1) >= self.members * m.shape[-1] - eps
        if self.blocking_members is not None:
            ok |= (~m).sum(axis=-1) < self.blocking_members
        return ok

    def _describe(self):
        parts = [f"{self.quota:.0%} of the weight"]
        if self.members is not None:
            parts.append(f"{self.members:.0%} of the members")
        text = "qualified majority: " + " and ".join(parts)
        if self.blocking_members is not None:
            text += f"; a blocking minority needs {self.blocking_members} members"
        return text

    def __repr__(self):
        extra = "".join(
            f", {k}={getattr(self, k)!r}"
            for k in ("weights", "members", "blocking_members", "voters")
            if getattr(self, k) is not None
        )
        return f"QualifiedMajority({self.quota!r}{extra})"


# -- the rule slack ----------------------------------------------------------------------


def controllers_needed(neg, X: np.ndarray) -> np.ndarray:
    """``(N, n)``: whether outcome ``X[j]`` changes an issue party ``i`` controls.

    Such a controller's consent is required (see the module docstring); without a
    status quo nothing changes.
    """
    extra = np.zeros(X.shape[:1] + (neg.n,), dtype=bool)
    if neg.status_quo_coded is not None:
        changed = X != neg.status_quo_coded  # (N, K)
        for i, p in enumerate(neg.parties):
            for k in p.controls:
                extra[:, i] |= changed[:, neg.agenda.position(k)]
    return extra


def rule_slack(neg, U: np.ndarray, X: np.ndarray, r: np.ndarray) -> np.ndarray:
    r"""The rule slack :math:`\sigma(x)` of outcomes: ``U`` (..., N, n), ``X`` (N, K) -> (..., N).

    See the module docstring. Without governance (every party a veto player,
    no control, no rule) it is :math:`\min_i (u_i - r_i)`.
    """
    n = U.shape[-1]
    vetoes = np.asarray(neg.vetoes, dtype=bool)
    extra = controllers_needed(neg, X)
    # the smallest surplus of the required parties, party by party (the veto players
    # always, a controller where its issue changes): a minimum, so the order is immaterial
    req = np.full(np.broadcast_shapes(U.shape[:-1], r.shape[:-1] + (1,)), np.inf)
    for i in range(n):
        s_i = U[..., i] - r[..., None, i]
        if vetoes[i]:
            np.minimum(req, s_i, out=req)
        elif extra[:, i].any():
            req = np.where(extra[:, i], np.minimum(req, s_i), req)
    if neg.bound_rule is None:
        return req
    s = U - r[..., None, :]
    order = np.argsort(-s, axis=-1)
    ranked = np.take_along_axis(s, order, axis=-1)  # decreasing
    rank = np.argsort(order, axis=-1)  # rank of each party
    k = np.arange(1, n + 1)
    members = rank[..., None, :] < k[:, None]  # (..., N, n_k, n)
    wins = neg.bound_rule.winning(members)  # (..., N, n_k)
    win = np.max(np.where(wins, ranked, -np.inf), axis=-1)
    return np.minimum(req, win)
