"""The parts of the main output written for a policy brief, beyond the solution tables.

Plain data first (:func:`gains`, :func:`outlook`),
then text (:func:`format_gains`, :func:`format_outlook`, :func:`verdict`), and
:func:`sections`, the whole analysis in reading order.
The outlook runs one small Monte Carlo sweep over the model's own
``[uncertainty]`` and reads from it the typology probabilities (with Monte
Carlo standard errors), P(ZOPA open) and the top sensitivities (Spearman rank
correlations with the ZOPA slack).
"""

from __future__ import annotations

import numpy as np

from ._text import fmt_value, table

__all__ = [
    "format_distribution",
    "format_gains",
    "format_outlook",
    "gains",
    "outlook",
    "sections",
    "verdict",
]

OUTLOOK_DRAWS = 400
TYPE_WORDS = {
    "settlement": "a genuine settlement",
    "symbolic": "a quick symbolic agreement",
    "frozen": "a frozen conflict",
    "failure": "failure",
}


def gains(model, solution) -> list[dict]:
    """Each party's gain over its no-deal value at a solution, and what it amounts to.

    With per-issue values on 0..1 and weights summing to 1, a party's swing on
    issue ``k`` (worst to best option) is worth its weight ``w_k``; the gain is
    expressed as the share of the swing on the party's heaviest issue.
    """
    neg = model.negotiation
    u = solution.get("utilities")
    out = []
    for i, p in enumerate(neg.parties):
        r = float(np.asarray(p.reservation))
        row = {"party": p.name, "reservation": r}
        if u is None or not solution.get("agreement"):
            row.update(gain=None)
            out.append(row)
            continue
        g = float(u[i]) - r
        row["gain"] = g
        b = neg.bound[i]
        if b.additive:
            w = {neg.agenda.names[k]: float(np.asarray(W)) for k, (_, W) in b.terms.items()}
            spans = {}
            for k, (v, W) in b.terms.items():
                issue = neg.agenda.issues[k]
                xs = (
                    b._x(k, np.arange(issue.k, dtype=float))
                    if issue.discrete
                    else np.linspace(issue.lo, issue.hi, 201)
                )
                vals = np.asarray(v(xs), dtype=float)
                spans[issue.name] = float(np.asarray(W)) * float(np.ptp(vals))
            top = max(spans, key=spans.get)
            if spans[top] > 0:
                row.update(issue=top, weight=w[top], share_of_swing=g / spans[top])
        out.append(row)
    return out


def format_gains(model, sol, concept="nash") -> str:
    """Lines: each party's gain at a concept's deal, in utility and in words."""
    rows = gains(model, sol[concept])
    if all(r["gain"] is None for r in rows):
        return f"Gains over no deal ({concept}): no agreement."
    lines = [f"Gains over no deal at the {concept.replace('_', ' ').title()} deal:"]
    for r in rows:
        text = f"  {r['party']}: {r['gain']:+.3f} (no deal {r['reservation']:.3f})"
        if "issue" in r:
            text += (
                f", {abs(r['share_of_swing']):.0%} of the swing from its worst to its best "
                f"{r['issue']} (its heaviest issue)"
            )
            if r["gain"] < 0:
                text += " lost"
        lines.append(text)
    return "\n".join(lines)


def format_distribution(model, dist) -> str:
    """The ZOPA's distribution over options: one line per issue, zero shares listed apart."""
    rows = []
    for name, shares in dist.items():
        if not shares:
            rows.append([name, "-", ""])
            continue
        seen = [f"{fmt_value(model, name, o)} {s:.0%}" for o, s in shares.items() if s > 0]
        never = [fmt_value(model, name, o) for o, s in shares.items() if s == 0]
        rows.append([name, ", ".join(seen), ", ".join(never)])
    return "How the deals inside the ZOPA distribute over each issue's options:\n" + table(
        ["issue", "share of the ZOPA's outcomes", "never in the ZOPA"], rows, ["<", "<", "<"]
    )


