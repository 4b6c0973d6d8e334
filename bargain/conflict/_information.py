r"""Private information and the risk-return trade-off of an offer (Fearon 1995).

State A proposes a division of an issue (``x`` in ``[0, 1]``, A's share) to
state B, who accepts or goes to war. War gives A the whole issue with
probability ``p``; B's cost of war :math:`c_B` is B's private information, a
draw from a distribution ``F`` that A knows. B accepts iff its share beats
its war value by its own estimate :math:`p_B`:

.. math:: 1 - x \ge 1 - p_B - c_B \iff c_B \ge z, \qquad z = x - p_B .

A, who expects :math:`w_A = p_A - c_A` from war, chooses ``z`` (so ``x``) to
maximise

.. math:: U_A(z) = S(z)\,(p_B + z) + (1 - S(z))\, w_A, \qquad S(z) = P(c_B \ge z) .

A larger demand pays more if accepted and is rejected more often: the
*risk-return trade-off*. Where ``F`` has a density ``f``, the first-order
condition is :math:`S(z) = f(z)\,(z + k)` with :math:`k = c_A + p_B - p_A`.

*Uniform costs* on :math:`[l, h]`: :math:`S(z) = (h - z)/(h - l)` on the
support, so :math:`U_A` is a concave quadratic there with maximiser

.. math:: z^* = \mathrm{clip}\left(\frac{h - k}{2},\ l,\ h\right), \qquad
          P(\text{war}) = \frac{z^* - l}{h - l},

(below ``l`` every type accepts and :math:`U_A` rises with ``z``; above
``h`` every type fights). With :math:`l = 0`, :math:`p_A = p_B`:
:math:`P(\text{war}) = \max(0, (h - c_A)/(2h))`: war has positive
probability whenever A's own cost is below the largest cost B might have —
Fearon's point that private information plus an incentive to misrepresent
can make war the rational gamble.
"""

from __future__ import annotations

import numpy as np

from .._core._result import Result, scalar
from .._core._validate import _short, as_float_array, batch_shape

__all__ = ["mediated_information", "risk_return", "risk_return_package"]

_GRID = 1025
_GOLDEN = 90


def _probability(value, name):
    p = as_float_array(value, name)
    if np.any((p < 0) | (p > 1)):
        raise ValueError(f"`{name}` must be a probability in [0, 1], got {_short(p)}")
    return p


def _frozen(dist):
    """The distribution's ``(name, sf, cdf, ppf, args)`` if it is a frozen scipy.stats one."""
    if not (hasattr(dist, "sf") and hasattr(dist, "ppf") and hasattr(dist, "dist")):
        raise TypeError(
            "`cost_b` must be a frozen scipy.stats distribution (e.g. scipy.stats.uniform(0, "
            f"0.4)); give a sample as `cost_b_sample=`; got {type(dist).__name__}"
        )
    return dist


