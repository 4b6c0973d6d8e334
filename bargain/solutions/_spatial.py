r"""Spatial models of collective decisions: actors' positions, saliences and power on issue scales.

The data of the spatial-bargaining literature (KTAB scenario files, the data
sets of *The European Union Decides*) is a table: for each actor a
capability (power) :math:`c_i > 0` and, on every issue :math:`k` (a scale,
usually 0..100), a position :math:`p_{ik}` and a salience :math:`s_{ik} \ge 0`;
plus the status quo :math:`q_k` (the reference point). A missing entry means
the actor has no stake in the issue (salience 0).

Actor :math:`i`'s utility for an outcome :math:`x` on issue :math:`k` is an
ideal-point loss, :math:`u_{ik}(x) = -|x - p_{ik}|` (linear) or
:math:`-(x - p_{ik})^2` (quadratic). The models compared in that literature,
each issue on its own, and each vectorised here over leading batch
dimensions, actors and issues (arrays ``(..., n, K)``):

- :func:`spatial_nash`: the generalised Nash bargaining solution with the
  status quo as disagreement point and bargaining weights
  :math:`w_{ik} = c_i s_{ik}`;
- :func:`compromise`: the power-and-salience-weighted mean of the positions
  (the "compromise model");
- :func:`weighted_median`: the position of the weighted median actor.

:func:`bargain.read_spatial` reads the CSV table into a :class:`SpatialModel`,
:meth:`SpatialModel.negotiation` turns it into a :class:`~bargain.Negotiation`
(for the issue-space solvers), and :func:`bargain.write_spatial` writes either back.
"""

from __future__ import annotations

import numpy as np

from .._core._result import Result
from .._core._validate import as_float_array
from ..issues._agenda import Agenda, ContinuousIssue
from ..issues._negotiation import Negotiation, Party
from ..issues._utility import AdditiveUtility
from ..issues._values import IdealPoint

__all__ = [
    "SpatialModel",
    "compromise",
    "spatial_nash",
    "voting_core",
    "weighted_median",
]

LOSSES = ("quadratic", "linear")


# -- the three models, vectorised ------------------------------------------------------


def _weights(position, salience, power):
    """Validated ``(p, w, stake)``: positions, bargaining weights ``c s``, and the stake mask."""
    p = np.asarray(position, dtype=float)
    if p.ndim < 2:
        raise ValueError(f"`position` must have shape (..., n, K), got shape {p.shape}")
    s = np.asarray(salience, dtype=float)
    if np.any(np.isinf(s)):
        raise ValueError("`salience` must be finite (NaN marks no stake)")
    s = np.where(np.isnan(s), 0.0, s)
    c = as_float_array(power, "power")
    if np.any(s < 0):
        raise ValueError(f"`salience` must be >= 0, got a minimum of {s.min()}")
    if np.any(c <= 0):
        raise ValueError(f"`power` must be positive, got a minimum of {c.min()}")
    try:
        shape = np.broadcast_shapes(p.shape, s.shape, c[..., None].shape)
    except ValueError:
        raise ValueError(
            f"shapes do not broadcast: position {p.shape}, salience {s.shape}, power {c.shape} "
            "(power is (..., n), the others (..., n, K))"
        ) from None
    p, s = np.broadcast_to(p, shape), np.broadcast_to(s, shape)
    w = c[..., None] * s
    missing = np.isnan(p)
    if np.any(missing & (w > 0)):
        raise ValueError("`position` is missing (NaN) where the actor has a positive salience")
    if np.any(np.isinf(p)):
        raise ValueError("`position` must be finite (NaN marks no stake)")
    stake = w > 0
    return p, w, stake


def compromise(position, salience, power):
    r"""The compromise model: positions weighted by power times salience, per issue.

    .. math:: x_k = \frac{\sum_i c_i s_{ik} p_{ik}}{\sum_i c_i s_{ik}}

    Parameters
    ----------
    position : array_like, shape (..., n, K)
        Actors' positions; NaN where an actor has no stake.
    salience : array_like, shape (..., n, K)
        Saliences :math:`s_{ik} \ge 0`; NaN (missing) means 0, no stake.
    power : array_like, shape (..., n)
        Capabilities :math:`c_i > 0`.

    Returns
    -------
    ndarray, shape (..., K)
        NaN-free where some actor has a stake; an issue nobody cares about
        raises ``ValueError``.

    Notes
    -----
    *When the compromise is the Nash solution.* The generalised Nash solution
    with weights :math:`w_i = c_i s_{ik}` maximises
    :math:`\sum_i w_i \log(u_i(x) - u_i(q))`. Two cases give the weighted mean:

    1. Gaussian (log-quadratic) utilities with a worthless disagreement:
       :math:`u_i(x) = \exp(-(x - p_i)^2)` and :math:`u_i(q) = 0`. Then the
       objective is :math:`-\sum_i w_i (x - p_i)^2`, whose maximiser is
       exactly :math:`\sum_i w_i p_i / \sum_i w_i`.
    2. Quadratic loss with a remote status quo. With
       :math:`u_i(x) = -(x - p_i)^2` the first-order condition is
       :math:`\sum_i w_i (x - p_i) / g_i(x) = 0`, with gains
       :math:`g_i(x) = (q - p_i)^2 - (x - p_i)^2`. As :math:`|q| \to \infty`
       with the positions fixed, :math:`g_i(x) / q^2 \to 1` for every actor,
       so the condition tends to :math:`\sum_i w_i (x - p_i) = 0`: the Nash
       solution tends to the compromise (the error is of order
       :math:`1/|q|`).

    Achen (2006) presents the compromise model as a bargaining solution of
    this kind and tests it against the EU's decisions; for a near status quo
    the two differ (see :func:`spatial_nash`).

    References
    ----------
    C. H. Achen (2006), "Institutional realism and bargaining models", in
    R. Thomson, F. N. Stokman, C. H. Achen and T. König (eds.), *The European
    Union Decides*, Cambridge University Press.

    Examples
    --------
    >>> import numpy as np, bargain as bg
    >>> p = [[20.0], [50.0], [100.0]]           # 3 actors, 1 issue
    >>> bg.compromise(p, salience=[[1.0], [2.0], [2.0]], power=[1.0, 1.0, 0.5])
    array([55.])
    """
    p, w, stake = _weights(position, salience, power)
    total = w.sum(axis=-2)
    if np.any(total <= 0):
        raise ValueError("an issue has no actor with a stake (all saliences zero or missing)")
    return np.sum(np.where(stake, w * np.where(stake, p, 0.0), 0.0), axis=-2) / total


