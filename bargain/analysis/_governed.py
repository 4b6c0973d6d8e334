r"""The sweep on a governed all-discrete negotiation: party by party, in cache-sized blocks.

A governed negotiation (a decision rule, issue control, parties without a
veto) is solved over its acceptable packages, so every draw of a sweep needs
the rule slack :math:`\sigma(x)` of every package (see
:mod:`bargain.issues._rules`), and with it the ZOPA slack
:math:`\max_x \sigma(x)`, the veto players' Nash bargain over
:math:`\{x : \sigma(x) \ge 0\}` (for the Nash and the frequent-offer
weights), their alternating-offers SPE on the hull of that set, and the
typology of a ceasefire. :func:`governed_columns` computes the same numbers
as the public functions (``bg.zopa``, ``Negotiation.solve``,
``bg.rubinstein(..., hull=True)``, ``bg.typology``), with the same
floating-point operations in the same order, so the same packages win the
same ties; only the layout and the blocking differ:

- Utilities are stored party by party, ``U_i`` of shape ``(b, N)`` for a
  block of ``b`` draws, with ``b N`` about :data:`_BLOCK_ELEMENTS`: a
  party's array (1 MiB) stays in the core's L2 cache, and the block's work
  arrays are reused from block to block (:class:`_Arena`). Each party's utility is the
  sum ``0 + c_0 + c_1 + ...`` of its option contributions in agenda order,
  the sum :meth:`BoundAdditive.evaluate` forms: issues over which the
  packages form a full product are added by broadcasting, the others over
  their option grid and read off at the packages (see :class:`_Utilities`).
- The decision rule enters through its *minimal winning coalitions*. For a
  monotone rule the rule's term
  :math:`\max\{t : \{i : s_i \ge t\}\ \text{wins}\}` equals
  :math:`\max_{C} \min_{i \in C} s_i` over the minimal winning coalitions
  :math:`C`: the set :math:`\{i : s_i \ge \min_C s\}` contains :math:`C`,
  so it wins, and conversely the top-:math:`k` set that wins is a
  coalition. A handful of element-wise minima and maxima replace two sorts
  of the ``(b, N, n)`` surpluses. A rule that is not monotone is evaluated
  as :func:`bargain.issues._rules.rule_slack` does.
- Every solution lies among the acceptable packages (:math:`\sigma \ge 0`,
  about 16% of the 1,782 packages of ``ukraine_russia``), so after the slack
  the engine keeps only those, as flat (draw, package) pairs, and reduces
  per draw with ``reduceat`` (first maximisers, as ``argmax``).
- The veto players' Nash scores use one logarithm per veto player and
  package, shared by both weight vectors; equal weights use the product of
  the gains, as :func:`bargain.utility._points.nash_index`.
- The hull's Pareto chain is found among its candidates only: the points in
  the box of the chain's ends on or above the polyline through the ends and
  the Nash package (:func:`_chain_candidates`), typically 9 packages. The
  alternating-offers game is then solved on them, the draws grouped by their
  number of candidates.
- The typology's slack against the ceasefire is computed only for the draws
  where the ceasefire itself is acceptable; elsewhere every acceptable
  package improves on it.
"""

from __future__ import annotations

import math

import numpy as np

__all__: list[str] = []

# (draw, package) pairs per block: a party's array stays in L2; on ukraine_russia 2**17
# ran 4% faster than 2**16 (per-block overhead) and 2**18 2% slower again
_BLOCK_ELEMENTS = 2**17
_TOL = 1e-12  # the typology's strict-improvement tolerance (bargain.mediation._typology)


class _Arena:
    """Named work arrays reused from block to block.

    A block's arrays are a few hundred KiB to a few MiB each; allocated afresh
    per block, the allocator hands most of them back to the system and the next
    block faults its pages in again (a sixth of the sweep's time went to the
    kernel). ``get`` returns a C-contiguous view of a buffer kept per name,
    grown as needed; an array got under a name is valid until that name is got
    again.
    """

    def __init__(self):
        self._buffers: dict[str, np.ndarray] = {}

    def get(self, name, shape, dtype=float):
        size = math.prod(shape)
        buf = self._buffers.get(name)
        if buf is None or buf.dtype != dtype or buf.size < size:
            buf = self._buffers[name] = np.empty(size, dtype=dtype)
        return buf[:size].reshape(shape)