def risk_return(p, cost_a, cost_b=None, /, *, cost_b_sample=None, p_a=None, p_b=None) -> Result:
    r"""The optimal offer to a receiver whose cost of war is private: the risk-return trade-off.

    Parameters
    ----------
    p : array_like
        Probability that the proposer A wins a war, in ``[0, 1]``.
    cost_a : array_like
        A's cost of war (in units of the issue), ``>= 0``.
    cost_b : scipy.stats frozen distribution, optional
        The distribution of B's cost of war (continuous; its parameters may
        be arrays: batch dimensions). A uniform distribution is solved in
        closed form, any other by a grid over the relevant range refined by
        golden-section search (the offer to about 1e-8, as a search on values
        allows; the expected utilities at it to rounding).
    cost_b_sample : array_like, shape (..., N), optional
        A sample of B's cost instead (an empirical distribution, e.g. a
        model's draws): solved exactly over the sample points.
    p_a, p_b : array_like, optional
        A's and B's own estimates of ``p`` (both ``p`` by default).

    Returns
    -------
    res : Result
        ``offer`` (...): A's share in the optimal offer (B gets ``1 -
        offer``); ``threshold`` (...): the cost type that is just indifferent
        (``offer - p_b``; every type with a higher cost accepts);
        ``war_probability`` (...): the probability the offer is rejected;
        ``utilities`` (..., 2): A's and B's expected utilities (B's averaged
        over its types, each taking the better of the offer and war);
        ``method``, ``success``, ``message``.

    Notes
    -----
    See the module notes for the model and the closed form of uniform costs.
    For a sample :math:`c_1 \le \dots \le c_N` the acceptance probability is
    a step function, so the optimum is one of the sample points (offering
    exactly the war value of the type :math:`c_k` wins every type from
    :math:`c_k` up) or a bound of the issue; all are evaluated. For other
    distributions :math:`U_A` is evaluated on a grid of 1025 points over
    :math:`[\max(F^{-1}(10^{-12}), -p_B),\ \min(F^{-1}(1 - 10^{-12}), 1 - p_B)]`
    and maximised by golden-section search between the best point's
    neighbours; B's expected utility uses the partial expectation
    :math:`\int_0^{F(z)} F^{-1}(u)\,du` (Gauss-Legendre, 64 nodes).

    References
    ----------
    .. [1] J. D. Fearon, "Rationalist explanations for war", International
       Organization 49(3):379-414, 1995, section "Private information and
       incentives to misrepresent" (pp. 390-401) and its note on the
       risk-return trade-off with a uniform distribution of the other side's
       costs.
    .. [2] R. Powell, *In the Shadow of Power*, Princeton University Press,
       1999, ch. 3 (the risk-return trade-off in crisis bargaining).

    Examples
    --------
    A wins with probability 0.5 and pays 0.1 for a war; B's cost is uniform
    on [0, 0.4]. A demands :math:`z^* = (0.4 - 0.1)/2 = 0.15` above B's war
    share and is refused with probability 0.15 / 0.4:

    >>> import scipy.stats as st, bargain as bg
    >>> res = bg.risk_return(0.5, 0.1, st.uniform(0, 0.4))
    >>> round(res.offer, 12), round(res.war_probability, 12)
    (0.65, 0.375)
    >>> res.utilities  # A: 0.625 * 0.65 + 0.375 * 0.4; B: 0.625 * 0.35 + its war types
    array([0.55625 , 0.378125])

    The same against a sample of B's costs, and a normal belief:

    >>> import numpy as np
    >>> sample = st.uniform(0, 0.4).rvs(20_000, random_state=1)
    >>> round(bg.risk_return(0.5, 0.1, cost_b_sample=sample).war_probability, 2)
    0.38
    >>> round(bg.risk_return(0.5, 0.1, st.norm(0.2, 0.05)).offer, 4)
    0.6385
    """
    pp = _probability(p, "p")
    ca = as_float_array(cost_a, "cost_a")
    if np.any(ca < 0):
        raise ValueError(f"`cost_a` must be >= 0, got {_short(ca[ca < 0])}")
    pa = pp if p_a is None else _probability(p_a, "p_a")
    pb = pp if p_b is None else _probability(p_b, "p_b")
    if (cost_b is None) == (cost_b_sample is None):
        raise TypeError("give exactly one of `cost_b` (a distribution) or `cost_b_sample`")
    shapes = dict(p=pp.shape, cost_a=ca.shape, p_a=pa.shape, p_b=pb.shape)
    if cost_b_sample is not None:
        sample = as_float_array(cost_b_sample, "cost_b_sample", min_ndim=1)
        if sample.shape[-1] < 1:
            raise ValueError("`cost_b_sample` must hold at least one cost")
        shapes["cost_b_sample"] = sample.shape[:-1]
        batch = batch_shape(**shapes)
        out = _sample(pa, pb, ca, sample, batch)
        method = "sample (exact over the sample points)"
    else:
        rv = _frozen(cost_b)
        lo, hi = (np.asarray(b, dtype=float) for b in rv.support())
        shapes["cost_b"] = np.broadcast_shapes(lo.shape, hi.shape)
        batch = batch_shape(**shapes)
        if rv.dist.name == "uniform":
            out = _uniform(pa, pb, ca, lo, hi, batch)
            method = "closed form (uniform costs)"
        else:
            out = _general(pa, pb, ca, rv, batch)
            method = "grid and golden-section search"
    x, threshold, war, ua, ub = out
    return Result(
        offer=scalar(x),
        threshold=scalar(threshold),
        war_probability=scalar(war),
        utilities=np.stack([ua, ub], axis=-1),
        method=method,
        success=True,
        message="optimal offer found",
    )


