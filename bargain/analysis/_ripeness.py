r"""Ripeness: the ZOPA over time as reservation values move, and the moment it opens.

A model file gives each party a ``reservation_path`` (its value of no deal
over time: costs of war accumulating, battlefield prospects drifting, aid
and sanctions changing). :func:`ripeness` evaluates the ZOPA's slack along
those paths, finds the first time it opens — Zartman's *ripe moment* of a
mutually hurting stalemate — and, under the model's uncertainty, its
distribution. *Mutual optimism* (each side over-estimating its war outcome,
Blainey; Fearon) raises both reservation values and keeps the ZOPA closed.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .._core._result import Result
from ..io._model import Model
from ..utility._points import maxmin

__all__ = ["ripeness"]


def _slack(model: Model, draws, R: np.ndarray) -> np.ndarray:
    """Slack of the ZOPA, shape (b, T), for b parameter draws and reservations ``R`` (b, T, n).

    Utilities do not move with time, only reservation values: a discrete
    agenda's outcome utilities are evaluated once per draw and compared with
    every time's reservations.
    """
    from ..zopa._zopa import zopa
    from ._sweep import batched_negotiation

    b, T, _ = R.shape
    A = model.agenda
    if not A.continuous and A.size <= 2**20:
        neg = batched_negotiation(model, draws)
        if neg.additive:
            X = A.enumerate()
            U = np.broadcast_to(neg.coded_utilities(X), (b,) + X.shape[:1] + (neg.n,))
            out = np.empty((b, T))
            for t in range(T):  # a loop over time steps, not over problems
                out[:, t] = maxmin(U, R[:, t])[0]
            return out
    big = {k: np.repeat(np.asarray(v, dtype=float), T) for k, v in draws.items()}
    for j, p in enumerate(model.negotiation.names):
        big[f"parties.{p}.reservation"] = R[:, :, j].reshape(-1)
    neg = batched_negotiation(model, big)
    return np.broadcast_to(zopa(neg).slack, (b * T,)).reshape(b, T)


def _first_crossing(times: np.ndarray, slack: np.ndarray) -> np.ndarray:
    """First time the slack reaches 0 (linear between grid points); inf if never."""
    ok = slack >= 0
    first = np.where(ok.any(axis=-1), ok.argmax(axis=-1), -1)
    out = np.full(slack.shape[:-1], np.inf)
    at_start = first == 0
    out[at_start] = times[0]
    mid = first > 0
    if np.any(mid):
        j = first[mid]
        s0 = np.take_along_axis(slack[mid], (j - 1)[:, None], axis=-1)[:, 0]
        s1 = np.take_along_axis(slack[mid], j[:, None], axis=-1)[:, 0]
        t0, t1 = times[j - 1], times[j]
        out[mid] = t0 + (t1 - t0) * (-s0) / (s1 - s0)
    return out


def _optimism(model: Model, optimism) -> dict[str, float]:
    return _optimism_for(model.negotiation.names, optimism)


def _optimism_for(names, optimism) -> dict[str, float]:
    if isinstance(optimism, dict):
        unknown = [k for k in optimism if k not in names]
        if unknown:
            raise ValueError(f"`optimism` names unknown parties {unknown}; parties: {list(names)}")
        out = {p: float(optimism.get(p, 0.0)) for p in names}
    else:
        out = dict.fromkeys(names, float(optimism))
    if not all(np.isfinite(v) for v in out.values()):
        raise ValueError(f"`optimism` must be finite, got {optimism!r}")
    return out


def _front_ripeness(
    model, front, times, optimism, n=0, seed=0, chunk_size=100, progress=None
) -> Result:
    """Ripeness along the reservation paths a front line implies (see :func:`ripeness`)."""
    from ..conflict._front import FrontLine
    from ..issues._negotiation import Negotiation
    from ..zopa._zopa import zopa
    from ._sweep import _chunk_rng, batched_negotiation

    if not isinstance(front, FrontLine):
        raise TypeError(f"`front` must be a bargain.FrontLine, got {type(front).__name__}")
    neg = model.negotiation if isinstance(model, Model) else model
    if not isinstance(neg, Negotiation):
        raise TypeError(f"`model` must be a Model or a Negotiation, got {type(model).__name__}")
    dates = np.arange(25) if times is None else np.asarray(times)
    if (
        dates.ndim != 1
        or dates.size < 1
        or not np.issubdtype(dates.dtype, np.integer)
        or np.any(dates < 0)
        or np.any(np.diff(dates) <= 0)
    ):
        raise ValueError(
            f"`times` must be increasing integer periods >= 0 with a front line, got {times!r}"
        )
    names = neg.names
    m = _optimism_for(names, optimism)
    opt = np.array([m[p] for p in names])
    # a model file's party that gives its reservation value keeps it at every date
    explicit = np.zeros(neg.n, dtype=bool)
    if isinstance(model, Model) and front is model.front:
        given = {p["name"] for p in model.data["parties"] if "reservation" in p}
        explicit = np.array([p in given for p in names])

    def paths(negotiation, fr):
        R = fr.reservation_path(negotiation, dates)
        r0 = np.asarray(negotiation.reservation, dtype=float)[..., None, :]
        return np.where(explicit, r0, R) + opt

    R = paths(neg, front)
    mod = neg.replace(parties=[p.replace(reservation=R[:, i]) for i, p in enumerate(neg.parties)])
    slack = np.asarray(zopa(mod).slack, dtype=float)
    t = dates.astype(float)
    ripe_time = _first_crossing(t, slack[None])[0]
    ripe = bool(np.isfinite(ripe_time))
    if slack[0] >= 0:
        msg = f"the ZOPA is already open at the start (period {int(dates[0])})"
    elif ripe:
        msg = f"the ZOPA opens at period t = {ripe_time:.4g}"
    else:
        msg = f"the ZOPA stays closed through period {int(dates[-1])}"
    fields = dict(
        open_at_start=bool(slack[0] >= 0),
        times=t,
        parties=names,
        reservation=R,
        slack=slack,
        open=slack >= 0,
        ripe_time=float(ripe_time),
        ripe=ripe,
        optimism=m,
    )
    if n:
        if not isinstance(model, Model):
            raise ValueError("`n` > 0 draws a model's uncertain parameters: pass a Model")
        rows = []
        with _bar(n, model, progress) as bar:
            for i, start in enumerate(range(0, n, chunk_size)):
                size = min(chunk_size, n - start)
                draws = model.draw(size, _chunk_rng(seed, i))
                fr = _drawn_front(model, draws) if front is model.front else front
                rows.append(_slack(model, draws, paths(batched_negotiation(model, draws), fr)))
                bar.update(size)
        S = np.concatenate(rows)
        fields.update(_draw_summary(t, S, n, seed))
    return Result(**fields, method="paths from the front line", success=True, message=msg)


def _drawn_front(model: Model, draws):
    """The model's front line with drawn ``front.*`` parameters (batched costs)."""
    import copy

    from .._core._checker import Checker
    from ..io._model import _set_path
    from ..io._tables import front_from_table

    mine = {k: v for k, v in draws.items() if k.startswith("front.")}
    if not mine:
        return model.front
    doc = copy.deepcopy(model.data)
    for path, v in mine.items():
        _set_path(doc, path, np.asarray(v, dtype=float))
    checker = Checker(f"{model.file} (drawn parameters)", batched=True)
    return front_from_table(checker, doc["front"], model.negotiation)


