"""The ``bargain`` command.

``bargain`` with no arguments prints the analysis of the bundled
``ukraine_russia`` model (solutions, ZOPA, leverage). Subcommands: ``solve``,
``zopa``, ``leverage``, ``report``, ``models``, ``bench``, ``sweep`` (Monte
Carlo over the model's uncertainty), ``ripeness`` (the ZOPA over time). Errors are one line
on stderr and exit status 2 (a traceback only with ``--debug``).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys

__all__ = ["main"]

DEFAULT_MODEL = "ukraine_russia"
CONCEPTS = ("nash", "kalai_smorodinsky", "egalitarian", "utilitarian", "rubinstein")
SHORT = {
    "nash": "Nash",
    "kalai_smorodinsky": "Kalai-Smor.",
    "egalitarian": "Egalitarian",
    "utilitarian": "Utilitarian",
    "rubinstein": "Rubinstein",
}


class CLIError(ValueError):
    """A user error reported on one line."""


# -- formatting ------------------------------------------------------------------------


def table(headers, rows, align=None) -> str:
    """Aligned plain-text table: first column left-aligned, the others right-aligned.

    Examples
    --------
    >>> print(table(["a", "b"], [["x", "1.0"], ["yy", "22"]]))
    a     b
    --  ---
    x   1.0
    yy   22
    """
    cols = list(zip(*([headers, *rows]), strict=True))
    widths = [max(len(str(c)) for c in col) for col in cols]
    align = align or ["<"] + [">"] * (len(headers) - 1)

    def line(cells):
        return "  ".join(
            f"{c!s:{a}{w}}" for c, a, w in zip(cells, align, widths, strict=True)
        ).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def fmt_value(model, issue, value) -> str:
    """An issue value for people: option labels, or a number with the issue's unit."""
    if isinstance(value, str):
        return value
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    unit = model.unit(issue)
    v = float(value)
    text = f"{v:.3f}" if abs(v) < 10 else f"{v:.1f}"
    return f"{text} {unit}".rstrip() if unit else text


def _f(x, digits=3) -> str:
    return "-" if x is None else f"{float(x):.{digits}f}"


# -- analysis --------------------------------------------------------------------------


def _load(name):
    from ._model import load_model

    return load_model(name or DEFAULT_MODEL)


def _rubinstein(neg, fixed_from):
    """Rubinstein SPE, discrete issues (if any) fixed at ``fixed_from``'s options."""
    import numpy as np

    from ._rubinstein import rubinstein

    if neg.n != 2 or not bool(np.all(neg.discount < 1)):
        return None, "needs two parties with discount factors below 1"
    if not bool(np.all(neg.breakdown == neg.breakdown[..., :1])):
        return None, "needs equal breakdown risks"
    A = neg.agenda
    if not A.continuous:
        return None, "needs at least one divisible issue"
    fixed = {A.names[k]: fixed_from[A.names[k]] for k in A.discrete} if A.discrete else None
    try:
        fr = neg.frontier(fixed=fixed)
    except ValueError as exc:
        return None, str(exc)
    res = rubinstein(neg.discount, fr.frontier, neg.reservation, breakdown=neg.breakdown[0])
    if not bool(res.agreement):
        return {"agreement": False, "outcome": None, "utilities": None}, ""
    outcome = A.decode(fr.coded_outcome(res.x))
    note = "discrete issues fixed at the Nash options" if A.discrete else ""
    return {
        "agreement": True,
        "outcome": dict(outcome),
        "utilities": [float(u) for u in neg.utilities(outcome)],
    }, note


def solve_all(model) -> dict:
    """Every solution concept of a model's negotiation, as plain data."""
    neg = model.negotiation
    out = {}
    for c in CONCEPTS[:-1]:
        res = neg.solve(c)
        agree = bool(res.agreement)
        out[c] = {
            "agreement": agree,
            "outcome": {k: _plain(v) for k, v in res.outcome.items()} if agree else None,
            "utilities": [float(u) for u in res.utilities],
        }
    rub, note = (
        _rubinstein(neg, out["nash"]["outcome"] or {})
        if out["nash"]["agreement"]
        else (
            None,
            "no agreement in the Nash solution",
        )
    )
    out["rubinstein"] = rub if rub is not None else {"agreement": None, "note": note}
    if rub is not None and note:
        out["rubinstein"]["note"] = note
    return out


