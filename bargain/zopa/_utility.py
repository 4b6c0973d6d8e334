r"""The ZOPA in utility space, and the one-dimensional classics.

In utility space the ZOPA of a problem ``(S, d)`` is the part of ``S`` that
weakly dominates ``d``; its Pareto-optimal part is the *ZOPA segment* of the
frontier on which every bargaining solution lies.

:func:`price_zopa` is the buyer–seller price range of distributive
bargaining (Raiffa 1982) and :func:`fearon_range` Fearon's (1995)
bargaining range between two states, with mutual optimism.
"""

from __future__ import annotations

import numpy as np

from .._core._result import Result
from .._core._result import scalar as _scalar
from .._core._roots import bracket_increasing
from .._core._validate import _short, as_float_array, as_points, as_vector, batch_shape, check_bool
from ..issues._values import Linear, Table, ValueFunction
from ..solutions import _axiomatic as _solutions
from ..solutions._rubinstein import rubinstein, rubinstein_setup
from ..utility._frontier import Frontier
from ..utility._hull import max_linear, max_ray
from ..utility._pareto import pareto_frontier
from ..utility._points import maxmin
from ._common import message as _message
from ._issues import _pieces, issue_zopa

__all__ = ["fearon_range", "price_zopa"]

CONCEPTS = ("nash", "kalai_smorodinsky", "egalitarian", "utilitarian")


def _solver(concept):
    return getattr(_solutions, concept)


def _positions(solutions, endpoints, empty):
    """Where each solution lies on a two-party ZOPA segment: 0 at party 2's end, 1 at party 1's."""
    lo, hi = endpoints[..., 0, 0], endpoints[..., 1, 0]
    out = {}
    with np.errstate(invalid="ignore", divide="ignore"):
        for name, u in solutions.items():
            width = hi - lo
            pos = np.where(width > 0, (u[..., 0] - lo) / np.where(width > 0, width, 1.0), 0.5)
            out[name] = _scalar(np.where(empty, np.nan, np.clip(pos, 0.0, 1.0)))
    return out


# -- finite point sets ---------------------------------------------------------------------


def _hull_lps(P, d):
    """Per problem of a flat batch: slack, robust point, surplus, ideal point (lotteries).

    The lottery LPs of :mod:`bargain.utility._hull`: the slack is the largest
    ``s`` with ``u >= d + s``; the ideal point and the surplus maximise
    ``u_i`` and ``sum(u)`` over the lotteries with ``u >= d``.
    """
    B, _, n = P.shape
    slack = np.empty(B)
    robust = np.empty((B, n))
    surplus = np.zeros(B)
    ideal = np.full((B, n), np.nan)
    for b in range(B):
        _, lam = max_ray(P[b], d[b], np.ones(n))
        lam = np.clip(lam, 0, None)
        lam /= lam.sum()
        robust[b] = lam @ P[b]
        slack[b] = float(np.min(robust[b] - d[b]))
        if slack[b] < 0:
            continue
        for i in range(n + 1):  # ideal point (i < n) and surplus (i == n)
            w = np.eye(n)[i] if i < n else np.ones(n)
            best = max_linear(P[b], w, d[b])
            if best is None:
                continue
            val = float(w @ (P[b].T @ best - d[b]))
            if i < n:
                ideal[b, i] = val + d[b, i]
            else:
                surplus[b] = max(val, 0.0)
    return slack, robust, surplus, ideal


