r"""Genius XML negotiation domains (ANAC): read into and write from a :class:`~bargain.Negotiation`.

The automated-negotiation community (the Genius platform and the ANAC
competitions; negmas reads the same files) stores a negotiation as one
*domain* file (the issues and their options) and one *profile* file per party
(an additive utility). The dialect read here is the one of the Genius
distribution:

- ``<issue type="discrete">`` with ``<item value=...>`` options; in a profile
  each item carries an ``evaluation``. Genius divides an option's evaluation
  by the largest evaluation of its issue, so issue values lie on ``[0, 1]``.
- ``<issue type="integer" lowerbound=... upperbound=...>``; in a profile an
  ``<evaluator ftype="linear" slope=... offset=...>`` gives the value
  :math:`\min(1, \max(0, \text{offset} + \text{slope}\,(x - \text{lowerbound})))`
  (the Genius 6+ integer evaluator). The older form with ``parameter0``
  (constant) and ``parameter1`` (slope) is evaluated at :math:`x` itself:
  :math:`\min(1, \max(0, p_0 + p_1 x))`. Bounds may also come as a
  ``<range lowerbound=... upperbound=...>`` child.
- ``<issue type="real">`` with a ``<range>`` (or bound attributes) and an
  ``<evaluator ftype="linear" parameter0=... parameter1=...>`` (clipped to
  ``[0, 1]`` like the integer form) or ``ftype="constant"`` (``parameter0``).
- ``<weight index=... value=...>`` per issue (matched to the issue with the
  same ``index``), which must sum to 1; ``<reservation value=...>`` and
  ``<discount_factor value=...>`` (absent or 0 means no discounting, the
  Genius convention).

A party's utility is :math:`u(x) = \sum_k w_k\,e_k(x_k)`. Discrete issues become
unordered :class:`~bargain.DiscreteIssue` objects with :class:`~bargain.Table`
values (the normalised evaluations); integer issues become ordered discrete
issues whose options and positions are the integers, with a
:class:`~bargain.Linear` value (a :class:`~bargain.PiecewiseLinear` one when the
clip to ``[0, 1]`` binds inside the range); real issues become
:class:`~bargain.ContinuousIssue` objects with the same value kinds.

Files are parsed with :mod:`xml.etree.ElementTree`; documents declaring
entities are refused, so no external entity is ever resolved.
"""

from __future__ import annotations

import math
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from ..issues._agenda import Agenda, ContinuousIssue, DiscreteIssue
from ..issues._negotiation import Negotiation, Party
from ..issues._utility import AdditiveUtility
from ..issues._values import Linear, PiecewiseLinear, Table

__all__ = ["read_genius", "write_genius"]

#: Largest accepted ``|sum of weights - 1|`` by default (real ANAC files are
#: rounded: the Laptop domain's weights sum to 1.00005).
WEIGHT_TOL = 1e-3


# -- reading ---------------------------------------------------------------------------


def _parse(path: Path, what: str) -> ET.Element:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ValueError(f"{what} {path}: cannot read the file: {exc.strerror}") from None
    if b"<!ENTITY" in raw:
        raise ValueError(f"{path}: XML entity declarations are not accepted")
    try:
        return ET.fromstring(raw)
    except ET.ParseError as exc:
        raise ValueError(f"{path}: not well-formed XML: {exc}") from None


def _desc(el: ET.Element) -> str:
    keys = [k for k in ("name", "index", "value") if k in el.attrib]
    inner = " ".join(f"{k}={el.get(k)!r}" for k in keys)
    return f"<{el.tag}{' ' + inner if inner else ''}>"


def _number(el: ET.Element, key: str, path: Path, *, integer: bool = False):
    raw = el.get(key)
    if raw is None:
        raise ValueError(f"{path}: element {_desc(el)} lacks the attribute {key!r}")
    try:
        value = int(raw) if integer else float(raw)
    except ValueError:
        kind = "an integer" if integer else "a number"
        raise ValueError(
            f"{path}: element {_desc(el)} attribute {key!r} must be {kind}, got {raw!r}"
        ) from None
    if not integer and not math.isfinite(value):
        raise ValueError(f"{path}: element {_desc(el)} attribute {key!r} is not finite: {raw!r}")
    return value