def outlook(model, n=OUTLOOK_DRAWS, seed=0) -> dict | None:
    """Typology (point and probabilities), P(ZOPA open) and top-3 sensitivities from a sweep.

    Returns None without an ``[uncertainty]`` table. Probabilities carry their
    Monte Carlo standard errors ``sqrt(p (1 - p) / n)``.
    """
    from ..analysis._sensitivity import spearman
    from ..analysis._sweep import sweep
    from ..mediation._typology import TYPES, typology

    out: dict = {"draws": n, "seed": seed}
    if model.ceasefire is not None:
        t = typology(model.negotiation, model.ceasefire.outcome, model.ceasefire.core)
        out["typology"] = {
            "type": str(t.type),
            "core": list(model.ceasefire.core),
            "ceasefire_slack": float(t.ceasefire_slack),
            "settlement_slack": float(t.settlement_slack),
            "framework_slack": float(t.framework_slack),
        }
    if not model.uncertain:
        return out
    res = sweep(model, n, seed=seed, progress=False)
    s = res.summary
    out["p_open"] = [float(s.loc["P(zopa open)", "mean"]), float(s.loc["P(zopa open)", "se"])]
    if "typology" in res.table:
        out["typology_probabilities"] = {
            name: [float(s.loc[f"P({name})", "mean"]), float(s.loc[f"P({name})", "se"])]
            for name in TYPES
        }
    rho = spearman(res.table, [u.path for u in model.uncertain])["rho"]
    out["sensitivities"] = [{"parameter": p, "rho": float(r)} for p, r in rho.iloc[:3].items()]
    return out


def format_outlook(model, o) -> str:
    """The typology with probabilities and the key sensitivities."""
    lines = []
    if "typology" in o:
        t = o["typology"]
        lines.append(
            "Outcome type (bargain.typology; reference: the ceasefire at the current line; core "
            f"issues {', '.join(t['core'])}): {TYPE_WORDS[t['type']]} at the model's values"
        )
        if "typology_probabilities" in o:
            probs = ", ".join(
                f"{name} {p:.2f} ± {se:.2f}"
                for name, (p, se) in o["typology_probabilities"].items()
            )
            lines.append(
                f"  under the model's uncertainty ({o['draws']} draws, seed {o['seed']}, ± one "
                f"Monte Carlo standard error): {probs}"
            )
    if "p_open" in o:
        p, se = o["p_open"]
        lines.append(f"P(ZOPA open) = {p:.2f} ± {se:.2f} over the same draws.")
    if o.get("sensitivities"):
        lines.append(
            "Key sensitivities (Spearman rank correlation with the ZOPA slack over the draws):"
        )
        for r in o["sensitivities"]:
            lines.append(f"  {r['parameter']}: rho = {r['rho']:+.2f}")
    return "\n".join(lines)


def sections(model, *, ranges=True) -> list[tuple[str, str]]:
    """The analysis of a model as ``(key, text)`` blocks in reading order.

    The keys: ``verdict``, ``solutions``, ``gains``, ``zopa`` (with its
    per-issue ranges when ``ranges``), ``distribution`` (enumerated agendas),
    ``outlook`` and ``leverage``. The main output prints them; the report
    gives them headings.
    """
    from ._text import (
        format_leverage,
        format_solutions,
        format_zopa,
        leverage_rows,
        solve_all,
        zopa_summary,
    )

    sol = solve_all(model)
    z = zopa_summary(model)
    o = outlook(model)
    parts = [
        ("verdict", verdict(model, sol, z, o)),
        ("solutions", format_solutions(model, sol)),
        ("gains", format_gains(model, sol)),
        ("zopa", format_zopa(model, z, ranges=ranges)),
    ]
    if z.get("distribution") is not None:
        parts.append(("distribution", format_distribution(model, z["distribution"])))
    parts.append(("outlook", format_outlook(model, o)))
    parts.append(("leverage", format_leverage(model, *leverage_rows(model))))
    return parts


def verdict(model, sol, z, o) -> str:
    """One plain-language line: is there a deal, which, and how likely each outcome is."""
    nash = sol["nash"]
    if z["empty"]:
        head = (
            f"no package is acceptable to every party whose consent counts (the parties are "
            f"{-z['slack']:.3f} apart at the closest point)"
        )
    else:
        head = "a deal exists"
        if nash.get("agreement") and nash.get("outcome"):
            terms = ", ".join(f"{k} {fmt_value(model, k, v)}" for k, v in nash["outcome"].items())
            head += f"; the Nash deal is {terms}"
    tail = ""
    probs = o.get("typology_probabilities") if o else None
    if probs:
        best = max(probs, key=lambda k: probs[k][0])
        p, se = probs[best]
        tail = (
            f"; the most likely outcome under the model's uncertainty is {TYPE_WORDS[best]} "
            f"(P = {p:.2f} ± {se:.2f})"
        )
    elif o and "typology" in o:
        tail = f"; at the model's values the outcome is {TYPE_WORDS[o['typology']['type']]}"
    if o and o.get("sensitivities"):
        tail += f"; it hinges most on {o['sensitivities'][0]['parameter']}"
    return f"Verdict: {head}{tail}."
