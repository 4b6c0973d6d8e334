r"""Which uncertain parameters drive agreement: rank correlations and Sobol indices.

:func:`sensitivity` ranks a model's uncertain parameters by their effect on
one output of the sweep pipeline (:func:`bargain.analysis._sweep.evaluate`: the
slack, whether the ZOPA is open, an issue's Nash agreement, a party's
utility): Spearman rank correlations from a Monte Carlo sample, or
variance-based (Sobol) indices from a Saltelli design, estimated with
SALib. :func:`sobol` is the same estimator for any vectorised function.
"""

from __future__ import annotations

import numpy as np

from ..io._model import Model, Uncertain

__all__ = ["sensitivity", "sobol"]


def _check_pow2(n, name="n") -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 2 or n & (n - 1):
        raise ValueError(f"`{name}` must be a power of two >= 2 (Sobol sequences), got {n!r}")
    return int(n)


def ppf(u: Uncertain, q) -> np.ndarray:
    """Quantile function of an uncertainty range (maps a unit-cube design to values).

    Examples
    --------
    >>> from bargain.analysis._sensitivity import ppf
    >>> from bargain.io._model import Uncertain
    >>> u = Uncertain("parties.A.reservation", "triangular",
    ...               {"lo": 0.30, "mode": 0.45, "hi": 0.60}, 0.45)
    >>> float(ppf(u, 0.5))  # a symmetric triangle: the median is the mode
    0.45
    """
    from scipy import stats

    q = np.asarray(q, dtype=float)
    p = u.params
    lo, hi = u.support
    if u.dist == "uniform":
        return lo + (hi - lo) * q
    if u.dist == "triangular":
        if hi == lo:
            return np.full_like(q, lo)
        return stats.triang.ppf(q, (p["mode"] - lo) / (hi - lo), loc=lo, scale=hi - lo)
    if u.dist == "normal":
        m, s = p["mean"], p["sd"]
        return stats.truncnorm.ppf(q, (lo - m) / s, (hi - m) / s, loc=m, scale=s)
    return lo + (hi - lo) * stats.beta.ppf(q, p["a"], p["b"])


def sobol(func, bounds, n, /, *, names=None, seed=0, second_order=False):
    r"""First-order and total Sobol indices of a vectorised function (SALib, Saltelli design).

    Parameters
    ----------
    func : callable
        ``func(X) -> Y`` with ``X`` of shape ``(N, D)`` and ``Y`` of shape ``(N,)``.
    bounds : sequence of (lo, hi)
        The inputs are independent and uniform on these intervals.
    n : int
        Base sample size, a power of two; ``func`` sees
        ``n * (D + 2)`` rows (``n * (2 D + 2)`` with ``second_order``).
    names : sequence of str, optional
        Input names (default ``x1 ... xD``).
    seed : int, default 0
        Seed of the scrambled Sobol sequence and the bootstrap.
    second_order : bool, default False
        Also estimate second-order indices (not returned in the table).

    Returns
    -------
    pandas.DataFrame
        Indexed by input, sorted by ``ST`` (descending): ``S1``, ``S1_conf``,
        ``ST``, ``ST_conf`` (half-widths of 95% bootstrap intervals).

    Notes
    -----
    For :math:`Y = f(X_1, \dots, X_D)` with independent inputs,

    .. math:: S_i = \frac{\operatorname{Var}(\operatorname{E}[Y \mid X_i])}{\operatorname{Var} Y},
              \qquad
              S_{Ti} = \frac{\operatorname{E}[\operatorname{Var}(Y \mid X_{\sim i})]}
                            {\operatorname{Var} Y},

    estimated by Saltelli's (2010) design with Jansen's total-effect
    estimator, as implemented in SALib [1]_ [2]_.

    References
    ----------
    .. [1] A. Saltelli et al., "Variance based sensitivity analysis of model
       output", Computer Physics Communications 181(2):259-270, 2010.
    .. [2] J. Herman and W. Usher, "SALib: An open-source Python library for
       sensitivity analysis", Journal of Open Source Software 2(9), 2017.

    Examples
    --------
    >>> import numpy as np
    >>> from bargain.analysis._sensitivity import sobol
    >>> t = sobol(lambda X: X[:, 0] + 2 * X[:, 1], [(0, 1), (0, 1)], 1024)
    >>> t.index.tolist()              # x2 has 4/5 of the variance
    ['x2', 'x1']
    >>> bool(abs(t.loc["x2", "S1"] - 0.8) < 0.02)
    True
    """
    import pandas as pd
    from SALib.analyze import sobol as analyze
    from SALib.sample import sobol as sample

    n = _check_pow2(n)
    bounds = [tuple(map(float, b)) for b in bounds]
    if not bounds or any(len(b) != 2 or not b[1] > b[0] for b in bounds):
        raise ValueError(f"`bounds` must be (lo, hi) pairs with hi > lo, got {bounds}")
    names = [f"x{i + 1}" for i in range(len(bounds))] if names is None else list(names)
    if len(names) != len(bounds):
        raise ValueError(f"`names` has {len(names)} entries for {len(bounds)} `bounds`")
    problem = {"num_vars": len(bounds), "names": names, "bounds": [list(b) for b in bounds]}
    X = sample.sample(problem, n, calc_second_order=second_order, seed=seed)
    Y = np.asarray(func(X), dtype=float).reshape(-1)
    if Y.shape[0] != X.shape[0]:
        raise ValueError(f"`func` returned {Y.shape[0]} values for {X.shape[0]} rows")
    res = analyze.analyze(problem, Y, calc_second_order=second_order, seed=seed)
    table = pd.DataFrame(
        {k: res[k] for k in ("S1", "S1_conf", "ST", "ST_conf")}, index=pd.Index(names, name="input")
    )
    return table.sort_values("ST", ascending=False)


