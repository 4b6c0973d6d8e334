"""Model files: negotiations, levers, uncertainty and sources as TOML data.

A model file is TOML (read with :mod:`tomllib`; never evaluated, never
unpickled), validated completely on load. Every error is a
:class:`ModelError` whose message names the file, the key path and what was
expected; unknown keys are rejected with a did-you-mean. The format is
documented in ``docs/model-format.md``; the agenda and party tables are the
same encoding as the issue-space benchmark cases (``bargain/_issue_cases.py``)
with optional annotation keys added.

Top-level tables: ``[model]`` (name, title, description, sources),
``[[issues]]``, ``[[constraints]]``, ``[[parties]]``, ``[mediator]``,
``[[levers]]``, ``[uncertainty]``, ``[notes]`` and ``[history]``.
"""

from __future__ import annotations

import copy
import difflib
import itertools
import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np

from ._agenda import Agenda, ContinuousIssue, DiscreteIssue, LinearConstraint
from ._issue_cases import _VALUE_KINDS
from ._model_toml import dumps
from ._negotiation import Negotiation, Party
from ._utility import AdditiveUtility

__all__ = [
    "Model",
    "ModelError",
    "TimePath",
    "Uncertain",
    "bundled_models",
    "load_model",
    "save_model",
]

FORMAT_VERSION = 1
MAX_ABS = 1e15  # numbers beyond this are rejected: they are typos, not judgements
MAX_NAME = 200

TOP_KEYS = {
    "model",
    "issues",
    "constraints",
    "parties",
    "mediator",
    "levers",
    "uncertainty",
    "notes",
    "history",
}
MODEL_KEYS = {"name", "title", "description", "format", "sources", "notes"}
ANNOTATION = {"description", "source", "rationale", "sources"}
CONT_KEYS = {"name", "lo", "hi", "unit"} | ANNOTATION
DISC_KEYS = {"name", "options", "ordered", "positions", "unit"} | ANNOTATION
CONSTRAINT_KEYS = {"coefficients", "lb", "ub"} | ANNOTATION
PARTY_NUMBERS = ("reservation", "discount", "breakdown", "power", "outside_option")
PARTY_KEYS = {"name", "values", "weights", "reservation_path", *PARTY_NUMBERS} | ANNOTATION
PATH_KEYS = {"times", "values", "unit"} | ANNOTATION
MEDIATOR_KEYS = {"name", "budget"} | ANNOTATION
UNCERTAIN_KEYS = {"dist", "lo", "hi", "mode", "mean", "sd", "a", "b", "source", "rationale"}
NOTE_KEYS = {"source", "rationale"}
HISTORY_KEYS = {"settled", "year", "summary", "outcome", "sources"}
DISTRIBUTIONS = {
    "uniform": ({"lo", "hi"}, set()),
    "triangular": ({"lo", "mode", "hi"}, set()),
    "normal": ({"mean", "sd", "lo", "hi"}, set()),
    "beta": ({"a", "b"}, {"lo", "hi"}),
}


class ModelError(ValueError):
    """A malformed model file: the message names the file, the key path and the rule."""


# -- primitive checks ------------------------------------------------------------------


