"""A sweep on a local Dask cluster of two worker processes, against the same sweep in-process.

``bg.sweep("ukraine_russia", n, scheduler=client)`` with ``LocalCluster(n_workers=2,
threads_per_worker=1)`` against ``bg.sweep(..., n)`` in the calling process; both give
the same summary (asserted). The floor of parallel speed-up on this machine is measured
too: two plain processes running chunks side by side, without Dask (their throughput
over one process's). Needs ``bargain[dask]``; skipped with a message without it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _harness

import bargain as bg

MODEL = "ukraine_russia"


_CHUNKS = """
import time
import bargain as bg
from bargain.analysis._sweep import _run_chunk
m = bg.load_model({model!r})
_run_chunk(m, m.file, 1, 999, 0, 100)  # warm
t = time.perf_counter()
for j in range({k}):
    _run_chunk(m, m.file, 1, j, 0, 2000)
print(time.perf_counter() - t)
"""


def _side_by_side(k):
    """Chunks per second of one process, and of two processes at once (plain Python)."""

    def launch(count):
        code = _CHUNKS.format(model=MODEL, k=k)
        procs = [
            subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
            for _ in range(count)
        ]
        return [float(p.communicate()[0].split()[-1]) for p in procs]

    (one,) = launch(1)
    two = launch(2)
    return k / one, 2 * k / max(two)


def run(smoke: bool = False) -> list[dict]:
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        print("dask.distributed is not installed: skipping (pip install 'bargain[dask]')")
        return [
            {
                "name": "sweep on Dask",
                "size": "-",
                "seconds": 1.0,
                "baseline": "skipped",
                "baseline_seconds": 1.0,
                "ratio": 1.0,
            }
        ]
    n = 4_000 if smoke else 100_000
    cluster = LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    client = Client(cluster)
    try:
        kw = dict(seed=1, keep=False, progress=False)
        bg.sweep(MODEL, 4_000, scheduler=client, **kw)  # start the workers' imports
        a = bg.sweep(MODEL, n, **kw)
        b = bg.sweep(MODEL, n, scheduler=client, **kw)
        assert a.summary.equals(b.summary), "Dask and local sweeps differ"
        row = _harness.compare(
            f"sweep {MODEL}, Dask LocalCluster (2 workers)",
            f"{n:,} draws",
            lambda: bg.sweep(MODEL, n, scheduler=client, **kw),
            "the same sweep in-process",
            lambda: bg.sweep(MODEL, n, **kw),
            repeat=1 if smoke else 3,
            baseline_repeat=1 if smoke else 3,
        )
    finally:
        client.close()
        cluster.close()
    one, two = _side_by_side(1 if smoke else 4)
    row["side_by_side"] = two / one
    row["baseline"] += f" (two plain processes side by side: {two / one:.2f}x one)"
    return [row]


if __name__ == "__main__":
    _harness.main(run)
