"""The one builder from tables (parsed TOML) to issues, parties and negotiations.

Model files (``[[issues]]``, ``[[constraints]]``, ``[[parties]]``), benchmark
case files (``[case.problem]`` with ``issues``, ``constraints`` and
``parties``) and the batched negotiations of a sweep all go through the
functions here, with one :class:`~bargain._core._checker.Checker` whose error
names the file and the key path. The encoding::

    issues = [
      { name = "territory", lo = 0, hi = 1, unit = "share" },        # continuous
      { name = "guarantee", options = ["none", "treaty", "art5"] },   # discrete, ordered
      { name = "venue", options = ["Geneva", "Riyadh"], ordered = false },
    ]
    constraints = [ { coefficients = { territory = 1 }, ub = 0.8 } ]

    [[parties]]
    name = "Ukraine"
    reservation = 0.3        # optional, also: discount, breakdown, power, outside_option
    weights = { territory = 0.6, guarantee = 0.4 }                  # optional
    reservation_path = { times = [2024, 2026], values = [0.3, 0.2] } # optional
    [parties.values]
    territory = { kind = "linear", slope = 1 }
    guarantee = { kind = "table", values = [0, 0.5, 1] }   # or { none = 0, treaty = 0.5, ... }

Value kinds and their keys: ``linear`` (slope, intercept), ``power``
(exponent, origin, decreasing), ``exponential`` (a, origin, decreasing),
``log`` (a, origin, decreasing), ``piecewise`` (knots, values), ``ideal``
(position, loss, scale), ``table`` (values). Every table may carry the
annotation keys ``description``, ``source``, ``rationale`` and ``sources``.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

from .._core._checker import Checker, type_name
from .._core._validate import suggest
from ..issues._agenda import (
    Agenda,
    ContinuousIssue,
    DiscreteIssue,
    Forbidden,
    LinearConstraint,
    Requires,
)
from ..issues._negotiation import Negotiation, Party
from ..issues._utility import AdditiveUtility
from ..issues._values import (
    Exponential,
    IdealPoint,
    Linear,
    Logarithmic,
    PiecewiseLinear,
    Power,
    Table,
)

__all__ = ["TimePath"]

ANNOTATION = {"description", "source", "rationale", "sources"}
CONT_KEYS = {"name", "lo", "hi", "unit"} | ANNOTATION
DISC_KEYS = {"name", "options", "ordered", "positions", "unit"} | ANNOTATION
CONSTRAINT_KEYS = {"coefficients", "lb", "ub"} | ANNOTATION
PARTY_NUMBERS = ("reservation", "discount", "breakdown", "power", "outside_option")
PARTY_KEYS = {
    "name",
    "values",
    "weights",
    "reservation_path",
    "red_lines",
    "veto",
    "controls",
    "normalise_weights",
    *PARTY_NUMBERS,
} | ANNOTATION
PATH_KEYS = {"times", "values", "unit"} | ANNOTATION
PARTY_RULES = {
    "reservation": {},
    "discount": {"lo": 0.0, "hi": 1.0},
    "breakdown": {"lo": 0.0, "hi": 1.0, "hi_open": True},
    "power": {"lo": 0.0, "lo_open": True},
    "outside_option": {},
}

# kind -> (class, allowed keys, required keys)
VALUE_KINDS = {
    "linear": (Linear, {"slope", "intercept"}, set()),
    "power": (Power, {"exponent", "origin", "decreasing"}, {"exponent"}),
    "exponential": (Exponential, {"a", "origin", "decreasing"}, {"a"}),
    "log": (Logarithmic, {"a", "origin", "decreasing"}, set()),
    "piecewise": (PiecewiseLinear, {"knots", "values"}, {"knots", "values"}),
    "ideal": (IdealPoint, {"position", "loss", "scale"}, {"position"}),
    "table": (Table, {"values"}, {"values"}),
}


@dataclass(frozen=True)
class TimePath:
    """A piecewise-linear path of a number over time (held constant outside its knots).

    Examples
    --------
    >>> from bargain.io import TimePath
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


def _last_axis(values):
    """Numbers as a list, or (batched draws) an array with the entries on the last axis."""
    if any(isinstance(x, np.ndarray) for x in values):
        shape = np.broadcast_shapes(*(np.shape(x) for x in values))
        return np.stack([np.broadcast_to(x, shape) for x in values], axis=-1)
    return values


