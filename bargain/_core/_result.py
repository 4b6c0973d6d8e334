"""The result object returned by every solver."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np

__all__ = ["Lazy", "Result", "scalar", "status_message"]


def scalar(value):
    """Plain Python scalars for unbatched results, arrays otherwise.

    Every solver reports fields of an unbatched problem as Python ``bool``,
    ``int`` or ``float`` (so they print as ``True`` and ``0.5``), and fields of
    a batch as arrays with the batch shape.

    Examples
    --------
    >>> import numpy as np
    >>> from bargain._core._result import scalar
    >>> scalar(np.array(True)), scalar(np.float64(0.5)), scalar(np.array([1, 2]))
    (True, 0.5, array([1, 2]))
    """
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray) and value.ndim == 0:
        return value.item()
    return value


def status_message(status, messages) -> str:
    """One message for a status code, or a count per code for a batch.

    Parameters
    ----------
    status : array_like of int
        Status codes (any shape).
    messages : mapping of int to str
        What each code means.

    Examples
    --------
    >>> from bargain._core._result import status_message
    >>> status_message([0, 1, 1], {0: "agreement found", 1: "no agreement"})
    'agreement found: 1; no agreement: 2'
    >>> status_message(0, {0: "agreement found"})
    'agreement found'
    """
    status = np.asarray(status)
    flat = status.reshape(-1)
    if flat.size and np.all(flat == flat[0]):  # one code for the whole batch: no sort
        return messages[int(flat[0])]
    codes, counts = np.unique(status, return_counts=True)
    if codes.size == 1:
        return messages[int(codes[0])]
    return "; ".join(f"{messages[int(c)]}: {k}" for c, k in zip(codes, counts, strict=True))


def _freeze(value):
    if isinstance(value, np.ndarray):
        value = value.view()
        value.flags.writeable = False
    return value


class Lazy:
    """A field of a :class:`Result` computed on first access.

    Parameters
    ----------
    compute : callable
        ``compute() -> value``, called at most once.

    Examples
    --------
    >>> from bargain._core._result import Lazy, Result
    >>> calls = []
    >>> r = Result(x=1.0, y=Lazy(lambda: calls.append(1) or 2.0))
    >>> len(calls)
    0
    >>> r.y, r.y, len(calls)
    (2.0, 2.0, 1)
    """

    __slots__ = ("compute",)

    def __init__(self, compute) -> None:
        self.compute = compute


class Result(Mapping):
    """Read-only bundle of named solver outputs with attribute access.

    Modelled on :class:`scipy.optimize.OptimizeResult`: fields are read as
    attributes (``res.utilities``) or items (``res["utilities"]``), the repr
    lists them aligned, and the object is immutable (array fields are returned
    as read-only views). Array fields carry the batch shape of the problem.

    Parameters
    ----------
    **fields
        The named outputs. A value wrapped in :class:`Lazy` is computed the
        first time it is read (and then kept): solvers use this for derived
        fields, so a large batch pays only for the fields a caller reads.

    Examples
    --------
    >>> from bargain import Result
    >>> r = Result(agreement=True, utilities=[0.5, 0.5])
    >>> r.agreement
    True
    >>> sorted(r)
    ['agreement', 'utilities']
    """

    __slots__ = ("_fields",)

    def __init__(self, **fields: Any) -> None:
        frozen = {}
        for key, value in fields.items():
            frozen[key] = value if isinstance(value, Lazy) else _freeze(value)
        object.__setattr__(self, "_fields", frozen)

    def _get(self, name: str) -> Any:
        value = self._fields[name]
        if isinstance(value, Lazy):
            value = _freeze(value.compute())
            self._fields[name] = value
        return value

    def __getattr__(self, name: str) -> Any:
        try:
            return self._get(name)
        except KeyError:
            raise AttributeError(
                f"Result has no field {name!r}; fields are {sorted(self._fields)}"
            ) from None

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Result is read-only")

    def __getitem__(self, key: str) -> Any:
        return self._get(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._fields)

    def __len__(self) -> int:
        return len(self._fields)

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | set(self._fields))

    def __repr__(self) -> str:
        if not self._fields:
            return "Result()"
        width = max(map(len, self._fields)) + 1
        lines = []
        for key in list(self._fields):
            value = self._get(key)
            if isinstance(value, np.ndarray):
                text = np.array2string(value, separator=", ", threshold=20, edgeitems=3)
            elif isinstance(value, np.generic):
                text = repr(value.item())
            else:
                text = repr(value)
            text = text.replace("\n", "\n" + " " * (width + 2))
            lines.append(f"{key.rjust(width)}: {text}")
        return "\n".join(lines)
