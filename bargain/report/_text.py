"""The text of a model's analysis: the tables ``bargain`` prints and the report embeds.

Plain data first (:func:`solve_all`, :func:`zopa_summary`,
:func:`leverage_rows`), then fixed-width text (:func:`format_solutions`,
:func:`format_zopa`, :func:`format_leverage`).
"""

from __future__ import annotations

import math

__all__ = [
    "fmt",
    "fmt_value",
    "format_leverage",
    "format_solutions",
    "format_zopa",
    "header",
    "leverage_rows",
    "plain",
    "solve_all",
    "table",
    "yes",
    "zopa_distribution",
    "zopa_summary",
]

CONCEPTS = ("nash", "kalai_smorodinsky", "egalitarian", "utilitarian", "rubinstein")
SHORT = {
    "nash": "Nash",
    "kalai_smorodinsky": "Kalai-Smor.",
    "egalitarian": "Egalitarian",
    "utilitarian": "Utilitarian",
    "rubinstein": "Rubinstein",
}


# -- formatting ------------------------------------------------------------------------


def table(headers, rows, align=None) -> str:
    """Aligned plain-text table: first column left-aligned, the others right-aligned.

    Examples
    --------
    >>> print(table(["a", "b"], [["x", "1.0"], ["yy", "22"]]))
    a     b
    --  ---
    x   1.0
    yy   22
    """
    cols = list(zip(*([headers, *rows]), strict=True))
    widths = [max(len(str(c)) for c in col) for col in cols]
    align = align or ["<"] + [">"] * (len(headers) - 1)

    def line(cells):
        return "  ".join(
            f"{c!s:{a}{w}}" for c, a, w in zip(cells, align, widths, strict=True)
        ).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def fmt_value(model, issue, value) -> str:
    """An issue value for people: option labels, or a number with the issue's unit."""
    if isinstance(value, str):
        return value
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    unit = model.unit(issue)
    v = float(value)
    text = f"{v:.3f}" if abs(v) < 10 else f"{v:.1f}"
    return f"{text} {unit}".rstrip() if unit else text


def fmt(x, digits=3) -> str:
    """A number with ``digits`` decimals; ``-`` for a missing value (None, NaN)."""
    if x is None or (isinstance(x, (float, int)) and math.isnan(float(x))):
        return "-"
    v = float(x)
    return "-" if math.isnan(v) else f"{v:.{digits}f}"


# -- analysis --------------------------------------------------------------------------


def _rubinstein(neg):
    """Rubinstein SPE as plain data.

    Divisible issues: the SPE on the frontier. Discrete or mixed agendas: the
    unique SPE when the parties may agree on lotteries over packages (or over
    discrete combinations), with ``lottery``; and, without lotteries, the
    frequent-offer limit (``limit``; for a discrete agenda also the number
    of stationary SPE).
    """
    from ..solutions._rubinstein import nash_limit_weights, rubinstein

    A = neg.agenda
    try:
        res = rubinstein(neg, hull=bool(A.discrete))
    except ValueError as exc:
        return None, str(exc)
    out = {
        "agreement": bool(res.agreement),
        "outcome": None if res.outcome is None else _plain_outcome(res.outcome),
        "utilities": [float(u) for u in res.utilities] if res.agreement else None,
    }
    if res.agreement and neg.governed:
        # played by the veto players; every party's utility is that of the lottery
        out["utilities"] = _lottery_utilities(neg, res.lottery_outcomes)
    if not A.discrete:
        return out, ""
    out["method"] = "SPE with lotteries over " + (
        "packages" if not A.continuous else "discrete combinations"
    )
    out["lottery"] = [
        {"p": float(p), "outcome": _plain_outcome(o)} for p, o in res.lottery_outcomes
    ]
    if A.continuous:
        lim = neg.solve("nash", weights=nash_limit_weights(neg))
        n = None
    else:
        lim = rubinstein(neg)
        n = int(lim.n_stationary)
    agree = bool(lim.agreement)
    out["limit"] = {
        "agreement": agree,
        "outcome": _plain_outcome(lim.outcome) if agree else None,
        "utilities": (
            _lottery_utilities(neg, [(1.0, lim.outcome)])
            if agree and neg.governed
            else [float(u) for u in lim.utilities]
        ),
        "n_stationary": n,
    }
    what = "package" if not A.continuous else "deal"
    if not res.agreement:
        return out, (
            f"no {what} and no lottery over {what}s is strictly better than the reservation "
            "values for both: no agreement"
        )
    note = (
        f"the unique SPE when the parties may agree on a lottery over two {what}s "
        "(probabilities shown where they differ)"
    )
    if n is not None:
        note += (
            f"; over packages alone there {'is' if n == 1 else 'are'} {n} stationary SPE "
            "(finitely many alternatives: not unique, Muthoo 1991)"
        )
    else:
        note += "; without lotteries the frontier is not concave and the SPE need not be unique"
    note += (
        ", and the frequent-offer limit (sweep column rubinstein_limit) is the Nash "
        f"{what} with powers 1/-ln(delta_i)"
    )
    if agree:
        u = out["limit"]["utilities"]
        note += ", utilities " + " / ".join(f"{x:.3f}" for x in u)
    if neg.governed:
        vetoes = [neg.names[i] for i in neg.veto_players]
        note += (
            f"; offers alternate between the veto players {' and '.join(vetoes)} over the "
            "packages every required party accepts"
        )
    return out, note


