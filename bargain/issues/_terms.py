"""Helpers over a negotiation's additive utilities, shared by the issue-space engines.

The discrete issues' options enumerate as *combinations*; for each, the
discrete issues contribute a constant utility (the *offset*) to every party,
and the continuous issues are a sub-problem of their own.
"""

from __future__ import annotations

import numpy as np

from ._values import check_concave

__all__: list[str] = []


def check_exact(neg, where="method='exact'", needs=None):
    """Check that the exact continuous engines apply: additive, concave utilities.

    Raises ``ValueError`` naming the party (and issue) and what ``where``
    ``needs`` (by default: additive utilities, or enumeration on a grid).
    """
    A = neg.agenda
    needs = needs or f"{where} needs additive utilities; use method='enumerate' with a grid"
    for p, b in zip(neg.parties, neg.bound, strict=True):
        if not b.additive:
            raise ValueError(f"party {p.name!r} has a custom (non-additive) utility: {needs}")
        for k, (v, _) in b.terms.items():
            if not A.issues[k].discrete:
                check_concave(
                    v, A.issues[k].lo, A.issues[k].hi, f"party {p.name!r}, issue {A.names[k]!r}: "
                )


def option_combinations(A):
    """Coded combinations ``(M, Kd)`` of the discrete issues (C order)."""
    dims = [A.issues[k].k for k in A.discrete]
    if not dims:
        return np.zeros((1, 0))
    return np.indices(dims).reshape(len(dims), -1).T.astype(float)


def discrete_offsets(neg, combos, batch):
    """Utility from the discrete issues, ``batch + (M, n)``."""
    A = neg.agenda
    M = combos.shape[0]
    out = np.zeros(batch + (M, neg.n))
    for i, b in enumerate(neg.bound):
        total = np.zeros(batch + (M,))
        for j, k in enumerate(A.discrete):
            if k in b.terms:
                total = total + b.contribution(k, combos[:, j])
        out[..., i] = total
    return out


def discrete_contributions(neg, batch):
    """Per-issue contributions ``batch + (k_j, n)`` of an all-discrete additive negotiation."""
    A = neg.agenda
    out = []
    for k in range(len(A)):
        opts = np.arange(A.issues[k].k, dtype=float)
        cols = []
        for b in neg.bound:
            if k in b.terms:
                cols.append(np.broadcast_to(b.contribution(k, opts), batch + opts.shape))
            else:
                cols.append(np.zeros(batch + opts.shape))
        out.append(np.stack(cols, axis=-1))
    return out
