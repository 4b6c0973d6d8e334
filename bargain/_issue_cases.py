"""Benchmark case files for issue-space problems (negotiations over agendas).

Registers the concepts ``issue_nash``, ``issue_kalai_smorodinsky``,
``issue_egalitarian``, ``issue_utilitarian`` and ``issue_pareto_frontier``
with the case-file runner. A negotiation is encoded in ``[case.problem]``::

    [case.problem]
    issues = [
      { name = "territory", lo = 0, hi = 1 },                      # continuous
      { name = "guarantee", options = ["none", "treaty", "art5"] }, # discrete, ordered
      { name = "venue", options = ["Geneva", "Riyadh"], ordered = false },
    ]
    constraints = [ { coefficients = { territory = 1 }, ub = 0.8 } ]   # optional
    method = "exact"      # optional: auto | exact | enumerate | frontier
    grid = 101            # optional, for method = "enumerate"
    d = [0, 0]            # optional: the parties' reservation values by default
    weights = [1, 1]      # optional: powers (nash) / weights (egalitarian, utilitarian)

    [[case.problem.parties]]
    name = "Ukraine"
    reservation = 0.0     # optional, also: power, discount, breakdown
    weights = { territory = 0.6, guarantee = 0.4 }        # optional
    [case.problem.parties.values]
    territory = { kind = "linear", slope = 1 }
    guarantee = { kind = "table", values = [0, 0.5, 1] }

Value kinds and their keys: ``linear`` (slope, intercept), ``power``
(exponent, origin, decreasing), ``exponential`` (a, origin, decreasing),
``log`` (a, origin, decreasing), ``piecewise`` (knots, values), ``ideal``
(position, loss, scale), ``table`` (values).

Result fields for ``[case.expected]``: ``utilities``, ``agreement``,
``status``, ``index`` (discrete agendas) and one field per issue, named
after it: the value of a continuous issue, the option *index* of a discrete
one. ``issue_pareto_frontier`` returns ``points`` (the non-dominated utility
vectors, sorted by ``u_1``) and ``count``.
"""

from __future__ import annotations

import numpy as np

from ._agenda import Agenda, ContinuousIssue, DiscreteIssue, LinearConstraint
from ._bench import CaseError, check_keys, register_concept
from ._negotiation import Negotiation, Party
from ._utility import AdditiveUtility
from ._values import (
    Exponential,
    IdealPoint,
    Linear,
    Logarithmic,
    PiecewiseLinear,
    Power,
    Table,
)

__all__: list[str] = []

_VALUE_KINDS = {
    "linear": (Linear, {"slope", "intercept"}, set()),
    "power": (Power, {"exponent", "origin", "decreasing"}, {"exponent"}),
    "exponential": (Exponential, {"a", "origin", "decreasing"}, {"a"}),
    "log": (Logarithmic, {"a", "origin", "decreasing"}, set()),
    "piecewise": (PiecewiseLinear, {"knots", "values"}, {"knots", "values"}),
    "ideal": (IdealPoint, {"position", "loss", "scale"}, {"position"}),
    "table": (Table, {"values"}, {"values"}),
}


def _value(spec, where):
    if not isinstance(spec, dict) or "kind" not in spec:
        raise CaseError(f"{where}: expected a table such as {{ kind = 'linear', slope = 1 }}")
    kind = spec["kind"]
    if kind not in _VALUE_KINDS:
        raise CaseError(f"{where}.kind: expected one of {sorted(_VALUE_KINDS)}, got {kind!r}")
    cls, allowed, required = _VALUE_KINDS[kind]
    check_keys(spec, allowed | {"kind"}, required, where)
    kwargs = {k: v for k, v in spec.items() if k != "kind"}
    return cls(**kwargs)