def _objective(root: ET.Element, path: Path) -> ET.Element:
    space = root if root.tag == "utility_space" else root.find("utility_space")
    if space is None:
        raise ValueError(f"{path}: no <utility_space> element (root is <{root.tag}>)")
    objectives = space.findall("objective")
    if len(objectives) != 1:
        raise ValueError(
            f"{path}: <utility_space> must hold exactly one <objective>, got {len(objectives)}"
        )
    obj = objectives[0]
    if obj.find("objective") is not None:
        raise ValueError(
            f"{path}: nested <objective> elements (hierarchical domains) are not supported; "
            "flatten the issues under the root objective"
        )
    return obj


def _kind(el: ET.Element, path: Path) -> str:
    kind = el.get("type") or el.get("etype") or el.get("vtype")
    if kind is None:
        kind = "discrete" if el.find("item") is not None else None
    if kind not in ("discrete", "integer", "real"):
        raise ValueError(
            f"{path}: issue {_desc(el)} has type {kind!r}; expected 'discrete', 'integer' or 'real'"
        )
    return kind


def _bounds(el: ET.Element, path: Path, integer: bool):
    src = el if "lowerbound" in el.attrib else el.find("range")
    if src is None:
        raise ValueError(
            f"{path}: issue {_desc(el)} needs lowerbound/upperbound attributes or a <range> child"
        )
    lo = _number(src, "lowerbound", path, integer=integer)
    hi = _number(src, "upperbound", path, integer=integer)
    if not lo < hi:
        raise ValueError(f"{path}: issue {_desc(el)} needs lowerbound < upperbound, got {lo}, {hi}")
    return lo, hi


def _read_domain(path: Path):
    obj = _objective(_parse(path, "domain"), path)
    issues, specs = [], []
    for el in obj.findall("issue"):
        name = el.get("name")
        if not name:
            raise ValueError(f"{path}: issue {_desc(el)} has no name")
        kind = _kind(el, path)
        if kind == "discrete":
            values = []
            for item in el.findall("item"):
                v = item.get("value")
                if v is None:
                    raise ValueError(f"{path}: issue {name!r}: {_desc(item)} has no value")
                values.append(v)
            dup = sorted({v for v in values if values.count(v) > 1})
            if dup:
                raise ValueError(f"{path}: issue {name!r}: repeated item values {dup}")
            if len(values) < 2:
                raise ValueError(f"{path}: issue {name!r} needs at least two items, got {values}")
            issues.append(DiscreteIssue(name, values, ordered=False))
            specs.append(("discrete", None))
        elif kind == "integer":
            lo, hi = _bounds(el, path, integer=True)
            opts = list(range(lo, hi + 1))
            issues.append(DiscreteIssue(name, opts, positions=opts))
            specs.append(("integer", (lo, hi)))
        else:
            lo, hi = _bounds(el, path, integer=False)
            issues.append(ContinuousIssue(name, lo, hi))
            specs.append(("real", (lo, hi)))
    if not issues:
        raise ValueError(f"{path}: the domain has no <issue> elements")
    names = [i.name for i in issues]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise ValueError(f"{path}: repeated issue names {dup}")
    return Agenda(issues), specs


def _clipped_linear(slope: float, offset: float, lo: float, hi: float):
    """``min(1, max(0, offset + slope * (x - lo)))`` on ``[lo, hi]`` as a value function."""
    f0, f1 = offset, offset + slope * (hi - lo)
    if min(f0, f1) >= 0.0 and max(f0, f1) <= 1.0:
        return Linear(slope, offset - slope * lo)
    if slope == 0.0:
        return Linear(0.0, min(1.0, max(0.0, offset)))
    knots = {lo, hi}
    for level in (0.0, 1.0):
        x = lo + (level - offset) / slope
        if lo < x < hi:
            knots.add(x)
    k = np.array(sorted(knots))
    return PiecewiseLinear(k, np.clip(offset + slope * (k - lo), 0.0, 1.0))


def _evaluator(el: ET.Element, path: Path, name: str, kind: str, lo, hi):
    ev = el.find("evaluator")
    if ev is None:
        raise ValueError(f"{path}: {kind} issue {name!r} has no <evaluator> element")
    ftype = (ev.get("ftype") or "linear").lower()
    if ftype == "constant":
        c = _number(ev, "parameter0", path)
        return Linear(0.0, min(1.0, max(0.0, c)))
    if ftype != "linear":
        raise ValueError(
            f"{path}: issue {name!r}: evaluator ftype {ftype!r} is not supported "
            "(supported: 'linear', 'constant')"
        )
    if "slope" in ev.attrib:
        if kind == "real":
            raise ValueError(
                f"{path}: real issue {name!r}: Genius reads real evaluators from "
                "parameter0 (constant) and parameter1 (slope), not slope/offset"
            )
        return _clipped_linear(_number(ev, "slope", path), _number(ev, "offset", path), lo, hi)
    p0, p1 = _number(ev, "parameter0", path), _number(ev, "parameter1", path)
    # value at x is p0 + p1 * x, i.e. offset p0 + p1 * lo relative to the lower bound
    return _clipped_linear(p1, p0 + p1 * lo, lo, hi)