def _ranks(x):
    """Ranks 1..n of ``x``, ties given their average rank (as ``scipy.stats.rankdata``)."""
    order = np.argsort(x, kind="stable")
    s = x[order]
    first = np.concatenate([[True], s[1:] != s[:-1]])
    starts = np.flatnonzero(first)
    ends = np.concatenate([starts[1:], [len(s)]])
    ranks = np.empty(len(x))
    ranks[order] = ((starts + ends + 1) / 2.0)[np.cumsum(first) - 1]
    return ranks


def spearman(table, paths, output="slack"):
    """Spearman rank correlations of a sweep table's ``output`` with each parameter.

    Parameters
    ----------
    table : pandas.DataFrame
        A sweep table (:func:`bargain.sweep`), with ``param:<path>`` columns.
    paths : sequence of str
        The parameters' key paths.
    output : str, default "slack"
        The column to correlate with.

    Returns
    -------
    pandas.DataFrame
        ``rho`` and ``abs_rho`` per parameter, sorted by ``abs_rho`` (a
        constant column has rho 0). ``rho`` is Pearson's correlation of the
        ranks, ties at their average rank (``scipy.stats.spearmanr``).

    Examples
    --------
    >>> import pandas as pd
    >>> from bargain.analysis._sensitivity import spearman
    >>> t = pd.DataFrame({"param:a": [1.0, 2, 3, 4], "param:b": [4.0, 1, 3, 2],
    ...                   "slack": [0.1, 0.2, 0.3, 0.5]})
    >>> spearman(t, ["a", "b"])["rho"].round(2).to_dict()
    {'a': 1.0, 'b': -0.4}
    """
    import pandas as pd

    y = table[output].to_numpy(dtype=float)
    ry = _ranks(y)
    rho = {}
    for p in paths:
        x = table[f"param:{p}"].to_numpy(dtype=float)
        if np.ptp(x) == 0 or np.ptp(y) == 0:
            rho[p] = 0.0
        else:
            rho[p] = float(np.corrcoef(_ranks(x), ry)[0, 1])
    out = pd.DataFrame({"rho": pd.Series(rho, dtype=float)})
    out["abs_rho"] = out["rho"].abs()
    out.index.name = "parameter"
    return out.sort_values("abs_rho", ascending=False, kind="stable")