def _bar(n, model, progress):
    from ._progress import progress_bar

    name = getattr(model, "name", "negotiation")
    return progress_bar(
        total=n,
        unit="draw",
        desc=f"ripeness {name}",
        disable=None if progress is None else not progress,
    )


def _ripe_message(times, slack, rt) -> str:
    """What the ripeness result says in words (open from the start, opens at, stays closed)."""
    if slack[0] >= 0:
        return f"the ZOPA is already open at the start (t = {times[0]:.6g})"
    if np.isfinite(rt):
        return f"the ZOPA opens at t = {rt:.6g}"
    return f"the ZOPA stays closed through t = {times[-1]:.6g}"


def _draw_summary(times, S, n, seed) -> dict:
    """Fields of a ripeness result from the slack of ``n`` draws, ``S`` (n, T)."""
    p_open = (S >= 0).mean(axis=0)
    rts = _first_crossing(times, S)
    opened = rts[np.isfinite(rts)]
    q = np.quantile(opened, [0.05, 0.5, 0.95]) if opened.size else np.full(3, np.inf)
    return dict(
        slack_draws=S,
        p_open=p_open,
        p_open_se=np.sqrt(p_open * (1 - p_open) / n),
        ripe_times=rts,
        p_ripe=float(np.isfinite(rts).mean()),
        ripe_quantiles=q,
        n=n,
        seed=seed,
    )


