"""Helpers over a negotiation's additive utilities, shared by the issue-space engines.

The discrete issues' options enumerate as *combinations*; for each, the
discrete issues contribute a constant utility (the *offset*) to every party,
and the continuous issues are a sub-problem of their own.
"""

from __future__ import annotations

import numpy as np

from ._agenda import option_combinations_of
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
    """Coded combinations ``(M, Kd)`` of the discrete issues (C order), the allowed ones."""
    combos = option_combinations_of(A)
    if A.option_constraints:
        combos = combos[A.feasible_options(combos)]
    return combos


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


def coupled_groups(A):
    """Groups of discrete issues coupled by option constraints, and their allowed options.

    Returns a list, in agenda order of each group's first issue, of
    ``(positions, combos)``: the issues' positions (ascending) and the allowed
    combinations of their options ``(M_g, len(positions))`` in C order. An
    issue no constraint touches is a group of its own with all its options.
    """
    parent = {k: k for k in A.discrete}

    def root(k):
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for pos, _ in A._masks:
        for k in pos[1:]:
            parent[root(k)] = root(pos[0])
    members: dict = {}
    for k in A.discrete:
        members.setdefault(root(k), []).append(k)
    groups = []
    for pos in sorted(members.values()):
        dims = [A.issues[k].k for k in pos]
        combos = np.indices(dims).reshape(len(dims), -1).T
        ok = np.ones(len(combos), dtype=bool)
        for cpos, allowed in A._masks:
            if set(cpos) <= set(pos):
                ok &= allowed[tuple(combos[:, pos.index(k)] for k in cpos)]
        groups.append((tuple(pos), combos[ok]))
    return groups


def grouped_contributions(neg, batch):
    """Per-group contributions ``batch + (M_g, n)`` of an all-discrete additive negotiation.

    Each group of coupled issues (:func:`coupled_groups`) becomes one compound
    issue whose options are its allowed combinations; its contribution is the
    sum of its members'. Returns ``(contributions, groups)``; ``decode(codes)``
    of :func:`decode_groups` maps group codes back to per-issue options.
    """
    per_issue = discrete_contributions(neg, batch)
    groups = coupled_groups(neg.agenda)
    out = []
    for pos, combos in groups:
        total = 0.0
        for j, k in enumerate(pos):
            total = total + np.take(per_issue[k], combos[:, j], axis=-2)
        out.append(np.asarray(total))
    return out, groups


def decode_groups(groups, codes, K):
    """Per-issue option codes ``(N, K)`` from group codes ``(N, G)``."""
    codes = np.asarray(codes, dtype=np.intp)
    out = np.empty(codes.shape[:-1] + (K,))
    for g, (pos, combos) in enumerate(groups):
        out[..., list(pos)] = combos[codes[..., g]]
    return out
