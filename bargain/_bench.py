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

import difflib
import math
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

__all__ = ["CaseError", "load_cases", "register_concept", "run_case", "run_cases"]

CASE_KEYS = {"id", "concept", "source", "derivation", "rtol", "atol", "problem", "expected"}
EXACT_FIELDS = {"index", "agreement", "mask", "status"}


class CaseError(ValueError):
    """A malformed case file: the message names the file, the key path and the rule."""


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


CONCEPTS: dict[str, Callable[[Mapping, str], Mapping]] = {}


def register_concept(name: str, handler: Callable[[Mapping, str], Mapping]) -> None:
    """Register ``handler(problem, where) -> results`` for case files' ``concept = name``.

    ``where`` is the ``file: key.path`` prefix for error messages; the handler
    raises :class:`CaseError` for malformed problems.
    """
    CONCEPTS[name] = handler


def _suggest(key: str, allowed) -> str:
    close = difflib.get_close_matches(key, sorted(allowed), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def check_keys(table: Mapping, allowed, required, where: str) -> None:
    """Reject unknown keys (with a did-you-mean) and missing required keys."""
    for key in table:
        if key not in allowed:
            raise CaseError(
                f"{where}: unknown key {key!r}{_suggest(key, allowed)}; "
                f"expected one of {sorted(allowed)}"
            )
    for key in required:
        if key not in table:
            raise CaseError(f"{where}: missing required key {key!r}")


def load_cases(path) -> list[Case]:
    """Load every case from a ``.toml`` file or from all ``*.toml`` files in a directory.

    Parameters
    ----------
    path : str or Path
        A case file or a directory of case files.

    Returns
    -------
    list of Case

    Raises
    ------
    CaseError
        For unreadable TOML, unknown or missing keys, wrong types, unknown
        concepts or duplicate ids; the message names the file and key path.
    """
    path = Path(path)
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
                    f"{_suggest(raw['concept'], CONCEPTS)}; known: {sorted(CONCEPTS)}"
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
                f"{key!r}{_suggest(key, got)}; fields: {sorted(got)}"
            )
        ok, err, msg = _compare(key, got[key], want, case)
        worst = max(worst, err)
        if not ok:
            messages.append(msg)
    return CaseOutcome(case, not messages, worst, "; ".join(messages), dict(got))


def run_cases(path) -> list[CaseOutcome]:
    """Load and run every case under ``path`` (a file or directory)."""
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


# -- the utility-space concepts ------------------------------------------------------


def _frontier_from_table(spec, where):
    from ._frontier import Frontier

    if not isinstance(spec, dict):
        raise CaseError(f"{where}: expected a table such as {{ kind = 'split', ... }}")
    kind = spec.get("kind")
    if kind == "split":
        check_keys(spec, {"kind", "v1", "v2", "scale"}, {"kind"}, where)

        def vf(key):
            v = spec.get(key, "linear")
            return v if isinstance(v, str) else tuple(v)

        return Frontier.split(vf("v1"), vf("v2"), scale=spec.get("scale", [1.0, 1.0]))
    if kind == "power":
        # u2 = s2 * (1 - (u1 / s1)**k), k >= 1, u1 in [0, s1]
        check_keys(spec, {"kind", "k", "scale"}, {"kind", "k"}, where)
        k = float(spec["k"])
        if not k >= 1:
            raise CaseError(f"{where}.k: expected a number >= 1 (concave frontier), got {k}")
        s1, s2 = (float(x) for x in spec.get("scale", [1.0, 1.0]))
        return Frontier.from_function(
            lambda u: s2 * (1 - (u / s1) ** k),
            0.0,
            s1,
            df=lambda u: -s2 * k * (u / s1) ** (k - 1) / s1,
        )
    raise CaseError(f"{where}.kind: expected 'split' or 'power', got {kind!r}")


def _utility_problem(concept):
    from . import _solutions

    solver = getattr(_solutions, concept)
    takes_weights = concept != "kalai_smorodinsky"

    def handler(problem, where):
        allowed = {"points", "frontier", "d", "hull"} | ({"weights"} if takes_weights else set())
        check_keys(problem, allowed, {"d"}, where)
        if ("points" in problem) == ("frontier" in problem):
            raise CaseError(f"{where}: give exactly one of `points` or `frontier`")
        if "frontier" in problem:
            S = _frontier_from_table(problem["frontier"], f"{where}.frontier")
        else:
            S = problem["points"]
        kwargs = {"hull": problem.get("hull", False)}
        if takes_weights:
            kwargs["weights"] = problem.get("weights")
        return solver(S, problem["d"], **kwargs)

    return handler


def _pareto_handler(problem, where):
    from ._pareto import pareto_frontier

    check_keys(problem, {"points"}, {"points"}, where)
    return {"mask": pareto_frontier(problem["points"])}


for _name in ("nash", "kalai_smorodinsky", "egalitarian", "utilitarian"):
    register_concept(_name, _utility_problem(_name))
register_concept("pareto_frontier", _pareto_handler)
