r"""War as a costly lottery: the value of fighting on, and the reservation values it implies.

A party's reservation value in conflict bargaining is rarely a primitive: it
is what the party expects from fighting on (Fearon 1995, sec. "When will there
exist bargains both sides prefer to war?"). A :class:`War` describes that
lottery — battlefield end-states, each party's own probability of each, and
each party's cost of fighting — and derives the reservation values every
solver then uses.

*One-off costs* (the war is decided at once). Party ``i`` holds
probabilities :math:`p_i(s)` over the end-states ``s`` (outcomes of the agenda
:math:`x_s`, or utility vectors) and pays :math:`c_i`:

.. math:: r_i = \sum_s p_i(s)\, u_i(x_s) - c_i .

*Per-period costs* (a war of attrition). Each period at war costs
:math:`\kappa_i`; at its end the war is decided with probability
:math:`\lambda` (the *hazard*), the end-state drawn from :math:`p_i`, and the
end-state's value counts from the next period on; party ``i`` discounts by
:math:`\delta_i` per period. Summing over the periods the war lasts,

.. math:: r_i = \sum_{t \ge 0} (\delta_i (1 - \lambda))^t
          \left(\lambda\, \delta_i\, \mathbb{E}_i[u_i] - \kappa_i\right)
          = \frac{\lambda\, \delta_i\, \mathbb{E}_i[u_i] - \kappa_i}
                 {1 - \delta_i (1 - \lambda)},

which is the one-off form with :math:`c_i = \kappa_i` at :math:`\lambda =
\delta_i = 1`, and a perpetual stalemate :math:`-\kappa_i/(1 - \delta_i)` at
:math:`\lambda = 0`. Costs are in utility units (per period in the second form).

*Mutual optimism.* Parties may disagree about the probabilities; they then
expect more from war, together, than any common belief allows. The
``optimism`` of a war is

.. math:: o = \sum_i \mathbb{E}_{p_i}[u_i(x_s)] - \max_s \sum_i u_i(x_s) ,

the largest the parties' joint expectation can exceed what one probability
distribution over the end-states could give them all: :math:`o > 0` means
the beliefs cannot all be right. On a divisible good with linear utilities
(:func:`bargain.fearon_range`) the ZOPA closes exactly when the optimism
exceeds the joint cost of war, :math:`p_A - p_B > c_A + c_B`.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .._core._validate import _short, as_float_array, batch_shape
from ..issues._negotiation import Negotiation

__all__ = ["War"]

_SUM_TOL = 1e-9


class War:
    r"""A war as a costly lottery over battlefield end-states.

    Parameters
    ----------
    end_states : mapping of str to mapping, or array_like of shape (S, n)
        The end-states: a name -> outcome mapping (issue name -> value or
        option label, every issue given) for a negotiation, or the
        parties' utilities in each end-state (rows) directly.
    probabilities : array_like of shape (..., n, S), or mapping
        Each party's probability of each end-state (rows sum to 1; leading
        dimensions are batch dimensions), or a mapping party name ->
        (mapping end-state name -> probability, or a sequence of S).
    costs : array_like of shape (..., n) or mapping, default 0
        One-off costs of fighting, ``>= 0``, per party (a mapping by party
        name, or an array in the parties' order).
    cost_per_period : array_like of shape (..., n) or mapping, optional
        Costs per period of fighting (a war of attrition), instead of
        ``costs``.
    hazard : array_like, default 1
        Per-period probability that the war is decided, in ``[0, 1]``
        (with ``cost_per_period``).
    discount : array_like of shape (..., n), optional
        Discount factors per period, in ``[0, 1]``; the parties' own by
        default (with ``cost_per_period``).

    Notes
    -----
    See the module notes for the two forms of the value of war and the
    optimism of disagreeing probabilities. Probability rows must sum to 1
    within 1e-9; every quantity broadcasts over the batch dimensions of the
    probabilities, the costs, the hazard, the discount factors and the
    negotiation's utilities.

    References
    ----------
    .. [1] J. D. Fearon, "Rationalist explanations for war", International
       Organization 49(3):379-414, 1995.
    .. [2] R. Powell, "War as a commitment problem", International
       Organization 60(1):169-203, 2006 (war of attrition with per-period costs).

    Examples
    --------
    A divisible good (A's share ``x``): A wins all of it with probability 0.6
    by A's estimate and 0.5 by B's; war costs each side 0.1.

    >>> import bargain as bg
    >>> agenda = bg.Agenda(bg.ContinuousIssue("x"))
    >>> talks = bg.Negotiation(agenda, [
    ...     bg.Party("A", bg.AdditiveUtility({"x": bg.Linear()})),
    ...     bg.Party("B", bg.AdditiveUtility({"x": bg.Linear(-1.0, 1.0)}))])
    >>> war = bg.War({"A wins": {"x": 1.0}, "B wins": {"x": 0.0}},
    ...              {"A": [0.6, 0.4], "B": [0.5, 0.5]}, costs={"A": 0.1, "B": 0.1})
    >>> war.reservation(talks)  # 0.6 - 0.1 and 0.5 - 0.1
    array([0.5, 0.4])
    >>> round(war.optimism(talks), 12)  # 0.6 + 0.5 - 1: below the joint cost 0.2
    0.1
    >>> bool(bg.zopa(war.apply(talks)).empty)
    False
    """

    def __init__(
        self,
        end_states,
        probabilities,
        *,
        costs=0.0,
        cost_per_period=None,
        hazard=1.0,
        discount=None,
    ) -> None:
        if isinstance(end_states, Mapping):
            if not end_states:
                raise ValueError("`end_states` must name at least one end-state")
            for name, outcome in end_states.items():
                if not isinstance(name, str) or not name.strip():
                    raise TypeError(f"`end_states` names must be non-empty strings, got {name!r}")
                if not isinstance(outcome, Mapping):
                    raise TypeError(
                        f"`end_states[{name!r}]` must be an outcome (issue name -> value), got "
                        f"{outcome!r}"
                    )
            self.names = tuple(end_states)
            self.outcomes = {k: dict(v) for k, v in end_states.items()}
            self.utilities = None
        else:
            U = as_float_array(end_states, "end_states", min_ndim=2)
            if U.ndim != 2:
                raise ValueError(
                    f"`end_states` as utilities must have shape (S, n), got shape {U.shape}"
                )
            self.names = tuple(f"s{j}" for j in range(U.shape[0]))
            self.outcomes = None
            self.utilities = U
        if cost_per_period is not None and not _is_zero(costs):
            raise ValueError("give either `costs` (one-off) or `cost_per_period`, not both")
        self.per_period = cost_per_period is not None
        self._probabilities = probabilities
        self._costs = cost_per_period if self.per_period else costs
        self.hazard = as_float_array(hazard, "hazard")
        if np.any((self.hazard < 0) | (self.hazard > 1)):
            raise ValueError(f"`hazard` must be a probability in [0, 1], got {_short(self.hazard)}")
        if not self.per_period and np.any(self.hazard != 1):
            raise ValueError("`hazard` applies to a war of attrition: give `cost_per_period`")
        self._discount = discount

    @property
    def size(self) -> int:
        """Number of end-states."""
        return len(self.names)

    def __repr__(self) -> str:
        kind = "per period" if self.per_period else "one-off"
        return f"War(end_states={list(self.names)}, costs {kind})"

    # -- the war's numbers for a negotiation's parties ---------------------------------

    def _parties(self, negotiation):
        if negotiation is None:
            if self.utilities is None:
                raise TypeError("a war over an agenda's outcomes needs the `negotiation`")
            return None, self.utilities.shape[1]
        if not isinstance(negotiation, Negotiation):
            raise TypeError(
                f"`negotiation` must be a bargain.Negotiation, got {type(negotiation).__name__}"
            )
        if self.utilities is not None and self.utilities.shape[1] != negotiation.n:
            raise ValueError(
                f"`end_states` has utilities for {self.utilities.shape[1]} parties; the "
                f"negotiation has {negotiation.n}"
            )
        return negotiation.names, negotiation.n

    def _per_party(self, value, names, n, what, *, lo=None):
        if isinstance(value, Mapping):
            if names is None:
                raise TypeError(f"`{what}` by party name needs the `negotiation`")
            unknown = [k for k in value if k not in names]
            if unknown:
                raise ValueError(
                    f"`{what}` names unknown parties {unknown}; parties: {list(names)}"
                )
            arrs = [as_float_array(value.get(p, 0.0), f"{what}[{p!r}]") for p in names]
            shape = np.broadcast_shapes(*(a.shape for a in arrs))
            arr = np.stack([np.broadcast_to(a, shape) for a in arrs], axis=-1)
        else:
            arr = as_float_array(value, what)
            arr = np.broadcast_to(arr[..., None], arr.shape + (n,)) if arr.ndim == 0 else arr
            if arr.shape[-1] != n:
                raise ValueError(
                    f"`{what}` must have shape (..., {n}), one per party, got shape {arr.shape}"
                )
        if lo is not None and np.any(arr < lo):
            raise ValueError(f"`{what}` must be >= {lo}, got {_short(arr[arr < lo])}")
        return arr

    def probabilities(self, negotiation=None) -> np.ndarray:
        """Each party's probabilities of the end-states, checked: shape ``(..., n, S)``.

        Examples
        --------
        >>> import bargain as bg
        >>> war = bg.War([[1.0, 0.0], [0.0, 1.0]], [[0.7, 0.3], [0.4, 0.6]])
        >>> war.probabilities()
        array([[0.7, 0.3],
               [0.4, 0.6]])
        """
        names, n = self._parties(negotiation)
        S = self.size
        p = self._probabilities
        if isinstance(p, Mapping):
            if names is None:
                raise TypeError("`probabilities` by party name need the `negotiation`")
            missing = [k for k in names if k not in p]
            unknown = [k for k in p if k not in names]
            if unknown or missing:
                raise ValueError(
                    f"`probabilities` must give every party {list(names)}; unknown: {unknown}, "
                    f"missing: {missing}"
                )
            rows = []
            for party in names:
                row = p[party]
                if isinstance(row, Mapping):
                    bad = [k for k in row if k not in self.names]
                    if bad:
                        raise ValueError(
                            f"`probabilities[{party!r}]` names unknown end-states {bad}; the "
                            f"end-states are {list(self.names)}"
                        )
                    arrs = [
                        as_float_array(row.get(s, 0.0), f"probabilities[{party!r}][{s!r}]")
                        for s in self.names
                    ]
                    shape = np.broadcast_shapes(*(a.shape for a in arrs))
                    row = np.stack([np.broadcast_to(a, shape) for a in arrs], axis=-1)
                row = as_float_array(row, f"probabilities[{party!r}]", min_ndim=1)
                if row.shape[-1] != S:
                    raise ValueError(
                        f"`probabilities[{party!r}]` must give {S} probabilities (one per "
                        f"end-state {list(self.names)}), got shape {row.shape}"
                    )
                rows.append(row)
            shape = np.broadcast_shapes(*(r.shape for r in rows))
            P = np.stack([np.broadcast_to(r, shape) for r in rows], axis=-2)
        else:
            P = as_float_array(p, "probabilities", min_ndim=2)
            if P.shape[-2:] != (n, S):
                raise ValueError(
                    f"`probabilities` must have shape (..., {n}, {S}): per party, one "
                    f"probability per end-state, got shape {P.shape}"
                )
        if np.any(P < 0):
            raise ValueError(f"`probabilities` must be >= 0, got {_short(P[P < 0])}")
        total = P.sum(axis=-1)
        off = np.abs(total - 1.0) > _SUM_TOL
        if np.any(off):
            i = int(np.argwhere(off)[0][-1])
            who = names[i] if names is not None else f"party {i}"
            raise ValueError(
                f"`probabilities` of {who} must sum to 1 over the end-states, got "
                f"{_short(total[..., i][off[..., i]])}"
            )
        return P

    def end_state_utilities(self, negotiation=None) -> np.ndarray:
        """The parties' utilities in each end-state: shape ``(..., S, n)``.

        Examples
        --------
        >>> import bargain as bg
        >>> agenda = bg.Agenda(bg.DiscreteIssue("g", ["none", "treaty"]))
        >>> talks = bg.Negotiation(agenda, [
        ...     bg.Party("A", bg.AdditiveUtility({"g": bg.Table([0.0, 1.0])})),
        ...     bg.Party("B", bg.AdditiveUtility({"g": bg.Table([0.8, 0.2])}))])
        >>> war = bg.War({"lost": {"g": "none"}, "won": {"g": "treaty"}},
        ...              {"A": [0.5, 0.5], "B": [0.5, 0.5]})
        >>> war.end_state_utilities(talks)
        array([[0. , 0.8],
               [1. , 0.2]])
        """
        self._parties(negotiation)
        if self.utilities is not None:
            return self.utilities
        # an end-state is imposed, not agreed: the parties' red lines do not bind it (the
        # agenda's own constraints, packages that cannot exist, still do)
        A = negotiation.stated_agenda
        X = np.stack([self._coded(A, s) for s in self.names])
        return negotiation.coded_utilities(X)

    def _coded(self, A, name):
        outcome = self.outcomes[name]
        missing = [k for k in A.names if k not in outcome]
        if missing:
            raise ValueError(
                f"end-state {name!r} must give every issue of the agenda; missing {missing}"
            )
        try:
            return A.encode(outcome)
        except ValueError as exc:
            raise ValueError(f"end-state {name!r}: {exc}") from None

    def expected_utility(self, negotiation=None) -> np.ndarray:
        r"""Each party's expected utility of the end-states, by its own probabilities: ``(..., n)``.

        :math:`\mathbb{E}_i[u_i] = \sum_s p_i(s)\, u_i(x_s)`, before the costs of fighting.

        Examples
        --------
        >>> import bargain as bg
        >>> war = bg.War([[1.0, 0.0], [0.0, 1.0]], [[0.7, 0.3], [0.4, 0.6]])
        >>> war.expected_utility()  # 0.7 * 1 and 0.6 * 1
        array([0.7, 0.6])
        """
        P = self.probabilities(negotiation)
        U = self.end_state_utilities(negotiation)
        return np.einsum("...is,...si->...i", P, U)

    def reservation(self, negotiation=None) -> np.ndarray:
        r"""The value of fighting on for each party: its reservation value, ``(..., n)``.

        One-off costs: :math:`r_i = \mathbb{E}_i[u_i] - c_i`; per-period costs:
        :math:`r_i = (\lambda \delta_i \mathbb{E}_i[u_i] - \kappa_i) / (1 - \delta_i (1 - \lambda))`
        (see the module notes).

        Examples
        --------
        A war of attrition decided with probability 0.5 a period, costing 0.05
        a period, discount 0.9: :math:`(0.5 \cdot 0.9 \cdot 0.7 - 0.05)/(1 - 0.45)`.

        >>> import bargain as bg
        >>> war = bg.War([[1.0, 0.0], [0.0, 1.0]], [[0.7, 0.3], [0.4, 0.6]],
        ...              cost_per_period=[0.05, 0.05], hazard=0.5, discount=[0.9, 0.9])
        >>> war.reservation()  # A: (0.315 - 0.05) / 0.55; B: (0.27 - 0.05) / 0.55
        array([0.48181818, 0.4       ])
        """
        names, n = self._parties(negotiation)
        E = self.expected_utility(negotiation)
        what = "cost_per_period" if self.per_period else "costs"
        c = self._per_party(self._costs, names, n, what, lo=0.0)
        if not self.per_period:
            return E - c
        delta, stay = self._attrition(negotiation, names, n)
        return (self.hazard[..., None] * delta * E - c) / (1.0 - stay)

    def _attrition(self, negotiation, names, n):
        """A war of attrition's discount factors and continuation weights ``delta (1 - hazard)``."""
        if self._discount is None:
            if negotiation is None:
                raise TypeError(
                    "a war of attrition needs `discount` (or the negotiation's parties)"
                )
            delta = negotiation.discount
        else:
            delta = self._per_party(self._discount, names, n, "discount")
            if np.any((delta < 0) | (delta > 1)):
                raise ValueError(f"`discount` must be in [0, 1], got {_short(delta)}")
        stay = delta * (1.0 - self.hazard[..., None])
        if np.any(stay >= 1):
            raise ValueError(
                "a war that is never decided (hazard 0) and never discounted (discount 1) has "
                "no finite value: give hazard > 0 or discount < 1"
            )
        return delta, stay

    def cost_scale(self, negotiation=None) -> np.ndarray:
        r"""How much a party's value of war falls per unit of its cost: ``(..., n)``.

        1 for a one-off cost; :math:`1 / (1 - \delta_i (1 - \lambda))`, the
        expected discounted number of periods of fighting, for a war of
        attrition (the derivative of its value in the cost per period).

        Examples
        --------
        >>> import bargain as bg
        >>> war = bg.War([[1.0, 0.0], [0.0, 1.0]], [[0.5, 0.5], [0.5, 0.5]],
        ...              cost_per_period=[0.05, 0.05], hazard=0.5, discount=[0.9, 0.8])
        >>> war.cost_scale()  # 1 / (1 - 0.45), 1 / (1 - 0.4)
        array([1.81818182, 1.66666667])
        """
        names, n = self._parties(negotiation)
        if not self.per_period:
            return np.ones(np.shape(self.hazard) + (n,))
        _, stay = self._attrition(negotiation, names, n)
        return 1.0 / (1.0 - stay)

    def optimism(self, negotiation=None):
        r"""How far the parties' joint war expectations exceed any common belief: ``(...)``.

        :math:`o = \sum_i \mathbb{E}_{p_i}[u_i] - \max_s \sum_i u_i(x_s)`; positive
        when the probabilities cannot all be right (mutual optimism).

        Examples
        --------
        >>> import bargain as bg
        >>> war = bg.War([[1.0, 0.0], [0.0, 1.0]], [[0.7, 0.3], [0.4, 0.6]])
        >>> round(float(war.optimism()), 12)  # 0.7 + 0.6 - 1
        0.3
        """
        E = self.expected_utility(negotiation)
        U = self.end_state_utilities(negotiation)
        o = E.sum(axis=-1) - U.sum(axis=-1).max(axis=-1)
        return o.item() if np.ndim(o) == 0 else o

    def apply(self, negotiation) -> Negotiation:
        """The negotiation with every party's reservation value derived from the war.

        Batched when the war's numbers are (a batch of probabilities or costs).

        Examples
        --------
        >>> import numpy as np, bargain as bg
        >>> agenda = bg.Agenda(bg.ContinuousIssue("x"))
        >>> talks = bg.Negotiation(agenda, [
        ...     bg.Party("A", bg.AdditiveUtility({"x": bg.Linear()})),
        ...     bg.Party("B", bg.AdditiveUtility({"x": bg.Linear(-1.0, 1.0)}))])
        >>> p_a = np.array([0.6, 0.8])  # A's victory probability, by A; B thinks 0.5
        >>> war = bg.War({"A wins": {"x": 1.0}, "B wins": {"x": 0.0}},
        ...              {"A": np.stack([p_a, 1 - p_a], -1), "B": [0.5, 0.5]},
        ...              costs={"A": 0.1, "B": 0.1})
        >>> bg.zopa(war.apply(talks)).empty  # optimism 0.1, then 0.3 > the joint cost 0.2
        array([False,  True])
        """
        r = self.reservation(negotiation)
        batch = batch_shape(negotiation=negotiation.batch_shape, war=r.shape[:-1])
        r = np.broadcast_to(r, batch + (negotiation.n,))
        return negotiation.replace(
            parties=[p.replace(reservation=r[..., i]) for i, p in enumerate(negotiation.parties)]
        )


def _is_zero(value) -> bool:
    if isinstance(value, Mapping):
        return all(np.all(np.asarray(v, dtype=float) == 0) for v in value.values())
    return bool(np.all(np.asarray(value, dtype=float) == 0))
