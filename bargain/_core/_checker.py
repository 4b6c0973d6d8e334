"""Validation of parsed tables (TOML documents) with errors that name the key path.

One :class:`Checker` serves model files, benchmark case files and the
batched tables of a sweep: each check raises the checker's error type
(:class:`~bargain.ModelError` by default, :class:`~bargain.CaseError` for case
files) with a message ``"<source>: <key.path>: expected ..., got ..."``.
"""

from __future__ import annotations

import math
import re

import numpy as np

from ._errors import ModelError
from ._validate import suggest

__all__: list[str] = []

MAX_ABS = 1e15  # numbers beyond this are rejected: they are typos, not judgements
MAX_NAME = 200
_IDENTIFIER = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


def type_name(v) -> str:
    """How a value reads in an error message: ``"a table ({...})"``, ``"int 3"``."""
    names = {dict: "a table", list: "an array", str: "a string", bool: "a boolean"}
    if type(v) in names:
        return f"{names[type(v)]} ({_short(v)})"
    return f"{type(v).__name__} {_short(v)}"


def _short(v) -> str:
    r = repr(v)
    return r if len(r) <= 60 else r[:57] + "..."


def _interval(lo, hi, lo_open, hi_open) -> str:
    left = "(" if lo_open or lo is None else "["
    right = ")" if hi_open or hi is None else "]"
    a = -math.inf if lo is None else lo
    b = math.inf if hi is None else hi
    return f"{left}{a:g}, {b:g}{right}"


