"""Every performance benchmark runs in smoke mode, so none of them rots."""

import importlib.util
from pathlib import Path

import pytest

PERF = Path(__file__).resolve().parents[1] / "benchmarks" / "perf"
SCRIPTS = sorted(PERF.glob("bench_*.py"))


def _load(path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_there_are_benchmarks():
    assert SCRIPTS


@pytest.mark.parametrize("path", SCRIPTS, ids=[p.stem for p in SCRIPTS])
def test_benchmark_smoke(path):
    rows = _load(path).run(smoke=True)
    assert rows
    for row in rows:
        assert row["seconds"] > 0 and row["baseline_seconds"] > 0
        assert row["ratio"] > 0
