r"""Effects of a mediator's levers on the ZOPA and on the predicted agreement.

One direction: levers at intensities -> a modified (batched)
:class:`~bargain.Negotiation` (:func:`apply_levers`) -> the existing solvers
(:func:`bargain.zopa`, :func:`bargain.nash`, :func:`bargain.kalai_smorodinsky`,
:func:`bargain.rubinstein`) -> effects (:func:`leverage`), minimum
intensities (:func:`lever_threshold`) and the commitment problem
(:func:`implementation_risk`).

*Solver terms and reported terms.* An inducement or side payment of
:math:`\tau_i` to party ``i`` adds :math:`\tau_i` to every agreement; the
solvers are invariant under translating a party's utility, so the modified
negotiation instead lowers ``i``'s reservation value by :math:`\tau_i`, and
:math:`\tau_i` is added back to the reported utilities. A threat lowers the
reservation value (by its expected size :math:`c_i`) and adds nothing. So
the reported no-deal value is :math:`r_i - c_i` and the reported value of
an agreement ``x`` is :math:`u_i(x) + g_i(x) + \tau_i` (``g``: guarantees).
"""

from __future__ import annotations

import math

import numpy as np

from .._core._result import Result
from .._core._result import scalar as _scalar
from .._core._validate import as_float_array, batch_shape
from ..issues._negotiation import Negotiation
from ..issues._utility import AdditiveUtility
from ..issues._values import Linear, Table
from ._levers import (
    BattlefieldShift,
    Guarantee,
    Inducement,
    Lever,
    PowerShift,
    SidePayment,
    SidePayments,
    Threat,
    WarCosts,
    as_levers,
    party_amounts,
)

__all__ = ["apply_levers", "implementation_risk", "lever_threshold", "leverage"]

CONCEPTS = ("zopa", "nash", "kalai_smorodinsky", "rubinstein")
_SOLVERS = ("nash", "kalai_smorodinsky", "rubinstein")


# -- levers -> a modified negotiation ----------------------------------------------------


def _check_negotiation(neg, name="negotiation"):
    if not isinstance(neg, Negotiation):
        raise TypeError(f"`{name}` must be a bargain.Negotiation, got {type(neg).__name__}")
    return neg


def _party_index(neg, lever):
    try:
        return neg.names.index(lever.target)
    except ValueError:
        raise ValueError(
            f"lever {lever.label!r} targets unknown party {lever.target!r}; the parties are "
            f"{list(neg.names)}"
        ) from None


def _intensity(intensity, levers, name="intensity"):
    """Intensities ``(..., L)``; a scalar or ``(...)`` array for one lever."""
    t = as_float_array(intensity, name)
    L = len(levers)
    if L == 1 and (t.ndim == 0 or t.shape[-1] != 1):
        t = t[..., None]
    if t.ndim == 0 or t.shape[-1] != L:
        raise ValueError(
            f"`{name}` must have shape (..., {L}) for the levers "
            f"{[lv.label for lv in levers]}, got shape {t.shape}"
        )
    if np.any(t < 0):
        raise ValueError(f"`{name}` must be >= 0, got {t}")
    for j, lv in enumerate(levers):
        if np.any(t[..., j] > lv.max_intensity):
            raise ValueError(
                f"`{name}` of lever {lv.label!r} exceeds its max_intensity "
                f"{lv.max_intensity}: got {t[..., j].max()}"
            )
    return t


def lever_shifts(neg, levers):
    """Per-unit effects of each lever on each party (internal).

    Returns arrays ``(..., L, n)``: ``res`` (change of the solver
    reservation value), ``transfer`` (added to reported utilities),
    ``coercion`` (drop of the reported no-deal value; negative where a
    battlefield shift improves it) and ``power``; and ``cost`` (..., L).
    """
    n, L = neg.n, len(levers)
    rows = {key: [] for key in ("res", "transfer", "coercion", "power", "cost")}
    z = np.zeros(n)
    for lv in levers:
        res = transfer = coercion = power = z
        if isinstance(lv, SidePayments):
            a = party_amounts(lv, neg, "pays")
            res, transfer = -a, a
        elif isinstance(lv, (BattlefieldShift, WarCosts)):
            dr = lv.reservation_shift(neg)
            res, coercion = dr, -dr
        else:
            e = np.eye(n)[_party_index(neg, lv)]
            if isinstance(lv, Threat):
                a = np.asarray(lv.shift, dtype=float)[..., None]
                res, coercion = -a * e, a * e
            elif isinstance(lv, (Inducement, SidePayment)):
                a = np.asarray(lv.shift, dtype=float)[..., None]
                res, transfer = -a * e, a * e
            elif isinstance(lv, PowerShift):
                power = np.asarray(lv.amount, dtype=float)[..., None] * e
        rows["res"].append(res)
        rows["transfer"].append(transfer)
        rows["coercion"].append(coercion)
        rows["power"].append(power)
        rows["cost"].append(np.asarray(lv.cost, dtype=float))
    out = {}
    for key, vals in rows.items():
        shape = np.broadcast_shapes(*(np.shape(v) for v in vals))
        out[key] = np.stack(
            [np.broadcast_to(v, shape) for v in vals], axis=-2 if key != "cost" else -1
        )
    assert out["res"].shape[-2:] == (L, n)
    return out


