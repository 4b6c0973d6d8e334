"""The ``bargain`` command."""

from __future__ import annotations

import argparse
import sys

__all__ = ["main"]


def _bench(args) -> int:
    from ._bench import format_table, run_cases

    outcomes = run_cases(args.path)
    print(format_table(outcomes))
    return 0 if all(o.passed for o in outcomes) else 1


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``bargain`` command."""
    parser = argparse.ArgumentParser(
        prog="bargain", description="Game-theoretic bargaining analysis."
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = parser.add_subparsers(dest="command")
    bench = sub.add_parser("bench", help="run benchmark case files and print a pass/fail table")
    bench.add_argument(
        "path",
        nargs="?",
        default="benchmarks/cases",
        help="case file or directory (default: benchmarks/cases)",
    )
    bench.set_defaults(func=_bench)
    return parser


def main(argv=None) -> int:
    """Run the command line; returns the exit status (2 for bad input)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        return args.func(args)
    except (ValueError, TypeError, OSError) as exc:
        if args.debug:
            raise
        print(f"bargain: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
