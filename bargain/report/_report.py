"""``bargain report``: a Markdown summary of a model with its plots and tables."""

from __future__ import annotations

from pathlib import Path

__all__ = ["plot_frontier", "plot_zopa", "write_report"]


def _figure():
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    return plt


def check_plot_path(path) -> Path:
    """The path of a figure file, checked: a ``.png``, ``.svg`` or ``.pdf`` name.

    Examples
    --------
    >>> from bargain.report._report import check_plot_path
    >>> check_plot_path("zopa.png").suffix
    '.png'
    """
    p = Path(path)
    if p.suffix.lower() not in (".png", ".svg", ".pdf"):
        raise ValueError(f"plot file {str(p)!r}: expected a .png, .svg or .pdf name")
    return p


def _save(fig, path) -> Path:
    p = check_plot_path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(p, dpi=120, bbox_inches="tight")
    return p


def plot_zopa(model, path) -> Path:
    """Write the issue-space ZOPA plot of a model.

    Two continuous issues or more (two parties): the ZOPA in the slice of the
    first two continuous issues (the other issues at the most robust deal).
    A discrete or mixed agenda: the grid of two issues' options coloured by
    whether some completion is in the ZOPA (:func:`bargain.plot.plot_zopa_options`).
    Otherwise the utility frontier with the ZOPA.
    """
    from ..plot import plot_zopa_issues, plot_zopa_options

    plt = _figure()
    if not _issue_space_zopa(model):
        return plot_frontier(model, path)  # (raises for models it cannot draw)
    neg = model.negotiation
    fig, ax = plt.subplots(figsize=(7, 5.2), layout="constrained")
    try:
        if len(model.agenda.continuous) >= 2 and neg.n == 2:
            plot_zopa_issues(neg, ax=ax)
        else:
            plot_zopa_options(neg, ax=ax)
        ax.set_title(f"{model.title}\nZOPA in issue space", fontsize=9)
        return _save(fig, path)
    finally:
        plt.close(fig)


def plot_frontier(model, path) -> Path:
    """Write the utility-space frontier plot (two-party models)."""
    from ..plot import plot_zopa_utilities

    plt = _figure()
    neg = model.negotiation
    A = model.agenda
    if not _plottable(model):
        raise ValueError(
            f"model {model.name!r}: the frontier plot needs two parties (or, in a negotiation "
            "with non-veto parties, two veto players over a discrete agenda)"
        )
    fig, ax = plt.subplots(figsize=(8, 5), layout="constrained")
    try:
        if neg.n != 2:
            # the veto players' frontier over the packages every required party accepts
            V = list(neg.veto_players)
            X = A.enumerate()
            U = neg.coded_utilities(X)
            U = U[neg.rule_slack(U, X) >= 0][:, V]
            from ..utility._pareto import pareto_frontier

            U = U[pareto_frontier(U)]
            labels = tuple(f"utility of {neg.names[i]}" for i in V)
            plot_zopa_utilities(U, neg.reservation[V], labels=labels, ax=ax)
            ax.set_title(
                f"{model.title}\nveto players' frontier over the acceptable packages", fontsize=9
            )
            return _save(fig, path)
        plot_zopa_utilities(neg, ax=ax)  # (a mixed agenda: on a grid of its divisible issues)
        ax.set_title(f"{model.title}\nutility frontier and ZOPA", fontsize=9)
        return _save(fig, path)
    finally:
        plt.close(fig)


def _issue_space_zopa(model) -> bool:
    """Whether the model has an issue-space ZOPA plot (two divisible issues, or options)."""
    A, neg = model.agenda, model.negotiation
    if len(A.continuous) >= 2 and neg.n == 2:
        return True
    discrete = len(A.discrete)
    small = A.size * 21 ** len(A.continuous) <= 2**20
    return (
        small
        and (discrete >= 2 or (discrete == 1 and A.continuous))
        and (neg.n == 2 or neg.governed)
    )


def _plottable(model) -> bool:
    neg = model.negotiation
    if neg.n == 2:
        return True
    return neg.governed and len(neg.veto_players) == 2 and not model.agenda.continuous


def _md_table(text: str) -> str:
    return "```\n" + text + "\n```"


def _inside(out: Path, name: str) -> Path:
    """``out / name``, refused unless it is a plain file name directly inside ``out``."""
    path = out / name
    if Path(name).name != name or path.resolve().parent != out.resolve():
        raise ValueError(
            f"report file name {name!r} would be written outside the output folder {str(out)!r}"
        )
    return path


def write_report(model, out) -> Path:
    """Write ``<out>/<model>.md`` with the solutions, ZOPA, leverage and plots.

    Every file goes directly into ``out`` (the model's name is an identifier,
    and the paths are checked again here). Models get the issue-space ZOPA
    (two divisible issues: the region; discrete or mixed agendas: the grid
    of two issues' options) and the utility frontier with its ZOPA, each
    embedded once.

    Returns the path of the Markdown file.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    from ._brief import sections

    blocks = dict(sections(model))
    parts = [f"# {model.title}", "", model.description, "", blocks["verdict"], ""]
    parts += ["## Solutions", "", _md_table(blocks["solutions"]), ""]
    parts += [_md_table(blocks["gains"]), ""]
    parts += ["## Zone of possible agreement", "", _md_table(blocks["zopa"]), ""]
    if "distribution" in blocks:
        parts += [_md_table(blocks["distribution"]), ""]
    parts += ["## Outlook", "", _md_table(blocks["outlook"]), ""]
    if _plottable(model):
        fp = plot_frontier(model, _inside(out, f"{model.name}_frontier.png"))
        if _issue_space_zopa(model):
            zp = plot_zopa(model, _inside(out, f"{model.name}_zopa.png"))
            parts += [f"![ZOPA in issue space]({zp.name})", ""]
        parts += [f"![Utility frontier and ZOPA]({fp.name})", ""]
    parts += ["## Leverage", "", _md_table(blocks["leverage"]), ""]
    if model.history is not None:
        h = model.history
        parts += [
            "## What happened",
            "",
            f"{'Settled' if h.settled else 'Not settled'}"
            f"{f' ({h.year})' if h.year else ''}: {h.summary}",
            "",
        ]
    if model.uncertain:
        parts += [
            "## Uncertain parameters",
            "",
            "| parameter | value | range | basis |",
            "|---|---|---|---|",
        ]
        for u in model.uncertain:
            lo, hi = u.support
            basis = (u.source or u.rationale).replace("|", "/")
            parts.append(f"| `{u.path}` | {u.value:g} | {u.dist} [{lo:g}, {hi:g}] | {basis} |")
        parts.append("")
    if model.sources:
        parts += ["## Sources", "", *(f"- {s}" for s in model.sources), ""]
    md = _inside(out, f"{model.name}.md")
    md.write_text("\n".join(parts), encoding="utf-8")
    return md