def _plain(v):
    if isinstance(v, str):
        return v
    return float(v)


def zopa_summary(model, samples=4000) -> dict:
    """The ZOPA of a model as plain data (slack, robust deal, ranges, share)."""
    import numpy as np

    from ._zopa import zopa

    z = zopa(model.negotiation, samples=samples, rng=0)
    ranges = {}
    A = model.agenda
    for name, r in z.ranges.items():
        issue = A.issue(name)
        if np.any(np.isnan(r)):
            ranges[name] = None
        elif issue.discrete:
            ranges[name] = [issue.options[k] for k in range(issue.k) if z.options[name][k]]
        else:
            ranges[name] = [float(r[0]), float(r[1])]
    return {
        "empty": bool(z.empty),
        "slack": float(z.slack),
        "share": float(z.share),
        "share_method": str(z.share_method),
        "robust_outcome": {k: _plain(v) for k, v in z.robust_outcome.items()},
        "robust_utilities": [float(u) for u in z.robust_utilities],
        "ranges": ranges,
        "reservation": [float(r) for r in model.negotiation.reservation],
    }


def format_solutions(model, sol) -> str:
    """The solutions as an aligned table: issues and utilities by concept."""
    heads = ["", *(SHORT[c] for c in CONCEPTS)]
    rows = []
    for name in model.agenda.names:
        row = [name]
        for c in CONCEPTS:
            s = sol[c]
            row.append(fmt_value(model, name, s["outcome"][name]) if s.get("outcome") else "-")
        rows.append(row)
    for i, p in enumerate(model.negotiation.names):
        row = [f"utility of {p}"]
        for c in CONCEPTS:
            u = sol[c].get("utilities")
            row.append(_f(u[i]) if u else "-")
        rows.append(row)
    rows.append(["agreement", *(_yes(sol[c].get("agreement")) for c in CONCEPTS)])
    text = table(heads, rows)
    notes = [f"Rubinstein: {sol['rubinstein']['note']}"] if sol["rubinstein"].get("note") else []
    d = ", ".join(
        f"{p} {float(r):.3f}"
        for p, r in zip(model.negotiation.names, model.negotiation.reservation, strict=True)
    )
    notes.append(f"Reservation values (no deal): {d}; utilities are 0..1 per issue, weighted.")
    return text + "\n" + "\n".join(notes)


def _yes(a) -> str:
    return "n/a" if a is None else ("yes" if a else "no")


def format_zopa(model, z) -> str:
    """The ZOPA summary in words and a table of issue ranges."""
    status = "OPEN" if not z["empty"] else "CLOSED"
    lines = [
        f"ZOPA: {status}; slack {z['slack']:+.3f} (the smallest surplus over a reservation value "
        f"at the most robust deal; negative: how far apart the parties are)",
        f"Share of the outcome space inside the ZOPA: {z['share']:.1%} ({z['share_method']})",
        "",
    ]
    rows = []
    for name in model.agenda.names:
        r = z["ranges"][name]
        if r is None:
            rng = "-"
        elif model.agenda.issue(name).discrete:
            rng = ", ".join(r)
        else:
            rng = f"{fmt_value(model, name, r[0])} .. {fmt_value(model, name, r[1])}"
        rows.append([name, fmt_value(model, name, z["robust_outcome"][name]), rng])
    lines.append(
        table(["issue", "most robust deal", "range inside the ZOPA"], rows, ["<", "<", "<"])
    )
    return "\n".join(lines)


def _header(model) -> str:
    title = model.title
    return f"{title}\n{'=' * len(title)}\n{model.description}".rstrip()


# -- leverage --------------------------------------------------------------------------