def _read_profile(path: Path, agenda: Agenda, specs, name: str, weight_tol: float) -> Party:
    root = _parse(path, "profile")
    obj = _objective(root, path)
    by_name = {}
    for el in obj.findall("issue"):
        iname = el.get("name")
        if iname not in agenda.names:
            raise ValueError(
                f"{path}: issue {_desc(el)} is not in the domain; domain issues are "
                f"{list(agenda.names)}"
            )
        if iname in by_name:
            raise ValueError(f"{path}: issue {iname!r} appears twice")
        by_name[iname] = el
    missing = [n for n in agenda.names if n not in by_name]
    if missing:
        raise ValueError(f"{path}: missing evaluator(s) for domain issue(s) {missing}")
    weights_by_index = {}
    for w in obj.findall("weight"):
        idx = w.get("index")
        if idx in weights_by_index:
            raise ValueError(f"{path}: two <weight> elements with index {idx!r}")
        weights_by_index[idx] = _number(w, "value", path)
        if weights_by_index[idx] < 0:
            raise ValueError(f"{path}: weight {_desc(w)} is negative")
    values, weights = {}, {}
    for issue, (kind, bounds) in zip(agenda.issues, specs, strict=True):
        el = by_name[issue.name]
        idx = el.get("index")
        if idx not in weights_by_index:
            raise ValueError(
                f"{path}: no <weight index={idx!r}> for issue {issue.name!r} "
                f"(weights given for indices {sorted(weights_by_index)})"
            )
        weights[issue.name] = weights_by_index[idx]
        pkind = _kind(el, path)
        if pkind != kind:
            raise ValueError(
                f"{path}: issue {issue.name!r} is {pkind!r} here but {kind!r} in the domain"
            )
        if kind == "discrete":
            evals = {}
            for item in el.findall("item"):
                v = item.get("value")
                if v not in issue.options:
                    raise ValueError(
                        f"{path}: issue {issue.name!r}: {_desc(item)} is an unknown value; the "
                        f"domain's values are {list(issue.options)}"
                    )
                if "evaluation" not in item.attrib:
                    raise ValueError(
                        f"{path}: issue {issue.name!r}: {_desc(item)} has no evaluation"
                    )
                e = _number(item, "evaluation", path)
                if e < 0:
                    raise ValueError(
                        f"{path}: issue {issue.name!r}: {_desc(item)} has a negative evaluation {e}"
                    )
                evals[v] = e
            lack = [o for o in issue.options if o not in evals]
            if lack:
                raise ValueError(
                    f"{path}: issue {issue.name!r}: missing evaluation(s) for value(s) {lack}"
                )
            top = max(evals.values())
            if top <= 0:
                raise ValueError(
                    f"{path}: issue {issue.name!r}: every evaluation is 0; Genius divides by the "
                    "largest evaluation, which must be positive"
                )
            values[issue.name] = Table([evals[o] / top for o in issue.options])
        else:
            lo, hi = bounds
            if "lowerbound" in el.attrib or el.find("range") is not None:
                plo, phi = _bounds(el, path, integer=kind == "integer")
                if (plo, phi) != (lo, hi):
                    raise ValueError(
                        f"{path}: issue {issue.name!r} has bounds [{plo}, {phi}] here but "
                        f"[{lo}, {hi}] in the domain"
                    )
            values[issue.name] = _evaluator(el, path, issue.name, kind, float(lo), float(hi))
    total = sum(weights.values())
    if abs(total - 1.0) > weight_tol:
        raise ValueError(
            f"{path}: the <weight> values sum to {total!r}, not 1 (tolerance {weight_tol}); "
            f"weights: {weights}"
        )
    space = root if root.tag == "utility_space" else root.find("utility_space")
    reservation, discount = 0.0, 1.0
    el = space.find("reservation")
    if el is not None:
        reservation = _number(el, "value", path)
    el = space.find("discount_factor")
    if el is not None:
        discount = _number(el, "value", path)
        if not 0.0 <= discount <= 1.0:
            raise ValueError(f"{path}: {_desc(el)} must lie in [0, 1], got {discount}")
        if discount == 0.0:
            discount = 1.0
    return Party(name, AdditiveUtility(values, weights), reservation=reservation, discount=discount)