def _fresh(name, shape):
    """A new array, where no :class:`_Arena` is given (as ``_Arena.get``)."""
    return np.empty(shape)


def minimal_winning(bound_rule, n: int):
    """The rule's minimal winning coalitions as index tuples, or ``None`` if it is not monotone.

    Every non-empty coalition of the ``n`` parties is tried (``n <= 16``);
    ``None`` also when there are more parties than that.
    """
    if n > 16:
        return None
    masks = np.array([[(c >> i) & 1 for i in range(n)] for c in range(1, 2**n)], dtype=bool)
    wins = np.asarray(bound_rule.winning(masks), dtype=bool)
    won = {c for c, w in zip(range(1, 2**n), wins, strict=True) if w}
    minimal = []
    for c in sorted(won):
        for i in range(n):  # monotone: every superset of a winning coalition wins
            if not (c >> i) & 1 and (c | (1 << i)) not in won:
                return None
        if not any(c & ~(1 << i) in won for i in range(n) if (c >> i) & 1):
            minimal.append(tuple(i for i in range(n) if (c >> i) & 1))
    return minimal


class _Utilities:
    """The parties' utilities of the packages for blocks of draws: ``(n, b, N)``.

    Each utility is the sum ``0 + c_0 + c_1 + ...`` of the issues' option
    contributions in agenda order, as :meth:`BoundAdditive.evaluate` forms it.
    Where the last issues range freely (each over the options it allows, the
    packages their full product in C order after the earlier issues), they are
    added by broadcasting, the last innermost, over the *prefix packages* (the
    distinct values of the earlier issues). Of the prefix, the first ``j``
    issues' sums are built over their option grid (each issue's options as the
    outer axis: one contiguous broadcast add per issue, and addition commutes
    exactly) and read off at the prefix packages; each later prefix issue's
    table is gathered there and added. ``j`` is chosen to write the fewest
    values: the grid's partial products plus two passes over the prefix
    packages per later issue. Utilities that are not
    additive are evaluated once for the whole batch
    (:meth:`Negotiation.coded_utilities`) and read block by block.
    """

    def __init__(self, neg, X, batch):
        A = neg.agenda
        self.N, self.B, self.n = X.shape[0], batch[0], neg.n
        self.U = None
        if not neg.additive or A.continuous:  # evaluated once for the whole batch
            self.U = np.moveaxis(
                np.broadcast_to(neg.coded_utilities(X), batch + X.shape[:1] + (neg.n,)), -1, 0
            )
            return
        self.sizes = tuple(issue.k for issue in A.issues)
        K, N = len(self.sizes), X.shape[0]
        codes = [X[:, k].astype(np.intp) for k in range(K)]
        # the longest suffix of issues over which the packages form a full product in C
        # order: (prefix packages) x options_s x ... x options_K-1 (the options each such
        # issue allows); those issues are added by broadcasting, with no gather
        self.s, self.allowed = K, []
        for s in range(K - 1, -1, -1):
            allowed = [np.unique(codes[k]) for k in range(s, K)]
            M = math.prod(len(o) for o in allowed)
            if N % M:
                break
            tail = np.stack(np.meshgrid(*allowed, indexing="ij"), axis=-1).reshape(M, -1)
            if not (
                np.array_equal(X[:, s:], np.tile(tail, (N // M, 1)))
                and np.array_equal(X[:, :s], np.repeat(X[::M, :s], M, axis=0))
            ):
                break
            self.s, self.allowed = s, allowed
        M = math.prod(len(o) for o in self.allowed)
        prefix = [c[::M] for c in codes[: self.s]]  # the prefix packages, (Q,) per issue
        Q = N // M
        # the prefix: its first j issues' sums over their option grid, read off at the
        # prefix packages; its later issues gathered there
        best, self.j = math.inf, 0
        built, size = 0, 1
        for j in range(1, self.s + 1):
            size *= self.sizes[j - 1]
            built += size
            cost = built + Q + 2 * Q * (self.s - j)
            if cost < best:
                best, self.j = cost, j
        # a prefix's place in the grid: the j-th issue outermost, the first innermost
        self.flat = (
            np.ravel_multi_index(prefix[: self.j][::-1], self.sizes[: self.j][::-1])
            if self.j
            else np.zeros(Q, dtype=np.intp)
        )
        self.codes = prefix
        # (n, B, k) per issue: every party's option contributions (0 without a term)
        self.tables = []
        for k in range(K):
            t = np.zeros((neg.n, self.B, self.sizes[k]))
            for i, b in enumerate(neg.bound):
                if k in b.terms:
                    t[i] = b.contribution(k, np.arange(self.sizes[k], dtype=float))
            self.tables.append(t)

    def block(self, rows, arena=None):
        """Every party's utilities for the draws ``rows`` (a slice): ``(n, b, N)``.

        With an :class:`_Arena`, the result and the partial sums live in its
        buffers ``"U"`` and ``"U0"``, ``"U1"``, ...
        """
        if self.U is not None:
            return np.ascontiguousarray(self.U[:, rows])
        get = arena.get if arena is not None else _fresh
        b = len(range(*rows.indices(self.B)))
        m = self.n * b
        grid = np.zeros((m, 1))
        for t in self.tables[: self.j]:
            c = t[:, rows].reshape(m, -1)
            grid = (c[:, :, None] + grid[:, None, :]).reshape(m, -1)
        steps = len(self.tables) - self.s
        first = get("U" if not steps else "U0", (m, len(self.flat)))
        total = np.take(grid, self.flat, axis=-1, out=first, mode="clip")
        for t, code in zip(self.tables[self.j : self.s], self.codes[self.j :], strict=True):
            total += np.take(t[:, rows].reshape(m, -1), code, axis=-1)
        for step, (t, opts) in enumerate(zip(self.tables[self.s :], self.allowed, strict=True)):
            c = t[:, rows][..., opts].reshape(m, -1)
            # one long strided add per option (a broadcast add over the short last
            # axis would run its inner loop over the options)
            name = "U" if step == steps - 1 else f"U{(step + 1) % 2}"
            out = get(name, (m, total.shape[1], len(opts)))
            for o in range(len(opts)):
                np.add(total, c[:, o : o + 1], out=out[:, :, o])
            total = out.reshape(m, -1)
        return total.reshape(self.n, b, self.N)


def _rule_slack(neg, S, extra, vetoes, coalitions, X, arena=None):
    """The rule slack from the surpluses ``S`` (list of (b, N)), party by party.

    ``extra`` (N, n): which controllers a package needs; ``coalitions``: the
    minimal winning coalitions (``None`` without a rule, ``False`` for a rule
    that is not monotone). With an :class:`_Arena`, the result and the work
    arrays live in its buffers ``"sigma"``, ``"win"`` and ``"meet"``.
    """
    n, shape = len(S), S[0].shape
    get = arena.get if arena is not None else _fresh
    req, owned = None, False  # owned: req is a fresh array, safe to update in place
    for i in range(n):
        if vetoes[i]:
            if req is None:
                req = S[i]
            elif owned:
                np.minimum(req, S[i], out=req)
            else:
                req, owned = np.minimum(req, S[i], out=get("sigma", shape)), True
    if req is None:
        req, owned = get("sigma", shape), True
        req.fill(np.inf)
    for i in range(n):
        if not vetoes[i] and extra[:, i].any():
            if not owned:
                buf = get("sigma", shape)
                np.copyto(buf, req)
                req, owned = buf, True
            # the controller's surplus where it is needed, +inf elsewhere: a masked
            # minimum (``where=``) runs many times slower. Exact for finite surpluses
            # (a model's numbers are checked finite): max(s, -inf) = s, max(s, inf) = inf
            need = np.where(extra[:, i], -np.inf, np.inf)
            np.minimum(req, np.maximum(S[i], need, out=get("meet", shape)), out=req)
    if coalitions is None:
        return req if owned else req.copy()
    if coalitions is False:  # not monotone: sort the surpluses, as rule_slack does
        from ..issues._rules import rule_slack

        stacked = np.stack(S, axis=-1)  # (..., N', n)
        return rule_slack(neg, stacked, X, np.zeros(stacked.shape[:-2] + (n,)))
    win = get("win", shape)
    win.fill(-np.inf)
    meet = get("meet", shape)
    for C in coalitions:
        if len(C) == 1:
            np.maximum(win, S[C[0]], out=win)
            continue
        np.minimum(S[C[0]], S[C[1]], out=meet)
        for i in C[2:]:
            np.minimum(meet, S[i], out=meet)
        np.maximum(win, meet, out=win)
    return np.minimum(req, win, out=req if owned else get("sigma", shape))


def governed_columns(neg, concepts, d, a, b, ceasefire=None, tick=None):
    """The sweep's columns of a governed all-discrete additive negotiation.

    The columns of :func:`bargain.analysis._sweep.evaluate`, with the values
    the public functions give one draw at a time (see the module docstring);
    ``tick(k)`` is called as blocks of ``k`` draws finish.
    """
    from .._core._validate import as_weights
    from ..issues._rules import controllers_needed

    A = neg.agenda
    X = A.enumerate()
    N, n, B = X.shape[0], neg.n, int(b[0])
    utils = _Utilities(neg, X, b)
    vetoes = np.asarray(neg.vetoes, dtype=bool)
    extra = controllers_needed(neg, X)  # (N, n): the controllers a package needs
    coalitions = None
    if neg.bound_rule is not None:
        found = minimal_winning(neg.bound_rule, n)
        coalitions = False if found is None else found
    V = list(neg.veto_players)
    nv = len(V)
    weights = []
    for _, w in concepts:
        wv = np.broadcast_to(w, b + (n,))[..., V]
        wv = as_weights(wv / wv.sum(axis=-1, keepdims=True), nv)
        wv = np.broadcast_to(wv, b + (nv,))
        # equal weights maximise the product of the gains, as nash_index does
        weights.append((wv, np.all(wv == wv[..., :1], axis=-1)))
    dv = d[..., V]
    av = np.broadcast_to(a[..., V], b + (nv,))
    game = nv == 2 and bool(np.all(np.any(av < 1, axis=-1)))
    cf = None
    if ceasefire is not None:
        c = A.encode_reference(ceasefire.outcome, "ceasefire")
        uc = np.broadcast_to(neg.coded_utilities(c[None, :])[..., 0, :], b + (n,))
        cf_slack = neg.rule_slack(uc[..., None, :], c[None, :], d)[..., 0]
        kc = [A.position(k) for k in ceasefire.core]
        kf = [k for k in range(len(A)) if k not in kc]
        full = np.any(X[:, kc] != c[kc], axis=-1)
        frame = ~full & (np.any(X[:, kf] != c[kf], axis=-1) if kf else np.zeros(N, bool))
        cf = (uc, cf_slack >= 0, full, frame)

    slack = np.empty(B)
    best = np.empty(B, dtype=np.intp)
    index = [np.empty(B, dtype=np.intp) for _ in concepts]
    agree = [np.empty(B, dtype=bool) for _ in concepts]
    chosen = [np.empty((B, n)) for _ in concepts]
    code = np.empty(B, dtype=np.int64)
    hull_points = []
    rows_per = max(1, _BLOCK_ELEMENTS // N)
    arena = _Arena()
    for start in range(0, B, rows_per):
        rows = slice(start, min(start + rows_per, B))
        U = utils.block(rows, arena)  # (n, b, N)
        # the surpluses over the reservation values
        S = np.subtract(U, d[rows].T[:, :, None], out=arena.get("S", U.shape))
        sigma = _rule_slack(neg, S, extra, vetoes, coalitions, X, arena)
        j = np.argmax(sigma, axis=-1)
        best[rows] = j
        slack[rows] = sigma[np.arange(len(j)), j]
        # every solution lies among the acceptable packages: from here on, only those
        acc = _Acceptable(sigma >= 0)
        lin = acc.lin
        flatU = U.reshape(n, -1)
        gains = [np.take(S[i].reshape(-1), lin) for i in V]  # >= 0: every veto consents
        logs = None
        for q, (wv, equal) in enumerate(weights):
            w, eq = wv[rows], equal[rows]
            top = np.full(acc.b, -np.inf)
            pos = np.zeros(acc.b, dtype=np.intp)
            logged = ~eq
            if eq.any():  # the product of the gains (nash_index with equal weights)
                with np.errstate(over="ignore", under="ignore", invalid="ignore"):
                    prod = gains[0].copy()
                    for g in gains[1:]:
                        prod *= g
                p_pos, p_top = acc.argmax(prod)
                unsure = eq & (~np.isfinite(p_top) | (p_top == 0))
                good = eq & ~unsure  # a positive product: agreement
                top[good], pos[good] = 0.0, p_pos[good]
                logged |= unsure
            if logged.any():  # the weighted sum of the logarithms (_nash_log)
                if logs is None:
                    with np.errstate(divide="ignore"):
                        logs = [np.log(g) for g in gains]
                score = np.zeros(acc.size)
                for i, L in enumerate(logs):
                    score += acc.spread(w[:, i]) * L
                l_pos, l_top = acc.argmax(score)
                top[logged], pos[logged] = l_top[logged], l_pos[logged]
            agr = top > -np.inf
            idx = np.where(agr, acc.column(pos), j)
            index[q][rows], agree[q][rows] = idx, agr
            if q == 0:  # a Pareto-optimal acceptable package, inside the hull
                inner = np.where(agr, pos, -1)
            chosen[q][rows] = U[:, np.arange(acc.b), idx].T
        if game:
            u1, u2 = (np.take(flatU[i], lin) for i in V)  # the acceptable packages
            hull_points.append(_chain_candidates(acc, u1, u2, dv[rows], inner))
        if cf is not None:
            s_war = sigma.reshape(-1)[lin]
            code[rows] = _typology_code(
                neg, flatU, lin, s_war, acc, cf, rows, extra, vetoes, coalitions, X
            )
        if tick is not None:
            tick(rows.stop - rows.start)

    out: dict[str, np.ndarray] = {"zopa_open": slack >= 0, "slack": slack}
    for q, (prefix, _) in enumerate(concepts):
        out[f"{prefix}_agreement"] = agree[q]
        for k, issue in enumerate(A.issues):
            out[f"{prefix}.{issue.name}"] = X[index[q], k]
        u = np.where(agree[q][:, None], chosen[q], d)
        for i, name in enumerate(neg.names):
            out[f"{prefix}.u.{name}"] = u[:, i]
    if game:
        _rubinstein_columns(out, neg, hull_points, av, dv, V, B)
    if cf is not None:
        out["typology"] = code
    return out


class _Acceptable:
    """The acceptable packages of a block of draws, as flat (row, column) pairs in row order.

    Reductions per draw over its acceptable packages are segment reductions
    (``reduceat``); a draw with none has an empty segment.
    """

    def __init__(self, ok):
        self.b = ok.shape[0]
        # flat positions, then rows and columns (np.nonzero of a 2-D mask is 3x slower)
        flat = np.flatnonzero(ok)
        self.count = np.count_nonzero(ok, axis=1)
        self.r = np.repeat(np.arange(self.b), self.count)
        self.col = flat - self.r * ok.shape[1]
        self.lin = flat  # the pairs' places in the block's (b, N) arrays, raveled
        self.has = self.count > 0
        self.size = len(self.r)
        self.seg = self.count[self.has]  # the non-empty segments' lengths
        self.at = np.cumsum(self.seg) - self.seg  # and their starts

    def spread(self, v):
        """Per-draw values ``v`` (b,) repeated over each draw's packages: ``(P,)``."""
        return np.repeat(v, self.count)

    def argmax(self, v):
        """Per draw, the flat position of the first largest ``v`` and that value (-inf: none)."""
        top = np.full(self.b, -np.inf)
        pos = np.zeros(self.b, dtype=np.intp)
        if self.size:
            t = np.maximum.reduceat(v, self.at)
            top[self.has] = t
            # the first place in each segment where its maximum sits: the first of the
            # sorted hits at or after the segment's start (none for a NaN maximum,
            # which gets the last place, as a minimum over no hits would)
            hits = np.flatnonzero(v == np.repeat(t, self.seg))
            k = np.minimum(np.searchsorted(hits, self.at), len(hits) - 1)
            first = hits[k] if len(hits) else np.full(len(k), self.size)
            found = (first >= self.at) & (first < self.at + self.seg)
            pos[self.has] = np.where(found, first, self.size - 1)
        return pos, top

    def lexmax(self, x, y):
        """Per draw, the flat position of the first largest ``x``, ties by the largest ``y``.

        As ``argmax(where(x == max x, y, -inf))``; 0 for a draw without pairs.
        """
        t = np.maximum.reduceat(x, self.at)
        yy = np.where(x == np.repeat(t, self.seg), y, -np.inf)
        return self.argmax(yy)[0]

    def column(self, pos):
        """The package (column) at flat positions ``pos`` (0 where there is none)."""
        return self.col[pos] if self.size else np.zeros_like(pos)


def _chain_candidates(acc, u1, u2, dv, inner=None):
    """The points that can be vertices of the hull's Pareto chain: ``(b, w, 2)`` and counts.

    :func:`bargain.utility._chain._candidates` on the veto players' utilities
    ``u1, u2`` of the acceptable packages (flat, as ``acc``), with one more
    known point where ``inner`` (b,) gives it (a flat position, -1 for none):
    a Pareto-optimal package ``N`` (the Nash bargain). ``A``, ``N`` and ``B``
    are packages, so the polyline ``A -> N -> B`` lies in the hull, and a
    vertex of the chain lies on or above it (a point strictly below the
    polyline is dominated by the polyline's point above it; ``N`` lies between
    the ends in ``u_1``, being Pareto optimal). Each package is tested against
    the line of its side, ``a u_2 - b u_1 <= t`` with the line's coefficients
    per draw and side (``t`` includes the tolerance ``1e-9 |e_1| |e_2|``);
    points within rounding of the polyline are kept, and the exact pass
    (:func:`bargain.utility._chain._chain`) decides them. The packages that
    are not acceptable sit below ``d`` (:func:`bargain.issues._solve.veto_points`),
    dominated by every acceptable one, so they are never candidates; a draw
    without an acceptable package keeps one such point, ``d - 1``. Each row
    keeps its candidates in package order, padded with copies of its
    rightmost point ``A`` (a later copy of a point is never a vertex).
    """
    b, size, r = acc.b, acc.size, acc.r
    P = np.empty((b, 1, 2))
    P[:, 0, :] = dv - 1.0
    if not size:
        return P, np.ones(b, dtype=np.intp)
    iA = acc.lexmax(u1, u2)  # A: largest u1, then u2; B: the roles swapped
    iB = acc.lexmax(u2, u1)
    if inner is None:
        inner = np.full(b, -1)
    iN = np.where(inner >= 0, inner, iA)  # without N, the segment A -> B alone
    has = acc.has
    A1, A2, B1, B2 = u1[iA][has], u2[iA][has], u1[iB][has], u2[iB][has]
    N1, N2 = u1[iN][has], u2[iN][has]
    # per draw with packages, the two sides' lines: right of N (u1 >= N1) A -> N,
    # left of it N -> B; cross = e1 (u2 - p2) - e2 (u1 - p1) <= 1e-9 |e1| |e2|
    line = np.empty((len(A1), 2, 3))
    for side, (p1, p2, q1, q2) in enumerate(((N1, N2, B1, B2), (A1, A2, N1, N2))):
        e1, e2 = q1 - p1, q2 - p2
        line[:, side, 0], line[:, side, 1] = e1, e2
        line[:, side, 2] = 1e-9 * (np.abs(e1) * np.abs(e2)) + (e1 * p2 - e2 * p1)
    seg = np.repeat(np.arange(len(A1)), acc.seg)  # each pair's draw among those with packages
    k = 2 * seg + (u1 >= np.repeat(N1, acc.seg))
    coef = line.reshape(-1, 3)[k]
    keep = coef[:, 0] * u2 - coef[:, 1] * u1 <= coef[:, 2]
    keep &= u1 >= np.repeat(B1, acc.seg)
    keep &= u2 >= np.repeat(A2, acc.seg)
    sel = np.flatnonzero(keep)
    # later copies of A and B are dropped (the chain takes the first of equal points)
    rs = r[sel]
    ja, jb = iA[rs], iB[rs]
    s1, s2 = u1[sel], u2[sel]
    copy = ((s1 == u1[ja]) & (s2 == u2[ja]) & (sel != ja)) | (
        (s1 == u1[jb]) & (s2 == u2[jb]) & (sel != jb)
    )
    sel, rs, s1, s2 = sel[~copy], rs[~copy], s1[~copy], s2[~copy]
    count = np.bincount(rs, minlength=b)
    width = max(int(count.max()), 1)
    P = np.empty((b, width, 2))
    P[:, :, 0] = np.where(has, u1[iA], dv[:, 0] - 1.0)[:, None]
    P[:, :, 1] = np.where(has, u2[iA], dv[:, 1] - 1.0)[:, None]
    slot = np.arange(len(rs)) - (np.cumsum(count) - count)[rs]  # rank within the row
    P[rs, slot, 0] = s1
    P[rs, slot, 1] = s2
    return P, np.maximum(count, 1)


def _fit(P, width):
    """The rows of ``P`` (b, w, 2) cut or padded (copies of the first point) to ``width``."""
    if P.shape[1] >= width:
        return P[:, :width]
    fill = np.repeat(P[:, :1, :], width - P.shape[1], axis=1)
    return np.concatenate([P, fill], axis=1)


def _rubinstein_columns(out, neg, hull_points, av, dv, V, B):
    """The veto players' alternating-offers SPE on the hull of each draw's candidates.

    Draws are grouped by their number of candidates (up to 16, 32, 64, ...),
    so that a few draws with many candidates do not pad every draw's chain.
    """
    from ..solutions._rubinstein import rubinstein

    count = np.concatenate([c for _, c in hull_points])
    agreement = np.empty(B, dtype=bool)
    p_upper = np.empty(B)
    utilities = np.empty((B, 2))
    lo = 0
    while lo < int(count.max()) or lo == 0:
        width = max(16, 2 * lo)
        rows = np.flatnonzero((count > lo) & (count <= width) if lo else count <= width)
        if rows.size:
            parts, start = [], 0
            for P, c in hull_points:
                sel = rows[(rows >= start) & (rows < start + len(c))] - start
                if sel.size:
                    parts.append(_fit(P[sel], width))
                start += len(c)
            res = rubinstein(av[rows], np.concatenate(parts), dv[rows], hull=True)
            agreement[rows] = res.agreement
            p_upper[rows] = res.p_upper
            utilities[rows] = res.utilities
        lo = width
    out["rubinstein_agreement"] = agreement
    out["rubinstein.p_lottery"] = p_upper
    for j, i in enumerate(V):
        out[f"rubinstein.u.{neg.names[i]}"] = utilities[:, j]


def _typology_code(neg, flatU, lin, s_war, acc, cf, rows, extra, vetoes, coalitions, X):
    """:func:`bargain.mediation._typology.classify`'s code for the draws ``rows``.

    ``flatU`` (n, b N): the block's utilities; ``lin`` (P,) the acceptable
    packages' places in it and ``s_war`` (P,) their rule slack (flat, as ``acc``).

    A full settlement or a framework deal needs a package that improves on war
    (``sigma >= 0``). Where the best margin lies on a package that is not
    acceptable, the margin is negative and nothing improves, so the search
    runs over the acceptable packages only. Where the ceasefire itself is not
    acceptable, every acceptable package improves (the margin is the rule
    slack against war); only where it is, the packages must also improve on
    the ceasefire, so its rule slack is computed for those draws alone.
    """
    uc, cf_ok, full, frame = cf
    ucr, okr = uc[rows], cf_ok[rows]
    r, col = acc.r, acc.col
    if not acc.size:
        return np.where(okr, 2, 3)  # neither a settlement nor a framework deal
    margin = s_war.copy()
    improves = s_war >= 0
    sel = np.flatnonzero(acc.spread(okr))
    if sel.size:
        Ua = np.take(flatU, lin[sel], axis=1)  # (n, P'): those draws' acceptable packages
        S = (Ua - ucr[r[sel]].T)[:, None, :]  # each party: (1, P')
        s_cf = _rule_slack(neg, S, extra[col[sel]], vetoes, coalitions, X[col[sel]])[0]
        margin[sel] = np.minimum(s_war[sel], s_cf)
        improves[sel] &= s_cf > _TOL

    def hit(mask):
        pos, top = acc.argmax(np.where(mask, margin, -np.inf))
        return improves[pos] & (top > -np.inf)

    settle = hit(full[col])
    fw_any = hit(frame[col]) if frame.any() else np.zeros(acc.b, dtype=bool)
    symbolic = ~settle & fw_any
    frozen = ~settle & ~symbolic & okr
    # the index into bargain.mediation._typology.TYPES: settlement, symbolic, frozen, failure
    return np.where(settle, 0, np.where(symbolic, 1, np.where(frozen, 2, 3)))