def _lottery_utilities(neg, lottery) -> list[float]:
    import numpy as np

    total = np.zeros(neg.n)
    for p, o in lottery:
        total += float(p) * np.asarray(neg.utilities(dict(o.items())), dtype=float)
    return [float(u) for u in total]


def _plain_outcome(outcome) -> dict:
    return {k: plain(v) for k, v in outcome.items()}


def solve_all(model) -> dict:
    """Every solution concept of a model's negotiation, as plain data."""
    neg = model.negotiation
    out = {}
    for c in CONCEPTS[:-1]:
        res = neg.solve(c)
        agree = bool(res.agreement)
        out[c] = {
            "agreement": agree,
            "outcome": _plain_outcome(res.outcome) if agree else None,
            "utilities": [float(u) for u in res.utilities],
        }
    rub, note = _rubinstein(neg)
    out["rubinstein"] = rub if rub is not None else {"agreement": None, "note": note}
    if rub is not None and note:
        out["rubinstein"]["note"] = note
    return out


def plain(v):
    """A JSON-ready value: strings as they are, numbers as floats, NaN and infinities as None."""
    if isinstance(v, str):
        return v
    v = float(v)
    return v if math.isfinite(v) else None


def zopa_summary(model, samples=4000) -> dict:
    """The ZOPA of a model as plain data (slack, robust deal, ranges, share)."""
    import numpy as np

    from ..zopa._zopa import zopa

    z = zopa(model.negotiation, samples=samples, rng=0)
    ranges = {}
    A = model.agenda
    for name, r in z.ranges.items():
        issue = A.issue(name)
        if np.any(np.isnan(r)):
            ranges[name] = None
        elif issue.discrete:
            ranges[name] = [issue.options[k] for k in range(issue.k) if z.options[name][k]]
        else:
            ranges[name] = [float(r[0]), float(r[1])]
    return {
        "empty": bool(z.empty),
        "slack": float(z.slack),
        "distribution": zopa_distribution(model, z),
        "share": float(z.share),
        "share_method": str(z.share_method),
        "robust_outcome": _plain_outcome(z.robust_outcome),
        "robust_utilities": [float(u) for u in z.robust_utilities],
        "ranges": ranges,
        "reservation": [float(r) for r in model.negotiation.reservation],
    }


def zopa_distribution(model, z) -> dict | None:
    """How the outcomes inside the ZOPA distribute over each discrete issue's options.

    ``z`` is the model's :func:`bargain.zopa` result. Returns issue ->
    {option: share of the ZOPA's outcomes}, or None when the ZOPA did not
    enumerate the outcomes (continuous issues: see its ranges).
    """
    import numpy as np

    if "inside" not in z or "coded_outcomes" not in z or np.ndim(z.inside) != 1:
        return None
    A = model.agenda
    X = np.asarray(z.coded_outcomes)[np.asarray(z.inside)]
    out = {}
    for k, issue in enumerate(A.issues):
        if not issue.discrete or len(X) == 0:
            out[issue.name] = {}
            continue
        counts = np.bincount(X[:, k].astype(int), minlength=issue.k) / len(X)
        out[issue.name] = {o: float(c) for o, c in zip(issue.options, counts, strict=True)}
    return out


