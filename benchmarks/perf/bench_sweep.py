"""Monte Carlo sweeps of bundled models, vectorised, against per-draw loops.

Ours: ``bg.sweep`` — every uncertain parameter drawn per chunk, one batched
negotiation per chunk of draws, the outcome utilities evaluated once and shared
by the ZOPA, Nash, Rubinstein and typology columns; in one process, and in two
(``workers=2``, both cores).

Baselines, on a subsample of draws scaled linearly:

- the same computation one draw at a time: ``evaluate(model, draw)`` per draw (the
  library's own pipeline on a batch of one, so the ratio is what batching buys);
- kept from earlier reports, the loop a user would write with the public API,
  ``model.with_parameters(draw)`` then ``bg.zopa`` and two ``bg.nash`` calls (it
  recomputes the utilities three times and computes no Rubinstein or typology
  column, which flatters it).

Floors, for ``ukraine_russia`` (both in one process, on the same number of draws):

- the ZOPA slack column alone: every package's four utilities, its rule slack and
  the largest, per draw (the governed engine's own kernels, in its cache-sized
  blocks, on the contribution tables of one chunk). Every draw needs this: an
  agreement needs the consent of the EU and the US wherever their issues change,
  so the veto players' frontier does not decide the slack, and no package is
  dominated in every draw;
- one streaming pass over those utilities, ``U.sum()`` over (draws, 1,782, 4).

Models: ``ukraine_russia`` (six discrete issues, 1,782 packages after its
constraint, four parties with a decision rule and issue control) and
``camp_david_1978`` (a divisible issue beside three discrete ones). Peak resident
memory is measured in a fresh process; it stays bounded by the block size, not
``n``. Full size: 10**6 draws of ``ukraine_russia`` and 10**5 of
``camp_david_1978`` (``--n`` chooses one size for both); ``--memory
10000000`` runs only the memory check, on a small split model.
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
from bargain.analysis._sweep import evaluate
from bargain.solutions._rubinstein import nash_limit_weights as rubinstein_weights


def _loop(model, draws, k):
    for j in range(k):
        evaluate(model, {p: v[j : j + 1] for p, v in draws.items()})


def _api_loop(model, draws, k):
    for j in range(k):
        m = model.with_parameters({p: v[j] for p, v in draws.items()})
        neg = m.negotiation
        bg.zopa(neg)
        bg.nash(neg)
        bg.nash(neg, weights=rubinstein_weights(neg))


def _slack_floor(model, n):
    """The ZOPA slack column alone for ``n`` draws: utilities, rule slack, maximum."""
    import numpy as np

    from bargain.analysis import _governed as g
    from bargain.analysis._sweep import batched_negotiation
    from bargain.issues._rules import controllers_needed

    B = 2_000
    neg = batched_negotiation(model, model.draw(B, rng=3))
    X = model.agenda.enumerate()
    utils = g._Utilities(neg, X, neg.batch_shape)
    d = np.broadcast_to(neg.reservation, neg.batch_shape + (neg.n,))
    extra = controllers_needed(neg, X)
    vetoes = np.asarray(neg.vetoes)
    rows_per = max(1, g._BLOCK_ELEMENTS // len(X))
    U_all = np.moveaxis(neg.coded_utilities(X), -1, 0)  # (n, B, N): the streaming floor's input

    def slack():
        arena = g._Arena()  # the engine's reused work arrays
        done = 0
        while done < n:
            for start in range(0, min(B, n - done), rows_per):
                rows = slice(start, min(start + rows_per, B, n - done))
                U = utils.block(rows, arena)
                S = np.subtract(U, d[rows].T[:, :, None], out=arena.get("S", U.shape))
                g._rule_slack(neg, S, extra, vetoes, None, X, arena).max(axis=-1)
            done += B

    def stream():
        for _ in range(0, n, B):
            U_all.sum()

    return slack, stream


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rows(name, n, k, smoke):
    model = bg.load_model(name)
    chunk = 200 if smoke else 2_000
    draws = model.draw(k, rng=0)
    bg.sweep(model, 10, seed=1, keep=False, progress=False)  # warm: imports, first calls
    one = evaluate(model, {p: v[:1] for p, v in draws.items()})
    many = evaluate(model, {p: v[:2] for p, v in draws.items()})
    for col in one:  # a batch of one gives the first row of a batch
        assert (one[col][0] == many[col][0]) or (one[col][0] != one[col][0]), col
    rows = []
    slack, stream = _slack_floor(model, n) if name == "ukraine_russia" else (None, None)
    for label, fn in (
        ("evaluate() per draw, the same computation", _loop),
        ("public-API loop: with_parameters, zopa, nash x 2 (earlier baseline)", _api_loop),
    ):
        row = _harness.compare(
            f"sweep {name}",
            f"{n:,} draws",
            lambda: bg.sweep(model, n, seed=1, chunk_size=chunk, keep=False, progress=False),
            f"{label} ({k} draws, scaled)",
            lambda fn=fn: fn(model, draws, k),
            repeat=1,
            scale=n / k,
            floor=None if slack is None or rows else ("the ZOPA slack column alone", slack),
        )
        row["draws_per_s"] = n / row["seconds"]
        row["baseline_draws_per_s"] = n / row["baseline_seconds"]
        rows.append(row)
    row = _harness.compare(
        f"sweep {name}, 2 worker processes",
        f"{n:,} draws",
        lambda: bg.sweep(model, n, seed=1, chunk_size=chunk, keep=False, progress=False, workers=2),
        "the same sweep in one process",
        lambda: bg.sweep(model, n, seed=1, chunk_size=chunk, keep=False, progress=False),
        repeat=1,
        floor=None if stream is None else ("U.sum() over the draws' utilities", stream),
    )
    row["draws_per_s"] = n / row["seconds"]
    row["baseline_draws_per_s"] = n / row["baseline_seconds"]
    rows.append(row)
    code = (
        "import bargain as bg\n"
        f"bg.sweep({name!r}, {n}, seed=1, chunk_size={chunk}, keep=False, progress=False)"
    )
    rows[0]["peak_rss_mib"] = _harness.peak_rss_mib(code)
    return rows


def run(smoke: bool = False, n: int | None = None) -> list[dict]:
    """The rows: ``n`` draws of each model (default 10**6 of ukraine_russia, 10**5 of the other)."""
    k = 4 if smoke else 200
    n_ur = n or (400 if smoke else 1_000_000)
    n_cd = n or (400 if smoke else 100_000)
    return _rows("ukraine_russia", n_ur, k, smoke) + _rows("camp_david_1978", n_cd, k, smoke)


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
    parser.add_argument(
        "--n", type=int, default=None, help="draws of each model (default 10**6 and 10**5)"
    )
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
            f"{r['name']}: ours {r['draws_per_s']:.0f} draws/s; {r['baseline']}: "
            f"{r['baseline_draws_per_s']:.0f} draws/s"
        )
    print(f"wall {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
