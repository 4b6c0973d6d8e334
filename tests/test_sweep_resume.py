"""A sweep killed mid-run resumes without recomputing or duplicating chunks."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pytest

import bargain as bg

N, CHUNK, SEED = 1_200, 100, 9

SCRIPT = f"""
import bargain as bg
bg.sweep("ukraine_russia", {N}, seed={SEED}, chunk_size={CHUNK}, out={{out!r}})
"""


@pytest.mark.slow
def test_kill_and_resume_gives_the_uninterrupted_result(tmp_path):
    out = tmp_path / "run.parquet"
    chunks = tmp_path / "run.parquet.chunks"
    proc = subprocess.Popen(
        [sys.executable, "-c", SCRIPT.format(out=str(out))],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            if len(list(chunks.glob("chunk-*.parquet"))) >= 2:
                break
            time.sleep(0.005)
        assert proc.poll() is None, "the sweep finished before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
        proc.stderr.close()
    done = sorted(chunks.glob("chunk-*.parquet"))
    assert 2 <= len(done) < N // CHUNK
    assert not out.exists()  # the final file is only ever written whole
    before = {p: p.stat().st_mtime_ns for p in done}
    for p in done:  # every finished chunk file is complete
        assert len(pd.read_parquet(p)) == CHUNK

    resumed = bg.sweep(
        "ukraine_russia", N, seed=SEED, chunk_size=CHUNK, out=out, resume=True, keep_chunks=True
    )
    assert {p: p.stat().st_mtime_ns for p in done} == before  # not recomputed
    full = bg.sweep("ukraine_russia", N, seed=SEED, chunk_size=CHUNK)
    pd.testing.assert_frame_equal(resumed.table, full.table)
    pd.testing.assert_frame_equal(resumed.summary, full.summary)
    back = pd.read_parquet(out)
    np.testing.assert_array_equal(back["draw"], np.arange(N))  # no duplicated rows
    pd.testing.assert_frame_equal(back, full.table)
    assert not list(tmp_path.glob("**/*.part"))
