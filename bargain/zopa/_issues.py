r"""The zone of possible agreement (ZOPA): in issue space, exactly.

:func:`zopa` answers a mediator's first question — is there any deal every
party prefers to walking away, and where is it? — for a
:class:`~bargain.Negotiation` (issue space, here) or a utility-space problem
``(S, d)`` (see :mod:`bargain.zopa._utility`).

Issue space. With reservation values ``r`` the ZOPA is

.. math:: Z = \{x \in X : u_i(x) \ge r_i \ \text{for every party } i\}.

Its certificate is the *slack* :math:`s^* = \max_{x \in X} \min_i (u_i(x) - r_i)`:
``Z`` is non-empty iff :math:`s^* \ge 0`, and the maximiser is the most
robust deal. Discrete agendas are enumerated (or, beyond ``2**20``
outcomes with additive utilities, reduced to their issue-by-issue Pareto
frontier); continuous and mixed agendas with additive concave utilities are
solved exactly per combination of the discrete options, by linear
programmes (HiGHS) when the value functions are linear and by convex
programmes (Clarabel) otherwise (the programmes of
:class:`bargain.issues._piece.Piece`, the geometry in :mod:`bargain.zopa._kernels`).
"""

from __future__ import annotations

import math

import numpy as np

from .._core._result import Result, scalar
from .._core._roots import bracket_increasing
from .._core._validate import batch_shape
from ..issues._combine import combine
from ..issues._negotiation import Negotiation
from ..issues._piece import Piece
from ..issues._terms import check_exact, coupled_groups, decode_groups
from ..issues._terms import option_combinations as _combos
from ..utility._points import maxmin
from ._common import message as _message
from ._kernels import (
    feasible_polygon,
    gauss_legendre_area,
    polygon_area,
    section,
    zopa_polygon,
)

__all__: list[str] = []

ENUM_LIMIT = 2**20
_MC_CHUNK = 50_000


# -- issue space -----------------------------------------------------------------------


def _check_samples(samples):
    if isinstance(samples, bool) or not isinstance(samples, (int, np.integer)) or samples < 2:
        raise ValueError(f"`samples` must be an integer >= 2, got {samples!r}")
    return int(samples)


def issue_zopa(neg: Negotiation, d=None, *, samples=20_000, rng=None, closed_form=True) -> Result:
    """The issue-space ZOPA of a negotiation; see :func:`zopa`.

    ``closed_form=False`` solves every piece of a linearly valued divisible issue by
    its linear programmes too (the second method the closed form is tested against).
    """
    samples = _check_samples(samples)
    A = neg.agenda
    r = neg.disagreement(d)
    batch = batch_shape(negotiation=neg.batch_shape, d=r.shape[:-1])
    r = np.broadcast_to(r, batch + (neg.n,))
    if neg.governed:
        if A.continuous or A.size > ENUM_LIMIT:
            raise ValueError(
                "the ZOPA of a negotiation with a decision rule, issue control or non-veto "
                f"parties is found by enumeration: it needs an all-discrete agenda of at most "
                f"{ENUM_LIMIT} outcomes (discretise the continuous issues)"
            )
        fields = _discrete_enumerate(neg, r, batch)
    elif not A.continuous:
        if A.size <= ENUM_LIMIT:
            fields = _discrete_enumerate(neg, r, batch)
        else:
            fields = _discrete_combine(neg, r, batch, samples, rng)
    else:
        try:
            fields = _continuous(neg, r, batch, samples, rng, closed_form)
        except ValueError as exc:
            if "satisfies its constraints" not in str(exc):
                raise
            from ..issues._diagnose import _constraint_cause

            cause = _constraint_cause(A)
            raise ValueError(f"{exc}: {cause}" if cause else str(exc)) from None
    empty = scalar(fields["slack"] < 0)
    status = np.where(np.asarray(empty), 1, 0)
    robust = fields.pop("robust_coded")
    out = dict(
        concept="zopa",
        space="issues",
        empty=empty,
        slack=scalar(fields.pop("slack")),
        robust_outcome=A.decode(robust),
        robust_coded=robust,
        robust_utilities=neg.aligned_utilities(robust),
    )
    out.update(fields)
    out.update(
        reservation=np.array(r),
        parties=neg.names,
        issues=A.names,
        status=scalar(status),
        success=True,
        message=_message(empty),
    )
    if empty is True and not batch:
        from ..issues._diagnose import why_no_agreement

        cause = why_no_agreement(neg, r)
        if cause:
            out["message"] = f"{out['message']}: {cause}"
    return Result(**out)


