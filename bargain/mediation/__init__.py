"""The mediator: levers, leverage, mixes, linkage, threat games, and its procedures."""

from ._leverage import apply_levers as apply_levers
from ._leverage import implementation_risk as implementation_risk
from ._leverage import lever_threshold as lever_threshold
from ._leverage import leverage as leverage
from ._levers import BattlefieldShift as BattlefieldShift
from ._levers import Guarantee as Guarantee
from ._levers import Inducement as Inducement
from ._levers import Lever as Lever
from ._levers import Mediator as Mediator
from ._levers import PowerShift as PowerShift
from ._levers import SidePayment as SidePayment
from ._levers import SidePayments as SidePayments
from ._levers import Threat as Threat
from ._levers import WarCosts as WarCosts
from ._linkage import linkage as linkage
from ._mix import cheapest_mix as cheapest_mix
from ._procedure import TextProcess as TextProcess
from ._procedure import compare_procedures as compare_procedures
from ._procedure import shuttle as shuttle
from ._procedure import single_text as single_text
from ._threat_games import coercion_game as coercion_game
from ._threat_games import security_levels as security_levels
from ._threat_games import variable_threat as variable_threat
from ._typology import typology as typology

__all__ = [
    "BattlefieldShift",
    "Guarantee",
    "Inducement",
    "Lever",
    "Mediator",
    "PowerShift",
    "SidePayment",
    "SidePayments",
    "TextProcess",
    "Threat",
    "WarCosts",
    "apply_levers",
    "cheapest_mix",
    "coercion_game",
    "compare_procedures",
    "implementation_risk",
    "lever_threshold",
    "leverage",
    "linkage",
    "security_levels",
    "shuttle",
    "single_text",
    "typology",
    "variable_threat",
]
