"""Shared timing harness for the performance benchmarks.

Every benchmark module ``bench_*.py`` defines ``run(smoke: bool) -> list[dict]``;
each dict is one comparison with keys ``name``, ``size``, ``seconds`` (ours),
``baseline``, ``baseline_seconds`` and ``ratio`` (baseline / ours), and, where a
floor is measured, ``floor``, ``floor_seconds`` and ``over_floor`` (ours /
floor). Times are medians of runs interleaved with the baseline's and the
floor's in the same process, so load on the shared machine hits all alike.
``smoke=True`` uses tiny sizes so the test suite can run every benchmark
quickly; the full sizes run only on request::

    python benchmarks/perf/bench_nash.py            # full size
    python benchmarks/perf/bench_nash.py --smoke    # tiny
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable


def _once(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def median_of(fn: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``repeat`` calls of ``fn`` (each call does all the work)."""
    return statistics.median(_once(fn) for _ in range(repeat))


def compare(
    name,
    size,
    ours,
    baseline_name,
    baseline,
    repeat=3,
    baseline_repeat=1,
    scale=1.0,
    floor=None,
):
    """Time ``ours``, ``baseline`` (and a ``floor``) interleaved; report medians.

    The runs alternate (ours, baseline, floor, ours, ...) so that a change in
    the machine's load hits all of them alike; each reports the median of its
    runs. ``scale`` multiplies the baseline time: use it when the baseline
    runs on a subsample (e.g. 1/100 of the problems) and is scaled up
    linearly. ``floor`` is ``(name, fn)``: the least any implementation pays
    (a streaming pass over the data, an empty process).
    """
    runs = {"ours": [], "baseline": [], "floor": []}
    jobs = [("ours", ours, repeat), ("baseline", baseline, baseline_repeat)]
    if floor is not None:
        jobs.append(("floor", floor[1], repeat))
    for r in range(max(n for _, _, n in jobs)):
        for key, fn, n in jobs:
            if r < n:
                runs[key].append(_once(fn))
    t_ours = statistics.median(runs["ours"])
    t_base = statistics.median(runs["baseline"]) * scale
    row = {
        "name": name,
        "size": size,
        "seconds": t_ours,
        "baseline": baseline_name,
        "baseline_seconds": t_base,
        "ratio": t_base / t_ours,
        "runs": len(runs["ours"]),
    }
    if floor is not None:
        t_floor = statistics.median(runs["floor"])
        row.update(floor=floor[0], floor_seconds=t_floor, over_floor=t_ours / t_floor)
    return row


def report(rows: list[dict]) -> str:
    """Format comparison rows as a Markdown table (medians of interleaved runs)."""
    floors = any("floor" in r for r in rows)
    head = "| benchmark | size | ours (s) | baseline | baseline (s) | ratio |"
    rule = "|---|---|---|---|---|---|"
    if floors:
        head += " floor | floor (s) | ours / floor |"
        rule += "---|---|---|"
    lines = [head, rule]
    for r in rows:
        line = (
            f"| {r['name']} | {r['size']} | {r['seconds']:.4g} | {r['baseline']} | "
            f"{r['baseline_seconds']:.4g} | {r['ratio']:.3g}x |"
        )
        if floors:
            if "floor" in r:
                line += f" {r['floor']} | {r['floor_seconds']:.4g} | {r['over_floor']:.3g}x |"
            else:
                line += " - | - | - |"
        lines.append(line)
    return "\n".join(lines)


def main(run: Callable[[bool], list[dict]], argv=None) -> None:
    """Command-line entry point shared by the benchmark scripts."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--smoke", action="store_true", help="tiny sizes (seconds)")
    args = parser.parse_args(argv)
    print(report(run(args.smoke)))
