r"""Commitment problems under shifting power, and the deals that enforce themselves.

*Shifting power* (Fearon 1995, pp. 401-409; Powell 2006). Two states share a
flow worth 1 per period, discounting by :math:`\delta`; values are per-period
averages (:math:`(1 - \delta)` times the present value). A war at date ``t``
is decided at once and settles the flow for good: state A wins with
probability :math:`p_t` and the states pay :math:`c_A, c_B`, so fighting at
``t`` is worth :math:`W_A(t) = p_t - c_A` and :math:`W_B(t) = 1 - p_t - c_B`.
The path :math:`p_0, p_1, \dots, p_{T-1}` is constant after its last entry.

Peace needs, at every date, a division that both prefer to war. What A can
be promised is limited by what its partner will give later: from date ``s``
on the rising partner B keeps A's continuation value
:math:`C_A(s) = \max(W_A(s),\ \delta\, C_A(s + 1))` — just enough that A
never prefers to fight — and no more (it cannot commit to give more), with
:math:`C_A = \max(W_A(T), 0)` once power is settled. The most A can get by
peace at ``t`` is the whole flow now and that continuation afterwards:

.. math:: M_A(t) = (1 - \delta) + \delta\, C_A(t + 1),

and A fights at ``t`` iff :math:`W_A(t) > M_A(t)` (symmetrically for B).
For one shift, :math:`p_0` now and :math:`p_1` for ever after, the declining
state A fights at once iff

.. math:: \delta (p_0 - p_1) > (1 - \delta)(1 - p_0 + c_A),

Powell's (2006) condition: a large, rapid shift relative to the costs of war,
among patient states, makes war rational although a peaceful division exists
at every date.

*A third-party guarantee* (Walter 2002) of size ``g`` enforced with
probability ``q`` makes it cost the partner :math:`q g` to renege on a
promise, so it can credibly promise up to :math:`q g` more than it would
otherwise: :math:`C_A(s) \to \min(1, C_A(s) + q g)`. The smallest guarantee
that removes every incentive to fight is returned.
"""

from __future__ import annotations

import numpy as np

from .._core._result import Result, scalar
from .._core._validate import _short, as_float_array, batch_shape

__all__ = ["commitment", "self_enforcing"]


def _continuation(W, delta):
    """The continuation values ``C(s) = max(W(s), delta C(s + 1))``, shape (..., T + 1).

    Backward from ``C(T) = max(W(T), 0)``, the value once power is settled.
    """
    T = W.shape[-1]
    C = np.empty(W.shape[:-1] + (T + 1,))
    C[..., T] = np.maximum(W[..., -1], 0.0)
    for s in range(T - 1, -1, -1):  # a loop over dates, not over problems
        C[..., s] = np.maximum(W[..., s], delta * C[..., s + 1])
    return C