def _options_and_ranges(A, k, mask):
    """Option mask (..., k) -> index range (..., 2), NaN where no option is inside."""
    idx = np.arange(A.issues[k].k, dtype=float)
    lo = np.where(mask, idx, np.inf).min(axis=-1)
    hi = np.where(mask, idx, -np.inf).max(axis=-1)
    rng_ = np.stack([lo, hi], axis=-1)
    return np.where(np.isfinite(rng_), rng_, np.nan)


def _discrete_enumerate(neg, r, batch):
    A = neg.agenda
    X = A.enumerate()
    U = np.broadcast_to(neg.coded_utilities(X), batch + (X.shape[0], neg.n))
    if neg.governed:
        G = neg.rule_slack(U, X, r)  # acceptable under the rule, veto and control
        j = np.argmax(G, axis=-1)
        slack = np.take_along_axis(G, j[..., None], axis=-1)[..., 0]
    else:
        slack, j, G = maxmin(U, r)
    inside = G >= 0
    count = inside.sum(axis=-1)
    ranges, options = {}, {}
    for k, issue in enumerate(A.issues):
        col = X[:, k]
        mask = np.stack([np.any(inside & (col == o), axis=-1) for o in range(issue.k)], axis=-1)
        options[issue.name] = mask
        ranges[issue.name] = _options_and_ranges(A, k, mask)
    fields = dict(
        slack=slack,
        robust_coded=X[j],
        ranges=ranges,
        options=options,
        share=scalar(count / X.shape[0]),
        share_method="exact",
        coded_outcomes=X,
        inside=inside,
        count=scalar(count),
        method="enumerate",
    )
    if not batch:
        fields["outcomes"] = A.decode(X[inside])
    return fields


def _discrete_combine(neg, r, batch, samples, rng):
    """Huge all-discrete agendas (additive): the Pareto frontier, issue by issue."""
    A = neg.agenda
    if not neg.additive:
        raise ValueError(
            f"the agenda has {A.size} outcomes (more than {ENUM_LIMIT}); the ZOPA of so many "
            "outcomes needs additive utilities for every party"
        )
    K, n = len(A), neg.n
    base = np.broadcast_to(neg.coded_utilities(np.zeros((1, K))), batch + (1, n))[..., 0, :]
    contribs = []
    for k, issue in enumerate(A.issues):
        Xk = np.zeros((issue.k, K))
        Xk[:, k] = np.arange(issue.k)
        Uk = np.broadcast_to(neg.coded_utilities(Xk), batch + (issue.k, n))
        contribs.append(Uk - base[..., None, :])
    B = math.prod(batch)
    # coupled issues (option constraints) become compound issues of allowed combinations
    groups = coupled_groups(A)
    flat = []
    for pos, combos in groups:
        total = sum(np.take(contribs[k], combos[:, j], axis=-2) for j, k in enumerate(pos))
        flat.append(np.asarray(total).reshape((B, len(combos), n)))
    rf, basef = r.reshape(B, n), base.reshape(B, n)
    slack = np.empty(B)
    coded = np.empty((B, K))
    masks = {issue.name: np.zeros((B, issue.k), dtype=bool) for issue in A.issues}
    for b in range(B):
        F, codes = combine([c[b] for c in flat])
        s_b, j, _ = maxmin(F + basef[b], rf[b])
        slack[b], coded[b] = s_b, decode_groups(groups, codes[j], K)
        for g, (pos, combos) in enumerate(groups):
            for jj, k in enumerate(pos):
                for o in range(A.issues[k].k):
                    rows = combos[:, jj] == o
                    if not np.any(rows):
                        continue  # no allowed package has this option
                    parts = [c[b] for c in flat]
                    parts[g] = parts[g][rows]
                    Fo, _ = combine(parts)
                    masks[A.names[k]][b, o] = maxmin(Fo + basef[b], rf[b])[0] >= 0
    options = {name: m.reshape(batch + m.shape[-1:]) for name, m in masks.items()}
    ranges = {A.names[k]: _options_and_ranges(A, k, options[A.names[k]]) for k in range(K)}
    share, se = _monte_carlo_share(neg, r, batch, samples, rng)
    return dict(
        slack=slack.reshape(batch),
        robust_coded=coded.reshape(batch + (K,)),
        ranges=ranges,
        options=options,
        share=scalar(share),
        share_method="monte carlo",
        share_se=scalar(se),
        method="pareto frontier (issue by issue)",
    )


