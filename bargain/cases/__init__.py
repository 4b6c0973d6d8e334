"""Benchmark cases: the case-file runner, the concept handlers and the bundled case files."""

from ._runner import bundled_cases as bundled_cases
from ._runner import load_cases as load_cases
from ._runner import register_concept as register_concept
from ._runner import run_cases as run_cases

__all__ = ["bundled_cases", "load_cases", "register_concept", "run_cases"]