def issue_from_table(c: Checker, spec, where: str):
    """A :class:`~bargain.ContinuousIssue` or :class:`~bargain.DiscreteIssue` from its table."""
    c.table(spec, where, "an issue table { name = ..., lo = ..., hi = ... } or { options = [...] }")
    if "options" in spec:
        c.keys(spec, DISC_KEYS, {"name", "options"}, where)
        name = c.name(spec["name"], f"{where}.name")
        opts = spec["options"]
        if not isinstance(opts, list):
            c.fail(f"{where}.options", f"expected an array of option names, got {type_name(opts)}")
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


def agenda_from_tables(c: Checker, issues, constraints, where: str = ""):
    """The :class:`~bargain.Agenda` of ``issues`` and ``constraints`` tables, and the units."""
    at = f"{where}." if where else ""
    if not isinstance(issues, list):
        c.fail(
            f"{at}issues",
            f"expected an array of issue tables ([[issues]]), got {type_name(issues)}",
        )
    if not issues:
        c.fail(f"{at}issues", "expected at least one issue (the agenda is empty)")
    built = [issue_from_table(c, s, f"{at}issues[{i}]") for i, s in enumerate(issues)]
    c.unique([i.name for i in built], f"{at}issues", "issue")
    units = {i.name: s.get("unit", "") for i, s in zip(built, issues, strict=True)}
    if not isinstance(constraints, list):
        c.fail(
            f"{at}constraints",
            f"expected an array of tables ([[constraints]]), got {type_name(constraints)}",
        )
    names = [i.name for i in built]
    cons = []
    for j, s in enumerate(constraints):
        w = f"{at}constraints[{j}]"
        c.table(
            s,
            w,
            "a constraint table: { coefficients = {...}, ub = ... }, "
            "{ when = {...}, then = {...} } or { forbidden = {...} }",
        )
        if "when" in s or "then" in s or "forbidden" in s:
            cons.append(_option_constraint(c, s, w, built))
            continue
        c.keys(s, CONSTRAINT_KEYS, {"coefficients"}, w)
        coef = c.table(s["coefficients"], f"{w}.coefficients", "a table issue -> coefficient")
        if not coef:
            c.fail(f"{w}.coefficients", "expected at least one issue")
        for k in coef:
            if k not in names:
                c.fail(f"{w}.coefficients", f"unknown issue {k!r}{suggest(k, names)}")
        coefs = {k: c.number(v, f"{w}.coefficients.{k}") for k, v in coef.items()}
        lb = c.number(s["lb"], f"{w}.lb") if "lb" in s else -math.inf
        ub = c.number(s["ub"], f"{w}.ub") if "ub" in s else math.inf
        if "lb" not in s and "ub" not in s:
            c.fail(w, "expected a bound: 'lb', 'ub' or both")
        if lb > ub:
            c.fail(w, f"expected lb <= ub, got lb={lb:g}, ub={ub:g}")
        c.annotation(s, w)
        cons.append(c.build(w, LinearConstraint, coefs, lb=lb, ub=ub))
    agenda = c.build(f"{at}issues", Agenda, *built, constraints=cons)
    return agenda, units


def _labels(c: Checker, v, at: str, issue, what: str) -> list[str]:
    """One option label or an array of them, each an option of ``issue``."""
    labels = [c.string(v, at)] if isinstance(v, str) else c.strings(v, at)
    if not labels:
        c.fail(at, f"expected at least {what}")
    for o in labels:
        if o not in issue.options:
            c.fail(
                at,
                f"issue {issue.name!r} has no option {o!r}{suggest(o, list(issue.options))}; "
                f"its options are {list(issue.options)}",
            )
    return labels


def _red_lines_table(c: Checker, spec, agenda: Agenda, where: str) -> dict:
    """``red_lines = { issue = [options never accepted] | { min = x, max = y } }``."""
    c.table(spec, where, "a table issue -> options never accepted, or { min = ..., max = ... }")
    out = {}
    for key, v in spec.items():
        at = f"{where}.{key}"
        if key not in agenda.names:
            c.fail(where, f"unknown issue {key!r}{suggest(key, list(agenda.names))}")
        issue = agenda.issue(key)
        if issue.discrete:
            out[key] = _labels(c, v, at, issue, "an option the party never accepts")
        else:
            t = c.table(v, at, "a table { min = ..., max = ... } for a divisible issue")
            c.keys(t, {"min", "max"}, set(), at)
            if not t:
                c.fail(at, "expected 'min', 'max' or both")
            out[key] = {k: c.number(x, f"{at}.{k}", lo=issue.lo, hi=issue.hi) for k, x in t.items()}
    return out