def points_zopa(S, d, hull=False) -> dict:
    """Fields of the utility-space ZOPA of finite sets ``(..., m, n)``."""
    hull = check_bool(hull, "hull")
    P = as_points(S, "S")
    m, n = P.shape[-2:]
    dd = as_vector(d, n, "d")
    batch = batch_shape(S=P.shape[:-2], d=dd.shape[:-1])
    P = np.broadcast_to(P, batch + (m, n))
    dd = np.broadcast_to(dd, batch + (n,))
    gains = P - dd[..., None, :]
    slack_points, j, margins = maxmin(P, dd)
    inside = margins >= 0
    frontier = pareto_frontier(P) & inside
    if hull:
        B = int(np.prod(batch, dtype=np.int64))
        s, rob, sur, ide = _hull_lps(P.reshape(B, m, n), dd.reshape(B, n))
        slack, robust = s.reshape(batch), rob.reshape(batch + (n,))
        surplus, ideal = sur.reshape(batch), ide.reshape(batch + (n,))
        robust_index = None
    else:
        slack = slack_points
        robust = np.take_along_axis(P, j[..., None, None], axis=-2)[..., 0, :]
        robust_index = j
        any_in = np.any(inside, axis=-1)
        surplus = np.where(any_in, np.where(inside, gains.sum(axis=-1), -np.inf).max(axis=-1), 0)
        ideal = np.where(inside[..., None], P, -np.inf).max(axis=-2)
        ideal = np.where(any_in[..., None], ideal, np.nan)
    empty = slack < 0
    solutions, agreement = {}, {}
    for concept in CONCEPTS:
        res = _solver(concept)(P, dd, hull=hull)
        solutions[concept] = np.asarray(res.utilities)
        agreement[concept] = res.agreement
    fields = dict(
        concept="zopa",
        space="utilities",
        empty=_scalar(empty),
        slack=_scalar(slack),
        surplus=_scalar(np.maximum(surplus, 0.0)),
        robust_utilities=robust,
        ideal=ideal,
        inside=inside,
        frontier=frontier,
    )
    if robust_index is not None:
        fields["robust_index"] = _scalar(robust_index)
    if n == 2:
        fields["endpoints"] = _point_endpoints(P, dd, inside, hull, ideal, empty)
    fields["solutions"] = solutions
    fields["agreement"] = agreement
    if n == 2:
        fields["positions"] = _positions(solutions, fields["endpoints"], empty)
    return fields


def _point_endpoints(P, d, inside, hull, ideal, empty):
    """Two-party ZOPA segment ends (..., 2, 2): [party 2's best, party 1's best]."""
    ends = np.full(P.shape[:-2] + (2, 2), np.nan)
    if not hull:
        for i, other in ((0, 1), (1, 0)):
            # best for party `other`; ties broken by the better value for party i
            key = np.where(inside, P[..., other], -np.inf)
            best = key.max(axis=-1, keepdims=True)
            tie = np.where(inside & (key == best), P[..., i], -np.inf)
            j = np.argmax(tie, axis=-1)
            ends[..., i, :] = np.take_along_axis(P, j[..., None, None], axis=-2)[..., 0, :]
        return np.where(empty[..., None, None], np.nan, ends)
    # lotteries: the hull's frontier meets u_i = ideal_i at the end best for party i
    B = int(np.prod(P.shape[:-2], dtype=np.int64))
    Pf, df = P.reshape(B, *P.shape[-2:]), d.reshape(B, 2)
    idf, ef = ideal.reshape(B, 2), np.asarray(empty).reshape(B)
    out = ends.reshape(B, 2, 2)
    for b in range(B):
        if ef[b]:
            continue
        for row, (best, other) in enumerate(((1, 0), (0, 1))):
            lam = max_linear(Pf[b], np.eye(2)[other], df[b], fix=(best, idf[b, best]))
            if lam is not None:
                out[b, row] = lam @ Pf[b]
    return out.reshape(ends.shape)


# -- continuous frontiers ----------------------------------------------------------------------