def _monte_carlo_share(neg, r, batch, samples, rng):
    X = neg.agenda.sample(samples, rng=rng)
    hits = np.zeros(batch)
    for start in range(0, samples, _MC_CHUNK):
        U = neg.coded_utilities(X[start : start + _MC_CHUNK])
        U = np.broadcast_to(U, batch + U.shape[-2:])
        hits = hits + np.sum(np.all(U >= r[..., None, :], axis=-1), axis=-1)
    p = hits / samples
    return p, np.sqrt(p * (1.0 - p) / samples)


# -- continuous and mixed agendas ------------------------------------------------------------


def _check_continuous(neg):
    """Check the exact continuous path applies; True for the monotone one-issue path.

    Concave value functions (any number of continuous issues), or, with a single
    continuous issue, monotone ones of any curvature (risk-acceptant parties):
    each party's acceptable set is then an interval, found by root-finding.
    """
    A = neg.agenda
    needs = (
        "the exact ZOPA over continuous issues needs additive utilities with concave value "
        "functions (or, with one continuous issue, monotone ones)"
    )
    if len(A.continuous) == 1 and all(b.additive for b in neg.bound):
        k = A.continuous[0]
        terms = [b.terms[k][0] for b in neg.bound if k in b.terms]
        if not all(v.concave for v in terms):
            for p, b in zip(neg.parties, neg.bound, strict=True):
                if k in b.terms and not b.terms[k][0].concave and not b.terms[k][0].monotone:
                    raise ValueError(
                        f"party {p.name!r}, issue {A.names[k]!r}: value function "
                        f"{b.terms[k][0]!r} is neither concave nor monotone; {needs}"
                    )
            return True
    try:
        check_exact(neg, needs=needs)
    except ValueError as exc:
        raise ValueError(
            str(exc).replace(" (use method='enumerate' with a grid instead)", f"; {needs}")
        ) from None
    return False


def _feasible_interval(piece):
    """``[a, b]``: the single continuous issue's values allowed by the bounds and constraints."""
    a, b = piece.lo[0], piece.hi[0]
    for row in range(piece.A.shape[0]):
        coef = piece.A[row, 0]
        for bound, sign in ((piece.lb[row], 1.0), (piece.ub[row], -1.0)):
            if not np.isfinite(bound) or coef == 0:
                continue
            t = bound / coef  # sign * coef * x >= sign * bound
            if sign * coef > 0:
                a = max(a, t)
            else:
                b = min(b, t)
    return a, b