def _guarantee_utility(neg, i, guarantees, t_cols):
    """Party ``i``'s utility with guarantees ``[(lever, t)]`` added (new AdditiveUtility)."""
    party = neg.parties[i]
    util = party.utility
    if not isinstance(util, AdditiveUtility):
        raise ValueError(
            f"lever {guarantees[0].label!r}: a Guarantee needs an additive utility for party "
            f"{party.name!r}"
        )
    bound = neg.bound[i]
    A = neg.agenda
    values = dict(util.values)
    weights = dict(util.weights)
    by_issue: dict[int, list] = {}
    for lv, t in zip(guarantees, t_cols, strict=True):
        if lv.issue not in A.names:
            raise ValueError(
                f"lever {lv.label!r}: unknown issue {lv.issue!r}; the agenda has {list(A.names)}"
            )
        by_issue.setdefault(A.position(lv.issue), []).append((lv, t))
    for k, items in by_issue.items():
        issue = A.issues[k]
        name = issue.name
        if issue.discrete:
            idx = np.arange(issue.k, dtype=float)
            base = bound.contribution(k, idx) if k in bound.terms else np.zeros(issue.k)
            total = base
            for lv, t in items:
                if lv.options is None:
                    mask = np.ones(issue.k)
                else:
                    mask = np.zeros(issue.k)
                    for o in lv.options:
                        try:
                            mask[issue.index(o)] = 1.0
                        except ValueError as exc:
                            raise ValueError(f"lever {lv.label!r}: {exc}") from None
                add = np.asarray(t * lv.worth)[..., None] * mask
                total = total + add
            values[name] = Table(total)
        else:
            for lv, _ in items:
                if lv.options is not None:
                    raise ValueError(
                        f"lever {lv.label!r}: issue {name!r} is continuous; leave `options` unset"
                    )
            lo, hi = issue.bounds
            if k in bound.terms:
                v, w = bound.terms[k]
                if not isinstance(v, Linear):
                    raise ValueError(
                        f"lever {items[0][0].label!r}: a Guarantee on continuous issue {name!r} "
                        f"needs a Linear value function for party {party.name!r}, got {v!r}"
                    )
                s, c = v.params["slope"] * w, v.params["intercept"] * w
            else:
                s, c = 0.0, 0.0
            for lv, t in items:
                g = np.asarray(t * lv.worth) / (hi - lo)
                s, c = s + g, c - g * lo
            values[name] = Linear(s, c)
        weights[name] = np.ones(())
    return AdditiveUtility(values, weights)


def apply_levers(negotiation, levers, intensity=1.0):
    r"""Apply levers at intensities: the modified negotiation the solvers see.

    Parameters
    ----------
    negotiation : Negotiation
    levers : Mediator, Lever or sequence of Lever
    intensity : array_like, shape (..., L)
        One intensity ``>= 0`` per lever (shape ``(...)`` for a single
        lever); leading dimensions are batch dimensions.

    Returns
    -------
    modified : Negotiation
        Batched; reservation values in solver terms (see the module notes).
    transfer : ndarray, shape (..., n)
        Utility added to any agreement by inducements and side payments;
        add it to the modified negotiation's utilities to report them.
    coercion : ndarray, shape (..., n)
        Drop of each party's no-deal value caused by threats.
    cost : ndarray, shape (...)
        The mediator's cost :math:`\sum_j t_j c_j`.

    Examples
    --------
    >>> import bargain as bg
    >>> A = bg.Agenda(bg.ContinuousIssue("x"))
    >>> neg = bg.Negotiation(A, [bg.Party("A", bg.AdditiveUtility({"x": bg.Linear()}), 0.7),
    ...                          bg.Party("B", bg.AdditiveUtility({"x": bg.Linear(-1, 1)}), 0.5)])
    >>> mod, transfer, coercion, cost = bg.apply_levers(neg, bg.Threat("A", 0.4), [0.5, 1.0])
    >>> mod.reservation
    array([[0.5, 0.5],
           [0.3, 0.5]])
    >>> coercion[:, 0]
    array([0.2, 0.4])
    """
    neg = _check_negotiation(negotiation)
    levers, _ = as_levers(levers)
    t = _intensity(intensity, levers)
    sh = lever_shifts(neg, levers)
    tt = t[..., None]  # (..., L, 1)
    r_shift = np.sum(tt * sh["res"], axis=-2)
    transfer = np.sum(tt * sh["transfer"], axis=-2)
    coercion = np.sum(tt * sh["coercion"], axis=-2)
    dpow = np.sum(tt * sh["power"], axis=-2)
    cost = np.sum(t * sh["cost"], axis=-1)
    parties = []
    for i, p in enumerate(neg.parties):
        gs = [(lv, t[..., j]) for j, lv in enumerate(levers) if isinstance(lv, Guarantee)]
        gs = [(lv, tj) for lv, tj in gs if lv.target == p.name]
        util = p.utility if not gs else _guarantee_utility(neg, i, *zip(*gs, strict=True))
        power = p.power + dpow[..., i]
        if np.any(power <= 0):
            bad = [lv.label for lv in levers if isinstance(lv, PowerShift) and lv.target == p.name]
            raise ValueError(
                f"lever(s) {bad} push party {p.name!r}'s power to <= 0 "
                f"(min {float(np.min(power))}); lower the intensity"
            )
        outside = None if p.outside_option is None else p.outside_option + r_shift[..., i]
        parties.append(
            p.replace(
                utility=util,
                reservation=p.reservation + r_shift[..., i],
                outside_option=outside,
                power=power,
            )
        )
    return neg.replace(parties=parties), transfer, coercion, cost


