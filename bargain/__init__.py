"""bargain: game-theoretic bargaining analysis.

Nash, Kalai–Smorodinsky, egalitarian and utilitarian solutions in utility
space, vectorised over batches of problems; benchmark cases that check them.
"""

from ._bench import CaseError as CaseError
from ._bench import load_cases as load_cases
from ._bench import register_concept as register_concept
from ._bench import run_cases as run_cases
from ._frontier import Frontier as Frontier
from ._pareto import pareto_frontier as pareto_frontier
from ._result import Result as Result
from ._solutions import egalitarian as egalitarian
from ._solutions import kalai_smorodinsky as kalai_smorodinsky
from ._solutions import nash as nash
from ._solutions import utilitarian as utilitarian

__version__ = "0.1.0.dev0"

__all__ = [
    "CaseError",
    "Frontier",
    "Result",
    "egalitarian",
    "kalai_smorodinsky",
    "load_cases",
    "nash",
    "pareto_frontier",
    "register_concept",
    "run_cases",
    "utilitarian",
]
