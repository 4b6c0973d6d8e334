"""Benchmark case files for leverage: register the ``leverage`` and ``variable_threat`` concepts.

A ``leverage`` case holds a negotiation (encoded as in :mod:`bargain._issue_cases`)
plus its levers and intensities::

    [case.problem]
    issues = [ { name = "x" } ]
    intensity = [1.0]                 # one per lever
    threshold = 0                     # optional: index of the lever whose threshold to find
    levers = [
      { kind = "threat", target = "A", amount = 0.1, credibility = 0.5 },
      { kind = "side_payment", target = "B", amount = 1.0 },
      { kind = "guarantee", target = "A", issue = "security", options = ["treaty"],
        value = 0.4, credibility = 0.5 },
    ]

Result fields: ``slack``, ``nash_utilities``, ``nash_coded``, ``nash_agreement``,
``threshold`` (if requested). A ``variable_threat`` case holds ``A``, ``B`` and
``transferable``; fields ``utilities``, ``threat_point``, ``row_threat``,
``col_threat``, ``value``.
"""

from __future__ import annotations

import numpy as np

from ._bench import CaseError, check_keys, register_concept
from ._levers import Guarantee, Inducement, PowerShift, SidePayment, Threat

__all__: list[str] = []

_LEVER_KINDS = {
    "threat": (Threat, {"amount", "credibility", "cost"}),
    "inducement": (Inducement, {"amount", "cost"}),
    "side_payment": (SidePayment, {"amount"}),
    "guarantee": (Guarantee, {"issue", "options", "value", "credibility", "cost"}),
    "power_shift": (PowerShift, {"amount", "cost"}),
}


def lever_from_table(spec, where):
    """A lever from a TOML table ``{ kind = ..., target = ..., ... }``."""
    if not isinstance(spec, dict) or "kind" not in spec:
        raise CaseError(f"{where}: expected a table such as {{ kind = 'threat', target = 'A' }}")
    kind = spec["kind"]
    if kind not in _LEVER_KINDS:
        raise CaseError(f"{where}.kind: expected one of {sorted(_LEVER_KINDS)}, got {kind!r}")
    cls, keys = _LEVER_KINDS[kind]
    check_keys(spec, keys | {"kind", "target", "label", "max_intensity"}, {"target"}, where)
    kw = {k: v for k, v in spec.items() if k not in ("kind", "target")}
    args = [spec["target"]]
    if kind == "guarantee":
        args.append(kw.pop("issue", None))
        args.append(kw.pop("options", None))
    elif kind != "side_payment":
        if "amount" not in kw:
            raise CaseError(f"{where}: missing required key 'amount'")
        args.append(kw.pop("amount"))
    try:
        return cls(*args, **kw)
    except (TypeError, ValueError) as exc:
        raise CaseError(f"{where}: {exc}") from None


def _leverage_case(problem, where):
    from ._issue_cases import negotiation_from_table
    from ._leverage import lever_threshold, leverage

    check_keys(
        problem,
        {"issues", "parties", "constraints", "levers", "intensity", "threshold"},
        {"issues", "parties", "levers", "intensity"},
        where,
    )
    neg = negotiation_from_table(problem, where)
    levers = [lever_from_table(s, f"{where}.levers[{j}]") for j, s in enumerate(problem["levers"])]
    res = leverage(neg, levers, problem["intensity"], concepts=["zopa", "nash"], derivatives=False)
    out = {
        "slack": res.zopa.slack,
        "nash_utilities": res.nash.utilities,
        "nash_coded": res.nash.coded,
        "nash_agreement": res.nash.agreement,
    }
    if "threshold" in problem:
        j = problem["threshold"]
        if not isinstance(j, int) or not 0 <= j < len(levers):
            raise CaseError(f"{where}.threshold: expected a lever index, got {j!r}")
        out["threshold"] = lever_threshold(neg, levers[j], xtol=1e-12).threshold
    return out


def _variable_threat_case(problem, where):
    from ._threat_games import variable_threat

    check_keys(problem, {"A", "B", "transferable"}, {"A", "B"}, where)
    res = variable_threat(
        problem["A"], problem["B"], transferable=problem.get("transferable", False)
    )
    return {
        "utilities": res.utilities,
        "threat_point": res.threat_point,
        "row_threat": res.threats[0],
        "col_threat": res.threats[1],
        "value": np.asarray(res.value),
    }


register_concept("leverage", _leverage_case)
register_concept("variable_threat", _variable_threat_case)
