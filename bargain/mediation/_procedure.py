r"""The mediator's procedure: a single negotiating text and shuttle diplomacy.

The solution concepts say where agreement *should* be; these functions compute
where a mediator's *procedure* takes the parties, round by round, from a
starting text.

**The single negotiating text** (Raiffa 1982, *The Art and Science of
Negotiation*, ch. 14; Fisher's "one-text procedure" at Camp David, 1978). The
mediator holds one draft agreement, the *text* :math:`x^t`, and proposes a
revision :math:`x'` from a set of admissible revisions :math:`N(x^t)` (below).
A revision is *acceptable* when no party whose consent is needed is worse off,
:math:`\Delta_i = u_i(x') - u_i(x^t) \ge 0` (for a governed negotiation: the
parties not worse off form a consenting set that the decision rule accepts,
with every veto player and every controller of a changed issue in it, as in
:mod:`bargain.issues._rules`). Among the acceptable revisions the mediator's
rule picks one:

- ``"steepest"``: the largest joint gain :math:`\sum_i b_i \Delta_i`, with the
  mediator's weights :math:`b` (``bias``; equal by default). A biased
  mediator (Kydd 2003, *AJPS* 47(4)) weights one side's gains more.
- ``"target"``: the revision closest, in utility space, to a target point
  (the Nash solution by default) that is closer than the current text.
- ``"random"``: a revision drawn uniformly from the acceptable ones with a
  positive joint gain (the mediated single-text protocol of Klein, Faratin,
  Sayama & Bar-Yam 2003, *IEEE Intelligent Systems* 18(6), where a mediator
  proposes random mutations and the parties vote).

The text moves until no acceptable revision with a positive score remains.
The *joint gain* :math:`\sum_i b_i u_i` strictly increases along every path
of the steepest and random rules and the distance to the target strictly
decreases under the target rule, so no text is visited twice and the process
ends after fewer rounds than there are texts.

A *threshold* :math:`\theta_i \ge 0` is a trust or fatigue margin. By default
(``fatigue=True``) the mediator proposes by its rule among the revisions that
are not worse for anyone, and the parties accept the proposal only if each
gains at least :math:`\theta_i`; the first rejected proposal ends the process.
The path under a larger threshold is then a prefix of the path under a
smaller one (the rule's choices do not depend on :math:`\theta`), so **a
larger threshold never yields more rounds**. With ``fatigue=False`` the
mediator knows the margins and proposes only revisions that clear them; the
text then moves until no such revision remains, and a larger threshold can
lengthen the path (a large one-sided gain that a small threshold lets through
can end the process early; the case ``single-text-filter-more-rounds`` shows
it).

**Texts and revisions.** Texts are outcomes of the negotiation's agenda that
meet its constraints and every party's red lines: the options of discrete
issues and, for a continuous issue, a grid of ``grid`` points over its range
(plus the starting texts' values). A revision changes at most ``clauses``
issues at once, each by at most ``step`` positions (options in their listed
order, grid points in increasing order; any distance with ``step=None``).
``clauses=1`` is clause-by-clause drafting, ``clauses >= 2`` lets the
mediator trade one issue against another (logrolling).

**Exact statements** (used by the benchmark cases in
``bargain/cases/data/procedure.toml``).

*Proposition 1 (whole-text revisions end in one round).* If any text can
replace any other (``clauses`` = number of issues, ``step=None``), the
steepest rule from :math:`s` moves at once to a maximiser :math:`x^*` of
:math:`b \cdot u(x)` over the lens :math:`L(s) = \{x : u(x) \ge u(s)\}` and
stops. *Proof.* The first revision is that maximiser by definition. A second
revision :math:`x''` would need :math:`u(x'') \ge u(x^*)` with
:math:`b \cdot u(x'') > b \cdot u(x^*)`; but :math:`u(x'') \ge u(x^*) \ge u(s)`
puts :math:`x''` in :math:`L(s)`, contradicting the maximality of
:math:`x^*`. :math:`\square` For two parties with a concave frontier
:math:`u_2 = f(u_1)` (continuous issues, concave utilities), the end point
tends, as the grid is refined, to the frontier point
:math:`t^* = \min(\max(\hat t, u_1(s)), f^{-1}(u_2(s)))` with
:math:`f'(\hat t) = -b_1/b_2`: :math:`b_1 t + b_2 f(t)` is concave in
:math:`t`, so its maximum over the lens's arc of the frontier is the
unconstrained maximiser clamped to the arc. With equal weights this is the
utilitarian point where it lies in the lens, and the lens's nearest end
otherwise -- in general not the Nash point.

*Proposition 2 (clause-by-clause drafting cannot logroll).* With additive
utilities, no constraints and ``clauses=1``, ``step=None``, each issue is
revised at most once, and the final text sets each issue :math:`k` to a
maximiser of :math:`\sum_i b_i v_{ik}(o)` over the options :math:`o` with
:math:`v_{ik}(o) \ge v_{ik}(s_k)` for every party; the number of rounds is
the number of issues with such an option that strictly raises the joint
gain. *Proof.* A revision of issue :math:`k` changes only the terms
:math:`v_{ik}`, so its acceptability and score depend on issue :math:`k`'s
current option alone. The chosen revision, best overall, is best among
issue :math:`k`'s. A later revision of :math:`k` to :math:`o''` would need
:math:`v_{ik}(o'') \ge v_{ik}(o^*) \ge v_{ik}(s_k)` and a larger score than
:math:`o^*`, contradicting the choice of :math:`o^*`. :math:`\square` A gain
that needs a concession on one issue paid for on another is never reached,
so from a status quo inside the frontier the text stops short of it
whenever the gains are in trades.

**Shuttle diplomacy** (Kissinger 1973-75; Holbrooke 1995). The mediator
meets one party at a time, in turn. The party it visits reveals its
preferences only through its proposals: it names the revision it likes
best, the mediator carries it to the others, who answer yes or no (each
accepts only if it is not worse off, or gains at least its threshold);
on a no the party names its next best, and so on. The first accepted
proposal becomes the text; a visit where every proposal is refused changes
nothing, and the process ends when a whole tour of visits changes nothing.
The mediator never learns a utility, only the proposals and the answers;
the number of offers carried is the procedure's cost.

Examples
--------
Two divisible goods; A values ``x`` four times as much as B does, B values
``y`` four times as much (logrolling). From the even split, the mediator trades
``x`` to A for ``y`` to B, one grid step (1/20) of each per round:

>>> import bargain as bg
>>> A = bg.Agenda(bg.ContinuousIssue("x"), bg.ContinuousIssue("y"))
>>> a = bg.Party("A", bg.AdditiveUtility({"x": bg.Linear(), "y": bg.Linear()}, [0.8, 0.2]))
>>> b = bg.Party("B", bg.AdditiveUtility(
...     {"x": bg.Linear(-1.0, 1.0), "y": bg.Linear(-1.0, 1.0)}, [0.2, 0.8]))
>>> neg = bg.Negotiation(A, [a, b])
>>> res = bg.single_text(neg, {"x": 0.5, "y": 0.5}, step=1)
>>> res.rounds, res.outcome, res.utilities.round(12)
(10, Outcome(x=1.0, y=0.0), array([0.8, 0.8]))
>>> res.pareto, round(res.nash_distance, 12)
(True, 0.0)
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence

import numpy as np

from .._core import Result
from .._core._result import Lazy, scalar
from ..issues import Negotiation

__all__ = ["TextProcess", "compare_procedures", "shuttle", "single_text"]

_MAX_TEXTS = 2**22  # texts (grid points of the agenda) a procedure may range over
_MAX_MOVES = 2**16  # admissible revisions of one text
_MAX_VALUES = 2**27  # utilities (draws x texts x parties) held at once: 1 GiB
_BLOCK = 2**21  # (process, revision) pairs evaluated at once
_REL_EPS = 1e-10  # utility differences below this (relative to the utility scale) are ties

#: Why a process ended.
STOPS = {
    0: "no acceptable revision left",
    1: "a party rejected the mediator's revision (threshold)",
    2: "max_rounds reached",
}
_RULES = ("steepest", "target", "random")


class TextProcess(Result):
    """Paths of a mediator's procedure, batched over draws and starting texts.

    Fields have shape ``batch_shape + (S,)`` (``S`` starting texts) followed by
    their own dimensions; an unbatched negotiation with one start gives
    scalars and single outcomes.

    Fields
    ------
    procedure : str
        ``"single_text"`` or ``"shuttle"``.
    starts : tuple of str
        A label per starting text (``"status_quo"``, ``"proposal:<party>"``,
        ``"random:<j>"``, ``"given:<j>"``).
    rounds : int or ndarray
        Revisions adopted.
    stop : int or ndarray
        Why the process ended (codes in :data:`STOPS`); ``message`` says it.
    coded, outcome : ndarray (..., K) and Outcome
        The final text.
    utilities : ndarray (..., n)
        Each party's utility of the final text.
    path, path_utilities : ndarray (..., R + 1, K) and (..., R + 1, n)
        The texts along the way (start first); a path shorter than the
        longest is padded with its final text (``rounds`` says where it ends).
    pareto : bool or ndarray
        Whether no admissible text is at least as good for every party and
        better for one (on the grid of texts).
    in_zopa : bool or ndarray
        Whether the final text gives every party at least its reservation
        value (rule slack ``>= 0`` for a governed negotiation).
    nash, kalai_smorodinsky : ndarray (batch + (n,))
        The solutions' utilities (exact, not on the grid of texts).
    nash_distance, ks_distance : float or ndarray
        Euclidean distance in utility space from the final text to them.
    offers, visits : (shuttle only) offers carried and meetings held.

    Examples
    --------
    Three random starting texts in the Paris (Vietnam) model, drafted by a
    steepest-improvement mediator:

    >>> import bargain as bg
    >>> neg = bg.load_model("paris_vietnam_1968_73").negotiation
    >>> res = bg.single_text(neg, "random", n_random=3, rng=7)
    >>> res.starts
    ('random:0', 'random:1', 'random:2')
    >>> res.rounds.shape, res.utilities.shape, res.path.shape[:2]
    ((3,), (3, 2), (3, 2))
    >>> bool(res.pareto.all())  # two-issue revisions reach the frontier here
    True
    """

    __slots__ = ("_meta",)

    def __init__(self, meta: dict, **fields) -> None:
        super().__init__(**fields)
        object.__setattr__(self, "_meta", meta)

    def distribution(self):
        """The final texts and how often each is reached, most frequent first.

        Returns
        -------
        list of dict
            ``{"outcome", "coded", "share", "utilities"}`` per distinct final
            text, pooled over the batch and the starting texts
            (``utilities``: the mean over the processes that end there).

        Examples
        --------
        >>> import bargain as bg
        >>> neg = bg.load_model("good_friday_1998").negotiation
        >>> res = bg.single_text(neg, "proposals", clauses=1)
        >>> rows = res.distribution()
        >>> round(sum(r["share"] for r in rows), 12)
        1.0
        """
        X = np.asarray(self.coded).reshape(-1, self._meta["K"])
        U = np.asarray(self.utilities).reshape(-1, self._meta["n"])
        keys, inverse, counts = np.unique(X, axis=0, return_inverse=True, return_counts=True)
        inverse = inverse.reshape(-1)
        order = np.argsort(-counts, kind="stable")
        agenda = self._meta["agenda"]
        rows = []
        for q in order:
            rows.append(
                {
                    "outcome": agenda.decode(keys[q]),
                    "coded": keys[q],
                    "share": float(counts[q] / X.shape[0]),
                    "utilities": U[inverse == q].mean(axis=0),
                }
            )
        return rows

    def start_share(self) -> np.ndarray:
        r"""How much the starting text decides the outcome, per party: shape ``(n,)``.

        The share of the variance of each party's final utility that lies
        between starting texts within a draw: :math:`E_b[\mathrm{Var}_s\,u_i]
        / \mathrm{Var}_{b,s}\,u_i` (law of total variance). 1 when the draws
        do not matter and the start decides everything, 0 when the start does
        not matter (also when the final utility never varies).

        Examples
        --------
        >>> import bargain as bg
        >>> neg = bg.load_model("syria_geneva_2012_17").negotiation
        >>> res = bg.single_text(neg, "proposals")
        >>> res.start_share()  # one negotiation: all variation is the start's
        array([1., 1.])
        """
        n = self._meta["n"]
        U = np.asarray(self.utilities).reshape(-1, self._meta["S"], n)
        total = U.reshape(-1, n).var(axis=0)
        within = U.var(axis=1).mean(axis=0)
        scale = np.maximum(np.abs(U).reshape(-1, n).max(axis=0), 1.0)
        out = np.zeros(n)
        live = total > (1e-12 * scale) ** 2
        out[live] = np.minimum(within[live] / total[live], 1.0)
        return out

    def drafting_advantage(self) -> dict[str, float]:
        r"""The first-mover advantage of drafting the first text, per drafting party.

        For each party :math:`i` whose proposal is among the starting texts:
        the mean, over the batch, of its final utility from its own draft
        minus its mean final utility from the other parties' drafts,
        :math:`u_i(x \mid i \text{ drafts}) - \overline{u_i(x \mid j \text{ drafts})}`.

        Returns
        -------
        dict of str to float

        Raises
        ------
        ValueError
            If fewer than two parties' proposals are among the starts.

        Examples
        --------
        >>> import bargain as bg
        >>> neg = bg.load_model("syria_geneva_2012_17").negotiation
        >>> adv = bg.single_text(neg, "proposals").drafting_advantage()
        >>> sorted(adv)
        ['Government', 'Opposition']
        """
        names = self._meta["names"]
        labels = self.starts
        where = {
            lab.split(":", 1)[1]: s for s, lab in enumerate(labels) if lab.startswith("proposal:")
        }
        if len(where) < 2:
            raise ValueError(
                "drafting_advantage needs the proposals of at least two parties among the "
                f"starting texts; starts are {list(labels)} (use start='proposals')"
            )
        n = self._meta["n"]
        U = np.asarray(self.utilities).reshape(-1, self._meta["S"], n)
        out = {}
        for name, s in where.items():
            i = names.index(name)
            others = [t for m, t in where.items() if m != name]
            own = U[:, s, i]
            rest = U[:, others, i].mean(axis=1)
            out[name] = float(np.mean(own - rest))
        return out


class _Texts:
    """The texts a procedure ranges over: the agenda's grid, its utilities and moves."""

    def __init__(self, neg: Negotiation, grid, extra: np.ndarray, clauses, step) -> None:
        A = neg.agenda
        K = len(A.issues)
        axes = []
        for k, issue in enumerate(A.issues):
            if issue.discrete:
                axes.append(np.arange(issue.k, dtype=float))
            else:
                g = grid.get(issue.name, 21) if isinstance(grid, Mapping) else grid
                ax = np.union1d(A.values(k, g), extra[:, k]) if extra.size else A.values(k, g)
                axes.append(ax)
        self.sizes = tuple(len(a) for a in axes)
        P = math.prod(self.sizes)
        if P > _MAX_TEXTS:
            raise ValueError(
                f"the agenda has {P:,} texts (grid points {self.sizes}), more than "
                f"{_MAX_TEXTS:,}: use a coarser `grid` for the continuous issues"
            )
        B = math.prod(neg.batch_shape)
        if B * P * neg.n > _MAX_VALUES:
            raise ValueError(
                f"{B:,} draws x {P:,} texts x {neg.n} parties is more utilities than "
                f"{_MAX_VALUES:,} ({_MAX_VALUES * 8 // 2**20:,} MiB) held at once: run fewer "
                "draws per call or a coarser `grid`"
            )
        self.axes = axes
        self.P = P
        X = np.empty(self.sizes + (K,))
        for k, a in enumerate(axes):
            X[..., k] = a.reshape((1,) * k + (-1,) + (1,) * (K - k - 1))
        self.X = X.reshape(P, K)
        self.digits = np.stack(np.unravel_index(np.arange(P), self.sizes), axis=-1)
        feasible = A.feasible(self.X) if (A.constraints or A.option_constraints) else None
        feasible = np.ones(P, dtype=bool) if feasible is None else feasible
        for k, issue in enumerate(A.issues):
            if not issue.discrete:  # start values outside a red-line-narrowed range
                lo, hi = issue.bounds
                feasible &= (self.X[:, k] >= lo) & (self.X[:, k] <= hi)
        self.feasible = feasible
        strides = np.ones(K, dtype=np.int64)
        for k in range(K - 2, -1, -1):
            strides[k] = strides[k + 1] * self.sizes[k + 1]
        self.strides = strides
        U = neg.coded_utilities(self.X)  # batch + (P, n)
        self.B = math.prod(neg.batch_shape)
        self.n = neg.n
        self.U = np.ascontiguousarray(U).reshape(self.B, P, self.n)
        self.cols = [np.ascontiguousarray(self.U[..., i]).reshape(-1) for i in range(self.n)]
        fin = self.U[:, feasible] if feasible.any() else self.U
        self.eps = _REL_EPS * (1.0 + float(np.max(np.abs(fin))))
        self._moves(clauses, step)
        # who must consent: veto players always, controllers where the text changes their issue
        self.vetoes = np.asarray(neg.vetoes, dtype=bool)
        self.extra = {}
        if neg.status_quo_coded is not None:
            changed = self.X != neg.status_quo_coded
            for i, p in enumerate(neg.parties):
                if p.controls and not self.vetoes[i]:
                    m = np.zeros(P, dtype=bool)
                    for key in p.controls:
                        m |= changed[:, A.position(key)]
                    self.extra[i] = m
        self.rule = neg.bound_rule
        self.names = neg.names
        self.r = np.broadcast_to(neg.reservation, neg.batch_shape + (self.n,)).reshape(
            self.B, self.n
        )

    def _moves(self, clauses, step) -> None:
        K = len(self.sizes)
        self._table = None
        self.whole = clauses >= K and step is None  # any text may replace any other
        if self.whole:
            self.M = self.P
            return
        deltas = []
        for m in self.sizes:
            reach = m - 1 if step is None else min(step, m - 1)
            deltas.append([d for d in range(-reach, reach + 1) if d != 0])
        rows = []
        count = 0
        for c in range(1, min(clauses, K) + 1):
            for subset in itertools.combinations(range(K), c):
                count += math.prod(len(deltas[k]) for k in subset)
                if count > _MAX_MOVES:
                    raise ValueError(
                        f"more than {_MAX_MOVES:,} admissible revisions per text with "
                        f"clauses={clauses} and step={step}: lower `clauses` or set `step`"
                    )
                for combo in itertools.product(*(deltas[k] for k in subset)):
                    row = np.zeros(K, dtype=np.int64)
                    row[list(subset)] = combo
                    rows.append(row)
        D = np.array(rows, dtype=np.int64).reshape(-1, K)
        self.M = D.shape[0]
        self.offsets = D @ self.strides
        # valid[k][a, j]: revision j keeps issue k's position a + D[j, k] on its grid
        self.valid = []
        for k, m in enumerate(self.sizes):
            to = np.arange(m)[:, None] + D[None, :, k]
            self.valid.append((to >= 0) & (to < m))
        self.touched = [np.flatnonzero(D[:, k]).size > 0 for k in range(K)]

    def neighbours(self, c: np.ndarray):
        """Admissible revisions of texts ``c`` (L,): indices (L, M) and validity (L, M)."""
        if self.whole:
            new = np.broadcast_to(np.arange(self.P), (c.size, self.P))
            return new, self.feasible[new] & (new != c[:, None])
        if self._table is None and 8 * c.size >= self.P and self.P * self.M <= _BLOCK * 4:
            # many texts at once: every text's revisions, tabulated once
            self._table = self._neighbours(np.arange(self.P))
        if self._table is not None:
            return self._table[0][c], self._table[1][c]
        return self._neighbours(c)

    def _neighbours(self, c: np.ndarray):
        ok = np.ones((c.size, self.M), dtype=bool)
        for k, v in enumerate(self.valid):
            if self.touched[k]:
                ok &= v[self.digits[c, k]]
        new = c[:, None] + self.offsets[None, :]
        np.copyto(new, c[:, None], where=~ok)
        ok &= self.feasible[new]
        return new, ok

    def gains(self, b: np.ndarray, c: np.ndarray, new: np.ndarray) -> list[np.ndarray]:
        """Each party's utility change from texts ``c`` to revisions ``new`` under draws ``b``."""
        base = b * self.P
        flat = base[:, None] + new
        here = base + c
        return [col[flat] - col[here][:, None] for col in self.cols]

    def consent(self, D: list, new: np.ndarray, lo: np.ndarray, skip=None) -> np.ndarray:
        """Whether the revisions are agreed: the parties gaining at least ``lo`` carry them."""
        agree = [D[i] >= lo[i] for i in range(self.n)]
        if skip is not None:  # the proposer (shuttle) consents to its own proposal
            agree[skip] = np.ones_like(agree[skip])
        ok = np.ones(new.shape, dtype=bool)
        for i in range(self.n):
            if self.vetoes[i]:
                ok &= agree[i]
            elif i in self.extra:
                ok &= agree[i] | ~self.extra[i][new]
        if self.rule is not None:
            ok &= self.rule.winning(np.stack(agree, axis=-1))
        return ok


