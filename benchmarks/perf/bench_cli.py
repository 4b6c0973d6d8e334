"""The main job, ``bargain`` with no arguments, timed as a process.

Baseline: a process that only imports the package (``python -c "import
bargain"``), the floor any command pays. The ratio says how many times the
import cost the whole Ukraine–Russia analysis takes (lower is better; the
project's target is under 5 s of wall time on the 2-core machine).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _harness


def _run(args):
    subprocess.run([sys.executable, *args], check=True, capture_output=True)


def run(smoke: bool = False) -> list[dict]:
    repeat = 1 if smoke else 3
    return [
        _harness.compare(
            "bargain (no arguments), as a process",
            "bundled ukraine_russia",
            lambda: _run(["-m", "bargain.cli"]),
            "process importing bargain only",
            lambda: _run(["-c", "import bargain"]),
            repeat=repeat,
            baseline_repeat=repeat,
        )
    ]


if __name__ == "__main__":
    _harness.main(run)