def _option_spec(c: Checker, spec, where: str, issues) -> dict:
    """``{issue: option or [options]}`` with every issue discrete and every option real."""
    c.table(spec, where, "a table issue -> option label or array of labels")
    if not spec:
        c.fail(where, "expected at least one issue")
    by_name = {i.name: i for i in issues}
    out = {}
    for key, v in spec.items():
        at = f"{where}.{key}"
        if key not in by_name:
            c.fail(where, f"unknown issue {key!r}{suggest(key, list(by_name))}")
        issue = by_name[key]
        if not issue.discrete:
            c.fail(at, f"issue {key!r} is continuous; option constraints couple discrete issues")
        labels = _labels(c, v, at, issue, "an option")
        out[key] = labels[0] if isinstance(v, str) else labels
    return out


def _option_constraint(c: Checker, s, w: str, issues):
    """``{ when = {...}, then = {...} }`` (Requires) or ``{ forbidden = {...} }``."""
    if "forbidden" in s:
        c.keys(s, {"forbidden"} | ANNOTATION, {"forbidden"}, w)
        c.annotation(s, w)
        return c.build(w, Forbidden, _option_spec(c, s["forbidden"], f"{w}.forbidden", issues))
    c.keys(s, {"when", "then"} | ANNOTATION, {"when", "then"}, w)
    when = _option_spec(c, s["when"], f"{w}.when", issues)
    then = _option_spec(c, s["then"], f"{w}.then", issues)
    c.annotation(s, w)
    return c.build(w, Requires, when, then)


def value_from_table(c: Checker, spec, issue, where: str):
    """A value function (:class:`~bargain.Linear`, ...) from ``{ kind = ..., ... }``."""
    c.table(spec, where, "a value-function table such as { kind = 'linear', slope = 1 }")
    if "kind" not in spec:
        c.fail(where, "missing required key 'kind'")
    kind = spec["kind"]
    if not isinstance(kind, str) or kind not in VALUE_KINDS:
        c.fail(
            f"{where}.kind",
            f"expected one of {sorted(VALUE_KINDS)}, got {type_name(kind)}"
            f"{suggest(kind, VALUE_KINDS) if isinstance(kind, str) else ''}",
        )
    cls, allowed, required = VALUE_KINDS[kind]
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
                            f"unknown option {label!r}{suggest(label, issue.options)}; "
                            f"expected one of {list(issue.options)}",
                        )
                missing = [o for o in issue.options if o not in v]
                if missing:
                    c.fail(w, f"missing value(s) for option(s) {missing}")
                kwargs[k] = _last_axis([c.number(v[o], f"{w}.{o}") for o in issue.options])
            else:
                kwargs[k] = c.numbers(v, w)
        elif k in ("knots", "values"):
            kwargs[k] = c.numbers(v, w, min_len=2)
        else:
            kwargs[k] = c.number(v, w)
    if kind == "table":
        if not isinstance(issue, DiscreteIssue):
            c.fail(where, f"kind 'table' needs a discrete issue; {issue.name!r} is continuous")
        count = np.shape(kwargs["values"])[-1]
        if count != issue.k:
            c.fail(
                f"{where}.values",
                f"expected {issue.k} values (one per option of {list(issue.options)}), got {count}",
            )
    elif isinstance(issue, DiscreteIssue) and not issue.ordered:
        c.fail(where, f"issue {issue.name!r} is unordered: use kind = 'table'")
    return c.build(where, cls, **kwargs)