def frontier_zopa(F: Frontier, d, delta=None, breakdown=0.0, outside=None) -> dict:
    """Fields of the utility-space ZOPA on a continuous two-party frontier."""
    dd = as_vector(d, 2, "d", "the frontier")
    batch = batch_shape(S=F.batch_shape, d=dd.shape[:-1])
    dd = np.broadcast_to(dd, batch + (2,))
    lo = np.broadcast_to(F.lo, batch).astype(float)
    hi = np.broadcast_to(F.hi, batch).astype(float)
    args = tuple(np.broadcast_to(a, batch) for a in F.args)
    F.check(lo, hi, args)

    shape = lo.shape
    lo, hi = lo.ravel(), hi.ravel()
    fargs = tuple(np.ravel(a) for a in args)
    df = dd.reshape(-1, 2)

    def U(t, idx=slice(None)):
        sub = tuple(a[idx] for a in fargs)
        return np.broadcast_to(F(t, *sub), np.shape(t) + (2,))

    def g(t, idx=slice(None)):
        return U(t, idx) - df[idx]

    # Three monotone root problems, solved as one stacked batch (each frontier evaluation
    # may be costly): u_1 - d_1 (smallest t with u_1 >= d_1), d_2 - u_2 (largest t with
    # u_2 >= d_2) and (u_1 - d_1) - (u_2 - d_2) (the most robust point); all non-decreasing.
    B = lo.size

    def h(t, idx=slice(None)):
        idx = np.arange(3 * B)[idx]
        kind, b = idx // B, idx % B
        G = g(t, b)
        return np.choose(kind, [G[..., 0], -G[..., 1], G[..., 0] - G[..., 1]])

    a3, b3 = bracket_increasing(h, np.tile(lo, 3), np.tile(hi, 3))
    a, b = a3[:B], b3[:B]
    t_lo = np.where(g(a)[..., 0] >= 0, a, b)
    a, b = a3[B : 2 * B], b3[B : 2 * B]
    t_hi = np.where(g(b)[..., 1] >= 0, b, a)
    a, b = a3[2 * B :], b3[2 * B :]
    ga, gb = np.min(g(a), axis=-1), np.min(g(b), axis=-1)
    t_star = np.where(ga >= gb, a, b).reshape(shape)
    slack = np.maximum(ga, gb).reshape(shape)
    empty = slack < 0
    ends = np.stack([U(t_lo), U(t_hi)], axis=-2).reshape(shape + (2, 2))
    t_lo, t_hi = t_lo.reshape(shape), t_hi.reshape(shape)
    ends = np.where(empty[..., None, None], np.nan, ends)
    t_range = np.where(empty[..., None], np.nan, np.stack([t_lo, t_hi], axis=-1))
    solutions, xs, agreement = {}, {}, {}
    for concept in CONCEPTS:
        res = _solver(concept)(F, dd)
        solutions[concept] = np.asarray(res.utilities)
        xs[concept] = res.x
        agreement[concept] = res.agreement
    ut = solutions["utilitarian"]
    at_ends = np.nanmax(np.where(empty[..., None], -np.inf, ends.sum(axis=-1)), axis=-1)
    surplus = np.where(
        np.asarray(agreement["utilitarian"]),
        ut.sum(axis=-1) - dd.sum(axis=-1),
        at_ends - dd.sum(axis=-1),
    )
    surplus = np.where(empty, 0.0, np.maximum(surplus, 0.0))
    rubinstein_note = "no discount factors given (`delta`): Rubinstein point not computed"
    if delta is not None:
        res = rubinstein(delta, F, dd, breakdown=breakdown, outside=outside)
        solutions["rubinstein"] = np.asarray(res.utilities)
        xs["rubinstein"] = res.x
        agreement["rubinstein"] = res.agreement
        rubinstein_note = None
    fields = dict(
        concept="zopa",
        space="utilities",
        empty=_scalar(empty),
        slack=_scalar(slack),
        surplus=_scalar(surplus),
        robust_utilities=U(t_star.ravel()).reshape(shape + (2,)).copy(),
        robust_x=_scalar(t_star),
        ideal=np.where(
            empty[..., None], np.nan, np.stack([ends[..., 1, 0], ends[..., 0, 1]], axis=-1)
        ),
        endpoints=ends,
        t_range=t_range,
        solutions=solutions,
        solutions_x=xs,
        agreement=agreement,
    )
    fields["positions"] = _positions(solutions, ends, empty)
    if rubinstein_note:
        fields["note"] = rubinstein_note
    return fields