def format_solutions(model, sol) -> str:
    """The solutions as an aligned table: issues and utilities by concept."""
    heads = ["", *(SHORT[c] for c in CONCEPTS)]
    rows = []
    for name in model.agenda.names:
        row = [name]
        for c in CONCEPTS:
            row.append(_cell(model, name, sol[c]))
        rows.append(row)
    for i, p in enumerate(model.negotiation.names):
        row = [f"utility of {p}"]
        for c in CONCEPTS:
            u = sol[c].get("utilities")
            row.append(fmt(u[i]) if u else "-")
        rows.append(row)
    res = model.negotiation.reservation
    for i, p in enumerate(model.negotiation.names):
        row = [f"gain of {p}"]
        for c in CONCEPTS:
            u = sol[c].get("utilities")
            ok = sol[c].get("agreement")
            row.append(f"{u[i] - float(res[i]):+.3f}" if (u and ok) else "-")
        rows.append(row)
    rows.append(["agreement", *(yes(sol[c].get("agreement")) for c in CONCEPTS)])
    text = table(heads, rows)
    notes = []
    if sol["rubinstein"].get("note"):
        what = "" if sol["rubinstein"].get("agreement") is not None else " (alternating offers)"
        notes.append(f"Rubinstein{what}: {sol['rubinstein']['note']}")
    d = ", ".join(
        f"{p} {float(r):.3f}"
        for p, r in zip(model.negotiation.names, model.negotiation.reservation, strict=True)
    )
    lines = [
        f"{p.name} never accepts "
        + "; ".join(
            f"{k} {'/'.join(v)}"
            if not isinstance(v, dict)
            else f"{k} "
            + " or ".join(f"{'below' if b == 'min' else 'above'} {x:g}" for b, x in v.items())
            for k, v in p.red_lines.items()
        )
        for p in model.negotiation.parties
        if p.red_lines
    ]
    if lines:
        notes.append("Red lines (outcomes across them are no deal): " + "; ".join(lines) + ".")
    source = " from the war ([war]: the value of fighting on)" if model.war is not None else ""
    from ..issues._diagnose import utility_range

    ranges = utility_range(model.negotiation)
    scale = (
        ""
        if ranges is None
        else "; utilities over the agenda's outcomes: "
        + ", ".join(
            f"{p} {lo:.3g} to {hi:.3g}"
            for p, lo, hi in zip(model.negotiation.names, *ranges, strict=True)
        )
    )
    notes.append(f"Reservation values (no deal){source}: {d}{scale}.")
    return text + "\n" + "\n".join(notes)


def _cell(model, name, s) -> str:
    """One issue's value in a solution; a lottery shows both options where they differ."""
    if s.get("outcome"):
        return fmt_value(model, name, s["outcome"][name])
    lot = s.get("lottery")
    if not lot or not s.get("agreement"):
        return "-"
    values = [fmt_value(model, name, part["outcome"][name]) for part in lot]
    if len(set(values)) == 1:
        return values[0]
    return " / ".join(f"{v} {part['p']:.2f}" for v, part in zip(values, lot, strict=True))


def yes(a) -> str:
    return "n/a" if a is None else ("yes" if a else "no")