def party_from_table(c: Checker, spec, agenda: Agenda, where: str):
    """A :class:`~bargain.Party` and its reservation path (or None) from a party table."""
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
                f"unknown issue {issue_name!r}{suggest(issue_name, agenda.names)}; "
                f"expected one of {list(agenda.names)}",
            )
        values[issue_name] = value_from_table(
            c, v, agenda.issue(issue_name), f"{where}.values.{issue_name}"
        )
    weights = None
    if "weights" in spec:
        wt = c.table(spec["weights"], f"{where}.weights", "a table issue -> weight")
        for k in wt:
            if k not in values:
                c.fail(
                    f"{where}.weights",
                    f"issue {k!r} has no value function{suggest(k, values)}; "
                    f"expected issues {list(values)}",
                )
        missing = [k for k in values if k not in wt]
        if missing:
            c.fail(f"{where}.weights", f"missing weight(s) for issue(s) {missing}")
        weights = {k: c.number(wt[k], f"{where}.weights.{k}", lo=0.0) for k in values}
        if np.any(sum(weights.values()) <= 0):
            c.fail(f"{where}.weights", "expected at least one positive weight")
        if "normalise_weights" in spec and c.boolean(
            spec["normalise_weights"], f"{where}.normalise_weights"
        ):
            # the weights are priorities: divided by their sum (per draw in a sweep), so a
            # drawn weight moves the trade-offs, not the scale against the reservation value
            total = sum(weights.values())
            weights = {k: w / total for k, w in weights.items()}
    elif "normalise_weights" in spec:
        c.fail(f"{where}.normalise_weights", "applies to a party with a `weights` table")
    nums = {
        k: c.number(spec[k], f"{where}.{k}", **PARTY_RULES[k]) for k in PARTY_NUMBERS if k in spec
    }
    utility = c.build(f"{where}.values", AdditiveUtility, values, weights)
    red = (
        _red_lines_table(c, spec["red_lines"], agenda, f"{where}.red_lines")
        if ("red_lines" in spec)
        else None
    )
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
        red_lines=red,
        veto=c.boolean(spec["veto"], f"{where}.veto") if "veto" in spec else True,
        controls=_controls(c, spec, agenda, where),
    )
    path = None
    if "reservation_path" in spec:
        w = f"{where}.reservation_path"
        rp = c.table(spec["reservation_path"], w, "a table { times = [...], values = [...] }")
        c.keys(rp, PATH_KEYS, {"times", "values"}, w)
        times = c.numbers(rp["times"], f"{w}.times", min_len=2)
        vs = c.numbers(rp["values"], f"{w}.values", min_len=2)
        if np.shape(times)[-1] != np.shape(vs)[-1]:
            c.fail(
                w,
                f"expected as many values as times, got {np.shape(vs)[-1]} values and "
                f"{np.shape(times)[-1]} times",
            )
        if np.ndim(times) == 1 and any(b <= a for a, b in itertools.pairwise(times)):
            c.fail(f"{w}.times", f"expected strictly increasing times, got {times}")
        unit = c.string(rp.get("unit", ""), f"{w}.unit", nonempty=False)
        c.annotation(rp, w)
        if np.ndim(times) == 1 and np.ndim(vs) == 1:
            path = TimePath(tuple(times), tuple(vs), unit)
    c.annotation(spec, where)
    return party, path


def _controls(c: Checker, spec, agenda: Agenda, where: str) -> tuple[str, ...]:
    if "controls" not in spec:
        return ()
    w = f"{where}.controls"
    names = c.strings(spec["controls"], w)
    for k in names:
        if k not in agenda.names:
            c.fail(
                w, f"unknown issue {k!r}{suggest(k, agenda.names)}; issues are {list(agenda.names)}"
            )
    return tuple(names)


DECISION_KEYS = {"rule", "quota", "members", "blocking_members", "weights", "voters"} | ANNOTATION
RULES = ("unanimity", "majority", "qualified_majority")


def decision_from_table(c: Checker, spec, names, where: str = "decision"):
    """A :class:`~bargain.DecisionRule` from a ``[decision]`` table."""
    from ..issues._rules import Majority, QualifiedMajority, Unanimity

    c.table(spec, where, "a [decision] table { rule = ..., ... }")
    c.keys(spec, DECISION_KEYS, {"rule"}, where)
    c.annotation(spec, where)
    rule = spec["rule"]
    if rule not in RULES:
        c.fail(f"{where}.rule", f"expected one of {list(RULES)}, got {rule!r}")
    voters = None
    if "voters" in spec:
        voters = c.strings(spec["voters"], f"{where}.voters")
        for v in voters:
            if v not in names:
                c.fail(
                    f"{where}.voters",
                    f"{v!r} is not a party{suggest(v, names)}; parties are {list(names)}",
                )
    weights = None
    if "weights" in spec:
        wt = c.table(spec["weights"], f"{where}.weights", "a table party -> voting weight")
        allowed = voters if voters is not None else names
        for k in wt:
            if k not in allowed:
                c.fail(
                    f"{where}.weights",
                    f"{k!r} is not a voter{suggest(k, allowed)}; voters are {list(allowed)}",
                )
        missing = [k for k in allowed if k not in wt]
        if missing:
            c.fail(f"{where}.weights", f"missing weight(s) for voter(s) {missing}")
        weights = {k: c.number(wt[k], f"{where}.weights.{k}", lo=0.0) for k in allowed}
    extra = sorted({"quota", "members", "blocking_members"} & set(spec))
    if rule == "unanimity":
        if extra or weights is not None:
            c.fail(where, f"rule 'unanimity' takes only `voters`, got {extra or ['weights']}")
        return Unanimity(voters)
    if rule == "majority":
        if extra:
            c.fail(where, f"rule 'majority' takes `weights` and `voters`, not {extra}")
        return Majority(weights, voters=voters)
    if "quota" not in spec:
        c.fail(f"{where}.quota", "rule 'qualified_majority' needs a weight quota in (0, 1]")
    quota = c.number(spec["quota"], f"{where}.quota", lo=0.0, hi=1.0, lo_open=True)
    members = (
        c.number(spec["members"], f"{where}.members", lo=0.0, hi=1.0, lo_open=True)
        if "members" in spec
        else None
    )
    blocking = (
        c.integer(spec["blocking_members"], f"{where}.blocking_members", 1)
        if "blocking_members" in spec
        else None
    )
    return c.build(
        where,
        QualifiedMajority,
        quota,
        weights=weights,
        members=members,
        blocking_members=blocking,
        voters=voters,
    )