def _bcast(batch, *arrs):
    return [np.broadcast_to(a, batch).astype(float) for a in arrs]


def _uniform(pa, pb, ca, lo, hi, batch):
    pa, pb, ca, lo, hi = _bcast(batch, pa, pb, ca, lo, hi)
    w = hi - lo
    k = ca + pb - pa
    z = np.clip((hi - k) / 2, lo, hi)
    z = np.clip(z, -pb, 1.0 - pb)  # the offer is a division of the issue
    S = np.clip((hi - z) / np.where(w > 0, w, 1.0), 0.0, 1.0)
    x = pb + z
    war = 1.0 - S
    ua = S * x + war * (pa - ca)
    # B: accepting types get 1 - x; fighting types (c < z) get 1 - p_b - c
    zc = np.clip(z, lo, hi)
    partial = (zc**2 - lo**2) / (2 * np.where(w > 0, w, 1.0))  # E[c; c < z]
    ub = S * (1.0 - x) + war * (1.0 - pb) - partial
    return x, z, war, ua, ub


def _sample(pa, pb, ca, sample, batch):
    N = sample.shape[-1]
    c = np.sort(np.broadcast_to(sample, batch + (N,)), axis=-1)
    pa, pb, ca = _bcast(batch, pa, pb, ca)
    # candidates: every sample point, and the ends of the issue; offering exactly the war
    # value of type c_k wins every type from c_k up: S = share of costs >= z
    lo, hi = (-pb)[..., None], (1.0 - pb)[..., None]
    z = np.concatenate([np.clip(c, lo, hi), lo, hi], axis=-1)
    k = np.arange(N)
    new = np.ones(c.shape, dtype=bool)
    new[..., 1:] = c[..., 1:] != c[..., :-1]
    first = np.maximum.accumulate(np.where(new, k, 0), axis=-1)  # first index of each value
    below_lo = np.sum(c < lo, axis=-1, keepdims=True)
    below_hi = np.sum(c < hi, axis=-1, keepdims=True)
    below = np.where(c < lo, below_lo, np.where(c > hi, below_hi, first))
    below = np.concatenate([below, below_lo, below_hi], axis=-1)
    S = 1.0 - below / N
    U = S * (pb[..., None] + z) + (1.0 - S) * (pa - ca)[..., None]
    j = np.argmax(U, axis=-1)

    def at(a):
        return np.take_along_axis(a, j[..., None], axis=-1)[..., 0]

    zs, Ss = at(z), at(S)
    x = pb + zs
    fight = c < zs[..., None]
    ub = Ss * (1.0 - x) + np.mean(np.where(fight, 1.0 - pb[..., None] - c, 0.0), axis=-1)
    return x, zs, 1.0 - Ss, at(U), ub


def _gauss(f, a, b, nb):
    """Composite Gauss-Legendre integral of ``f`` over ``[a, b]`` (arrays), 32 panels x 16."""
    nodes, weights = np.polynomial.legendre.leggauss(16)
    edges = np.linspace(0.0, 1.0, 33)
    t = ((edges[:-1, None] + edges[1:, None]) / 2 + np.diff(edges)[:, None] / 2 * nodes).ravel()
    wt = (np.diff(edges)[:, None] / 2 * weights).ravel()
    shape = (t.size,) + (1,) * nb
    x = a[None, ...] + t.reshape(shape) * (b - a)[None, ...] if nb else a + t * (b - a)
    return (b - a) * np.sum(wt.reshape(shape) * f(x), axis=0)


def _lower_partial(rv, z, batch):
    r""":math:`E[c; c < z] = z F(z) - \int_a^z F(c)\,dc`, ``a`` far in the left tail (by parts)."""
    nb = len(batch)
    a = np.minimum(np.broadcast_to(rv.ppf(1e-15), batch), z)
    return z * rv.cdf(z) - _gauss(rv.cdf, a, z, nb)


def _upper_partial(rv, u):
    r""":math:`E[r; r > u] = u S(u) + \int_u^b S(r)\,dr`, ``b`` far in the right tail (by parts)."""
    b = max(float(rv.ppf(1.0 - 1e-15)), float(u))
    return float(u * rv.sf(u) + _gauss(rv.sf, np.asarray(u, float), np.asarray(b), 0))


