"""The handlers of the built-in benchmark-case concepts, as one explicit table.

A handler takes the case's ``problem`` table and ``where`` (the
``file: case[i] (id).problem`` prefix of error messages) and returns a mapping
of result fields that ``[case.expected]`` is compared against; it raises
:class:`~bargain.CaseError` for a malformed problem. :data:`HANDLERS` maps
each concept name to its handler; the runner copies it into its registry
(nothing registers itself on import).

Problem tables by concept:

- ``nash``, ``kalai_smorodinsky``, ``egalitarian``, ``utilitarian``:
  ``points`` (m x n) or ``frontier`` (``{kind = "split", v1, v2, scale}`` or
  ``{kind = "power", k, scale}``), ``d``, optionally ``hull`` and ``weights``;
  ``pareto_frontier``: ``points``.
- ``issue_<concept>``, ``issue_pareto_frontier``: a negotiation (``issues``,
  ``constraints``, ``parties``, ``decision``, ``status_quo``; encoded as in
  :mod:`bargain.io._tables`) and
  ``method``, ``grid``, ``d``, ``weights``; fields ``utilities``,
  ``agreement``, ``status``, ``index`` and one per issue (the value of a
  continuous issue, the option *index* of a discrete one).
- ``rubinstein``: ``delta`` with ``frontier`` (or the unit pie), or a
  negotiation (``issues``, ``parties``); ``d``, ``first``, ``breakdown``,
  ``outside``, ``horizon``. ``rubinstein_costs``: ``costs``, ``first``.
  ``rubinstein_nash_limit``: ``rates``, ``frontier``, ``d``,
  ``breakdown_rate``, ``outside``.
- ``zopa``: a negotiation (with ``d``, ``samples``, ``seed``) or ``points`` /
  ``frontier`` with ``d`` (``hull``, ``delta``, ``breakdown``);
  ``price_zopa``: ``seller_min``, ``buyer_max``; ``fearon_range``: ``p``,
  ``cost_a``, ``cost_b``, ``p_a``, ``p_b``, ``utility_a``, ``utility_b``
  (value-function tables as in model files, e.g. ``{ kind = "power", exponent = 2 }``).
- ``war``: ``end_states`` (a table name -> outcome, with a negotiation; or an
  array of utility vectors), ``probabilities`` (party -> one per end-state, or
  an array), ``costs`` or ``cost_per_period`` with ``hazard`` and ``discount``;
  fields ``reservation``, ``expected_utility``, ``optimism`` and, with a
  negotiation, ``zopa_empty``, ``slack`` and ``range_<issue>``.
- ``front_line``: a negotiation with a ``front`` table (as in model files)
  and ``dates`` (integer periods); fields ``reservation_path`` (dates x n),
  ``slack`` and ``ripe_time`` along it, ``values`` (date 0) and
  ``stationary_values`` (states x n).
- ``risk_return``: ``p``, ``cost_a``, and ``cost_b`` (a distribution table
  ``{ dist = "uniform", lo, hi }``, ``"normal"`` with ``mean``, ``sd``, or
  ``"beta"`` with ``a``, ``b``, ``lo``, ``hi``) or ``cost_b_sample``;
  ``p_a``, ``p_b``. ``risk_return_package``: a negotiation with
  ``reservation`` (a distribution table) or ``sample``, ``proposer``,
  ``grid``; fields ``utilities``, ``acceptance``, ``war_probability``,
  ``expected`` and one per issue.
- ``mediated_information``: ``p``, ``cost_a``, ``cost_low``, ``cost_high``,
  ``prob_low``, ``accuracy``, ``bias``, ``mediator_war_cost``.
- ``commitment``: ``p`` (the path of A's victory probability), ``cost_a``,
  ``cost_b``, ``delta``, ``guarantee``, ``credibility``.
  ``self_enforcing``: a negotiation with ``war_values`` (T x n) or
  ``war_values_by_outcome`` (N x T x n, outcomes in enumeration order),
  ``guarantee``, ``credibility``; fields ``self_enforcing``, ``shortfall``,
  ``best_shortfall``, ``guarantee_needed`` and ``best_<issue>`` (option index).
- ``leverage``: a negotiation with ``levers`` (lever tables as in model
  files, ``name`` optional; a ``war`` table as in model files for
  ``battlefield`` and ``war_costs`` levers), ``intensity`` and optionally
  ``threshold`` (the index of the lever whose threshold to find); ``variable_threat`` and
  ``security_levels``: ``A``, ``B``, ``transferable``.
- ``genius_<concept>``: ``domain_xml``, ``profiles_xml`` (texts), ``names``,
  ``method``, ``d``.
- ``spatial``: ``table`` (CSV text) or ``position``, ``salience``, ``power``,
  ``status_quo``; ``loss``.
- ``voting_core``: ``actors``, ``position`` (n x K), ``decision`` (a
  ``[decision]`` table), optionally ``status_quo``; fields ``core``,
  ``empty``, ``pivots``, ``win_set``, ``in_core``.
- ``typology``: a negotiation and ``ceasefire`` (a whole outcome), ``core``
  (issue names), optionally ``d``; fields ``code`` (0 settlement, 1 symbolic,
  2 frozen, 3 failure), ``ceasefire_ok``, ``ceasefire_slack``,
  ``settlement_slack``, ``framework_slack``, ``settlement`` and ``framework``
  (coded witnesses, NaN when none).
- ``single_text``, ``shuttle``: a negotiation and ``start`` (an outcome table),
  with the options of :func:`bargain.single_text` / :func:`bargain.shuttle`
  (``revision``, ``clauses``, ``step``, ``threshold``, ``fatigue``, ``bias``,
  ``target``, ``grid``, ``order``, ``max_rounds``); fields ``rounds``,
  ``stop``, ``utilities``, ``pareto``, ``in_zopa``, ``nash_distance``, one per
  issue (the final text: value or option index) and, for ``shuttle``,
  ``offers`` and ``visits``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np

from .._core._checker import Checker
from .._core._errors import CaseError
from ..analysis._ripeness import ripeness
from ..conflict._commitment import commitment, self_enforcing
from ..conflict._information import mediated_information, risk_return, risk_return_package
from ..conflict._war import War
from ..io._genius import read_genius
from ..io._levers import build_lever
from ..io._spatial import read_spatial
from ..io._tables import (
    apply_war,
    front_from_table,
    negotiation_from_tables,
    value_from_table,
)
from ..issues._agenda import ContinuousIssue
from ..mediation._leverage import lever_threshold, leverage
from ..mediation._threat_games import security_levels, variable_threat
from ..solutions import _axiomatic
from ..solutions._rubinstein import rubinstein, rubinstein_costs, rubinstein_nash_limit
from ..solutions._spatial import SpatialModel, voting_core
from ..utility._frontier import Frontier
from ..utility._pareto import pareto_frontier
from ..zopa._kernels import polygon_area
from ..zopa._utility import fearon_range, price_zopa, utility_zopa
from ..zopa._zopa import zopa

__all__ = ["HANDLERS", "check_keys", "frontier_from_table", "negotiation_from_table"]

NEGOTIATION_KEYS = {"issues", "parties", "constraints", "decision", "status_quo"}


def check_keys(table, allowed, required, where: str) -> None:
    """Reject unknown keys (with a did-you-mean) and missing required keys of a case table."""
    Checker("", CaseError).keys(table, allowed, required, where)


def negotiation_from_table(problem, where: str):
    """The :class:`~bargain.Negotiation` of a case's ``issues``/``constraints``/``parties``."""
    neg, _, _ = negotiation_from_tables(Checker("", CaseError), problem, where)
    return neg