def negotiation_from_tables(c: Checker, tables, where: str = ""):
    """A :class:`~bargain.Negotiation` from a table with ``issues``, ``parties``, ``constraints``.

    Returns ``(negotiation, units, paths)``: the issues' units and the parties'
    reservation paths (party name -> :class:`TimePath`).

    Examples
    --------
    >>> from bargain._core._checker import Checker
    >>> from bargain.io._tables import negotiation_from_tables
    >>> doc = {
    ...     "issues": [{"name": "x"}],
    ...     "parties": [
    ...         {"name": "A", "values": {"x": {"kind": "linear"}}},
    ...         {"name": "B", "values": {"x": {"kind": "linear", "slope": -1, "intercept": 1}}},
    ...     ],
    ... }
    >>> neg, units, paths = negotiation_from_tables(Checker("<dict>"), doc)
    >>> neg.names
    ('A', 'B')
    """
    at = f"{where}." if where else ""
    agenda, units = agenda_from_tables(
        c, tables.get("issues", []), tables.get("constraints", []), where
    )
    raw = tables.get("parties", [])
    if not isinstance(raw, list):
        c.fail(
            f"{at}parties",
            f"expected an array of party tables ([[parties]]), got {type_name(raw)}",
        )
    if len(raw) < 2:
        c.fail(f"{at}parties", f"expected at least two parties, got {len(raw)}")
    built = [party_from_table(c, s, agenda, f"{at}parties[{i}]") for i, s in enumerate(raw)]
    parties = [b[0] for b in built]
    c.unique([p.name for p in parties], f"{at}parties", "party")
    paths = {p.name: b[1] for p, b in zip(parties, built, strict=True) if b[1] is not None}
    rule = None
    if "decision" in tables:
        rule = decision_from_table(
            c, tables["decision"], [p.name for p in parties], f"{at}decision"
        )
    status_quo = None
    if "status_quo" in tables:
        status_quo = _whole_outcome(
            c, tables["status_quo"], agenda, f"{at}status_quo", "the status quo"
        )
    elif any(p.controls for p in parties):
        who = next(i for i, p in enumerate(parties) if p.controls)
        c.fail(
            f"{at}parties[{who}].controls",
            "issue control needs a [status_quo] table (issue -> value without agreement): an "
            "agreement that changes a controlled issue from it needs the controller's consent",
        )
    negotiation = c.build(
        f"{at}parties", Negotiation, agenda, parties, rule=rule, status_quo=status_quo
    )
    return negotiation, units, paths


WAR_KEYS = {"end_states", "costs", "cost_per_period", "hazard"} | ANNOTATION
END_STATE_KEYS = {"name", "outcome", "probability"} | ANNOTATION


