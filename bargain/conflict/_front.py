r"""Battlefield dynamics: a front line as a Markov chain, and the reservation paths it implies.

The front is in one of a finite set of states (lines of control); some are
*decisive* (the war ends there and that line becomes the settlement), the
others mean fighting goes on. Each period at war costs party ``i``
:math:`\kappa_i`, and the front moves by party ``i``'s own transition
probabilities :math:`P_i(t)` (parties may disagree; the chain may change over
the first ``T`` periods and stays at :math:`P_i(T - 1)` after). The value of
fighting on from state ``s`` at date ``t`` is

.. math:: V_i(t, s) = u_i(x_s) \ \text{(decisive } s\text{)}, \qquad
          V_i(t, s) = -\kappa_i + \delta_i \sum_{s'} P_i(t)_{s s'} V_i(t + 1, s'),

the second solved exactly for the stationary tail,
:math:`V = (I - \delta P_{\text{on}})^{-1}(\delta P_{\text{dec}}\, u_{\text{dec}} - \kappa)`,
and backward through the first ``T`` periods. A party's reservation value at
date ``t`` — if the war is still on then — is its expected continuation value
over where it expects the front to be: :math:`r_i(t) = \tilde\pi_i(t) \cdot
V_i(t)`, with :math:`\pi_i(t + 1) = \pi_i(t) P_i(t)` from the starting front
and :math:`\tilde\pi_i(t)` its restriction to the fighting states,
renormalised (talks at ``t`` presuppose that the war has not been decided). Along these
paths the ZOPA opens at the *ripe moment*: when both sides' continuation
values have fallen below what a deal gives them, a mutually hurting
stalemate (Zartman 2000) computed rather than asserted.

With a single decisive period (every state decisive from the start) this is
:class:`~bargain.War`'s one-off lottery; with one fighting state decided with
probability :math:`\lambda` a period it is ``War``'s war of attrition.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .._core._validate import _short, as_float_array

__all__ = ["FrontLine"]


class FrontLine:
    r"""A front line as a Markov chain over lines of control, some of them decisive.

    Parameters
    ----------
    states : mapping of str to mapping
        State name -> the outcome of the agenda it stands for (the
        settlement if the war ends there; every issue given).
    decisive : sequence of str
        The states in which the war is decided (absorbing).
    transitions : array_like of shape (S, S) or (T, S, S), or mapping
        Per-period transition probabilities between the states (rows sum to
        1), common to the parties, or a mapping party -> such an array (each
        party's own belief). A ``(T, S, S)`` array changes over the first
        ``T`` periods and stays at its last entry after.
    start : str or array_like of shape (S,)
        The front at date 0 (a state, or a distribution over the states).
    cost_per_period : mapping or array_like, default 0
        Each party's cost of a period of fighting (utility units).

    Examples
    --------
    A stalemate line that each period breaks toward A's victory with
    probability 0.1 and toward B's with 0.1; fighting costs each 0.02:

    >>> import bargain as bg
    >>> agenda = bg.Agenda(bg.ContinuousIssue("x"))
    >>> talks = bg.Negotiation(agenda, [
    ...     bg.Party("A", bg.AdditiveUtility({"x": bg.Linear()}), discount=0.9),
    ...     bg.Party("B", bg.AdditiveUtility({"x": bg.Linear(-1.0, 1.0)}), discount=0.9)])
    >>> front = bg.FrontLine(
    ...     {"stalemate": {"x": 0.5}, "A wins": {"x": 1.0}, "B wins": {"x": 0.0}},
    ...     decisive=["A wins", "B wins"],
    ...     transitions=[[0.8, 0.1, 0.1], [0, 1, 0], [0, 0, 1]],
    ...     start="stalemate", cost_per_period={"A": 0.02, "B": 0.02})
    >>> front.values(talks)[-1]  # stalemate: (0.9 * 0.1 * 1 - 0.02) / (1 - 0.9 * 0.8) each
    array([[0.25, 0.25],
           [1.  , 0.  ],
           [0.  , 1.  ]])
    >>> front.reservation_path(talks, [0, 1])  # a stationary stalemate: the same each date
    array([[0.25, 0.25],
           [0.25, 0.25]])
    """

    def __init__(self, states, decisive, transitions, *, start, cost_per_period=0.0) -> None:
        if not isinstance(states, Mapping) or len(states) < 2:
            raise ValueError("`states` must map at least two state names to outcomes")
        self.names = tuple(states)
        self.outcomes = {k: dict(v) for k, v in states.items()}
        dec = tuple(decisive)
        unknown = [s for s in dec if s not in self.names]
        if unknown:
            raise ValueError(
                f"`decisive` names unknown states {unknown}; states: {list(self.names)}"
            )
        self.decisive = np.array([s in dec for s in self.names])
        self._transitions = transitions
        if isinstance(start, str):
            if start not in self.names:
                raise ValueError(f"`start`: unknown state {start!r}; states: {list(self.names)}")
            pi = np.zeros(len(self.names))
            pi[self.names.index(start)] = 1.0
        else:
            pi = as_float_array(start, "start", min_ndim=1)
            if pi.shape != (len(self.names),) or np.any(pi < 0) or abs(pi.sum() - 1) > 1e-9:
                raise ValueError(
                    f"`start` must be a state name or {len(self.names)} probabilities summing "
                    f"to 1, got {_short(pi)}"
                )
        self.start = pi
        self._costs = cost_per_period

    @property
    def size(self) -> int:
        """Number of front states."""
        return len(self.names)

    def __repr__(self) -> str:
        decisive = [s for s, d in zip(self.names, self.decisive, strict=True) if d]
        return f"FrontLine(states={list(self.names)}, decisive={decisive})"

    # -- inputs for a negotiation's parties ---------------------------------------------

    def transitions(self, negotiation) -> np.ndarray:
        """Each party's transition matrices, checked: shape ``(n, T, S, S)``.

        Examples
        --------
        >>> import bargain as bg
        >>> agenda = bg.Agenda(bg.ContinuousIssue("x"))
        >>> talks = bg.Negotiation(agenda, [
        ...     bg.Party("A", bg.AdditiveUtility({"x": bg.Linear()}), discount=0.9),
        ...     bg.Party("B", bg.AdditiveUtility({"x": bg.Linear(-1.0, 1.0)}), discount=0.9)])
        >>> front = bg.FrontLine({"line": {"x": 0.5}, "won": {"x": 1.0}}, ["won"],
        ...                      [[0.5, 0.5], [0.0, 1.0]], start="line")
        >>> front.transitions(talks).shape  # two parties, one period, two states
        (2, 1, 2, 2)
        """
        n, S = negotiation.n, self.size
        raw = self._transitions
        if isinstance(raw, Mapping):
            missing = [p for p in negotiation.names if p not in raw]
            unknown = [p for p in raw if p not in negotiation.names]
            if missing or unknown:
                raise ValueError(
                    f"`transitions` must give every party {list(negotiation.names)}; unknown: "
                    f"{unknown}, missing: {missing}"
                )
            mats = [self._matrix(raw[p], f"transitions[{p!r}]") for p in negotiation.names]
        else:
            mats = [self._matrix(raw, "transitions")] * n
        T = max(m.shape[0] for m in mats)
        out = np.empty((n, T, S, S))
        for i, m in enumerate(mats):
            out[i, : m.shape[0]] = m
            out[i, m.shape[0] :] = m[-1]
        return out

    def _matrix(self, m, name):
        S = self.size
        M = as_float_array(m, name, min_ndim=2)
        if M.ndim == 2:
            M = M[None]
        if M.ndim != 3 or M.shape[1:] != (S, S):
            raise ValueError(
                f"`{name}` must have shape (S, S) or (T, S, S) with S = {S}, got {M.shape}"
            )
        if np.any(M < 0):
            raise ValueError(f"`{name}` must be >= 0, got {_short(M[M < 0])}")
        rows = M.sum(axis=-1)
        if np.any(np.abs(rows - 1) > 1e-9):
            raise ValueError(f"`{name}`: every row must sum to 1, got row sums {_short(rows)}")
        dec = self.decisive
        stay = M[:, dec][:, :, dec]
        if np.any(np.abs(stay - np.eye(int(dec.sum()))) > 1e-12):
            raise ValueError(
                f"`{name}`: a decisive state must stay where it is (its row: 1 on itself)"
            )
        return M

    def _cost(self, negotiation):
        c = self._costs
        n = negotiation.n
        if isinstance(c, Mapping):
            unknown = [k for k in c if k not in negotiation.names]
            if unknown:
                raise ValueError(f"`cost_per_period` names unknown parties {unknown}")
            c = [c.get(p, 0.0) for p in negotiation.names]
            c = np.stack(np.broadcast_arrays(*(np.asarray(x, dtype=float) for x in c)), axis=-1)
        c = as_float_array(c, "cost_per_period")
        if c.ndim == 0:
            c = np.full(n, float(c))
        elif c.shape[-1] != n:
            raise ValueError(
                f"`cost_per_period` must be a number, one per party (last axis {n}) or a mapping "
                f"party -> cost, got shape {c.shape}"
            )
        if np.any(c < 0):
            raise ValueError(f"`cost_per_period` must be >= 0, got {_short(c)}")
        return c

    def state_utilities(self, negotiation) -> np.ndarray:
        """The parties' utilities of each state's line as a settlement, ``(S, n)``.

        Examples
        --------
        >>> import bargain as bg
        >>> agenda = bg.Agenda(bg.ContinuousIssue("x"))
        >>> talks = bg.Negotiation(agenda, [
        ...     bg.Party("A", bg.AdditiveUtility({"x": bg.Linear()}), discount=0.9),
        ...     bg.Party("B", bg.AdditiveUtility({"x": bg.Linear(-1.0, 1.0)}), discount=0.9)])
        >>> front = bg.FrontLine({"line": {"x": 0.5}, "won": {"x": 1.0}}, ["won"],
        ...                      [[0.5, 0.5], [0.0, 1.0]], start="line")
        >>> front.state_utilities(talks)
        array([[0.5, 0.5],
               [1. , 0. ]])
        """
        A = negotiation.agenda
        rows = []
        for name in self.names:
            out = self.outcomes[name]
            missing = [k for k in A.names if k not in out]
            if missing:
                raise ValueError(f"state {name!r} must give every issue; missing {missing}")
            try:
                rows.append(A.encode(out))
            except ValueError as exc:
                raise ValueError(f"state {name!r}: {exc}") from None
        return negotiation.coded_utilities(np.stack(rows))

    # -- values and paths --------------------------------------------------------------

    def values(self, negotiation, horizon=None) -> np.ndarray:
        """Each party's value of fighting on from each state at each date: ``(..., T + 1, S, n)``.

        ``T`` is the number of dates the transitions vary over (or
        ``horizon`` if larger); the last row is the stationary value. The
        negotiation's batch dimensions (discount factors, utilities) and the
        costs' broadcast; the transitions are shared.

        Examples
        --------
        >>> import bargain as bg
        >>> agenda = bg.Agenda(bg.ContinuousIssue("x"))
        >>> talks = bg.Negotiation(agenda, [
        ...     bg.Party("A", bg.AdditiveUtility({"x": bg.Linear()}), discount=0.9),
        ...     bg.Party("B", bg.AdditiveUtility({"x": bg.Linear(-1.0, 1.0)}), discount=0.9)])
        >>> front = bg.FrontLine({"line": {"x": 0.5}, "won": {"x": 1.0}}, ["won"],
        ...                      [[0.5, 0.5], [0.0, 1.0]], start="line")
        >>> front.values(talks)[-1]  # the line: 0.9 * 0.5 * 1 / (1 - 0.9 * 0.5) for A
        array([[0.81818182, 0.        ],
               [1.        , 0.        ]])
        """
        P = self.transitions(negotiation)
        n, T, S, _ = P.shape
        T = max(T, 0 if horizon is None else int(horizon))
        if P.shape[1] < T:
            P = np.concatenate([P, np.repeat(P[:, -1:], T - P.shape[1], axis=1)], axis=1)
        U = self.state_utilities(negotiation)  # (..., S, n)
        kappa = self._cost(negotiation)  # (..., n)
        delta = np.asarray(negotiation.discount, dtype=float)  # (..., n)
        batch = np.broadcast_shapes(U.shape[:-2], kappa.shape[:-1], delta.shape[:-1])
        U = np.broadcast_to(U, batch + (S, n))
        kappa = np.broadcast_to(kappa, batch + (n,))
        delta = np.broadcast_to(delta, batch + (n,))
        on, dec = np.flatnonzero(~self.decisive), np.flatnonzero(self.decisive)
        V = np.empty(batch + (T + 1, S, n))
        V[..., dec, :] = U[..., None, dec, :]
        eye = np.eye(on.size)
        for i in range(n):  # a loop over parties and dates, not over problems
            last = P[i, -1]
            d = delta[..., i]
            if np.any(d >= 1) and np.any(
                np.abs(np.linalg.eigvals(last[np.ix_(on, on)])) >= 1 - 1e-12
            ):
                raise ValueError(
                    "the war can go on for ever without discounting: give a discount below 1 or "
                    "transitions that reach a decisive state"
                )
            lhs = eye - d[..., None, None] * last[np.ix_(on, on)]
            rhs = d[..., None] * (U[..., dec, i] @ last[np.ix_(on, dec)].T) - kappa[..., i, None]
            V[..., T, on, i] = np.linalg.solve(lhs, rhs[..., None])[..., 0]
            for t in range(T - 1, -1, -1):
                V[..., t, on, i] = -kappa[..., i, None] + d[..., None] * (
                    V[..., t + 1, :, i] @ P[i, t][on].T
                )
        return V

    def reservation_path(self, negotiation, dates) -> np.ndarray:
        r"""Each party's reservation value at each date: ``(..., len(dates), n)``.

        :math:`r_i(t) = \tilde\pi_i(t) \cdot V_i(t)`: the front's distribution,
        propagated by the party's own beliefs from ``start`` and restricted to
        the fighting states (the war is still on at ``t``); where the party is
        sure the war has been decided by ``t``, its expected end-state value.

        Examples
        --------
        >>> import bargain as bg
        >>> agenda = bg.Agenda(bg.ContinuousIssue("x"))
        >>> talks = bg.Negotiation(agenda, [
        ...     bg.Party("A", bg.AdditiveUtility({"x": bg.Linear()}), discount=0.9),
        ...     bg.Party("B", bg.AdditiveUtility({"x": bg.Linear(-1.0, 1.0)}), discount=0.9)])
        >>> front = bg.FrontLine({"line": {"x": 0.5}, "won": {"x": 1.0}}, ["won"],
        ...                      [[0.5, 0.5], [0.0, 1.0]], start="line")
        >>> front.reservation_path(talks, [0, 1])  # while the war is on, the line's value
        array([[0.81818182, 0.        ],
               [0.81818182, 0.        ]])
        """
        dates = np.asarray(dates)
        if (
            dates.ndim != 1
            or dates.size == 0
            or not np.issubdtype(dates.dtype, np.integer)
            or np.any(dates < 0)
            or np.any(np.diff(dates) <= 0)
        ):
            raise ValueError(f"`dates` must be increasing integers >= 0, got {_short(dates)}")
        H = int(dates.max())
        P = self.transitions(negotiation)
        V = self.values(negotiation, horizon=H + 1)  # (..., T + 1, S, n)
        n = P.shape[0]
        W = np.empty((dates.size, self.size, n))  # each party's weights on the states
        for i in range(n):
            pi = self.start.copy()
            k = 0
            for t in range(H + 1):
                if t == dates[k]:
                    on = pi * ~self.decisive
                    W[k, :, i] = on / on.sum() if on.sum() > 1e-300 else pi
                    k += 1
                    if k == dates.size:
                        break
                pi = pi @ P[i, min(t, P.shape[1] - 1)]
        rows = np.minimum(dates, V.shape[-3] - 1)
        return np.einsum("...ksn,ksn->...kn", V[..., rows, :, :], W)
