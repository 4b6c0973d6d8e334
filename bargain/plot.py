"""Plots of the zone of possible agreement (needs matplotlib: ``pip install bargain[plot]``).

Two pictures researchers put in papers:

- :func:`plot_zopa_issues`: the ZOPA in a two-issue slice of issue space —
  the shaded region every party accepts, each party's reservation contour
  :math:`u_i(x) = r_i`, and the agreements the solution concepts predict;
- :func:`plot_zopa_utilities`: the Pareto frontier in utility space with the
  disagreement point, the ZOPA segment and the solution points;
- :func:`plot_zopa_options`: the issue-space ZOPA of a discrete agenda, as a
  grid of option pairs of two issues coloured by whether some completion of
  the other issues is in the ZOPA.

Both draw on a given matplotlib ``Axes`` (or a new one), label everything
from the issue and party names, and return the ``Axes``. matplotlib is
imported only when a plot is drawn.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

__all__ = [
    "parameter_label",
    "plot_ripeness",
    "plot_tornado",
    "plot_zopa_issues",
    "plot_zopa_options",
    "plot_zopa_utilities",
]

CONCEPT_STYLE = {
    "nash": ("Nash", "o", "#1b9e77"),
    "kalai_smorodinsky": ("Kalai–Smorodinsky", "s", "#d95f02"),
    "egalitarian": ("egalitarian", "^", "#7570b3"),
    "utilitarian": ("utilitarian", "v", "#e7298a"),
    "rubinstein": ("Rubinstein", "D", "#66a61e"),
}
_ROBUST = ("most robust deal", "*", "#333333")
_PARTY_COLORS = ("#1f4e9c", "#b2182b", "#4d9221", "#8c510a", "#762a83", "#01665e")
_ZOPA_COLOR = "#f6c141"


def _marker_kwargs(c):
    """Marker style of a concept: Nash (often near KS) as a large open circle."""
    label, marker, color = CONCEPT_STYLE[c]
    if c == "nash":
        return label, dict(marker=marker, ms=13, mfc="none", mec=color, mew=2.0, color=color)
    return label, dict(marker=marker, ms=8, color=color, mec="white", mew=0.8)


def _robust_kwargs():
    label, marker, color = _ROBUST
    return label, dict(marker=marker, ms=16, mfc="none", mec=color, mew=1.4, color=color)


def _pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "bargain.plot needs matplotlib; install it with `pip install bargain[plot]`"
        ) from exc
    return plt


def _axes(ax):
    plt = _pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=(6.4, 4.4), layout="constrained")
    return ax


def _concepts(concepts, rubinstein_ok):
    if concepts is None:
        names = ["nash", "kalai_smorodinsky", "egalitarian", "utilitarian"]
        if rubinstein_ok:
            names.append("rubinstein")
        return names
    if isinstance(concepts, str):
        concepts = [concepts]
    names = list(concepts)
    for c in names:
        if c not in CONCEPT_STYLE:
            raise ValueError(f"unknown concept {c!r} in `concepts`; known: {list(CONCEPT_STYLE)}")
    return names


def _rubinstein_coded(neg, d, required):
    """Coded Rubinstein agreement of a two-party negotiation, or None.

    Where alternating offers do not apply (:func:`bargain.rubinstein_setup`),
    None, or the reason as an error when the point was asked for.
    """
    from .solutions._rubinstein import rubinstein

    try:
        res = rubinstein(neg, d=d, hull=bool(neg.agenda.discrete))
    except ValueError:
        if required:
            raise
        return None
    if res.agreement and res.coded is None:  # a lottery over two deals: no single point
        if required:
            raise ValueError(
                "the Rubinstein agreement is a lottery over two deals "
                f"({', '.join(f'{p:.2f}' for p, _ in res.lottery_outcomes)}): it has no "
                "single point in issue space"
            )
        return None
    return np.asarray(res.coded) if res.agreement else None


def _check_negotiation(neg, what):
    from .issues._negotiation import Negotiation

    if not isinstance(neg, Negotiation):
        raise TypeError(f"{what} needs a bargain.Negotiation, got {type(neg).__name__}")
    if neg.batch_shape:
        raise ValueError(
            f"{what} draws one negotiation; this one is batched (batch shape {neg.batch_shape})"
        )


def plot_zopa_issues(
    negotiation,
    x=None,
    y=None,
    *,
    fixed=None,
    d=None,
    concepts=None,
    resolution=401,
    ax=None,
):
    """Draw the ZOPA in a two-issue slice of issue space.

    Parameters
    ----------
    negotiation : Negotiation
        An unbatched negotiation with at least two continuous issues.
    x, y : str, optional
        The continuous issues on the horizontal and vertical axes; by default
        the first two continuous issues of the agenda.
    fixed : mapping, optional
        Values of the other issues in the slice (numbers for continuous
        issues, option labels for discrete ones); by default those of the
        most robust deal (``bg.zopa(negotiation).robust_outcome``).
    d : array_like, shape (n,), optional
        Reservation values; the parties' by default.
    concepts : sequence of str, optional
        Solution concepts to mark: any of ``"nash"``, ``"kalai_smorodinsky"``,
        ``"egalitarian"``, ``"utilitarian"``, ``"rubinstein"``. By default
        the first four, and Rubinstein's when two parties discount offers
        (``discount < 1``). With more than two issues the marks are the
        agreements' projections onto the slice.
    resolution : int, default 401
        Grid points per axis for the contours.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        Unknown issue names, the same issue twice, a discrete issue on an
        axis, an agenda with fewer than two continuous issues, unknown
        issues or options in ``fixed``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import bargain as bg
    >>> from bargain.plot import plot_zopa_issues
    >>> agenda = bg.Agenda(bg.ContinuousIssue("territory"), bg.ContinuousIssue("sanctions"))
    >>> kyiv = bg.Party("Ukraine", bg.AdditiveUtility(
    ...     {"territory": bg.Linear(), "sanctions": bg.Linear(-1, 1)}, [0.7, 0.3]),
    ...     reservation=0.35)
    >>> moscow = bg.Party("Russia", bg.AdditiveUtility(
    ...     {"territory": bg.Linear(-1, 1), "sanctions": bg.Linear()}, [0.4, 0.6]),
    ...     reservation=0.3)
    >>> ax = plot_zopa_issues(bg.Negotiation(agenda, [kyiv, moscow]))
    >>> ax.get_xlabel(), ax.get_ylabel()
    ('territory', 'sanctions')
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    from .zopa._zopa import zopa

    _check_negotiation(negotiation, "plot_zopa_issues")
    neg = negotiation
    A = neg.agenda
    cont = [A.names[k] for k in A.continuous]
    if len(cont) < 2:
        raise ValueError(
            "a 2-D issue-space plot needs two continuous issues; the agenda's continuous "
            f"issues are {cont} (of {list(A.names)})"
        )
    x = cont[0] if x is None else x
    y = (cont[1] if cont[1] != x else cont[0]) if y is None else y
    for key, name in (("x", x), ("y", y)):
        issue = A.issue(name)  # unknown names raise, listing the agenda
        if issue.discrete:
            raise ValueError(
                f"`{key}` issue {name!r} is discrete; the axes of a 2-D slice must be "
                f"continuous issues, one of {cont}"
            )
    if x == y:
        raise ValueError(f"`x` and `y` must be different issues, both are {x!r}")
    if (
        isinstance(resolution, bool)
        or not isinstance(resolution, (int, np.integer))
        or (resolution < 11)
    ):
        raise ValueError(f"`resolution` must be an integer >= 11, got {resolution!r}")
    r = np.asarray(neg.disagreement(d), dtype=float)
    z = zopa(neg, r)
    robust = np.asarray(z.robust_coded)
    base = robust.copy()
    if fixed is not None:
        if not isinstance(fixed, Mapping):
            raise TypeError(f"`fixed` must be a mapping issue name -> value, got {fixed!r}")
        for name, value in fixed.items():
            k = A.position(name)
            if name in (x, y):
                raise ValueError(f"`fixed` issue {name!r} is an axis of the plot")
            issue = A.issues[k]
            if issue.discrete:
                base[k] = issue.index(value)
            else:
                v = float(value)
                if not issue.lo <= v <= issue.hi:
                    raise ValueError(
                        f"`fixed` value {v} of issue {name!r} is out of bounds "
                        f"[{issue.lo}, {issue.hi}]"
                    )
                base[k] = v
    kx, ky = A.position(x), A.position(y)
    ix, iy = A.issues[kx], A.issues[ky]
    xs = np.linspace(ix.lo, ix.hi, resolution)
    ys = np.linspace(iy.lo, iy.hi, resolution)
    XX, YY = np.meshgrid(xs, ys)
    grid = np.broadcast_to(base, XX.shape + (len(A),)).copy()
    grid[..., kx], grid[..., ky] = XX, YY
    U = neg.coded_utilities(grid)
    gap = U - r
    G = np.min(gap, axis=-1)
    if A.constraints:
        G = np.where(A.feasible(grid, 1e-9), G, -np.inf)
    ax = _axes(ax)
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = []
    others = [n for n in A.names if n not in (x, y)]
    exact_poly = "polygon" in z and not others
    if exact_poly and z.polygon.shape[0] >= 3:
        P = z.polygon if kx < ky else z.polygon[:, ::-1]
        ax.fill(P[:, 0], P[:, 1], color=_ZOPA_COLOR, alpha=0.55, lw=0, zorder=1)
    elif np.any(G >= 0):
        ax.contourf(
            XX,
            YY,
            np.where(np.isfinite(G), G, -1e300),
            levels=[0, np.inf],
            colors=[_ZOPA_COLOR],
            alpha=0.55,
            zorder=1,
        )
    handles.append(Patch(color=_ZOPA_COLOR, alpha=0.55, label="ZOPA"))
    for i, name in enumerate(neg.names):
        color = _PARTY_COLORS[i % len(_PARTY_COLORS)]
        g = gap[..., i]
        if np.nanmin(g) < 0 < np.nanmax(g):
            ax.contour(XX, YY, g, levels=[0], colors=[color], linewidths=1.6, zorder=3)
            # a light tint on the side the party rejects
            ax.contourf(XX, YY, g, levels=[-np.inf, 0], colors=[color], alpha=0.06, zorder=0)
        handles.append(Line2D([], [], color=color, lw=1.6, label=f"{name}: u = reservation"))
    names = _concepts(concepts, True)
    marks = {}
    for c in names:
        if c == "rubinstein":
            coded = _rubinstein_coded(neg, r, required=concepts is not None)
        else:
            res = neg.solve(c, r)
            coded = np.asarray(res.coded) if res.agreement else None
        if coded is not None:
            marks[c] = coded
    for c, coded in marks.items():
        label, kw = _marker_kwargs(c)
        ax.plot(coded[kx], coded[ky], ls="none", zorder=5, **kw)
        handles.append(Line2D([], [], ls="none", label=label, **kw))
    if not z.empty:
        label, kw = _robust_kwargs()
        ax.plot(robust[kx], robust[ky], ls="none", zorder=4, **kw)
        handles.append(Line2D([], [], ls="none", label=label, **kw))
    else:
        ax.text(
            0.5,
            0.5,
            f"ZOPA empty\nslack = {float(z.slack):.3g}",
            transform=ax.transAxes,
            ha="center",
            va="center",
            fontsize=11,
            color="#555555",
        )
    ax.set_xlim(ix.lo, ix.hi)
    ax.set_ylim(iy.lo, iy.hi)
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    title = "Zone of possible agreement (issue space)"
    if others:

        def show(k):
            issue = A.issues[k]
            return issue.options[int(base[k])] if issue.discrete else f"{base[k]:.3g}"

        title += "\n" + ", ".join(f"{n} = {show(A.position(n))}" for n in others)
    ax.set_title(title, fontsize=10)
    _legend(ax, handles)
    return ax


