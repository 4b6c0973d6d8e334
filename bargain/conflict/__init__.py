"""Why there is no deal: war as a costly lottery, and the reservation values it implies."""

from ._commitment import commitment as commitment
from ._commitment import self_enforcing as self_enforcing
from ._front import FrontLine as FrontLine
from ._information import mediated_information as mediated_information
from ._information import risk_return as risk_return
from ._information import risk_return_package as risk_return_package
from ._war import War as War

__all__ = [
    "FrontLine",
    "War",
    "commitment",
    "mediated_information",
    "risk_return",
    "risk_return_package",
    "self_enforcing",
]