def _general(pa, pb, ca, rv, batch):
    pa, pb, ca = _bcast(batch, pa, pb, ca)
    nb = len(batch)

    def grid_shape(a):  # batch arrays broadcast against (G, *batch)
        return a[None, ...] if nb else a

    # the search range: where the acceptance probability moves, within the issue
    lo = np.clip(np.broadcast_to(rv.ppf(1e-12), batch), -pb, 1.0 - pb)
    hi = np.clip(np.broadcast_to(rv.ppf(1.0 - 1e-12), batch), -pb, 1.0 - pb)
    w_a = pa - ca

    def U(z):
        S = rv.sf(z)
        return S * (grid_shape(pb) + z) + (1.0 - S) * grid_shape(w_a), S

    t = np.linspace(0.0, 1.0, _GRID).reshape((_GRID,) + (1,) * nb)
    Z = grid_shape(lo) + t * grid_shape(hi - lo)
    vals, _ = U(Z)
    j = np.argmax(vals, axis=0)
    a = np.take_along_axis(Z, np.maximum(j - 1, 0)[None], axis=0)[0]
    b = np.take_along_axis(Z, np.minimum(j + 1, _GRID - 1)[None], axis=0)[0]
    phi = (np.sqrt(5.0) - 1.0) / 2.0

    def U1(z):
        return U(z[None])[0][0] if nb else U(z)[0]

    c1, d1 = b - phi * (b - a), a + phi * (b - a)
    f1, f2 = U1(c1), U1(d1)
    for _ in range(_GOLDEN):
        left = f1 >= f2
        b = np.where(left, d1, b)
        a = np.where(left, a, c1)
        new_c, new_d = b - phi * (b - a), a + phi * (b - a)
        c1, d1 = np.where(left, new_c, d1), np.where(left, c1, new_d)
        fc = U1(np.where(left, new_c, new_d))
        f1, f2 = np.where(left, fc, f2), np.where(left, f1, fc)
    z = 0.5 * (a + b)
    best_grid = np.take_along_axis(Z, j[None], axis=0)[0]
    z = np.where(U1(z) >= U1(best_grid), z, best_grid)
    S = rv.sf(z)
    x = pb + z
    war = 1.0 - S
    ua = S * x + war * w_a
    partial = _lower_partial(rv, z, batch)
    ub = S * (1.0 - x) + war * (1.0 - pb) - partial
    return x, z, war, ua, ub