def _splitmix(x: np.ndarray) -> np.ndarray:
    """SplitMix64 finaliser on uint64 arrays (wrapping arithmetic): uniform 64-bit hashes."""
    x = x + np.uint64(0x9E3779B97F4A7C15)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def _keys(seed: int, pid: np.ndarray, rnd: int, M: int) -> np.ndarray:
    """Random keys ``(L, M)`` of process ``pid``'s revisions in round ``rnd`` (counter-based)."""
    with np.errstate(over="ignore"):
        h = _splitmix(np.uint64(seed) ^ _splitmix(pid.astype(np.uint64) * np.uint64(2**20 + 7)))
        h = _splitmix(h ^ np.uint64(rnd * 0x632BE59BD9B4E019 % 2**64))
        out = _splitmix(h[:, None] ^ np.arange(M, dtype=np.uint64)[None, :])
    return (out >> np.uint64(11)).astype(np.float64) * 2.0**-53


# -- argument checks -------------------------------------------------------------------


def _check_negotiation(neg, fn):
    if not isinstance(neg, Negotiation):
        hint = " (a Model's is model.negotiation)" if hasattr(neg, "negotiation") else ""
        raise TypeError(f"`{fn}` needs a bargain Negotiation, got {type(neg).__name__}{hint}")


def _check_int(v, name, lo, allow_none=False):
    if v is None and allow_none:
        return None
    if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < lo:
        want = f"an integer >= {lo}" + (" or None" if allow_none else "")
        raise ValueError(f"`{name}` must be {want}, got {v!r}")
    return int(v)


