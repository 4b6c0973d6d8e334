"""Benchmark case files: hand-worked problems with sources and expected answers.

A case file is TOML with one ``[[case]]`` table per case::

    [[case]]
    id = "nash-split-sqrt"            # unique across the files run together
    concept = "nash"                  # which solver answers it (see CONCEPTS)
    source = "Osborne & Rubinstein (1990), Bargaining and Markets, sec. 2.3"
    derivation = '''One paragraph a reader can follow to the expected answer.'''
    rtol = 1e-9                       # optional, default 1e-9
    atol = 1e-12                      # optional, default 1e-12

    [case.problem]                    # the concept's inputs
    frontier = { kind = "split", v1 = "linear", v2 = ["power", 0.5] }
    d = [0, 0]

    [case.expected]                   # any subset of the result's fields
    x = 0.6666666666666666
    utilities = [0.6666666666666666, 0.5773502691896258]
    agreement = true

Numbers are compared with ``|computed - expected| <= atol + rtol * |expected|``;
booleans and integer fields (``index``) exactly.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np

from .._core._errors import CaseError
from .._core._validate import suggest
from ._handlers import HANDLERS, check_keys

__all__ = [
    "CaseError",
    "bundled_cases",
    "format_table",
    "load_cases",
    "register_concept",
    "run_case",
    "run_cases",
]

CASE_KEYS = {"id", "concept", "source", "derivation", "rtol", "atol", "problem", "expected"}
EXACT_FIELDS = {"index", "agreement", "mask", "status"}


def bundled_cases() -> Path:
    """The directory of the benchmark case files shipped with the package.

    Examples
    --------
    >>> import bargain as bg
    >>> d = bg.bundled_cases()
    >>> (d / "nash_split.toml").is_file()
    True
    """
    return Path(str(resources.files("bargain") / "cases" / "data"))


@dataclass(frozen=True)
class Case:
    """One benchmark case, as loaded from a case file."""

    id: str
    concept: str
    source: str
    derivation: str
    problem: Mapping
    expected: Mapping
    rtol: float = 1e-9
    atol: float = 1e-12
    path: str = ""
    where: str = ""


@dataclass(frozen=True)
class CaseOutcome:
    """The outcome of running one case."""

    case: Case
    passed: bool
    error: float = 0.0
    message: str = ""
    details: dict = field(default_factory=dict)


# the registry: the built-in concepts, plus any a user registers
CONCEPTS: dict[str, Callable[[Mapping, str], Mapping]] = dict(HANDLERS)


def register_concept(name: str, handler: Callable[[Mapping, str], Mapping]) -> None:
    """Register ``handler(problem, where) -> results`` for case files' ``concept = name``.

    ``where`` is the ``file: key.path`` prefix for error messages; the handler
    raises :class:`CaseError` for malformed problems. Registering a built-in
    name replaces it.

    Examples
    --------
    A concept of one's own: the midpoint of the disagreement point and the ideal point.

    >>> import numpy as np, bargain as bg
    >>> def midpoint(problem, where):
    ...     d, ideal = np.asarray(problem["d"]), np.asarray(problem["ideal"])
    ...     return {"utilities": (d + ideal) / 2}
    >>> bg.register_concept("midpoint", midpoint)
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     f = pathlib.Path(tmp) / "mine.toml"
    ...     _ = f.write_text('''
    ... [[case]]
    ... id = "mid"
    ... concept = "midpoint"
    ... source = "a worked example in this docstring"
    ... derivation = "(0 + 1) / 2 = 0.5 and (0 + 2) / 2 = 1 for the two parties."
    ... problem = { d = [0, 0], ideal = [1, 2] }
    ... expected = { utilities = [0.5, 1.0] }
    ... ''')
    ...     [o.passed for o in bg.run_cases(f)]
    [True]
    """
    if not isinstance(name, str) or not name.strip():
        raise TypeError(f"`name` must be a non-empty string, got {name!r}")
    if not callable(handler):
        raise TypeError(f"`handler` must be callable, got {type(handler).__name__}")
    CONCEPTS[name] = handler


def load_cases(path=None) -> list[Case]:
    """Load every case from a ``.toml`` file or from all ``*.toml`` files in a directory.

    Parameters
    ----------
    path : str or Path, optional
        A case file or a directory of case files; the bundled cases
        (:func:`bundled_cases`) by default.

    Returns
    -------
    list of Case

    Raises
    ------
    CaseError
        For unreadable TOML, unknown or missing keys, wrong types, unknown
        concepts or duplicate ids; the message names the file and key path.

    Examples
    --------
    >>> import bargain as bg
    >>> cases = bg.load_cases()
    >>> len(cases) > 100, {"nash", "zopa", "rubinstein"} <= {c.concept for c in cases}
    (True, True)
    """
    path = bundled_cases() if path is None else Path(path)
    if path.is_dir():
        files = sorted(path.glob("*.toml"))
        if not files:
            raise CaseError(f"{path}: no *.toml case files in this directory")
    elif path.is_file():
        files = [path]
    else:
        raise CaseError(f"{path}: no such case file or directory")
    cases: list[Case] = []
    seen: dict[str, str] = {}
    for file in files:
        try:
            data = tomllib.loads(file.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise CaseError(f"{file}: not valid TOML: {exc}") from None
        check_keys(data, {"case"}, {"case"}, str(file))
        if not isinstance(data["case"], list):
            raise CaseError(f"{file}: `case` must be an array of tables ([[case]])")
        for i, raw in enumerate(data["case"]):
            where = f"{file}: case[{i}]"
            check_keys(raw, CASE_KEYS, CASE_KEYS - {"rtol", "atol"}, where)
            for key in ("id", "concept", "source", "derivation"):
                if not isinstance(raw[key], str) or not raw[key].strip():
                    raise CaseError(f"{where}.{key}: expected a non-empty string")
            where = f"{file}: case[{i}] ({raw['id']})"
            if raw["concept"] not in CONCEPTS:
                raise CaseError(
                    f"{where}.concept: unknown concept {raw['concept']!r}"
                    f"{suggest(raw['concept'], CONCEPTS)}; known: {sorted(CONCEPTS)}"
                )
            for key in ("problem", "expected"):
                if not isinstance(raw[key], dict):
                    raise CaseError(f"{where}.{key}: expected a table")
            if not raw["expected"]:
                raise CaseError(f"{where}.expected: must name at least one expected value")
            tol = {}
            for key in ("rtol", "atol"):
                if key in raw:
                    v = raw[key]
                    if (
                        isinstance(v, bool)
                        or not isinstance(v, (int, float))
                        or not (math.isfinite(v) and v >= 0)
                    ):
                        raise CaseError(f"{where}.{key}: expected a finite number >= 0, got {v!r}")
                    tol[key] = float(v)
            if raw["id"] in seen:
                raise CaseError(f"{where}.id: duplicate id, first defined in {seen[raw['id']]}")
            seen[raw["id"]] = str(file)
            cases.append(
                Case(
                    id=raw["id"],
                    concept=raw["concept"],
                    source=raw["source"],
                    derivation=raw["derivation"],
                    problem=raw["problem"],
                    expected=raw["expected"],
                    path=str(file),
                    where=where,
                    **tol,
                )
            )
    return cases


def _compare(key, got, want, case: Case):
    """Return ``(ok, abs_error, message)`` for one expected field."""
    if isinstance(want, bool) or key in EXACT_FIELDS:
        g, w = np.asarray(got), np.asarray(want)
        ok = g.shape == w.shape and np.array_equal(g, w)
        return ok, 0.0 if ok else math.inf, "" if ok else f"{key}: got {g.tolist()}, want {want}"
    try:
        w = np.asarray(want, dtype=float)
        g = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        raise CaseError(f"{case.where}.expected.{key}: expected a number or array") from None
    if g.shape != w.shape:
        return False, math.inf, f"{key}: got shape {g.shape}, want {w.shape}"
    if not np.all(np.isfinite(g)):
        return False, math.inf, f"{key}: got non-finite {g.tolist()}"
    err = np.abs(g - w)
    bound = case.atol + case.rtol * np.abs(w)
    ok = bool(np.all(err <= bound))
    e = float(err.max()) if err.size else 0.0
    msg = "" if ok else f"{key}: got {np.round(g, 15).tolist()}, want {w.tolist()} (|err| {e:.3g})"
    return ok, e, msg


def run_case(case: Case) -> CaseOutcome:
    """Run one case and compare every expected field."""
    try:
        got = CONCEPTS[case.concept](case.problem, f"{case.where}.problem")
    except CaseError:
        raise
    except (ValueError, TypeError) as exc:
        raise CaseError(f"{case.where}.problem: {exc}") from None
    worst, messages = 0.0, []
    for key, want in case.expected.items():
        if key not in got:
            raise CaseError(
                f"{case.where}.expected.{key}: the {case.concept!r} result has no field "
                f"{key!r}{suggest(key, got)}; fields: {sorted(got)}"
            )
        ok, err, msg = _compare(key, got[key], want, case)
        worst = max(worst, err)
        if not ok:
            messages.append(msg)
    return CaseOutcome(case, not messages, worst, "; ".join(messages), dict(got))


def run_cases(path=None) -> list[CaseOutcome]:
    """Load and run every case under ``path`` (a file or directory; the bundled cases by default).

    Examples
    --------
    >>> import bargain as bg
    >>> outcomes = bg.run_cases(bg.bundled_cases() / "nash_split.toml")
    >>> all(o.passed for o in outcomes)
    True
    """
    return [run_case(c) for c in load_cases(path)]


def format_table(outcomes: list[CaseOutcome]) -> str:
    """A fixed-width pass/fail table, one line per case, and a summary line."""
    w_id = max([len(o.case.id) for o in outcomes] + [2])
    w_c = max([len(o.case.concept) for o in outcomes] + [7])
    lines = [f"{'id'.ljust(w_id)}  {'concept'.ljust(w_c)}  result  max |error|"]
    for o in outcomes:
        status = "pass" if o.passed else "FAIL"
        line = f"{o.case.id.ljust(w_id)}  {o.case.concept.ljust(w_c)}  {status:6}  {o.error:.2e}"
        if not o.passed:
            line += f"  {o.message}"
        lines.append(line)
    n_pass = sum(o.passed for o in outcomes)
    lines.append(f"{n_pass} passed, {len(outcomes) - n_pass} failed")
    return "\n".join(lines)
