r"""What mediation can produce: settlement, symbolic agreement, frozen conflict or failure.

The mediation literature distinguishes four outcomes of talks during a war.
A *genuine settlement* resolves the issues that caused the fighting. A *quick
symbolic agreement* is a framework or partial deal signed while the core
issues are deferred -- Beardsley (2011, *The Mediation Dilemma*, ch. 1-3)
shows that mediated agreements come sooner but break down more often than
unmediated ones, because mediators can bring parties to sign deals that do
not reflect the underlying bargain. A *frozen conflict* is a ceasefire at the
line of contact that every side prefers to fighting on but no side will turn
into a settlement; Fortna (2004, *Peace Time*, ch. 1-2) shows that such
ceasefires last when mechanisms raise the cost of defection. Zartman's
ripeness (Zartman 2000, "Ripeness: the hurting stalemate and beyond") is the
condition that the ceasefire is preferred to war -- a mutually hurting
stalemate -- and that a way out exists. *Failure* is neither.

Definitions. Let ``r`` be the reservation values (the value of fighting on),
``c`` the ceasefire at the current line (a whole outcome: the core issues at
their ceasefire values, the framework issues at theirs), ``C`` the set of
core issues, and :math:`\sigma_d(x)` the rule slack of outcome ``x`` against
reference utilities ``d`` (:mod:`bargain.issues._rules`: under unanimity
:math:`\min_i (u_i(x) - d_i)`). Write

- :math:`\text{ceasefire ok} \iff \sigma_r(c) \ge 0` (every party whose
  consent counts prefers the ceasefire to fighting on);
- ``x`` *improves* on the alternatives iff :math:`\sigma_r(x) \ge 0` and,
  when the ceasefire is ok, :math:`\sigma_{u(c)}(x) > 0` (strictly better than
  the ceasefire for every party whose consent counts: "beats the ceasefire
  for all");
- a *full package* changes at least one core issue from ``c``; a *framework
  package* agrees the core issues at ``c`` and changes at least one framework
  issue.

Then, in this order (the four are exclusive and exhaustive):

1. **settlement**: some full package improves;
2. **symbolic**: otherwise, some framework package improves;
3. **frozen**: otherwise, the ceasefire is ok;
4. **failure**: otherwise.

Where the agreement must also be self-enforcing (Fearon 1995, pp. 401-409;
Powell 2006; Walter 2002), pass ``enforceable``: a boolean mask over the
enumerated outcomes (e.g. from :func:`bargain.self_enforcing`); full packages
outside it do not count as settlements.
"""

from __future__ import annotations

import numpy as np

from .._core._result import Result, scalar
from ..issues._negotiation import Negotiation

__all__ = ["TYPES", "typology"]

TYPES = ("settlement", "symbolic", "frozen", "failure")
_TOL = 1e-12


def _outcomes(A, c, grid):
    """The outcomes typology compares: every package, divisible issues on a grid with c's value."""
    if not A.continuous:
        return A.enumerate()
    if isinstance(grid, bool) or not isinstance(grid, (int, np.integer)) or grid < 2:
        raise ValueError(f"`grid` must be an integer >= 2, got {grid!r}")
    axes = []
    for k, issue in enumerate(A.issues):
        if issue.discrete:
            axes.append(np.arange(issue.k, dtype=float))
        else:
            axes.append(np.union1d(np.linspace(issue.lo, issue.hi, int(grid)), [c[k]]))
    X = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, len(A))
    return X[np.asarray(A.feasible(X), dtype=bool)]


def typology(negotiation, ceasefire, core, d=None, *, enforceable=None, grid=21) -> Result:
    r"""Classify a negotiation's prospects: settlement, symbolic, frozen or failure.

    Parameters
    ----------
    negotiation : Negotiation
        The outcomes are enumerated (up to ``2**20``), divisible issues on a
        grid of ``grid`` points plus the ceasefire's value; batched
        negotiations give one type per batch element.
    ceasefire : mapping
        The ceasefire at the current line: a value for every issue.
    core : sequence of str
        The core issues, whose resolution makes a settlement (the others are
        framework issues).
    d : array_like, shape (..., n), optional
        Reservation values (the parties' by default).
    enforceable : array_like of bool, shape (..., N), optional
        Which of the compared outcomes (``negotiation.agenda.enumerate()`` for
        a discrete agenda) are self-enforcing; by default all.
    grid : int, default 21
        Points per divisible issue (its range, evenly, plus the ceasefire's
        value): the typology of a divisible issue is exact on that grid.

    Returns
    -------
    Result
        ``type`` (str, or an array of str for a batch), ``code`` (index into
        ``TYPES``), booleans ``settlement``, ``symbolic``, ``frozen``,
        ``failure``, ``ceasefire_ok``; the slacks ``ceasefire_slack``
        (:math:`\sigma_r(c)`), ``settlement_slack`` and ``framework_slack``
        (the largest margin :math:`\min(\sigma_r, \sigma_{u(c)})` of a full /
        framework package, or :math:`\sigma_r` when the ceasefire is not ok; a
        package improves when it is >= 0, strictly > 0 against an ok
        ceasefire); the witnesses ``settlement_coded`` and
        ``framework_coded`` (..., K) (NaN when none improves) and, unbatched,
        ``settlement_outcome``, ``framework_outcome``.

    See the module :mod:`bargain.mediation._typology` for the definitions and
    the literature.

    Examples
    --------
    Land (the core issue) and prisoners (a framework issue). At the line,
    ``land = "line"``, each side prefers the ceasefire (0.5) to war (0.4);
    returning half the land gives 0.6 / 0.45 -- Russia loses against the
    ceasefire -- so no full package beats it, but an exchange of prisoners
    gives both 0.6 and 0.55: a quick symbolic agreement.

    >>> import bargain as bg
    >>> A = bg.Agenda(bg.DiscreteIssue("land", ["line", "half"]),
    ...               bg.DiscreteIssue("prisoners", ["none", "exchange"]))
    >>> ua = bg.Party("Ukraine", bg.AdditiveUtility(
    ...     {"land": bg.Table([0.5, 0.6]), "prisoners": bg.Table([0.0, 0.1])}), 0.4)
    >>> ru = bg.Party("Russia", bg.AdditiveUtility(
    ...     {"land": bg.Table([0.5, 0.45]), "prisoners": bg.Table([0.0, 0.05])}), 0.4)
    >>> res = bg.typology(bg.Negotiation(A, [ua, ru]),
    ...                   {"land": "line", "prisoners": "none"}, core=["land"])
    >>> res.type, res.framework_outcome
    ('symbolic', Outcome(land='line', prisoners='exchange'))
    """
    neg = negotiation
    if not isinstance(neg, Negotiation):
        raise TypeError(f"`negotiation` must be a bargain.Negotiation, got {type(neg).__name__}")
    A = neg.agenda
    if not A.continuous and A.size > 2**20:
        raise ValueError(f"the agenda has {A.size} outcomes; typology enumerates up to 2**20")
    if isinstance(core, str):
        core = (core,)
    core = tuple(core)
    bad = [k for k in core if k not in A.names]
    if bad or not core:
        raise ValueError(
            f"`core` must name at least one issue of the agenda; unknown {bad}, issues are "
            f"{list(A.names)}"
        )
    c = A.encode_reference(ceasefire, "ceasefire")
    r = neg.disagreement(d)
    X = _outcomes(A, c, grid)
    return classify(neg, X, neg.coded_utilities(X), c, core, r, enforceable=enforceable)