def risk_return_package(negotiation, reservation=None, /, *, sample=None, proposer=0, grid=None):
    r"""The proposer's best package when the receiver's reservation value is private.

    A two-party negotiation: the ``proposer`` makes a take-it-or-leave-it
    offer of one outcome; the receiver accepts iff the outcome gives it at
    least its reservation value :math:`r`, which the proposer knows only as a
    distribution ``F``. The proposer, whose own reservation value is ``w``,
    chooses the outcome ``x`` that maximises

    .. math:: F(u_R(x))\, u_P(x) + (1 - F(u_R(x)))\, w ,

    the multi-issue form of the risk-return trade-off of :func:`risk_return`.

    Parameters
    ----------
    negotiation : Negotiation
        Two parties, unbatched; a discrete agenda (or continuous issues on a
        ``grid``). The proposer's ``reservation`` is its value of no deal.
    reservation : scipy.stats frozen distribution, optional
        The distribution of the receiver's reservation value.
    sample : array_like, shape (N,), optional
        A sample of it instead (an empirical distribution).
    proposer : int or str, default 0
        The proposing party (index or name); the other receives.
    grid : int or mapping, optional
        Grid points per continuous issue.

    Returns
    -------
    res : Result
        ``outcome`` (an :class:`~bargain.Outcome`), ``coded``, ``utilities``
        (2,): the parties' utilities of the package; ``acceptance`` and
        ``war_probability``; ``expected`` (2,): the proposer's expected
        utility and the receiver's expected utility over its types (the
        better of the package and its own reservation value); ``method``,
        ``success``, ``message``.

    Notes
    -----
    Only Pareto-optimal outcomes can be optimal (for any acceptance
    probability the proposer prefers the outcome that gives it most), so the
    search runs over the negotiation's exact Pareto frontier (issue by issue
    for additive utilities: :meth:`bargain.Negotiation.pareto_frontier`),
    every point evaluated: exact over the finite set.

    References
    ----------
    .. [1] J. D. Fearon, "Rationalist explanations for war", International
       Organization 49(3):379-414, 1995, pp. 390-401.

    Examples
    --------
    Three packages: the proposer values them 0.9, 0.6, 0.3, the receiver
    0.2, 0.5, 0.8; the receiver's reservation value is uniform on [0, 1] and
    a rejection leaves the proposer with 0.1. Expected values
    0.2 * 0.9 + 0.8 * 0.1 = 0.26, 0.5 * 0.6 + 0.05 = 0.35 and 0.8 * 0.3 + 0.02 = 0.26:
    the middle package, rejected half the time (the receiver expects 0.5 * 0.5 from the
    package and 0.375 from the types that reject it).

    >>> import scipy.stats as st, bargain as bg
    >>> agenda = bg.Agenda(bg.DiscreteIssue("deal", ["hard", "middle", "soft"]))
    >>> talks = bg.Negotiation(agenda, [
    ...     bg.Party("P", bg.AdditiveUtility({"deal": bg.Table([0.9, 0.6, 0.3])}), 0.1),
    ...     bg.Party("R", bg.AdditiveUtility({"deal": bg.Table([0.2, 0.5, 0.8])}))])
    >>> res = bg.risk_return_package(talks, st.uniform(0, 1))
    >>> res.outcome["deal"], round(res.war_probability, 12), res.expected.round(12)
    ('middle', 0.5, array([0.35 , 0.625]))
    """
    from ..issues._negotiation import Negotiation

    neg = negotiation
    if not isinstance(neg, Negotiation):
        raise TypeError(f"`negotiation` must be a bargain.Negotiation, got {type(neg).__name__}")
    if neg.n != 2 or neg.batch_shape:
        raise ValueError(
            "risk_return_package needs an unbatched two-party negotiation, got "
            f"{neg.n} parties and batch shape {neg.batch_shape}"
        )
    if (reservation is None) == (sample is None):
        raise TypeError("give exactly one of `reservation` (a distribution) or `sample`")
    if isinstance(proposer, str):
        i = neg.names.index(neg.party(proposer).name)
    elif (
        isinstance(proposer, (int, np.integer))
        and not isinstance(proposer, bool)
        and proposer in (0, 1)
    ):
        i = int(proposer)
    else:
        raise ValueError(f"`proposer` must be 0, 1 or a party name, got {proposer!r}")
    j = 1 - i
    A = neg.agenda
    if A.continuous:
        X = A.enumerate(grid)
        U = neg.coded_utilities(X)
        from ..utility._pareto import pareto_frontier

        keep = pareto_frontier(U)
        U, X = U[keep], X[keep]
        method = "grid over the continuous issues, Pareto points"
    else:
        U, X = neg.pareto_frontier()
        method = "exact Pareto frontier"
    w = float(np.asarray(neg.reservation)[i])
    if sample is not None:
        r = np.sort(as_float_array(sample, "sample", min_ndim=1).ravel())
        if r.size == 0:
            raise ValueError("`sample` must hold at least one reservation value")
        accept = np.searchsorted(r, U[:, j], side="right") / r.size
        fight_mean = None
    else:
        rv = _frozen(reservation)
        accept = np.asarray(rv.cdf(U[:, j]), dtype=float)
    value = accept * U[:, i] + (1.0 - accept) * w
    k = int(np.argmax(value))
    a = float(accept[k])
    if sample is not None:
        fight_mean = float(np.mean(np.where(r > U[k, j], r, 0.0)))
    else:
        fight_mean = _upper_partial(rv, float(U[k, j]))
    expected = np.array([value[k], a * U[k, j] + fight_mean])
    if i == 1:
        expected = expected[::-1]
    return Result(
        outcome=A.decode(X[k]),
        coded=X[k],
        utilities=U[k].copy(),
        acceptance=a,
        war_probability=1.0 - a,
        expected=expected,
        parties=neg.names,
        method=method,
        success=True,
        message="optimal package found",
    )


