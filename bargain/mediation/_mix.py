r"""The cheapest mix of levers: open a closed ZOPA, or move the Nash agreement to a target."""

from __future__ import annotations

import math
import warnings

import numpy as np

from .._core._result import Result
from ..issues._terms import option_combinations
from ._leverage import _check_negotiation, _two_party_frontier, apply_levers, lever_shifts
from ._levers import Guarantee, PowerShift, as_levers

__all__ = ["cheapest_mix"]

_COMBO_LIMIT = 4096


def _lp(cp, objective, constraints):
    prob = cp.Problem(cp.Minimize(objective), constraints)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # cvxpy's accuracy notes
        try:
            prob.solve(solver=cp.CLARABEL)
        except cp.error.SolverError:
            return None, "solver error"
    if prob.status in ("optimal", "optimal_inaccurate"):
        return float(prob.value), prob.status
    return None, prob.status


def _open_programmes(neg, levers, margin):
    """Per combination of discrete options: min cost of t s.t. some deal clears every r_i."""
    import cvxpy as cp

    A = neg.agenda
    cont, disc = list(A.continuous), list(A.discrete)
    if A.size > _COMBO_LIMIT:
        raise ValueError(
            f"the agenda has {A.size} combinations of discrete options (more than "
            f"{_COMBO_LIMIT}); cheapest_mix enumerates them"
        )
    sh = lever_shifts(neg, levers)
    res_shift, cost = sh["res"], sh["cost"]  # (L, n), (L,)
    L = len(levers)
    r = neg.reservation
    for i, b in enumerate(neg.bound):
        if not b.additive:
            raise ValueError(f"cheapest_mix needs additive utilities; party {neg.names[i]!r}")
        for k, (v, _) in b.terms.items():
            if not A.issues[k].discrete and not v.concave:
                raise ValueError(
                    f"cheapest_mix needs concave value functions; party {neg.names[i]!r}, "
                    f"issue {A.names[k]!r}"
                )
    for lv in levers:
        if isinstance(lv, Guarantee) and not A.issues[A.position(lv.issue)].discrete:
            raise ValueError(
                f"lever {lv.label!r}: cheapest_mix supports guarantees on discrete issues only "
                "(on a continuous issue the guarantee's value is bilinear in issue and intensity)"
            )
    best = (math.inf, None, None)
    best_key = (math.inf, math.inf)
    statuses = []
    combos = [tuple(int(v) for v in c) for c in option_combinations(A)]  # allowed ones
    Acon, lb, ub = A.constraint_matrix()
    for combo in combos:
        t = cp.Variable(L, nonneg=True)
        x = cp.Variable(len(cont)) if cont else None
        cons = []
        caps = np.array([lv.max_intensity for lv in levers])
        for j in np.flatnonzero(np.isfinite(caps)):
            cons.append(t[j] <= caps[j])
        if cont:
            lo = np.array([A.issues[k].bounds[0] for k in cont])
            hi = np.array([A.issues[k].bounds[1] for k in cont])
            cons += [x >= lo, x <= hi]
            if Acon.shape[0]:
                s = Acon[:, cont] @ x
                for q in range(Acon.shape[0]):
                    if np.isfinite(lb[q]):
                        cons.append(s[q] >= lb[q])
                    if np.isfinite(ub[q]):
                        cons.append(s[q] <= ub[q])
        for i, b in enumerate(neg.bound):
            u = 0.0
            for k, (v, w) in b.terms.items():
                if A.issues[k].discrete:
                    u = u + float(b.contribution(k, np.array(float(combo[disc.index(k)]))))
                else:
                    u = u + float(w) * v.expr(x[cont.index(k)])
            gain = 0.0
            for j, lv in enumerate(levers):
                a = -float(res_shift[j, i])
                if isinstance(lv, Guarantee) and lv.target == neg.names[i]:
                    kk = A.position(lv.issue)
                    opt = A.issues[kk].options[combo[disc.index(kk)]]
                    if lv.options is None or opt in lv.options:
                        a += float(lv.worth)
                if a:
                    gain = gain + a * t[j]
            cons.append(u + gain >= float(r[i]) + margin)
        val, status = _lp(cp, cost @ t, cons)
        statuses.append(status)
        if val is not None and val < best_key[0] + 1e-9 * (1 + abs(val)):
            # among the cheapest mixes, the least intense (free levers are not pulled for nothing)
            val2, _ = _lp(cp, cp.sum(t), [*cons, cost @ t <= val + 1e-9 * (1 + abs(val))])
            tv = np.asarray(t.value, float)
            tv = np.where(tv < 1e-7, 0.0, tv)
            key = (float(cost @ tv) if val2 is not None else val, float(tv.sum()))
            if key[0] < best_key[0] - 1e-9 * (1 + abs(key[0])) or key[1] < best_key[1]:
                best_key = key
                best = (key[0], tv, combo)
    return best