def _monotone_piece(piece, r):
    r"""The exact ZOPA of a one-issue piece with monotone value functions (any curvature).

    Party ``i``'s gain :math:`g_i(x) = u_i(x) - r_i` is monotone, so its acceptable
    set is an interval reaching one end; the ZOPA is their intersection. The
    slack :math:`\max_x \min_i g_i(x)` is where the smallest gain of the parties
    whose utility rises meets the smallest of those whose utility falls (their
    difference increases in ``x``), or the end that favours everyone.
    Returns ``(x*, slack, extremes (1, 2))`` like :meth:`Piece.slack` and
    :meth:`Piece.extremes`.
    """
    lo, hi = _feasible_interval(piece)
    if lo > hi:
        raise ValueError("no outcome of the agenda satisfies its constraints")
    up = [i for i in range(piece.n) if _direction(piece, i) > 0]
    down = [i for i in range(piece.n) if _direction(piece, i) < 0]

    def gains(x):
        return piece.utilities(np.asarray(x, float)[..., None]) - r

    def smallest(x, group):
        g = gains(x)
        return g[..., group].min(axis=-1) if group else np.full(np.shape(x), np.inf)

    a, b = np.array([lo]), np.array([hi])
    if up and down:
        t_lo, t_hi = bracket_increasing(lambda t, i: smallest(t, up) - smallest(t, down), a, b)
        cands = np.array([t_lo[0], t_hi[0]])
    else:
        cands = np.array([hi if up else lo])
    worst = gains(cands).min(axis=-1)
    x = float(cands[np.argmax(worst)])
    slack = float(worst.max())
    ext = np.full((1, 2), np.nan)
    if slack >= 0:
        left, right = lo, hi
        if up:  # the smallest x every rising party accepts
            t1, t2 = bracket_increasing(lambda t, i: smallest(t, up), a, np.array([x]))
            left = float(t1[0] if smallest(t1, up)[0] >= 0 else t2[0])
        if down:  # the largest x every falling party accepts
            t1, t2 = bracket_increasing(lambda t, i: -smallest(t, down), np.array([x]), b)
            right = float(t2[0] if smallest(t2, down)[0] >= 0 else t1[0])
        ext[0] = [left, right]
    return np.array([x]), slack, ext


def _direction(piece, i):
    """+1 if party ``i``'s utility rises in the piece's one issue, -1 if it falls, 0 if flat."""
    sign = 0
    for _, v, W in piece.terms[i]:
        m = v.monotone
        s = 0 if m is None else (1 if m == "increasing" else -1)
        s *= 1 if W > 0 else -1
        if s and sign and s != sign:  # pragma: no cover - one value function per issue
            return 0
        sign = sign or s
    return sign


def _pieces(neg, r, batch):
    """Yield ``(b, m, Piece)`` over the flat batch and the discrete combinations."""
    A = neg.agenda
    cont, disc = list(A.continuous), list(A.discrete)
    lo = np.array([A.issues[k].lo for k in cont])
    hi = np.array([A.issues[k].hi for k in cont])
    Acon, lb, ub = A.constraint_matrix()
    Acon = Acon[:, cont]
    combos = _combos(A)
    M, B, n = combos.shape[0], math.prod(batch), neg.n
    flat_terms = []
    for p in neg.parties:
        party = []
        for name in p.utility.issues:
            k = A.position(name)
            if A.issues[k].discrete:
                continue
            W = np.broadcast_to(p.utility.weights[name], batch).ravel()
            party.append((cont.index(k), p.utility.values[name]._flat(batch), W))
        flat_terms.append(party)
    X0 = np.empty((M, len(A)))
    X0[:, cont] = lo
    if disc:
        X0[:, disc] = combos
    U0 = np.broadcast_to(neg.coded_utilities(X0), batch + (M, n)).reshape(B, M, n)
    for b in range(B):
        terms = [[(j, v._take(b), float(W[b])) for j, v, W in party] for party in flat_terms]
        at_lo = Piece(lo, hi, terms, np.zeros(n), Acon, lb, ub).utilities(lo)
        for m in range(M):
            yield b, m, Piece(lo, hi, terms, U0[b, m] - at_lo, Acon, lb, ub)


def _all_linear(neg, k) -> bool:
    """Whether every party values continuous issue ``k`` linearly (or not at all)."""
    from ..issues._values import Linear

    return all(k not in b.terms or isinstance(b.terms[k][0], Linear) for b in neg.bound)