# -- solving the modified negotiation ----------------------------------------------------


def _flat_levers_scalar(levers):
    return all(
        np.ndim(getattr(lv, f)) == 0 for lv in levers for f in lv._fields if f not in ("options",)
    )


def _two_party_frontier(neg):
    """The exact continuous frontier of an unbatched two-party negotiation, or None."""
    if neg.n != 2 or neg.batch_shape or not neg.agenda.continuous or neg.agenda.discrete:
        return None
    try:
        fr = neg.frontier()
    except (ValueError, TypeError):
        return None
    return fr if fr.kind == "continuous" else None


def _solve(neg, levers, t, concepts, fr):
    """All requested concepts for intensities ``t`` (..., L): dict of field arrays."""
    mod, transfer, coercion, cost = apply_levers(neg, levers, t)
    batch = batch_shape(mod=mod.batch_shape, transfer=transfer.shape[:-1], cost=cost.shape)
    out = {
        "cost": np.broadcast_to(cost, batch),
        "transfer": np.broadcast_to(transfer, batch + (neg.n,)),
        "coercion": np.broadcast_to(coercion, batch + (neg.n,)),
    }
    r_solver = np.broadcast_to(mod.reservation, batch + (neg.n,))
    out["reservation"] = r_solver + out["transfer"]
    if "zopa" in concepts:
        from ..zopa._zopa import zopa

        z = zopa(mod)
        out["zopa.slack"] = np.broadcast_to(z.slack, batch)
        for name in neg.agenda.names:
            out[f"zopa.range.{name}"] = np.broadcast_to(z.ranges[name], batch + (2,))
    for c in concepts:
        if c == "zopa":
            continue
        if c == "rubinstein":
            coded, util, agree = _rubinstein(neg, mod, levers, batch)
        else:
            res = mod.solve(c)
            coded = np.broadcast_to(res.coded, batch + (len(neg.agenda),))
            util = np.broadcast_to(res.utilities, batch + (neg.n,))
            agree = np.broadcast_to(res.agreement, batch)
        out[f"{c}.coded"] = coded
        out[f"{c}.utilities"] = util + out["transfer"]
        out[f"{c}.agreement"] = agree
        # the original utilities of the new agreement: the terms, without lever value
        base_u = neg.aligned_utilities(np.ascontiguousarray(coded))
        out[f"{c}.terms_utilities"] = np.where(agree[..., None], base_u, r_solver + transfer)
    return out


def _rubinstein(neg, mod, levers, batch):
    """The alternating-offers agreement of the modified negotiation (one game per intensity)."""
    from ..solutions._rubinstein import rubinstein

    if any(isinstance(lv, Guarantee) for lv in levers):
        raise ValueError(
            "concept 'rubinstein' needs levers that leave the frontier unchanged: no Guarantee "
            "(the game is solved on the negotiation's one frontier for every intensity)"
        )
    d = np.broadcast_to(mod.reservation, batch + (neg.n,))
    outside = None
    if any(p.outside_option is not None for p in mod.parties):
        outside = np.stack(
            [
                np.broadcast_to(d[..., i] if p.outside_option is None else p.outside_option, batch)
                for i, p in enumerate(mod.parties)
            ],
            axis=-1,
        )
    if neg.agenda.discrete:
        raise ValueError(
            "concept 'rubinstein' in leverage needs divisible issues only: over packages the "
            "SPE is a lottery over two of them (bargain.rubinstein(negotiation, hull=True)), "
            "which has no issue values to move; leave 'rubinstein' out of `concepts`"
        )
    try:
        res = rubinstein(neg, d=d, outside=outside)
    except ValueError as exc:
        raise ValueError(f"concept 'rubinstein': {exc}") from None
    return (
        np.broadcast_to(res.coded, batch + (len(neg.agenda),)),
        np.broadcast_to(res.utilities, batch + (2,)),
        np.broadcast_to(res.agreement, batch),
    )


