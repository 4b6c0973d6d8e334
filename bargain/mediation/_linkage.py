r"""Agenda and linkage: which packages of issues have a ZOPA (logrolling)."""

from __future__ import annotations

import itertools

import numpy as np

from .._core._result import Result
from ..issues._negotiation import Negotiation
from ..issues._utility import AdditiveUtility
from ..issues._values import Linear, Table
from ._leverage import _check_negotiation

__all__ = ["linkage"]

MAX_ISSUES = 12


def _status_quo(neg, status_quo):
    # the no-deal state need not be a package that could be signed
    return neg.agenda.encode_reference(status_quo, "status_quo")


def _vectorisable(neg):
    return (
        all(
            b.additive and all(isinstance(v, (Linear, Table)) for v, _ in b.terms.values())
            for b in neg.bound
        )
        and not neg.batch_shape
    )


def _masked_negotiation(neg, masks, sq):
    """One batched negotiation: issue k is negotiable where masks[:, k], else fixed at sq."""
    A = neg.agenda
    parties = []
    for i, p in enumerate(neg.parties):
        b = neg.bound[i]
        values, weights = {}, {}
        for k, (v, w) in b.terms.items():
            m = masks[:, k].astype(float)
            fixed = float(b.contribution(k, np.array(sq[k])))
            if isinstance(v, Table):
                tab = np.asarray(v.params["values"]) * float(w)
                values[A.names[k]] = Table(m[:, None] * tab + (1 - m)[:, None] * fixed)
            else:
                s, c = float(v.params["slope"]) * float(w), float(v.params["intercept"]) * float(w)
                values[A.names[k]] = Linear(m * s, m * c + (1 - m) * fixed)
            weights[A.names[k]] = np.ones(())
        if not values:
            values = {A.names[0]: Linear(0.0, 0.0)}
            weights = {A.names[0]: np.ones(())}
        util = AdditiveUtility(values, weights)
        parties.append(p.replace(utility=util))
    return neg.replace(parties=parties)


def _induced_constraints(A, package, sq):
    """Option constraints on the issues of ``package`` with the others at the status quo.

    A constraint over issues ``P`` becomes, with the issues outside the package
    fixed at their status-quo options, a list of forbidden combinations of
    the package's issues in ``P`` (a combination is forbidden when the
    constraint's mask rules it out together with the fixed options).
    """
    from ..issues._agenda import Forbidden

    inside = set(package)
    out = []
    for pos, allowed in A._masks:
        free = [k for k in pos if k in inside]
        if not free:
            continue  # the status quo decides it; no choice in the package is affected
        index = tuple(slice(None) if k in inside else int(sq[k]) for k in pos)
        sub = allowed[index]  # axes: the free issues, in `pos` order
        for combo in zip(*np.nonzero(~sub), strict=True):
            out.append(
                Forbidden(
                    {
                        A.names[k]: A.issues[k].options[int(o)]
                        for k, o in zip(free, combo, strict=True)
                    }
                )
            )
    return out


