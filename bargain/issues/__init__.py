"""Issue space: agendas, value functions, utilities, parties and negotiations.

Also the maps from issue space to utility space that a negotiation needs
(its utilities, its Pareto frontier, exact for divisible issues) and the
issue-space engines behind :meth:`Negotiation.solve`: enumeration, the
issue-by-issue frontier, root-finding on separable two-party problems and the
certified convex programme of a continuous sub-problem.
"""

from ._agenda import Agenda as Agenda
from ._agenda import ContinuousIssue as ContinuousIssue
from ._agenda import DiscreteIssue as DiscreteIssue
from ._agenda import Forbidden as Forbidden
from ._agenda import LinearConstraint as LinearConstraint
from ._agenda import OptionConstraint as OptionConstraint
from ._agenda import Outcome as Outcome
from ._agenda import Requires as Requires
from ._frontier import IssueFrontier as IssueFrontier
from ._negotiation import Negotiation as Negotiation
from ._negotiation import Party as Party
from ._rules import DecisionRule as DecisionRule
from ._rules import Majority as Majority
from ._rules import QualifiedMajority as QualifiedMajority
from ._rules import Unanimity as Unanimity
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

__all__ = [
    "AdditiveUtility",
    "Agenda",
    "ContinuousIssue",
    "Custom",
    "CustomUtility",
    "DecisionRule",
    "DiscreteIssue",
    "Exponential",
    "Forbidden",
    "IdealPoint",
    "IssueFrontier",
    "Linear",
    "LinearConstraint",
    "Logarithmic",
    "Majority",
    "Negotiation",
    "OptionConstraint",
    "Outcome",
    "Party",
    "PiecewiseLinear",
    "Power",
    "QualifiedMajority",
    "Requires",
    "Table",
    "Unanimity",
    "ValueFunction",
]