def _nash_analytic(neg, levers, t, fr):
    """d(utilities)/d(intensity) of the Nash agreement by the implicit-function theorem."""
    from ..solutions._axiomatic import nash

    sh = lever_shifts(neg, levers)
    mod, _, _, _ = apply_levers(neg, levers, t)
    d = mod.reservation
    p = mod._stack("power")
    batch = np.broadcast_shapes(d.shape[:-1], p.shape[:-1])
    d, p = np.broadcast_to(d, batch + (2,)), np.broadcast_to(p, batch + (2,))
    F = fr.frontier
    res = nash(F, d, weights=p)
    x = np.asarray(res.x, dtype=float)
    u = F(x)
    f, fp = u[..., 1], F.derivative(x)[..., 1]
    eps = 1e-6 * max(1.0, fr.hi - fr.lo)
    xa, xb = np.clip(x - eps, fr.lo, fr.hi), np.clip(x + eps, fr.lo, fr.hi)
    fpp = (F.derivative(xb)[..., 1] - F.derivative(xa)[..., 1]) / np.maximum(xb - xa, 1e-300)
    a, b = x - d[..., 0], f - d[..., 1]
    interior = np.asarray(res.agreement) & (a > 0) & (b > 0) & (x > fr.lo) & (x < fr.hi)
    a, b = np.where(interior, a, 1.0), np.where(interior, b, 1.0)
    p1, p2 = p[..., 0], p[..., 1]
    Gt = -p1 / a**2 + p2 * (fpp * b - fp**2) / b**2
    G_d = np.stack([p1 / a**2, p2 * fp / b**2], axis=-1)  # dG/d(d1), dG/d(d2)
    G_p = np.stack([1.0 / a, fp / b], axis=-1)
    Gth = np.sum(sh["res"] * G_d[..., None, :], axis=-1) + np.sum(
        sh["power"] * G_p[..., None, :], axis=-1
    )  # (..., L)
    with np.errstate(divide="ignore", invalid="ignore"):
        dx = np.where(interior[..., None], -Gth / Gt[..., None], 0.0)
    dx = np.where(np.isfinite(dx), dx, 0.0)
    du = np.stack([dx, fp[..., None] * dx], axis=-1) + sh["transfer"]
    return du


def _result_from(fields, concepts, levers, names, issues):
    def sub(prefix):
        return {k[len(prefix) + 1 :]: v for k, v in fields.items() if k.startswith(prefix + ".")}

    out = {}
    for c in concepts:
        if c == "zopa":
            z = sub("zopa")
            ranges = {name: z[f"range.{name}"] for name in issues}
            out["zopa"] = dict(slack=z["slack"], empty=z["slack"] < 0, ranges=ranges)
        else:
            out[c] = sub(c)
    return out