def utility_zopa(S, d, *, hull=False, delta=None, breakdown=0.0) -> Result:
    """The utility-space ZOPA of ``(S, d)``; see :func:`bargain.zopa`."""
    if d is None:
        raise TypeError("`d` (the reservation values) is required unless `S` is a Negotiation")
    if isinstance(S, Frontier):
        if check_bool(hull, "hull"):
            raise ValueError("`hull` applies to point sets, not to a Frontier")
        fields = frontier_zopa(S, d, delta, breakdown)
    elif callable(S):
        raise TypeError("`S` is a function: wrap a continuous frontier in bargain.Frontier")
    else:
        fields = points_zopa(S, d, hull)
        if delta is not None:
            _points_rubinstein(fields, S, d, delta, breakdown, None)
    empty = fields["empty"]
    status = np.where(np.asarray(empty), 1, 0)
    fields.update(status=_scalar(status), success=True, message=_message(empty))
    return Result(**fields)


def _points_rubinstein(fields, S, d, delta, breakdown, outside):
    """Add the alternating-offers SPE over lotteries of the points (the unique SPE)."""
    res = rubinstein(delta, S, d, breakdown=breakdown, outside=outside, hull=True)
    fields["solutions"]["rubinstein"] = np.asarray(res.utilities)
    fields["agreement"]["rubinstein"] = res.agreement
    fields["rubinstein_lottery"] = np.asarray(res.lottery)


def negotiation_utility_zopa(neg, d=None, *, delta=None, breakdown=0.0, fixed=None) -> Result:
    """The ZOPA of a two-party negotiation on its Pareto frontier in utility space."""
    if neg.n != 2:
        raise ValueError(
            f"space='utilities' needs exactly two parties (a frontier), got {neg.n}; use the "
            "issue-space ZOPA (space='issues')"
        )
    if neg.batch_shape:
        raise ValueError(
            f"space='utilities' needs an unbatched negotiation, batch shape {neg.batch_shape}"
        )
    dd = neg.disagreement(d)
    fr = neg.frontier(fixed=fixed)
    note, outside = None, None
    if delta is None:  # the game of the parties' own data, where it applies
        try:
            game = rubinstein_setup(neg, fixed=fixed, d=dd)
        except ValueError as exc:
            note = f"Rubinstein point not computed: {exc}; or pass `delta`"
        else:
            delta, breakdown, outside = game.delta, game.breakdown, game.outside
    if fr.kind == "continuous" and not neg.agenda.discrete:
        fields = _continuous_negotiation(neg, fr, dd, delta, breakdown, outside)
    elif fr.kind == "continuous":
        fields = frontier_zopa(fr.frontier, dd, delta, breakdown, outside)
        empty = bool(fields["empty"])
        fields["robust_outcome"] = fr.outcome(fields["robust_x"])
        fields["solution_outcomes"] = {k: fr.outcome(x) for k, x in fields["solutions_x"].items()}
        if not empty:
            fields["endpoint_outcomes"] = (
                fr.outcome(fields["t_range"][0]),
                fr.outcome(fields["t_range"][1]),
            )
    else:
        fields = points_zopa(fr.points, dd, False)
        if delta is not None:
            _points_rubinstein(fields, fr.points, dd, delta, breakdown, outside)
        fields["robust_outcome"] = fr.outcome(int(fields["robust_index"]))
        fields["frontier_outcomes"] = fr.negotiation.agenda.decode(fr.coded)
    if note is not None:
        fields["note"] = note
    fields["parties"] = neg.names
    empty = fields["empty"]
    fields.update(status=_scalar(np.where(empty, 1, 0)), success=True, message=_message(empty))
    return Result(**fields)