def commitment(p, cost_a, cost_b, /, *, delta, guarantee=0.0, credibility=1.0) -> Result:
    r"""War as a commitment problem: whether shifting power makes a state fight, and when.

    Parameters
    ----------
    p : array_like, shape (..., T)
        The probability that A wins a war at each date ``t = 0..T-1``; it
        stays at ``p[..., -1]`` after. Leading dimensions are batch dimensions.
    cost_a, cost_b : array_like
        Costs of war (per-period averages, like the flow of 1), ``>= 0``.
    delta : array_like
        The common discount factor, in ``(0, 1)``.
    guarantee, credibility : array_like, default 0 and 1
        A third-party guarantee of size ``g >= 0`` enforced with probability
        ``q`` in ``[0, 1]`` (see the module notes).

    Returns
    -------
    res : Result
        ``war`` (...): whether some date has a state preferring war;
        ``war_time`` (...): the first such date (``inf`` without war);
        ``initiator`` (...): 0 if A fights first, 1 if B, -1 without war;
        ``margin`` (..., T, 2): :math:`W_i(t) - M_i(t)` for each date and state
        (positive: that state prefers war then); ``war_values`` (..., T, 2);
        ``max_peace`` (..., T, 2): :math:`M_i(t)`; ``guarantee_needed`` (...):
        the smallest ``q g`` making every margin non-positive (0 if none is
        needed); ``success``, ``message``.

    Notes
    -----
    See the module notes for the model and the recursion; it runs over the
    dates (a Python loop of length ``T``), vectorised over the batch. The
    guarantee needed is :math:`\max_{t, i} (W_i(t) - (1 - \delta) - \delta C_i(t + 1)) / \delta`
    (clipped at 0): the extra continuation that closes the largest margin.

    References
    ----------
    .. [1] J. D. Fearon, "Rationalist explanations for war", International
       Organization 49(3):379-414, 1995, pp. 401-409 (preventive war).
    .. [2] R. Powell, "War as a commitment problem", International Organization
       60(1):169-203, 2006, sec. 2 (large, rapid shifts in the distribution
       of power).
    .. [3] B. F. Walter, *Committing to Peace*, Princeton University Press,
       2002, ch. 2 (third-party security guarantees).

    Examples
    --------
    A is strong now (``p_0 = 0.7``) and weak from the next period on
    (``p_1 = 0.3``); war costs each 0.05; ``delta = 0.9``. A fights at once:
    :math:`0.9 \cdot 0.4 = 0.36 > 0.1 \cdot (1 - 0.7 + 0.05) = 0.035`.

    >>> import bargain as bg
    >>> res = bg.commitment([0.7, 0.3], 0.05, 0.05, delta=0.9)
    >>> res.war, res.war_time, res.initiator
    (True, 0.0, 0)
    >>> round(res.guarantee_needed, 12)  # (0.65 - 0.1 - 0.9 * 0.25) / 0.9
    0.361111111111

    A guarantee that large (enforced for sure) makes the shift peaceful:

    >>> bg.commitment([0.7, 0.3], 0.05, 0.05, delta=0.9, guarantee=0.37).war
    False
    """
    P = as_float_array(p, "p", min_ndim=1)
    if np.any((P < 0) | (P > 1)):
        raise ValueError(f"`p` must hold probabilities in [0, 1], got {_short(P)}")
    ca = as_float_array(cost_a, "cost_a")
    cb = as_float_array(cost_b, "cost_b")
    for name, c in (("cost_a", ca), ("cost_b", cb)):
        if np.any(c < 0):
            raise ValueError(f"`{name}` must be >= 0, got {_short(c[c < 0])}")
    d = as_float_array(delta, "delta")
    if np.any((d <= 0) | (d >= 1)):
        raise ValueError(f"`delta` must be in (0, 1), got {_short(d)}")
    g = as_float_array(guarantee, "guarantee")
    if np.any(g < 0):
        raise ValueError(f"`guarantee` must be >= 0, got {_short(g[g < 0])}")
    q = as_float_array(credibility, "credibility")
    if np.any((q < 0) | (q > 1)):
        raise ValueError(f"`credibility` must be in [0, 1], got {_short(q)}")
    T = P.shape[-1]
    batch = batch_shape(
        p=P.shape[:-1],
        cost_a=ca.shape,
        cost_b=cb.shape,
        delta=d.shape,
        guarantee=g.shape,
        credibility=q.shape,
    )
    P = np.broadcast_to(P, batch + (T,))
    ca, cb, d, qg = (np.broadcast_to(a, batch)[..., None] for a in (ca, cb, d, q * g))
    W = np.stack([P - ca, 1.0 - P - cb], axis=-1)  # (..., T, 2)
    C = np.stack([_continuation(W[..., 0], d[..., 0]), _continuation(W[..., 1], d[..., 0])], -1)
    nxt = C[..., 1:, :]  # C(t + 1), (..., T, 2)
    M0 = (1.0 - d[..., None]) + d[..., None] * nxt
    M = (1.0 - d[..., None]) + d[..., None] * np.minimum(1.0, nxt + qg[..., None])
    margin = W - M
    fights = margin > 1e-12 * (1.0 + np.abs(W))
    any_t = fights.any(axis=-1)  # (..., T)
    war = any_t.any(axis=-1)
    first = np.where(war, np.argmax(any_t, axis=-1), -1)
    war_time = np.where(war, first.astype(float), np.inf)
    at_first = np.take_along_axis(fights, np.maximum(first, 0)[..., None, None], axis=-2)[..., 0, :]
    initiator = np.where(war, np.where(at_first[..., 0], 0, 1), -1)
    needed = np.maximum((W - M0).max(axis=(-2, -1)) / d[..., 0], 0.0)
    return Result(
        war=scalar(war),
        war_time=scalar(war_time),
        initiator=scalar(initiator),
        margin=margin,
        war_values=W,
        max_peace=M,
        guarantee_needed=scalar(needed),
        success=True,
        message="shifting power makes war rational"
        if np.all(war)
        else (
            "no state prefers war at any date"
            if not np.any(war)
            else f"war in {int(np.sum(war))} of {war.size} problems"
        ),
    )