def _suggest(key, allowed) -> str:
    close = difflib.get_close_matches(str(key), sorted(allowed), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


class _Checker:
    """Validation helpers that raise :class:`ModelError` prefixed with the file name."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, message: str):
        raise ModelError(
            f"{self.source}: {where}: {message}" if where else f"{self.source}: {message}"
        )

    def table(self, v, where: str, what: str = "a table") -> dict:
        if not isinstance(v, dict):
            self.fail(where, f"expected {what}, got {_tname(v)}")
        return v

    def keys(self, tbl: dict, allowed, required, where: str) -> None:
        for key in tbl:
            if key not in allowed:
                self.fail(
                    where,
                    f"unknown key {key!r}{_suggest(key, allowed)}; expected one of "
                    f"{sorted(allowed)}",
                )
        for key in sorted(required):
            if key not in tbl:
                self.fail(where, f"missing required key {key!r}")

    def number(self, v, where: str, *, lo=None, hi=None, lo_open=False, hi_open=False) -> float:
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            self.fail(where, f"expected a number, got {_tname(v)}")
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

    def integer(self, v, where: str, lo=None, hi=None) -> int:
        if isinstance(v, bool) or not isinstance(v, int):
            self.fail(where, f"expected an integer, got {_tname(v)}")
        if (lo is not None and v < lo) or (hi is not None and v > hi):
            self.fail(where, f"expected an integer in [{lo}, {hi}], got {v}")
        return v

    def boolean(self, v, where: str) -> bool:
        if not isinstance(v, bool):
            self.fail(where, f"expected true or false, got {_tname(v)}")
        return v

    def string(self, v, where: str, *, nonempty=True) -> str:
        if not isinstance(v, str):
            self.fail(where, f"expected a string, got {_tname(v)}")
        if nonempty and not v.strip():
            self.fail(where, "expected a non-empty string")
        return v

    def name(self, v, where: str) -> str:
        s = self.string(v, where)
        if s != s.strip() or "." in s or len(s) > MAX_NAME or any(ord(c) < 32 for c in s):
            self.fail(
                where,
                f"expected a name: at most {MAX_NAME} characters, no dots, control "
                f"characters or surrounding spaces, got {s!r}",
            )
        return s

    def strings(self, v, where: str) -> list[str]:
        if not isinstance(v, list):
            self.fail(where, f"expected an array of strings, got {_tname(v)}")
        return [self.string(s, f"{where}[{i}]") for i, s in enumerate(v)]

    def numbers(self, v, where: str, *, min_len=1, **rule) -> list[float]:
        if not isinstance(v, list):
            self.fail(where, f"expected an array of numbers, got {_tname(v)}")
        if len(v) < min_len:
            self.fail(where, f"expected at least {min_len} number(s), got {len(v)}")
        return [self.number(x, f"{where}[{i}]", **rule) for i, x in enumerate(v)]

    def annotation(self, tbl: dict, where: str) -> None:
        for key in ("description", "source", "rationale"):
            if key in tbl:
                self.string(tbl[key], f"{where}.{key}")
        if "sources" in tbl:
            self.strings(tbl["sources"], f"{where}.sources")

    def unique(self, names: list[str], where: str, what: str) -> None:
        seen = set()
        for i, n in enumerate(names):
            if n in seen:
                self.fail(f"{where}[{i}].name", f"duplicate {what} name {n!r}")
            seen.add(n)

    def build(self, where: str, fn, *args, **kwargs):
        """Call a library constructor; its ValueError/TypeError becomes a ModelError."""
        try:
            return fn(*args, **kwargs)
        except (ValueError, TypeError, ArithmeticError) as exc:
            self.fail(where, str(exc))


def _tname(v) -> str:
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


# -- result objects --------------------------------------------------------------------


@dataclass(frozen=True)
class TimePath:
    """A piecewise-linear path of a number over time (held constant outside its knots).

    Examples
    --------
    >>> p = TimePath((2024.0, 2025.0, 2026.0), (0.4, 0.3, 0.3))
    >>> float(p(2024.5))
    0.35
    """

    times: tuple[float, ...]
    values: tuple[float, ...]
    unit: str = ""

    def __call__(self, t) -> np.ndarray:
        """Value at time(s) ``t`` by linear interpolation."""
        return np.interp(np.asarray(t, dtype=float), self.times, self.values)


@dataclass(frozen=True)
class Uncertain:
    """An uncertainty range for one numeric parameter of a model.

    ``path`` names the parameter (e.g. ``"parties.Russia.reservation"``),
    ``dist`` the distribution and ``params`` its parameters: ``uniform``
    (lo, hi), ``triangular`` (lo, mode, hi), ``normal`` truncated to
    [lo, hi] (mean, sd, lo, hi), ``beta`` on [lo, hi] (a, b; lo = 0, hi = 1
    by default).
    """

    path: str
    dist: str
    params: Mapping[str, float]
    value: float
    source: str = ""
    rationale: str = ""

    @property
    def support(self) -> tuple[float, float]:
        """The smallest and largest value the distribution can take."""
        return float(self.params.get("lo", 0.0)), float(self.params.get("hi", 1.0))

    def sample(self, n: int, rng=None) -> np.ndarray:
        """``n`` draws from the distribution (seeded by ``rng``)."""
        rng = np.random.default_rng(rng)
        p = self.params
        lo, hi = self.support
        if self.dist == "uniform":
            return rng.uniform(lo, hi, n)
        if self.dist == "triangular":
            if lo == hi:
                return np.full(n, lo)
            return rng.triangular(lo, p["mode"], hi, n)
        if self.dist == "normal":
            from scipy.stats import truncnorm

            m, s = p["mean"], p["sd"]
            return truncnorm.rvs(
                (lo - m) / s, (hi - m) / s, loc=m, scale=s, size=n, random_state=rng
            )
        return lo + (hi - lo) * rng.beta(p["a"], p["b"], n)


@dataclass(frozen=True)
class History:
    """What actually happened in a historical case."""

    settled: bool
    year: int | None = None
    summary: str = ""
    outcome: Mapping = field(default_factory=dict)
    sources: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)
class Model:
    """A validated model: a negotiation plus levers, uncertainty, time paths and sources.

    Attributes
    ----------
    name, title, description : str
    sources : tuple of str
        Model-level sources.
    negotiation : Negotiation
        The agenda and parties.
    mediator : Mediator or None
        The mediator with its levers and budget (``None`` without levers).
    levers : tuple of Lever
        The levers (:class:`~bargain.Threat`, ...) in file order; each
        lever's ``label`` is its ``name`` in the file.
    lever_specs : tuple of dict
        The lever tables as written (kind, name, fields).
    uncertain : tuple of Uncertain
        The uncertainty ranges.
    notes : dict
        Key path -> ``{"source": ..., "rationale": ...}`` for single numbers.
    paths : dict
        Party name -> :class:`TimePath` of its reservation value.
    history : History or None
    units : dict
        Issue name -> unit string.
    file : str
        Where it was loaded from (``"<dict>"`` when built from a mapping).
    data : dict
        The validated document: what :func:`save_model` writes.
    """

    name: str
    title: str
    description: str
    sources: tuple[str, ...]
    negotiation: Negotiation
    mediator: object
    levers: tuple
    lever_specs: tuple
    uncertain: tuple[Uncertain, ...]
    notes: dict
    paths: dict
    history: History | None
    units: dict
    file: str
    data: dict

    @property
    def agenda(self) -> Agenda:
        """The negotiation's agenda."""
        return self.negotiation.agenda

    @property
    def parties(self) -> tuple[Party, ...]:
        """The negotiation's parties."""
        return self.negotiation.parties

    def __repr__(self) -> str:
        return (
            f"Model({self.name!r}, issues={list(self.agenda.names)}, "
            f"parties={list(self.negotiation.names)}, levers={len(self.levers)}, "
            f"uncertain={len(self.uncertain)})"
        )

    def parameters(self) -> dict[str, float]:
        """Every numeric parameter by key path (what ``[uncertainty]`` may name)."""
        return dict(_numeric_paths(self.data))

    def with_parameters(self, values: Mapping[str, float], *, _check: bool = True) -> Model:
        """A copy of the model with the parameters at the given key paths replaced.

        Examples
        --------
        >>> import bargain as bg
        >>> m = bg.load_model("camp_david_1978")
        >>> m2 = m.with_parameters({"parties.Egypt.reservation": 0.3})
        >>> float(m2.negotiation.party("Egypt").reservation)
        0.3
        """
        doc = copy.deepcopy(self.data)
        known = _numeric_paths(doc)
        for path, v in values.items():
            if path not in known:
                raise ModelError(
                    f"{self.file}: no numeric parameter {path!r}{_suggest(path, known)}"
                )
            _set_path(doc, path, float(v))
        return model_from_dict(doc, self.file, check_ranges=_check)

    def draw(self, n: int, rng=None) -> dict[str, np.ndarray]:
        """``n`` seeded draws of every uncertain parameter: key path -> array (n,).

        Examples
        --------
        >>> import bargain as bg
        >>> m = bg.load_model("ukraine_russia")
        >>> d = m.draw(1000, rng=0)
        >>> all(((x >= u.support[0]) & (x <= u.support[1])).all()
        ...     for u, x in zip(m.uncertain, d.values()))
        True
        """
        rng = np.random.default_rng(rng)
        return {u.path: u.sample(n, rng) for u in self.uncertain}

    def unit(self, issue: str) -> str:
        """The unit of an issue ("" if none)."""
        return self.units.get(issue, "")


# -- key paths -------------------------------------------------------------------------


def _numeric_paths(doc: dict) -> dict[str, float]:
    """Key path -> value of every numeric parameter of a validated document."""
    out: dict[str, float] = {}

    def walk(prefix, v):
        if isinstance(v, bool) or isinstance(v, str):
            return
        if isinstance(v, (int, float)):
            out[prefix] = float(v)
        elif isinstance(v, dict):
            for k, x in v.items():
                if k not in ANNOTATION and k not in ("name", "kind", "unit", "dist"):
                    walk(f"{prefix}.{k}", x)
        elif isinstance(v, list):
            for i, x in enumerate(v):
                walk(f"{prefix}.{i}", x)

    for key in ("issues", "parties", "levers"):
        for item in doc.get(key, []):
            for k, x in item.items():
                if k not in ANNOTATION and k not in ("name", "kind", "unit"):
                    walk(f"{key}.{item['name']}.{k}", x)
    for i, c in enumerate(doc.get("constraints", [])):
        walk(f"constraints.{i}", {k: x for k, x in c.items() if k not in ANNOTATION})
    # table values are also addressable by option label
    options = {i["name"]: i["options"] for i in doc.get("issues", []) if "options" in i}
    for p in doc.get("parties", []):
        for issue, spec in p.get("values", {}).items():
            if spec.get("kind") == "table" and isinstance(spec.get("values"), list):
                for j, label in enumerate(options.get(issue, [])):
                    if j < len(spec["values"]):
                        out[f"parties.{p['name']}.values.{issue}.values.{label}"] = float(
                            spec["values"][j]
                        )
    return out


def _set_path(doc: dict, path: str, value: float) -> None:
    parts = path.split(".")
    head, name, rest = parts[0], parts[1], parts[2:]
    if head == "constraints":
        node = doc["constraints"][int(name)]
    else:
        node = next(x for x in doc[head] if x["name"] == name)
    for i, k in enumerate(rest):
        last = i == len(rest) - 1
        if isinstance(node, list):
            if not k.isdigit():  # a table value addressed by option label
                issue = next(x for x in doc["issues"] if x["name"] == rest[i - 2])
                k = str(issue["options"].index(k))
            if last:
                node[int(k)] = value
            else:
                node = node[int(k)]
        elif last:
            node[k] = value
        else:
            node = node[k]


# -- the validator ---------------------------------------------------------------------


def _issue(c: _Checker, spec, where):
    c.table(spec, where, "an issue table { name = ..., lo = ..., hi = ... } or { options = [...] }")
    if "options" in spec:
        c.keys(spec, DISC_KEYS, {"name", "options"}, where)
        name = c.name(spec["name"], f"{where}.name")
        opts = spec["options"]
        if not isinstance(opts, list):
            c.fail(f"{where}.options", f"expected an array of option names, got {_tname(opts)}")
        labels = [c.name(o, f"{where}.options[{i}]") for i, o in enumerate(opts)]
        if len(labels) < 2:
            c.fail(f"{where}.options", f"expected at least two options, got {len(labels)}")
        for i, o in enumerate(labels):
            if o in labels[:i]:
                c.fail(f"{where}.options[{i}]", f"duplicate option {o!r}")
        ordered = c.boolean(spec.get("ordered", True), f"{where}.ordered")
        pos = None
        if "positions" in spec:
            pos = c.numbers(spec["positions"], f"{where}.positions")
        issue = c.build(where, DiscreteIssue, name, labels, ordered=ordered, positions=pos)
    else:
        c.keys(spec, CONT_KEYS, {"name"}, where)
        name = c.name(spec["name"], f"{where}.name")
        lo = c.number(spec.get("lo", 0.0), f"{where}.lo")
        hi = c.number(spec.get("hi", 1.0), f"{where}.hi")
        if not hi > lo:
            c.fail(f"{where}.hi", f"expected hi > lo = {lo:g}, got {hi:g}")
        issue = c.build(where, ContinuousIssue, name, lo, hi)
    if "unit" in spec:
        c.string(spec["unit"], f"{where}.unit", nonempty=False)
    c.annotation(spec, where)
    return issue


def _value(c: _Checker, spec, issue, where):
    c.table(spec, where, "a value-function table such as { kind = 'linear', slope = 1 }")
    if "kind" not in spec:
        c.fail(where, "missing required key 'kind'")
    kind = spec["kind"]
    if not isinstance(kind, str) or kind not in _VALUE_KINDS:
        c.fail(
            f"{where}.kind",
            f"expected one of {sorted(_VALUE_KINDS)}, got {_tname(kind)}"
            f"{_suggest(kind, _VALUE_KINDS)}",
        )
    cls, allowed, required = _VALUE_KINDS[kind]
    c.keys(spec, allowed | {"kind"}, required, where)
    kwargs = {}
    for k, v in spec.items():
        w = f"{where}.{k}"
        if k == "kind":
            continue
        if k == "decreasing":
            kwargs[k] = c.boolean(v, w)
        elif k == "loss":
            kwargs[k] = c.string(v, w)
            if v not in ("quadratic", "linear"):
                c.fail(w, f"expected 'quadratic' or 'linear', got {v!r}")
        elif k == "values" and kind == "table":
            if isinstance(v, dict):
                if not isinstance(issue, DiscreteIssue):
                    c.fail(w, "a table of option values needs a discrete issue")
                for label in v:
                    if label not in issue.options:
                        c.fail(
                            w,
                            f"unknown option {label!r}{_suggest(label, issue.options)}; "
                            f"expected one of {list(issue.options)}",
                        )
                missing = [o for o in issue.options if o not in v]
                if missing:
                    c.fail(w, f"missing value(s) for option(s) {missing}")
                kwargs[k] = [c.number(v[o], f"{w}.{o}") for o in issue.options]
            else:
                kwargs[k] = c.numbers(v, w)
        elif k in ("knots", "values"):
            kwargs[k] = c.numbers(v, w, min_len=2)
        else:
            kwargs[k] = c.number(v, w)
    if kind == "table":
        if not isinstance(issue, DiscreteIssue):
            c.fail(where, f"kind 'table' needs a discrete issue; {issue.name!r} is continuous")
        if len(kwargs["values"]) != issue.k:
            c.fail(
                f"{where}.values",
                f"expected {issue.k} values (one per option of {list(issue.options)}), "
                f"got {len(kwargs['values'])}",
            )
    elif isinstance(issue, DiscreteIssue) and not issue.ordered:
        c.fail(where, f"issue {issue.name!r} is unordered: use kind = 'table'")
    return c.build(where, cls, **kwargs)


def _party(c: _Checker, spec, agenda: Agenda, where):
    c.table(spec, where, "a party table ([[parties]])")
    c.keys(spec, PARTY_KEYS, {"name", "values"}, where)
    name = c.name(spec["name"], f"{where}.name")
    vals = c.table(spec["values"], f"{where}.values", "a table issue -> value function")
    if not vals:
        c.fail(f"{where}.values", "expected at least one issue")
    values = {}
    for issue_name, v in vals.items():
        if issue_name not in agenda.names:
            c.fail(
                f"{where}.values",
                f"unknown issue {issue_name!r}{_suggest(issue_name, agenda.names)}; "
                f"expected one of {list(agenda.names)}",
            )
        values[issue_name] = _value(c, v, agenda.issue(issue_name), f"{where}.values.{issue_name}")
    weights = None
    if "weights" in spec:
        wt = c.table(spec["weights"], f"{where}.weights", "a table issue -> weight")
        for k in wt:
            if k not in values:
                c.fail(
                    f"{where}.weights",
                    f"issue {k!r} has no value function{_suggest(k, values)}; "
                    f"expected issues {list(values)}",
                )
        missing = [k for k in values if k not in wt]
        if missing:
            c.fail(f"{where}.weights", f"missing weight(s) for issue(s) {missing}")
        weights = {k: c.number(wt[k], f"{where}.weights.{k}", lo=0.0) for k in values}
        if sum(weights.values()) <= 0:
            c.fail(f"{where}.weights", "expected at least one positive weight")
    rules = {
        "reservation": {},
        "discount": {"lo": 0.0, "hi": 1.0, "lo_open": True},
        "breakdown": {"lo": 0.0, "hi": 1.0, "hi_open": True},
        "power": {"lo": 0.0, "lo_open": True},
        "outside_option": {},
    }
    nums = {k: c.number(spec[k], f"{where}.{k}", **rules[k]) for k in PARTY_NUMBERS if k in spec}
    utility = c.build(f"{where}.values", AdditiveUtility, values, weights)
    party = c.build(
        where,
        Party,
        name,
        utility,
        nums.get("reservation", 0.0),
        discount=nums.get("discount", 1.0),
        breakdown=nums.get("breakdown", 0.0),
        outside_option=nums.get("outside_option"),
        power=nums.get("power", 1.0),
    )
    path = None
    if "reservation_path" in spec:
        w = f"{where}.reservation_path"
        rp = c.table(spec["reservation_path"], w, "a table { times = [...], values = [...] }")
        c.keys(rp, PATH_KEYS, {"times", "values"}, w)
        times = c.numbers(rp["times"], f"{w}.times", min_len=2)
        vs = c.numbers(rp["values"], f"{w}.values", min_len=2)
        if len(times) != len(vs):
            c.fail(
                w, f"expected as many values as times, got {len(vs)} values and {len(times)} times"
            )
        if any(b <= a for a, b in itertools.pairwise(times)):
            c.fail(f"{w}.times", f"expected strictly increasing times, got {times}")
        unit = c.string(rp.get("unit", ""), f"{w}.unit", nonempty=False)
        c.annotation(rp, w)
        path = TimePath(tuple(times), tuple(vs), unit)
    c.annotation(spec, where)
    return party, path


def _uncertain(c: _Checker, key, spec, known: dict, where) -> Uncertain:
    w = f"{where}.{_quote(key)}"
    if key not in known:
        c.fail(
            w,
            f"no numeric parameter {key!r}{_suggest(key, known)}; "
            "key paths look like 'parties.<name>.reservation'",
        )
    c.table(spec, w, "a distribution table such as { dist = 'uniform', lo = 0, hi = 1 }")
    c.keys(spec, UNCERTAIN_KEYS, {"dist"}, w)
    dist = spec["dist"]
    if not isinstance(dist, str) or dist not in DISTRIBUTIONS:
        c.fail(
            f"{w}.dist",
            f"expected one of {sorted(DISTRIBUTIONS)}, got {_tname(dist)}"
            f"{_suggest(dist, DISTRIBUTIONS)}",
        )
    required, optional = DISTRIBUTIONS[dist]
    c.keys(spec, required | optional | {"dist", "source", "rationale"}, required, w)
    p = {k: c.number(spec[k], f"{w}.{k}") for k in required | optional if k in spec}
    lo, hi = p.get("lo", 0.0), p.get("hi", 1.0)
    if dist in ("uniform", "normal", "beta") and not hi > lo:
        c.fail(f"{w}.hi", f"expected hi > lo = {lo:g}, got {hi:g}")
    if dist == "triangular" and not (lo <= p["mode"] <= hi and lo < hi):
        c.fail(
            w,
            f"expected lo <= mode <= hi and lo < hi, got lo={lo:g}, mode={p['mode']:g}, hi={hi:g}",
        )
    if dist == "normal":
        if not p["sd"] > 0:
            c.fail(f"{w}.sd", f"expected sd > 0, got {p['sd']:g}")
        if not lo <= p["mean"] <= hi:
            c.fail(f"{w}.mean", f"expected lo <= mean <= hi, got mean={p['mean']:g}")
    if dist == "beta":
        for k in ("a", "b"):
            if not p[k] > 0:
                c.fail(f"{w}.{k}", f"expected a positive number, got {p[k]:g}")
    value = known[key]
    if not lo <= value <= hi:
        c.fail(w, f"the model's value {value:g} lies outside the range [{lo:g}, {hi:g}]")
    for k in ("source", "rationale"):
        if k in spec:
            c.string(spec[k], f"{w}.{k}")
    return Uncertain(key, dist, p, value, spec.get("source", ""), spec.get("rationale", ""))


def _quote(key: str) -> str:
    return repr(key) if not key.replace("_", "").replace(".", "").isalnum() else f'"{key}"'


def model_from_dict(doc, source: str = "<dict>", *, check_ranges: bool = True) -> Model:
    """Validate a parsed model document and build the :class:`Model`."""
    c = _Checker(source)
    c.table(doc, "", "a TOML document")
    c.keys(doc, TOP_KEYS, {"model", "issues", "parties"}, "top level")
    meta = c.table(doc["model"], "model", "a [model] table")
    c.keys(meta, MODEL_KEYS, {"name"}, "model")
    name = c.name(meta["name"], "model.name")
    title = c.string(meta.get("title", name), "model.title")
    description = c.string(meta.get("description", ""), "model.description", nonempty=False)
    if "format" in meta:
        c.integer(meta["format"], "model.format", 1, FORMAT_VERSION)
    sources = tuple(c.strings(meta.get("sources", []), "model.sources"))
    if "notes" in meta:
        c.string(meta["notes"], "model.notes", nonempty=False)

    raw_issues = doc["issues"]
    if not isinstance(raw_issues, list):
        c.fail(
            "issues", f"expected an array of issue tables ([[issues]]), got {_tname(raw_issues)}"
        )
    if not raw_issues:
        c.fail("issues", "expected at least one issue (the agenda is empty)")
    issues = [_issue(c, s, f"issues[{i}]") for i, s in enumerate(raw_issues)]
    c.unique([i.name for i in issues], "issues", "issue")
    units = {i.name: s.get("unit", "") for i, s in zip(issues, raw_issues, strict=True)}

    cons = []
    raw_cons = doc.get("constraints", [])
    if not isinstance(raw_cons, list):
        c.fail(
            "constraints", f"expected an array of tables ([[constraints]]), got {_tname(raw_cons)}"
        )
    names = [i.name for i in issues]
    for j, s in enumerate(raw_cons):
        w = f"constraints[{j}]"
        c.table(s, w, "a constraint table { coefficients = {...}, ub = ... }")
        c.keys(s, CONSTRAINT_KEYS, {"coefficients"}, w)
        coef = c.table(s["coefficients"], f"{w}.coefficients", "a table issue -> coefficient")
        if not coef:
            c.fail(f"{w}.coefficients", "expected at least one issue")
        for k in coef:
            if k not in names:
                c.fail(f"{w}.coefficients", f"unknown issue {k!r}{_suggest(k, names)}")
        coefs = {k: c.number(v, f"{w}.coefficients.{k}") for k, v in coef.items()}
        lb = c.number(s["lb"], f"{w}.lb") if "lb" in s else -math.inf
        ub = c.number(s["ub"], f"{w}.ub") if "ub" in s else math.inf
        if "lb" not in s and "ub" not in s:
            c.fail(w, "expected a bound: 'lb', 'ub' or both")
        if lb > ub:
            c.fail(w, f"expected lb <= ub, got lb={lb:g}, ub={ub:g}")
        c.annotation(s, w)
        cons.append(c.build(w, LinearConstraint, coefs, lb=lb, ub=ub))
    agenda = c.build("issues", Agenda, *issues, constraints=cons)

    raw_parties = doc["parties"]
    if not isinstance(raw_parties, list):
        c.fail(
            "parties", f"expected an array of party tables ([[parties]]), got {_tname(raw_parties)}"
        )
    if len(raw_parties) < 2:
        c.fail("parties", f"expected at least two parties, got {len(raw_parties)}")
    built = [_party(c, s, agenda, f"parties[{i}]") for i, s in enumerate(raw_parties)]
    parties = [b[0] for b in built]
    c.unique([p.name for p in parties], "parties", "party")
    paths = {p.name: b[1] for p, b in zip(parties, built, strict=True) if b[1] is not None}
    negotiation = c.build("parties", Negotiation, agenda, parties)
    if agenda.continuous and not all(
        getattr(v, "concave", False)
        for p in parties
        for k, v in p.utility.values.items()
        if not agenda.issue(k).discrete
    ):
        bad = [
            f"parties.{p.name}.values.{k}"
            for p in parties
            for k, v in p.utility.values.items()
            if not agenda.issue(k).discrete and not v.concave
        ]
        c.fail(
            bad[0], "expected a concave value function on a continuous issue (the solvers need it)"
        )

    levers, lever_specs = _levers(c, doc.get("levers", []), negotiation)
    mediator = None
    med = {}
    if "mediator" in doc:
        med = c.table(doc["mediator"], "mediator", "a [mediator] table")
        c.keys(med, MEDIATOR_KEYS, {"name"}, "mediator")
        c.name(med["name"], "mediator.name")
        c.annotation(med, "mediator")
        if med["name"] in negotiation.names:
            c.fail("mediator.name", f"the mediator {med['name']!r} is also a party")
        if "budget" in med:
            c.number(med["budget"], "mediator.budget", lo=0.0)
    if levers:
        from ._levers import Mediator

        mediator = c.build(
            "mediator",
            Mediator,
            med.get("name", "mediator"),
            levers,
            budget=float(med.get("budget", math.inf)),
        )

    notes = {}
    known = _numeric_paths(doc)
    raw_notes = c.table(
        doc.get("notes", {}), "notes", "a [notes] table key path -> { source, rationale }"
    )
    for key, spec in raw_notes.items():
        w = f"notes.{_quote(key)}"
        if key not in known:
            c.fail(w, f"no numeric parameter {key!r}{_suggest(key, known)}")
        c.table(spec, w, "a table { source = ..., rationale = ... }")
        c.keys(spec, NOTE_KEYS, set(), w)
        if not spec:
            c.fail(w, "expected 'source', 'rationale' or both")
        notes[key] = {k: c.string(v, f"{w}.{k}") for k, v in spec.items()}

    raw_unc = c.table(
        doc.get("uncertainty", {}), "uncertainty", "an [uncertainty] table key path -> distribution"
    )
    uncertain = tuple(_uncertain(c, k, s, known, "uncertainty") for k, s in raw_unc.items())

    history = None
    if "history" in doc:
        h = c.table(doc["history"], "history", "a [history] table")
        c.keys(h, HISTORY_KEYS, {"settled"}, "history")
        settled = c.boolean(h["settled"], "history.settled")
        year = c.integer(h["year"], "history.year", -5000, 5000) if "year" in h else None
        summary = c.string(h.get("summary", ""), "history.summary", nonempty=False)
        hs = tuple(c.strings(h.get("sources", []), "history.sources"))
        outcome = {}
        raw_out = c.table(
            h.get("outcome", {}), "history.outcome", "a table issue -> value or option"
        )
        for k, v in raw_out.items():
            w = f"history.outcome.{k}"
            if k not in agenda.names:
                c.fail(w, f"unknown issue {k!r}{_suggest(k, agenda.names)}")
            issue = agenda.issue(k)
            if issue.discrete:
                if not isinstance(v, str) or v not in issue.options:
                    c.fail(w, f"expected one of the options {list(issue.options)}, got {_tname(v)}")
                outcome[k] = v
            else:
                outcome[k] = c.number(v, w, lo=issue.lo, hi=issue.hi)
        history = History(settled, year, summary, outcome, hs)

    model = Model(
        name=name,
        title=title,
        description=description,
        sources=sources,
        negotiation=negotiation,
        mediator=mediator,
        levers=levers,
        lever_specs=lever_specs,
        uncertain=uncertain,
        notes=notes,
        paths=paths,
        history=history,
        units=units,
        file=source,
        data=copy.deepcopy(doc),
    )
    if check_ranges and uncertain:
        _check_ranges(c, model)
    return model


def _levers(c: _Checker, raw, negotiation):
    if not isinstance(raw, list):
        c.fail("levers", f"expected an array of lever tables ([[levers]]), got {_tname(raw)}")
    from ._model_levers import build_lever

    levers, specs, names = [], [], []
    for j, s in enumerate(raw):
        w = f"levers[{j}]"
        lever = build_lever(c, s, negotiation, w)
        names.append(s["name"])
        levers.append(lever)
        specs.append(dict(s))
    c.unique(names, "levers", "lever")
    return tuple(levers), tuple(specs)


def _check_ranges(c: _Checker, model: Model) -> None:
    """Every uncertain parameter at either end of its range still gives a valid model."""
    for end in (0, 1):
        values = {u.path: u.support[end] for u in model.uncertain}
        try:
            model.with_parameters(values, _check=False)
        except ModelError:
            for u in model.uncertain:
                try:
                    model.with_parameters({u.path: u.support[end]}, _check=False)
                except ModelError as exc:
                    detail = str(exc).split(": ", 1)[-1]
                    c.fail(
                        f"uncertainty.{_quote(u.path)}",
                        f"the range's {'upper' if end else 'lower'} end {u.support[end]:g} "
                        f"is not a valid value: {detail}",
                    )
            raise


# -- files and bundled models ----------------------------------------------------------


def _bundled_dir():
    return resources.files("bargain") / "models"


def bundled_models() -> dict[str, str]:
    """Names of the bundled models -> their one-line descriptions.

    Examples
    --------
    >>> import bargain as bg
    >>> "ukraine_russia" in bg.bundled_models()
    True
    """
    out = {}
    for entry in sorted(_bundled_dir().iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            doc = tomllib.loads(entry.read_text(encoding="utf-8"))
            out[entry.name[:-5]] = doc.get("model", {}).get("description", "")
    return out


def _read(path_or_name) -> tuple[str, str]:
    if isinstance(path_or_name, Path) or (
        isinstance(path_or_name, str)
        and (path_or_name.endswith(".toml") or "/" in path_or_name or "\\" in path_or_name)
    ):
        p = Path(path_or_name)
        try:
            return p.read_text(encoding="utf-8"), str(p)
        except UnicodeDecodeError as exc:
            raise ModelError(f"{p}: not UTF-8 text ({exc.reason})") from None
        except OSError as exc:
            raise ModelError(f"{p}: cannot read the model file ({exc.strerror or exc})") from None
    if not isinstance(path_or_name, str):
        raise TypeError(
            f"`path_or_name` must be a path or a model name, got {type(path_or_name).__name__}"
        )
    entry = _bundled_dir() / f"{path_or_name}.toml"
    if not entry.is_file():
        names = [e.name[:-5] for e in _bundled_dir().iterdir() if e.name.endswith(".toml")]
        p = Path(path_or_name)
        if p.is_file():
            return _read(p)
        raise ModelError(
            f"no bundled model {path_or_name!r}{_suggest(path_or_name, names)} and no such "
            f"file; bundled models: {', '.join(sorted(names))}"
        )
    return entry.read_text(encoding="utf-8"), f"{path_or_name}.toml (bundled)"


def loads_model(text: str, source: str = "<string>") -> Model:
    """Parse and validate model text (TOML)."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ModelError(f"{source}: not valid TOML: {exc}") from None
    except RecursionError:
        raise ModelError(f"{source}: not valid TOML: nested too deeply") from None
    return model_from_dict(doc, source)


def load_model(path_or_name) -> Model:
    """Load and validate a model file, or a bundled model by name.

    Parameters
    ----------
    path_or_name : str or Path
        A ``.toml`` file, or the name of a bundled model (see
        :func:`bundled_models`), e.g. ``"ukraine_russia"``.

    Returns
    -------
    Model

    Raises
    ------
    ModelError
        (a ``ValueError``) for unreadable files, invalid TOML, unknown or
        missing keys, wrong types, out-of-range or non-finite numbers,
        duplicate names, and inconsistent uncertainty ranges; the message
        names the file, the key path and what was expected.

    Examples
    --------
    >>> import bargain as bg
    >>> m = bg.load_model("camp_david_1978")
    >>> m.negotiation.names
    ('Egypt', 'Israel')
    >>> bool(bg.zopa(m.negotiation).empty)
    False
    """
    text, source = _read(path_or_name)
    return loads_model(text, source)


def dumps_model(model: Model) -> str:
    """The TOML text of a model (what :func:`save_model` writes)."""
    if not isinstance(model, Model):
        raise TypeError(f"`model` must be a bargain Model, got {type(model).__name__}")
    header = (
        f"{model.title}\nbargain model file (format {FORMAT_VERSION}); see docs/model-format.md"
    )
    return dumps(model.data, header)


def save_model(model: Model, path) -> Path:
    """Write a model as TOML; :func:`load_model` reads it back to an equal model.

    Examples
    --------
    >>> import bargain as bg, tempfile, pathlib
    >>> m = bg.load_model("dayton_1995")
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     f = bg.save_model(m, pathlib.Path(tmp) / "dayton.toml")
    ...     bg.load_model(f).data == m.data
    True
    """
    text = dumps_model(model)
    p = Path(path)
    p.write_text(text, encoding="utf-8")
    return p
