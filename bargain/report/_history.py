r"""The bundled historical cases, scored honestly: probabilities, not point verdicts.

For each model with a ``[history]`` table, under the model's own ``[uncertainty]``:

- **P(ZOPA open)** with its Monte Carlo standard error :math:`\sqrt{p(1-p)/n}`;
  a point verdict ("the ZOPA is open") hides that a case may sit on a knife
  edge.
- **Are the signed terms inside the model's ZOPA?** The weaker, meaningful test
  of a settled case (``[history] outcome``): the terms actually signed must be
  a possible agreement of the model -- feasible (constraints, red lines) and
  acceptable to every party whose consent counts (rule slack :math:`\ge 0`,
  :mod:`bargain.issues._rules`). Reported at the model's values and as a
  probability over the draws.
- **How many issues the Nash deal gets right** at the model's values
  (discrete: the same option; continuous: within 5% of the issue's range).
- **The outcome typology** (:func:`bargain.typology`) against the model's
  ``[ceasefire]``: the type at the model's values and the four probabilities
  (settlement / symbolic / frozen / failure) over the draws.
- **Hindsight**: the model's own note of which numbers were set knowing the
  outcome (``[history] hindsight``).

:func:`history_table` returns the rows; ``bargain history --markdown`` prints
the README's table.
"""

from __future__ import annotations

import numpy as np

__all__ = ["format_history", "history_rows"]

HISTORY_DRAWS = 1_000
_TOL = 0.05


def _terms_slack(neg, coded, r):
    """Rule slack of one coded outcome under (batched) reservation values, (...)."""
    U = neg.coded_utilities(coded[None, :])  # batch + (1, n)
    return neg.rule_slack(U, coded[None, :], r)[..., 0]


def history_rows(names=None, n=HISTORY_DRAWS, seed=0) -> list[dict]:
    """One row per bundled model with a ``[history]`` table (or the models named).

    ``n`` draws per model from its ``[uncertainty]`` (``n=0``: the model's
    values only, no probabilities).

    Examples
    --------
    >>> from bargain.report._history import history_rows
    >>> row = history_rows(["good_friday_1998"], n=200)[0]
    >>> row["settled"], row["terms_inside"]
    (True, True)
    >>> 0.0 <= row["p_open"] <= 1.0
    True
    """
    from ..analysis._sweep import batched_negotiation, sweep
    from ..io._model import bundled_models, load_model

    names = list(bundled_models()) if names is None else list(names)
    rows = []
    for name in names:
        m = load_model(name)
        if m.history is None:
            continue
        h = m.history
        neg = m.negotiation
        A = neg.agenda
        row = {"model": name, "title": m.title, "settled": h.settled, "year": h.year}
        run = sweep(m, n, seed=seed, progress=False) if (m.uncertain and n > 0) else None
        if run is not None:
            row["p_open"] = float(run.summary.loc["P(zopa open)", "mean"])
            row["p_open_se"] = float(run.summary.loc["P(zopa open)", "se"])
        from ..zopa._zopa import zopa

        z = zopa(neg)
        row["slack"] = float(z.slack)
        row["hindsight"] = h.hindsight
        if m.ceasefire is not None:
            from ..mediation._typology import TYPES, typology

            row["type"] = str(typology(neg, m.ceasefire.outcome, m.ceasefire.core).type)
            if run is not None and "typology" in run.table:
                code = run.table["typology"].to_numpy()
                row["type_probabilities"] = {
                    t: float(np.mean(code == k)) for k, t in enumerate(TYPES)
                }
        if h.outcome and all(k in h.outcome for k in A.names):
            free = type(A)(*A.issues)
            coded = free.encode(dict(h.outcome))
            feasible = bool(A.feasible(coded))
            row["terms_feasible"] = feasible
            s = float(_terms_slack(neg, coded, neg.reservation))
            row["terms_slack"] = s
            row["terms_inside"] = feasible and s >= 0
            if run is not None:
                draws = {
                    c[len("param:") :]: run.table[c].to_numpy()
                    for c in run.table.columns
                    if c.startswith("param:")
                }
                bn = batched_negotiation(m, draws)
                inside = _terms_slack(bn, coded, bn.reservation) >= 0
                row["p_terms_inside"] = float(np.mean(inside & feasible))
                p = row["p_terms_inside"]
                row["p_terms_inside_se"] = float(np.sqrt(p * (1 - p) / n))
            nash = neg.solve("nash")
            if bool(nash.agreement):
                right = 0
                for k, issue in enumerate(A.issues):
                    if issue.discrete:
                        right += int(nash.coded[k] == coded[k])
                    else:
                        right += int(abs(nash.coded[k] - coded[k]) <= _TOL * (issue.hi - issue.lo))
                row["nash_matches"] = [right, len(A)]
        rows.append(row)
    return rows


def format_history(rows, markdown=True) -> str:
    """The historical table (Markdown by default, as in the README)."""

    def pm(p, se):
        return f"{p:.2f} ± {se:.2f}"

    heads = [
        "case",
        "what happened",
        "P(ZOPA open)",
        "slack (model values)",
        "signed terms in the ZOPA (model values; P over draws)",
        "Nash deal = signed terms",
        "outcome type (model values; P settlement / symbolic / frozen / failure)",
    ]
    body = []
    for r in rows:
        happened = ("settled" if r["settled"] else "no lasting settlement") + (
            f" ({r['year']})" if r.get("year") else ""
        )
        p_open = pm(r["p_open"], r["p_open_se"]) if "p_open" in r else "-"
        if "terms_inside" in r:
            terms = "yes" if r["terms_inside"] else "**no**"
            if not r["terms_feasible"]:
                terms += " (across a constraint or red line)"
            if "p_terms_inside" in r:
                terms += f"; {pm(r['p_terms_inside'], r['p_terms_inside_se'])}"
        else:
            terms = "no terms signed"
        match = (
            f"{r['nash_matches'][0]} of {r['nash_matches'][1]} issues"
            if "nash_matches" in r
            else "-"
        )
        if "type" in r:
            kind = r["type"]
            if "type_probabilities" in r:
                kind += "; " + " / ".join(f"{p:.2f}" for p in r["type_probabilities"].values())
        else:
            kind = "no [ceasefire] reference"
        body.append([r["title"], happened, p_open, f"{r['slack']:+.3f}", terms, match, kind])
    if markdown:
        lines = ["| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
        lines += ["| " + " | ".join(row) + " |" for row in body]
        return "\n".join(lines)
    from ._text import table

    return table(heads, body, ["<"] * len(heads))