def _as_path(p, what: str) -> Path:
    if not isinstance(p, (str, os.PathLike)):
        raise TypeError(f"`{what}` must be a path (str or os.PathLike), got {type(p).__name__}")
    return Path(p)


def read_genius(domain, profiles, *, names=None, weight_tol: float = WEIGHT_TOL) -> Negotiation:
    r"""Read a Genius XML domain and its parties' profiles into a :class:`~bargain.Negotiation`.

    Parameters
    ----------
    domain : str or os.PathLike
        The domain file (``<negotiation_template>`` or ``<utility_space>``
        root with one ``<objective>`` holding the ``<issue>`` elements).
    profiles : sequence of str or os.PathLike
        One profile (utility space) file per party, at least two.
    names : sequence of str, optional
        Party names; the profile file names without extension by default.
    weight_tol : float, default 1e-3
        Largest accepted deviation of a profile's weight sum from 1.

    Returns
    -------
    Negotiation
        Issues as described in :mod:`bargain.io._genius`; each party has the
        profile's additive utility, ``reservation`` (0 if absent) and
        ``discount`` (1 if absent or 0).

    Raises
    ------
    ValueError
        Naming the file and the element: malformed XML, unknown issue types
        or evaluator functions, weights that do not sum to 1, item values the
        domain does not have, missing evaluations, evaluators or weights,
        bounds that disagree with the domain.

    Notes
    -----
    A discrete option's value is its evaluation divided by the largest
    evaluation of its issue (Genius's normalisation), so with weights summing
    to 1 every utility lies on :math:`[0, 1]`. Integer and real evaluators are
    clipped to :math:`[0, 1]` as Genius does.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import bargain as bg
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "dom.xml").write_text(
    ...     '<negotiation_template><utility_space><objective name="root">'
    ...     '<issue index="1" name="price" type="discrete">'
    ...     '<item index="1" value="low"/><item index="2" value="high"/></issue>'
    ...     "</objective></utility_space></negotiation_template>")
    >>> for who, lo, hi in (("buyer", 10, 2), ("seller", 1, 4)):
    ...     _ = (d / f"{who}.xml").write_text(
    ...         '<utility_space><objective name="root">'
    ...         '<issue index="1" name="price" type="discrete">'
    ...         f'<item index="1" value="low" evaluation="{lo}"/>'
    ...         f'<item index="2" value="high" evaluation="{hi}"/></issue>'
    ...         '<weight index="1" value="1.0"/></objective>'
    ...         '<reservation value="0.1"/></utility_space>')
    >>> neg = bg.read_genius(d / "dom.xml", [d / "buyer.xml", d / "seller.xml"])
    >>> neg.names
    ('buyer', 'seller')
    >>> neg.utilities({"price": ["low", "high"]})
    array([[1.  , 0.25],
           [0.2 , 1.  ]])
    >>> bg.nash(neg).outcome
    Outcome(price='low')
    """
    dpath = _as_path(domain, "domain")
    if isinstance(profiles, (str, os.PathLike)) or not isinstance(profiles, Iterable):
        raise TypeError(
            "`profiles` must be a sequence of profile paths (one per party), got "
            f"{type(profiles).__name__}"
        )
    ppaths = [_as_path(p, "profiles") for p in profiles]
    if len(ppaths) < 2:
        raise ValueError(f"`profiles` must list at least two profile files, got {len(ppaths)}")
    if names is None:
        names = [p.stem for p in ppaths]
    else:
        names = list(names)
        if len(names) != len(ppaths):
            raise ValueError(
                f"`names` must give one name per profile ({len(ppaths)}), got {len(names)}"
            )
    if isinstance(weight_tol, bool) or not (
        isinstance(weight_tol, (int, float)) and weight_tol >= 0
    ):
        raise ValueError(f"`weight_tol` must be a number >= 0, got {weight_tol!r}")
    agenda, specs = _read_domain(dpath)
    parties = [
        _read_profile(p, agenda, specs, n, float(weight_tol))
        for p, n in zip(ppaths, names, strict=True)
    ]
    return Negotiation(agenda, parties)