def _target_programme(neg, levers, target, margin):
    """Linear programme: the Nash agreement gives each targeted party at least its target."""
    import cvxpy as cp

    fr = _two_party_frontier(neg)
    if fr is None:
        raise ValueError(
            "`target` needs an unbatched two-party negotiation over continuous issues "
            "(a continuous frontier)"
        )
    for lv in levers:
        if isinstance(lv, (Guarantee, PowerShift)):
            raise ValueError(
                f"lever {lv.label!r}: with `target`, only threats, inducements and side "
                "payments (levers that move the no-deal point) are supported"
            )
    F = fr.frontier
    sh = lever_shifts(neg, levers)
    L = len(levers)
    t = cp.Variable(L, nonneg=True)
    r = neg.reservation
    d = [float(r[0]) + sh["res"][:, 0] @ t, float(r[1]) + sh["res"][:, 1] @ t]
    w = neg.powers
    cons = []
    caps = np.array([lv.max_intensity for lv in levers])
    for j in np.flatnonzero(np.isfinite(caps)):
        cons.append(t[j] <= caps[j])
    for name, tau in target.items():
        i = neg.names.index(name)
        if i == 0:
            s = float(tau)
            if not fr.lo <= s <= fr.hi:
                raise ValueError(
                    f"`target` for {name!r} must lie in [{fr.lo}, {fr.hi}] (the frontier), "
                    f"got {tau}"
                )
        else:
            u2lo, u2hi = float(F(fr.hi)[1]), float(F(fr.lo)[1])
            if not u2lo <= tau <= u2hi:
                raise ValueError(
                    f"`target` for {name!r} must lie in [{u2lo}, {u2hi}] (the frontier), got {tau}"
                )
            a, b = fr.lo, fr.hi  # f decreasing in party 1's utility: bisection for f(s) = tau
            for _ in range(200):
                m = 0.5 * (a + b)
                if float(F(m)[1]) >= tau:
                    a = m
                else:
                    b = m
            s = a
        fs, fps = float(F(s)[1]), float(F.derivative(s)[1])
        g = w[0] * (fs - d[1]) + w[1] * fps * (s - d[0])
        cons += [g >= margin if i == 0 else g <= -margin, d[0] <= s - margin, d[1] <= fs - margin]
    val, status = _lp(cp, sh["cost"] @ t, cons)
    if val is None:
        return math.inf, None, status
    cost = sh["cost"]
    if _lp(cp, cp.sum(t), [*cons, cost @ t <= val + 1e-9 * (1 + abs(val))])[0] is not None:
        val = float(cost @ np.asarray(t.value, float))
    tv = np.asarray(t.value, float)
    return val, np.where(tv < 1e-7, 0.0, tv), status