def _legend(ax, handles):
    ax.legend(
        handles=handles,
        fontsize=8,
        loc="upper left",
        bbox_to_anchor=(1.02, 1.0),
        borderaxespad=0.0,
        frameon=False,
    )


def plot_zopa_utilities(
    S,
    d=None,
    *,
    hull=False,
    delta=None,
    breakdown=0.0,
    concepts=None,
    labels=None,
    annotate="nash",
    ax=None,
):
    """Draw the Pareto frontier with the disagreement point, the ZOPA segment and solutions.

    Parameters
    ----------
    S : Negotiation, Frontier or array_like of shape (m, 2)
        A two-party negotiation (its frontier; unbatched), a continuous
        :class:`~bargain.Frontier` or a finite set of utility vectors.
    d : array_like, shape (2,), optional
        Disagreement point (reservation values); the parties' by default
        for a negotiation, required otherwise.
    hull : bool, default False
        Point sets: lotteries over the points are feasible.
    delta : array_like, shape (2,), optional
        Discount factors for the Rubinstein point (frontiers; for a
        negotiation, the parties' discount factors when below 1).
    breakdown : float, default 0
        Breakdown probability for the Rubinstein point.
    concepts : sequence of str, optional
        Which solutions to mark (see :func:`plot_zopa_issues`); by default
        every one that :func:`bargain.zopa` computed.
    labels : (str, str), optional
        Axis labels; by default ``"utility of <party>"`` for a negotiation
        and ``"$u_1$"``, ``"$u_2$"`` otherwise.
    annotate : str or None, default "nash"
        For a negotiation, the concept whose deal terms (issue values) are
        written beside its point; ``None`` for none.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.

    Returns
    -------
    matplotlib.axes.Axes

    Notes
    -----
    A finite set's Pareto-optimal outcomes are drawn as points (joining them
    would suggest deals between them); with ``hull=True`` the frontier of
    the lotteries is the dashed chain. Solutions at the same point are drawn
    as concentric rings and named together in the legend.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import bargain as bg
    >>> from bargain.plot import plot_zopa_utilities
    >>> F = bg.Frontier.split("linear", ("power", 0.5))
    >>> ax = plot_zopa_utilities(F, [0.2, 0.3], delta=[0.9, 0.9])
    >>> sorted(t.get_text() for t in ax.get_legend().get_texts())[:3]
    ['Kalai–Smorodinsky', 'Nash', 'Pareto frontier']
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    from .issues._negotiation import Negotiation
    from .utility._frontier import Frontier
    from .zopa._zopa import zopa

    title = "Zone of possible agreement (utility space)"
    grid_outcomes = None
    if isinstance(S, Negotiation) and S.agenda.discrete and S.agenda.continuous:
        # a mixed agenda: its outcomes on a grid of the divisible issues (the frontier is a
        # union of continuous frontiers, one per combination), then as a point set
        _check_negotiation(S, "plot_zopa_utilities")
        if S.n != 2:
            raise ValueError(f"plot_zopa_utilities needs two parties, got {S.n}")
        grid_outcomes = S.agenda.enumerate(grid=41)
        neg, S = S, S.coded_utilities(grid_outcomes)
        d = neg.disagreement(d)
        if labels is None:
            labels = tuple(f"utility of {name}" for name in neg.names)
        title += ", divisible issues on a grid of 41"
    else:
        neg = S if isinstance(S, Negotiation) else None
    if isinstance(S, Negotiation):
        _check_negotiation(S, "plot_zopa_utilities")
        if S.n != 2:
            raise ValueError(f"plot_zopa_utilities needs two parties, got {S.n}")
        z = zopa(S, d, space="utilities", delta=delta, breakdown=breakdown)
        dd = np.asarray(S.disagreement(d), dtype=float)
        fr = S.frontier()
        default_labels = tuple(f"utility of {name}" for name in S.names)
        if fr.kind == "continuous":
            F, points = fr.frontier, None
        else:
            F, points = None, fr.points
            all_points = S.utilities(S.agenda.enumerate()) if S.agenda.size <= 4096 else None
    elif isinstance(S, Frontier):
        if S.batch_shape:
            raise ValueError(f"plot_zopa_utilities draws one frontier, batch shape {S.batch_shape}")
        z = zopa(S, d, delta=delta, breakdown=breakdown)
        dd = np.asarray(d, dtype=float)
        F, points = S, None
        default_labels = ("$u_1$", "$u_2$")
    else:
        z = zopa(S, d, hull=hull)
        P = np.asarray(S, dtype=float)
        if P.ndim != 2 or P.shape[1] != 2:
            raise ValueError(
                f"plot_zopa_utilities draws one two-party point set of shape (m, 2), got "
                f"shape {P.shape}"
            )
        dd = np.asarray(d, dtype=float)
        F = None
        all_points = P
        front = P[_pareto(P)]
        points = front[np.lexsort((-front[:, 1], front[:, 0]))]
        default_labels = ("$u_1$", "$u_2$")
    if labels is None:
        labels = default_labels
    ax = _axes(ax)
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = []
    if F is not None:
        t = np.linspace(float(F.lo), float(F.hi), 801)
        curve = F(t)
        ax.plot(curve[:, 0], curve[:, 1], color="#555555", lw=1.4, zorder=2)
        handles.append(Line2D([], [], color="#555555", lw=1.4, label="Pareto frontier"))
        if not z.empty:
            ts = np.linspace(*np.asarray(z.t_range, dtype=float), 401)
            seg = F(ts)
            region = np.vstack([dd, [dd[0], seg[0, 1]], seg, [seg[-1, 0], dd[1]]])
            ax.fill(region[:, 0], region[:, 1], color=_ZOPA_COLOR, alpha=0.35, lw=0, zorder=1)
            ax.plot(seg[:, 0], seg[:, 1], color="#c08a00", lw=4, solid_capstyle="round", zorder=3)
    else:
        if all_points is not None:
            ax.plot(all_points[:, 0], all_points[:, 1], ".", color="#bbbbbb", ms=4, zorder=1)
            handles.append(
                Line2D([], [], marker=".", color="#bbbbbb", ls="none", label="feasible outcomes")
            )
        # a finite set: its Pareto-optimal outcomes are points, not a curve (no
        # divisibility); with lotteries the frontier is the hull's chain, drawn dashed
        ax.plot(points[:, 0], points[:, 1], "o", ms=4.5, color="#333333", zorder=2, clip_on=False)
        handles.append(
            Line2D(
                [],
                [],
                color="#333333",
                marker="o",
                ms=4.5,
                ls="none",
                label="Pareto-optimal outcomes",
            )
        )
        if hull:
            H = _hull_polygon(all_points if all_points is not None else points)
            chain = _pareto_chain(H)
            ax.plot(chain[:, 0], chain[:, 1], "--", color="#555555", lw=1.2, zorder=2)
            handles.append(
                Line2D([], [], color="#555555", ls="--", lw=1.2, label="frontier with lotteries")
            )
        if not z.empty:
            if hull:
                from .zopa._kernels import clip_polygon

                C = clip_polygon(
                    clip_polygon(H, np.array([1.0, 0.0]), dd[0]), np.array([0.0, 1.0]), dd[1]
                )
                if C.shape[0] >= 3:
                    ax.fill(C[:, 0], C[:, 1], color=_ZOPA_COLOR, alpha=0.35, lw=0, zorder=1)
                seg = _pareto_chain(C)
                ax.plot(
                    seg[:, 0], seg[:, 1], color="#c08a00", lw=4, solid_capstyle="round", zorder=3
                )
                handles.append(Patch(color=_ZOPA_COLOR, alpha=0.35, label="ZOPA (lotteries)"))
            else:
                seg = points[np.all(points >= dd, axis=-1)]
                ax.plot(seg[:, 0], seg[:, 1], "o", color="#c08a00", ms=8, zorder=3, clip_on=False)
                handles.append(
                    Line2D(
                        [],
                        [],
                        marker="o",
                        color="#c08a00",
                        ms=8,
                        ls="none",
                        label="Pareto-optimal outcomes in the ZOPA",
                    )
                )
    if F is not None and not z.empty:
        handles.append(Patch(color=_ZOPA_COLOR, alpha=0.35, label="ZOPA"))
    ax.axvline(dd[0], color="#888888", lw=0.8, ls="--", zorder=0)
    ax.axhline(dd[1], color="#888888", lw=0.8, ls="--", zorder=0)
    ax.plot(*dd, marker="X", ms=10, color="black", ls="none", zorder=6)
    handles.append(
        Line2D([], [], marker="X", color="black", ls="none", ms=9, label="disagreement point d")
    )
    names = _concepts(concepts, True) if concepts is not None else list(z.solutions)
    drawn = []
    for c in names:
        if c not in z.solutions:
            if concepts is not None:
                raise ValueError(
                    f"concept {c!r} was not computed for this problem"
                    + (f" ({z.note})" if "note" in z else "")
                )
            continue
        if not bool(z.agreement[c]):
            continue
        drawn.append((c, np.asarray(z.solutions[c], dtype=float)))
    handles += _solution_markers(ax, drawn)
    if neg is not None and annotate and drawn:
        _annotate_terms(
            ax, neg, dd, annotate, drawn, S if grid_outcomes is not None else None, grid_outcomes
        )
    if z.empty:
        ax.text(
            0.5,
            0.92,
            f"ZOPA empty (slack = {float(z.slack):.3g})",
            transform=ax.transAxes,
            ha="center",
            va="top",
            fontsize=10,
            color="#555555",
        )
    ax.set_xlabel(labels[0])
    ax.set_ylabel(labels[1])
    ax.set_title(title, fontsize=10)
    _legend(ax, handles)
    ax.margins(0.06)
    return ax


def _solution_markers(ax, drawn):
    """Draw the solution points; coinciding ones as concentric rings, named together."""
    from matplotlib.lines import Line2D

    handles = []
    if not drawn:
        return handles
    U = np.array([u for _, u in drawn])
    scale = 1e-9 * max(1.0, float(np.abs(U).max()))
    groups = []
    for j, (_c, u) in enumerate(drawn):
        for g in groups:
            if np.all(np.abs(U[g[0]] - u) <= scale):
                g.append(j)
                break
        else:
            groups.append([j])
    for g in groups:
        for rank, j in enumerate(g):
            c, u = drawn[j]
            label, kw = _marker_kwargs(c)
            if len(g) > 1:  # rings of growing size around the first
                kw = dict(
                    kw,
                    ms=8 + 5 * rank,
                    mfc=kw["color"] if rank == 0 else "none",
                    mec=kw["color"],
                    mew=1.8,
                )
            ax.plot(u[0], u[1], ls="none", zorder=5 + len(g) - rank, clip_on=False, **kw)

            if len(g) > 1 and rank == 0:
                label = " = ".join(_marker_kwargs(drawn[i][0])[0] for i in g) + " (same point)"
            elif len(g) > 1:
                label = f"{label} (ring)"
            handles.append(Line2D([], [], ls="none", label=label, **kw))
    return handles


def _annotate_terms(ax, neg, d, concept, drawn, U=None, X=None):
    """Write the deal terms of ``concept`` beside its point (on a grid: the grid outcome's)."""
    from .solutions._axiomatic import kalai_smorodinsky, nash

    fns = {"nash": nash, "kalai_smorodinsky": kalai_smorodinsky}
    if concept not in fns:
        raise ValueError(f"`annotate` must be 'nash', 'kalai_smorodinsky' or None, got {concept!r}")
    hit = [u for c, u in drawn if c == concept]
    if not hit:
        return
    if U is not None:
        j = int(np.argmin(np.abs(np.asarray(U) - hit[0]).sum(axis=-1)))
        outcome = neg.agenda.decode(X[j])
    else:
        res = fns[concept](neg, d)
        if not res.agreement:
            return
        outcome = res.outcome
    terms = []
    for k, v in outcome.items():
        terms.append(f"{k}: {v}" if isinstance(v, str) else f"{k}: {float(v):.3g}")
    text = "\n".join(terms)
    u = hit[0]
    label = _marker_kwargs(concept)[0]
    # the top-right corner is empty in a frontier plot: no outcome dominates the frontier
    ax.annotate(
        f"{label} deal\n{text}",
        xy=(u[0], u[1]),
        xytext=(0.98, 0.98),
        textcoords="axes fraction",
        ha="right",
        va="top",
        fontsize=7,
        color="#333333",
        bbox=dict(boxstyle="round,pad=0.3", fc="white", ec="#bbbbbb", lw=0.6, alpha=0.9),
        arrowprops=dict(arrowstyle="-", color="#999999", lw=0.6),
        zorder=7,
    )


def _pareto(P):
    from .utility._pareto import pareto_frontier

    return pareto_frontier(P)


def _hull_polygon(P):
    """Convex hull of 2-D points, counter-clockwise (degenerate sets: their extreme points)."""
    from scipy.spatial import ConvexHull, QhullError

    P = np.unique(np.asarray(P, dtype=float), axis=0)
    if P.shape[0] < 3:
        return P
    try:
        return P[ConvexHull(P).vertices]
    except QhullError:  # collinear points
        order = np.lexsort((P[:, 1], P[:, 0]))
        return P[order[[0, -1]]]


def _pareto_chain(P):
    """Non-dominated vertices of a (convex) point set, sorted by the first utility."""
    if P.shape[0] == 0:
        return P
    front = P[_pareto(P)]
    return front[np.lexsort((-front[:, 1], front[:, 0]))]


_FIELDS = {
    "reservation": "reservation value",
    "discount": "discount factor",
    "breakdown": "breakdown risk",
    "power": "bargaining power",
    "outside_option": "outside option",
}


def parameter_label(path: str) -> str:
    """A readable label of a model key path (``parties.A.reservation`` -> ``A: reservation value``).

    Examples
    --------
    >>> from bargain.plot import parameter_label
    >>> parameter_label("parties.Ukraine.weights.territory_returned")
    'Ukraine: weight on territory returned'
    >>> parameter_label("parties.Russia.values.sanctions_relief.values.full")
    'Russia: value of sanctions relief = full'
    >>> parameter_label("war.end_states.russian_breakthrough.probability.Ukraine")
    'Ukraine: probability of russian breakthrough'
    >>> parameter_label("war.costs.Russia")
    'Russia: war cost'
    """
    parts = path.split(".")

    def words(x):
        return x.replace("_", " ")

    if parts[0] == "parties" and len(parts) >= 3:
        who, rest = parts[1], parts[2:]
        if len(rest) == 1:
            return f"{who}: {_FIELDS.get(rest[0], words(rest[0]))}"
        if rest[0] == "weights" and len(rest) == 2:
            return f"{who}: weight on {words(rest[1])}"
        if rest[0] == "values" and len(rest) == 4 and rest[2] == "values":
            return f"{who}: value of {words(rest[1])} = {words(rest[3])}"
        if rest[0] == "values" and len(rest) == 3:
            return f"{who}: {words(rest[1])} {words(rest[2])}"
        return f"{who}: " + " / ".join(words(x) for x in rest)
    if (
        parts[0] == "war"
        and len(parts) == 5
        and parts[1] == "end_states"
        and parts[3] == "probability"
    ):
        return f"{parts[4]}: probability of {words(parts[2])}"
    if parts[0] == "war" and len(parts) == 3:
        return f"{parts[2]}: war {words(parts[1]).rstrip('s')}"
    if parts[0] == "levers" and len(parts) >= 3:
        return f"lever {words(parts[1])}: " + " / ".join(words(x) for x in parts[2:])
    return " / ".join(words(x) for x in parts)


def plot_tornado(table, column=None, *, top=15, labels="readable", ax=None):
    """Tornado plot of a sensitivity table: one horizontal bar per parameter, largest on top.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`bargain.sensitivity` (indexed by parameter).
    column : str, optional
        The bar lengths: ``"ST"`` (Sobol; ``S1`` drawn inside it) or
        ``"rho"`` (Spearman, signed) by default, whichever the table has.
    top : int, default 15
        How many parameters to show.
    labels : {"readable", "paths"} or mapping, default "readable"
        Bar labels: readable names made from the key paths
        (:func:`parameter_label`), the key paths themselves, or a mapping
        path -> label.
    ax : matplotlib Axes, optional

    Notes
    -----
    Sobol tables are drawn with their 95% bootstrap intervals (``ST_conf``
    as error bars on the bars, ``S1_conf`` on the dots).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import bargain as bg, matplotlib
    >>> matplotlib.use("Agg")
    >>> from bargain.plot import plot_tornado
    >>> t = bg.sensitivity("ukraine_russia", method="spearman", n=200)
    >>> ax = plot_tornado(t, top=5)
    >>> len(ax.patches)
    5
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    if column is None:
        column = "ST" if "ST" in table.columns else "rho"
    if column not in table.columns:
        raise ValueError(f"`column` must be one of {list(table.columns)}, got {column!r}")
    if isinstance(top, bool) or not isinstance(top, int) or top < 1:
        raise ValueError(f"`top` must be a positive integer, got {top!r}")
    key = table[column].abs()
    t = table.loc[key.sort_values(ascending=False).index[:top]].iloc[::-1]
    ax = _axes(ax)
    y = np.arange(len(t))
    vals = t[column].to_numpy(dtype=float)
    colors = np.where(vals >= 0, _PARTY_COLORS[0], _PARTY_COLORS[1])
    err = t[f"{column}_conf"].to_numpy(dtype=float) if f"{column}_conf" in t.columns else None
    ax.barh(
        y,
        vals,
        color=colors,
        height=0.7,
        label=column,
        xerr=err,
        error_kw=dict(ecolor="0.35", lw=0.8, capsize=2),
    )
    if column == "ST" and "S1" in t.columns:
        s1 = t["S1"].to_numpy(dtype=float)
        s1_err = t["S1_conf"].to_numpy(dtype=float) if "S1_conf" in t.columns else None
        ax.errorbar(
            s1,
            y,
            xerr=s1_err,
            fmt="o",
            color="black",
            ms=3.5,
            lw=0.8,
            capsize=2,
            zorder=3,
            label="S1 (95% interval)",
        )
        ax.legend(loc="lower right", frameon=False, fontsize=7)
    if labels == "readable":
        names = [parameter_label(str(i)) for i in t.index]
    elif labels == "paths":
        names = [str(i) for i in t.index]
    elif isinstance(labels, Mapping):
        names = [str(labels.get(i, i)) for i in t.index]
    else:
        raise ValueError(f"`labels` must be 'readable', 'paths' or a mapping, got {labels!r}")
    ax.set_yticks(y, names)
    ax.axvline(0.0, color="0.3", lw=0.8)
    names = {"ST": "total Sobol index", "rho": "Spearman rank correlation"}
    ax.set_xlabel(names.get(column, column))
    ax.tick_params(axis="y", labelsize=7)
    return ax


def plot_ripeness(result, *, ax=None):
    """The ZOPA's slack over time and the ripe moment (from :func:`bargain.ripeness`).

    Draws the slack at the model's values, the zero line (above it the
    ZOPA is open), the ripe moment, and with Monte Carlo draws the 5-95%
    band of the slack and the probability that the ZOPA is open (right axis).

    Parameters
    ----------
    result : Result
        From :func:`bargain.ripeness`.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import bargain as bg, matplotlib
    >>> matplotlib.use("Agg")
    >>> from bargain.plot import plot_ripeness
    >>> ax = plot_ripeness(bg.ripeness("ukraine_russia", optimism=0.1))
    >>> ax.get_ylabel()
    'slack of the ZOPA'
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    ax = _axes(ax)
    raw = np.asarray(result.times, dtype=float)
    dates = _as_dates(raw) if result.get("method") != "paths from the front line" else None
    t = raw if dates is None else dates
    ax.axhline(0.0, color="0.3", lw=0.8)
    if "slack_draws" in result:
        lo, hi = np.quantile(result.slack_draws, [0.05, 0.95], axis=0)
        ax.fill_between(t, lo, hi, color=_ZOPA_COLOR, alpha=0.35, label="slack, 5-95% of draws")
    ax.plot(t, result.slack, color=_PARTY_COLORS[0], lw=2, label="slack (model values)")
    if result.ripe:
        when = float(result.ripe_time)
        at = when if dates is None else _as_dates(np.array([when]))[0]
        text = f"{when:.6g}" if dates is None else at.strftime("%Y-%m-%d")
        if result.get("open_at_start"):
            text = f"open from the start ({text})"
        ax.axvline(at, color=_PARTY_COLORS[1], ls="--", lw=1.2, label=f"ripe moment: {text}")
    if dates is None:
        from matplotlib.ticker import MaxNLocator

        ax.xaxis.set_major_locator(MaxNLocator(6))
        ax.ticklabel_format(axis="x", useOffset=False, style="plain")
        periods = result.get("method") == "paths from the front line"
        ax.set_xlabel("period" if periods else "time")
    else:
        import matplotlib.dates as mdates

        ax.xaxis.set_major_locator(mdates.AutoDateLocator(maxticks=7))
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
        ax.set_xlabel("date")
    ax.set_ylabel("slack of the ZOPA")
    if "p_open" in result:
        ax2 = ax.twinx()
        ax2.plot(t, result.p_open, color="0.2", lw=1.2, ls=":", label="P(ZOPA open)")
        ax2.set_ylim(0, 1.02)
        ax2.set_ylabel("P(ZOPA open)")
        ax2.legend(loc="lower right", frameon=False)
    ax.legend(loc="upper left", frameon=False)
    return ax