def _issue(spec, where):
    if not isinstance(spec, dict):
        raise CaseError(f"{where}: expected a table {{ name = ..., lo = ..., hi = ... }}")
    if "options" in spec:
        check_keys(spec, {"name", "options", "ordered", "positions"}, {"name", "options"}, where)
        return DiscreteIssue(
            spec["name"],
            spec["options"],
            ordered=spec.get("ordered", True),
            positions=spec.get("positions"),
        )
    check_keys(spec, {"name", "lo", "hi"}, {"name"}, where)
    return ContinuousIssue(spec["name"], spec.get("lo", 0.0), spec.get("hi", 1.0))


def negotiation_from_table(problem, where) -> Negotiation:
    """Build a :class:`~bargain.Negotiation` from a case's ``problem`` table."""
    issues = problem["issues"]
    if not isinstance(issues, list) or not issues:
        raise CaseError(f"{where}.issues: expected a non-empty array of issue tables")
    cons = []
    for j, c in enumerate(problem.get("constraints", [])):
        w = f"{where}.constraints[{j}]"
        if not isinstance(c, dict):
            raise CaseError(f"{w}: expected a table {{ coefficients = {{...}}, ub = ... }}")
        check_keys(c, {"coefficients", "lb", "ub"}, {"coefficients"}, w)
        cons.append(
            LinearConstraint(c["coefficients"], lb=c.get("lb", -np.inf), ub=c.get("ub", np.inf))
        )
    agenda = Agenda(
        *(_issue(s, f"{where}.issues[{j}]") for j, s in enumerate(issues)), constraints=cons
    )
    parties = []
    raw = problem["parties"]
    if not isinstance(raw, list):
        raise CaseError(f"{where}.parties: expected an array of tables ([[case.problem.parties]])")
    for j, p in enumerate(raw):
        w = f"{where}.parties[{j}]"
        if not isinstance(p, dict):
            raise CaseError(f"{w}: expected a table")
        check_keys(
            p,
            {"name", "values", "weights", "reservation", "power", "discount", "breakdown"},
            {"name", "values"},
            w,
        )
        if not isinstance(p["values"], dict) or not p["values"]:
            raise CaseError(f"{w}.values: expected a table issue -> value function")
        values = {k: _value(v, f"{w}.values.{k}") for k, v in p["values"].items()}
        utility = AdditiveUtility(values, p.get("weights"))
        parties.append(
            Party(
                p["name"],
                utility,
                p.get("reservation", 0.0),
                power=p.get("power", 1.0),
                discount=p.get("discount", 1.0),
                breakdown=p.get("breakdown", 0.0),
            )
        )
    return Negotiation(agenda, parties)


def _issue_problem(concept):
    takes_weights = concept != "kalai_smorodinsky"

    def handler(problem, where):
        allowed = {"issues", "parties", "constraints", "method", "grid", "d"}
        if takes_weights:
            allowed.add("weights")
        check_keys(problem, allowed, {"issues", "parties"}, where)
        neg = negotiation_from_table(problem, where)
        res = neg.solve(
            concept,
            problem.get("d"),
            problem.get("weights"),
            method=problem.get("method", "auto"),
            grid=problem.get("grid"),
        )
        out = {k: res[k] for k in ("utilities", "agreement", "status") if k in res}
        if "index" in res:
            out["index"] = res["index"]
        for k, name in enumerate(neg.agenda.names):
            if name in out:
                raise CaseError(f"{where}: issue name {name!r} clashes with a result field")
            out[name] = res.coded[..., k]
        return out

    return handler


def _pareto_handler(problem, where):
    check_keys(problem, {"issues", "parties", "method"}, {"issues", "parties"}, where)
    neg = negotiation_from_table(problem, where)
    U, _ = neg.pareto_frontier(method=problem.get("method", "auto"))
    order = np.lexsort((-U[:, 1], U[:, 0])) if U.shape[1] == 2 else np.lexsort(U.T[::-1])
    return {"points": U[order], "count": U.shape[0]}


for _name in ("nash", "kalai_smorodinsky", "egalitarian", "utilitarian"):
    register_concept(f"issue_{_name}", _issue_problem(_name))
register_concept("issue_pareto_frontier", _pareto_handler)