def mediated_information(
    p,
    cost_a,
    cost_low,
    cost_high,
    prob_low,
    /,
    *,
    accuracy=1.0,
    bias=0.5,
    mediator_war_cost=1.0,
) -> Result:
    r"""What a mediator's private information is worth, and whether its bias lets it be believed.

    The game (after Kydd 2003). State A offers a division ``x`` (its share)
    to B, as in :func:`risk_return`, and B's cost of war is low,
    :math:`c_L` (a *resolved* B, who fights for more), with probability
    :math:`\pi`, else high, :math:`c_H`. A mediator observes a signal of B's
    type — "resolved" or "not" — correct with probability ``accuracy`` — and
    tells A which signal it saw. Then A offers: either the *safe* offer
    :math:`p + c_L`, accepted by both types, or the *risky* one
    :math:`p + c_H`, accepted only by the unresolved type (B accepts iff
    :math:`1 - x \ge 1 - p - c`). The mediator values a settlement ``x`` at
    :math:`\beta x + (1 - \beta)(1 - x)` (``bias`` :math:`\beta`: its weight on A)
    and a war at :math:`-w`.

    A truthful report is an equilibrium (the mediator is *credible*) iff,
    after each signal, reporting it is at least as good for the mediator —
    by its own posterior — as reporting the other, given that A best-responds
    to what it is told. Otherwise only a babbling equilibrium exists, and A
    offers as it would alone.

    Parameters
    ----------
    p, cost_a : array_like
        A's probability of winning a war and its cost.
    cost_low, cost_high : array_like
        B's cost of war when resolved and when not, ``0 <= c_L < c_H``.
    prob_low : array_like
        The prior probability :math:`\pi` that B is resolved.
    accuracy : array_like, default 1
        Probability that the mediator's signal is right, in ``[0.5, 1]``
        (0.5: the mediator knows nothing).
    bias : array_like, default 0.5
        The mediator's weight on A's share, in ``[0, 1]``.
    mediator_war_cost : array_like, default 1
        The mediator's loss from a war, ``w >= 0``.

    Returns
    -------
    res : Result
        ``credible`` (...): whether truthful reports are an equilibrium;
        ``risky`` (..., 3): whether A makes the risky offer with no
        information, after "resolved" and after "not"; ``war_probability``
        (..., 2): without and with the mediator; ``utility_a`` (..., 2): A's
        expected utility without and with; ``value_of_information`` (...):
        the gain of A (0 if not credible); ``posterior`` (..., 2): A's belief
        that B is resolved after each signal; ``success``, ``message``.

    Notes
    -----
    A prefers the risky offer at belief :math:`\mu` iff
    :math:`(1 - \mu)(p + c_H) + \mu (p - c_A) > p + c_L`. With a perfectly
    informed mediator the "not resolved" report triggers the risky offer,
    which the mediator prefers to the safe one only if it favours A:
    reporting "resolved" instead would buy B the safe offer, which the
    mediator prefers iff :math:`(1 - 2\beta)(c_H - c_L) > 0`. So an informed
    mediator is credible iff :math:`\beta \ge 1/2` — biased toward the side it
    informs (Kydd 2003), provided a war costs it enough that it never wants
    to trigger one. A mediator without information (``accuracy = 0.5``)
    cannot change A's offer at all: the limit Fey and Ramsay (2010) stress.

    References
    ----------
    .. [1] A. Kydd, "Which side are you on? Bias, credibility, and
       mediation", American Journal of Political Science 47(4):597-611, 2003.
    .. [2] M. Fey and K. W. Ramsay, "When is shuttle diplomacy worth the
       commute? Information sharing through mediation", World Politics
       62(4):529-560, 2010.

    Examples
    --------
    B is resolved (cost 0.05) with probability 0.3, else its cost is 0.3;
    A wins with 0.5 and pays 0.1. Alone, A risks the offer 0.8
    (0.7 * 0.8 + 0.3 * 0.4 = 0.68 > 0.55) and war comes with probability
    0.3. An informed mediator leaning toward A is believed and prevents it:

    >>> import bargain as bg
    >>> res = bg.mediated_information(0.5, 0.1, 0.05, 0.3, 0.3, bias=0.6)
    >>> res.credible, res.war_probability, res.utility_a.round(12)
    (True, array([0.3, 0. ]), array([0.68 , 0.725]))

    The same mediator leaning toward B is not believed:

    >>> bg.mediated_information(0.5, 0.1, 0.05, 0.3, 0.3, bias=0.4).credible
    False
    """
    pp = _probability(p, "p")
    ca = as_float_array(cost_a, "cost_a")
    cl = as_float_array(cost_low, "cost_low")
    ch = as_float_array(cost_high, "cost_high")
    if np.any(ca < 0) or np.any(cl < 0):
        raise ValueError("`cost_a` and `cost_low` must be >= 0")
    if np.any(ch <= cl):
        raise ValueError("`cost_high` must exceed `cost_low` (the resolved type fights for more)")
    pi = _probability(prob_low, "prob_low")
    acc = as_float_array(accuracy, "accuracy")
    if np.any((acc < 0.5) | (acc > 1)):
        raise ValueError(f"`accuracy` must be in [0.5, 1], got {_short(acc)}")
    beta = _probability(bias, "bias")
    w = as_float_array(mediator_war_cost, "mediator_war_cost")
    if np.any(w < 0):
        raise ValueError("`mediator_war_cost` must be >= 0")
    batch = batch_shape(
        p=pp.shape,
        cost_a=ca.shape,
        cost_low=cl.shape,
        cost_high=ch.shape,
        prob_low=pi.shape,
        accuracy=acc.shape,
        bias=beta.shape,
        mediator_war_cost=w.shape,
    )
    pp, ca, cl, ch, pi, acc, beta, w = (
        np.broadcast_to(a, batch).astype(float) for a in (pp, ca, cl, ch, pi, acc, beta, w)
    )
    safe, risky_x, war_a = pp + cl, pp + ch, pp - ca

    def a_value(mu, risky):
        return np.where(risky, (1 - mu) * risky_x + mu * war_a, safe)

    def a_risky(mu):
        return (1 - mu) * risky_x + mu * war_a > safe

    # signal "resolved" (r) and "not" (n): P(r) and the posteriors
    p_r = pi * acc + (1 - pi) * (1 - acc)
    p_n = 1.0 - p_r
    with np.errstate(divide="ignore", invalid="ignore"):
        mu_r = np.where(p_r > 0, pi * acc / np.where(p_r > 0, p_r, 1), pi)
        mu_n = np.where(p_n > 0, pi * (1 - acc) / np.where(p_n > 0, p_n, 1), pi)
    alone = a_risky(pi)
    after_r, after_n = a_risky(mu_r), a_risky(mu_n)

    def mediator(mu, risky):
        """The mediator's expected utility, believing B resolved with mu, if A plays ``risky``."""
        settle_safe = beta * safe + (1 - beta) * (1 - safe)
        settle_risky = beta * risky_x + (1 - beta) * (1 - risky_x)
        return np.where(risky, (1 - mu) * settle_risky + mu * (-w), settle_safe)

    # truthful iff, after each signal, its report is at least as good as the other report
    ok_r = mediator(mu_r, after_r) >= mediator(mu_r, after_n) - 1e-12
    ok_n = mediator(mu_n, after_n) >= mediator(mu_n, after_r) - 1e-12
    informative = after_r != after_n
    credible = ok_r & ok_n
    war0 = np.where(alone, pi, 0.0)
    ua0 = a_value(pi, alone)
    war1 = p_r * np.where(after_r, mu_r, 0.0) + p_n * np.where(after_n, mu_n, 0.0)
    ua1 = p_r * a_value(mu_r, after_r) + p_n * a_value(mu_n, after_n)
    war1 = np.where(credible, war1, war0)
    ua1 = np.where(credible, ua1, ua0)
    value = np.where(credible & informative, ua1 - ua0, 0.0)
    return Result(
        credible=scalar(credible),
        risky=np.stack([alone, after_r, after_n], axis=-1),
        war_probability=np.stack([war0, war1], axis=-1),
        utility_a=np.stack([ua0, ua1], axis=-1),
        value_of_information=scalar(value),
        posterior=np.stack([mu_r, mu_n], axis=-1),
        success=True,
        message="truthful reports are an equilibrium"
        if np.all(credible)
        else "the mediator is not believed in some problems (only babbling is an equilibrium)",
    )