def _continuous_negotiation(neg, fr, d, delta, breakdown, outside=None) -> dict:
    """Utility-space ZOPA of a two-party divisible negotiation, solved in issue space.

    The frontier is parametrised by party 1's utility, so every frontier point is an
    issue-space optimum: the ends of the ZOPA segment are the best deal for each party
    subject to the other's reservation value (a linear or convex programme), the robust
    point is the issue-space ZOPA's, and the solution concepts are the issue-space
    solvers' (root-finding) — the same points, without inverting the frontier.
    """
    z = issue_zopa(neg, d)
    ((_, _, piece),) = list(_pieces(neg, d[None, :], (1,)))
    A = neg.agenda
    empty = bool(z.empty)
    ends = np.full((2, 2), np.nan)
    end_outcomes = None
    if not empty:
        coded = []
        for row, best in enumerate((1, 0)):  # row 0: party 2's best, row 1: party 1's best
            x = piece.best(best, d)
            if x is None:  # the ZOPA is a single point (to solver accuracy)
                x = np.asarray(z.robust_coded)
            coded.append(x)
            ends[row] = neg.aligned_utilities(x)
        end_outcomes = tuple(A.decode(c) for c in coded)
    solutions, xs, agreement, outcomes = {}, {}, {}, {}
    for concept in CONCEPTS:
        res = neg.solve(concept, d, method="exact")
        solutions[concept] = np.asarray(res.utilities)
        xs[concept] = float(res.utilities[0])
        agreement[concept] = res.agreement
        outcomes[concept] = res.outcome
    ut = solutions["utilitarian"]
    surplus = (
        0.0 if empty else max(float(ut.sum() - d.sum()), float(np.max(ends.sum(-1) - d.sum())))
    )
    note = None
    if delta is not None:
        res = rubinstein(delta, fr.frontier, d, breakdown=breakdown, outside=outside)
        solutions["rubinstein"] = np.asarray(res.utilities)
        xs["rubinstein"] = float(res.x)
        agreement["rubinstein"] = res.agreement
        outcomes["rubinstein"] = fr.outcome(res.x)
    else:
        note = "no discount factors given (`delta`): Rubinstein point not computed"
    fields = dict(
        concept="zopa",
        space="utilities",
        empty=z.empty,
        slack=z.slack,
        surplus=surplus,
        robust_utilities=np.asarray(z.robust_utilities),
        robust_x=float(z.robust_utilities[0]),
        ideal=np.array([ends[1, 0], ends[0, 1]]),
        endpoints=ends,
        t_range=ends[:, 0].copy(),
        solutions=solutions,
        solutions_x=xs,
        agreement=agreement,
        positions=_positions(solutions, ends, np.asarray(empty)),
        robust_outcome=z.robust_outcome,
        solution_outcomes=outcomes,
    )
    if end_outcomes is not None:
        fields["endpoint_outcomes"] = end_outcomes
    if note:
        fields["note"] = note
    return fields


# -- one-dimensional classics ------------------------------------------------------------