def plot_zopa_options(neg, issues=None, d=None, *, grid=21, ax=None):
    r"""The ZOPA of a discrete (or mixed) agenda in issue space: a grid of two issues' options.

    Cell :math:`(a, b)` holds the best slack over every completion of the
    other issues (their options, and the divisible issues on a grid),

    .. math:: \sigma(a, b) = \max_{x : x_1 = a,\ x_2 = b} \sigma(x),

    with :math:`\sigma(x) = \min_i (u_i(x) - d_i)` (the rule slack for a
    governed negotiation): the pair can be part of an agreement every party
    (every required party) accepts exactly when :math:`\sigma(a, b) \ge 0`.
    Cells are coloured by :math:`\sigma` (diverging at 0) and outlined where
    they are in the ZOPA; the Nash deal's pair is starred.

    Parameters
    ----------
    neg : Negotiation
        Unbatched, with at least two discrete issues (or one discrete issue
        beside divisible ones: then the first divisible issue, gridded, is the
        other axis).
    issues : (str, str), optional
        The two issues on the axes; by default the two discrete issues with
        the most options.
    d : array_like, optional
        Disagreement point (the reservation values by default).
    grid : int, default 21
        Grid points per divisible issue.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import bargain as bg
    >>> from bargain.plot import plot_zopa_options
    >>> neg = bg.load_model("good_friday_1998").negotiation
    >>> ax = plot_zopa_options(neg)
    >>> ax.get_xlabel(), ax.get_ylabel()
    ('constitutional_status', 'north_south_bodies')
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    _check_negotiation(neg, "plot_zopa_options")
    A = neg.agenda
    if issues is None:
        disc = sorted(A.discrete, key=lambda k: -A.issues[k].k)
        if len(disc) >= 2:
            pick = sorted(disc[:2])
        elif len(disc) == 1 and A.continuous:
            pick = [disc[0], A.continuous[0]]
        else:
            raise ValueError(
                "plot_zopa_options needs two issues, at least one discrete; for two divisible "
                "issues use plot_zopa_issues"
            )
    else:
        if isinstance(issues, str) or len(issues) != 2 or issues[0] == issues[1]:
            raise ValueError(f"`issues` must name two different issues, got {issues!r}")
        pick = [A.position(k) for k in issues]
    if isinstance(grid, bool) or not isinstance(grid, int) or grid < 2:
        raise ValueError(f"`grid` must be an integer >= 2, got {grid!r}")
    X = A.enumerate(grid=grid if A.continuous else None)
    if not len(X):
        raise ValueError("no outcome of the agenda satisfies its constraints")
    U = neg.coded_utilities(X)
    r = np.asarray(neg.disagreement(d), dtype=float)
    sigma = neg.rule_slack(U, X, r) if neg.governed else np.min(U - r, axis=-1)
    axes_values = []
    for k in pick:
        issue = A.issues[k]
        axes_values.append(np.arange(issue.k, dtype=float) if issue.discrete else A.values(k, grid))
    ia = np.searchsorted(axes_values[0], X[:, pick[0]])
    ib = np.searchsorted(axes_values[1], X[:, pick[1]])
    best = np.full((len(axes_values[0]), len(axes_values[1])), -np.inf)
    np.maximum.at(best, (ia, ib), sigma)
    ax = _axes(ax)
    from matplotlib.colors import TwoSlopeNorm
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch, Rectangle

    finite = best[np.isfinite(best)]
    span = float(np.max(np.abs(finite))) if finite.size else 1.0
    span = span if span > 0 else 1.0
    shown = np.where(np.isfinite(best), best, np.nan)
    mesh = ax.imshow(
        shown.T,
        origin="lower",
        cmap="RdBu",
        norm=TwoSlopeNorm(vcenter=0.0, vmin=-span, vmax=span),
        aspect="auto",
    )
    cbar = ax.figure.colorbar(mesh, ax=ax, shrink=0.85)
    cbar.set_label("best slack over the other issues")
    for a in range(best.shape[0]):
        for b in range(best.shape[1]):
            if not np.isfinite(best[a, b]):
                ax.text(a, b, "ruled out", ha="center", va="center", fontsize=6, color="0.4")
                continue
            if best[a, b] >= 0:
                ax.add_patch(Rectangle((a - 0.5, b - 0.5), 1, 1, fill=False, ec="black", lw=1.6))
            if best.size <= 150:
                dark = abs(best[a, b]) > 0.6 * span
                ax.text(
                    a,
                    b + 0.28,
                    f"{best[a, b]:.2f}",
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="white" if dark else "black",
                )
    handles = [
        Patch(fc="none", ec="black", lw=1.6, label="in the ZOPA (some completion)"),
    ]
    from .solutions._axiomatic import nash

    res = nash(neg, d)
    if res.agreement:
        c = np.asarray(res.coded, dtype=float)
        a = int(np.argmin(np.abs(axes_values[0] - c[pick[0]])))
        b = int(np.argmin(np.abs(axes_values[1] - c[pick[1]])))
        ax.plot(a, b, marker="*", ms=16, mfc="none", mec="#1b9e77", mew=1.8, ls="none")
        handles.append(
            Line2D(
                [],
                [],
                marker="*",
                ms=12,
                mfc="none",
                mec="#1b9e77",
                mew=1.8,
                ls="none",
                label="Nash deal",
            )
        )

    def ticks(k, values):
        issue = A.issues[k]
        if issue.discrete:
            return [str(o) for o in issue.options]
        return [f"{v:.3g}" for v in values]

    for axis, k, values in (
        (ax.xaxis, pick[0], axes_values[0]),
        (ax.yaxis, pick[1], axes_values[1]),
    ):
        labels = ticks(k, values)
        step = max(1, len(labels) // 12)
        axis.set_ticks(range(0, len(labels), step), labels[::step])
    ax.tick_params(axis="x", labelrotation=30, labelsize=7)
    ax.tick_params(axis="y", labelsize=7)
    ax.set_xlabel(A.names[pick[0]])
    ax.set_ylabel(A.names[pick[1]])
    ax.set_title("ZOPA in issue space: option pairs with an acceptable completion", fontsize=10)
    ax.legend(
        handles=handles,
        fontsize=7,
        loc="upper left",
        bbox_to_anchor=(0.0, -0.3),
        frameon=False,
        ncol=2,
    )
    return ax


def _as_dates(years):
    """Decimal years (2024.5) as datetimes, or None when the times are not calendar years."""
    import datetime as dt

    years = np.asarray(years, dtype=float)
    if years.size == 0 or years.min() < 1800 or years.max() > 2300:
        return None
    out = []
    for y in years:
        year = int(np.floor(y))
        start = dt.datetime(year, 1, 1)
        length = (dt.datetime(year + 1, 1, 1) - start).total_seconds()
        out.append(start + dt.timedelta(seconds=float(y - year) * length))
    return np.array(out, dtype=object)
