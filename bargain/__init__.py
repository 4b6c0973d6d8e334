"""bargain: game-theoretic bargaining analysis.

Nash, Kalai–Smorodinsky, egalitarian and utilitarian solutions in utility
space, vectorised over batches of problems; benchmark cases that check them.
"""

from ._agenda import Agenda as Agenda
from ._agenda import ContinuousIssue as ContinuousIssue
from ._agenda import DiscreteIssue as DiscreteIssue
from ._agenda import LinearConstraint as LinearConstraint
from ._agenda import Outcome as Outcome
from ._bench import CaseError as CaseError
from ._bench import load_cases as load_cases
from ._bench import register_concept as register_concept
from ._bench import run_cases as run_cases
from ._frontier import Frontier as Frontier
from ._genius import read_genius as read_genius
from ._genius import write_genius as write_genius
from ._lever_mix import cheapest_mix as cheapest_mix
from ._leverage import apply_levers as apply_levers
from ._leverage import implementation_risk as implementation_risk
from ._leverage import lever_threshold as lever_threshold
from ._leverage import leverage as leverage
from ._levers import Guarantee as Guarantee
from ._levers import Inducement as Inducement
from ._levers import Lever as Lever
from ._levers import Mediator as Mediator
from ._levers import PowerShift as PowerShift
from ._levers import SidePayment as SidePayment
from ._levers import Threat as Threat
from ._linkage import linkage as linkage
from ._model import Model as Model
from ._model import ModelError as ModelError
from ._model import bundled_models as bundled_models
from ._model import load_model as load_model
from ._model import save_model as save_model
from ._negotiation import IssueFrontier as IssueFrontier
from ._negotiation import Negotiation as Negotiation
from ._negotiation import Party as Party
from ._pareto import pareto_frontier as pareto_frontier
from ._result import Result as Result
from ._ripeness import ripeness as ripeness
from ._rubinstein import rubinstein as rubinstein
from ._rubinstein import rubinstein_costs as rubinstein_costs
from ._rubinstein import rubinstein_nash_limit as rubinstein_nash_limit
from ._sensitivity import sensitivity as sensitivity
from ._sensitivity import sobol as sobol
from ._solutions import egalitarian as egalitarian
from ._solutions import kalai_smorodinsky as kalai_smorodinsky
from ._solutions import nash as nash
from ._solutions import utilitarian as utilitarian
from ._spatial import SpatialModel as SpatialModel
from ._spatial import compromise as compromise
from ._spatial import read_spatial as read_spatial
from ._spatial import spatial_nash as spatial_nash
from ._spatial import weighted_median as weighted_median
from ._spatial import write_spatial as write_spatial
from ._sweep import SweepResult as SweepResult
from ._sweep import sweep as sweep
from ._threat_games import coercion_game as coercion_game
from ._threat_games import variable_threat as variable_threat
from ._utility import AdditiveUtility as AdditiveUtility
from ._utility import CustomUtility as CustomUtility
from ._values import Custom as Custom
from ._values import Exponential as Exponential
from ._values import IdealPoint as IdealPoint
from ._values import Linear as Linear
from ._values import Logarithmic as Logarithmic
from ._values import PiecewiseLinear as PiecewiseLinear
from ._values import Power as Power
from ._values import Table as Table
from ._values import ValueFunction as ValueFunction
from ._zopa import zopa as zopa
from ._zopa_utility import fearon_range as fearon_range
from ._zopa_utility import price_zopa as price_zopa

__version__ = "0.1.0.dev0"

__all__ = [
    "AdditiveUtility",
    "Agenda",
    "CaseError",
    "ContinuousIssue",
    "Custom",
    "CustomUtility",
    "DiscreteIssue",
    "Exponential",
    "Frontier",
    "Guarantee",
    "IdealPoint",
    "Inducement",
    "IssueFrontier",
    "Lever",
    "Linear",
    "LinearConstraint",
    "Logarithmic",
    "Mediator",
    "Model",
    "ModelError",
    "Negotiation",
    "Outcome",
    "Party",
    "PiecewiseLinear",
    "Power",
    "PowerShift",
    "Result",
    "SidePayment",
    "SpatialModel",
    "SweepResult",
    "Table",
    "Threat",
    "ValueFunction",
    "apply_levers",
    "bundled_models",
    "cheapest_mix",
    "coercion_game",
    "compromise",
    "egalitarian",
    "fearon_range",
    "implementation_risk",
    "kalai_smorodinsky",
    "lever_threshold",
    "leverage",
    "linkage",
    "load_cases",
    "load_model",
    "nash",
    "pareto_frontier",
    "price_zopa",
    "read_genius",
    "read_spatial",
    "register_concept",
    "ripeness",
    "rubinstein",
    "rubinstein_costs",
    "rubinstein_nash_limit",
    "run_cases",
    "save_model",
    "sensitivity",
    "sobol",
    "spatial_nash",
    "sweep",
    "utilitarian",
    "variable_threat",
    "weighted_median",
    "write_genius",
    "write_spatial",
    "zopa",
]