def frontier_from_table(spec, where: str) -> Frontier:
    """A :class:`~bargain.Frontier` from ``{kind = "split", ...}`` or ``{kind = "power", ...}``."""
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


# -- utility space -------------------------------------------------------------------


def _utility_problem(concept):
    solver = getattr(_axiomatic, concept)
    takes_weights = concept != "kalai_smorodinsky"

    def handler(problem, where):
        allowed = {"points", "frontier", "d", "hull"} | ({"weights"} if takes_weights else set())
        check_keys(problem, allowed, {"d"}, where)
        if ("points" in problem) == ("frontier" in problem):
            raise CaseError(f"{where}: give exactly one of `points` or `frontier`")
        if "frontier" in problem:
            S = frontier_from_table(problem["frontier"], f"{where}.frontier")
        else:
            S = problem["points"]
        kwargs = {"hull": problem.get("hull", False)}
        if takes_weights:
            kwargs["weights"] = problem.get("weights")
        return solver(S, problem["d"], **kwargs)

    return handler


def _pareto(problem, where):
    check_keys(problem, {"points"}, {"points"}, where)
    return {"mask": pareto_frontier(problem["points"])}


# -- issue space ---------------------------------------------------------------------


def _issue_fields(neg, res, where):
    out = {k: res[k] for k in ("utilities", "agreement", "status", "index") if k in res}
    for k, name in enumerate(neg.agenda.names):
        if name in out:
            raise CaseError(f"{where}: issue name {name!r} clashes with a result field")
        out[name] = res.coded[..., k]
    return out