def linkage(negotiation, status_quo, /, *, max_issues=MAX_ISSUES) -> Result:
    r"""ZOPA of every package of issues, the others left at their no-deal values.

    Parameters
    ----------
    negotiation : Negotiation
        Unbatched, additive utilities.
    status_quo : mapping
        Issue name -> its value (option label for discrete issues) if it is
        not part of the deal.
    max_issues : int, default 12
        Largest agenda accepted (``2**K - 1`` packages).

    Returns
    -------
    res : Result
        ``packages`` (tuple of tuples of issue names, by size then agenda
        order), ``mask`` (P, K), ``slack`` (P,), ``open`` (P,),
        ``single`` (K,) whether each issue alone has a ZOPA,
        ``linkages``: open packages none of whose issues has a ZOPA alone
        (logrolling creates the deal), ``minimal``: open packages with no
        open proper sub-package, ``full_open``, ``verdict`` one of
        ``"settlement"`` (the full package has a ZOPA), ``"partial"`` (only
        smaller packages do: a ceasefire-style or symbolic deal),
        ``"frozen"`` (no package does), ``method``.

    Notes
    -----
    A package :math:`P \subseteq K` fixes :math:`x_k = \bar x_k` for
    :math:`k \notin P`; its slack is
    :math:`\max_{x_P} \min_i (u_i(x_P, \bar x_{-P}) - r_i)` (see
    :func:`bargain.zopa`). With linear and table value functions all
    packages are solved in one batched ZOPA call: issue ``k`` outside the
    package gets the constant value function :math:`w_k v_k(\bar x_k)`.
    Otherwise each package is a separate ZOPA of the sub-agenda.

    References
    ----------
    .. [1] H. Raiffa, *The Art and Science of Negotiation*, Harvard
       University Press, 1982, Part III (many issues: logrolling).
    .. [2] J. K. Sebenius, "Negotiation arithmetic: adding and subtracting
       issues and parties", International Organization 37(2):281-316, 1983.

    Examples
    --------
    A cares about ``x``, B about ``y``; each needs 0.6. Neither issue alone
    gives both their reservation, the package does:

    >>> import bargain as bg
    >>> ag = bg.Agenda(bg.ContinuousIssue("x"), bg.ContinuousIssue("y"))
    >>> a = bg.Party("A", bg.AdditiveUtility({"x": bg.Linear(), "y": bg.Linear()},
    ...                                      [0.8, 0.2]), 0.6)
    >>> b = bg.Party("B", bg.AdditiveUtility({"x": bg.Linear(-1, 1), "y": bg.Linear(-1, 1)},
    ...                                      [0.2, 0.8]), 0.6)
    >>> res = bg.linkage(bg.Negotiation(ag, [a, b]), {"x": 0.0, "y": 1.0})
    >>> res.packages, res.open, res.verdict
    ((('x',), ('y',), ('x', 'y')), array([False, False,  True]), 'settlement')
    >>> res.linkages
    (('x', 'y'),)
    """
    from ..zopa._zopa import zopa

    neg = _check_negotiation(negotiation)
    K = len(neg.agenda)
    if isinstance(max_issues, bool) or not isinstance(max_issues, int) or max_issues < 1:
        raise ValueError(f"`max_issues` must be a positive integer, got {max_issues!r}")
    if K > max_issues:
        raise ValueError(f"the agenda has {K} issues, more than `max_issues` = {max_issues}")
    if neg.batch_shape:
        raise ValueError(f"linkage needs an unbatched negotiation, got {neg.batch_shape}")
    if neg.governed:
        raise ValueError(
            "linkage splits the agenda into sub-negotiations among all parties; a negotiation "
            "with a decision rule, issue control or non-veto parties is not split this way "
            "(solve it whole: bg.zopa, bg.nash)"
        )
    for i, b in enumerate(neg.bound):
        if not b.additive:
            raise ValueError(f"linkage needs additive utilities; party {neg.names[i]!r}")
    sq = _status_quo(neg, status_quo)
    subsets = [c for size in range(1, K + 1) for c in itertools.combinations(range(K), size)]
    masks = np.zeros((len(subsets), K), dtype=bool)
    for p, c in enumerate(subsets):
        masks[p, list(c)] = True
    if _vectorisable(neg) and not neg.agenda.option_constraints:
        slack = np.asarray(zopa(_masked_negotiation(neg, masks, sq)).slack, dtype=float)
        method = "batched"
    else:
        slack = np.empty(len(subsets))
        A = neg.agenda
        for p, c in enumerate(subsets):
            parties = []
            for i, party in enumerate(neg.parties):
                b = neg.bound[i]
                fixed = sum(
                    float(b.contribution(k, np.array(sq[k]))) for k in b.terms if k not in c
                )
                vals = {A.names[k]: b.terms[k][0] for k in c if k in b.terms}
                wts = {A.names[k]: b.terms[k][1] for k in c if k in b.terms}
                if not vals:
                    vals, wts = {A.names[c[0]]: Linear(0.0, 0.0)}, {A.names[c[0]]: 1.0}
                parties.append(
                    party.replace(
                        utility=AdditiveUtility(vals, wts), reservation=party.reservation - fixed
                    )
                )
            from ..issues._agenda import Agenda

            cons = _induced_constraints(A, c, sq)
            sub = Negotiation(Agenda(*(A.issues[k] for k in c), constraints=cons), parties)
            slack[p] = float(zopa(sub).slack)
        method = "per package"
    is_open = slack >= 0
    single = np.array([is_open[k] for k in range(K)])
    names = neg.agenda.names
    packages = tuple(tuple(names[k] for k in c) for c in subsets)
    linkages = tuple(
        packages[p]
        for p, c in enumerate(subsets)
        if is_open[p] and len(c) > 1 and not any(single[k] for k in c)
    )
    index = {c: p for p, c in enumerate(subsets)}
    minimal = []
    for p, c in enumerate(subsets):
        if not is_open[p]:
            continue
        subs = [s for size in range(1, len(c)) for s in itertools.combinations(c, size)]
        if not any(is_open[index[s]] for s in subs):
            minimal.append(packages[p])
    full_open = bool(is_open[-1])
    verdict = "settlement" if full_open else ("partial" if is_open.any() else "frozen")
    return Result(
        packages=packages,
        mask=masks,
        slack=slack,
        open=is_open,
        single=single,
        linkages=linkages,
        minimal=tuple(minimal),
        full_open=full_open,
        verdict=verdict,
        method=method,
    )