def weighted_median(position, salience, power):
    r"""The weighted median position per issue, weights power times salience.

    The position :math:`p_{(j)}` (actors sorted by position) at which the
    cumulative weight first reaches half the total: no coalition of actors
    on one side of it holds more than half the weight. When the cumulative
    weight equals half exactly at :math:`p_{(j)}`, every point of
    :math:`[p_{(j)}, p_{(j+1)}]` is a weighted median and the lower end is
    returned. With linear loss and one issue it is the position a weighted
    majority (by :math:`c_i s_{ik}`) cannot beat (Black's median voter).

    Parameters
    ----------
    position, salience : array_like, shape (..., n, K)
    power : array_like, shape (..., n)
        As for :func:`compromise`.

    Returns
    -------
    ndarray, shape (..., K)

    Examples
    --------
    >>> import bargain as bg
    >>> bg.weighted_median([[20.0], [50.0], [100.0]], [[1.0], [2.0], [2.0]], [1.0, 1.0, 0.5])
    array([50.])
    """
    p, w, stake = _weights(position, salience, power)
    total = w.sum(axis=-2)
    if np.any(total <= 0):
        raise ValueError("an issue has no actor with a stake (all saliences zero or missing)")
    key = np.where(stake, p, np.inf)
    order = np.argsort(key, axis=-2, kind="stable")
    ps = np.take_along_axis(key, order, axis=-2)
    cum = np.cumsum(np.take_along_axis(np.where(stake, w, 0.0), order, axis=-2), axis=-2)
    j = np.argmax(cum >= 0.5 * total[..., None, :], axis=-2)
    return np.take_along_axis(ps, j[..., None, :], axis=-2)[..., 0, :]


def _gain(x, p, r, loss):
    z = np.abs(x - p)
    return r - z if loss == "linear" else r * r - z * z


def _slope(x, p, r, w, stake, loss, right):
    """One-sided derivative of ``sum_i w_i log g_i(x)``, shape (..., K)."""
    g = _gain(x[..., None, :], p, r, loss)
    z = x[..., None, :] - p
    if loss == "linear":
        sgn = np.where(z > 0, 1.0, np.where(z < 0, -1.0, 1.0 if right else -1.0))
        dg = -sgn
    else:
        dg = -2.0 * z
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(stake, w * dg / g, 0.0)
    return terms.sum(axis=-2)