# -- writing ---------------------------------------------------------------------------


def _fmt(x) -> str:
    x = float(x)
    return repr(0.0 if x == 0 else x)


def _integer_issue(issue) -> bool:
    """An ordered discrete issue whose options are consecutive integers at their own positions."""
    if not issue.discrete or not issue.ordered:
        return False
    opts = issue.options
    if not all(isinstance(o, (int, np.integer)) and not isinstance(o, bool) for o in opts):
        return False
    return list(opts) == list(range(int(opts[0]), int(opts[0]) + len(opts))) and np.array_equal(
        issue.positions, np.asarray(opts, dtype=float)
    )


def _linear_fit(x, y, tol=1e-12):
    """``(slope, offset)`` with ``clip(offset + slope (x - x0), 0, 1) == y``, else ``None``."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    scale = 1.0 + float(np.max(np.abs(y)))
    inner = np.flatnonzero((y > tol * scale) & (y < 1.0 - tol * scale))
    if np.all(np.abs(y - y[0]) <= tol * scale):
        pairs = [None]
    elif inner.size >= 2:
        pairs = [(inner[0], inner[-1])]
    else:
        pairs = [(j, j + 1) for j in range(x.size - 1) if y[j] != y[j + 1]]
    for pair in pairs:
        if pair is None:
            slope, offset = 0.0, float(y[0])
        else:
            a, b = pair
            slope = (y[b] - y[a]) / (x[b] - x[a])
            offset = y[a] - slope * (x[a] - x[0])
        fit = np.clip(offset + slope * (x - x[0]), 0.0, 1.0)
        if np.all(np.abs(fit - y) <= tol * scale):
            return float(slope), float(offset)
    return None


def _terms(neg, i):
    """Party ``i``'s terms per issue: ``(weight, values at the options)`` or ``(weight, v)``."""
    b = neg.bound[i]
    out = []
    for k, issue in enumerate(neg.agenda.issues):
        if k not in b.terms:
            out.append((0.0, np.zeros(issue.k) if issue.discrete else Linear(0.0, 0.0)))
            continue
        v, w = b.terms[k]
        w = float(np.asarray(w))
        if issue.discrete:
            x = b._x(k, np.arange(issue.k, dtype=float))
            out.append((w, np.asarray(v(x), dtype=float)))
        else:
            out.append((w, v))
    return out


def _continuous_linear(v, lo, hi):
    """``(slope, constant)`` of a value function linear on ``[lo, hi]`` (checked), else ``None``."""
    x = np.linspace(lo, hi, 9)
    y = np.asarray(v(x), dtype=float)
    slope = (y[-1] - y[0]) / (hi - lo)
    const = y[0] - slope * lo
    if np.all(np.abs(const + slope * x - y) <= 1e-12 * (1.0 + np.max(np.abs(y)))):
        return float(slope), float(const)
    return None


def _unit(vals):
    span = float(np.ptp(vals))
    return (vals - vals.min()) / span if span > 0 else np.zeros_like(vals)