def _issue_problem(concept):
    takes_weights = concept != "kalai_smorodinsky"

    def handler(problem, where):
        allowed = NEGOTIATION_KEYS | {"method", "grid", "d"}
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
        return _issue_fields(neg, res, where)

    return handler


def _issue_pareto(problem, where):
    check_keys(problem, NEGOTIATION_KEYS | {"method"}, {"issues", "parties"}, where)
    neg = negotiation_from_table(problem, where)
    U, _ = neg.pareto_frontier(method=problem.get("method", "auto"))
    order = np.lexsort((-U[:, 1], U[:, 0])) if U.shape[1] == 2 else np.lexsort(U.T[::-1])
    return {"points": U[order], "count": U.shape[0]}


# -- alternating offers --------------------------------------------------------------


def _optional_frontier(problem, where):
    """The problem's ``frontier`` table as a Frontier, or None (the unit pie)."""
    if "frontier" not in problem:
        return None
    return frontier_from_table(problem["frontier"], f"{where}.frontier")


def _rubinstein(problem, where):
    game = {"d", "first", "breakdown", "outside", "horizon", "hull"}
    if "issues" in problem:
        check_keys(problem, NEGOTIATION_KEYS | game, {"issues", "parties"}, where)
        neg = negotiation_from_table(problem, where)
        res = rubinstein(
            neg,
            d=problem.get("d"),
            first=problem.get("first", 0),
            breakdown=problem.get("breakdown"),
            outside=problem.get("outside"),
            horizon=problem.get("horizon"),
            hull=problem.get("hull", False),
        )
        fields = dict(res)
        coded = neg.agenda.encode
        if res.outcome is not None:
            fields["outcome"] = [float(v) for v in np.ravel(coded(res.outcome))]
        if "proposal_outcomes" in res:
            fields["proposal_outcomes"] = [
                [float(v) for v in np.ravel(coded(o))] for o in res.proposal_outcomes
            ]
        if "lottery_outcomes" in res:
            fields["lottery_probabilities"] = [p for p, _ in res.lottery_outcomes]
            fields["lottery_outcomes"] = [
                [float(v) for v in np.ravel(coded(o))] for _, o in res.lottery_outcomes
            ]
        return fields
    check_keys(problem, game | {"delta", "frontier", "points", "protocol"}, {"delta"}, where)
    if "points" in problem and "frontier" in problem:
        raise CaseError(f"{where}: give `frontier` or `points`, not both")
    space = problem["points"] if "points" in problem else _optional_frontier(problem, where)
    return rubinstein(
        problem["delta"],
        space,
        problem.get("d"),
        first=problem.get("first", 0),
        breakdown=problem.get("breakdown"),
        outside=problem.get("outside"),
        horizon=problem.get("horizon"),
        hull=problem.get("hull", False),
        protocol=problem.get("protocol"),
    )


def _rubinstein_costs(problem, where):
    check_keys(problem, {"costs", "first"}, {"costs"}, where)
    return rubinstein_costs(problem["costs"], first=problem.get("first", 0))


def _rubinstein_limit(problem, where):
    check_keys(problem, {"rates", "frontier", "d", "breakdown_rate", "outside"}, {"rates"}, where)
    return rubinstein_nash_limit(
        problem["rates"],
        _optional_frontier(problem, where),
        problem.get("d"),
        breakdown_rate=problem.get("breakdown_rate", 0.0),
        outside=problem.get("outside"),
    )


# -- zones of possible agreement -----------------------------------------------------