def cheapest_mix(negotiation, levers, /, *, target=None, budget=None, margin=0.0) -> Result:
    r"""The cheapest combination of lever intensities that opens the ZOPA or meets a target.

    Parameters
    ----------
    negotiation : Negotiation
        Unbatched; additive utilities with concave value functions.
    levers : Mediator or sequence of Lever
        Lever parameters must be scalars. A :class:`~bargain.Mediator`
        supplies the budget.
    target : mapping of str to float, optional
        Party name -> the utility the party's *terms* (its original utility
        of the agreement, without transfers) must at least reach at the Nash
        agreement. Two parties, continuous issues; threats, inducements and
        side payments only. Without ``target``: open the ZOPA.
    budget : float, optional
        The mediator's budget; the Mediator's by default, else unlimited.
    margin : float, default 0
        Required ZOPA slack (or target margin) in utility units.

    Returns
    -------
    res : Result
        ``intensity`` (L,), ``labels``, ``kinds``, ``cost`` (the minimum,
        whatever the budget), ``cost_by_kind`` (coercive / value-adding /
        procedural), ``budget``, ``feasible`` (some mix within the levers'
        ``max_intensity`` works), ``within_budget``, ``shortfall``
        (``cost - budget`` when over budget, else 0; ``inf`` if infeasible),
        ``slack`` (the ZOPA slack at the mix, recomputed by
        :func:`bargain.zopa`), ``nash_utilities`` (with ``target``, the
        Nash utilities at the mix, recomputed), ``status`` (0 within
        budget, 1 over budget, 2 infeasible), ``success``, ``message``.

    Notes
    -----
    *Opening the ZOPA.* A mix ``t >= 0`` opens it iff some outcome ``x``
    has :math:`u_i(x) + \sum_j t_j a_{ij}(x) \ge r_i` for every party, with
    :math:`a_{ij}` the lever's expected shift (threats, inducements, side
    payments) or the guarantee's worth if ``x`` takes a guaranteed option.
    Per combination of discrete options this is jointly convex in
    ``(x, t)`` for concave ``u_i``: minimise :math:`\sum_j c_j t_j`
    subject to it (cvxpy, Clarabel), and take the cheapest combination.

    *A Nash target.* On a two-party frontier ``(s, f(s))`` the Nash
    agreement gives party 1 at least :math:`\sigma` iff
    :math:`w_1 (f(\sigma) - d_1') + w_2 f'(\sigma)(\sigma - d_1) \ge 0`
    (the log Nash product is concave in ``s``; its derivative at
    :math:`\sigma` is non-negative), given :math:`d \le (\sigma, f(\sigma))`.
    The reservation values move linearly in the intensities, so this is a
    linear programme (the analogous inequality holds for party 2's target).
    Mixes under which the target point is not individually rational are
    excluded.

    Examples
    --------
    A (needs 0.7) and B (needs 0.5) split ``x``: the gap is 0.2. Threatening
    A costs 0.05 per unit (shift 0.2), paying B costs 1 per unit of utility:

    >>> import bargain as bg
    >>> A = bg.Agenda(bg.ContinuousIssue("x"))
    >>> neg = bg.Negotiation(A, [bg.Party("A", bg.AdditiveUtility({"x": bg.Linear()}), 0.7),
    ...                          bg.Party("B", bg.AdditiveUtility({"x": bg.Linear(-1, 1)}), 0.5)])
    >>> us = bg.Mediator("US", [bg.Threat("A", 0.2, cost=0.05), bg.SidePayment("B")], budget=0.02)
    >>> res = bg.cheapest_mix(neg, us)
    >>> res.intensity.round(6), round(res.cost, 6), round(res.shortfall, 6)
    (array([1., 0.]), 0.05, 0.03)
    """
    neg = _check_negotiation(negotiation)
    levs, med_budget = as_levers(levers)
    if neg.batch_shape:
        raise ValueError(f"cheapest_mix needs an unbatched negotiation, got {neg.batch_shape}")
    for lv in levs:
        for f in lv._fields:
            if f != "options" and np.ndim(getattr(lv, f)) != 0:
                raise ValueError(f"lever {lv.label!r}: cheapest_mix needs scalar `{f}`")
    B = med_budget if budget is None else float(budget)
    if not B >= 0:
        raise ValueError(f"`budget` must be >= 0, got {budget!r}")
    margin = float(margin)
    if target is None:
        val, tv, _ = _open_programmes(neg, levs, margin)
        status_txt = None
    else:
        if not hasattr(target, "items"):
            raise TypeError(f"`target` must be a mapping party -> utility, got {target!r}")
        for name in target:
            if name not in neg.names:
                raise ValueError(
                    f"`target` names unknown party {name!r}; parties are {list(neg.names)}"
                )
        val, tv, status_txt = _target_programme(neg, levs, dict(target), margin)
    L = len(levs)
    labels = tuple(lv.label for lv in levs)
    kinds = tuple(lv.kind for lv in levs)
    if tv is None:
        return Result(
            intensity=np.zeros(L),
            labels=labels,
            kinds=kinds,
            cost=math.inf,
            cost_by_kind={},
            budget=B,
            feasible=False,
            within_budget=False,
            shortfall=math.inf,
            status=2,
            success=False,
            message="no mix of the levers within their max_intensity achieves the goal"
            + (f" ({status_txt})" if status_txt else ""),
        )
    costs = tv * np.array([float(lv.cost) for lv in levs])
    by_kind = {k: float(costs[[kk == k for kk in kinds]].sum()) for k in dict.fromkeys(kinds)}
    within = val <= B * (1 + 1e-9) + 1e-12
    from ..zopa._zopa import zopa

    mod, _, _, _ = apply_levers(neg, levs, tv)
    out = dict(
        intensity=tv,
        labels=labels,
        kinds=kinds,
        cost=val,
        cost_by_kind=by_kind,
        budget=B,
        feasible=True,
        within_budget=bool(within),
        shortfall=0.0 if within else val - B,
        slack=float(zopa(mod).slack),
    )
    if target is not None:
        from ._leverage import leverage

        lev = leverage(neg, levs, tv, concepts=["nash"], derivatives=False)
        out["nash_utilities"] = lev.nash.utilities
        out["nash_terms"] = lev.nash.utilities - lev.transfer
    status = 0 if within else 1
    out.update(
        status=status,
        success=bool(within),
        message="within budget"
        if within
        else f"the cheapest mix costs {val:.6g}, over the budget {B:.6g} by {val - B:.6g}",
    )
    return Result(**out)