def leverage_rows(model) -> tuple[list, str]:
    """Per lever: effect on the ZOPA slack and the Nash deal at its affordable intensity.

    Each lever alone, at the largest intensity within its ``max_intensity``
    and the mediator's budget, through :func:`bargain.leverage`.
    """
    from ._leverage import leverage

    if not model.levers:
        return [], "the model has no levers"
    return _leverage_api(model, leverage), "bargain.leverage"


def _leverage_api(model, leverage):
    import numpy as np

    levers = model.levers
    t = np.array([_intensity(lv, model.mediator.budget) for lv in levers])
    res = leverage(
        model.negotiation, model.mediator, np.diag(t), concepts=["zopa", "nash"], derivatives=False
    )
    base = model.negotiation.solve("nash")
    A = model.agenda
    rows = []
    for j, lv in enumerate(levers):
        row = {
            "lever": lv.label,
            "kind": lv.kind,
            "target": lv.target,
            "intensity": float(t[j]),
            "cost": float(res.cost[j]),
            "slack_change": float(res.zopa.slack_change[j]),
        }
        after = A.decode(res.nash.coded[j])
        changes = {}
        for k in A.names:
            a, b = base.outcome[k], after[k]
            if (a != b) if isinstance(a, str) else abs(float(a) - float(b)) > 1e-6:
                changes[k] = [_plain(a), _plain(b)]
        row["nash_changes"] = changes
        row["nash_utilities"] = [float(u) for u in res.nash.utilities[j]]
        rows.append(row)
    return rows


def _intensity(lever, budget):
    cost = float(getattr(lever, "cost", 0.0))
    t = lever.max_intensity
    if cost > 0 and math.isfinite(budget):
        t = min(t, budget / cost)
    return 1.0 if not math.isfinite(t) else t


def format_leverage(model, rows, how) -> str:
    """The leverage table."""
    if not rows:
        return f"Leverage: {how}."
    heads = ["lever", "kind", "target", "intensity", "cost", "ZOPA slack", "Nash deal moves"]
    out = []
    for r in rows:
        moves = "; ".join(
            f"{k}: {fmt_value(model, k, a)} -> {fmt_value(model, k, b)}"
            for k, (a, b) in r.get("nash_changes", {}).items()
        ) or r.get("note", "none")
        out.append(
            [
                r["lever"],
                r["kind"],
                r["target"],
                f"{r['intensity']:.2f}",
                f"{r['cost']:.2f}",
                f"{r['slack_change']:+.3f}" if "slack_change" in r else "-",
                moves,
            ]
        )
    name = model.mediator.name
    return (
        f"Leverage of {name} (budget {model.mediator.budget:g}; each lever alone at the "
        f"largest intensity it can afford; {how})\n"
        + table(heads, out, ["<", "<", "<", ">", ">", ">", "<"])
    )


# -- commands --------------------------------------------------------------------------


def _cmd_solve(args) -> int:
    model = _load(args.model)
    sol = solve_all(model)
    if args.json:
        print(
            json.dumps(
                {"model": model.name, "parties": list(model.negotiation.names), "solutions": sol},
                indent=2,
            )
        )
    else:
        print(_header(model) + "\n")
        print(format_solutions(model, sol))
    return 0


def _cmd_zopa(args) -> int:
    model = _load(args.model)
    z = zopa_summary(model)
    if args.json:
        print(json.dumps({"model": model.name, "zopa": z}, indent=2))
    else:
        print(_header(model) + "\n")
        print(format_zopa(model, z))
    if args.plot:
        from ._report import plot_zopa

        plot_zopa(model, args.plot)
        if not args.json:
            print(f"\nplot written to {args.plot}")
    return 0


def _cmd_leverage(args) -> int:
    model = _load(args.model)
    rows, how = leverage_rows(model)
    if args.json:
        print(json.dumps({"model": model.name, "method": how, "levers": rows}, indent=2))
    else:
        print(_header(model) + "\n")
        print(format_leverage(model, rows, how))
    return 0


