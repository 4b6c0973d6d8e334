r"""Bargaining solutions in issue space: from a negotiation to an agreement.

``bg.nash(negotiation)`` (and ``kalai_smorodinsky``, ``egalitarian``,
``utilitarian``) land here. The data flow is one way:

1. **Discrete agendas, enumeration** (``method="enumerate"``): every outcome
   is enumerated to a utility point array ``(..., N, n)`` and handed to the
   utility-space finite solvers; the chosen index maps back to issue values.
   Continuous issues may be put on a grid here (a brute-force check).
2. **Discrete agendas, frontier** (``method="frontier"``, additive
   utilities): the exact Pareto frontier is built issue by issue without
   enumerating outcomes (``bargain.issues._combine``); the finite solvers run on the
   frontier points. Every concept's finite solution is Pareto optimal, and
   ties resolve to the same outcome as on the enumerating path.
3. **Continuous and mixed agendas, exact** (``method="exact"``): the feasible
   utility set is a union, over the combinations ``c`` of the discrete
   issues, of the continuous set shifted by ``u_D(c)``. For each ``c`` the
   concept is solved exactly — two parties without cross-issue constraints
   by root-finding on the frontier (``bargain.issues._separable``, float
   resolution), otherwise by a convex programme (``bargain.issues._piece``) —
   and the combination that is best for the concept is chosen: the largest
   Nash product, the largest weighted sum, or the leximin-best normalised
   gains (egalitarian, Kalai–Smorodinsky with the ideal point taken over the
   whole union). The continuous solvers need concave value functions and
   check them.

Results carry ``outcome`` (an :class:`~bargain.Outcome`: issue name -> value
or option label, with the batch shape), ``coded`` (the same as a float array
``(..., K)``), ``utilities``, ``agreement`` and the usual status fields.
"""

from __future__ import annotations

import numpy as np

from .._core._result import Result, scalar, status_message
from .._core._validate import as_weights, batch_shape, check_bool
from ..utility import _points
from ..utility._solve import solve as solve_utilities
from . import _combine, _separable
from ._piece import Piece
from ._terms import check_exact, decode_groups, discrete_offsets, grouped_contributions
from ._terms import option_combinations as _combos

__all__: list[str] = []

CONCEPTS = ("nash", "kalai_smorodinsky", "egalitarian", "utilitarian")
METHODS = ("auto", "exact", "enumerate", "frontier")
_RANK_LIMIT = 2**24  # packages ranked for the index of a constrained agenda's frontier path
ENUM_LIMIT = 2**20

_STATUS = {
    0: "agreement found",
    1: "no outcome is strictly better than d for every party",
    -2: "convex solver did not reach the requested accuracy",
}


def _message(status) -> str:
    return status_message(status, _STATUS)


def _result(neg, concept, method, coded, utilities, agreement, status, index=None):
    status = np.asarray(status)
    fields = dict(
        concept=concept,
        method=method,
        outcome=neg.agenda.decode(coded),
        coded=coded,
        utilities=utilities,
        agreement=scalar(np.asarray(agreement)),
        parties=neg.names,
        success=scalar(status >= 0),
        status=scalar(status),
        message=_message(status),
    )
    if status.ndim == 0 and int(status) == 1 and not neg.batch_shape:
        from ._diagnose import why_no_agreement

        cause = why_no_agreement(neg, utilities)  # without agreement the utilities are d
        if cause:
            fields["message"] = f"{fields['message']}: {cause}"
    if index is not None:
        fields["index"] = scalar(np.asarray(index))
    return Result(**fields)