def _party_vector(v, neg, name, default, *, positive=False):
    if v is None:
        return np.full(neg.n, default, dtype=float)
    if isinstance(v, Mapping):
        unknown = sorted(set(v) - set(neg.names))
        if unknown:
            raise ValueError(
                f"`{name}` names unknown parties {unknown}; parties are {list(neg.names)}"
            )
        v = [v.get(p, 0.0 if positive else default) for p in neg.names]
    try:
        if np.iscomplexobj(np.asarray(v)):
            raise TypeError
        a = np.array(v, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"`{name}` must be a real number or one per party, got {v!r}") from None
    if a.ndim == 0:
        a = np.full(neg.n, float(a))
    if a.shape != (neg.n,):
        raise ValueError(
            f"`{name}` must be a number or one value per party ({neg.n}: {list(neg.names)}), "
            f"got shape {a.shape}"
        )
    if not np.all(np.isfinite(a)) or np.any(a < 0):
        raise ValueError(f"`{name}` must be finite and non-negative, got {a.tolist()}")
    if positive and not a.sum() > 0:
        raise ValueError(f"`{name}` must give some party a positive weight, got {a.tolist()}")
    return a


def _start_specs(neg, start, n_random):
    """Starting-text specs: ("status_quo" | "proposal" i | "random" j | "given" coded)."""
    if start is None:
        start = (["status_quo"] if neg.status_quo_coded is not None else []) + ["proposals"]
    if isinstance(start, (str, Mapping)):
        start = [start]
    if isinstance(start, np.ndarray):
        start = list(start) if start.ndim == 2 else [start]
    if not isinstance(start, Sequence) or not len(start):
        raise ValueError(
            "`start` must be 'status_quo', 'proposals', 'random', a party name, an outcome "
            f"(mapping) or a list of these, got {start!r}"
        )
    specs = []
    for j, s in enumerate(start):
        if isinstance(s, str):
            if s == "status_quo":
                if neg.status_quo_coded is None:
                    raise ValueError(
                        "`start`: 'status_quo' needs a negotiation with a status quo; give "
                        "outcomes, 'proposals', 'random' or party names instead"
                    )
                specs.append(("status_quo", neg.status_quo_coded.astype(float)))
            elif s == "proposals":
                specs.extend(("proposal", i) for i in range(neg.n))
            elif s == "random":
                if not n_random:
                    raise ValueError("`start`: 'random' needs `n_random` >= 1 starting texts")
                specs.extend(("random", r) for r in range(n_random))
            elif s in neg.names:
                specs.append(("proposal", neg.names.index(s)))
            else:
                raise ValueError(
                    f"`start[{j}]`: {s!r} is not 'status_quo', 'proposals', 'random' or a party "
                    f"name ({list(neg.names)})"
                )
        elif isinstance(s, Mapping):
            try:
                coded = neg.stated_agenda.encode_reference(s, f"start[{j}]")
            except (ValueError, KeyError, TypeError) as e:
                raise ValueError(f"`start[{j}]`: {e}") from None
            specs.append(("given", np.asarray(coded, dtype=float)))
        else:
            try:
                coded = neg.stated_agenda.check_coded(np.asarray(s, dtype=float), f"start[{j}]")
            except (ValueError, TypeError) as e:
                raise ValueError(f"`start[{j}]`: {e}") from None
            if coded.shape != (len(neg.agenda),):
                raise ValueError(f"`start[{j}]` must be one coded outcome, got shape {coded.shape}")
            specs.append(("given", coded))
    if n_random and not any(kind == "random" for kind, _ in specs):
        specs.extend(("random", r) for r in range(n_random))
    return specs


