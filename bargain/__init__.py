"""bargain: game-theoretic bargaining analysis.

Nash, Kalai–Smorodinsky, egalitarian, utilitarian and Rubinstein solutions in
utility space and in issue space, zones of possible agreement, a mediator's
leverage, model files and Monte Carlo sweeps, vectorised over batches of
problems and checked against hand-worked benchmark cases.

The package is built in layers, each importing only the layers before it
(``docs/architecture.md``): ``_core``, ``utility``, ``issues``, ``solutions``,
``conflict``, ``zopa``, ``mediation``, ``io``, ``analysis``, ``cases``, then ``plot``,
``report`` and ``cli``. Every public name is re-exported here.
"""

from ._core import CaseError as CaseError
from ._core import ModelError as ModelError
from ._core import Result as Result
from .analysis import SweepResult as SweepResult
from .analysis import ripeness as ripeness
from .analysis import sensitivity as sensitivity
from .analysis import sobol as sobol
from .analysis import sweep as sweep
from .cases import bundled_cases as bundled_cases
from .cases import load_cases as load_cases
from .cases import register_concept as register_concept
from .cases import run_cases as run_cases
from .conflict import FrontLine as FrontLine
from .conflict import War as War
from .conflict import commitment as commitment
from .conflict import mediated_information as mediated_information
from .conflict import risk_return as risk_return
from .conflict import risk_return_package as risk_return_package
from .conflict import self_enforcing as self_enforcing
from .io import Model as Model
from .io import bundled_models as bundled_models
from .io import load_model as load_model
from .io import read_genius as read_genius
from .io import read_spatial as read_spatial
from .io import save_model as save_model
from .io import write_genius as write_genius
from .io import write_spatial as write_spatial
from .issues import AdditiveUtility as AdditiveUtility
from .issues import Agenda as Agenda
from .issues import ContinuousIssue as ContinuousIssue
from .issues import Custom as Custom
from .issues import CustomUtility as CustomUtility
from .issues import DecisionRule as DecisionRule
from .issues import DiscreteIssue as DiscreteIssue
from .issues import Exponential as Exponential
from .issues import Forbidden as Forbidden
from .issues import IdealPoint as IdealPoint
from .issues import IssueFrontier as IssueFrontier
from .issues import Linear as Linear
from .issues import LinearConstraint as LinearConstraint
from .issues import Logarithmic as Logarithmic
from .issues import Majority as Majority
from .issues import Negotiation as Negotiation
from .issues import OptionConstraint as OptionConstraint
from .issues import Outcome as Outcome
from .issues import Party as Party
from .issues import PiecewiseLinear as PiecewiseLinear
from .issues import Power as Power
from .issues import QualifiedMajority as QualifiedMajority
from .issues import Requires as Requires
from .issues import Table as Table
from .issues import Unanimity as Unanimity
from .issues import ValueFunction as ValueFunction
from .mediation import BattlefieldShift as BattlefieldShift
from .mediation import Guarantee as Guarantee
from .mediation import Inducement as Inducement
from .mediation import Lever as Lever
from .mediation import Mediator as Mediator
from .mediation import PowerShift as PowerShift
from .mediation import SidePayment as SidePayment
from .mediation import SidePayments as SidePayments
from .mediation import TextProcess as TextProcess
from .mediation import Threat as Threat
from .mediation import WarCosts as WarCosts
from .mediation import apply_levers as apply_levers
from .mediation import cheapest_mix as cheapest_mix
from .mediation import coercion_game as coercion_game
from .mediation import compare_procedures as compare_procedures
from .mediation import implementation_risk as implementation_risk
from .mediation import lever_threshold as lever_threshold
from .mediation import leverage as leverage
from .mediation import linkage as linkage
from .mediation import security_levels as security_levels
from .mediation import shuttle as shuttle
from .mediation import single_text as single_text
from .mediation import typology as typology
from .mediation import variable_threat as variable_threat
from .solutions import SpatialModel as SpatialModel
from .solutions import compromise as compromise
from .solutions import egalitarian as egalitarian
from .solutions import kalai_smorodinsky as kalai_smorodinsky
from .solutions import nash as nash
from .solutions import rubinstein as rubinstein
from .solutions import rubinstein_costs as rubinstein_costs
from .solutions import rubinstein_nash_limit as rubinstein_nash_limit
from .solutions import rubinstein_setup as rubinstein_setup
from .solutions import spatial_nash as spatial_nash
from .solutions import utilitarian as utilitarian
from .solutions import voting_core as voting_core
from .solutions import weighted_median as weighted_median
from .utility import Frontier as Frontier
from .utility import pareto_frontier as pareto_frontier
from .zopa import fearon_range as fearon_range
from .zopa import price_zopa as price_zopa
from .zopa import zopa as zopa

__version__ = "0.1.0.dev0"

__all__ = [
    "AdditiveUtility",
    "Agenda",
    "BattlefieldShift",
    "CaseError",
    "ContinuousIssue",
    "Custom",
    "CustomUtility",
    "DecisionRule",
    "DiscreteIssue",
    "Exponential",
    "Forbidden",
    "FrontLine",
    "Frontier",
    "Guarantee",
    "IdealPoint",
    "Inducement",
    "IssueFrontier",
    "Lever",
    "Linear",
    "LinearConstraint",
    "Logarithmic",
    "Majority",
    "Mediator",
    "Model",
    "ModelError",
    "Negotiation",
    "OptionConstraint",
    "Outcome",
    "Party",
    "PiecewiseLinear",
    "Power",
    "PowerShift",
    "QualifiedMajority",
    "Requires",
    "Result",
    "SidePayment",
    "SidePayments",
    "SpatialModel",
    "SweepResult",
    "Table",
    "TextProcess",
    "Threat",
    "Unanimity",
    "ValueFunction",
    "War",
    "WarCosts",
    "apply_levers",
    "bundled_cases",
    "bundled_models",
    "cheapest_mix",
    "coercion_game",
    "commitment",
    "compare_procedures",
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
    "mediated_information",
    "nash",
    "pareto_frontier",
    "price_zopa",
    "read_genius",
    "read_spatial",
    "register_concept",
    "ripeness",
    "risk_return",
    "risk_return_package",
    "rubinstein",
    "rubinstein_costs",
    "rubinstein_nash_limit",
    "rubinstein_setup",
    "run_cases",
    "save_model",
    "security_levels",
    "self_enforcing",
    "sensitivity",
    "shuttle",
    "single_text",
    "sobol",
    "spatial_nash",
    "sweep",
    "typology",
    "utilitarian",
    "variable_threat",
    "voting_core",
    "weighted_median",
    "write_genius",
    "write_spatial",
    "zopa",
]
