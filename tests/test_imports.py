"""Importing bargain is cheap and safe: no heavy dependency, no side effect, works under -OO."""

import subprocess
import sys

HEAVY = ("scipy.optimize", "scipy", "cvxpy", "pandas", "nashpy", "SALib", "matplotlib", "dask")


def _python(*args):
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, check=False)


def test_import_loads_no_heavy_dependency():
    code = f"import sys, bargain\nprint(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    run = _python("-c", code)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "", f"imported at `import bargain`: {run.stdout.strip()}"


def test_import_works_without_docstrings():
    run = _python(
        "-OO",
        "-c",
        "import bargain as bg; print(bg.nash([[1, 0], [0.6, 0.6], [0, 1]], [0, 0]).index)",
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "1"


def test_the_solvers_still_load_what_they_need():
    code = (
        "import sys, bargain as bg\n"
        "bg.zopa([[1, 0], [0, 1], [0.6, 0.6]], [0.1, 0.1], hull=True)\n"
        "print('scipy.optimize' in sys.modules)"
    )
    run = _python("-c", code)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "True"