def self_enforcing(negotiation, war_values, /, *, outcomes=None, guarantee=0.0, credibility=1.0):
    r"""Which agreements enforce themselves: no party prefers to renege and fight at a later date.

    An agreement ``x`` gives party ``i`` the utility :math:`u_i(x)` in every
    period it holds. At each later date ``t`` a party may renege and fight,
    which is worth :math:`W_i(t; x)` to it — and the terms themselves may
    move that value (a force cap, neutrality or a guarantee changes future
    power). ``x`` is *self-enforcing* iff :math:`u_i(x) \ge W_i(t; x) - q g`
    for every party and date, where a third-party guarantee of size ``g``
    and credibility ``q`` raises the renegade's cost of war (Walter 2002).

    Parameters
    ----------
    negotiation : Negotiation
        Unbatched, with a discrete agenda (or ``outcomes``).
    war_values : array_like of shape (T, n), or callable
        Each party's value of reneging and fighting at each future date, the
        same for every agreement; or a function of coded outcomes
        ``(N, K) -> (N, T, n)`` when the terms move it.
    outcomes : array_like, shape (N, K), optional
        The coded outcomes to check (every outcome of a discrete agenda by
        default).
    guarantee, credibility : float, default 0 and 1

    Returns
    -------
    res : Result
        ``coded_outcomes`` (N, K), ``self_enforcing`` (N,) mask,
        ``shortfall`` (N,): :math:`\max_{t, i} (W_i(t; x) - u_i(x))` (the
        guarantee ``q g`` each outcome needs, or less than 0 when none);
        ``best``: the Nash agreement over the outcomes (with the parties'
        reservation values), its ``best_shortfall`` and
        ``guarantee_needed`` (:math:`\max(0, \text{shortfall}) / q` at the
        best agreement, in the guarantee's units; ``inf`` when ``q = 0`` and
        one is needed); ``best_self_enforcing``: the Nash agreement among the
        self-enforcing outcomes (None if there is none); ``success``,
        ``message``.

    Notes
    -----
    A growing guarantee only lowers every renegade's value, so the set of
    self-enforcing outcomes grows with ``q g`` (a property the tests check).

    References
    ----------
    .. [1] B. F. Walter, *Committing to Peace*, Princeton University Press, 2002.
    .. [2] J. D. Fearon, "Rationalist explanations for war", International
       Organization 49(3):379-414, 1995, pp. 401-409.

    Examples
    --------
    A force cap moves future power: with a low cap the rebel side's future
    war value stays at 0.3, with no cap it rises to 0.6.

    >>> import numpy as np, bargain as bg
    >>> agenda = bg.Agenda(bg.DiscreteIssue("cap", ["low", "none"]))
    >>> talks = bg.Negotiation(agenda, [
    ...     bg.Party("G", bg.AdditiveUtility({"cap": bg.Table([0.6, 0.7])}), 0.3),
    ...     bg.Party("R", bg.AdditiveUtility({"cap": bg.Table([0.4, 0.5])}), 0.3)])
    >>> def war_values(X):  # (outcomes, dates 0 and 1, parties G and R)
    ...     W = np.full((len(X), 2, 2), 0.3)
    ...     W[:, 1, 1] = np.where(X[:, 0] == 0, 0.3, 0.6)  # R's later value: the cap decides
    ...     return W
    >>> res = bg.self_enforcing(talks, war_values)
    >>> res.self_enforcing, res.best["cap"], round(res.guarantee_needed, 12)
    (array([ True, False]), 'none', 0.1)
    >>> res.best_self_enforcing["cap"]
    'low'
    """
    from ..issues._negotiation import Negotiation
    from ..utility._solve import solve

    neg = negotiation
    if not isinstance(neg, Negotiation):
        raise TypeError(f"`negotiation` must be a bargain.Negotiation, got {type(neg).__name__}")
    if neg.batch_shape:
        raise ValueError(f"self_enforcing needs an unbatched negotiation, got {neg.batch_shape}")
    A = neg.agenda
    if outcomes is None:
        if A.continuous:
            raise ValueError("give `outcomes` (coded) for an agenda with continuous issues")
        X = A.enumerate()
    else:
        X = A.check_coded(np.atleast_2d(outcomes), "outcomes")
    U = neg.coded_utilities(X)  # (N, n)
    N, n = U.shape
    if callable(war_values):
        Wv = as_float_array(war_values(X), "war_values(outcomes)")
        if Wv.shape[0] != N or Wv.ndim != 3 or Wv.shape[-1] != n:
            raise ValueError(
                f"`war_values` must return shape ({N}, T, {n}) for {N} outcomes, got {Wv.shape}"
            )
    else:
        Wv = as_float_array(war_values, "war_values", min_ndim=2)
        if Wv.ndim != 2 or Wv.shape[-1] != n:
            raise ValueError(
                f"`war_values` must have shape (T, {n}): one value per date and party, got "
                f"{Wv.shape}"
            )
        Wv = np.broadcast_to(Wv, (N,) + Wv.shape)
    g = float(as_float_array(guarantee, "guarantee"))
    q = float(as_float_array(credibility, "credibility"))
    if g < 0 or not 0 <= q <= 1:
        raise ValueError(f"`guarantee` must be >= 0 and `credibility` in [0, 1], got {g}, {q}")
    shortfall = (Wv - U[:, None, :]).max(axis=(-2, -1))
    ok = shortfall <= q * g + 1e-12 * (1.0 + np.abs(U).max())
    d = np.asarray(neg.reservation, dtype=float)
    best = solve("nash", U, d, neg.powers, False)
    k = int(best.index) if best.agreement else int(np.argmax(U.sum(axis=-1)))
    s_best = float(shortfall[k])
    need = max(s_best, 0.0)
    needed = need / q if q > 0 else (np.inf if need > 0 else 0.0)
    out = dict(
        coded_outcomes=X,
        self_enforcing=ok,
        shortfall=shortfall,
        best=A.decode(X[k]),
        best_shortfall=s_best,
        guarantee_needed=needed,
        best_self_enforcing=None,
        success=True,
    )
    if np.any(ok):
        sub = solve("nash", U[ok], d, neg.powers, False)
        if sub.agreement:
            out["best_self_enforcing"] = A.decode(X[ok][int(sub.index)])
    out["message"] = f"{int(ok.sum())} of {N} outcomes are self-enforcing" + (
        "" if ok[k] else f"; the Nash agreement needs a guarantee of {needed:g}"
    )
    return Result(**out)