def price_zopa(seller_min, buyer_max) -> Result:
    r"""Zone of agreement of a buyer and a seller haggling over a price.

    Parameters
    ----------
    seller_min : array_like
        The seller's reservation price ``s``: the least it will accept.
    buyer_max : array_like
        The buyer's reservation price ``b``: the most it will pay. The two
        broadcast; leading dimensions are batch dimensions.

    Returns
    -------
    res : Result
        ``empty`` (``b < s``); ``lo`` = ``s`` and ``hi`` = ``b`` (the ZOPA
        ``[s, b]`` when not empty); ``width`` = ``b - s`` (the surplus to
        share, negative when empty); ``slack`` = ``(b - s) / 2``;
        ``robust_price`` = ``(s + b) / 2``; ``status`` (0 non-empty,
        1 empty), ``success``, ``message``.

    Notes
    -----
    A price ``p`` gives the seller :math:`p - s` and the buyer :math:`b - p`
    over their reservation prices, so the ZOPA is :math:`[s, b]` and the slack
    :math:`\max_p \min(p - s, b - p) = (b - s)/2` at the split-the-difference
    price :math:`(s + b)/2` — the same certificate :func:`bargain.zopa` gives
    in issue and utility space, with money as utility.

    References
    ----------
    .. [1] H. Raiffa, *The Art and Science of Negotiation*, Harvard University
       Press, 1982, Part II ("Two parties, one issue"): reservation prices and
       the zone of agreement in distributive bargaining.

    Examples
    --------
    >>> import bargain as bg
    >>> z = bg.price_zopa(seller_min=200_000, buyer_max=250_000)
    >>> z.empty, z.lo, z.hi, z.width, z.robust_price
    (False, 200000.0, 250000.0, 50000.0, 225000.0)
    >>> bg.price_zopa([100, 100], [150, 90]).empty
    array([False,  True])
    """
    s = as_float_array(seller_min, "seller_min")
    b = as_float_array(buyer_max, "buyer_max")
    batch = batch_shape(seller_min=s.shape, buyer_max=b.shape)
    s, b = np.broadcast_to(s, batch), np.broadcast_to(b, batch)
    empty = b < s
    return Result(
        concept="price_zopa",
        empty=_scalar(empty),
        lo=_scalar(s.copy()),
        hi=_scalar(b.copy()),
        width=_scalar(b - s),
        slack=_scalar((b - s) / 2.0),
        robust_price=_scalar((s + b) / 2.0),
        status=_scalar(np.where(empty, 1, 0)),
        success=True,
        message=_message(empty),
    )


def _probability(value, name):
    p = as_float_array(value, name)
    if np.any((p < 0) | (p > 1)):
        raise ValueError(
            f"`{name}` must be a probability in [0, 1], got {_short(p[(p < 0) | (p > 1)])}"
        )
    return p