def solve(neg, concept, d=None, weights=None, *, method="auto", grid=None, hull=False):
    """Solve ``concept`` for a :class:`~bargain.Negotiation`; returns a :class:`~bargain.Result`.

    See :meth:`bargain.Negotiation.solve` for the parameters. The result has
    ``outcome`` (issue values, batch shape), ``coded`` ``(..., K)``,
    ``utilities`` ``(..., n)`` (``d`` without agreement), ``agreement``,
    ``parties``, ``method``, ``success``/``status``/``message`` and, for
    discrete agendas, ``index`` (enumeration index, ``-1`` without
    agreement). Without agreement ``outcome`` is the outcome with the largest
    smallest gain over ``d`` (where the talks came closest).
    """
    if concept not in CONCEPTS:
        raise ValueError(f"`concept` must be one of {list(CONCEPTS)}, got {concept!r}")
    if method not in METHODS:
        raise ValueError(f"`method` must be one of {list(METHODS)}, got {method!r}")
    if check_bool(hull, "hull"):
        raise ValueError(
            "hull=True (lotteries over outcomes) is not modelled in issue space; solve "
            "bg.nash(neg.utilities(neg.agenda.enumerate()), d, hull=True) in utility space"
        )
    n = neg.n
    dd = neg.disagreement(d)
    if concept == "kalai_smorodinsky":
        if weights is not None:
            raise TypeError("kalai_smorodinsky takes no `weights`")
        w = np.full(n, 1.0 / n)
    elif weights is None:
        w = neg.powers if concept == "nash" else np.full(n, 1.0 / n)
    else:
        w = as_weights(weights, n, "weights", "the negotiation")
    batch = batch_shape(negotiation=neg.batch_shape, d=dd.shape[:-1], weights=w.shape[:-1])
    dd = np.broadcast_to(dd, batch + (n,))
    w = np.broadcast_to(w, batch + (n,))
    A = neg.agenda
    if neg.governed:
        return _governed(neg, concept, dd, w, method, grid, batch)
    if method == "auto":
        if A.continuous:
            method = "exact"
        elif A.size > ENUM_LIMIT and neg.additive:
            method = "frontier"
        else:
            method = "enumerate"
    if method == "enumerate":
        return _enumerate(neg, concept, dd, w, grid, batch)
    if grid is not None:
        raise ValueError(f"`grid` applies to method='enumerate' only, not {method!r}")
    if method == "frontier":
        return _frontier(neg, concept, dd, w, batch)
    if not A.continuous:
        raise ValueError("method='exact' is for agendas with continuous issues; use 'enumerate'")
    return _exact(neg, concept, dd, w, batch)


# -- discrete: enumeration and frontier --------------------------------------------


def _core(concept, U, d, w):
    return solve_utilities(
        concept,
        U,
        d,
        w if concept != "kalai_smorodinsky" else None,
        False,
        use_weights=concept != "kalai_smorodinsky",
    )


def _maxmin_index(U, d):
    return _points.maxmin(U, d)[1]


def _enumerate(neg, concept, d, w, grid, batch):
    X = neg.agenda.enumerate(grid)
    if X.shape[0] == 0:
        raise ValueError("no outcome of the agenda satisfies its constraints")
    U = np.broadcast_to(neg.coded_utilities(X), batch + X.shape[:1] + (neg.n,))
    res = _core(concept, U, d, w)
    agreement = np.asarray(res.agreement)
    sel = np.where(agreement, res.index, _maxmin_index(U, d))
    status = np.where(agreement, 0, 1)
    return _result(
        neg,
        concept,
        "enumerate",
        X[sel],
        np.asarray(res.utilities),
        agreement,
        status,
        np.where(agreement, sel, -1),
    )


def veto_points(neg, U, sigma, d, w=None):
    """The veto players' problem over the acceptable outcomes: ``(Uv, dv, wv)``.

    ``U`` (..., N, n) and the rule slack ``sigma`` (..., N) of the enumerated
    outcomes. Unacceptable outcomes (``sigma < 0``) are moved below ``d``, so no
    finite solver agrees on them and they never reach a hull's upper chain;
    ``wv`` are the veto players' weights, renormalised (None without ``w``).
    """
    V = list(neg.veto_players)
    dv = d[..., V]
    Uv = np.where((sigma >= 0)[..., None], U[..., V], dv[..., None, :] - 1.0)
    if w is None:
        return Uv, dv, None
    wv = w[..., V]
    return Uv, dv, wv / wv.sum(axis=-1, keepdims=True)


def _governed(neg, concept, d, w, method, grid, batch):
    """Veto players bargain over the acceptable outcomes (rule slack >= 0), by enumeration."""
    A = neg.agenda
    if method not in ("auto", "enumerate"):
        raise ValueError(
            "a negotiation with a decision rule, issue control or non-veto parties is solved "
            f"by enumeration (method='enumerate'), not {method!r}"
        )
    if A.continuous and grid is None:
        raise ValueError(
            "a negotiation with a decision rule, issue control or non-veto parties is solved "
            "over enumerated outcomes: put its continuous issues "
            f"{[A.names[k] for k in A.continuous]} on a grid (method='enumerate', grid=...)"
        )
    if not A.continuous and A.size > ENUM_LIMIT:
        raise ValueError(
            f"the agenda has {A.size} outcomes; a governed negotiation is enumerated, up to "
            f"{ENUM_LIMIT}"
        )
    V = list(neg.veto_players)
    if len(V) < 2:
        raise ValueError(
            f"the solution concepts bargain among the veto players; this negotiation has "
            f"{len(V)} ({[neg.names[i] for i in V]}): give at least two parties veto=True, "
            "or use bg.zopa for the acceptable set of a pure voting rule"
        )
    X = A.enumerate(grid)
    if X.shape[0] == 0:
        raise ValueError("no outcome of the agenda satisfies its constraints")
    U = np.broadcast_to(neg.coded_utilities(X), batch + X.shape[:1] + (neg.n,))
    sigma = neg.rule_slack(U, X, d)
    Uv, dv, wv = veto_points(neg, U, sigma, d, w)
    res = _core(concept, Uv, dv, wv)
    agreement = np.asarray(res.agreement)
    sel = np.where(agreement, res.index, np.argmax(sigma, axis=-1))
    chosen = np.take_along_axis(U, sel[..., None, None], axis=-2)[..., 0, :]
    utilities = np.where(agreement[..., None], chosen, d)
    status = np.where(agreement, 0, 1)
    return _result(
        neg,
        concept,
        "enumerate (acceptable outcomes)",
        X[sel],
        utilities,
        agreement,
        status,
        np.where(agreement, sel, -1),
    )