def _zopa(problem, where):
    if "issues" in problem:
        check_keys(
            problem, NEGOTIATION_KEYS | {"d", "samples", "seed"}, {"issues", "parties"}, where
        )
        neg = negotiation_from_table(problem, where)
        res = zopa(
            neg, problem.get("d"), samples=problem.get("samples", 20_000), rng=problem.get("seed")
        )
        out = {k: res[k] for k in ("empty", "slack", "share", "robust_utilities") if k in res}
        out["ranges"] = np.stack([res.ranges[name] for name in neg.agenda.names])
        out["robust"] = res.robust_coded
        for key in ("polygon", "count", "share_se"):
            if key in res:
                out[key] = res[key]
        if "polygon" in res:
            out["area"] = polygon_area(res.polygon)
        return out
    check_keys(problem, {"points", "frontier", "d", "hull", "delta", "breakdown"}, {"d"}, where)
    if ("points" in problem) == ("frontier" in problem):
        raise CaseError(f"{where}: give exactly one of `issues`, `points` or `frontier`")
    if "frontier" in problem:
        S = frontier_from_table(problem["frontier"], f"{where}.frontier")
        res = utility_zopa(
            S, problem["d"], delta=problem.get("delta"), breakdown=problem.get("breakdown", 0.0)
        )
    else:
        res = utility_zopa(problem["points"], problem["d"], hull=problem.get("hull", False))
    out = {k: res[k] for k in ("empty", "slack", "surplus", "robust_utilities", "ideal")}
    for key in ("endpoints", "t_range", "frontier", "inside"):
        if key in res:
            out[key] = res[key]
    for name, u in res.solutions.items():
        out[name] = u
    for name, pos in res.get("positions", {}).items():
        out[f"{name}_position"] = pos
    return out


def _price_zopa(problem, where):
    check_keys(problem, {"seller_min", "buyer_max"}, {"seller_min", "buyer_max"}, where)
    return dict(price_zopa(problem["seller_min"], problem["buyer_max"]))


def _fearon(problem, where):
    keys = {"p", "cost_a", "cost_b", "p_a", "p_b", "utility_a", "utility_b"}
    check_keys(problem, keys, {"p", "cost_a", "cost_b"}, where)
    share = ContinuousIssue("share")
    utilities = {
        k: value_from_table(Checker("", CaseError), problem[k], share, f"{where}.{k}")
        for k in ("utility_a", "utility_b")
        if k in problem
    }
    res = fearon_range(
        problem["p"],
        problem["cost_a"],
        problem["cost_b"],
        p_a=problem.get("p_a"),
        p_b=problem.get("p_b"),
        **utilities,
    )
    return dict(res)


# -- conflict ------------------------------------------------------------------------


def _war(problem, where):
    war_keys = {"end_states", "probabilities", "costs", "cost_per_period", "hazard", "discount"}
    check_keys(problem, NEGOTIATION_KEYS | war_keys, {"end_states", "probabilities"}, where)
    neg = negotiation_from_table(problem, where) if "issues" in problem else None
    kwargs = {
        k: problem[k] for k in ("costs", "cost_per_period", "hazard", "discount") if k in problem
    }
    war = War(problem["end_states"], problem["probabilities"], **kwargs)
    out = {
        "reservation": war.reservation(neg),
        "expected_utility": war.expected_utility(neg),
        "optimism": war.optimism(neg),
    }
    if neg is not None:
        z = zopa(war.apply(neg))
        out["zopa_empty"], out["slack"] = z.empty, z.slack
        for name in neg.agenda.names:
            out[f"range_{name}"] = z.ranges[name]
    return out


def _front_line(problem, where):
    check_keys(
        problem, NEGOTIATION_KEYS | {"front", "dates"}, {"issues", "parties", "front"}, where
    )
    c = Checker("", CaseError)
    neg = negotiation_from_table(problem, where)
    front = front_from_table(c, problem["front"], neg, f"{where}.front")
    dates = problem.get("dates", [0])
    if not isinstance(dates, list) or not all(
        isinstance(t, int) and not isinstance(t, bool) for t in dates
    ):
        raise CaseError(f"{where}.dates: expected an array of integer periods")
    r = ripeness(neg, front=front, times=np.array(dates))
    V = front.values(neg)
    return {
        "reservation_path": r.reservation,
        "slack": r.slack,
        "ripe_time": r.ripe_time,
        "values": V[0],
        "stationary_values": V[-1],
    }


