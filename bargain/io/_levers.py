"""Lever tables (``[[levers]]`` of model files, ``levers`` of case files) -> lever records."""

from __future__ import annotations

from .._core._validate import suggest
from ..issues._agenda import DiscreteIssue
from ..mediation._levers import (
    BattlefieldShift,
    Guarantee,
    Inducement,
    PowerShift,
    SidePayment,
    SidePayments,
    Threat,
    WarCosts,
)

__all__: list[str] = []

COMMON = {
    "kind",
    "name",
    "target",
    "max_intensity",
    "description",
    "source",
    "rationale",
    "sources",
}

# kind -> (class, numeric keys with their rules, required keys)
LEVER_KINDS = {
    "threat": (
        Threat,
        {"amount": {"lo": 0.0}, "credibility": {"lo": 0.0, "hi": 1.0}, "cost": {"lo": 0.0}},
        {"amount"},
    ),
    "inducement": (Inducement, {"amount": {"lo": 0.0}, "cost": {"lo": 0.0}}, {"amount"}),
    "side_payment": (SidePayment, {"amount": {"lo": 0.0}}, {"amount"}),
    "guarantee": (
        Guarantee,
        {"value": {"lo": 0.0}, "credibility": {"lo": 0.0, "hi": 1.0}, "cost": {"lo": 0.0}},
        {"issue"},
    ),
    "power_shift": (PowerShift, {"amount": {}, "cost": {"lo": 0.0}}, {"amount"}),
    "side_payments": (SidePayments, {}, {"amounts"}),
    "battlefield": (
        BattlefieldShift,
        {
            "amount": {"lo": 0.0, "hi": 1.0, "lo_open": True},
            "credibility": {"lo": 0.0, "hi": 1.0},
            "cost": {"lo": 0.0},
        },
        {"toward", "amount"},
    ),
    "war_costs": (
        WarCosts,
        {"credibility": {"lo": 0.0, "hi": 1.0}, "cost": {"lo": 0.0}},
        {"amounts"},
    ),
}


def build_lever(c, spec, negotiation, where, *, require_name=True, war=None):
    """Validate one lever table and build its lever (its ``label`` is the table's ``name``).

    ``name`` is required in model files (``require_name``) and optional in case
    files, where the lever's default label is used without it. A
    ``battlefield`` or ``war_costs`` lever acts on ``war`` (the model's
    ``[war]``); ``side_payments`` and ``war_costs`` levers have ``amounts``
    (party -> amount) instead of a ``target``.
    """
    c.table(spec, where, "a lever table ([[levers]]) with kind, name and target")
    if "kind" not in spec:
        c.fail(where, f"missing required key 'kind' (one of {sorted(LEVER_KINDS)})")
    kind = spec["kind"]
    if not isinstance(kind, str) or kind not in LEVER_KINDS:
        c.fail(
            f"{where}.kind",
            f"expected one of {sorted(LEVER_KINDS)}, got {kind!r}"
            f"{suggest(kind, LEVER_KINDS) if isinstance(kind, str) else ''}",
        )
    cls, numeric, required = LEVER_KINDS[kind]
    extra = {"guarantee": {"issue", "options"}, "battlefield": {"toward"}}.get(kind, set())
    extra = extra | ({"amounts"} if kind in ("side_payments", "war_costs") else set())
    targeted = kind not in ("side_payments", "battlefield", "war_costs")
    needed = required | {"kind"} | ({"target"} if targeted else set())
    needed |= {"name"} if require_name else set()
    allowed = (COMMON if targeted else COMMON - {"target"}) | set(numeric) | extra
    c.keys(spec, allowed, needed, where)
    name = c.name(spec["name"], f"{where}.name") if "name" in spec else None
    if not targeted:
        return _untargeted(c, kind, cls, numeric, spec, negotiation, war, name, where)
    target = c.name(spec["target"], f"{where}.target")
    if target not in negotiation.names:
        c.fail(
            f"{where}.target",
            f"unknown party {target!r}"
            f"{suggest(target, negotiation.names)}; expected one of {list(negotiation.names)}",
        )
    kwargs = {
        k: c.number(spec[k], f"{where}.{k}", **rule) for k, rule in numeric.items() if k in spec
    }
    if "max_intensity" in spec:
        kwargs["max_intensity"] = c.number(
            spec["max_intensity"], f"{where}.max_intensity", lo=0.0, lo_open=True
        )
    args = [target]
    if kind == "guarantee":
        issue_name = c.name(spec["issue"], f"{where}.issue")
        agenda = negotiation.agenda
        if issue_name not in agenda.names:
            c.fail(
                f"{where}.issue",
                f"unknown issue {issue_name!r}"
                f"{suggest(issue_name, agenda.names)}; expected one of {list(agenda.names)}",
            )
        issue = agenda.issue(issue_name)
        options = None
        if "options" in spec:
            if not isinstance(issue, DiscreteIssue):
                c.fail(f"{where}.options", f"issue {issue_name!r} is continuous: omit 'options'")
            raw = spec["options"]
            raw = [raw] if isinstance(raw, str) else raw
            options = c.strings(raw, f"{where}.options")
            if not options:
                c.fail(f"{where}.options", "expected at least one option")
            for o in options:
                if o not in issue.options:
                    c.fail(
                        f"{where}.options",
                        f"unknown option {o!r}"
                        f"{suggest(o, issue.options)}; expected options of {list(issue.options)}",
                    )
        args += [issue_name, options]
    elif "amount" in kwargs:
        args.append(kwargs.pop("amount"))
    if "description" in spec or "source" in spec or "rationale" in spec or "sources" in spec:
        c.annotation(spec, where)
    return c.build(where, cls, *args, label=name, **kwargs)