def leverage(
    negotiation,
    levers,
    /,
    intensity=1.0,
    *,
    concepts=None,
    derivatives=True,
    h=1e-6,
) -> Result:
    r"""What a mediator's levers do to the ZOPA and to the predicted agreement.

    Parameters
    ----------
    negotiation : Negotiation
        The negotiation without the mediator's levers (intensity 0).
    levers : Mediator, Lever or sequence of Lever
    intensity : array_like, shape (..., L), default 1
        Intensity of each lever (shape ``(...)`` for a single lever);
        leading dimensions are batch dimensions (an intensity grid), which
        broadcast with the batch dimensions of the negotiation and of the
        lever parameters.
    concepts : sequence of str, optional
        Among ``"zopa"``, ``"nash"``, ``"kalai_smorodinsky"``,
        ``"rubinstein"``. By default the first three, and ``"rubinstein"``
        when the negotiation is an unbatched two-party negotiation over
        continuous issues whose discount factors are below 1.
    derivatives : bool, default True
        Also return the derivatives with respect to each intensity.
    h : float, default 1e-6
        Step of the finite differences (central; forward at intensity 0).

    Returns
    -------
    res : Result
        ``labels``, ``kinds`` (per lever: coercive / value-adding /
        procedural), ``intensity`` (..., L), ``cost`` (...) to the mediator,
        ``reservation`` (..., n) the no-deal values after the levers,
        ``coercion`` (..., n) what threats took from each party's no-deal
        value, ``transfer`` (..., n) what inducements and side payments add
        to any deal; then one :class:`~bargain.Result` per concept:

        ``zopa``
            ``slack``, ``empty``, ``ranges`` (issue -> (..., 2)),
            ``slack_change`` (versus intensity 0), and with derivatives
            ``d_slack`` (..., L).
        ``nash``, ``kalai_smorodinsky``, ``rubinstein``
            ``outcome``, ``coded`` (..., K), ``utilities`` (..., n) including
            the levers' value, ``agreement``, ``change`` (utilities minus
            those at intensity 0), ``terms_change`` (the part of the change
            due to the *terms* of the deal, valued by the original
            utilities), ``value_added`` (the part added by the levers to the
            deal itself: inducements, side payments, guarantees), and with
            derivatives ``d_utilities`` (..., L, n) and ``d_coded``
            (..., L, K) by finite differences; ``nash`` also
            ``d_utilities_analytic`` when available (two parties, an
            unbatched negotiation over continuous issues, levers other than
            guarantees).

    Notes
    -----
    *Who carries the cost.* ``change = terms_change + value_added``. A
    threat only lowers a no-deal value: whatever it moves, it moves through
    ``terms_change`` at the expense of the threatened party (a coerced
    settlement). Inducements, side payments and guarantees add
    ``value_added`` to the deal (an owned settlement), paid by the mediator
    (``cost``).

    *Analytic Nash derivative.* On a two-party frontier ``(t, f(t))`` the
    generalised Nash agreement solves
    :math:`G = p_1/(t - d_1) + p_2 f'(t)/(f(t) - d_2) = 0`; for a lever
    changing ``d`` and the powers ``p`` linearly in its intensity
    :math:`\theta`,
    :math:`dt/d\theta = -G_\theta / G_t` with
    :math:`G_t = -p_1/(t-d_1)^2 + p_2 (f''(t)(f - d_2) - f'^2)/(f - d_2)^2`
    (``f'`` exact, ``f''`` a central difference of ``f'``; at a kink of the
    frontier it is large and the derivative vanishes, as it should).

    References
    ----------
    .. [1] J. F. Nash, "The bargaining problem", Econometrica 18(2):155-162, 1950.
    .. [2] S. Touval and I. W. Zartman (eds.), *International Mediation in
       Theory and Practice*, Westview, 1985 (mediators' leverage: sticks,
       carrots and guarantees).

    Examples
    --------
    One divisible issue ``x`` (A's share). A needs 0.7, B needs 0.5: no
    ZOPA. A threat to cut A's aid, worth 0.4 with credibility 0.5, at
    intensities 0, 1 and 2:

    >>> import bargain as bg
    >>> A = bg.Agenda(bg.ContinuousIssue("x"))
    >>> neg = bg.Negotiation(A, [bg.Party("A", bg.AdditiveUtility({"x": bg.Linear()}), 0.7),
    ...                          bg.Party("B", bg.AdditiveUtility({"x": bg.Linear(-1, 1)}), 0.5)])
    >>> res = bg.leverage(neg, bg.Threat("A", 0.4, credibility=0.5), [0.0, 1.0, 2.0])
    >>> res.zopa.slack  # max_x min(x - r_A, 1 - x - 0.5)
    array([-0.1,  0. ,  0.1])
    >>> res.nash.coded[:, 0]  # A's share: (1 + r_A - r_B) / 2
    array([0.6, 0.6, 0.5])
    >>> res.nash.d_utilities_analytic[2]  # per unit of threat intensity
    array([[-0.1,  0.1]])
    """
    neg = _check_negotiation(negotiation)
    levers, _ = as_levers(levers)
    t = _intensity(intensity, levers)
    h = float(h)
    if not h > 0:
        raise ValueError(f"`h` must be > 0, got {h}")
    fr = _two_party_frontier(neg)
    if concepts is None:
        concepts = ["zopa", "nash", "kalai_smorodinsky"]
        if (
            fr is not None
            and not any(isinstance(lv, Guarantee) for lv in levers)
            and np.all(neg.discount < 1)
            and np.all(neg.breakdown == neg.breakdown[..., :1])
        ):
            concepts.append("rubinstein")
    concepts = list(dict.fromkeys(concepts))
    for c in concepts:
        if c not in CONCEPTS:
            raise ValueError(f"`concepts` must be among {list(CONCEPTS)}, got {c!r}")
    L = len(levers)
    pshape = [np.shape(getattr(lv, f)) for lv in levers for f in lv._fields if f != "options"]
    full = batch_shape(
        intensity=t.shape[:-1], negotiation=neg.batch_shape, levers=np.broadcast_shapes(*pshape)
    )
    t = np.broadcast_to(t, full + (L,))
    if derivatives:
        # stack: the point, then +h and -h (forward at 0) per lever, on a new leading axis
        E = np.eye(L).reshape((L,) + (1,) * (t.ndim - 1) + (L,))
        up = t[None] + h * E
        down = np.maximum(t[None] - h * E, 0.0)
        caps = np.array([lv.max_intensity for lv in levers])
        over = up > caps
        up = np.where(over, t[None], up)
        T = np.concatenate([t[None], np.zeros_like(t)[None], up, down], axis=0)
    else:
        T = np.stack([t, np.zeros_like(t)])
    fields = _solve(neg, levers, T, concepts, fr)
    batch = fields["cost"].shape[1:]

    def at(a, i):
        return a[i]

    out = dict(
        labels=tuple(lv.label for lv in levers),
        kinds=tuple(lv.kind for lv in levers),
        intensity=t,
        cost=_scalar(at(fields["cost"], 0)),
        reservation=at(fields["reservation"], 0),
        coercion=at(fields["coercion"], 0),
        transfer=at(fields["transfer"], 0),
    )
    if derivatives:
        step = np.stack([T[2 + j][..., j] - T[2 + L + j][..., j] for j in range(L)], axis=-1)

        def deriv(a):
            # a: (nT, ...) or (nT, ..., m) -> (..., L) or (..., L, m)
            diffs = [(a[2 + j] - a[2 + L + j]) for j in range(L)]
            D = np.stack(diffs, axis=-1 if a.ndim == 1 + len(batch) else -2)
            s = step if a.ndim == 1 + len(batch) else step[..., None]
            return D / s

    for c in concepts:
        if c == "zopa":
            slack = fields["zopa.slack"]
            z = dict(
                slack=_scalar(slack[0]),
                empty=_scalar(slack[0] < 0),
                ranges={name: fields[f"zopa.range.{name}"][0] for name in neg.agenda.names},
                slack_change=_scalar(slack[0] - slack[1]),
            )
            if derivatives:
                z["d_slack"] = deriv(slack)
            out["zopa"] = Result(**z)
            continue
        coded = fields[f"{c}.coded"]
        util = fields[f"{c}.utilities"]
        terms = fields[f"{c}.terms_utilities"]
        agree = fields[f"{c}.agreement"]
        r = dict(
            outcome=neg.agenda.decode(coded[0]),
            coded=coded[0],
            utilities=util[0],
            agreement=_scalar(agree[0]),
            change=util[0] - util[1],
            terms_change=terms[0] - terms[1],
            value_added=util[0] - terms[0],
        )
        if derivatives:
            r["d_utilities"] = deriv(util)
            r["d_coded"] = deriv(coded)
            if (
                c == "nash"
                and fr is not None
                and not any(isinstance(lv, Guarantee) for lv in levers)
                and _flat_levers_scalar(levers)
            ):
                r["d_utilities_analytic"] = _nash_analytic(neg, levers, t, fr)
        out[c] = Result(**r)
    return Result(**out)