def _cmd_main(args) -> int:
    """``bargain`` without a subcommand: the full analysis of the default model."""
    model = _load(DEFAULT_MODEL)
    print(_header(model) + "\n")
    print(format_solutions(model, solve_all(model)) + "\n")
    print(format_zopa(model, zopa_summary(model)) + "\n")
    rows, how = leverage_rows(model)
    print(format_leverage(model, rows, how) + "\n")
    print("Every number is a judgement with a range: see `bargain models` and the model file.")
    return 0


def _cmd_models(args) -> int:
    from ._model import bundled_models

    models = bundled_models()
    print(table(["model", "description"], [[k, v] for k, v in models.items()], ["<", "<"]))
    return 0


def _cmd_report(args) -> int:
    from ._report import write_report

    path = write_report(_load(args.model), args.out)
    print(f"report written to {path}")
    return 0


def _bench(args) -> int:
    from ._bench import format_table, run_cases

    outcomes = run_cases(args.path)
    print(format_table(outcomes))
    return 0 if all(o.passed for o in outcomes) else 1


def _cmd_sweep(args) -> int:
    from ._sweep import sweep

    model = _load(args.model)
    scheduler = args.dask
    res = sweep(
        model,
        args.n,
        seed=args.seed,
        chunk_size=args.chunk_size,
        out=args.out,
        resume=args.resume,
        scheduler=scheduler,
        keep=args.n <= 10**6,  # beyond that only the summary is held (the table is in --out)
    )
    s = res.summary
    if args.json:
        rows = {q: {k: _plain(v) for k, v in r.items()} for q, r in s.to_dict("index").items()}
        print(json.dumps({"model": model.name, "n": res.n, "seed": res.seed, "summary": rows}))
        return 0
    print(_header(model) + "\n")
    print(f"Monte Carlo: n = {res.n}, seed = {res.seed}, {res.chunks} chunk(s)\n")
    cols = [c for c in ("mean", "se", "q05", "q50", "q95") if c in s.columns]
    rows = [[q, str(int(s.loc[q, "n"]))] + [_f(s.loc[q, c], 4) for c in cols] for q in s.index]
    print(table(["quantity", "n", *cols], rows))
    if res.out is not None:
        print(f"\ntable written to {res.out}")
    return 0


