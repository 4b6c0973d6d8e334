"""The main job, ``bargain`` with no arguments, timed as a process.

Baselines: a process that only imports the package (``python -c "import
bargain"``), the floor any command pays, and an empty interpreter (``python
-c pass``), the floor of any Python program. The three run interleaved;
medians reported. The ratio says how many times the import cost the whole
Ukraine–Russia analysis takes (lower is better).
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
    repeat = 1 if smoke else 7
    return [
        _harness.compare(
            "bargain (no arguments), as a process",
            "bundled ukraine_russia",
            lambda: _run(["-m", "bargain.cli"]),
            "python -c 'import bargain'",
            lambda: _run(["-c", "import bargain"]),
            repeat=repeat,
            baseline_repeat=repeat,
            floor=("python -c pass", lambda: _run(["-c", "pass"])),
        )
    ]


if __name__ == "__main__":
    _harness.main(run)