def _commitment(problem, where):
    keys = {"p", "cost_a", "cost_b", "delta", "guarantee", "credibility"}
    check_keys(problem, keys, {"p", "cost_a", "cost_b", "delta"}, where)
    res = commitment(
        problem["p"],
        problem["cost_a"],
        problem["cost_b"],
        delta=problem["delta"],
        guarantee=problem.get("guarantee", 0.0),
        credibility=problem.get("credibility", 1.0),
    )
    return dict(res)


def _self_enforcing(problem, where):
    keys = NEGOTIATION_KEYS | {"war_values", "war_values_by_outcome", "guarantee", "credibility"}
    check_keys(problem, keys, {"issues", "parties"}, where)
    neg = negotiation_from_table(problem, where)
    if ("war_values" in problem) == ("war_values_by_outcome" in problem):
        raise CaseError(f"{where}: give exactly one of `war_values` or `war_values_by_outcome`")
    if "war_values" in problem:
        wv = problem["war_values"]
    else:
        table = np.asarray(problem["war_values_by_outcome"], dtype=float)

        def wv(X):
            return table

    res = self_enforcing(
        neg,
        wv,
        guarantee=problem.get("guarantee", 0.0),
        credibility=problem.get("credibility", 1.0),
    )
    out = {k: res[k] for k in ("self_enforcing", "shortfall", "best_shortfall", "guarantee_needed")}
    best = neg.agenda.encode(res.best)
    for k, name in enumerate(neg.agenda.names):
        out[f"best_{name}"] = best[k]
    return out


def _mediated_information(problem, where):
    keys = {"p", "cost_a", "cost_low", "cost_high", "prob_low", "accuracy", "bias"}
    keys |= {"mediator_war_cost"}
    check_keys(problem, keys, {"p", "cost_a", "cost_low", "cost_high", "prob_low"}, where)
    kw = {k: problem[k] for k in ("accuracy", "bias", "mediator_war_cost") if k in problem}
    res = mediated_information(
        problem["p"],
        problem["cost_a"],
        problem["cost_low"],
        problem["cost_high"],
        problem["prob_low"],
        **kw,
    )
    return dict(res)


def _distribution(spec, where):
    """A frozen scipy.stats distribution from ``{ dist = "uniform", lo, hi }`` (or normal, beta)."""
    import scipy.stats as stats

    if not isinstance(spec, dict) or "dist" not in spec:
        raise CaseError(f"{where}: expected a table such as {{ dist = 'uniform', lo = 0, hi = 1 }}")
    kinds = {
        "uniform": ({"lo", "hi"}, lambda t: stats.uniform(t["lo"], t["hi"] - t["lo"])),
        "normal": ({"mean", "sd"}, lambda t: stats.norm(t["mean"], t["sd"])),
        "beta": (
            {"a", "b", "lo", "hi"},
            lambda t: stats.beta(t["a"], t["b"], t["lo"], t["hi"] - t["lo"]),
        ),
    }
    dist = spec["dist"]
    if dist not in kinds:
        raise CaseError(f"{where}.dist: expected one of {sorted(kinds)}, got {dist!r}")
    keys, build = kinds[dist]
    check_keys(spec, keys | {"dist"}, keys, where)
    return build(spec)


def _risk_return(problem, where):
    check_keys(
        problem, {"p", "cost_a", "cost_b", "cost_b_sample", "p_a", "p_b"}, {"p", "cost_a"}, where
    )
    dist = _distribution(problem["cost_b"], f"{where}.cost_b") if "cost_b" in problem else None
    res = risk_return(
        problem["p"],
        problem["cost_a"],
        dist,
        cost_b_sample=problem.get("cost_b_sample"),
        p_a=problem.get("p_a"),
        p_b=problem.get("p_b"),
    )
    return dict(res)


def _risk_return_package(problem, where):
    keys = NEGOTIATION_KEYS | {"reservation", "sample", "proposer", "grid"}
    check_keys(problem, keys, {"issues", "parties"}, where)
    neg = negotiation_from_table(problem, where)
    dist = None
    if "reservation" in problem:
        dist = _distribution(problem["reservation"], f"{where}.reservation")
    res = risk_return_package(
        neg,
        dist,
        sample=problem.get("sample"),
        proposer=problem.get("proposer", 0),
        grid=problem.get("grid"),
    )
    out = {k: res[k] for k in ("utilities", "acceptance", "war_probability", "expected")}
    for k, name in enumerate(neg.agenda.names):
        out[name] = res.coded[k]
    return out


