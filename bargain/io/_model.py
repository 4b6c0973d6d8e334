"""Model files: negotiations, levers, uncertainty and sources as TOML data.

A model file is TOML (read with :mod:`tomllib`; never evaluated, never
unpickled), validated completely on load. Every error is a
:class:`ModelError` whose message names the file, the key path and what was
expected; unknown keys are rejected with a did-you-mean. The format is
documented in ``docs/model-format.md``; the agenda and party tables are
built by the same builder as benchmark case files and sweeps
(:mod:`bargain.io._tables`).

Top-level tables: ``[model]`` (name, title, description, sources),
``[[issues]]``, ``[[constraints]]``, ``[[parties]]``, ``[war]`` (the value of
fighting on, from which reservation values are derived), ``[front]`` (a
front line over time, from which reservation paths are derived), ``[mediator]``,
``[[levers]]``, ``[uncertainty]``, ``[notes]`` and ``[history]``.
"""

from __future__ import annotations

import copy
import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np

from .._core._checker import Checker, type_name
from .._core._errors import ModelError
from .._core._validate import suggest
from ..issues._agenda import Agenda
from ..issues._negotiation import Negotiation, Party
from ..mediation._levers import Mediator
from ._levers import build_lever
from ._tables import (
    ANNOTATION,
    TimePath,
    _whole_outcome,
    apply_front,
    apply_war,
    negotiation_from_tables,
)
from ._toml import dumps

__all__ = [
    "Ceasefire",
    "Model",
    "ModelError",
    "TimePath",
    "Uncertain",
    "bundled_models",
    "load_model",
    "save_model",
]

FORMAT_VERSION = 1

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
    "war",
    "front",
    "decision",
    "status_quo",
    "ceasefire",
}
MODEL_KEYS = {"name", "title", "description", "format", "sources", "notes"}
MEDIATOR_KEYS = {"name", "budget"} | ANNOTATION
UNCERTAIN_KEYS = {"dist", "lo", "hi", "mode", "mean", "sd", "a", "b", "source", "rationale"}
NOTE_KEYS = {"source", "rationale"}
CEASEFIRE_KEYS = {"outcome", "core"} | ANNOTATION
HISTORY_KEYS = {"settled", "year", "summary", "outcome", "sources", "hindsight"}
DISTRIBUTIONS = {
    "uniform": ({"lo", "hi"}, set()),
    "triangular": ({"lo", "mode", "hi"}, set()),
    "normal": ({"mean", "sd", "lo", "hi"}, set()),
    "beta": ({"a", "b"}, {"lo", "hi"}),
}


# -- result objects --------------------------------------------------------------------


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
class Ceasefire:
    """The ceasefire at the current line: a reference outcome and the core issues."""

    outcome: Mapping
    core: tuple[str, ...]
    description: str = ""
    source: str = ""