def classify(neg, X, U, c, core, r, *, enforceable=None) -> Result:
    """:func:`typology` on given outcomes ``X`` (N, K) and their utilities ``U`` (..., N, n).

    ``c`` is the coded ceasefire, ``core`` the core issues' names (checked),
    ``r`` the reservation values.
    """
    A = neg.agenda
    batch = np.broadcast_shapes(U.shape[:-2], r.shape[:-1])
    U = np.broadcast_to(U, batch + U.shape[-2:])
    r = np.broadcast_to(r, batch + (neg.n,))
    uc = np.broadcast_to(neg.coded_utilities(c[None, :])[..., 0, :], batch + (neg.n,))
    cf_slack = neg.rule_slack(uc[..., None, :], c[None, :], r)[..., 0]
    ok = cf_slack >= 0
    s_war = neg.rule_slack(U, X, r)
    s_cf = neg.rule_slack(U, X, uc)
    # margin of improvement: against war, and strictly against the ceasefire when it is ok
    margin = np.where(ok[..., None], np.minimum(s_war, s_cf), s_war)
    improves = np.where(ok[..., None], (s_war >= 0) & (s_cf > _TOL), s_war >= 0)
    kc = [A.position(k) for k in core]
    kf = [k for k in range(len(A)) if k not in kc]
    full = np.any(X[:, kc] != c[kc], axis=-1)
    frame = ~full & (np.any(X[:, kf] != c[kf], axis=-1) if kf else np.zeros(len(X), bool))
    if enforceable is not None:
        e = np.asarray(enforceable, dtype=bool)
        try:
            e = np.broadcast_to(e, batch + X.shape[:1])
        except ValueError:
            raise ValueError(
                f"`enforceable` must broadcast to shape {batch + X.shape[:1]} (one flag per "
                f"enumerated outcome), got {e.shape}"
            ) from None
        full_ok = full & e
    else:
        full_ok = np.broadcast_to(full, batch + X.shape[:1])

    def best(mask):
        m = np.where(mask, margin, -np.inf)
        j = np.argmax(m, axis=-1)
        val = np.take_along_axis(m, j[..., None], axis=-1)[..., 0]
        hit = np.take_along_axis(mask & improves, j[..., None], axis=-1)[..., 0]
        coded = np.where(hit[..., None], X[j], np.nan)
        return np.where(np.isfinite(val), val, -np.inf), hit, coded

    s_set, settle, set_coded = best(full_ok)
    s_fw, fw_any, fw_coded = best(np.broadcast_to(frame, batch + X.shape[:1]))
    symbolic = ~settle & fw_any
    frozen = ~settle & ~symbolic & ok
    failure = ~settle & ~symbolic & ~frozen
    code = np.select([settle, symbolic, frozen], [0, 1, 2], 3)
    names = np.array(TYPES, dtype=object)[code]
    fields = dict(
        concept="typology",
        type=scalar(names) if batch else str(names),
        code=scalar(code),
        settlement=scalar(settle),
        symbolic=scalar(symbolic),
        frozen=scalar(frozen),
        failure=scalar(failure),
        ceasefire_ok=scalar(ok),
        ceasefire_slack=scalar(cf_slack),
        ceasefire_utilities=uc,
        settlement_slack=scalar(s_set),
        framework_slack=scalar(s_fw),
        settlement_coded=set_coded,
        framework_coded=fw_coded,
        core=core,
        parties=neg.names,
    )
    if not batch:
        fields["settlement_outcome"] = A.decode(set_coded) if bool(settle) else None
        fields["framework_outcome"] = A.decode(fw_coded) if bool(fw_any) else None
    return Result(**fields)