def war_from_table(c: Checker, spec, negotiation, where: str = "war"):
    """A :class:`~bargain.War` from a ``[war]`` table, checked against the negotiation.

    ``[[war.end_states]]`` tables give a ``name``, an ``outcome`` (every issue,
    options by label) and each party's ``probability``; a party may leave out
    its probability of one end-state, which then gets the rest (so that a
    sweep can vary the others). ``costs`` (one-off) or ``cost_per_period``
    (with ``hazard``) map parties to numbers; a party left out pays nothing.

    Examples
    --------
    >>> from bargain._core._checker import Checker
    >>> from bargain.io._tables import negotiation_from_tables, war_from_table
    >>> doc = {
    ...     "issues": [{"name": "x"}],
    ...     "parties": [
    ...         {"name": "A", "values": {"x": {"kind": "linear"}}},
    ...         {"name": "B", "values": {"x": {"kind": "linear", "slope": -1, "intercept": 1}}},
    ...     ],
    ... }
    >>> neg, _, _ = negotiation_from_tables(Checker("<dict>"), doc)
    >>> war = war_from_table(Checker("<dict>"), {
    ...     "end_states": [
    ...         {"name": "A_wins", "outcome": {"x": 1.0}, "probability": {"A": 0.6, "B": 0.5}},
    ...         {"name": "B_wins", "outcome": {"x": 0.0}},          # the rest: 0.4 and 0.5
    ...     ],
    ...     "costs": {"A": 0.1, "B": 0.1},
    ... }, neg)
    >>> war.reservation(neg)
    array([0.5, 0.4])
    """
    from ..conflict._war import War

    c.table(spec, where, "a [war] table with [[war.end_states]] and costs")
    c.keys(spec, WAR_KEYS, {"end_states"}, where)
    c.annotation(spec, where)
    names = negotiation.names
    A = negotiation.stated_agenda  # imposed end-states may cross the parties' red lines
    raw = spec["end_states"]
    if not isinstance(raw, list) or not raw:
        c.fail(f"{where}.end_states", "expected at least one end-state table ([[war.end_states]])")
    outcomes, probs, seen = {}, {p: {} for p in names}, []
    for j, st in enumerate(raw):
        w = f"{where}.end_states[{j}]"
        c.table(st, w, "an end-state table { name = ..., outcome = {...}, probability = {...} }")
        c.keys(st, END_STATE_KEYS, {"name", "outcome"}, w)
        name = c.name(st["name"], f"{w}.name")
        if name in seen:
            c.fail(f"{w}.name", f"duplicate end-state name {name!r}")
        seen.append(name)
        outcomes[name] = _whole_outcome(c, st["outcome"], A, f"{w}.outcome", "an end-state")
        pr = c.table(st.get("probability", {}), f"{w}.probability", "a table party -> probability")
        for p, v in pr.items():
            if p not in names:
                c.fail(f"{w}.probability", f"unknown party {p!r}{suggest(p, names)}")
            probs[p][name] = c.number(v, f"{w}.probability.{p}", lo=0.0, hi=1.0)
        c.annotation(st, w)
    rows = {}
    for p in names:
        given = probs[p]
        left = [s for s in seen if s not in given]
        total = sum(given.values()) if given else 0.0
        if len(left) > 1:
            c.fail(
                f"{where}.end_states",
                f"party {p!r} gives no probability for {left}: give all but at most one "
                "end-state (that one gets the rest)",
            )
        if left:
            rest = 1.0 - total
            if np.any(rest < -1e-9):
                c.fail(
                    f"{where}.end_states",
                    f"party {p!r}'s probabilities add up to more than 1 ({np.max(total):g}), "
                    f"leaving nothing for {left[0]!r}",
                )
            given = dict(given, **{left[0]: np.maximum(rest, 0.0)})
        elif np.any(np.abs(total - 1.0) > 1e-9):
            c.fail(
                f"{where}.end_states",
                f"party {p!r}'s probabilities must add up to 1 over the end-states, got "
                f"{_first(total):g} (or leave one out: it gets the rest)",
            )
        rows[p] = _last_axis([given[s] for s in seen])
    one_off, per_period = "costs" in spec, "cost_per_period" in spec
    if one_off and per_period:
        c.fail(where, "give either 'costs' (one-off) or 'cost_per_period', not both")
    if "hazard" in spec and not per_period:
        c.fail(f"{where}.hazard", "the hazard of a decision applies to 'cost_per_period'")
    key = "cost_per_period" if per_period else "costs"
    costs = _party_costs(c, spec, key, names, where)
    kwargs = {"cost_per_period": costs} if per_period else {"costs": costs}
    if per_period:
        kwargs["hazard"] = c.number(spec.get("hazard", 1.0), f"{where}.hazard", lo=0.0, hi=1.0)
    return c.build(where, War, outcomes, rows, **kwargs)


def _party_costs(c: Checker, spec, key: str, names, where: str) -> dict:
    """An optional table party -> cost >= 0 under ``spec[key]`` (a party left out: none)."""
    if key not in spec:
        return {}
    tbl = c.table(spec[key], f"{where}.{key}", "a table party -> cost")
    for p in tbl:
        if p not in names:
            c.fail(f"{where}.{key}", f"unknown party {p!r}{suggest(p, names)}")
    return {p: c.number(v, f"{where}.{key}.{p}", lo=0.0) for p, v in tbl.items()}


def _whole_outcome(c: Checker, raw, agenda, where: str, what: str) -> dict:
    """A table issue -> value (or option label) giving every issue of the agenda."""
    out = c.table(raw, where, "a table issue -> value or option")
    for k in out:
        if k not in agenda.names:
            c.fail(where, f"unknown issue {k!r}{suggest(k, agenda.names)}")
    missing = [k for k in agenda.names if k not in out]
    if missing:
        c.fail(where, f"{what} is a whole outcome: give issue(s) {missing}")
    vals = {}
    for k, v in out.items():
        issue = agenda.issue(k)
        if issue.discrete:
            if not isinstance(v, str) or v not in issue.options:
                c.fail(
                    f"{where}.{k}",
                    f"expected one of the options {list(issue.options)}, got {type_name(v)}"
                    f"{suggest(v, issue.options) if isinstance(v, str) else ''}",
                )
            vals[k] = v
        else:
            vals[k] = c.number(v, f"{where}.{k}", lo=issue.lo, hi=issue.hi)
    return vals


