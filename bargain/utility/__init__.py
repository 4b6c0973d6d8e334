"""Utility space: continuous frontiers, finite point sets and their lotteries, Pareto optimality.

Also the kernels of the four axiomatic solutions on these sets (vectorised
over batches of problems); the public functions are in :mod:`bargain.solutions`.
"""

from ._frontier import Frontier as Frontier
from ._pareto import pareto_frontier as pareto_frontier

__all__ = ["Frontier", "pareto_frontier"]