# -- mediation -----------------------------------------------------------------------


def _leverage(problem, where):
    check_keys(
        problem,
        NEGOTIATION_KEYS | {"levers", "intensity", "threshold", "war"},
        {"issues", "parties", "levers", "intensity"},
        where,
    )
    c = Checker("", CaseError)
    neg = negotiation_from_table(problem, where)
    neg, war = apply_war(c, problem, neg, f"{where}.war")
    if not isinstance(problem["levers"], list):
        raise CaseError(f"{where}.levers: expected an array of lever tables")
    levers = [
        build_lever(c, s, neg, f"{where}.levers[{j}]", require_name=False, war=war)
        for j, s in enumerate(problem["levers"])
    ]
    res = leverage(neg, levers, problem["intensity"], concepts=["zopa", "nash"], derivatives=False)
    out = {
        "slack": res.zopa.slack,
        "reservation": res.reservation,
        "nash_utilities": res.nash.utilities,
        "nash_coded": res.nash.coded,
        "nash_agreement": res.nash.agreement,
    }
    if "threshold" in problem:
        j = problem["threshold"]
        if isinstance(j, bool) or not isinstance(j, int) or not 0 <= j < len(levers):
            raise CaseError(f"{where}.threshold: expected a lever index, got {j!r}")
        out["threshold"] = lever_threshold(neg, levers[j], xtol=1e-12).threshold
    return out


def _security_levels(problem, where):
    check_keys(problem, {"A", "B", "transferable"}, {"A", "B"}, where)
    res = security_levels(
        problem["A"], problem["B"], transferable=problem.get("transferable", False)
    )
    out = {
        "security": res.security,
        "utilities": res.utilities,
        "agreement": res.agreement,
        "row_strategy": res.strategies[0],
        "col_strategy": res.strategies[1],
    }
    if res.variable_threat is not None:
        out["variable_threat_utilities"] = res.variable_threat.utilities
        out["variable_threat_point"] = res.variable_threat.threat_point
    return out


def _variable_threat(problem, where):
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


# -- data formats --------------------------------------------------------------------


def _genius_problem(concept):
    def handler(problem, where):
        check_keys(
            problem,
            {"domain_xml", "profiles_xml", "names", "method", "d"},
            {"domain_xml", "profiles_xml"},
            where,
        )
        texts = problem["profiles_xml"]
        if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
            raise CaseError(f"{where}.profiles_xml: expected an array of strings (XML texts)")
        with tempfile.TemporaryDirectory() as tmp:
            dom = Path(tmp) / "domain.xml"
            dom.write_text(str(problem["domain_xml"]), encoding="utf-8")
            profs = []
            for j, t in enumerate(texts):
                profs.append(Path(tmp) / f"party{j + 1}.xml")
                profs[-1].write_text(t, encoding="utf-8")
            neg = read_genius(dom, profs, names=problem.get("names"))
        res = neg.solve(concept, problem.get("d"), method=problem.get("method", "auto"))
        out = {k: res[k] for k in ("utilities", "agreement", "index") if k in res}
        for k, name in enumerate(neg.agenda.names):
            if name in out:
                raise CaseError(f"{where}: issue name {name!r} clashes with a result field")
            out[name] = res.coded[..., k]
        return out

    return handler


def _spatial(problem, where):
    check_keys(
        problem,
        {"table", "position", "salience", "power", "status_quo", "loss"},
        set(),
        where,
    )
    if "table" in problem:
        if any(k in problem for k in ("position", "salience", "power")):
            raise CaseError(f"{where}: give either `table` or the arrays, not both")
        with tempfile.TemporaryDirectory() as tmp:
            f = Path(tmp) / "table.csv"
            f.write_text(str(problem["table"]), encoding="utf-8")
            model = read_spatial(f, status_quo=problem.get("status_quo"))
    else:
        check_keys(problem, set(problem), {"position", "salience", "power", "status_quo"}, where)
        pos = np.array(problem["position"], dtype=float)
        n, K = pos.shape
        model = SpatialModel(
            [f"a{i}" for i in range(n)],
            [f"i{k}" for k in range(K)],
            problem["power"],
            pos,
            problem["salience"],
            problem["status_quo"],
        )
    res = model.nash(loss=problem.get("loss", "quadratic"))
    return {
        "nash": res.x,
        "agreement": res.agreement,
        "compromise": model.compromise(),
        "weighted_median": model.weighted_median(),
        "parties": int(np.count_nonzero(model.stake.any(axis=1))),
    }


