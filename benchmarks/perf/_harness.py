"""Shared timing harness for the performance benchmarks.

Every benchmark module ``bench_*.py`` defines ``run(smoke: bool) -> list[dict]``;
each dict is one comparison with keys ``name``, ``size``, ``seconds`` (ours),
``baseline``, ``baseline_seconds`` and ``ratio`` (baseline / ours). ``smoke=True``
uses tiny sizes so the test suite can run every benchmark quickly; the full
sizes run only on request::

    python benchmarks/perf/bench_nash.py            # full size
    python benchmarks/perf/bench_nash.py --smoke    # tiny
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable


def best_of(fn: Callable[[], object], repeat: int) -> float:
    """Best wall time of ``repeat`` calls of ``fn`` (each call does all the work)."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def compare(name, size, ours, baseline_name, baseline, repeat=3, baseline_repeat=1, scale=1.0):
    """Time ``ours`` and ``baseline``; ``scale`` multiplies the baseline time.

    Use ``scale`` when the baseline runs on a subsample (e.g. 1/100 of the
    problems) and is scaled up linearly.
    """
    t_ours = best_of(ours, repeat)
    t_base = best_of(baseline, baseline_repeat) * scale
    return {
        "name": name,
        "size": size,
        "seconds": t_ours,
        "baseline": baseline_name,
        "baseline_seconds": t_base,
        "ratio": t_base / t_ours,
    }


def report(rows: list[dict]) -> str:
    """Format comparison rows as a Markdown table."""
    lines = [
        "| benchmark | size | ours (s) | baseline | baseline (s) | ratio |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['name']} | {r['size']} | {r['seconds']:.4g} | {r['baseline']} | "
            f"{r['baseline_seconds']:.4g} | {r['ratio']:.3g}x |"
        )
    return "\n".join(lines)


def main(run: Callable[[bool], list[dict]], argv=None) -> None:
    """Command-line entry point shared by the benchmark scripts."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--smoke", action="store_true", help="tiny sizes (seconds)")
    args = parser.parse_args(argv)
    print(report(run(args.smoke)))