@dataclass(frozen=True)
class History:
    """What actually happened in a historical case."""

    settled: bool
    year: int | None = None
    summary: str = ""
    outcome: Mapping = field(default_factory=dict)
    sources: tuple[str, ...] = ()
    hindsight: str = ""


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
    war : War or None
        The ``[war]`` table's :class:`~bargain.War`: the reservation values of
        the parties that give none are derived from it.
    ceasefire : Ceasefire or None
        The ``[ceasefire]`` table: the ceasefire at the current line (a whole
        outcome) and the core issues, for :func:`~bargain.typology`.
    front : FrontLine or None
        The ``[front]`` table's :class:`~bargain.FrontLine`: the reservation
        values (at date 0) of the parties that give none, and every party's
        reservation path for :func:`~bargain.ripeness`.

    Examples
    --------
    >>> import bargain as bg
    >>> m = bg.load_model("camp_david_1978")
    >>> m.name, m.file
    ('camp_david_1978', 'camp_david_1978.toml (bundled)')
    >>> m.agenda.names
    ('sinai_returned', 'sinai_settlements', 'recognition', 'palestinian_question')
    >>> m.mediator.labels  # the [[levers]] names
    ('aid_to_egypt', 'us_assurances_israel')
    >>> m.uncertain[0].path, m.uncertain[0].support  # uniform on [0.2, 0.5]
    ('parties.Egypt.reservation', (0.2, 0.5))
    >>> m.history.settled, m.history.year
    (True, 1978)
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
    war: object = None
    front: object = None
    ceasefire: Ceasefire | None = None

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
        """Every numeric parameter by key path (what ``[uncertainty]`` may name).

        Returns
        -------
        dict of str to float
            Key path -> value, e.g. ``"parties.Egypt.reservation"``. Table
            values are listed twice: by option index and by option label.

        Examples
        --------
        >>> import bargain as bg
        >>> p = bg.load_model("camp_david_1978").parameters()
        >>> p["parties.Egypt.reservation"], p["parties.Egypt.weights.sinai_returned"]
        (0.35, 0.45)
        >>> key = "parties.Israel.values.recognition.values"
        >>> p[key + ".1"], p[key + ".peace_treaty"]  # option 1 is "peace_treaty"
        (0.6, 0.6)
        """
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
                    f"{self.file}: no numeric parameter {path!r}{suggest(path, known)}"
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
        """The unit of an issue ("" if none).

        Parameters
        ----------
        issue : str
            The issue's name.

        Returns
        -------
        str
            The ``unit`` of its ``[[issues]]`` table.

        Examples
        --------
        >>> import bargain as bg
        >>> m = bg.load_model("dayton_1995")
        >>> m.unit("federation_share"), m.unit("brcko")  # brcko is discrete: no unit
        ('share of Bosnia', '')
        """
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
    war = doc.get("war", {})
    for k, x in war.items():
        if k == "end_states":
            for st in x:
                for key in ("outcome", "probability"):
                    walk(f"war.end_states.{st['name']}.{key}", st.get(key, {}))
        elif k not in ANNOTATION:
            walk(f"war.{k}", x)
    for p, x in doc.get("front", {}).get("cost_per_period", {}).items():
        walk(f"front.cost_per_period.{p}", x)
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
    elif head == "war" and name == "end_states":
        node = next(x for x in doc["war"]["end_states"] if x["name"] == rest[0])
        rest = rest[1:]
        if rest[0] == "probability":
            node.setdefault("probability", {})
    elif head in ("war", "front"):
        node, rest = doc[head], parts[1:]
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


def _uncertain(c: Checker, key, spec, known: dict, where) -> Uncertain:
    w = f"{where}.{_quote(key)}"
    if key not in known:
        c.fail(
            w,
            f"no numeric parameter {key!r}{suggest(key, known)}; "
            "key paths look like 'parties.<name>.reservation'",
        )
    c.table(spec, w, "a distribution table such as { dist = 'uniform', lo = 0, hi = 1 }")
    c.keys(spec, UNCERTAIN_KEYS, {"dist"}, w)
    dist = spec["dist"]
    if not isinstance(dist, str) or dist not in DISTRIBUTIONS:
        c.fail(
            f"{w}.dist",
            f"expected one of {sorted(DISTRIBUTIONS)}, got {type_name(dist)}"
            f"{suggest(dist, DISTRIBUTIONS)}",
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
    c = Checker(source)
    c.table(doc, "", "a TOML document")
    c.keys(doc, TOP_KEYS, {"model", "issues", "parties"}, "top level")
    meta = c.table(doc["model"], "model", "a [model] table")
    c.keys(meta, MODEL_KEYS, {"name"}, "model")
    name = c.identifier(meta["name"], "model.name")
    title = c.string(meta.get("title", name), "model.title")
    description = c.string(meta.get("description", ""), "model.description", nonempty=False)
    if "format" in meta:
        c.integer(meta["format"], "model.format", 1, FORMAT_VERSION)
    sources = tuple(c.strings(meta.get("sources", []), "model.sources"))
    if "notes" in meta:
        c.string(meta["notes"], "model.notes", nonempty=False)

    negotiation, units, paths = negotiation_from_tables(c, doc)
    negotiation, war = apply_war(c, doc, negotiation)
    front = None
    if "front" in doc:
        if "war" in doc:
            c.fail(
                "front",
                "give either [war] (a one-off lottery or a war of attrition) or [front] (a "
                "front line over time), not both",
            )
        for i, p in enumerate(doc["parties"]):
            if "reservation_path" in p:
                c.fail(
                    f"parties[{i}].reservation_path",
                    "the [front] table derives every party's reservation path: leave out "
                    "reservation_path, or the [front]",
                )
        negotiation, front = apply_front(c, doc, negotiation)
    agenda, parties = negotiation.agenda, negotiation.parties
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

    levers, lever_specs = _levers(c, doc.get("levers", []), negotiation, war)
    mediator = None
    med = {}
    if "mediator" in doc:
        med = c.table(doc["mediator"], "mediator", "a [mediator] table")
        c.keys(med, MEDIATOR_KEYS, {"name"}, "mediator")
        c.name(med["name"], "mediator.name")
        c.annotation(med, "mediator")
        # a mediator may also be a party: a biased mediator with interests of its own
        # (Kydd 2003); its utility then enters the negotiation like any party's
        if "budget" in med:
            c.number(med["budget"], "mediator.budget", lo=0.0)
    if levers:
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
            c.fail(w, f"no numeric parameter {key!r}{suggest(key, known)}")
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
                c.fail(w, f"unknown issue {k!r}{suggest(k, agenda.names)}")
            issue = agenda.issue(k)
            if issue.discrete:
                if not isinstance(v, str) or v not in issue.options:
                    c.fail(
                        w, f"expected one of the options {list(issue.options)}, got {type_name(v)}"
                    )
                outcome[k] = v
            else:
                outcome[k] = c.number(v, w, lo=issue.lo, hi=issue.hi)
        hindsight = c.string(h.get("hindsight", ""), "history.hindsight", nonempty=False)
        history = History(settled, year, summary, outcome, hs, hindsight)

    ceasefire = None
    if "ceasefire" in doc:
        cf = c.table(doc["ceasefire"], "ceasefire", "a [ceasefire] table { outcome, core }")
        c.keys(cf, CEASEFIRE_KEYS, {"outcome", "core"}, "ceasefire")
        c.annotation(cf, "ceasefire")
        free = type(agenda)(*agenda.issues)
        outcome = _whole_outcome(c, cf["outcome"], free, "ceasefire.outcome", "the ceasefire")
        core = c.strings(cf["core"], "ceasefire.core")
        if not core:
            c.fail("ceasefire.core", "expected at least one core issue")
        for k in core:
            if k not in agenda.names:
                c.fail("ceasefire.core", f"unknown issue {k!r}{suggest(k, agenda.names)}")
        ceasefire = Ceasefire(
            outcome,
            tuple(core),
            cf.get("description", ""),
            cf.get("source", cf.get("rationale", "")),
        )

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
        war=war,
        front=front,
        ceasefire=ceasefire,
        units=units,
        file=source,
        data=copy.deepcopy(doc),
    )
    if check_ranges and uncertain:
        _check_ranges(c, model)
    return model