def _linear_interval(neg, r, batch, combos):
    r"""The ZOPA pieces of one continuous issue valued linearly, all at once.

    For combination ``m`` of the discrete options and batch element ``b``, party
    ``i``'s gain is affine in the issue's value, :math:`g_i(x) = c_i + eta_i
    (x - lo)` with :math:`c_i = u_i(lo) - r_i`, on the interval ``[L, R]`` the
    bounds and constraints allow. The slack :math:`\max_x \min_i g_i(x)` of a
    concave piecewise-linear function is attained at ``L``, ``R`` or where two
    gains cross, :math:`x_{ij} = lo - (c_i - c_j) / (eta_i - eta_j)`; the
    extremes of the ZOPA are the interval where every gain is non-negative,
    :math:`x \ge lo - c_i / eta_i` for rising gains and :math:`\le` for
    falling ones. The same numbers as the linear programmes of :class:`Piece`,
    without a solver. Returns ``slack`` (B, M), ``xs`` (B, M, 1), ``ext``
    (B, M, 1, 2) and ``area`` (B, M), the ZOPA's share of ``[L, R]``.
    """
    A = neg.agenda
    k = A.continuous[0]
    lo, hi = A.issues[k].bounds
    Acon, lb, ub = A.constraint_matrix()
    L, R = lo, hi
    for row in range(Acon.shape[0]):
        coef = Acon[row, k]
        for bound, sign in ((lb[row], 1.0), (ub[row], -1.0)):
            if np.isfinite(bound) and coef != 0:
                if sign * coef > 0:
                    L = max(L, bound / coef)
                else:
                    R = min(R, bound / coef)
    if L > R:
        raise ValueError("no outcome of the agenda satisfies its constraints")
    B, M, n = r.shape[0], combos.shape[0], neg.n
    X0 = np.empty((M, len(A)))
    X0[:, k] = lo
    disc = list(A.discrete)
    if disc:
        X0[:, disc] = combos
    c = np.broadcast_to(neg.coded_utilities(X0), batch + (M, n)).reshape(B, M, n) - r[:, None]
    beta = np.zeros((B, n))
    for i, b in enumerate(neg.bound):
        if k in b.terms:
            v, W = b.terms[k]
            slope = np.broadcast_to(v.params["slope"] * W, batch).reshape(B)
            beta[:, i] = slope
    beta = beta[:, None, :]  # (B, 1, n)
    # candidates: both ends and every pairwise crossing inside [L, R]
    cands = [np.full((B, M), L), np.full((B, M), R)]
    for i in range(n):
        for j in range(i + 1, n):
            db = beta[..., i] - beta[..., j]
            with np.errstate(divide="ignore", invalid="ignore"):
                x = lo - (c[..., i] - c[..., j]) / np.where(db != 0, db, 1.0)
            cands.append(np.where(db != 0, np.clip(x, L, R), L))
    X = np.stack(cands, axis=-1)  # (B, M, C)
    worst = (c[..., None, :] + beta[..., None, :] * (X[..., None] - lo)).min(axis=-1)
    best = np.argmax(worst, axis=-1)
    xs = np.take_along_axis(X, best[..., None], axis=-1)  # (B, M, 1)
    slack = (c + beta * (xs - lo)).min(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        bound = lo - c / np.where(beta != 0, beta, 1.0)
    left = np.maximum(L, np.where(beta > 0, bound, -np.inf).max(axis=-1))
    right = np.minimum(R, np.where(beta < 0, bound, np.inf).min(axis=-1))
    ok = slack >= 0
    e = np.stack([np.where(ok, left, np.nan), np.where(ok, right, np.nan)], axis=-1)
    x = xs[..., 0]
    e[..., 0] = np.where(ok, np.minimum(e[..., 0], x), np.nan)
    e[..., 1] = np.where(ok, np.maximum(e[..., 1], x), np.nan)
    full = max(R - L, 0.0)
    area = np.where(ok, (e[..., 1] - e[..., 0]) / full if full > 0 else 0.0, 0.0)
    return slack, xs, e[:, :, None, :], area


def _lens(neg, r, batch, combos):
    """Slack, robust point, extremes and area of every piece of a two-issue agenda at once.

    Two parties, two divisible issues with concave values, no cross-issue
    constraint: see :mod:`bargain.zopa._lens`. Returns the ``(B, M)`` arrays
    the per-piece loop of :func:`_continuous` fills.
    """
    from ..issues._frontier import _continuous_terms
    from ..issues._separable import SeparableTwo, cross
    from ..issues._terms import discrete_offsets
    from ._lens import Lens

    A = neg.agenda
    cont = list(A.continuous)
    M, B = combos.shape[0], math.prod(batch)
    T = B * M
    lo, hi, terms = _continuous_terms(neg, cont, T, batch)
    lo, hi = np.array(lo), np.array(hi)
    shared = terms  # the lens's terms: one value function for every piece when unbatched
    if not batch:
        shared = [
            [
                None if t is None else (b.terms[k][0], float(t[1][0]))
                for b, t in zip(neg.bound, pair, strict=True)
            ]
            for k, pair in zip(cont, terms, strict=True)
        ]
    offset = np.broadcast_to(discrete_offsets(neg, combos, batch), batch + (M, 2)).reshape(T, 2)
    rr = np.repeat(r, M, axis=0)
    # the slack: where the gains are equal on the frontier (or at its nearer end)
    x, u = cross(SeparableTwo(lo, hi, terms, offset), rr, np.ones((T, 2)))
    slack = np.min(u - rr, axis=-1)
    lens = Lens(lo, hi, shared, rr - offset)
    ok = slack >= 0
    ext = lens.extremes(x, ok)
    # the robust point is inside: never report a range that misses it
    ext = np.where(np.isnan(ext), x[:, :, None], ext)
    ext[:, :, 0] = np.minimum(ext[:, :, 0], x)
    ext[:, :, 1] = np.maximum(ext[:, :, 1], x)
    ext[~ok] = np.nan
    area = lens.area(ext, ok)
    return slack.reshape(B, M), x.reshape(B, M, 2), ext.reshape(B, M, 2, 2), area.reshape(B, M)


def _feasible_length(piece):
    """Length of the single continuous issue's feasible interval under the constraints."""
    a, b = _feasible_interval(piece)
    return max(b - a, 0.0)


def _continuous(neg, r, batch, samples, rng, closed_form=True):
    A = neg.agenda
    monotone = _check_continuous(neg)
    cont, disc = list(A.continuous), list(A.discrete)
    Kc = len(cont)
    combos = _combos(A)
    M, B, n = combos.shape[0], math.prod(batch), neg.n
    rf = r.reshape(B, n)
    slack = np.full((B, M), -np.inf)
    xs = np.zeros((B, M, Kc))
    ext = np.full((B, M, Kc, 2), np.nan)
    area = np.zeros((B, M))
    share_method = "exact"
    linear_all = True
    polygon = None
    pieces = _pieces(neg, r, batch)
    lens = False
    if closed_form and Kc == 1 and _all_linear(neg, cont[0]):
        # one linear issue: every piece in closed form, at once
        slack, xs, ext, area = _linear_interval(neg, rf, batch, combos)
        pieces = ()
    elif closed_form and Kc == 2 and n == 2 and not monotone and not A.constraints:
        if not all(_all_linear(neg, k) for k in cont):
            # two divisible issues, concave values: every piece's lens at once
            slack, xs, ext, area = _lens(neg, rf, batch, combos)
            pieces, lens, linear_all = (), True, False
            if np.any(slack >= 0):
                share_method = "quadrature"
    for b, m, piece in pieces:
        linear_all &= piece.linear
        if monotone:
            x, s, e_mono = _monotone_piece(piece, rf[b])
        else:
            x, s = piece.slack(rf[b])
        slack[b, m], xs[b, m] = s, x
        if s < 0:
            continue
        if monotone:
            e = e_mono
        elif piece.linear and Kc == 2:
            poly = zopa_polygon(piece, rf[b])
            if poly.shape[0]:
                e = np.stack([poly.min(axis=0), poly.max(axis=0)], axis=-1)
            else:
                e = np.full((2, 2), np.nan)
            full = polygon_area(feasible_polygon(piece))
            area[b, m] = polygon_area(poly) / full if full > 0 else 0.0
            if not disc and not batch:
                polygon = _canonical(poly)
        else:
            e = piece.extremes(rf[b])
        # the robust point is inside: never report a range that misses it
        e = np.where(np.isnan(e), x[:, None], e)
        e[:, 0] = np.minimum(e[:, 0], x)
        e[:, 1] = np.maximum(e[:, 1], x)
        ext[b, m] = e
        if Kc == 1:
            full = _feasible_length(piece)
            area[b, m] = (e[0, 1] - e[0, 0]) / full if full > 0 else 0.0
        elif Kc == 2 and not piece.linear:
            if A.constraints:
                share_method = "monte carlo"
            else:

                def length(x1, piece=piece, rb=rf[b]):
                    lft, rgt = section(piece, rb, x1)
                    return rgt - lft

                full = (piece.hi[0] - piece.lo[0]) * (piece.hi[1] - piece.lo[1])
                area[b, m] = gauss_legendre_area(length, e[0, 0], e[0, 1]) / full
                if share_method == "exact":
                    share_method = "quadrature"
        elif Kc >= 3:
            share_method = "monte carlo"
    best = np.argmax(slack, axis=-1)
    rows = np.arange(B)
    coded = np.empty((B, len(A)))
    coded[:, cont] = xs[rows, best]
    if disc:
        coded[:, disc] = combos[best]
    ok = slack >= 0  # (B, M): combinations whose piece of the ZOPA is non-empty
    ranges, options = {}, {}
    with np.errstate(invalid="ignore"):
        for j, k in enumerate(cont):
            lo = np.where(ok, ext[:, :, j, 0], np.inf).min(axis=-1)
            hi = np.where(ok, ext[:, :, j, 1], -np.inf).max(axis=-1)
            rr = np.stack([lo, hi], axis=-1)
            ranges[A.names[k]] = np.where(np.isfinite(rr), rr, np.nan).reshape(batch + (2,))
    for j, k in enumerate(disc):
        issue = A.issues[k]
        mask = np.stack(
            [np.any(ok & (combos[:, j] == o), axis=-1) for o in range(issue.k)], axis=-1
        ).reshape(batch + (issue.k,))
        options[issue.name] = mask
        ranges[issue.name] = _options_and_ranges(A, k, mask)
    ranges = {name: ranges[name] for name in A.names}
    fields = dict(
        slack=slack[rows, best].reshape(batch),
        robust_coded=coded.reshape(batch + (len(A),)),
        ranges=ranges,
        options=options,
    )
    if share_method == "monte carlo":
        share, se = _monte_carlo_share(neg, r, batch, samples, rng)
        fields.update(share=scalar(share), share_method=share_method, share_se=scalar(se))
    else:
        fields.update(share=scalar(area.mean(axis=-1).reshape(batch)), share_method=share_method)
    if polygon is not None:
        fields["polygon"] = polygon
    elif Kc == 2 and not disc and not batch and linear_all:
        fields["polygon"] = np.zeros((0, 2))
    if monotone:
        kind = "root-finding on monotone utilities"
    elif lens:
        kind = "the separable frontier and root-finding on sections"
    else:
        kind = "linear programmes" if linear_all else "convex programmes"
    fields["method"] = f"exact ({kind})"
    return fields


def _canonical(poly):
    """Counter-clockwise vertices starting from the lexicographically smallest."""
    if poly.shape[0] == 0:
        return poly
    c = poly.mean(axis=0)
    ang = np.arctan2(poly[:, 1] - c[1], poly[:, 0] - c[0])
    poly = poly[np.argsort(ang, kind="stable")]
    # the smallest first coordinate (to rounding), then the smallest second one
    tol = 1e-12 * (1.0 + np.abs(poly).max())
    first = np.flatnonzero(poly[:, 0] <= poly[:, 0].min() + tol)
    start = first[np.argmin(poly[first, 1])]
    return np.roll(poly, -start, axis=0)