def sensitivity(model, /, *, output="slack", method="sobol", n=256, seed=0, chunk_size=2_000):
    r"""Rank a model's uncertain parameters by their effect on one output.

    Parameters
    ----------
    model : Model or str
        A model with an ``[uncertainty]`` table (or its file / bundled name).
    output : str, default "slack"
        A column of the sweep pipeline: ``"slack"``, ``"zopa_open"``,
        ``"nash.<issue>"``, ``"nash.u.<party>"``, ``"rubinstein_limit..."``.
    method : {"sobol", "spearman"}
        ``"sobol"``: first-order and total indices (SALib; ``n`` a power of
        two, the pipeline runs on ``n * (D + 2)`` parameter vectors).
        ``"spearman"``: rank correlations over an ``n``-draw sweep.
    n : int, default 256
    seed : int, default 0
    chunk_size : int, default 2000
        Rows per batched evaluation.

    Returns
    -------
    pandas.DataFrame
        One row per parameter (key path), sorted by importance: ``S1``,
        ``S1_conf``, ``ST``, ``ST_conf`` (Sobol; ``*_conf`` are the
        half-widths of 95% bootstrap intervals) or ``rho`` and ``abs_rho``
        (Spearman). :func:`bargain.plot.plot_tornado` draws it, with the
        intervals.

    Warns
    -----
    RuntimeWarning
        When the Sobol estimates are too imprecise to read (an interval
        half-width above 0.1, or :math:`S_1 < 0` or :math:`S_1 > S_T` beyond
        the intervals by more than 0.02): raise ``n``.

    Notes
    -----
    Spearman's :math:`\rho` is the Pearson correlation of ranks: monotone
    but not necessarily linear effects, one parameter at a time. Sobol's
    total index :math:`S_T` also counts interactions; parameters with
    :math:`S_T \approx 0` can be fixed at any value in their range without
    changing the output's distribution. Sobol inputs are mapped from the
    unit cube through each range's quantile function, so non-uniform ranges
    (triangular, truncated normal, beta) are respected.

    Examples
    --------
    >>> import bargain as bg
    >>> t = bg.sensitivity("ukraine_russia", method="spearman", n=400)
    >>> t.columns.tolist()
    ['rho', 'abs_rho']
    >>> len(t) == len(bg.load_model("ukraine_russia").uncertain)
    True
    """
    from ..io._model import load_model
    from ._sweep import evaluate, sweep

    if not isinstance(model, Model):
        model = load_model(model)
    if not model.uncertain:
        raise ValueError(f"`model` {model.name!r} has no [uncertainty] table")
    paths = [u.path for u in model.uncertain]
    probe = evaluate(
        model, {p: np.array([u.value]) for p, u in zip(paths, model.uncertain, strict=False)}
    )
    if output not in probe:
        raise ValueError(f"`output` must be one of {sorted(probe)}, got {output!r}")
    if method == "spearman":
        t = sweep(model, n, seed=seed, chunk_size=chunk_size).table
        return spearman(t, paths, output)
    if method != "sobol":
        raise ValueError(f"`method` must be 'sobol' or 'spearman', got {method!r}")

    def func(Q):
        out = np.empty(Q.shape[0])
        for s in range(0, Q.shape[0], chunk_size):
            q = Q[s : s + chunk_size]
            draws = {
                p: ppf(u, q[:, j])
                for j, (p, u) in enumerate(zip(paths, model.uncertain, strict=False))
            }
            out[s : s + chunk_size] = evaluate(model, draws)[output]
        return out

    table = sobol(func, [(0.0, 1.0)] * len(paths), n, names=paths, seed=seed)
    table.index.name = "parameter"
    _warn_imprecise(table, n)
    return table


def _warn_imprecise(table, n) -> None:
    """Warn when the Sobol estimates cannot be read: wide intervals or impossible orderings."""
    width = float(table["ST_conf"].max()) if len(table) else 0.0
    # an ordering is impossible only beyond the intervals and beyond a margin that
    # parameters with no effect (S1, ST near 0) cross by chance among dozens
    slack = table["S1_conf"] + table["ST_conf"] + 0.02
    odd = (table["S1"] < -(table["S1_conf"] + 0.02)) | (table["S1"] > table["ST"] + slack)
    if width > 0.1 or bool(odd.any()):
        import warnings

        warnings.warn(
            f"Sobol indices from n = {n} base samples are imprecise (largest 95% half-width of "
            f"ST {width:.2f}; {int(odd.sum())} parameter(s) with S1 < 0 or S1 > ST beyond "
            "their intervals): raise `n` (a power of two) before reading them",
            RuntimeWarning,
            stacklevel=3,
        )