# -- thresholds -----------------------------------------------------------------------


def lever_threshold(
    negotiation,
    lever,
    /,
    *,
    others=None,
    bracket=None,
    xtol=1e-10,
    maxiter=200,
) -> Result:
    r"""Minimum intensity of a lever that opens a closed ZOPA (vectorised bisection).

    Parameters
    ----------
    negotiation : Negotiation
        May be batched (e.g. over uncertain reservation values): one
        threshold per problem, found simultaneously.
    lever : Threat, Inducement, SidePayment or Guarantee
        Its parameters may be batched too.
    others : tuple (levers, intensity), optional
        Other levers held at fixed intensities ``(..., L')``.
    bracket : float, optional
        Upper end of the search; the lever's ``max_intensity`` if finite,
        else found by doubling from 1 (up to ``2**60``).
    xtol : float, default 1e-10
        Absolute tolerance on the intensity.
    maxiter : int, default 200

    Returns
    -------
    res : Result
        ``threshold`` (...): the smallest intensity (to ``xtol``) at which
        the ZOPA is non-empty — the ZOPA *is* open there (``slack >= 0``) —
        0 where it is open already and ``inf`` where no intensity up to the
        bracket opens it; ``lower`` (...): an intensity ``<= xtol`` below it
        where the ZOPA is still closed (equal to ``threshold`` where
        ``already_open``); ``found``, ``already_open`` (...), ``slack_at``
        (...) the slack at ``threshold``, ``cost`` (...) the mediator's cost
        there; ``iterations``, ``status`` (0 found, 1 already open, 2 not
        within the bracket), ``success``, ``message``.

    Notes
    -----
    The ZOPA slack :math:`s(t) = \max_x \min_i (u_i(x) + t\,g_i(x) - r_i + t\,a_i)`
    is non-decreasing in the intensity of a threat, inducement, side payment
    or guarantee (each term is), so :math:`\{t : s(t) \ge 0\}` is an interval
    :math:`[t^*, \infty)`; bisection keeps a closed lower and an open upper
    end for every problem at once and stops when they are ``xtol`` apart.
    A power shift never changes the ZOPA and is rejected.

    Examples
    --------
    >>> import bargain as bg
    >>> A = bg.Agenda(bg.ContinuousIssue("x"))
    >>> neg = bg.Negotiation(A, [bg.Party("A", bg.AdditiveUtility({"x": bg.Linear()}), 0.7),
    ...                          bg.Party("B", bg.AdditiveUtility({"x": bg.Linear(-1, 1)}),
    ...                                   [0.5, 0.6])])
    >>> res = bg.lever_threshold(neg, bg.Threat("A", 0.4, credibility=0.5))
    >>> res.threshold.round(8)  # the gap r_A + r_B - 1 over the expected shift 0.2
    array([1. , 1.5])
    """
    neg = _check_negotiation(negotiation)
    if not isinstance(lever, Lever):
        raise TypeError(f"`lever` must be one Lever, got {lever!r}")
    lv = lever
    if isinstance(lv, PowerShift):
        raise ValueError(f"lever {lv.label!r}: a PowerShift does not change the ZOPA")
    if isinstance(lv, BattlefieldShift) and np.any(lv.reservation_shift(neg) > 0):
        raise ValueError(
            f"lever {lv.label!r}: the battlefield shift raises some party's value of war, so "
            "the ZOPA need not open monotonically with it; scan intensities with bg.leverage"
        )
    if others is None:
        olevers, ot = (), None
    else:
        try:
            olevers, ot = others
        except (TypeError, ValueError):
            raise TypeError("`others` must be a pair (levers, intensity)") from None
        olevers, _ = as_levers(olevers)
        ot = _intensity(ot, olevers, "others intensity")
    all_levers = (lv, *olevers)
    xtol = float(xtol)
    if not xtol > 0:
        raise ValueError(f"`xtol` must be > 0, got {xtol}")

    def slack(tv):
        tv = np.asarray(tv, dtype=float)
        if olevers:
            ob = np.broadcast_to(ot, tv.shape + ot.shape[-1:]) if tv.ndim else ot
            tv_all = np.concatenate([np.broadcast_to(tv[..., None], ob.shape[:-1] + (1,)), ob], -1)
        else:
            tv_all = tv[..., None]
        from ..zopa._zopa import zopa

        mod, _, _, cost = apply_levers(neg, all_levers, tv_all)
        return np.asarray(zopa(mod).slack, dtype=float), cost

    s0, _ = slack(0.0)
    batch = s0.shape
    if bracket is None:
        hi_val = lv.max_intensity if math.isfinite(lv.max_intensity) else None
    else:
        hi_val = float(bracket)
        if not hi_val > 0:
            raise ValueError(f"`bracket` must be > 0, got {bracket!r}")
    hi = np.full(batch, 1.0 if hi_val is None else hi_val)
    s_hi, _ = slack(hi)
    s_hi = np.broadcast_to(s_hi, batch)
    hi = np.broadcast_to(hi, s_hi.shape).copy()
    if hi_val is None:
        for _ in range(60):
            need = (s_hi < 0) & (s0 < 0)
            if not np.any(need):
                break
            hi = np.where(need, 2 * hi, hi)
            s_hi, _ = slack(hi)
    batch = s_hi.shape
    s0 = np.broadcast_to(s0, batch)
    already = s0 >= 0
    found = (s_hi >= 0) & ~already
    lo = np.zeros(batch)
    hi = np.where(already, 0.0, hi)
    it = 0
    active = found.copy()
    while np.any(active) and it < maxiter:
        it += 1
        mid = np.where(active, 0.5 * (lo + hi), hi)
        sm, _ = slack(mid)
        sm = np.broadcast_to(sm, batch)
        opened = (sm >= 0) & active
        hi = np.where(opened, mid, hi)
        lo = np.where(active & ~opened, mid, lo)
        active = found & (hi - lo > xtol)
    thr = np.where(already, 0.0, np.where(found, hi, np.inf))
    s_at, cost = slack(np.where(np.isfinite(thr), thr, 0.0))
    status = np.where(already, 1, np.where(found, 0, 2))
    msg = {0: "threshold found", 1: "the ZOPA is open already", 2: "not opened within the bracket"}
    if status.ndim == 0:
        message = msg[int(status)]
    else:
        message = ", ".join(f"{int((status == k).sum())} {m}" for k, m in msg.items())
    return Result(
        lever=lv.label,
        threshold=_scalar(thr),
        lower=_scalar(np.where(already, 0.0, np.where(found, lo, hi))),
        found=_scalar(found),
        already_open=_scalar(already),
        slack_at=_scalar(np.where(np.isfinite(thr), np.broadcast_to(s_at, batch), -np.inf)),
        cost=_scalar(np.where(np.isfinite(thr), np.broadcast_to(cost, batch), np.inf)),
        iterations=it,
        status=_scalar(status),
        success=bool(np.all(status != 2)),
        message=message,
    )