def _resolve_starts(T: _Texts, specs, rng_seed):
    """Indices (B, S) of the starting texts, and their labels."""
    S = len(specs)
    idx = np.zeros((T.B, S), dtype=np.int64)
    labels = []
    feasible = np.flatnonzero(T.feasible)
    if not feasible.size:
        raise ValueError(
            "no outcome meets the agenda's constraints and red lines: no text to revise"
        )
    rgen = np.random.default_rng(rng_seed)
    Uf = T.U[:, feasible] if any(kind == "proposal" for kind, _ in specs) else None  # (B, F, n)
    for s, (kind, v) in enumerate(specs):
        if kind in ("status_quo", "given"):
            pos = [int(np.searchsorted(T.axes[k], v[k])) for k in range(len(T.sizes))]
            pos = [min(p, T.sizes[k] - 1) for k, p in enumerate(pos)]
            idx[:, s] = int(np.dot(pos, T.strides))
            labels.append("status_quo" if kind == "status_quo" else f"given:{s}")
        elif kind == "proposal":
            Ui = Uf[..., v]
            others = Uf.sum(axis=-1) - Ui
            # the best text for the drafter that every other party prefers to no agreement
            # (its ideal text when there is none)
            ir = np.delete(Uf >= T.r[:, None, :] - T.eps, v, axis=-1).all(axis=-1)
            ir |= ~ir.any(axis=1, keepdims=True)
            Ui = np.where(ir, Ui, -np.inf)
            best = Ui.max(axis=1, keepdims=True)
            top = Ui >= best - T.eps
            pick = np.argmax(np.where(top, others, -np.inf), axis=1)
            idx[:, s] = feasible[pick]
            labels.append(f"proposal:{T.names[v]}")
        else:
            idx[:, s] = feasible[rgen.integers(0, feasible.size)]
            labels.append(f"random:{v}")
    return idx, tuple(labels)


