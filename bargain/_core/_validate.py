"""Argument checks shared by the public functions.

Every public entry point validates here and then calls a private kernel that
assumes clean float64 arrays. Messages name the argument, the rule and the
offending value or shape.
"""

from __future__ import annotations

import difflib

import numpy as np

__all__: list[str] = []


def suggest(key, allowed) -> str:
    """A did-you-mean suffix for an unknown name: `` (did you mean 'x'?)`` or ``""``.

    Examples
    --------
    >>> from bargain._core._validate import suggest
    >>> suggest("reservaton", ["reservation", "discount"])
    " (did you mean 'reservation'?)"
    """
    close = difflib.get_close_matches(str(key), sorted(map(str, allowed)), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _short(value: np.ndarray) -> str:
    return np.array2string(np.asarray(value), threshold=8, edgeitems=2, separator=", ")


def as_float_array(value, name: str, *, min_ndim: int = 0) -> np.ndarray:
    """Convert ``value`` to a finite float64 array or raise naming ``name``."""
    if isinstance(value, (str, bytes)):
        raise TypeError(f"`{name}` must be numeric, got {type(value).__name__} {value!r}")
    try:
        raw = np.asarray(value)
        if raw.dtype.kind == "c":  # a cast would drop the imaginary parts silently
            raise TypeError(f"`{name}` must be real, got complex value(s) {_short(raw)}")
        arr = np.asarray(raw, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        if isinstance(exc, TypeError) and str(exc).startswith(f"`{name}` must be real"):
            raise
        raise TypeError(f"`{name}` must be a numeric array, got {value!r}") from exc
    if arr.ndim < min_ndim:
        raise ValueError(
            f"`{name}` must have at least {min_ndim} dimension(s), got shape {arr.shape}"
        )
    if not np.all(np.isfinite(arr)):
        bad = arr[~np.isfinite(arr)]
        raise ValueError(f"`{name}` must be finite, got non-finite value(s) {_short(bad)}")
    return arr


def as_points(S, name: str = "S") -> np.ndarray:
    """Validate a finite bargaining set: shape ``(..., m, n)``, ``m >= 1``, ``n >= 2``."""
    arr = as_float_array(S, name, min_ndim=2)
    m, n = arr.shape[-2:]
    if n < 2:
        raise ValueError(
            f"`{name}` must have shape (..., m, n) with n >= 2 parties, got shape {arr.shape}"
        )
    if m < 1:
        raise ValueError(f"`{name}` must contain at least one point, got shape {arr.shape}")
    return arr


def as_vector(value, n: int, name: str, other: str = "S") -> np.ndarray:
    """Validate a per-party vector with batch dims: shape ``(..., n)``."""
    arr = as_float_array(value, name, min_ndim=1)
    if arr.shape[-1] != n:
        raise ValueError(
            f"`{name}` must have shape (..., {n}) to match the {n} parties of `{other}`, "
            f"got shape {arr.shape}"
        )
    return arr


def as_weights(weights, n: int, name: str = "weights", other: str = "S") -> np.ndarray:
    """Validate positive per-party weights and normalise them to sum to 1.

    ``None`` means equal weights.
    """
    if weights is None:
        return np.full(n, 1.0 / n)
    arr = as_vector(weights, n, name, other)
    if np.any(arr <= 0):
        raise ValueError(f"`{name}` must be positive, got {_short(arr)}")
    return arr / arr.sum(axis=-1, keepdims=True)


def batch_shape(**shapes: tuple[int, ...]) -> tuple[int, ...]:
    """Broadcast the batch shapes of several arguments, naming them on failure."""
    try:
        return np.broadcast_shapes(*shapes.values())
    except ValueError:
        desc = ", ".join(f"`{k}` {v}" for k, v in shapes.items())
        raise ValueError(f"batch shapes do not broadcast: {desc}") from None


def check_bool(value, name: str) -> bool:
    """Validate a plain boolean flag."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"`{name}` must be True or False, got {value!r}")
    return bool(value)