def _frontier(neg, concept, d, w, batch):
    A = neg.agenda
    if A.continuous:
        raise ValueError("method='frontier' needs an all-discrete agenda")
    if not neg.additive:
        raise ValueError("method='frontier' needs additive utilities for every party")
    contribs, groups = grouped_contributions(neg, batch)
    K = len(A)
    coded = np.empty(batch + (K,))
    U = np.empty(batch + (neg.n,))
    agreement = np.empty(batch, dtype=bool)
    index = np.full(batch, -1, dtype=np.int64)
    dims = [i.k for i in A.issues]
    for b in np.ndindex(*batch):
        F, codes = _combine.combine([c[b] for c in contribs])
        res = _core(concept, F, d[b], w[b])
        agreement[b] = bool(res.agreement)
        j = int(res.index) if res.agreement else int(_maxmin_index(F, d[b]))
        coded[b] = decode_groups(groups, codes[j], K)
        U[b] = res.utilities
        if res.agreement and A.size < 2**62:
            index[b] = np.ravel_multi_index(tuple(int(c) for c in coded[b]), dims)
    if A.option_constraints:
        # the index is the row of agenda.enumerate(), which drops the ruled-out packages:
        # the rank of the full-product index among the allowed packages' (C order)
        if A.size <= _RANK_LIMIT:
            allowed = np.ravel_multi_index(A.enumerate().astype(np.intp).T, dims)
            index = np.where(index >= 0, np.searchsorted(allowed, np.maximum(index, 0)), -1)
        else:
            index = np.full(batch, -1, dtype=np.int64)  # too many packages to rank
    status = np.where(agreement, 0, 1)
    return _result(neg, concept, "frontier", coded, U, agreement, status, index)


# -- continuous and mixed: exact ---------------------------------------------------


class _SepEngine:
    """Two-party separable problems, all combinations at once (flat batch ``B*M``)."""

    def __init__(self, neg, batch, combos, offsets):
        A = neg.agenda
        M = combos.shape[0]
        terms = []
        for k in A.continuous:
            pair = []
            for b in neg.bound:
                if k in b.terms:
                    v, W = b.terms[k]
                    Wf = np.repeat(np.broadcast_to(W, batch).ravel(), M)
                    pair.append((v._flat(batch, M), Wf))
                else:
                    pair.append(None)
            terms.append(pair)
        lo = [A.issues[k].lo for k in A.continuous]
        hi = [A.issues[k].hi for k in A.continuous]
        self.P = _separable.SeparableTwo(lo, hi, terms, offsets.reshape(-1, 2))
        self.ok = np.ones(self.P.B, dtype=bool)

    def cross(self, d, r):
        return _separable.cross(self.P, d, r)

    def nash(self, d, w, active):
        return _separable.nash(self.P, d, w)

    def utilitarian(self, d, w, active):
        return _separable.utilitarian(self.P, d, w)

    def ideal(self, d, active):
        return _separable.ideal(self.P, d)


class _ConvexEngine:
    """Convex programmes, one per (batch element, combination)."""

    def __init__(self, neg, batch, combos, offsets):

        A = neg.agenda
        B = int(np.prod(batch, dtype=np.int64))
        M = combos.shape[0]
        cont = list(A.continuous)
        col = {k: j for j, k in enumerate(cont)}
        Acon, lb, ub = A.constraint_matrix()
        Acon = Acon[:, cont]
        flat = []
        for b in neg.bound:
            party = []
            for k, (v, W) in b.terms.items():
                if k in col:
                    party.append((col[k], v._flat(batch), np.broadcast_to(W, batch).ravel()))
            flat.append(party)
        lo = [A.issues[k].lo for k in cont]
        hi = [A.issues[k].hi for k in cont]
        off = offsets.reshape(B * M, neg.n)
        self.probs = []
        for bi in range(B):
            terms = [[(j, v._take(bi), float(W[bi])) for j, v, W in party] for party in flat]
            for m in range(M):
                self.probs.append(Piece(lo, hi, terms, off[bi * M + m], Acon, lb, ub))
        self.K, self.n = len(cont), neg.n

    @property
    def ok(self):
        return np.array([p.ok for p in self.probs])

    def _each(self, fn, active=None):
        xs = np.zeros((len(self.probs), self.K))
        us = np.full((len(self.probs), self.n), -np.inf)
        for j, p in enumerate(self.probs):
            if active is not None and not active[j]:
                continue
            x, u = fn(j, p)
            if x is not None:
                xs[j], us[j] = x, u
        return xs, us

    def cross(self, d, r):
        def fn(j, p):
            x, u, _ = p.maxmin(d[j], r[j])
            return (x, u) if x is not None else (None, None)

        return self._each(fn)

    def nash(self, d, w, active):
        def fn(j, p):
            x, _ = p.nash(d[j], w[j])
            return (x, p.utilities(x)) if x is not None else (None, None)

        return self._each(fn, active)

    def utilitarian(self, d, w, active):
        return self._each(lambda j, p: p.utilitarian(d[j], w[j]), active)

    def ideal(self, d, active):
        a = np.full((len(self.probs), self.n), -np.inf)
        for j, p in enumerate(self.probs):
            if active[j]:
                a[j] = p.ideal(d[j])
        return a