def _levers(c: Checker, raw, negotiation, war=None):
    if not isinstance(raw, list):
        c.fail("levers", f"expected an array of lever tables ([[levers]]), got {type_name(raw)}")
    levers, specs, names = [], [], []
    for j, s in enumerate(raw):
        w = f"levers[{j}]"
        lever = build_lever(c, s, negotiation, w, war=war)
        names.append(s["name"])
        levers.append(lever)
        specs.append(dict(s))
    c.unique(names, "levers", "lever")
    return tuple(levers), tuple(specs)


def _check_ranges(c: Checker, model: Model) -> None:
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


MAX_MODEL_BYTES = 8 * 2**20  # model files are hand-written: the bundled ones are < 40 kB


def _read(path_or_name) -> tuple[str, str]:
    if isinstance(path_or_name, Path) or (
        isinstance(path_or_name, str)
        and (path_or_name.endswith(".toml") or "/" in path_or_name or "\\" in path_or_name)
    ):
        p = Path(path_or_name)
        try:
            size = p.stat().st_size
            if size > MAX_MODEL_BYTES:
                raise ModelError(
                    f"{p}: {size:,} bytes; a model file may hold at most {MAX_MODEL_BYTES:,} "
                    "bytes (large data belong in a table the model refers to)"
                )
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
            f"no bundled model {path_or_name!r}{suggest(path_or_name, names)} and no such "
            f"file; bundled models: {', '.join(sorted(names))}"
        )
    return entry.read_text(encoding="utf-8"), f"{path_or_name}.toml (bundled)"


def loads_model(text: str, source: str = "<string>") -> Model:
    """Parse and validate model text (TOML; a leading UTF-8 byte-order mark is ignored)."""
    if not isinstance(text, str):
        raise TypeError(f"`text` must be a str of TOML, got {type(text).__name__}")
    if len(text) > MAX_MODEL_BYTES:
        raise ModelError(
            f"{source}: {len(text):,} characters; a model may hold at most {MAX_MODEL_BYTES:,}"
        )
    text = text.removeprefix("\ufeff")  # editors on Windows write one
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