def spatial_nash(position, salience, power, status_quo, *, loss: str = "quadratic"):
    r"""Generalised Nash solution per issue: status quo as threat, weights power x salience.

    For each issue :math:`k`, maximise the weighted Nash product of the
    actors' gains over the status quo :math:`q_k`,

    .. math:: x_k^* = \arg\max_x \sum_i c_i s_{ik}
              \log\big(u_{ik}(x) - u_{ik}(q_k)\big),

    over the outcomes that every actor with a stake strictly prefers to
    :math:`q_k`, with :math:`u_{ik}(x) = -|x - p_{ik}|` (``loss="linear"``) or
    :math:`-(x - p_{ik})^2` (``loss="quadratic"``).

    Parameters
    ----------
    position, salience : array_like, shape (..., n, K)
    power : array_like, shape (..., n)
        As for :func:`compromise` (NaN position: no stake).
    status_quo : array_like, shape (..., K)
        The reference point :math:`q_k`.
    loss : {"quadratic", "linear"}
        The utility form.

    Returns
    -------
    Result
        ``x`` (..., K): the solution (the status quo where there is no
        agreement); ``agreement`` (..., K): whether some outcome is strictly
        better than :math:`q_k` for every actor with a stake;
        ``lo``/``hi`` (..., K): the open interval of such outcomes
        (``lo >= hi`` without agreement); ``loss``.

    Notes
    -----
    Actor :math:`i` gains from :math:`x` iff :math:`|x - p_{ik}| < r_{ik}`,
    :math:`r_{ik} = |q_k - p_{ik}|`, under either loss, so the agreement set is
    the interval :math:`(\max_i (p_{ik} - r_{ik}), \min_i (p_{ik} + r_{ik}))`:
    empty when actors with a stake sit on both sides of :math:`q_k` or one of
    them sits at :math:`q_k` (the status quo is then Pareto optimal). On that
    interval each gain :math:`g_i` is positive and concave, so the objective
    is strictly concave (quadratic loss) or concave (linear loss) and its
    maximiser is where the right derivative changes sign; it is found by
    bisection on all issues at once to the resolution of float64.

    *Quadratic loss*, gains :math:`g_i(x) = r_i^2 - (x - p_i)^2`: the
    condition :math:`\sum_i w_i (x - p_i) / g_i(x) = 0` makes the solution a
    weighted mean of the positions with weights :math:`w_i / g_i(x^*)`:
    actors who gain little from the deal (close to indifferent) pull it
    towards themselves. *Linear loss*, :math:`g_i(x) = r_i - |x - p_i|`: the
    objective is piecewise :math:`\sum w_i \log(\text{linear})`, and the
    solution either solves :math:`\sum_i w_i\,\mathrm{sgn}(p_i - x) / g_i(x) = 0`
    within a piece or sits at an actor's position (a kink).

    Power and salience enter only as bargaining weights; with one issue,
    :meth:`SpatialModel.negotiation` and ``neg.solve("nash",
    weights=power * salience)`` give the same point.

    References
    ----------
    J. F. Nash (1950), "The bargaining problem", *Econometrica* 18(2).

    C. H. Achen (2006), "Institutional realism and bargaining models", in
    R. Thomson, F. N. Stokman, C. H. Achen and T. König (eds.), *The European
    Union Decides*, Cambridge University Press.

    B. Bueno de Mesquita (1994), "Political forecasting: an expected utility
    method", in B. Bueno de Mesquita and F. N. Stokman (eds.), *European
    Community Decision Making*, Yale University Press; and B. Bueno de
    Mesquita (2009), *The Predictioneer's Game*, Random House — the
    expected-utility model these bargaining models are compared with.

    Examples
    --------
    Three actors on one issue, status quo at 0 (derivation in
    ``benchmarks/cases/spatial.toml``):

    >>> import bargain as bg
    >>> p, s, c = [[20.0], [50.0], [100.0]], [[1.0], [2.0], [2.0]], [1.0, 1.0, 0.5]
    >>> bg.spatial_nash(p, s, c, [0.0], loss="linear").x
    array([30.])
    >>> round(float(bg.spatial_nash(p, s, c, [0.0]).x[0]), 7)  # quadratic loss
    29.9244113

    Hundreds of issues and 30 actors in one call:

    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> P = rng.uniform(0, 100, (30, 500))
    >>> res = bg.spatial_nash(P, rng.random((30, 500)), rng.random(30) + 0.1, np.zeros(500))
    >>> res.x.shape, bool(res.agreement.all())
    ((500,), True)
    """
    if loss not in LOSSES:
        raise ValueError(f"`loss` must be 'quadratic' or 'linear', got {loss!r}")
    p, w, stake = _weights(position, salience, power)
    q = as_float_array(status_quo, "status_quo", min_ndim=1)
    if q.shape[-1] != p.shape[-1]:
        raise ValueError(
            f"`status_quo` must have shape (..., {p.shape[-1]}) for the {p.shape[-1]} issues, "
            f"got shape {q.shape}"
        )
    batch = np.broadcast_shapes(p.shape[:-2], q.shape[:-1])
    K = p.shape[-1]
    p = np.broadcast_to(p, batch + p.shape[-2:])
    w = np.broadcast_to(w, batch + w.shape[-2:])
    stake = np.broadcast_to(stake, batch + stake.shape[-2:])
    q = np.broadcast_to(q, batch + (K,))
    if np.any(~stake.any(axis=-2)):
        raise ValueError("an issue has no actor with a stake (all saliences zero or missing)")
    pz = np.where(stake, p, 0.0)
    r = np.abs(q[..., None, :] - pz)
    lo = np.max(np.where(stake, pz - r, -np.inf), axis=-2)
    hi = np.min(np.where(stake, pz + r, np.inf), axis=-2)
    agreement = lo < hi
    a = np.where(agreement, lo, 0.0)
    b = np.where(agreement, hi, 1.0)
    # bisection on the sign of the right derivative; stops when the bracket is one ulp
    for _ in range(2000):
        mid = 0.5 * (a + b)
        active = agreement & (mid > a) & (mid < b)
        if not np.any(active):
            break
        up = _slope(mid, pz, r, w, stake, loss, right=True) > 0
        a = np.where(active & up, mid, a)
        b = np.where(active & ~up, mid, b)
    x = 0.5 * (a + b)
    x = np.where(agreement, np.where((x > lo) & (x < hi), x, a), q)
    return Result(
        x=x,
        agreement=agreement,
        lo=lo,
        hi=hi,
        loss=loss,
        message="agreement on every issue"
        if np.all(agreement)
        else f"no agreement on {int(np.size(agreement) - np.count_nonzero(agreement))} issue(s)",
    )


