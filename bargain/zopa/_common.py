"""What the ZOPA results share."""

from __future__ import annotations

import numpy as np

__all__: list[str] = []


def message(empty) -> str:
    """The ``message`` of a ZOPA result: empty or not, or how many of a batch are empty.

    Examples
    --------
    >>> import numpy as np
    >>> from bargain.zopa._common import message
    >>> message(False), message(np.array([True, False, True]))
    ('the ZOPA is non-empty', 'the ZOPA is empty in 2 of 3 problems')
    """
    e = np.asarray(empty)
    if e.ndim == 0:
        return "the ZOPA is empty" if e else "the ZOPA is non-empty"
    return f"the ZOPA is empty in {int(e.sum())} of {e.size} problems"