def _untargeted(c, kind, cls, numeric, spec, negotiation, war, name, where):
    """Build a ``side_payments``, ``battlefield`` or ``war_costs`` lever (no single target)."""
    kwargs = {}
    if "max_intensity" in spec:
        kwargs["max_intensity"] = c.number(
            spec["max_intensity"], f"{where}.max_intensity", lo=0.0, lo_open=True
        )
    if "description" in spec or "source" in spec or "rationale" in spec or "sources" in spec:
        c.annotation(spec, where)
    if kind in ("side_payments", "war_costs"):
        tbl = c.table(spec["amounts"], f"{where}.amounts", "a table party -> amount")
        if not tbl:
            c.fail(f"{where}.amounts", "expected at least one party")
        for p in tbl:
            if p not in negotiation.names:
                c.fail(
                    f"{where}.amounts",
                    f"unknown party {p!r}{suggest(p, negotiation.names)}; expected one of "
                    f"{list(negotiation.names)}",
                )
        amounts = {p: c.number(v, f"{where}.amounts.{p}", lo=0.0) for p, v in tbl.items()}
        if kind == "side_payments":
            return c.build(where, cls, amounts, label=name, **kwargs)
    if war is None:
        c.fail(where, f"a {kind} lever acts on the war: the model needs a [war] table")
    if kind == "war_costs":
        kwargs.update(
            {k: c.number(spec[k], f"{where}.{k}", **r) for k, r in numeric.items() if k in spec}
        )
        return c.build(where, cls, war, amounts, label=name, **kwargs)
    toward = c.name(spec["toward"], f"{where}.toward")
    if toward not in war.names:
        c.fail(
            f"{where}.toward",
            f"unknown end-state {toward!r}{suggest(toward, war.names)}; the war's end-states "
            f"are {list(war.names)}",
        )
    kwargs.update(
        {k: c.number(spec[k], f"{where}.{k}", **rule) for k, rule in numeric.items() if k in spec}
    )
    return c.build(where, cls, war, toward, kwargs.pop("amount"), label=name, **kwargs)