# -- the data object -------------------------------------------------------------------


def voting_core(position, rule, actors, status_quo=None, *, stake=None) -> Result:
    r"""The core and the status quo's win set of a collective decision rule, issue by issue.

    Actors have single-peaked, symmetric preferences on each issue scale
    (ideal points ``position``; any loss increasing in the distance, linear or
    quadratic alike). A proposal :math:`y` beats :math:`x` when the actors
    strictly closer to :math:`y` form a winning coalition under ``rule``;
    actors without a stake are indifferent and count as not supporting a
    change (in the EU Council an abstention counts against a qualified
    majority, Art. 238(4) TFEU).

    For :math:`y > x` the supporters are :math:`\{i : p_i > (x + y)/2\}`, so
    :math:`x` is beaten from the right iff :math:`W(\{i : p_i > x\})`. Hence,
    with

    .. math::

        t_R = \max\{p_j : \{i : p_i \ge p_j\} 	ext{ wins}\}, \qquad
        t_L = \min\{p_j : \{i : p_i \le p_j\} 	ext{ wins}\},

    the core (the points no proposal beats) is the interval :math:`[t_R, t_L]`
    -- the median under simple majority with an odd number of equal voters,
    the "gridlock interval" between the pivots under a supermajority
    (Krehbiel 1998, *Pivotal Politics*, ch. 2; Tsebelis 2002, *Veto Players*,
    ch. 1: the unanimity core is the interval between the extreme veto
    players) -- and empty when :math:`t_R > t_L` (no stable point).
    The win set of a status quo :math:`q` is the open interval
    :math:`(q, 2 t_R - q)` when :math:`q < t_R`, :math:`(2 t_L - q, q)` when
    :math:`q > t_L`, and empty when :math:`q` is in the core.

    Parameters
    ----------
    position : array_like, shape (n, K)
        Ideal points of the ``n`` actors on ``K`` issues.
    rule : DecisionRule
        :class:`~bargain.Unanimity`, :class:`~bargain.Majority` or
        :class:`~bargain.QualifiedMajority` over ``actors``.
    actors : sequence of str
        The actors' names (the rule's voters and weights refer to them).
    status_quo : array_like, shape (K,), optional
        The reference point; gives ``win_set`` and ``in_core``.
    stake : array_like of bool, shape (n, K), optional
        Which actors have a stake in each issue (all by default).

    Returns
    -------
    Result
        ``core`` (K, 2): :math:`[t_R, t_L]`, NaN where empty; ``empty`` (K,);
        ``pivots`` (K, 2): :math:`(t_R, t_L)`; with a status quo, ``in_core``
        (K,) and ``win_set`` (K, 2), the open interval of proposals that beat
        it (NaN when empty).

    Examples
    --------
    Five members, populations 40, 25, 15, 12, 8, ideal points 20, 40, 60, 80,
    90; the EU Council's double majority (55% of the members, 65% of the
    population). Moving right needs the ideals above: {B, C, D, E} hold 60%
    of the population, short of 65%, so only all five win and
    :math:`t_R = 20`. Moving left: {A, B} hold 65% but are 2 of 5 members;
    {A, B, C} (3 members, 80%) win, so :math:`t_L = 60`. The core is
    [20, 60]; a status quo of 100 is beaten by every proposal in (20, 100).

    >>> import bargain as bg
    >>> pop = {"A": 40, "B": 25, "C": 15, "D": 12, "E": 8}
    >>> rule = bg.QualifiedMajority(0.65, weights=pop, members=0.55)
    >>> res = bg.voting_core([[20], [40], [60], [80], [90]], rule, list(pop), [100])
    >>> res.core, res.win_set
    (array([[20., 60.]]), array([[ 20., 100.]]))
    """
    from ..issues._rules import DecisionRule

    if not isinstance(rule, DecisionRule):
        raise TypeError(f"`rule` must be a bargain DecisionRule, got {rule!r}")
    p = as_float_array(position, "position", min_ndim=2)
    names = _names(actors, "actors")
    n, K = p.shape
    if len(names) != n:
        raise ValueError(f"`actors` names {len(names)} actors, `position` has {n} rows")
    if not np.all(np.isfinite(p)):
        raise ValueError("`position` must be finite (mark a missing stake with `stake`)")
    st = np.ones((n, K), dtype=bool) if stake is None else np.asarray(stake, dtype=bool)
    if st.shape != (n, K):
        raise ValueError(f"`stake` must have shape ({n}, {K}), got {st.shape}")
    bound = rule.bind(names)
    # coalitions {i : p_i >= p_j} and {i : p_i <= p_j} for every candidate j, per issue
    ge = st[None, :, :] & (p[None, :, :] >= p[:, None, :])  # (j, i, K)
    le = st[None, :, :] & (p[None, :, :] <= p[:, None, :])
    win_ge = bound.winning(np.moveaxis(ge, 1, -1))  # (j, K)
    win_le = bound.winning(np.moveaxis(le, 1, -1))
    cand = st  # only actors with a stake can be pivots
    t_r = np.max(np.where(win_ge & cand, p, -np.inf), axis=0)
    t_l = np.min(np.where(win_le & cand, p, np.inf), axis=0)
    empty = ~(np.isfinite(t_r) & np.isfinite(t_l) & (t_r <= t_l))
    core = np.where(empty[:, None], np.nan, np.stack([t_r, t_l], axis=-1))
    fields = dict(
        concept="voting_core",
        core=core,
        empty=empty,
        pivots=np.stack([t_r, t_l], axis=-1),
        rule=rule.describe(),
    )
    if status_quo is not None:
        q = as_float_array(status_quo, "status_quo", min_ndim=1)
        if q.shape != (K,):
            raise ValueError(f"`status_quo` must have shape ({K},), got {q.shape}")
        right = np.isfinite(t_r) & (q < t_r)
        left = np.isfinite(t_l) & (q > t_l)
        ws = np.full((K, 2), np.nan)
        ws[right] = np.stack([q[right], 2 * t_r[right] - q[right]], axis=-1)
        ws[left] = np.stack([2 * t_l[left] - q[left], q[left]], axis=-1)
        fields["win_set"] = ws
        fields["in_core"] = ~empty & (q >= t_r) & (q <= t_l)
    return Result(**fields)