def _safe_stem(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "party"


def write_genius(negotiation, directory, *, domain_name: str = "domain", rescale: bool = False):
    r"""Write a :class:`~bargain.Negotiation` as Genius XML: one domain file, one profile per party.

    Parameters
    ----------
    negotiation : Negotiation
        Unbatched, additive utilities, no cross-issue constraints. Discrete
        issues whose options are consecutive integers (at positions equal to
        the options) are written as Genius integer issues when every party's
        value on them is a clipped linear function, otherwise as discrete
        issues (option labels written with ``str``); continuous issues are
        written as real issues and need linear values.
    directory : str or os.PathLike
        Created if needed. Files: ``<domain_name>.xml`` and one
        ``<party name>.xml`` per party (characters other than letters,
        digits, ``.``, ``_`` and ``-`` replaced by ``_``).
    domain_name : str, default "domain"
    rescale : bool, default False
        Genius utilities are :math:`\sum_k w_k e_k` with :math:`w \ge 0`,
        :math:`\sum_k w_k = 1` and evaluations on :math:`[0, 1]`. A party whose
        utility is not of that form is refused unless ``rescale=True``, which
        writes the positive affine transform :math:`u' = (u - c) / s` with
        :math:`c = \sum_k w_k \min v_k` and
        :math:`s = \sum_k w_k (\max v_k - \min v_k)`, and the reservation value
        transformed alike. Nash and Kalai–Smorodinsky outcomes are invariant
        under such transforms; utilitarian and egalitarian ones are not.

    Returns
    -------
    domain : Path
    profiles : list of Path
        In the order of the parties; ``bg.read_genius(domain, profiles)``
        reads them back under the same names (for names that are valid file
        names).

    Raises
    ------
    ValueError
        Naming the party and the issue that cannot be expressed.

    Notes
    -----
    Bargaining powers, breakdown risks and outside options have no Genius
    counterpart and are not written. Numbers are written with ``repr``, so a
    negotiation read from Genius files is written back exactly (integer and
    real evaluators up to rounding of the last bit).

    Examples
    --------
    >>> import tempfile
    >>> import numpy as np, bargain as bg
    >>> A = bg.Agenda(bg.DiscreteIssue("venue", ["Geneva", "Oslo", "Doha"], ordered=False))
    >>> p = [bg.Party("P1", bg.AdditiveUtility({"venue": bg.Table([1.0, 0.5, 0.0])})),
    ...      bg.Party("P2", bg.AdditiveUtility({"venue": bg.Table([0.0, 0.6, 1.0])}), 0.2)]
    >>> neg = bg.Negotiation(A, p)
    >>> dom, profs = bg.write_genius(neg, tempfile.mkdtemp())
    >>> back = bg.read_genius(dom, profs)
    >>> X = A.enumerate()
    >>> bool(np.array_equal(back.utilities(X), neg.utilities(X))), back.reservation
    (True, array([0. , 0.2]))
    """
    if not isinstance(negotiation, Negotiation):
        raise TypeError(f"`negotiation` must be a Negotiation, got {type(negotiation).__name__}")
    neg = negotiation
    if neg.batch_shape:
        raise ValueError(
            f"`negotiation` is batched (batch shape {neg.batch_shape}); write one element at a time"
        )
    for p, b in zip(neg.parties, neg.bound, strict=True):
        if not b.additive:
            raise ValueError(f"party {p.name!r}: Genius profiles need an additive utility")
    if not isinstance(rescale, (bool, np.bool_)):
        raise TypeError(f"`rescale` must be True or False, got {rescale!r}")
    if not isinstance(domain_name, str) or not domain_name.strip():
        raise TypeError(f"`domain_name` must be a non-empty string, got {domain_name!r}")
    A = neg.agenda
    if A.constraints:
        raise ValueError("Genius domains have no cross-issue constraints; the agenda has some")
    stems = [_safe_stem(p.name) for p in neg.parties]
    dup = sorted({s for s in stems if stems.count(s) > 1} | ({domain_name} & set(stems)))
    if dup:
        raise ValueError(f"party names give clashing file names {dup}; rename the parties")
    terms = [_terms(neg, i) for i in range(neg.n)]

    kinds = []
    for k, issue in enumerate(A.issues):
        if not issue.discrete:
            for p, t in zip(neg.parties, terms, strict=True):
                if _continuous_linear(t[k][1], issue.lo, issue.hi) is None:
                    raise ValueError(
                        f"party {p.name!r}, issue {issue.name!r}: Genius real issues take "
                        f"linear evaluators; {t[k][1]!r} is not linear on "
                        f"[{issue.lo}, {issue.hi}]"
                    )
            kinds.append("real")
        elif _integer_issue(issue) and all(
            _linear_fit(issue.positions, _unit(t[k][1])) is not None for t in terms
        ):
            kinds.append("integer")
        else:
            kinds.append("discrete")

    out = _as_path(directory, "directory")
    out.mkdir(parents=True, exist_ok=True)
    dom = ET.Element("negotiation_template")
    space = ET.SubElement(dom, "utility_space", number_of_issues=str(len(A)))
    obj = ET.SubElement(
        space,
        "objective",
        index="0",
        etype="objective",
        type="objective",
        description="",
        name=domain_name,
    )
    for k, (issue, kind) in enumerate(zip(A.issues, kinds, strict=True)):
        obj.append(_issue_element(issue, kind, k))
    dom_path = out / f"{domain_name}.xml"
    _write(dom, dom_path)
    paths = []
    for p, t, stem in zip(neg.parties, terms, stems, strict=True):
        path = out / f"{stem}.xml"
        _write(_profile(p, t, A, kinds, domain_name, bool(rescale)), path)
        paths.append(path)
    return dom_path, paths


def _issue_element(issue, kind, k):
    el = ET.Element("issue", index=str(k + 1), etype=kind, type=kind, vtype=kind, name=issue.name)
    if kind == "discrete":
        for j, o in enumerate(issue.options):
            ET.SubElement(el, "item", index=str(j + 1), value=str(o), cost="0", description=str(o))
    elif kind == "integer":
        el.set("lowerbound", str(int(issue.options[0])))
        el.set("upperbound", str(int(issue.options[-1])))
    else:
        ET.SubElement(el, "range", lowerbound=_fmt(issue.lo), upperbound=_fmt(issue.hi))
    return el


def _write(root, path):
    ET.indent(root)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


def _profile(party, terms, A, kinds, domain_name, rescale):
    """The profile element of one party (exact Genius form, or the affine rescale)."""
    where = f"party {party.name!r}"
    # the values of each issue as (weight, values at options | (slope, const, vmin, vmax))
    data, exact, total = [], True, 0.0
    for (w, v), issue, kind in zip(terms, A.issues, kinds, strict=True):
        if kind == "real":
            slope, const = _continuous_linear(v, issue.lo, issue.hi)
            ends = (const + slope * issue.lo, const + slope * issue.hi)
            vmin, vmax = min(ends), max(ends)
            data.append((w, (slope, const, vmin, vmax)))
            exact &= vmin >= 0 and vmax <= 1
            total += w
        else:
            vals = np.asarray(v, dtype=float)
            vmin, vmax = float(vals.min()), float(vals.max())
            data.append((w, vals))
            exact &= vmin >= 0
            if kind == "integer":
                exact &= vmax <= 1 and _linear_fit(issue.positions, vals) is not None
                total += w
            else:
                total += w * vmax
    exact &= abs(total - 1.0) <= WEIGHT_TOL
    shift, scale = 0.0, 1.0
    if not exact:
        if not rescale:
            raise ValueError(
                f"{where}: the utility is not in Genius form (weights summing to 1 over "
                "evaluations on [0, 1]); pass rescale=True to write a positive affine transform "
                "of it (Nash and Kalai–Smorodinsky outcomes are unchanged)"
            )
        lows = [w * (d[2] if isinstance(d, tuple) else float(d.min())) for w, d in data]
        spans = [w * (d[3] - d[2] if isinstance(d, tuple) else float(np.ptp(d))) for w, d in data]
        shift, scale = sum(lows), sum(spans)
        if scale <= 0:
            raise ValueError(f"{where}: the utility is constant; it cannot be rescaled")
    root = ET.Element("utility_space")
    obj = ET.SubElement(
        root,
        "objective",
        index="0",
        etype="objective",
        type="objective",
        description="",
        name=domain_name,
    )
    weights = []
    for k, ((w, d), issue, kind) in enumerate(zip(data, A.issues, kinds, strict=True)):
        el = _issue_element(issue, kind, k)
        obj.append(el)
        if kind == "discrete":
            vals = d if exact else d - d.min()
            top = float(vals.max())
            if w == 0 or top <= 0:
                ev, wk = np.ones_like(vals), 0.0
            else:
                ev, wk = vals, w * top / scale
            for item, e in zip(el.findall("item"), ev, strict=True):
                item.set("evaluation", _fmt(e))
        elif kind == "integer":
            vals, wk = (d, w) if exact else (_unit(d), w * float(np.ptp(d)) / scale)
            slope, offset = _linear_fit(issue.positions, vals)
            ET.SubElement(el, "evaluator", ftype="linear", slope=_fmt(slope), offset=_fmt(offset))
        else:
            slope, const, vmin, vmax = d
            wk = w
            if not exact:
                span = vmax - vmin
                slope, const = (slope / span, (const - vmin) / span) if span > 0 else (0.0, 0.0)
                wk = w * span / scale
            ET.SubElement(
                el, "evaluator", ftype="linear", parameter0=_fmt(const), parameter1=_fmt(slope)
            )
        weights.append(wk)
    for k, wk in enumerate(weights):
        ET.SubElement(obj, "weight", index=str(k + 1), value=_fmt(wk))
    r = float(np.asarray(party.reservation))
    ET.SubElement(root, "reservation", value=_fmt((r - shift) / scale))
    ET.SubElement(root, "discount_factor", value=_fmt(float(np.asarray(party.discount))))
    return root