def _common(neg, fn, start, grid, clauses, step, threshold, n_random, rng, max_rounds):
    _check_negotiation(neg, fn)
    clauses = _check_int(clauses, "clauses", 1)
    step = _check_int(step, "step", 1, allow_none=True)
    n_random = _check_int(n_random, "n_random", 0)
    max_rounds = _check_int(max_rounds, "max_rounds", 0, allow_none=True)
    if neg.agenda.continuous:
        if grid is None:
            grid = 21
        if isinstance(grid, Mapping):
            for key, g in grid.items():
                neg.agenda.issue(key)
                _check_int(g, f"grid[{key!r}]", 2)
        else:
            grid = _check_int(grid, "grid", 2)
    theta = _party_vector(threshold, neg, "threshold", 0.0)
    specs = _start_specs(neg, start, n_random)
    extra = np.array([v for kind, v in specs if kind in ("status_quo", "given")], dtype=float)
    extra = extra.reshape(-1, len(neg.agenda))
    T = _Texts(neg, grid, extra, clauses, step)
    if isinstance(rng, np.random.Generator):
        seed = int(rng.integers(0, 2**63))
    elif rng is None:
        seed = int(np.random.default_rng().integers(0, 2**63))
    else:
        seed = _check_int(rng, "rng", 0)
    starts, labels = _resolve_starts(T, specs, seed)
    return T, theta, starts, labels, seed, max_rounds


def _target_point(neg, target, T):
    if isinstance(target, str):
        from ..solutions import egalitarian, kalai_smorodinsky, nash, utilitarian

        fns = {
            "nash": nash,
            "kalai_smorodinsky": kalai_smorodinsky,
            "egalitarian": egalitarian,
            "utilitarian": utilitarian,
        }
        if target not in fns:
            raise ValueError(
                f"`target` must be one of {sorted(fns)} or a utility vector, got {target!r}"
            )
        u = np.asarray(fns[target](neg).utilities, dtype=float)
    else:
        try:
            u = np.array(target, dtype=float)
        except (TypeError, ValueError):
            raise ValueError(
                f"`target` must be a concept name or utilities, got {target!r}"
            ) from None
        if u.shape[-1:] != (neg.n,) or not np.all(np.isfinite(u)):
            raise ValueError(
                f"`target` utilities must be finite, one per party ({neg.n}); got {target!r}"
            )
    return np.broadcast_to(u, neg.batch_shape + (neg.n,)).reshape(T.B, neg.n)


# -- the processes ---------------------------------------------------------------------


def _unique_texts(b, c, P):
    """The distinct (draw, text) pairs among processes: their draws, texts and the map back."""
    keys, inverse = np.unique(b * P + c, return_inverse=True)
    ub, uc = np.divmod(keys, P)
    return ub, uc, inverse.reshape(-1)