class SpatialModel:
    r"""Actors' positions, saliences and power on issue scales, and the status quo.

    Parameters
    ----------
    actors : sequence of str
        ``n`` distinct actor names.
    issues : sequence of str
        ``K`` distinct issue names.
    power : array_like, shape (n,)
        Capabilities, positive.
    position : array_like, shape (n, K)
        Positions on the scales; NaN where an actor has no stake.
    salience : array_like, shape (n, K)
        Saliences, ``>= 0``; NaN is read as 0 (no stake).
    status_quo : array_like, shape (K,), optional
        The reference point; needed by :meth:`nash` and :meth:`negotiation`.
        NaN on an issue means the status quo is unknown there: :meth:`nash`
        then reports that issue with ``status`` 2 and leaves it out, and the
        compromise and the median (which need no status quo) are unaffected.
    scale : (float, float), default (0, 100)
        The issue scale; positions and the status quo must lie on it.
    missing : dict, optional
        What a reader did with missing cells (kept as :attr:`missing`).

    Notes
    -----
    *Why the unanimity Nash solution can return the status quo.* The
    generalised Nash solution of :meth:`nash` needs every actor with a stake
    to gain over the status quo (each is a veto player). An actor whose
    position *is* the status quo on an issue can never gain there, so the
    set of outcomes all prefer to :math:`q_k` is empty and the solution is
    :math:`q_k` itself (``agreement`` False). In real data (e.g. the EU's
    legislative decisions, where some member states sit at the status quo
    on many issues) this makes the unanimity Nash predict no change much more
    often than the Council decides none; under qualified majority the
    decision needs no such actor's consent. Use a decision rule
    (:meth:`negotiation` with :class:`~bargain.QualifiedMajority` on the
    resulting :class:`~bargain.Negotiation`, or :func:`voting_core`) for
    those decisions.

    Examples
    --------
    >>> import bargain as bg
    >>> m = bg.SpatialModel(["A", "B", "C"], ["tax"], [1.0, 1.0, 0.5],
    ...                     [[20.0], [50.0], [100.0]], [[1.0], [2.0], [2.0]], status_quo=[0.0])
    >>> m.compromise(), m.weighted_median(), m.nash(loss="linear").x
    (array([55.]), array([50.]), array([30.]))
    """

    def __init__(
        self,
        actors,
        issues,
        power,
        position,
        salience,
        status_quo=None,
        *,
        scale=(0.0, 100.0),
        missing=None,
    ) -> None:
        self.actors = _names(actors, "actors")
        self.issues = _names(issues, "issues")
        n, K = len(self.actors), len(self.issues)
        self.power = as_float_array(power, "power", min_ndim=1)
        if self.power.shape != (n,):
            raise ValueError(f"`power` must have shape ({n},), got {self.power.shape}")
        if np.any(self.power <= 0):
            raise ValueError(f"`power` must be positive, got {self.power.tolist()}")
        pos = np.array(position, dtype=float)
        sal = np.array(salience, dtype=float)
        for key, a in (("position", pos), ("salience", sal)):
            if a.shape != (n, K):
                raise ValueError(f"`{key}` must have shape ({n}, {K}), got {a.shape}")
            if np.any(np.isinf(a)):
                raise ValueError(f"`{key}` must be finite (NaN marks a missing entry)")
        sal = np.where(np.isnan(sal), 0.0, sal)
        if np.any(sal < 0):
            raise ValueError("`salience` must be >= 0")
        bad = np.isnan(pos) & (sal > 0)
        if np.any(bad):
            i, k = np.argwhere(bad)[0]
            raise ValueError(
                f"actor {self.actors[i]!r} has salience {sal[i, k]} on issue "
                f"{self.issues[k]!r} but no position"
            )
        lo, hi = (float(v) for v in scale)
        if not lo < hi:
            raise ValueError(f"`scale` must be (lo, hi) with lo < hi, got {scale!r}")
        self.scale = (lo, hi)
        off = ~np.isnan(pos) & ((pos < lo) | (pos > hi))
        if np.any(off):
            i, k = np.argwhere(off)[0]
            raise ValueError(
                f"actor {self.actors[i]!r}: position {pos[i, k]} on issue {self.issues[k]!r} "
                f"is off the scale [{lo}, {hi}]"
            )
        self.position, self.salience = pos, sal
        if status_quo is not None:
            q = np.array(status_quo, dtype=float)
            if q.shape != (K,):
                raise ValueError(f"`status_quo` must have shape ({K},), got {q.shape}")
            if np.any(np.isinf(q)):
                raise ValueError("`status_quo` must be finite (NaN marks an unknown status quo)")
            known = ~np.isnan(q)
            if np.any((q[known] < lo) | (q[known] > hi)):
                raise ValueError(f"`status_quo` must lie on the scale [{lo}, {hi}], got {q}")
            status_quo = q
            status_quo.flags.writeable = False
        self.status_quo = status_quo
        self.missing = dict(missing or {})
        for a in (self.power, self.position, self.salience):
            a.flags.writeable = False

    def __repr__(self) -> str:
        return (
            f"SpatialModel({len(self.actors)} actors, {len(self.issues)} issues, "
            f"scale={self.scale}, status_quo={'set' if self.status_quo is not None else 'None'})"
        )

    @property
    def stake(self) -> np.ndarray:
        """Mask ``(n, K)``: actor has a stake (positive salience) in the issue."""
        return self.salience > 0

    def _q(self, status_quo):
        q = self.status_quo if status_quo is None else status_quo
        if q is None:
            raise ValueError(
                "the model has no status quo: pass `status_quo=` (one value per issue)"
            )
        return q

    def compromise(self) -> np.ndarray:
        """Compromise model per issue, ``(K,)``; see :func:`bargain.compromise`.

        Returns
        -------
        ndarray, shape (K,)
            The positions weighted by power times salience.

        Examples
        --------
        >>> import bargain as bg
        >>> m = bg.SpatialModel(["A", "B", "C"], ["tax"], [1.0, 1.0, 0.5],
        ...                     [[20.0], [50.0], [100.0]], [[1.0], [2.0], [2.0]])
        >>> m.compromise()  # (1 * 20 + 2 * 50 + 1 * 100) / (1 + 2 + 1)
        array([55.])
        """
        return compromise(self.position, self.salience, self.power)

    def weighted_median(self) -> np.ndarray:
        """Weighted median per issue, ``(K,)``; see :func:`bargain.weighted_median`.

        Returns
        -------
        ndarray, shape (K,)
            The position where the cumulative weight (power times salience)
            first reaches half the total.

        Examples
        --------
        >>> import bargain as bg
        >>> m = bg.SpatialModel(["A", "B", "C"], ["tax"], [1.0, 1.0, 0.5],
        ...                     [[20.0], [50.0], [100.0]], [[1.0], [2.0], [2.0]])
        >>> m.weighted_median()  # weights 1, 2, 1: cumulative 1, 3 reaches 4 / 2 at B
        array([50.])
        """
        return weighted_median(self.position, self.salience, self.power)

    def nash(self, *, loss: str = "quadratic", status_quo=None) -> Result:
        """Issue-by-issue Nash solution; see :func:`bargain.spatial_nash`.

        Parameters
        ----------
        loss : {"quadratic", "linear"}
        status_quo : array_like, shape (K,), optional
            Overrides the model's status quo.

        Returns
        -------
        Result
            ``x``, ``agreement``, ``lo``, ``hi`` per issue, as for
            :func:`bargain.spatial_nash`, and ``status`` per issue: 0
            agreement, 1 no outcome every actor with a stake prefers to the
            status quo (``x`` is the status quo), 2 no status quo known on
            that issue (``x`` is NaN: the solution needs one).

        Examples
        --------
        >>> import bargain as bg
        >>> m = bg.SpatialModel(["A", "B"], ["tax"], [1.0, 1.0], [[20.0], [60.0]],
        ...                     [[1.0], [1.0]], status_quo=[0.0])
        >>> res = m.nash(loss="linear")  # gains x and x up to 20, then 40 - x and x
        >>> res.x, res.lo, res.hi  # both gain on (0, 40): A within 20 of 20, B within 60 of 60
        (array([20.]), array([0.]), array([40.]))
        >>> m.nash(loss="linear", status_quo=[100.0]).x  # gains 100 - x and x - 20 up to 60
        array([60.])
        """
        q = np.asarray(self._q(status_quo), dtype=float)
        known = ~np.isnan(q)  # the issues with a status quo: the others are left out
        K = len(self.issues)
        x, lo, hi = np.full(K, np.nan), np.full(K, np.nan), np.full(K, np.nan)
        agreement = np.zeros(K, dtype=bool)
        message = "no issue has a status quo"
        if known.any():
            sub = spatial_nash(
                self.position[:, known], self.salience[:, known], self.power, q[known], loss=loss
            )
            x[known], lo[known], hi[known] = sub.x, sub.lo, sub.hi
            agreement[known] = sub.agreement
            message = sub.message
        gone = [self.issues[k] for k in np.flatnonzero(~known)]
        if gone:
            message += (
                f"; no status quo on {len(gone)} issue(s), left out (status 2, x NaN): {gone}"
            )
        return Result(
            x=x,
            agreement=agreement,
            lo=lo,
            hi=hi,
            loss=loss,
            status=np.where(known, np.where(agreement, 0, 1), 2),
            issues=self.issues,
            message=message,
        )

    def negotiation(self, *, loss: str = "quadratic", status_quo=None) -> Negotiation:
        r"""The model as a :class:`~bargain.Negotiation` over continuous issues on the scale.

        Actor :math:`i` becomes a party with utility
        :math:`u_i(x) = -\sum_k s_{ik} L(x_k - p_{ik})` over the issues it has a
        stake in (:class:`~bargain.IdealPoint` values weighted by salience),
        ``power`` :math:`c_i` and reservation value :math:`u_i(q)`. Actors with
        no stake in any issue are left out.

        Parameters
        ----------
        loss : {"quadratic", "linear"}
        status_quo : array_like, shape (K,), optional
            Overrides the model's status quo.

        Examples
        --------
        >>> import bargain as bg
        >>> m = bg.SpatialModel(["A", "B"], ["x"], [1.0, 1.0], [[20.0], [60.0]], [[1.0], [1.0]],
        ...                     status_quo=[0.0])
        >>> neg = m.negotiation(loss="linear")
        >>> neg.reservation
        array([-20., -60.])
        >>> bg.nash(neg).outcome  # gains x (for x <= 20) and x (for x <= 60): 20
        Outcome(x=20.0)
        """
        if loss not in LOSSES:
            raise ValueError(f"`loss` must be 'quadratic' or 'linear', got {loss!r}")
        q = np.asarray(self._q(status_quo), dtype=float)
        if q.shape != (len(self.issues),):
            raise ValueError(f"`status_quo` must have shape ({len(self.issues)},), got {q.shape}")
        if np.any(np.isnan(q)):
            gone = [self.issues[k] for k in np.flatnonzero(np.isnan(q))]
            raise ValueError(
                f"`status_quo` is unknown on issue(s) {gone}: the negotiation's reservation "
                "values need it (pass `status_quo=`)"
            )
        lo, hi = self.scale
        agenda = Agenda([ContinuousIssue(name, lo, hi) for name in self.issues])
        parties = []
        for i, name in enumerate(self.actors):
            ks = np.flatnonzero(self.stake[i])
            if ks.size == 0:
                continue
            values = {self.issues[k]: IdealPoint(self.position[i, k], loss=loss) for k in ks}
            weights = {self.issues[k]: self.salience[i, k] for k in ks}
            z = np.abs(q[ks] - self.position[i, ks])
            res = -float(np.sum(self.salience[i, ks] * (z if loss == "linear" else z * z)))
            parties.append(
                Party(name, AdditiveUtility(values, weights), reservation=res, power=self.power[i])
            )
        return Negotiation(agenda, parties)

    @classmethod
    def from_frame(cls, frame, **options) -> SpatialModel:
        """A spatial model from a pandas DataFrame in either layout of :func:`bargain.read_spatial`.

        Parameters
        ----------
        frame : pandas.DataFrame
            One row per actor (columns ``actor``, ``power``,
            ``<issue>.position``, ``<issue>.salience``) or one row per issue
            (per-actor position and salience columns named by a pattern).
        **options
            As for :func:`bargain.read_spatial` (``layout``, ``position``,
            ``salience``, ``capability``, ``missing_salience``, ...).

        Examples
        --------
        >>> import pandas as pd, bargain as bg
        >>> df = pd.DataFrame({"issue": ["tax", "capability"], "sq": [0, None],
        ...                    "pA": [20, 1], "sA": [1, None], "pB": [50, 1], "sB": [2, None]})
        >>> m = bg.SpatialModel.from_frame(df)
        >>> m.actors, m.compromise(), m.status_quo
        (('A', 'B'), array([40.]), array([0.]))
        """
        from ._spatial_rows import parse_rows

        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover - pandas is a dependency
            raise ImportError("SpatialModel.from_frame needs pandas: pip install pandas") from exc
        if not isinstance(frame, pd.DataFrame):
            raise TypeError(f"`frame` must be a pandas DataFrame, got {type(frame).__name__}")
        header = [str(c) for c in frame.columns]
        rows = [["" if pd.isna(v) else str(v) for v in row] for row in frame.itertuples(False)]
        data = parse_rows(header, rows, "<DataFrame>", **options)
        try:
            return cls(**data)
        except ValueError as exc:
            raise ValueError(f"<DataFrame>: {exc}") from None

    def to_frame(self, layout: str = "actors"):
        """The model as a pandas DataFrame (``layout="actors"`` or ``"issues"``).

        ``"actors"``: a row per actor (and a ``status_quo`` row), as
        :func:`bargain.write_spatial` writes; ``"issues"``: a row per issue
        with ``sq``, ``p<actor>`` and ``s<actor>`` columns and a
        ``capability`` row. :meth:`from_frame` reads either back exactly.

        Examples
        --------
        >>> import bargain as bg
        >>> m = bg.SpatialModel(["A", "B"], ["tax"], [1.0, 2.0], [[20.0], [60.0]],
        ...                     [[1.0], [0.5]], status_quo=[0.0])
        >>> list(m.to_frame("issues").columns)
        ['issue', 'sq', 'pA', 'sA', 'pB', 'sB']
        >>> bg.SpatialModel.from_frame(m.to_frame("issues")).compromise() == m.compromise()
        array([ True])
        """
        import pandas as pd

        K = len(self.issues)
        q = np.full(K, np.nan) if self.status_quo is None else self.status_quo
        sal = np.where(np.isnan(self.position), np.nan, self.salience)
        if layout == "actors":
            cols = {"actor": ["status_quo", *self.actors], "power": [np.nan, *self.power]}
            for k, issue in enumerate(self.issues):
                cols[f"{issue}.position"] = [q[k], *self.position[:, k]]
                cols[f"{issue}.salience"] = [np.nan, *sal[:, k]]
            return pd.DataFrame(cols)
        if layout == "issues":
            cols = {"issue": [*self.issues, "capability"], "sq": [*q, np.nan]}
            for i, a in enumerate(self.actors):
                cols[f"p{a}"] = [*self.position[i], self.power[i]]
                cols[f"s{a}"] = [*sal[i], np.nan]
            return pd.DataFrame(cols)
        raise ValueError(f"`layout` must be 'actors' or 'issues', got {layout!r}")

    @classmethod
    def from_negotiation(cls, negotiation, *, status_quo=None) -> SpatialModel:
        """The spatial data of a negotiation built from ideal-point utilities.

        Every party's utility must be additive with :class:`~bargain.IdealPoint`
        values over continuous issues sharing one scale; salience is the
        issue weight times the ideal point's ``scale``, power the party's
        ``power``. Unbatched negotiations only.

        Parameters
        ----------
        negotiation : Negotiation
            Additive :class:`~bargain.IdealPoint` utilities over continuous
            issues with one shared range (the scale).
        status_quo : array_like, shape (K,), optional
            The reference point (a negotiation has none of its own).

        Returns
        -------
        SpatialModel

        Examples
        --------
        >>> import bargain as bg
        >>> A = bg.Agenda(bg.ContinuousIssue("tax", 0, 100))
        >>> v = bg.IdealPoint(20.0, loss="linear", scale=2.0)
        >>> a = bg.Party("A", bg.AdditiveUtility({"tax": v}, {"tax": 0.5}))
        >>> b = bg.Party("B", bg.AdditiveUtility({"tax": bg.IdealPoint(60.0)}), power=3.0)
        >>> m = bg.SpatialModel.from_negotiation(bg.Negotiation(A, [a, b]), status_quo=[0.0])
        >>> m.scale, m.power
        ((0.0, 100.0), array([1., 3.]))
        >>> m.position.ravel(), m.salience.ravel()  # A: weight 0.5 times scale 2
        (array([20., 60.]), array([1., 1.]))
        >>> m.compromise()  # (1 * 1 * 20 + 3 * 1 * 60) / (1 + 3)
        array([50.])
        """
        neg = negotiation
        if not isinstance(neg, Negotiation):
            raise TypeError(f"`negotiation` must be a Negotiation, got {type(neg).__name__}")
        if neg.batch_shape:
            raise ValueError(f"`negotiation` is batched (batch shape {neg.batch_shape})")
        A = neg.agenda
        if A.discrete:
            raise ValueError("a spatial model needs continuous issues only")
        bounds = {i.bounds for i in A.issues}
        if len(bounds) != 1:
            raise ValueError(f"the issues must share one scale, got bounds {sorted(bounds)}")
        n, K = neg.n, len(A)
        pos = np.full((n, K), np.nan)
        sal = np.zeros((n, K))
        for i, (p, b) in enumerate(zip(neg.parties, neg.bound, strict=True)):
            if not b.additive:
                raise ValueError(f"party {p.name!r}: a spatial model needs additive utilities")
            for k, (v, w) in b.terms.items():
                if not isinstance(v, IdealPoint):
                    raise ValueError(
                        f"party {p.name!r}, issue {A.names[k]!r}: a spatial model needs "
                        f"IdealPoint values, got {v!r}"
                    )
                pos[i, k] = float(v.params["position"])
                sal[i, k] = float(np.asarray(w)) * float(v.params["scale"])
        return cls(
            neg.names,
            A.names,
            np.array([float(np.asarray(p.power)) for p in neg.parties]),
            pos,
            sal,
            status_quo,
            scale=bounds.pop(),
        )


def _names(values, what):
    if isinstance(values, str):
        raise TypeError(f"`{what}` must be a sequence of names, got a string")
    names = tuple(values)
    for v in names:
        if not isinstance(v, str) or not v.strip():
            raise TypeError(f"`{what}` must hold non-empty strings, got {v!r}")
    dup = sorted({v for v in names if names.count(v) > 1})
    if dup:
        raise ValueError(f"`{what}` must be distinct; repeated: {dup}")
    if not names:
        raise ValueError(f"`{what}` must not be empty")
    return names