def format_zopa(model, z, ranges=True) -> str:
    """The ZOPA summary in words and a table of issue ranges (or the robust deal only)."""
    status = "OPEN" if not z["empty"] else "CLOSED"
    lines = [
        f"ZOPA: {status}; slack {z['slack']:+.3f} (the smallest surplus over a reservation value "
        f"at the most robust deal; negative: how far apart the parties are)",
        f"Share of the outcome space inside the ZOPA: {z['share']:.1%} ({z['share_method']})",
        "",
    ]
    if not ranges:
        deal = ", ".join(f"{k} {fmt_value(model, k, v)}" for k, v in z["robust_outcome"].items())
        lines.append(f"Most robust deal (largest smallest surplus): {deal}")
        return "\n".join(lines[:2] + lines[3:])
    rows = []
    for name in model.agenda.names:
        r = z["ranges"][name]
        if r is None:
            rng = "-"
        elif model.agenda.issue(name).discrete:
            rng = ", ".join(r)
        else:
            rng = f"{fmt_value(model, name, r[0])} .. {fmt_value(model, name, r[1])}"
        rows.append([name, fmt_value(model, name, z["robust_outcome"][name]), rng])
    lines.append(
        table(["issue", "most robust deal", "range inside the ZOPA"], rows, ["<", "<", "<"])
    )
    return "\n".join(lines)


def header(model) -> str:
    title = model.title
    return f"{title}\n{'=' * len(title)}\n{model.description}".rstrip()


# -- leverage --------------------------------------------------------------------------


def leverage_rows(model) -> tuple[list, str]:
    """Per lever: effect on the ZOPA slack and the Nash deal at its affordable intensity.

    Each lever alone, at the largest intensity within its ``max_intensity``
    and the mediator's budget, through :func:`bargain.leverage`.
    """
    from ..mediation._leverage import leverage

    if not model.levers:
        return [], "the model has no levers"
    return _leverage_api(model, leverage), "bargain.leverage"


def _leverage_api(model, leverage):
    import numpy as np

    levers = model.levers
    t = np.array([_intensity(lv, model.mediator.budget) for lv in levers])
    res = leverage(
        model.negotiation, model.mediator, np.diag(t), concepts=["zopa", "nash"], derivatives=False
    )
    base = model.negotiation.solve("nash")
    A = model.agenda
    rows = []
    for j, lv in enumerate(levers):
        row = {
            "lever": lv.label,
            "kind": lv.kind,
            "target": lv.target,
            "intensity": float(t[j]),
            "cost": float(res.cost[j]),
            "slack_change": float(res.zopa.slack_change[j]),
        }
        after = A.decode(res.nash.coded[j])
        changes = {}
        for k in A.names:
            a, b = base.outcome[k], after[k]
            if (a != b) if isinstance(a, str) else abs(float(a) - float(b)) > 1e-6:
                changes[k] = [plain(a), plain(b)]
        row["nash_changes"] = changes
        row["nash_utilities"] = [float(u) for u in res.nash.utilities[j]]
        row["nash_utility_change"] = [
            float(u - u0) for u, u0 in zip(res.nash.utilities[j], base.utilities, strict=True)
        ]
        rows.append(row)
    return rows


def _intensity(lever, budget):
    cost = float(getattr(lever, "cost", 0.0))
    t = lever.max_intensity
    if cost > 0 and math.isfinite(budget):
        t = min(t, budget / cost)
    return 1.0 if not math.isfinite(t) else t


def format_leverage(model, rows, how) -> str:
    """The leverage table."""
    if not rows:
        return f"Leverage: {how}."
    parties = model.negotiation.names
    heads = [
        "lever",
        "kind",
        "target",
        "intensity",
        "cost",
        "Δ ZOPA slack",
        *(f"Δ u {p} (Nash)" for p in parties),
        "Nash deal moves",
    ]
    out = []
    for r in rows:
        moves = "; ".join(
            f"{k}: {fmt_value(model, k, a)} -> {fmt_value(model, k, b)}"
            for k, (a, b) in r.get("nash_changes", {}).items()
        ) or r.get("note", "none")
        du = r.get("nash_utility_change")
        out.append(
            [
                r["lever"],
                r["kind"],
                r["target"],
                f"{r['intensity']:.2f}",
                f"{r['cost']:.2f}",
                f"{r['slack_change']:+.3f}" if "slack_change" in r else "-",
                *([f"{x:+.3f}" for x in du] if du else ["-"] * len(parties)),
                moves,
            ]
        )
    name = model.mediator.name
    return (
        f"Leverage of {name} (budget {model.mediator.budget:g}; each lever alone at the "
        f"largest intensity it can afford; {how})\n"
        + table(heads, out, ["<", "<", "<", ">", ">", ">", *([">"] * len(parties)), "<"])
    )