def fearon_range(
    p, cost_a, cost_b, *, p_a=None, p_b=None, utility_a=None, utility_b=None
) -> Result:
    r"""Fearon's bargaining range: the divisions both states prefer to war, for any risk attitude.

    States A and B divide an issue, ``x`` in ``[0, 1]`` being A's share. War
    gives A the whole issue with probability ``p`` and costs A ``c_A`` and B
    ``c_B`` (in utility units). A values a share ``x`` at :math:`u_A(x)` and B
    its share ``1 - x`` at :math:`u_B(1 - x)`: risk neutral (``x`` itself) by
    default, risk averse for a concave and risk acceptant for a convex
    value function.

    Parameters
    ----------
    p : array_like
        Probability that A wins a war, in ``[0, 1]``.
    cost_a, cost_b : array_like
        Costs of war to A and B (in utility units), ``>= 0``.
    p_a, p_b : array_like, optional
        Each side's own estimate of ``p`` (mutual optimism: ``p_a > p_b``);
        both default to ``p``.
    utility_a, utility_b : ValueFunction, optional
        Increasing value functions of a side's own share on ``[0, 1]``
        (e.g. ``bg.Power(0.5)``, risk averse, or ``bg.Power(2.0)``, risk
        acceptant); linear by default. Their parameters may be batched.

    Returns
    -------
    res : Result
        ``empty`` (...); ``lo``, ``hi``: the bargaining range of A's share
        (clipped to ``[0, 1]``; ``lo > hi`` when empty); ``width`` =
        ``hi - lo``; ``war_values`` (..., 2): each side's expected utility of
        war by its own estimate,
        :math:`r_A = p_A u_A(1) + (1 - p_A) u_A(0) - c_A` and
        :math:`r_B = (1 - p_B) u_B(1) + p_B u_B(0) - c_B`; ``slack``:
        :math:`\max_{x \in [0, 1]} \min(u_A(x) - r_A,\ u_B(1 - x) - r_B)`;
        ``robust_share``: its maximiser; ``optimism`` = ``p_a - p_b``;
        ``status``, ``success``, ``message``.

    Notes
    -----
    A accepts ``x`` iff :math:`u_A(x) \ge r_A`; B accepts iff
    :math:`u_B(1 - x) \ge r_B`. Both sides' value functions increase, so the
    range is :math:`[u_A^{-1}(r_A),\ 1 - u_B^{-1}(r_B)]` (an end is 0 or 1
    where a side accepts everything, and the range is empty where a side
    accepts nothing). With risk-neutral sides this is the closed form
    :math:`[p_A - c_A,\ p_B + c_B]`: with a common estimate it always
    contains ``p`` when the costs are positive — Fearon's point that war is
    never ex-post efficient — and mutual optimism closes it exactly when
    :math:`p_A - p_B > c_A + c_B`. Otherwise the two inverses are found by
    vectorised root-finding on the monotone conditions, to float resolution
    (no grid), and the slack at the point where both gains are equal (the
    difference of the gains increases in ``x``). Risk aversion lowers the
    certainty equivalent of the war lottery and widens the range; risk
    acceptance raises it and can close the range even with common beliefs
    and positive costs (Fearon 1995, pp. 387-388 and note 15).

    References
    ----------
    .. [1] J. D. Fearon, "Rationalist explanations for war", International
       Organization 49(3):379-414, 1995: sections "When will there exist
       bargains both sides prefer to war?" and "Disagreements about relative
       power".

    Examples
    --------
    >>> import bargain as bg
    >>> r = bg.fearon_range(0.6, 0.1, 0.15)
    >>> round(float(r.lo), 12), round(float(r.hi), 12), r.empty
    (0.5, 0.75, False)

    Mutual optimism: A thinks it wins with 0.8, B thinks A wins with 0.5;
    the optimism gap 0.3 exceeds the joint cost 0.25 and the range closes.

    >>> r = bg.fearon_range(0.6, 0.1, 0.15, p_a=0.8, p_b=0.5)
    >>> r.empty, round(float(r.slack), 12)
    (True, -0.025)

    Risk attitudes, with an even war costing each side 0.05: risk-averse
    sides (square-root value) accept any share between 0.2025 and 0.7975
    (:math:`u^{-1}(0.45) = 0.45^2`); risk-acceptant ones (squared value) need
    :math:`\sqrt{0.45} = 0.67` each, more than the whole together.

    >>> r = bg.fearon_range(0.5, 0.05, 0.05, utility_a=bg.Power(0.5), utility_b=bg.Power(0.5))
    >>> round(float(r.lo), 12), round(float(r.hi), 12)
    (0.2025, 0.7975)
    >>> r = bg.fearon_range(0.5, 0.05, 0.05, utility_a=bg.Power(2.0), utility_b=bg.Power(2.0))
    >>> r.empty, round(float(r.lo), 6), round(float(r.hi), 6)
    (True, 0.67082, 0.32918)
    """
    pp = _probability(p, "p")
    ca = as_float_array(cost_a, "cost_a")
    cb = as_float_array(cost_b, "cost_b")
    for name, c in (("cost_a", ca), ("cost_b", cb)):
        if np.any(c < 0):
            raise ValueError(f"`{name}` must be >= 0, got {_short(c[c < 0])}")
    pa = pp if p_a is None else _probability(p_a, "p_a")
    pb = pp if p_b is None else _probability(p_b, "p_b")
    shapes = dict(p=pp.shape, cost_a=ca.shape, cost_b=cb.shape, p_a=pa.shape, p_b=pb.shape)
    va, vb = (_share_value(u, f"utility_{s}") for u, s in ((utility_a, "a"), (utility_b, "b")))
    for v, key in ((va, "utility_a"), (vb, "utility_b")):
        if v is not None:
            shapes[key] = v.batch_shape
    batch = batch_shape(**shapes)
    if va is None and vb is None:  # risk neutral: the closed form
        floor = np.broadcast_to(pa - ca, batch)
        ceiling = np.broadcast_to(pb + cb, batch)
        empty = floor > ceiling
        lo, hi = np.clip(floor, 0.0, 1.0), np.clip(ceiling, 0.0, 1.0)
        robust = np.clip(0.5 * (floor + ceiling), 0.0, 1.0)
        slack = np.minimum(robust - floor, ceiling - robust)
        war_values = np.stack(np.broadcast_arrays(floor, 1.0 - ceiling), axis=-1)
    else:
        lo, hi, robust, slack, war_values = _fearon_general(pa, pb, ca, cb, va, vb, batch)
        empty = slack < 0
    return Result(
        concept="fearon_range",
        empty=_scalar(empty),
        lo=_scalar(lo),
        hi=_scalar(hi),
        width=_scalar(hi - lo),
        war_values=war_values,
        slack=_scalar(slack),
        robust_share=_scalar(robust),
        optimism=_scalar(np.broadcast_to(pa - pb, batch).copy()),
        status=_scalar(np.where(empty, 1, 0)),
        success=True,
        message=_message(empty),
    )


