"""Monte Carlo sweep of the Russia-Ukraine model (ZOPA + Nash + Rubinstein), vectorised.

Ours: ``bg.sweep`` — every uncertain parameter drawn per chunk, one batched
negotiation per chunk, the outcome utilities evaluated once and shared by
the ZOPA, Nash and Rubinstein computations.

Baseline: the per-draw Python loop a user would write without batching —
``model.with_parameters(draw)`` then ``bg.zopa`` and ``bg.nash`` (and the
Rubinstein-limit Nash) on each model — on a subsample, scaled linearly.

Full size: 10**6 draws (about 30 min on 2 cores); ``--n`` chooses another.
Peak resident memory (``resource.getrusage``) is reported to show that it
stays bounded by the chunk size, not ``n``; ``--memory 10000000`` runs only
that check, on a small split model so that 10**7 draws take minutes.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _harness

import bargain as bg
from bargain.solutions._rubinstein import nash_limit_weights as rubinstein_weights


def _loop(model, draws, k):
    for j in range(k):
        m = model.with_parameters({p: v[j] for p, v in draws.items()})
        neg = m.negotiation
        bg.zopa(neg)
        bg.nash(neg)
        bg.nash(neg, weights=rubinstein_weights(neg))


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(smoke: bool = False, n: int | None = None) -> list[dict]:
    model = bg.load_model("ukraine_russia")
    n = n or (400 if smoke else 1_000_000)
    k = 4 if smoke else 200  # baseline subsample
    chunk = 200 if smoke else 2_000
    draws = model.draw(k, rng=0)
    row = _harness.compare(
        "sweep ukraine_russia (ZOPA + Nash + Rubinstein)",
        f"{n} draws",
        lambda: bg.sweep(model, n, seed=1, chunk_size=chunk, keep=False, progress=False),
        f"per-draw Python loop ({k} draws, scaled)",
        lambda: _loop(model, draws, k),
        repeat=1,
        scale=n / k,
    )
    row["draws_per_s"] = n / row["seconds"]
    row["baseline_draws_per_s"] = n / row["baseline_seconds"]
    row["peak_rss_mib"] = peak_rss_mib()
    return [row]


TOY = """
[model]
name = "toy_split"
[[issues]]
name = "x"
options = [{opts}]
[[parties]]
name = "A"
reservation = 0.4
discount = 0.9
values = {{ x = {{ kind = "table", values = [{a}] }} }}
[[parties]]
name = "B"
reservation = 0.3
discount = 0.8
values = {{ x = {{ kind = "table", values = [{b}] }} }}
[uncertainty]
"parties.A.reservation" = {{ dist = "uniform", lo = 0.0, hi = 0.8 }}
"parties.B.reservation" = {{ dist = "uniform", lo = 0.0, hi = 0.6 }}
"""


def memory_check(n: int, chunk: int = 100_000) -> str:
    """Peak RSS of an ``n``-draw sweep of an 11-option split (chunking, not solver cost)."""
    import tempfile

    g = [i / 10 for i in range(11)]
    text = TOY.format(
        opts=", ".join(f'"o{i}"' for i in range(11)),
        a=", ".join(map(repr, g)),
        b=", ".join(repr(1 - v) for v in g),
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "toy.toml"
        path.write_text(text)
        model = bg.load_model(path)
        t0 = time.perf_counter()
        res = bg.sweep(model, n, seed=1, chunk_size=chunk, keep=False, progress=False)
        dt = time.perf_counter() - t0
    return (
        f"memory check: {n} draws in {res.chunks} chunks of {chunk}, {dt:.0f} s, "
        f"P(open) = {res.p_open:.5f} +- {res.p_open_se:.5f}, peak RSS {peak_rss_mib():.0f} MiB"
    )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--smoke", action="store_true", help="tiny sizes (seconds)")
    parser.add_argument("--n", type=int, default=None, help="draws (default 10**6)")
    parser.add_argument(
        "--memory", type=int, metavar="N", help="only the peak-memory check with N draws"
    )
    args = parser.parse_args(argv)
    if args.memory:
        print(memory_check(args.memory))
        return
    t0 = time.perf_counter()
    rows = run(args.smoke, args.n)
    print(_harness.report(rows))
    for r in rows:
        print(
            f"\nours: {r['draws_per_s']:.0f} draws/s; loop: {r['baseline_draws_per_s']:.0f} "
            f"draws/s; peak RSS {r['peak_rss_mib']:.0f} MiB; wall {time.perf_counter() - t0:.0f} s"
        )


if __name__ == "__main__":
    main()
