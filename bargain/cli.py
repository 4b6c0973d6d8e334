"""The ``bargain`` command.

``bargain`` with no arguments prints the analysis of the bundled
``ukraine_russia`` model (solutions, ZOPA, leverage). Subcommands: ``solve``,
``zopa``, ``leverage``, ``report``, ``models``, ``bench``, ``sweep`` (Monte
Carlo over the model's uncertainty), ``ripeness`` (the ZOPA over time).

Exit status: 0 success, 1 a benchmark case failed (``bench``), 2 bad input
(a malformed model or case file, an argument the library rejects, a file
that cannot be read or written, a missing optional dependency): one line on
stderr, a traceback only with ``--debug`` (before or after the subcommand); 3 an
internal error (a bug in bargain): the traceback and a request to report it;
130 interrupted (Ctrl-C): one line, and for ``sweep --out`` the command that
resumes the run.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import signal
import sys
import traceback
from pathlib import Path

from .report._report import check_plot_path
from .report._text import (
    fmt,
    format_leverage,
    format_solutions,
    format_zopa,
    header,
    leverage_rows,
    plain,
    solve_all,
    table,
    yes,
    zopa_summary,
)

__all__ = ["main"]

DEFAULT_MODEL = "ukraine_russia"


def _load(name):
    from .io._model import load_model

    return load_model(name or DEFAULT_MODEL)


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
        print(header(model) + "\n")
        print(format_solutions(model, sol))
    return 0


def _cmd_zopa(args) -> int:
    if args.plot:
        check_plot_path(args.plot)  # before the work, not after
    model = _load(args.model)
    z = zopa_summary(model)
    if args.json:
        print(json.dumps({"model": model.name, "zopa": z}, indent=2))
    else:
        print(header(model) + "\n")
        print(format_zopa(model, z))
    if args.plot:
        from .report._report import plot_zopa

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
        print(header(model) + "\n")
        print(format_leverage(model, rows, how))
    return 0


def _cmd_main(args) -> int:
    """``bargain`` without a subcommand: the full analysis of the default model."""
    from .report._brief import sections

    model = _load(DEFAULT_MODEL)
    print(header(model) + "\n")
    for _, text in sections(model, ranges=False):
        print(text + "\n")
    print("Every number is a judgement with a range: see `bargain models` and the model file.")
    return 0


def _cmd_models(args) -> int:
    from .io._model import bundled_models

    models = bundled_models()
    print(table(["model", "description"], [[k, v] for k, v in models.items()], ["<", "<"]))
    return 0


def _cmd_report(args) -> int:
    from .report._report import write_report

    path = write_report(_load(args.model), args.out)
    print(f"report written to {path}")
    return 0


def _bench(args) -> int:
    from .cases._runner import format_table, run_cases

    outcomes = run_cases(args.path)
    print(format_table(outcomes))
    return 0 if all(o.passed for o in outcomes) else 1


def _cmd_sweep(args) -> int:
    from .analysis._sweep import sweep

    model = _load(args.model)
    scheduler = args.dask
    if args.resume and not args.out:
        raise ValueError("--resume continues a run written with --out: give --out FILE")
    if args.out:  # what to type after an interruption
        again = ["bargain", "sweep", args.model, "-n", str(args.n), "--seed", str(args.seed)]
        again += ["--chunk-size", str(args.chunk_size), "--out", str(args.out), "--resume"]
        again += ["--dask", args.dask] if args.dask else []
        again += ["--workers", str(args.workers)] if args.workers > 1 else []
        args.resume_hint = " ".join(again)
    res = sweep(
        model,
        args.n,
        seed=args.seed,
        chunk_size=args.chunk_size,
        out=args.out,
        resume=args.resume,
        scheduler=scheduler,
        keep=args.n <= 10**6,  # beyond that only the summary is held (the table is in --out)
        progress=args.progress,
        keep_chunks=args.keep_chunks,
        workers=args.workers,
    )
    s = res.summary
    if args.json:
        rows = {q: {k: plain(v) for k, v in r.items()} for q, r in s.to_dict("index").items()}
        print(json.dumps({"model": model.name, "n": res.n, "seed": res.seed, "summary": rows}))
        return 0
    print(header(model) + "\n")
    print(f"Monte Carlo: n = {res.n}, seed = {res.seed}, {res.chunks} chunk(s)\n")
    cols = [c for c in ("mean", "se", "q05", "q50", "q95") if c in s.columns]
    rows = [[q, str(int(s.loc[q, "n"]))] + [fmt(s.loc[q, c], 4) for c in cols] for q in s.index]
    print(table(["quantity", "n", *cols], rows))
    if res.out is not None:
        print(f"\ntable written to {res.out}")
    return 0


def _cmd_history(args) -> int:
    from .report._history import format_history, history_rows

    rows = history_rows(n=args.n, seed=args.seed)
    if args.json:
        print(json.dumps({"draws": args.n, "seed": args.seed, "cases": rows}, indent=2))
    else:
        print(format_history(rows, markdown=args.markdown))
    return 0


def _cmd_ripeness(args) -> int:
    from .analysis._ripeness import ripeness

    if args.plot:
        check_plot_path(args.plot)
    model = _load(args.model)
    r = ripeness(model, n=args.n, seed=args.seed, optimism=args.optimism, progress=args.progress)

    def finite(x):  # JSON has no infinity: a time that never comes is null
        return float(x) if math.isfinite(x) else None

    if args.json:
        out = {"model": model.name, "ripe": r.ripe, "ripe_time": finite(r.ripe_time)}
        out["open_at_start"] = r.open_at_start
        out["message"] = r.message
        out["times"] = [float(t) for t in r.times]
        out["slack"] = [float(x) for x in r.slack]
        if args.n:
            out["p_ripe"] = r.p_ripe
            out["p_open"] = [float(p) for p in r.p_open]
            out["ripe_quantiles_among_ripening_draws"] = [finite(q) for q in r.ripe_quantiles]
        print(json.dumps(out))
    else:
        print(header(model) + "\n")
        step = max(1, len(r.times) // 12)
        idx = sorted(set(range(0, len(r.times), step)) | {len(r.times) - 1})
        periods = r.method == "paths from the front line"
        heads = ["period" if periods else "time", *r.parties, "slack", "open"]
        heads += ["P(open)"] if args.n else []
        rows = []
        for i in idx:
            when = f"{r.times[i]:.0f}" if periods else f"{r.times[i]:.3f}"
            row = [when, *(fmt(x) for x in r.reservation[i])]
            row += [fmt(r.slack[i]), yes(r.open[i])]
            rows.append(row + ([fmt(r.p_open[i])] if args.n else []))
        print(table(heads, rows))
        print(f"\nripe moment: {r.message}")
        if args.n:
            q = ", ".join(f"{x:.6g}" if math.isfinite(x) else "never" for x in r.ripe_quantiles)
            print(
                f"P(ripe within the window) = {r.p_ripe:.3f}; ripe time 5/50/95% among the "
                f"{round(r.p_ripe * args.n)} draws that ripen: {q}"
            )
    if args.plot:
        from .plot import plot_ripeness
        from .report._report import _figure, _save

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
    # --debug is accepted after the subcommand too (without overriding one given before it)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks"
    )
    sub = parser.add_subparsers(dest="command")
    _add = sub.add_parser

    def add_parser(name, **kw):
        return _add(name, parents=[common], **kw)

    sub.add_parser = add_parser
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
        default=None,
        help="case file or directory (default: the cases bundled with bargain)",
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
    sw.add_argument(
        "-j",
        "--workers",
        type=int,
        default=1,
        help="local processes computing chunks side by side (identical results)",
    )
    sw.add_argument(
        "--keep-chunks", action="store_true", help="keep <out>.chunks/ after joining them"
    )
    sw.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="a progress bar on stderr (default: when stderr is a terminal)",
    )
    sw.add_argument("--json", action="store_true", help="machine-readable summary")
    sw.set_defaults(func=_cmd_sweep)

    hi = sub.add_parser(
        "history",
        help="the historical cases under their own uncertainty (the README's table)",
    )
    hi.add_argument("-n", type=int, default=1000, help="Monte Carlo draws per case (1000)")
    hi.add_argument("--seed", type=int, default=0, help="seed (0)")
    hi.add_argument("--markdown", action="store_true", help="a Markdown table, as in the README")
    hi.add_argument("--json", action="store_true", help="machine-readable output")
    hi.set_defaults(func=_cmd_history)

    rp = sub.add_parser("ripeness", help="the ZOPA over time and the ripe moment")
    rp.add_argument("model", nargs="?", default=DEFAULT_MODEL, help=model_help)
    rp.add_argument("-n", type=int, default=0, help="Monte Carlo draws (default 0)")
    rp.add_argument("--seed", type=int, default=0, help="root seed (default 0)")
    rp.add_argument("--optimism", type=float, default=0.0, help="mutual optimism (utility)")
    rp.add_argument("--plot", metavar="FILE", help="write the ripeness curve (PNG, SVG or PDF)")
    rp.add_argument("--json", action="store_true", help="machine-readable output")
    rp.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="a progress bar on stderr (default: when stderr is a terminal)",
    )
    rp.set_defaults(func=_cmd_ripeness)
    return parser


EXIT_INPUT = 2
EXIT_BUG = 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it
_PACKAGE = Path(__file__).resolve().parent
BUG_HINT = (
    "bargain: internal error: this is a bug in bargain, not a problem with your input. "
    "Please report it with the command you ran, the model file and the traceback above."
)


def _raised_by_bargain(exc: BaseException) -> bool:
    """Whether the innermost frame of ``exc``'s traceback is in bargain's own code."""
    tb = exc.__traceback__
    if tb is None:
        return False
    while tb.tb_next is not None:
        tb = tb.tb_next
    try:
        Path(tb.tb_frame.f_code.co_filename).resolve().relative_to(_PACKAGE)
    except ValueError:
        return False
    return True


def user_error(exc: BaseException) -> bool:
    """Whether an exception is the user's to fix (exit 2) rather than a bug (exit 3).

    Bad input: a malformed model or case file (:class:`~bargain.ModelError`,
    :class:`~bargain.CaseError`), a ``ValueError`` or ``TypeError`` that the
    library raised itself while checking its arguments (its innermost frame is
    in bargain's code; one raised inside numpy or SciPy is a bug), a file that
    cannot be read or written (``OSError``) and a missing optional dependency
    (an ``ImportError`` naming the extra to install).

    Examples
    --------
    >>> import bargain as bg
    >>> from bargain.cli import user_error
    >>> try:
    ...     bg.load_model("no_such_model")
    ... except bg.ModelError as exc:
    ...     user_error(exc)
    True
    >>> user_error(KeyError("x")), user_error(RuntimeError("a solver failed"))
    (False, False)
    """
    from ._core._errors import ModelError

    if isinstance(exc, (ModelError, OSError)):
        return True
    if isinstance(exc, ImportError):
        return "pip install" in str(exc)
    if isinstance(exc, (ValueError, TypeError)):
        return _raised_by_bargain(exc)
    return False


def main(argv=None) -> int:
    """Run the command line; returns the exit status (see the module's docstring).

    Examples
    --------
    >>> from bargain.cli import main
    >>> main(["models"])  # doctest: +ELLIPSIS
    model ...
    0
    >>> main(["solve", "no_such_model"])
    2
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: usage errors exit 2, --help exits 0
        return int(exc.code or 0)
    func = getattr(args, "func", _cmd_main)
    try:
        return func(args)
    except KeyboardInterrupt:  # Ctrl-C: one line, and how to continue a sweep
        if args.debug:
            raise
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C while we say so
        print("bargain: interrupted", file=sys.stderr)
        hint = getattr(args, "resume_hint", None)
        if hint:
            print(f"bargain: resume with: {hint}", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # output piped into e.g. `head`, which closed early
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except Exception as exc:
        if args.debug:
            raise
        if user_error(exc):  # one line: never a traceback for bad input
            msg = " ".join(str(exc).split()) or type(exc).__name__
            print(f"bargain: error: {msg}", file=sys.stderr)
            return EXIT_INPUT
        traceback.print_exc()
        print(BUG_HINT, file=sys.stderr)
        return EXIT_BUG


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