def _run_single_text(T, starts, *, rule, bias, theta, fatigue, target, seed, max_rounds):
    B, S = starts.shape
    L = B * S
    cur = starts.reshape(-1).copy()
    bidx = np.repeat(np.arange(B), S)
    pid = np.tile(np.arange(S), B)
    rounds = np.zeros(L, dtype=np.int64)
    stop = np.zeros(L, dtype=np.int64)
    path = [cur.copy()]
    w = bias / bias.sum()
    eps = T.eps
    lo_filter = np.where(theta > 0, theta - eps, -eps) if not fatigue else np.full(T.n, -eps)
    check_theta = fatigue and bool(np.any(theta > 0))
    per = max(1, _BLOCK // max(T.M, 1))

    def decide(c, b, p, rnd):
        """The mediator's revision of texts ``c`` under draws ``b`` (-1: none) and rejections."""
        choice = np.full(c.size, -1, dtype=np.int64)
        rejected = np.zeros(c.size, dtype=bool)
        for a in range(0, c.size, per):
            cc, bb = c[a : a + per], b[a : a + per]
            new, ok = T.neighbours(cc)
            D = T.gains(bb, cc, new)
            ok &= T.consent(D, new, lo_filter)
            prog = sum(w[i] * D[i] for i in range(T.n) if w[i])
            if rule == "target":
                t = target[bb]
                here = np.stack([T.cols[i][bb * T.P + cc] for i in range(T.n)], axis=-1)
                d0 = np.sqrt(((here - t) ** 2).sum(axis=-1))
                d1 = np.sqrt(
                    sum((here[:, i : i + 1] + D[i] - t[:, i : i + 1]) ** 2 for i in range(T.n))
                )
                score = np.where(ok & (d0[:, None] - d1 > eps), d0[:, None] - d1, -np.inf)
            elif rule == "random":
                keys = _keys(seed, p[a : a + per], rnd, T.M)
                score = np.where(ok & (prog > eps), keys, -np.inf)
            else:
                score = np.where(ok & (prog > eps), prog, -np.inf)
            j = np.argmax(score, axis=1)
            rows = np.arange(cc.size)
            has = np.isfinite(score[rows, j])
            pick = new[rows, j]
            if check_theta:
                Dj = [d[rows, j][:, None] for d in D]
                agreed = T.consent(Dj, pick[:, None], theta - eps)[:, 0]
                rejected[a : a + per] = has & ~agreed
                has &= agreed
            choice[a : a + per] = np.where(has, pick, -1)
        return choice, rejected

    live = np.arange(L)
    rnd = 0
    while live.size:
        if max_rounds is not None and rnd >= max_rounds:
            stop[live] = 2
            break
        c, b = cur[live], bidx[live]
        if rule == "random":  # each process draws its own revisions
            choice, rejected = decide(c, b, pid[live], rnd)
        else:  # the revision is a function of the draw and the text: once per distinct pair
            ub, uc, inverse = _unique_texts(b, c, T.P)
            choice, rejected = decide(uc, ub, None, rnd)
            choice, rejected = choice[inverse], rejected[inverse]
        moved = choice >= 0
        stop[live[~moved]] = np.where(rejected[~moved], 1, 0)
        mv = live[moved]
        cur[mv] = choice[moved]
        rounds[mv] += 1
        if mv.size:
            path.append(cur.copy())
        live = mv
        rnd += 1
    return cur, rounds, stop, np.stack(path, axis=-1), {}


def _run_shuttle(T, starts, *, order, theta, max_rounds):
    B, S = starts.shape
    L = B * S
    cur = starts.reshape(-1).copy()
    bidx = np.repeat(np.arange(B), S)
    rounds = np.zeros(L, dtype=np.int64)
    offers = np.zeros(L, dtype=np.int64)
    visits = np.zeros(L, dtype=np.int64)
    fails = np.zeros(L, dtype=np.int64)
    stop = np.zeros(L, dtype=np.int64)
    eps = T.eps
    lo = np.where(theta > 0, theta - eps, -eps / T.n)
    path = [cur.copy()]
    live = np.arange(L)
    per = max(1, _BLOCK // max(T.M, 1))
    t = 0
    cap = None if max_rounds is None else max_rounds
    moves = np.arange(T.M)
    while live.size:
        v = order[t % len(order)]
        # the visit's outcome is a function of the draw and the text: once per distinct pair
        ub, uc, inverse = _unique_texts(bidx[live], cur[live], T.P)
        choice = np.full(uc.size, -1, dtype=np.int64)
        carried = np.zeros(uc.size, dtype=np.int64)
        for a in range(0, uc.size, per):
            c, b = uc[a : a + per], ub[a : a + per]
            new, ok = T.neighbours(c)
            D = T.gains(b, c, new)
            prop = ok & (D[v] > max(eps, theta[v] - eps))  # revisions the visited party proposes
            acc = prop & T.consent(D, new, lo, skip=v)
            score = np.where(acc, D[v], -np.inf)
            j = np.argmax(score, axis=1)
            rows = np.arange(c.size)
            has = np.isfinite(score[rows, j])
            dj = D[v][rows, j][:, None]
            ahead = prop & ((D[v] > dj) | ((D[v] == dj) & (moves[None, :] < j[:, None])))
            carried[a : a + per] = np.where(has, ahead.sum(axis=1) + 1, prop.sum(axis=1))
            choice[a : a + per] = np.where(has, new[rows, j], -1)
        choice, carried = choice[inverse], carried[inverse]
        moved = choice >= 0
        offers[live] += carried
        visits[live] += 1
        cur[live[moved]] = choice[moved]
        rounds[live[moved]] += 1
        fails[live] = np.where(moved, 0, fails[live] + 1)
        if moved.any():
            path.append(cur.copy())
        done = fails[live] >= len(order)
        if cap is not None:
            capped = ~done & (rounds[live] >= cap)
            stop[live[capped]] = 2
            done |= capped
        live = live[~done]
        t += 1
    return cur, rounds, stop, np.stack(path, axis=-1), {"offers": offers, "visits": visits}


def _result(neg, T, procedure, labels, cur, rounds, stop, path, extra):
    from functools import cache

    from .._core._result import status_message
    from ..solutions import kalai_smorodinsky, nash

    batch = neg.batch_shape
    S = len(labels)
    single = S == 1 and not batch
    K = len(neg.agenda)
    # path columns are rounds; a process that stopped keeps its last text in later columns
    path = path[:, : (int(rounds.max()) if cur.size else 0) + 1]
    bidx = np.repeat(np.arange(T.B), S)
    final_U = np.stack([T.cols[i][bidx * T.P + cur] for i in range(T.n)], axis=-1)

    def shaped(a, tail=()):
        """Batch + (S,) + tail, or one start's value (a scalar without a tail)."""
        a = np.asarray(a).reshape(tail if single else batch + (S,) + tail)
        return scalar(a) if single and not tail else a

    # the ZOPA test only at the final texts (the rule slack needs their coded outcomes)
    texts, inverse = np.unique(cur, return_inverse=True)
    U_final = T.U[:, texts].reshape(batch + (texts.size, T.n))
    sigma = neg.rule_slack(U_final, T.X[texts]).reshape(T.B, texts.size)
    in_zopa = sigma[bidx, inverse.reshape(-1)] >= -T.eps

    @cache
    def solution(fn):
        return np.asarray(fn(neg).utilities, dtype=float)

    def distance(fn):
        u = np.broadcast_to(solution(fn), batch + (T.n,)).reshape(T.B, T.n)
        return shaped(np.sqrt(((final_U - u[bidx]) ** 2).sum(-1)))

    coded = T.X[cur]
    fields = dict(
        procedure=procedure,
        starts=labels,
        rounds=shaped(rounds),
        stop=shaped(stop),
        message=status_message(stop, STOPS),
        coded=shaped(coded, (K,)),
        outcome=Lazy(lambda: neg.stated_agenda.decode(shaped(coded, (K,)))),
        utilities=shaped(final_U, (T.n,)),
        path=Lazy(lambda: shaped(T.X[path], (path.shape[1], K))),
        path_utilities=Lazy(
            lambda: shaped(
                np.stack([T.cols[i][bidx[:, None] * T.P + path] for i in range(T.n)], -1),
                (path.shape[1], T.n),
            )
        ),
        pareto=Lazy(lambda: shaped(_pareto(T, bidx, cur, final_U))),
        in_zopa=shaped(in_zopa),
        nash=Lazy(lambda: solution(nash)),
        kalai_smorodinsky=Lazy(lambda: solution(kalai_smorodinsky)),
        nash_distance=Lazy(lambda: distance(nash)),
        ks_distance=Lazy(lambda: distance(kalai_smorodinsky)),
    )
    for key, v in extra.items():
        fields[key] = shaped(v)
    meta = dict(K=K, n=T.n, S=S, agenda=neg.stated_agenda, names=neg.names)
    return TextProcess(meta, **fields)


def _pareto(T, bidx, cur, final_U):
    """Whether each final text is undominated among the admissible texts of its draw."""
    key = bidx * T.P + cur
    uniq, inverse = np.unique(key, return_inverse=True)
    ub, uc = np.divmod(uniq, T.P)
    F = np.flatnonzero(T.feasible)
    out = np.empty(uniq.size, dtype=bool)
    per = max(1, _BLOCK // max(F.size * T.n, 1))
    for a in range(0, uniq.size, per):
        b, c = ub[a : a + per], uc[a : a + per]
        u = T.U[b, c]  # (Q, n)
        V = T.U[b][:, F]  # (Q, F, n)
        geq = np.all(V >= u[:, None, :] - T.eps, axis=-1)
        gt = np.any(V > u[:, None, :] + T.eps, axis=-1)
        out[a : a + per] = ~np.any(geq & gt, axis=1)
    return out[inverse.reshape(-1)]


# -- public API ------------------------------------------------------------------------


def single_text(
    neg,
    start=None,
    *,
    revision: str = "steepest",
    clauses: int = 2,
    step: int | None = None,
    threshold=0.0,
    fatigue: bool = True,
    bias=None,
    target="nash",
    grid=None,
    n_random: int = 0,
    rng=None,
    max_rounds: int | None = None,
) -> TextProcess:
    r"""Run the single-negotiating-text procedure from one or many starting texts.

    See the module :mod:`bargain.mediation._procedure` for the procedure, the
    acceptance rule, the thresholds and the exact statements (Propositions 1
    and 2 with proofs).

    Parameters
    ----------
    neg : Negotiation
        Any agenda (discrete, continuous, mixed), constraints and red lines,
        two or more parties, batched parameters (one process per draw and
        start).
    start : str, mapping, array_like or list of these, optional
        The starting texts: ``"status_quo"``, ``"proposals"`` (each party's
        own draft), a party name (its proposal), ``"random"`` (``n_random``
        texts drawn uniformly from the admissible ones, the same in every
        draw), outcomes (mappings) or coded outcomes. A party's proposal is
        its best admissible text among those every other party prefers to
        no agreement (at least its reservation value), or its best text
        outright when there is none, ties broken by the others' total
        utility. Default: the status quo
        (when the negotiation has one) and every party's proposal.
    revision : {"steepest", "target", "random"}
        The mediator's rule (module docstring).
    clauses : int, default 2
        Issues one revision may change.
    step : int, optional
        How far (options in listed order, grid points) a revision may move an
        issue; any distance by default.
    threshold : float or array_like (n,) or mapping, default 0
        Each party's trust or fatigue margin :math:`\theta_i`.
    fatigue : bool, default True
        ``True``: a proposal that gives some party less than its threshold is
        rejected and ends the process; ``False``: the mediator proposes only
        revisions that clear every threshold.
    bias : array_like (n,) or mapping, optional
        The mediator's weights on the parties' gains (``"steepest"``, and the
        joint gain that ``"random"`` revisions must raise); equal by default.
    target : str or array_like (n,), default "nash"
        The ``"target"`` rule's point: a concept (``"nash"``,
        ``"kalai_smorodinsky"``, ``"egalitarian"``, ``"utilitarian"``) or
        utilities.
    grid : int or mapping, optional
        Grid points per continuous issue (21 by default).
    n_random : int, default 0
        Random starting texts (added to ``start``).
    rng : None, int or numpy.random.Generator
        Seed of the random starts and of the ``"random"`` rule. The random
        revisions are a function of the seed, the start's position and the
        round, so a process does not depend on the others in the batch.
    max_rounds : int, optional
        A cap on the revisions (never needed for termination).

    Returns
    -------
    TextProcess
        ``rounds``, ``stop``, the final text (``coded``, ``outcome``,
        ``utilities``), the ``path`` and ``path_utilities``, ``pareto``,
        ``in_zopa``, ``nash_distance``, ``ks_distance``; methods
        :meth:`~TextProcess.distribution`, :meth:`~TextProcess.start_share`,
        :meth:`~TextProcess.drafting_advantage`.

    Examples
    --------
    A pie split as two claims ``a`` (A's share) and ``b`` (B's), at most the
    whole, from nothing (the corner ``(0, 0)``). Every round the mediator
    raises both claims by one grid step (0.05), the steepest joint gain, until
    the pie is used up at the even split, here also the Nash point:

    >>> import bargain as bg
    >>> A = bg.Agenda(bg.ContinuousIssue("a"), bg.ContinuousIssue("b"),
    ...               constraints=bg.LinearConstraint({"a": 1, "b": 1}, ub=1))
    >>> pa = bg.Party("A", bg.AdditiveUtility({"a": bg.Linear()}))
    >>> pb = bg.Party("B", bg.AdditiveUtility({"b": bg.Linear()}))
    >>> pie = bg.Negotiation(A, [pa, pb])
    >>> res = bg.single_text(pie, {"a": 0, "b": 0}, step=1)
    >>> res.rounds, res.outcome
    (10, Outcome(a=0.5, b=0.5))

    Each party drafting the first text keeps it (nothing improves on a
    party's best text for that party):

    >>> res = bg.single_text(pie, "proposals")
    >>> res.rounds.tolist(), res.utilities.tolist()
    ([0, 0], [[1.0, 0.0], [0.0, 1.0]])
    """
    if revision not in _RULES:
        raise ValueError(f"`revision` must be one of {list(_RULES)}, got {revision!r}")
    if not isinstance(fatigue, (bool, np.bool_)):
        raise ValueError(f"`fatigue` must be True or False, got {fatigue!r}")
    T, theta, starts, labels, seed, max_rounds = _common(
        neg, "single_text", start, grid, clauses, step, threshold, n_random, rng, max_rounds
    )
    bias = _party_vector(bias, neg, "bias", 1.0, positive=True)
    tgt = _target_point(neg, target, T) if revision == "target" else None
    cur, rounds, stop, path, extra = _run_single_text(
        T,
        starts,
        rule=revision,
        bias=bias,
        theta=theta,
        fatigue=bool(fatigue),
        target=tgt,
        seed=seed,
        max_rounds=max_rounds,
    )
    return _result(neg, T, "single_text", labels, cur, rounds, stop, path, extra)


def shuttle(
    neg,
    start=None,
    *,
    order=None,
    clauses: int = 2,
    step: int | None = None,
    threshold=0.0,
    grid=None,
    n_random: int = 0,
    rng=None,
    max_rounds: int | None = None,
) -> TextProcess:
    r"""Shuttle diplomacy: the mediator carries one party's proposals to the others, in turn.

    On a visit to party :math:`v` the text :math:`x` can move to the
    revision :math:`x'` (admissible as in :func:`single_text`) that :math:`v`
    likes best, :math:`\max \Delta_v` (earliest revision on ties), among
    those with :math:`\Delta_v > \theta_v` that the others accept
    (:math:`\Delta_j \ge \theta_j`; under a decision rule, the consenting set
    must carry it). :math:`v` reveals its ranking one offer at a time, and
    ``offers`` counts the offers carried: the rank of the accepted one among
    :math:`v`'s proposals, or all of them when every one is refused. The
    process ends when a whole tour of ``order`` changes nothing. Without a
    decision rule the total utility strictly increases, so it terminates.

    Parameters
    ----------
    neg, start, clauses, step, threshold, grid, n_random, rng, max_rounds
        As in :func:`single_text`.
    order : sequence of str, optional
        The parties the mediator visits, in turn (every party, in the
        negotiation's order, by default).

    Returns
    -------
    TextProcess
        As :func:`single_text`, plus ``offers`` (offers carried) and
        ``visits`` (meetings held).

    Examples
    --------
    The logrolling problem of the module example on a grid of halves. Visited
    first, A asks for both goods, then for all of ``x``, and B refuses both;
    A's third offer gives A ``x`` and B ``y`` (each gains 0.3) and B accepts.
    Then each makes its two offers that improve on the text for itself, and
    the other refuses them (7 offers in 3 visits):

    >>> import bargain as bg
    >>> A = bg.Agenda(bg.ContinuousIssue("x"), bg.ContinuousIssue("y"))
    >>> a = bg.Party("A", bg.AdditiveUtility({"x": bg.Linear(), "y": bg.Linear()}, [0.8, 0.2]))
    >>> b = bg.Party("B", bg.AdditiveUtility(
    ...     {"x": bg.Linear(-1.0, 1.0), "y": bg.Linear(-1.0, 1.0)}, [0.2, 0.8]))
    >>> res = bg.shuttle(bg.Negotiation(A, [a, b]), {"x": 0.5, "y": 0.5}, grid=3)
    >>> res.outcome, res.rounds, res.offers, res.visits
    (Outcome(x=1.0, y=0.0), 1, 7, 3)
    """
    T, theta, starts, labels, _, max_rounds = _common(
        neg, "shuttle", start, grid, clauses, step, threshold, n_random, rng, max_rounds
    )
    if order is None:
        order_idx = tuple(range(neg.n))
    else:
        if isinstance(order, str) or not isinstance(order, Sequence) or not len(order):
            raise ValueError(f"`order` must be a non-empty list of party names, got {order!r}")
        bad = [p for p in order if p not in neg.names]
        if bad:
            raise ValueError(f"`order` names unknown parties {bad}; parties are {list(neg.names)}")
        order_idx = tuple(neg.names.index(p) for p in order)
    cap = max_rounds if max_rounds is not None else (None if not neg.governed else T.P)
    cur, rounds, stop, path, extra = _run_shuttle(
        T, starts, order=order_idx, theta=theta, max_rounds=cap
    )
    return _result(neg, T, "shuttle", labels, cur, rounds, stop, path, extra)


def compare_procedures(
    neg,
    start=None,
    *,
    clauses: int = 2,
    step: int | None = None,
    grid=None,
    n_random: int = 0,
    rng=None,
) -> Result:
    r"""The single text, shuttle diplomacy and alternating offers side by side.

    Runs :func:`single_text` (steepest rule) and :func:`shuttle` from the same
    starting texts and revisions, and compares where they end with the
    Rubinstein (1982) alternating-offers equilibrium (:func:`bargain.rubinstein`,
    two parties; agreement in the first round) and the Nash solution.

    Parameters
    ----------
    neg, start, clauses, step, grid, n_random, rng
        As in :func:`single_text`.

    Returns
    -------
    Result
        ``single_text`` and ``shuttle`` (:class:`TextProcess`), ``rubinstein``
        and ``nash`` (utilities, batch + (n,); ``rubinstein`` is ``None`` for
        more than two parties), and ``rows``: one dict per procedure with
        the mean ``rounds``, ``offers`` (shuttle: offers carried; single text:
        the mediator's proposals, one per round plus the last one refused or
        none), the mean final ``utilities``, the share of final texts on the
        frontier (``pareto``) and in the ZOPA, and the mean distances to the
        Nash and Rubinstein utilities.

    Examples
    --------
    >>> import bargain as bg
    >>> neg = bg.load_model("syria_geneva_2012_17").negotiation
    >>> cmp = bg.compare_procedures(neg, "random", n_random=20, rng=0)
    >>> [r["procedure"] for r in cmp.rows]
    ['single_text', 'shuttle', 'rubinstein']
    >>> cmp.rows[2]["rounds"]  # the SPE: agreement on the first offer
    1.0
    """
    from ..solutions import nash, rubinstein

    st = single_text(neg, start, clauses=clauses, step=step, grid=grid, n_random=n_random, rng=rng)
    sh = shuttle(neg, start, clauses=clauses, step=step, grid=grid, n_random=n_random, rng=rng)
    u_nash = np.asarray(nash(neg).utilities, dtype=float)
    u_rub = None
    if neg.n == 2:
        u_rub = np.asarray(rubinstein(neg).utilities, dtype=float)
    S = len(st.starts)

    def per_start(u):
        return None if u is None else np.expand_dims(u, -2)  # batch + (1, n)

    def row(name, res, offers):
        U = np.asarray(res.utilities).reshape(neg.batch_shape + (S, neg.n))
        out = {
            "procedure": name,
            "rounds": float(np.mean(res.rounds)),
            "offers": float(np.mean(offers)),
            "utilities": U.reshape(-1, neg.n).mean(axis=0),
            "pareto": float(np.mean(res.pareto)),
            "in_zopa": float(np.mean(res.in_zopa)),
            "nash_distance": float(np.mean(np.linalg.norm(U - per_start(u_nash), axis=-1))),
        }
        if u_rub is not None:
            dist = np.linalg.norm(U - per_start(u_rub), axis=-1)
            out["rubinstein_distance"] = float(np.mean(dist))
        return out

    rows = [
        row("single_text", st, np.asarray(st.rounds) + 1),
        row("shuttle", sh, sh.offers),
    ]
    if u_rub is not None:
        rows.append(
            {
                "procedure": "rubinstein",
                "rounds": 1.0,
                "offers": 1.0,
                "utilities": u_rub.reshape(-1, neg.n).mean(axis=0),
                "nash_distance": float(np.mean(np.linalg.norm(u_rub - u_nash, axis=-1))),
                "rubinstein_distance": 0.0,
            }
        )
    return Result(single_text=st, shuttle=sh, rubinstein=u_rub, nash=u_nash, rows=rows)