def _exact(neg, concept, d, w, batch):
    check_exact(neg)
    A = neg.agenda
    n = neg.n
    combos = _combos(A)
    M = combos.shape[0]
    B = int(np.prod(batch, dtype=np.int64))
    offsets = np.broadcast_to(discrete_offsets(neg, combos, batch), batch + (M, n))
    separable = n == 2 and not A.constraints
    engine = (_SepEngine if separable else _ConvexEngine)(neg, batch, combos, offsets)
    df = np.repeat(d.reshape(B, n), M, axis=0)
    wf = np.repeat(w.reshape(B, n), M, axis=0)
    ones = np.ones_like(df)
    fast = concept == "nash" and separable and _separable.smooth(engine.P)
    if fast:
        # smooth values: Newton in issue space where the Nash point is interior, the
        # frontier method for the rest (and the max-min point only where it is needed)
        xn, un, xe, ue, strict_fast = _separable.nash_fast(engine.P, df, wf)
    else:
        # 1. the point with the largest smallest gain: agreement, and the fallback outcome
        xe, ue = engine.cross(df, ones)
    with np.errstate(invalid="ignore"):
        ge = np.min(ue - df, axis=-1)
    ge = np.where(np.isfinite(ge), ge, -np.inf)
    scale = 1e-12 * (1.0 + np.max(np.abs(np.where(np.isfinite(ue), ue, 0.0)), axis=-1))
    strict = ge > 0 if not fast else strict_fast
    weak = ge >= -scale if not separable else ge >= 0
    # 2. the concept, for each combination
    if concept == "nash":
        x, u = (xn, un) if fast else engine.nash(df, wf, strict)
        with np.errstate(divide="ignore", invalid="ignore"):
            score = np.sum(wf * np.log(np.maximum(u - df, 0.0)), axis=-1)
        score = np.where(strict & np.isfinite(score), score, -np.inf)
        sel = np.argmax(score.reshape(B, M), axis=-1)
    elif concept == "utilitarian":
        x, u = engine.utilitarian(df, wf, weak)
        score = np.where(weak, np.sum(wf * np.where(np.isfinite(u), u, 0.0), axis=-1), -np.inf)
        sel = np.argmax(score.reshape(B, M), axis=-1)
    else:
        if concept == "kalai_smorodinsky":
            a = engine.ideal(df, weak)
            a = np.where(weak[:, None], a, -np.inf).reshape(B, M, n).max(axis=1)
            r = a - d.reshape(B, n)
            r = np.where(np.isfinite(r) & (r > 0), r, 1.0)
            rf = np.repeat(r, M, axis=0)
        else:
            rf = wf
        x, u = engine.cross(df, rf)
        G = (np.where(np.isfinite(u), u, -np.inf) - df) / rf
        sel = _points.leximin(G.reshape(B, M, n), weak.reshape(B, M))
    agreement = np.any(strict.reshape(B, M), axis=-1)
    sel = np.where(agreement, sel, np.argmax(ge.reshape(B, M), axis=-1))
    rows = np.arange(B) * M + sel
    xc = np.where(agreement[:, None], x[rows], xe[rows])
    coded = np.empty((B, len(A)))
    coded[:, list(A.continuous)] = xc
    if A.discrete:
        coded[:, list(A.discrete)] = combos[sel]
    coded = coded.reshape(batch + (len(A),))
    utilities = neg.aligned_utilities(coded)
    utilities = np.where(agreement.reshape(batch)[..., None], utilities, d)
    ok = np.asarray(engine.ok).reshape(B, M).all(axis=-1)
    status = np.where(ok, np.where(agreement, 0, 1), -2).reshape(batch)
    method = "exact (root-finding)" if separable else "exact (convex programme)"
    return _result(neg, concept, method, coded, utilities, agreement.reshape(batch), status)