def _cmd_ripeness(args) -> int:
    from ._ripeness import ripeness

    model = _load(args.model)
    r = ripeness(model, n=args.n, seed=args.seed, optimism=args.optimism)
    if args.json:
        out = {"model": model.name, "ripe": r.ripe, "ripe_time": _plain(r.ripe_time)}
        out["times"] = [float(t) for t in r.times]
        out["slack"] = [float(x) for x in r.slack]
        if args.n:
            out["p_ripe"] = r.p_ripe
            out["p_open"] = [float(p) for p in r.p_open]
        print(json.dumps(out))
    else:
        print(_header(model) + "\n")
        step = max(1, len(r.times) // 12)
        idx = sorted(set(range(0, len(r.times), step)) | {len(r.times) - 1})
        heads = ["time", *r.parties, "slack", "open"] + (["P(open)"] if args.n else [])
        rows = []
        for i in idx:
            row = [f"{r.times[i]:.3f}", *(_f(x) for x in r.reservation[i])]
            row += [_f(r.slack[i]), _yes(r.open[i])]
            rows.append(row + ([_f(r.p_open[i])] if args.n else []))
        print(table(heads, rows))
        print(f"\nripe moment: {r.message}")
        if args.n:
            q = ", ".join(f"{x:.4g}" for x in r.ripe_quantiles)
            print(f"P(ripe within the window) = {r.p_ripe:.3f}; ripe time 5/50/95%: {q}")
    if args.plot:
        from ._report import _figure, _save
        from .plot import plot_ripeness

        plt = _figure()
        ax = plot_ripeness(r)
        ax.set_title(model.title, fontsize=9)
        try:
            _save(ax.figure, args.plot)
        finally:
            plt.close(ax.figure)
        if not args.json:
            print(f"\nplot written to {args.plot}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``bargain`` command."""
    parser = argparse.ArgumentParser(
        prog="bargain",
        description="Game-theoretic bargaining analysis. Without a command: the analysis of "
        f"the bundled {DEFAULT_MODEL!r} model.",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = parser.add_subparsers(dest="command")
    model_help = f"model file or bundled model name (default: {DEFAULT_MODEL})"

    solve = sub.add_parser("solve", help="every solution concept as a table")
    solve.add_argument("model", nargs="?", default=DEFAULT_MODEL, help=model_help)
    solve.add_argument("--json", action="store_true", help="machine-readable output")
    solve.set_defaults(func=_cmd_solve)

    zopa = sub.add_parser("zopa", help="the zone of possible agreement")
    zopa.add_argument("model", nargs="?", default=DEFAULT_MODEL, help=model_help)
    zopa.add_argument("--plot", metavar="FILE", help="write a ZOPA plot (PNG, SVG or PDF)")
    zopa.add_argument("--json", action="store_true", help="machine-readable output")
    zopa.set_defaults(func=_cmd_zopa)

    lev = sub.add_parser("leverage", help="what each mediator lever does")
    lev.add_argument("model", nargs="?", default=DEFAULT_MODEL, help=model_help)
    lev.add_argument("--json", action="store_true", help="machine-readable output")
    lev.set_defaults(func=_cmd_leverage)

    rep = sub.add_parser("report", help="a Markdown report with plots")
    rep.add_argument("model", help=model_help)
    rep.add_argument("--out", required=True, metavar="DIR", help="output directory")
    rep.set_defaults(func=_cmd_report)

    models = sub.add_parser("models", help="list the bundled models")
    models.set_defaults(func=_cmd_models)

    bench = sub.add_parser("bench", help="run benchmark case files and print a pass/fail table")
    bench.add_argument(
        "path",
        nargs="?",
        default="benchmarks/cases",
        help="case file or directory (default: benchmarks/cases)",
    )
    bench.set_defaults(func=_bench)

    sw = sub.add_parser("sweep", help="Monte Carlo over the model's uncertain parameters")
    sw.add_argument("model", nargs="?", default=DEFAULT_MODEL, help=model_help)
    sw.add_argument("-n", type=int, default=10_000, help="number of draws (default 10000)")
    sw.add_argument("--seed", type=int, default=0, help="root seed (default 0)")
    sw.add_argument("--chunk-size", type=int, default=2_000, help="draws per chunk")
    sw.add_argument("--out", metavar="FILE", help="write the table (.parquet or .csv)")
    sw.add_argument("--resume", action="store_true", help="continue an interrupted --out run")
    sw.add_argument("--dask", metavar="ADDRESS", help="Dask scheduler, e.g. tcp://host:8786")
    sw.add_argument("--json", action="store_true", help="machine-readable summary")
    sw.set_defaults(func=_cmd_sweep)

    rp = sub.add_parser("ripeness", help="the ZOPA over time and the ripe moment")
    rp.add_argument("model", nargs="?", default=DEFAULT_MODEL, help=model_help)
    rp.add_argument("-n", type=int, default=0, help="Monte Carlo draws (default 0)")
    rp.add_argument("--seed", type=int, default=0, help="root seed (default 0)")
    rp.add_argument("--optimism", type=float, default=0.0, help="mutual optimism (utility)")
    rp.add_argument("--plot", metavar="FILE", help="write the ripeness curve (PNG, SVG or PDF)")
    rp.add_argument("--json", action="store_true", help="machine-readable output")
    rp.set_defaults(func=_cmd_ripeness)
    return parser


def main(argv=None) -> int:
    """Run the command line; returns the exit status (2 for bad input)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: usage errors exit 2, --help exits 0
        return int(exc.code or 0)
    func = getattr(args, "func", _cmd_main)
    try:
        return func(args)
    except BrokenPipeError:  # output piped into e.g. `head`, which closed early
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except Exception as exc:  # one line, exit 2: never a traceback without --debug
        if args.debug:
            raise
        msg = " ".join(str(exc).split()) or type(exc).__name__
        print(f"bargain: error: {msg}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
