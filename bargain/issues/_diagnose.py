"""Why there is no agreement: causes that can be named, for the messages of empty results.

A negotiation without agreement is often simply a negotiation whose parties want
incompatible things. Two causes are mistakes in the model rather than findings,
and the solvers' messages name them:

- the agenda's linear constraints leave no outcome at all (a bound beyond what
  the issues' ranges allow, or constraints that contradict each other);
- a party's reservation value is above the most any outcome gives it, so it
  accepts nothing whatever the others concede.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["utility_range", "why_no_agreement"]

_GRID_LIMIT = 2**16  # outcomes evaluated to find each party's best utility


def _constraint_cause(A) -> str:
    if not A.constraints:
        return ""
    M, lb, ub = A.constraint_matrix()
    lo = np.array([issue.bounds[0] if not issue.discrete else 0.0 for issue in A.issues])
    hi = np.array([issue.bounds[1] if not issue.discrete else 0.0 for issue in A.issues])
    top = np.maximum(M * lo, M * hi).sum(axis=1)
    bottom = np.minimum(M * lo, M * hi).sum(axis=1)
    for r, c in enumerate(A.constraints):
        tol = 1e-9 * (1.0 + abs(top[r]) + abs(bottom[r]))
        if lb[r] > top[r] + tol:
            return (
                f"constraint {c!r} needs at least {lb[r]:g}, but the issues' ranges allow at "
                f"most {top[r]:g}: no outcome meets it"
            )
        if ub[r] < bottom[r] - tol:
            return (
                f"constraint {c!r} allows at most {ub[r]:g}, but the issues' ranges give at "
                f"least {bottom[r]:g}: no outcome meets it"
            )
    from scipy.optimize import linprog

    cols = list(A.continuous)
    rows_ub, b_ub = [], []
    for r in range(len(A.constraints)):
        if math.isfinite(ub[r]):
            rows_ub.append(M[r, cols])
            b_ub.append(ub[r])
        if math.isfinite(lb[r]):
            rows_ub.append(-M[r, cols])
            b_ub.append(-lb[r])
    res = linprog(
        np.zeros(len(cols)),
        A_ub=np.array(rows_ub) if rows_ub else None,
        b_ub=np.array(b_ub) if b_ub else None,
        bounds=[(lo[k], hi[k]) for k in cols],
        method="highs",
    )
    if res.status == 2:
        return "the agenda's linear constraints contradict each other: no outcome meets them all"
    return ""


def utility_range(neg):
    """Each party's least and greatest utility over the agenda's outcomes, or ``None``.

    Divisible issues are on a grid (2 to 257 points each, at most 65,536 outcomes in
    all); an all-discrete agenda is enumerated up to 262,144 outcomes. ``None`` for
    a batched negotiation, a larger agenda, or one without outcomes.

    Examples
    --------
    >>> import bargain as bg
    >>> from bargain.issues._diagnose import utility_range
    >>> lo, hi = utility_range(bg.load_model("good_friday_1998").negotiation)
    >>> lo.shape, bool((lo <= hi).all())
    ((2,), True)
    """
    A = neg.agenda
    if neg.batch_shape:
        return None
    grid = None
    if A.continuous:
        grid = int(min(257, (_GRID_LIMIT / A.size) ** (1.0 / len(A.continuous))))
        if grid < 2:
            return None
    elif A.size > 4 * _GRID_LIMIT:
        return None
    X = A.enumerate(grid=grid)
    if not len(X):
        return None
    U = neg.coded_utilities(X)
    return U.min(axis=0), U.max(axis=0)


def _reservation_cause(neg, d) -> str:
    ranges = utility_range(neg)
    if ranges is None:
        return ""
    best = ranges[1]
    where = "" if not neg.agenda.continuous else " (on a grid of the divisible issues)"
    for i, name in enumerate(neg.names):
        scale = 1e-9 * (1.0 + abs(best[i]))
        if d[i] > best[i] + scale:
            return (
                f"party {name!r} needs {d[i]:g} (its reservation value) but no outcome gives it "
                f"more than {best[i]:.6g}{where}: it accepts nothing"
            )
    return ""


def why_no_agreement(neg, d) -> str:
    """A cause of an empty result that is a mistake in the model, or ``""``.

    Parameters
    ----------
    neg : Negotiation
        An unbatched negotiation.
    d : array_like, shape (n,)
        The disagreement point used.

    Examples
    --------
    >>> import bargain as bg
    >>> from bargain.issues._diagnose import why_no_agreement
    >>> A = bg.Agenda(bg.ContinuousIssue("x"))
    >>> a = bg.Party("A", bg.AdditiveUtility({"x": bg.Linear()}), reservation=1.5)
    >>> b = bg.Party("B", bg.AdditiveUtility({"x": bg.Linear(-1.0, 1.0)}))
    >>> why = why_no_agreement(bg.Negotiation(A, [a, b]), [1.5, 0.0])
    >>> why.split(" (on a grid")[0]
    "party 'A' needs 1.5 (its reservation value) but no outcome gives it more than 1"
    """
    if neg.batch_shape:
        return ""
    d = np.asarray(d, dtype=float).reshape(-1)
    try:
        return _constraint_cause(neg.agenda) or _reservation_cause(neg, d)
    except (ValueError, TypeError, np.linalg.LinAlgError):  # a diagnosis never fails a solve
        return ""