def ripeness(
    model,
    /,
    *,
    times=None,
    n=0,
    seed=0,
    optimism=0.0,
    chunk_size=100,
    front=None,
    progress=None,
) -> Result:
    r"""The ZOPA along the reservation-value time paths, and when it first opens.

    Parameters
    ----------
    model : Model, str or Negotiation
        A model whose parties have ``reservation_path`` entries (parties
        without one keep their constant reservation value); with ``front``,
        a model or a negotiation.
    times : array_like, optional
        Increasing times; default 49 evenly spaced points over the paths'
        span plus every knot.
    n : int, default 0
        Monte Carlo draws of the uncertain parameters (0: the model's values
        only). An uncertain ``reservation`` shifts that party's whole path
        by its deviation from the model's value.
    seed : int, default 0
        Seed of the draws (chunk ``i`` uses ``SeedSequence(seed, spawn_key=(i,))``).
    optimism : float or mapping party -> float, default 0
        Each side's over-estimate of its war outcome, in utility units,
        added to its reservation value at every time.
    chunk_size : int, default 100
        Draws per batched evaluation (each evaluates all times).
    front : FrontLine, optional
        Derive the reservation paths from a front line (a Markov chain over
        lines of control, :class:`~bargain.FrontLine`) instead of the
        hand-entered paths: each party's expected value of fighting on from
        each date. ``times`` are then the periods (integers, default 0..24).
        A model with a ``[front]`` table uses its front line by default (a
        party that gives its ``reservation`` keeps it at every date, and
        ``n > 0`` draws the front's costs with the other uncertain
        parameters).

    Returns
    -------
    Result
        ``times`` (T,); ``reservation`` (T, parties) at the model's values
        (optimism included); ``slack`` (T,) and ``open`` (T,) there;
        ``ripe_time``: first time the ZOPA is open (linear interpolation
        of the slack between grid points; ``times[0]`` if open from the
        start, ``inf`` if it never opens in the window); ``ripe``: whether
        it opens. With ``n > 0`` also ``slack_draws`` (n, T),
        ``p_open`` (T,) and its standard error ``p_open_se`` (T,),
        ``ripe_times`` (n,), ``p_ripe`` (share of draws that open within the
        window) and ``ripe_quantiles`` (5%, 50%, 95% of the ripe time over
        the draws that open within the window only, ``inf`` when none does).
        ``open_at_start``: whether the ZOPA is already open at ``times[0]``;
        ``message`` says so instead of naming an opening time.
        ``method``: ``"reservation paths of the model"`` or ``"paths from
        the front line"``.

    Raises
    ------
    ValueError
        No party has a reservation path (naming ``model``), bad ``times``,
        ``n`` or ``optimism``.

    Notes
    -----
    With reservation paths :math:`r_i(t)` and optimism :math:`m_i`,

    .. math:: s(t) = \max_x \min_i \bigl(u_i(x) - r_i(t) - m_i\bigr),
              \qquad t^* = \min\{t : s(t) \ge 0\}.

    Raising every :math:`m_i` by :math:`m` lowers :math:`s(t)` by exactly
    :math:`m`, so mutual optimism delays :math:`t^*` (by :math:`m / s'(t^*)`
    where the slack rises linearly). Ripeness theory: Zartman [1]_; mutual
    optimism as a cause of war: Blainey [2]_, Fearon [3]_.

    References
    ----------
    .. [1] I. W. Zartman, "The timing of peace initiatives: hurting
       stalemates and ripe moments", Global Review of Ethnopolitics
       1(1):8-18, 2001.
    .. [2] G. Blainey, *The Causes of War*, Free Press, 1973.
    .. [3] J. D. Fearon, "Rationalist explanations for war", International
       Organization 49(3):379-414, 1995.

    Examples
    --------
    >>> import bargain as bg
    >>> r = bg.ripeness("ukraine_russia")
    >>> float(r.times[0]), float(r.times[-1])
    (2024.0, 2026.0)
    >>> bool(r.ripe)
    True
    >>> late = bg.ripeness("ukraine_russia", optimism=0.1)
    >>> bool(late.ripe_time > r.ripe_time)
    True
    """
    from ..io._model import load_model
    from ._sweep import _check_int, _chunk_rng

    n = _check_int(n, "n", 0)
    seed = _check_int(seed, "seed", 0)
    chunk_size = _check_int(chunk_size, "chunk_size", 1)
    if isinstance(model, (str, Path)):
        model = load_model(model)
    if front is None and isinstance(model, Model) and model.front is not None:
        front = model.front
    if front is not None:
        return _front_ripeness(model, front, times, optimism, n, seed, chunk_size, progress)
    if not isinstance(model, Model):
        raise TypeError(
            f"`model` must be a Model, a model name or file, or (with `front`) a Negotiation; "
            f"got {type(model).__name__}"
        )
    if not model.paths:
        raise ValueError(
            f"`model` {model.name!r} has no reservation_path for any party and no [front]: "
            "nothing moves over time (give a party a reservation_path, dates and values, or "
            "the model a [front] table; see docs/model-format.md)"
        )
    if times is None:
        knots = np.concatenate([np.asarray(p.times) for p in model.paths.values()])
        times = np.union1d(np.linspace(knots.min(), knots.max(), 49), knots)
    times = np.asarray(times, dtype=float)
    if times.ndim != 1 or times.size < 2 or not np.all(np.diff(times) > 0):
        raise ValueError(f"`times` must be at least two increasing numbers, got {times}")
    if not np.all(np.isfinite(times)):
        raise ValueError("`times` must be finite")
    opt = _optimism(model, optimism)
    parties = model.negotiation.names
    base = {p: float(np.asarray(model.negotiation.party(p).reservation)) for p in parties}

    def path(p):
        tp = model.paths.get(p)
        r = np.full(times.shape, base[p]) if tp is None else tp(times)
        return r + opt[p]

    R = np.stack([path(p) for p in parties], axis=-1)  # (T, n_parties)
    slack = _slack(model, {}, R[None])[0]
    fields = dict(
        times=times,
        reservation=R,
        slack=slack,
        open=slack >= 0,
        parties=parties,
        optimism=opt,
    )
    rt = _first_crossing(times, slack[None, :])[0]
    fields.update(ripe_time=float(rt), ripe=bool(np.isfinite(rt)))
    if n:
        rows = []
        with _bar(n, model, progress) as bar:
            for i, start in enumerate(range(0, n, chunk_size)):
                size = min(chunk_size, n - start)
                draws = model.draw(size, _chunk_rng(seed, i))
                shift = np.stack(
                    [
                        draws.get(f"parties.{p}.reservation", np.full(size, base[p])) - base[p]
                        for p in parties
                    ],
                    axis=-1,
                )
                rows.append(_slack(model, draws, shift[:, None, :] + R[None]))
                bar.update(size)
        S = np.concatenate(rows)
        fields.update(_draw_summary(times, S, n, seed))
    fields["open_at_start"] = bool(slack[0] >= 0)
    fields["message"] = _ripe_message(times, slack, rt)
    fields["success"] = True
    fields["method"] = "reservation paths of the model"
    return Result(**fields)