FRONT_KEYS = {"states", "decisive", "transitions", "start", "cost_per_period"} | ANNOTATION
FRONT_STATE_KEYS = {"name", "outcome"} | ANNOTATION
PHASE_KEYS = {"periods", "matrix"} | ANNOTATION


def front_from_table(c: Checker, spec, negotiation, where: str = "front"):
    """A :class:`~bargain.FrontLine` from a ``[front]`` table, checked against the negotiation.

    ``[[front.states]]`` give a ``name`` and an ``outcome`` (every issue);
    ``decisive`` lists the states that end the war, ``start`` names the state
    at date 0 and ``cost_per_period`` maps parties to their cost of a period
    of fighting. ``transitions`` is an array of *phases* common to the
    parties, or a table party -> array of phases (each party's own beliefs);
    a phase is ``{ periods = k, matrix = [[...], ...] }`` (rows and columns
    in the order of ``front.states``) and lasts ``k`` periods, the last one
    (without ``periods``) for ever.

    Examples
    --------
    >>> from bargain._core._checker import Checker
    >>> from bargain.io._tables import negotiation_from_tables, front_from_table
    >>> doc = {
    ...     "issues": [{"name": "x"}],
    ...     "parties": [
    ...         {"name": "A", "discount": 0.9, "values": {"x": {"kind": "linear"}}},
    ...         {"name": "B", "discount": 0.9,
    ...          "values": {"x": {"kind": "linear", "slope": -1, "intercept": 1}}},
    ...     ],
    ... }
    >>> neg, _, _ = negotiation_from_tables(Checker("<dict>"), doc)
    >>> front = front_from_table(Checker("<dict>"), {
    ...     "states": [{"name": "line", "outcome": {"x": 0.5}},
    ...                {"name": "A_wins", "outcome": {"x": 1.0}},
    ...                {"name": "B_wins", "outcome": {"x": 0.0}}],
    ...     "decisive": ["A_wins", "B_wins"], "start": "line",
    ...     "cost_per_period": {"A": 0.02, "B": 0.02},
    ...     "transitions": [{"matrix": [[0.8, 0.1, 0.1], [0, 1, 0], [0, 0, 1]]}],
    ... }, neg)
    >>> front.reservation_path(neg, [0])  # (0.09 - 0.02) / (1 - 0.72) each
    array([[0.25, 0.25]])
    """
    from ..conflict._front import FrontLine

    c.table(spec, where, "a [front] table with [[front.states]], decisive, start, transitions")
    c.keys(spec, FRONT_KEYS, {"states", "decisive", "start", "transitions"}, where)
    c.annotation(spec, where)
    names, A = negotiation.names, negotiation.agenda
    raw = spec["states"]
    if not isinstance(raw, list) or len(raw) < 2:
        c.fail(f"{where}.states", "expected at least two state tables ([[front.states]])")
    states, seen = {}, []
    for j, st in enumerate(raw):
        w = f"{where}.states[{j}]"
        c.table(st, w, "a state table { name = ..., outcome = {...} }")
        c.keys(st, FRONT_STATE_KEYS, {"name", "outcome"}, w)
        name = c.name(st["name"], f"{w}.name")
        if name in seen:
            c.fail(f"{w}.name", f"duplicate state name {name!r}")
        seen.append(name)
        states[name] = _whole_outcome(c, st["outcome"], A, f"{w}.outcome", "a front state")
        c.annotation(st, w)
    dec = c.strings(spec["decisive"], f"{where}.decisive")
    if not dec:
        c.fail(f"{where}.decisive", "expected at least one decisive state (where the war ends)")
    for s in dec:
        if s not in seen:
            c.fail(f"{where}.decisive", f"unknown state {s!r}{suggest(s, seen)}; states: {seen}")
    start = c.name(spec["start"], f"{where}.start")
    if start not in seen:
        c.fail(f"{where}.start", f"unknown state {start!r}{suggest(start, seen)}; states: {seen}")
    if start in dec:
        c.fail(f"{where}.start", f"the war starts undecided: {start!r} is a decisive state")
    decisive = np.array([s in dec for s in seen])
    tr = spec["transitions"]
    if isinstance(tr, dict):
        for p in tr:
            if p not in names:
                c.fail(f"{where}.transitions", f"unknown party {p!r}{suggest(p, names)}")
        missing = [p for p in names if p not in tr]
        if missing:
            c.fail(
                f"{where}.transitions",
                f"give every party's beliefs (missing {missing}), or one array of phases for all",
            )
        transitions = {p: _phases(c, tr[p], decisive, f"{where}.transitions.{p}") for p in names}
    else:
        transitions = _phases(c, tr, decisive, f"{where}.transitions")
    costs = _party_costs(c, spec, "cost_per_period", names, where)
    return c.build(
        where, FrontLine, states, list(dec), transitions, start=start, cost_per_period=costs
    )