# -- the commitment problem -------------------------------------------------------------


def _worst_utilities(neg):
    """Each party's smallest utility over the agenda (additive utilities)."""
    out = []
    for i, b in enumerate(neg.bound):
        if not b.additive:
            raise ValueError(f"party {neg.names[i]!r}: give `fallback` for a non-additive utility")
        total = 0.0
        for k in b.terms:
            issue = neg.agenda.issues[k]
            if issue.discrete:
                vals = b.contribution(k, np.arange(issue.k, dtype=float))
            else:
                # concave value functions attain their minimum at an endpoint
                vals = b.contribution(k, np.array(issue.bounds))
            total = total + vals.min(axis=-1)
        out.append(np.asarray(total, dtype=float))
    shape = np.broadcast_shapes(*(o.shape for o in out))
    return np.stack([np.broadcast_to(o, shape) for o in out], axis=-1)


def implementation_risk(
    negotiation, compliance, /, *, fallback=None, concepts=("zopa", "nash")
) -> Result:
    r"""The commitment problem: the ZOPA and the agreement when compliance is uncertain.

    Parameters
    ----------
    negotiation : Negotiation
    compliance : array_like, shape (..., n)
        Probability that each party carries out an agreement, in ``(0, 1]``;
        leading dimensions are batch dimensions (a grid over guarantees and
        monitoring that raise it).
    fallback : array_like, shape (..., n), optional
        A party's utility when it complies and another party reneges (it
        made its concessions and got nothing); by default its worst utility
        over the agenda.
    concepts : sequence of str, default ("zopa", "nash")
        Among ``"zopa"``, ``"nash"``, ``"kalai_smorodinsky"``.

    Returns
    -------
    res : Result
        ``compliance``, ``trust`` (..., n): the probability
        :math:`\pi_i = \prod_{j \ne i} c_j` that everyone else complies;
        ``fallback``; ``reservation`` (..., n) the equivalent reservation
        values; ``zopa`` (``slack`` in expected-value terms, ``empty``,
        ``ranges``) and per solution concept ``outcome``, ``coded``,
        ``utilities`` (expected values), ``terms_utilities`` (values if
        honoured), ``agreement``.

    Notes
    -----
    Party ``i`` values an agreement ``x`` at
    :math:`\pi_i u_i(x) + (1 - \pi_i) f_i`. It accepts iff that is at least
    :math:`r_i`, i.e. iff :math:`u_i(x) \ge r_i' = (r_i - (1 - \pi_i) f_i)/\pi_i`,
    and since the solutions are invariant under positive affine maps of a
    party's utility, they are the solutions of the negotiation with
    reservation values :math:`r'`. With :math:`f_i < r_i`, lower trust raises
    :math:`r_i'` and shrinks the ZOPA: the commitment problem of Fearon
    (1995) and Walter (2002), which third-party guarantees address.

    References
    ----------
    .. [1] B. F. Walter, *Committing to Peace: The Successful Settlement of
       Civil Wars*, Princeton University Press, 2002.
    .. [2] J. D. Fearon, "Rationalist explanations for war", International
       Organization 49(3):379-414, 1995.

    Examples
    --------
    >>> import bargain as bg
    >>> A = bg.Agenda(bg.ContinuousIssue("x"))
    >>> neg = bg.Negotiation(A, [bg.Party("A", bg.AdditiveUtility({"x": bg.Linear()}), 0.3),
    ...                          bg.Party("B", bg.AdditiveUtility({"x": bg.Linear(-1, 1)}), 0.3)])
    >>> res = bg.implementation_risk(neg, [[1.0, 1.0], [0.75, 1.0]])
    >>> res.reservation[1]  # A trusts B fully; B trusts A with 0.75: 0.3 / 0.75
    array([0.3, 0.4])
    >>> res.zopa.slack
    array([0.2 , 0.15])
    """
    neg = _check_negotiation(negotiation)
    n = neg.n
    c = as_float_array(compliance, "compliance", min_ndim=1)
    if c.shape[-1] != n:
        raise ValueError(
            f"`compliance` must have shape (..., {n}) for the parties {list(neg.names)}, "
            f"got shape {c.shape}"
        )
    if np.any((c <= 0) | (c > 1)):
        raise ValueError(f"`compliance` must be in (0, 1], got {c}")
    for k in concepts:
        if k not in ("zopa", "nash", "kalai_smorodinsky"):
            raise ValueError(
                f"`concepts` must be among ['zopa', 'nash', 'kalai_smorodinsky'], got {k!r}"
            )
    trust = np.stack([np.prod(np.delete(c, i, axis=-1), axis=-1) for i in range(n)], axis=-1)
    f = (
        _worst_utilities(neg)
        if fallback is None
        else as_float_array(fallback, "fallback", min_ndim=1)
    )
    if f.shape[-1] != n:
        raise ValueError(f"`fallback` must have shape (..., {n}), got shape {f.shape}")
    r = neg.reservation
    r_eq = (r - (1 - trust) * f) / trust
    batch = batch_shape(negotiation=neg.batch_shape, compliance=c.shape[:-1], fallback=f.shape[:-1])
    r_eq = np.broadcast_to(r_eq, batch + (n,))
    fb = np.broadcast_to(f, batch + (n,))
    trust = np.broadcast_to(trust, batch + (n,))
    mod = neg.replace(
        parties=[p.replace(reservation=r_eq[..., i]) for i, p in enumerate(neg.parties)]
    )
    out = dict(compliance=c, trust=trust, fallback=fb, reservation=r_eq)
    for k in concepts:
        if k == "zopa":
            from ..zopa._zopa import zopa

            z = zopa(mod)
            out["zopa"] = Result(
                slack=z.slack,
                empty=_scalar(np.asarray(z.slack) < 0),
                ranges=z.ranges,
            )
        else:
            res = mod.solve(k)
            u = np.broadcast_to(res.utilities, batch + (n,))
            agree = np.broadcast_to(res.agreement, batch)
            ev = np.where(agree[..., None], trust * u + (1 - trust) * fb, r)
            out[k] = Result(
                outcome=res.outcome,
                coded=res.coded,
                utilities=ev,
                terms_utilities=u,
                agreement=_scalar(agree),
            )
    return Result(**out)
