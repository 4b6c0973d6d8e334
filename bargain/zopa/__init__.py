"""Zones of possible agreement: in issue space and utility space, and the one-issue classics."""

from ._utility import fearon_range as fearon_range
from ._utility import price_zopa as price_zopa
from ._zopa import zopa as zopa

__all__ = ["fearon_range", "price_zopa", "zopa"]