class Checker:
    """Validation helpers that raise ``error`` prefixed with the source's name.

    Parameters
    ----------
    source : str
        The file (or ``"<dict>"``) named first in every message; ``""`` when
        ``where`` already names it.
    error : type, default ModelError
        The exception raised.
    batched : bool, default False
        Accept numpy arrays wherever a number is expected (the draws of a
        sweep); every element is checked against the same rules.

    Examples
    --------
    >>> from bargain._core._checker import Checker
    >>> c = Checker("model.toml")
    >>> c.number(0.5, "parties[0].discount", lo=0.0, hi=1.0)
    0.5
    >>> try:
    ...     c.number(1.5, "parties[0].discount", lo=0.0, hi=1.0)
    ... except ValueError as exc:
    ...     print(exc)
    model.toml: parties[0].discount: expected a number in [0, 1], got 1.5
    """

    def __init__(self, source: str, error=ModelError, *, batched: bool = False) -> None:
        self.source = source
        self.error = error
        self.batched = batched

    def fail(self, where: str, message: str):
        """Raise the checker's error for ``where``."""
        prefix = ": ".join(p for p in (self.source, where) if p)
        raise self.error(f"{prefix}: {message}" if prefix else message)

    def table(self, v, where: str, what: str = "a table") -> dict:
        """``v`` if it is a table (a dict)."""
        if not isinstance(v, dict):
            self.fail(where, f"expected {what}, got {type_name(v)}")
        return v

    def keys(self, tbl: dict, allowed, required, where: str) -> None:
        """Reject unknown keys (with a did-you-mean) and missing required keys."""
        for key in tbl:
            if key not in allowed:
                self.fail(
                    where,
                    f"unknown key {key!r}{suggest(key, allowed)}; expected one of "
                    f"{sorted(allowed)}",
                )
        for key in sorted(required):
            if key not in tbl:
                self.fail(where, f"missing required key {key!r}")

    def number(self, v, where: str, *, lo=None, hi=None, lo_open=False, hi_open=False):
        """A finite float with ``|x| <= 1e15`` in the given interval (or such an array)."""
        if self.batched and isinstance(v, np.ndarray):
            return self._array(v, where, lo, hi, lo_open, hi_open)
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            self.fail(where, f"expected a number, got {type_name(v)}")
        if isinstance(v, int) and abs(v) > MAX_ABS:
            self.fail(where, f"expected a finite number with |x| <= {MAX_ABS:g}, got {v}")
        x = float(v)
        if not math.isfinite(x) or abs(x) > MAX_ABS:
            self.fail(where, f"expected a finite number with |x| <= {MAX_ABS:g}, got {v!r}")
        if (lo is not None and (x < lo or (lo_open and x == lo))) or (
            hi is not None and (x > hi or (hi_open and x == hi))
        ):
            self.fail(
                where, f"expected a number in {_interval(lo, hi, lo_open, hi_open)}, got {v!r}"
            )
        return x

    def _array(self, v, where, lo, hi, lo_open, hi_open):
        a = np.asarray(v, dtype=float)
        bad = ~np.isfinite(a) | (np.abs(a) > MAX_ABS)
        if lo is not None:
            bad |= (a <= lo) if lo_open else (a < lo)
        if hi is not None:
            bad |= (a >= hi) if hi_open else (a > hi)
        if np.any(bad):
            j = int(np.flatnonzero(bad.ravel())[0])
            self.fail(
                where,
                f"expected numbers in {_interval(lo, hi, lo_open, hi_open)} with |x| <= "
                f"{MAX_ABS:g}, got {a.ravel()[j]!r} (element {j})",
            )
        return a

    def integer(self, v, where: str, lo=None, hi=None) -> int:
        """An integer (not a boolean) in ``[lo, hi]``."""
        if isinstance(v, bool) or not isinstance(v, int):
            self.fail(where, f"expected an integer, got {type_name(v)}")
        if (lo is not None and v < lo) or (hi is not None and v > hi):
            self.fail(where, f"expected an integer in [{lo}, {hi}], got {v}")
        return v

    def boolean(self, v, where: str) -> bool:
        """``true`` or ``false``."""
        if not isinstance(v, bool):
            self.fail(where, f"expected true or false, got {type_name(v)}")
        return v

    def string(self, v, where: str, *, nonempty=True) -> str:
        """A string (non-empty by default)."""
        if not isinstance(v, str):
            self.fail(where, f"expected a string, got {type_name(v)}")
        if nonempty and not v.strip():
            self.fail(where, "expected a non-empty string")
        return v

    def name(self, v, where: str) -> str:
        """A name: at most 200 characters, no dots, path separators or control characters."""
        s = self.string(v, where)
        if (
            s != s.strip()
            or any(ch in s for ch in "./\\")
            or len(s) > MAX_NAME
            or any(ord(ch) < 32 for ch in s)
        ):
            self.fail(
                where,
                f"expected a name: at most {MAX_NAME} characters, no dots, slashes, control "
                f"characters or surrounding spaces, got {s!r}",
            )
        return s

    def identifier(self, v, where: str) -> str:
        """An identifier: a letter or digit, then letters, digits, ``_`` or ``-`` (<= 200)."""
        s = self.string(v, where)
        if not _IDENTIFIER.fullmatch(s) or len(s) > MAX_NAME:
            self.fail(
                where,
                f"expected an identifier (a letter or digit, then letters, digits, '_' or '-'; "
                f"at most {MAX_NAME} characters; it names output files), got {s!r}",
            )
        return s

    def strings(self, v, where: str) -> list[str]:
        """An array of strings."""
        if not isinstance(v, list):
            self.fail(where, f"expected an array of strings, got {type_name(v)}")
        return [self.string(s, f"{where}[{i}]") for i, s in enumerate(v)]

    def numbers(self, v, where: str, *, min_len=1, **rule):
        """An array of numbers (a list; batched: an array with the entries on the last axis)."""
        if not isinstance(v, list):
            self.fail(where, f"expected an array of numbers, got {type_name(v)}")
        if len(v) < min_len:
            self.fail(where, f"expected at least {min_len} number(s), got {len(v)}")
        out = [self.number(x, f"{where}[{i}]", **rule) for i, x in enumerate(v)]
        if self.batched and any(isinstance(x, np.ndarray) for x in out):
            shape = np.broadcast_shapes(*(np.shape(x) for x in out))
            return np.stack([np.broadcast_to(x, shape) for x in out], axis=-1)
        return out

    def annotation(self, tbl: dict, where: str) -> None:
        """Check the optional ``description``, ``source``, ``rationale`` and ``sources`` keys."""
        for key in ("description", "source", "rationale"):
            if key in tbl:
                self.string(tbl[key], f"{where}.{key}")
        if "sources" in tbl:
            self.strings(tbl["sources"], f"{where}.sources")

    def unique(self, names: list[str], where: str, what: str) -> None:
        """Reject a repeated name in ``where[i].name``."""
        seen = set()
        for i, n in enumerate(names):
            if n in seen:
                self.fail(f"{where}[{i}].name", f"duplicate {what} name {n!r}")
            seen.add(n)

    def build(self, where: str, fn, *args, **kwargs):
        """Call a library constructor; its ValueError or TypeError becomes the checker's error."""
        try:
            return fn(*args, **kwargs)
        except self.error:
            raise
        except (ValueError, TypeError, ArithmeticError) as exc:
            self.fail(where, str(exc))
