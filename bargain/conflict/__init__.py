"""Why there is no deal: war as a costly lottery, and the reservation values it implies."""

from ._war import War as War

__all__ = ["War"]