def _typology(problem, where):
    from ..mediation._typology import typology

    check_keys(
        problem,
        NEGOTIATION_KEYS | {"ceasefire", "core", "d"},
        {"issues", "parties", "ceasefire", "core"},
        where,
    )
    neg = negotiation_from_table(problem, where)
    res = typology(neg, problem["ceasefire"], problem["core"], problem.get("d"))
    out = {
        k: res[k]
        for k in ("code", "ceasefire_ok", "ceasefire_slack", "settlement_slack", "framework_slack")
    }
    out["settlement"] = res.settlement_coded
    out["framework"] = res.framework_coded
    return out


_PROCEDURE_KEYS = {
    "start",
    "clauses",
    "step",
    "threshold",
    "grid",
    "max_rounds",
}


def _procedure(kind):
    def handler(problem, where):
        from ..mediation._procedure import shuttle, single_text

        extra = {"order"} if kind == "shuttle" else {"revision", "fatigue", "bias", "target"}
        allowed = NEGOTIATION_KEYS | _PROCEDURE_KEYS | extra
        check_keys(problem, allowed, {"issues", "parties", "start"}, where)
        neg = negotiation_from_table(problem, where)
        kw = {k: problem[k] for k in (_PROCEDURE_KEYS | extra) - {"start"} if k in problem}
        fn = shuttle if kind == "shuttle" else single_text
        try:
            res = fn(neg, dict(problem["start"]), **kw)
        except (TypeError, ValueError) as e:
            raise CaseError(f"{where}: {e}") from None
        out = {
            k: res[k] for k in ("rounds", "stop", "utilities", "pareto", "in_zopa", "nash_distance")
        }
        if kind == "shuttle":
            out.update(offers=res.offers, visits=res.visits)
        for k, name in enumerate(neg.agenda.names):
            if name in out:
                raise CaseError(f"{where}: issue name {name!r} clashes with a result field")
            out[name] = res.coded[k]
        return out

    return handler


def _voting_core(problem, where):
    from ..io._tables import decision_from_table

    check_keys(
        problem,
        {"actors", "position", "decision", "status_quo"},
        {"actors", "position", "decision"},
        where,
    )
    actors = list(problem["actors"])
    rule = decision_from_table(
        Checker("", CaseError), problem["decision"], actors, f"{where}.decision"
    )
    res = voting_core(problem["position"], rule, actors, problem.get("status_quo"))
    out = {"core": res.core, "empty": res.empty, "pivots": res.pivots}
    for key in ("win_set", "in_core"):
        if key in res:
            out[key] = res[key]
    return out


_CONCEPTS = ("nash", "kalai_smorodinsky", "egalitarian", "utilitarian")

HANDLERS = {
    **{c: _utility_problem(c) for c in _CONCEPTS},
    "pareto_frontier": _pareto,
    **{f"issue_{c}": _issue_problem(c) for c in _CONCEPTS},
    "issue_pareto_frontier": _issue_pareto,
    "rubinstein": _rubinstein,
    "rubinstein_costs": _rubinstein_costs,
    "rubinstein_nash_limit": _rubinstein_limit,
    "zopa": _zopa,
    "price_zopa": _price_zopa,
    "fearon_range": _fearon,
    "war": _war,
    "front_line": _front_line,
    "risk_return": _risk_return,
    "mediated_information": _mediated_information,
    "commitment": _commitment,
    "self_enforcing": _self_enforcing,
    "risk_return_package": _risk_return_package,
    "leverage": _leverage,
    "variable_threat": _variable_threat,
    "security_levels": _security_levels,
    **{f"genius_{c}": _genius_problem(c) for c in _CONCEPTS},
    "spatial": _spatial,
    "voting_core": _voting_core,
    "typology": _typology,
    "single_text": _procedure("single_text"),
    "shuttle": _procedure("shuttle"),
}
