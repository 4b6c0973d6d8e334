"""Analyses of a model: Monte Carlo sweeps, sensitivity indices and ripeness over time."""

from ._ripeness import ripeness as ripeness
from ._sensitivity import sensitivity as sensitivity
from ._sensitivity import sobol as sobol
from ._sweep import SweepResult as SweepResult
from ._sweep import sweep as sweep

__all__ = ["SweepResult", "ripeness", "sensitivity", "sobol", "sweep"]
