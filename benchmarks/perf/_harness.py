"""Shared timing harness for the performance benchmarks.

Every benchmark module ``bench_*.py`` defines ``run(smoke: bool) -> list[dict]``;
each dict is one comparison with keys ``name``, ``size``, ``seconds`` (ours),
``baseline``, ``baseline_seconds`` and ``ratio`` (baseline / ours), and, where a
floor is measured, ``floor``, ``floor_seconds`` and ``over_floor`` (ours /
floor). Times are medians of runs interleaved with the baseline's and the
floor's in the same process, so load on the shared machine hits all alike;
``*_range`` keep the fastest and slowest run, and the report prints
``median (min-max)``. :func:`peak_rss_mib` measures a computation's peak
memory in a fresh process; a row with ``memory=True`` holds MiB in the
``seconds`` fields.
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
        "seconds_range": (min(runs["ours"]), max(runs["ours"])),
        "baseline": baseline_name,
        "baseline_seconds": t_base,
        "baseline_range": (min(runs["baseline"]) * scale, max(runs["baseline"]) * scale),
        "ratio": t_base / t_ours,
        "runs": len(runs["ours"]),
        "baseline_runs": len(runs["baseline"]),
    }
    if floor is not None:
        t_floor = statistics.median(runs["floor"])
        row.update(
            floor=floor[0],
            floor_seconds=t_floor,
            floor_range=(min(runs["floor"]), max(runs["floor"])),
            over_floor=t_ours / t_floor,
        )
    return row


def peak_rss_mib(code: str) -> float:
    """Peak resident memory (MiB) of a fresh Python process running ``code``.

    The child reports its own high-water mark ``VmHWM`` (``/proc/self/status``),
    so the figure is that computation's alone (plus the interpreter and imports).
    ``ru_maxrss`` is not used: it survives ``exec`` and so counts the resident
    pages of the parent the child was forked from.
    """
    import subprocess
    import sys

    probe = (
        code + "\nfor line in open('/proc/self/status'):\n"
        "    if line.startswith('VmHWM'):\n        print(line.split()[1])"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True
    ).stdout
    return int(out.split()[-1]) / 1024


def _num(v):
    return f"{v:,.0f}" if v >= 100 else f"{v:.3g}"


def _span(t, rng):
    """``median (min-max)`` in adaptive units (one run: its time alone)."""
    lo, hi = rng
    for unit, f in (("s", 1.0), ("ms", 1e3), ("us", 1e6)):
        if t * f >= 1 or unit == "us":
            if lo == hi:
                return f"{_num(t * f)} {unit}"
            return f"{_num(t * f)} {unit} ({_num(lo * f)}-{_num(hi * f)})"
    return f"{t:.3g} s"  # pragma: no cover


def report(rows: list[dict]) -> str:
    """Format comparison rows as a Markdown table: medians (min-max) of interleaved runs."""
    floors = any("floor" in r for r in rows)
    head = "| benchmark | size | ours | baseline | baseline time | baseline / ours |"
    rule = "|---|---|---|---|---|---|"
    if floors:
        head += " floor | floor time | ours / floor |"
        rule += "---|---|---|"
    lines = [head, rule]
    for r in rows:
        if r.get("memory"):  # peak resident memory, MiB, not time
            line = (
                f"| {r['name']} | {r['size']} | {r['seconds']:.0f} MiB | {r['baseline']} | "
                f"{r['baseline_seconds']:.0f} MiB | {r['ratio']:.3g}x |"
            )
            lines.append(line + (" - | - | - |" if floors else ""))
            continue
        ours = _span(r["seconds"], r.get("seconds_range", (r["seconds"],) * 2))
        base = _span(r["baseline_seconds"], r.get("baseline_range", (r["baseline_seconds"],) * 2))
        extra = f"; peak RSS {r['peak_rss_mib']:.0f} MiB" if "peak_rss_mib" in r else ""
        line = (
            f"| {r['name']} | {r['size']} | {ours}{extra} | {r['baseline']} | {base} | "
            f"{r['ratio']:.3g}x |"
        )
        if floors:
            if "floor" in r:
                fl = _span(r["floor_seconds"], r.get("floor_range", (r["floor_seconds"],) * 2))
                line += f" {r['floor']} | {fl} | {r['over_floor']:.3g}x |"
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