def _share_value(u, name):
    """A side's value function of its own share, checked: increasing on [0, 1] (or None)."""
    if u is None:
        return None
    if not isinstance(u, ValueFunction) or isinstance(u, Table):
        raise TypeError(
            f"`{name}` must be a value function of a share (e.g. bg.Power(0.5)), got {u!r}"
        )
    u.check_domain(0.0, 1.0, f"`{name}`: ")
    if u.monotone != "increasing":
        raise ValueError(f"`{name}` must be increasing on [0, 1] (more of the issue is better)")
    return u


def _fearon_general(pa, pb, ca, cb, va, vb, batch):
    """Bargaining range, robust share and slack for monotone value functions (flat batch)."""
    B = int(np.prod(batch, dtype=np.int64))
    va = Linear() if va is None else va
    vb = Linear() if vb is None else vb
    va, vb = va._flat(batch), vb._flat(batch)

    def flat(x):
        return np.ascontiguousarray(np.broadcast_to(x, batch)).reshape(B)

    pa, pb, ca, cb = flat(pa), flat(pb), flat(ca), flat(cb)
    zero, one = np.zeros(B), np.ones(B)
    ua0, ua1 = va._aligned(zero), va._aligned(one)
    ub0, ub1 = vb._aligned(zero), vb._aligned(one)
    ra = pa * ua1 + (1 - pa) * ua0 - ca
    rb = (1 - pb) * ub1 + pb * ub0 - cb
    idx = np.arange(B)

    def gain_a(x, i):
        return va._take_many(i)._aligned(x) - ra[i]

    def gain_b(x, i):  # B's gain at A's share x: decreasing in x
        return vb._take_many(i)._aligned(1.0 - x) - rb[i]

    # A accepts from lo = u_A^{-1}(r_A) up; B accepts up to hi = 1 - u_B^{-1}(r_B)
    a_lo, a_hi = bracket_increasing(gain_a, zero, one)
    lo = np.where(gain_a(a_lo, idx) >= 0, a_lo, a_hi)
    b_lo, b_hi = bracket_increasing(lambda x, i: -gain_b(x, i), zero, one)
    hi = np.where(gain_b(b_hi, idx) >= 0, b_hi, b_lo)
    lo = np.where(gain_a(one, idx) < 0, 1.0, lo)  # A accepts nothing: lo past the range
    hi = np.where(gain_b(zero, idx) < 0, 0.0, hi)  # B accepts nothing
    # the most robust share: where the gains are equal (their difference increases in x)
    m_lo, m_hi = bracket_increasing(lambda x, i: gain_a(x, i) - gain_b(x, i), zero, one)
    s_lo = np.minimum(gain_a(m_lo, idx), gain_b(m_lo, idx))
    s_hi = np.minimum(gain_a(m_hi, idx), gain_b(m_hi, idx))
    robust = np.where(s_lo >= s_hi, m_lo, m_hi)
    slack = np.maximum(s_lo, s_hi)
    war_values = np.stack([ra, rb], axis=-1)
    return (
        lo.reshape(batch),
        hi.reshape(batch),
        robust.reshape(batch),
        slack.reshape(batch),
        war_values.reshape(batch + (2,)),
    )
