"""The solution concepts as public functions, in utility space and in issue space.

Nash, Kalai–Smorodinsky, egalitarian and utilitarian on point sets,
lotteries, frontiers and negotiations; Rubinstein's alternating-offers
equilibria; the spatial models of collective decisions.
"""

from ._axiomatic import egalitarian as egalitarian
from ._axiomatic import kalai_smorodinsky as kalai_smorodinsky
from ._axiomatic import nash as nash
from ._axiomatic import utilitarian as utilitarian
from ._rubinstein import rubinstein as rubinstein
from ._rubinstein import rubinstein_costs as rubinstein_costs
from ._rubinstein import rubinstein_nash_limit as rubinstein_nash_limit
from ._rubinstein import rubinstein_setup as rubinstein_setup
from ._spatial import SpatialModel as SpatialModel
from ._spatial import compromise as compromise
from ._spatial import spatial_nash as spatial_nash
from ._spatial import voting_core as voting_core
from ._spatial import weighted_median as weighted_median

__all__ = [
    "SpatialModel",
    "compromise",
    "egalitarian",
    "kalai_smorodinsky",
    "nash",
    "rubinstein",
    "rubinstein_costs",
    "rubinstein_nash_limit",
    "rubinstein_setup",
    "spatial_nash",
    "utilitarian",
    "voting_core",
    "weighted_median",
]