def _phases(c: Checker, raw, decisive, where: str) -> np.ndarray:
    """An array of phases ``{periods, matrix}`` -> transition matrices ``(T, S, S)``."""
    S = decisive.size
    if not isinstance(raw, list) or not raw:
        c.fail(where, "expected an array of phases [{ periods = k, matrix = [[...]] }, ...]")
    mats = []
    for j, ph in enumerate(raw):
        w = f"{where}[{j}]"
        c.table(ph, w, "a phase { periods = k, matrix = [[...], ...] }")
        last = j == len(raw) - 1
        c.keys(ph, PHASE_KEYS, {"matrix"} | (set() if last else {"periods"}), w)
        if last and "periods" in ph:
            c.fail(f"{w}.periods", "the last phase lasts for ever: leave out 'periods'")
        k = 1 if last else c.integer(ph["periods"], f"{w}.periods", 1, 10_000)
        M = ph["matrix"]
        if (
            not isinstance(M, list)
            or len(M) != S
            or any(not isinstance(r, list) or len(r) != S for r in M)
        ):
            c.fail(f"{w}.matrix", f"expected {S} rows of {S} probabilities (one per state)")
        M = np.array(
            [
                [c.number(x, f"{w}.matrix[{a}][{b}]", lo=0.0, hi=1.0) for b, x in enumerate(r)]
                for a, r in enumerate(M)
            ]
        )
        sums = M.sum(axis=1)
        bad = np.flatnonzero(np.abs(sums - 1.0) > 1e-9)
        if bad.size:
            c.fail(
                f"{w}.matrix[{bad[0]}]",
                f"a row of transition probabilities must add up to 1, got {sums[bad[0]]:g}",
            )
        for a in np.flatnonzero(decisive):
            if M[a, a] != 1.0:
                c.fail(
                    f"{w}.matrix[{a}]", "a decisive state is absorbing: 1 on itself, 0 elsewhere"
                )
        mats.extend([M] * k)
    return np.stack(mats)


def apply_front(c: Checker, doc, negotiation, where: str = "front"):
    """``(negotiation, front)``: a ``[front]`` table's date-0 values given to the parties.

    As :func:`apply_war`: a party whose table gives a ``reservation`` keeps
    it; every other party's reservation value is its value of fighting on
    from the starting front. Without a ``[front]`` table the negotiation is
    returned as it is, with ``front`` None.
    """
    if "front" not in doc:
        return negotiation, None
    front = front_from_table(c, doc["front"], negotiation, where)
    explicit = {p.get("name") for p in doc.get("parties", []) if "reservation" in p}
    if len(explicit) == negotiation.n:
        return negotiation, front
    r = c.build(where, front.reservation_path, negotiation, [0])[..., 0, :]
    parties = [
        p if p.name in explicit else p.replace(reservation=r[..., i])
        for i, p in enumerate(negotiation.parties)
    ]
    return negotiation.replace(parties=parties), front


def _first(x):
    return float(np.ravel(x)[0])


def apply_war(c: Checker, doc, negotiation, where: str = "war"):
    """``(negotiation, war)``: a ``[war]`` table's reservation values given to the parties.

    A party whose table gives a ``reservation`` keeps it; every other party's
    reservation value is derived from the war. Without a ``[war]`` table the
    negotiation is returned as it is, with ``war`` None.
    """
    if "war" not in doc:
        return negotiation, None
    war = war_from_table(c, doc["war"], negotiation, where)
    explicit = {p.get("name") for p in doc.get("parties", []) if "reservation" in p}
    if len(explicit) == negotiation.n:
        return negotiation, war
    r = c.build(where, war.reservation, negotiation)
    batch = np.broadcast_shapes(negotiation.batch_shape, r.shape[:-1])
    r = np.broadcast_to(r, batch + (negotiation.n,))
    parties = [
        p if p.name in explicit else p.replace(reservation=r[..., i])
        for i, p in enumerate(negotiation.parties)
    ]
    return negotiation.replace(parties=parties), war
