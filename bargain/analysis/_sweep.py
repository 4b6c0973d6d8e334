r"""Monte Carlo sweeps over a model's uncertain parameters, chunked, resumable, distributable.

:func:`sweep` draws every parameter listed in a model file's
``[uncertainty]`` table, builds *one batched* :class:`~bargain.Negotiation`
per chunk of draws (value-function parameters, weights and reservation
values become arrays with a batch dimension) and runs the pipeline on the
whole chunk at once: the ZOPA and its slack, the Nash agreement and the
frequent-offer limit of the Rubinstein (alternating-offers) equilibrium,
``rubinstein_limit``, with each party's utility.

Reproducibility does not depend on scheduling: chunk ``i`` draws from
``numpy.random.SeedSequence(seed, spawn_key=(i,))`` (the ``i``-th child
that ``SeedSequence(seed).spawn`` would give), so a local run, a resumed
run and a Dask run with the same ``seed`` and ``chunk_size`` give identical
rows, and the summary is reduced in chunk order.

Running on a cluster. Install ``bargain[dask]`` (and the same version of
``bargain``) on the client and every worker, start a scheduler and workers
(``dask scheduler`` on one host, ``dask worker tcp://SCHEDULER:8786`` on the
others, or a ``dask_jobqueue``/``dask_kubernetes`` cluster), then pass the
address or a client::

    from dask.distributed import Client
    client = Client("tcp://SCHEDULER:8786")
    res = bg.sweep("ukraine_russia", 10**8, seed=1, scheduler=client, out="big.parquet")

or ``bargain sweep ukraine_russia -n 100000000 --dask tcp://SCHEDULER:8786
--out big.parquet``. Workers receive the model as plain data (the validated
TOML document), compute chunks and send back tables; the client writes the
chunk files, so ``out`` must be on the client's disk, and ``--resume``
works as locally. Use ``keep=False`` (the CLI does beyond 10**6 draws) so
the client holds only the summary.
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
import os
import shutil
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .._core._checker import Checker
from ..io._model import Model, _set_path, model_from_dict
from ..io._tables import apply_front, apply_war, negotiation_from_tables
from ..issues._negotiation import Negotiation
from ..solutions._rubinstein import nash_limit_weights
from ..utility._points import maxmin

__all__ = ["SweepResult", "batched_negotiation", "evaluate", "sweep"]

DEFAULT_CHUNK = 2_000
_BLOCK_OUTCOMES = 2**21  # (draw, outcome) pairs evaluated at once inside a chunk
KEEP_LIMIT = 1_000_000  # rows kept in memory by default (``keep=None``)
_TICK = 500  # draws per progress-bar tick at most
CONNECT_TIMEOUT = 10.0  # seconds to reach a Dask scheduler
_BATCHABLE = (
    "parties.",
    "war.costs.",
    "war.cost_per_period.",
    "war.hazard",
    "front.cost_per_period.",
)
_PARTY_KEYS = ("reservation", "discount", "breakdown", "power", "outside_option")


# -- the batched model -----------------------------------------------------------------


def batched_negotiation(model: Model, draws) -> Negotiation:
    """The model's negotiation with the given parameters as arrays (one batch dimension).

    Parameters
    ----------
    model : Model
        A loaded model (:func:`bargain.load_model`).
    draws : mapping of str to array_like, shape (b,)
        Key path -> values, e.g. from :meth:`Model.draw`. Paths must name
        party parameters (``parties.<name>...``): reservation values,
        discount factors, breakdown risks, powers, outside options, weights,
        value-function parameters and reservation paths. Lever parameters
        are accepted and ignored (the negotiation holds no levers).

    Returns
    -------
    Negotiation
        Batch shape ``(b,)`` (``()`` if ``draws`` is empty); element ``j``
        equals ``model.with_parameters({p: draws[p][j]}).negotiation``.

    Raises
    ------
    ValueError
        If a path names an issue or constraint parameter (the agenda is
        shared by the whole batch), or the arrays differ in length.

    Examples
    --------
    >>> import bargain as bg
    >>> from bargain.analysis._sweep import batched_negotiation
    >>> m = bg.load_model("ukraine_russia")
    >>> neg = batched_negotiation(m, m.draw(5, rng=1))
    >>> neg.batch_shape
    (5,)
    """
    if not isinstance(model, Model):
        raise TypeError(f"`model` must be a bargain Model, got {type(model).__name__}")
    doc = copy.deepcopy(model.data)
    lengths = set()
    for path, v in draws.items():
        if path.startswith("levers."):
            continue
        war_probability = path.startswith("war.end_states.") and ".probability." in path
        if not (path.startswith(_BATCHABLE) or war_probability):
            raise ValueError(
                f"`draws`: parameter {path!r} changes the agenda or the war's end-states, which "
                "a batch shares; only party parameters (parties.<name>...), the war's "
                "probabilities, costs and hazard and the front's costs can be swept"
            )
        a = np.array(v, dtype=float)
        if a.ndim != 1:
            raise ValueError(f"`draws[{path!r}]` must be one-dimensional, got shape {a.shape}")
        lengths.add(a.shape[0])
        _set_path(doc, path, a)
    if len(lengths) > 1:
        raise ValueError(f"`draws` arrays must have one length, got lengths {sorted(lengths)}")
    checker = Checker(f"{model.file} (drawn parameters)", batched=True)
    negotiation, _, _ = negotiation_from_tables(checker, doc)
    negotiation, _ = apply_war(checker, doc, negotiation)
    negotiation, _ = apply_front(checker, doc, negotiation)
    return negotiation


def evaluate(model: Model, draws, *, tick=None) -> dict[str, np.ndarray]:
    """The sweep pipeline on given parameter values: column name -> array (b,).

    Columns: ``zopa_open``, ``slack``; ``nash_agreement``, ``nash.<issue>``
    (the value of a continuous issue, the option index of a discrete one),
    ``nash.u.<party>``; the same with the prefix ``rubinstein_limit`` (the
    frequent-offer limit of alternating offers) when every party discounts or
    risks breakdown (``(1 - p_i) delta_i < 1``), else those columns are left
    out. Two-party discrete agendas also get the alternating-offers SPE with
    lotteries over packages, the command line's "Rubinstein":
    ``rubinstein_agreement``, ``rubinstein.u.<party>`` and
    ``rubinstein.p_lottery`` (the probability of the second package; 0 when
    the SPE is a package), on the hull computed as the Minkowski sum of the
    issues' option hulls. Governed negotiations (a decision rule, issue
    control, parties without veto) solve over the acceptable packages and
    play alternating offers between the two veto players. Models with a
    ``[ceasefire]`` get ``typology``: the code of :func:`bargain.typology`
    (0 settlement, 1 symbolic, 2 frozen, 3 failure).

    Examples
    --------
    >>> import bargain as bg
    >>> from bargain.analysis._sweep import evaluate
    >>> m = bg.load_model("camp_david_1978")
    >>> out = evaluate(m, {"parties.Egypt.reservation": [0.0, 0.99]})
    >>> out["zopa_open"]
    array([ True, False])
    """
    sizes = {np.shape(v)[0] for v in draws.values() if np.ndim(v) == 1}
    size = sizes.pop() if len(sizes) == 1 else None
    A = model.agenda
    neg = model.negotiation
    # a governed discrete negotiation is evaluated in cache-sized blocks of draws inside
    # (bargain.analysis._governed), and ticks the progress bar as they finish
    inner = neg.governed and not A.continuous and neg.additive
    block = max(16, _BLOCK_OUTCOMES // A.size) if not (A.continuous or inner) else math.inf
    if tick is not None and not inner:  # a progress bar ticks at least every _TICK draws
        block = min(block, _TICK)
    if size is not None and size > block:
        # blocks of draws bound the (draws, outcomes, parties) arrays; each draw's columns
        # do not depend on the others, so the rows are those of one call on all draws
        parts = []
        for j in range(0, size, block):
            part = {p: np.asarray(v)[j : j + block] for p, v in draws.items()}
            parts.append(_evaluate_block(model, part))
            if tick is not None:
                tick(min(block, size - j))
        return {key: np.concatenate([part[key] for part in parts]) for key in parts[0]}
    out = _evaluate_block(model, draws, tick if inner else None)
    if tick is not None and not inner:
        tick(size or 1)
    return out


def _evaluate_block(model: Model, draws, tick=None) -> dict[str, np.ndarray]:
    neg = batched_negotiation(model, draws)
    out = _evaluate(neg, model.ceasefire, tick)
    if model.ceasefire is not None and "typology" not in out:
        from ..mediation._typology import typology

        t = typology(neg, model.ceasefire.outcome, model.ceasefire.core)
        out["typology"] = np.broadcast_to(np.asarray(t.code), neg.batch_shape or (1,))
    return out


def _typology_column(out, neg, ceasefire, X, U, d):
    """The typology code per draw, on the outcomes and utilities the other columns use."""
    from ..mediation._typology import classify

    c = neg.agenda.encode_reference(ceasefire.outcome, "ceasefire")
    t = classify(neg, X, U, c, ceasefire.core, d)
    out["typology"] = np.broadcast_to(np.asarray(t.code), neg.batch_shape or (1,))


def _evaluate(neg, ceasefire=None, tick=None) -> dict[str, np.ndarray]:
    from ..solutions._axiomatic import nash as nash_points
    from ..zopa._zopa import zopa

    b = neg.batch_shape
    A = neg.agenda
    d = np.broadcast_to(neg.reservation, b + (neg.n,))
    powers = np.broadcast_to(neg.powers, b + (neg.n,))
    concepts = [("nash", powers)]
    a = (1.0 - neg.breakdown) * neg.discount
    if np.all(a < 1):  # the alternating-offers limit needs impatience or breakdown risk
        w = np.broadcast_to(nash_limit_weights(neg), b + (neg.n,))
        concepts.append(("rubinstein_limit", w))
    out: dict[str, np.ndarray] = {}
    if neg.governed:  # over the acceptable packages, in cache-sized blocks of draws
        from ._governed import governed_columns

        bb = b or (1,)
        concepts = [(p, np.broadcast_to(w, bb + (neg.n,))) for p, w in concepts]
        d, a = np.broadcast_to(d, bb + (neg.n,)), np.broadcast_to(a, bb + (neg.n,))
        return governed_columns(neg, concepts, d, a, bb, ceasefire, tick)
    if not A.continuous and A.size <= 2**20 and neg.additive:
        # all discrete: evaluate the utilities of every outcome once, share them
        X = A.enumerate()
        U = np.broadcast_to(neg.coded_utilities(X), b + X.shape[:1] + (neg.n,))
        slack, fallback, _ = maxmin(U, d)
        out["zopa_open"] = slack >= 0
        out["slack"] = slack
        for prefix, w in concepts:
            r = nash_points(U, d, w)
            agree = np.asarray(r.agreement)
            idx = np.where(agree, r.index, fallback)
            out[f"{prefix}_agreement"] = agree
            for k, issue in enumerate(A.issues):
                out[f"{prefix}.{issue.name}"] = X[idx, k]
            for i, name in enumerate(neg.names):
                out[f"{prefix}.u.{name}"] = np.asarray(r.utilities)[..., i]
        if neg.n == 2 and np.all(np.any(a < 1, axis=-1)):
            _rubinstein_columns(out, neg, d, b)
        if ceasefire is not None:
            _typology_column(out, neg, ceasefire, X, U, d)
        return out
    z = zopa(neg)
    out["zopa_open"] = ~np.broadcast_to(z.empty, b)
    out["slack"] = np.broadcast_to(z.slack, b)
    for prefix, w in concepts:
        r = neg.solve("nash", weights=w)
        out[f"{prefix}_agreement"] = np.broadcast_to(r.agreement, b)
        coded = np.broadcast_to(r.coded, b + (len(A),))
        for k, issue in enumerate(A.issues):
            out[f"{prefix}.{issue.name}"] = coded[..., k]
        for i, name in enumerate(neg.names):
            out[f"{prefix}.u.{name}"] = np.broadcast_to(r.utilities, b + (neg.n,))[..., i]
    return out


def _rubinstein_columns(out, neg, d, b):
    """The alternating-offers SPE with lotteries over packages, per draw (one batched call).

    The same number as the command line's "Rubinstein" for a discrete agenda
    (:func:`bargain.rubinstein` with ``hull=True``); a lottery over two packages
    has no single issue value, so the columns are the utilities and the
    probability of the second package (``rubinstein.p_lottery``, 0 for a package).
    """
    from ..issues._terms import grouped_contributions
    from ..solutions._rubinstein import rubinstein
    from ..utility._chain import minkowski_chain

    # the packages' hull is the Minkowski sum of the issues' option hulls (additive
    # utilities): its chain costs a sort of the issues' edges, not a pass over packages
    B = int(np.prod(b, dtype=np.int64))
    parts = [
        np.broadcast_to(c, b + c.shape[-2:]).reshape(B, -1, 2)
        for c in grouped_contributions(neg, b)[0]  # coupled issues as compound ones
    ]
    V = minkowski_chain(parts).reshape(b + (-1, 2))
    # d is both the status quo and the breakdown point, so only the per-round factors
    # a_i = (1 - p_i) delta_i enter the game (parties may differ in the risk they see)
    a = np.broadcast_to((1.0 - neg.breakdown) * neg.discount, b + (neg.n,))
    res = rubinstein(a, V, d, hull=True)
    out["rubinstein_agreement"] = np.broadcast_to(res.agreement, b)
    out["rubinstein.p_lottery"] = np.broadcast_to(res.p_upper, b)
    for i, name in enumerate(neg.names):
        out[f"rubinstein.u.{name}"] = np.asarray(res.utilities)[..., i]


# -- chunks ---------------------------------------------------------------------------


def _chunk_rng(seed: int, index: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(index,)))


_ALLOCATOR_TUNED = []


def _tune_allocator() -> None:
    """Let glibc keep freed chunk temporaries for reuse where a Dask nanny told it not to.

    Dask's nanny starts workers with ``MALLOC_TRIM_THRESHOLD_=65536``. Setting it
    switches off glibc's dynamic mmap threshold, so every temporary array above
    128 KiB is mapped, faulted in page by page and unmapped again: the same
    chunk then takes about 1.5x as long (system time 0.7 s -> 3.9 s for 10^4
    draws of ``ukraine_russia``). Where that variable is set, the mmap and trim
    thresholds are raised to 1 GiB once per process (``mallopt``), so the
    temporaries of one block are reused; memory stays bounded by the block
    size. Elsewhere, and off glibc, nothing changes.
    """
    if _ALLOCATOR_TUNED or "MALLOC_TRIM_THRESHOLD_" not in os.environ:
        return
    _ALLOCATOR_TUNED.append(True)
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
    except OSError:  # pragma: no cover - not glibc
        return
    m_trim_threshold, m_mmap_threshold = -1, -3
    libc.mallopt(m_mmap_threshold, 1 << 30)
    libc.mallopt(m_trim_threshold, 1 << 30)


def _run_chunk(data: dict, source: str, seed: int, index: int, start: int, size: int, tick=None):
    """One chunk: draws and pipeline columns as a pandas DataFrame (picklable inputs).

    ``tick(k)`` is called as blocks of ``k`` draws finish (a progress bar).
    """
    import pandas as pd

    _tune_allocator()

    model = data if isinstance(data, Model) else model_from_dict(data, source, check_ranges=False)
    draws = model.draw(size, _chunk_rng(seed, index))
    cols = {"draw": np.arange(start, start + size, dtype=np.int64)}
    cols.update({f"param:{k}": v for k, v in draws.items()})
    cols.update(evaluate(model, draws, tick=tick))
    return pd.DataFrame(cols)


def _options(model) -> dict:
    """Column -> option labels of the discrete issues' solution columns."""
    out = {}
    for issue in model.agenda.issues:
        if issue.discrete:
            for prefix in ("nash", "rubinstein_limit"):
                out[f"{prefix}.{issue.name}"] = tuple(issue.options)
    return out


def _moments(df, columns, options=None) -> dict:
    """Per-chunk moments for the summary: (count, mean, sum of squared deviations)."""
    out = {}
    for name, values, mask in _quantities(df, columns, options):
        v = values[mask].astype(float)
        mean = float(v.mean()) if v.size else 0.0
        out[name] = (int(v.size), mean, float(((v - mean) ** 2).sum()))
    return out


def _quantities(df, columns, options=None):
    """(summary name, values, mask) of each quantity the summary reports.

    A discrete issue's solution column is categorical: it is summarised by the
    probability of each option given agreement, ``P(nash.alignment =
    permanent_neutrality | agreement)``, never by a mean of option indices.
    """
    from ..mediation._typology import TYPES

    options = options or {}
    everyone = np.ones(len(df), bool)
    yield "P(zopa open)", df["zopa_open"].to_numpy(), everyone
    yield "slack", df["slack"].to_numpy(), everyone
    if "typology" in df:
        code = df["typology"].to_numpy()
        for k, name in enumerate(TYPES):
            yield f"P({name})", code == k, everyone
    for prefix in ("nash", "rubinstein_limit", "rubinstein"):
        if f"{prefix}_agreement" not in df:
            continue
        agree = df[f"{prefix}_agreement"].to_numpy()
        yield f"P({prefix} agreement)", agree, np.ones(len(df), bool)
        for c in columns:
            if c.startswith(f"{prefix}.") and not c.startswith(f"{prefix}.u."):
                if c in options:
                    v = df[c].to_numpy()
                    for k, label in enumerate(options[c]):
                        yield f"P({c} = {label} | agreement)", v == k, agree
                else:
                    yield f"{c} | agreement", df[c].to_numpy(), agree
        for c in columns:
            if c.startswith(f"{prefix}.u."):
                yield c, df[c].to_numpy(), np.ones(len(df), bool)


@dataclass(frozen=True)
class SweepResult:
    """A Monte Carlo sweep: the tidy table, the summary and how it was drawn.

    Attributes
    ----------
    table : pandas.DataFrame or None
        One row per draw: ``draw`` (global index), ``param:<key path>`` per
        uncertain parameter, then the pipeline columns (see
        :func:`evaluate`). ``None`` when not kept (``keep=False``).
    summary : pandas.DataFrame
        Indexed by quantity: ``n`` (draws it averages over), ``mean``,
        ``sd``, ``se`` (Monte Carlo standard error of the mean,
        ``sd / sqrt(n)``; for probabilities ``sqrt(p (1 - p) / n)``) and,
        when the table is kept, the quantiles ``q05``, ``q50``, ``q95``.
    n, seed, chunk_size, chunks : int
    out : Path or None
        The file written (``out=``).

    Examples
    --------
    >>> import bargain as bg
    >>> res = bg.sweep("syria_geneva_2012_17", 20, seed=1)
    >>> res.n, res.chunks, res.table.shape[0], res.out  # one chunk of up to 2000 draws
    (20, 1, 20, None)
    >>> int(res.table["zopa_open"].sum())  # draws with an open ZOPA
    10
    >>> res.p_open, round(res.p_open_se, 4)  # 10 / 20 and sqrt(0.5 * 0.5 / 20)
    (0.5, 0.1118)
    >>> s = res.summary.loc["P(nash.assad_role = stays | agreement)"]  # a categorical issue
    >>> int(s["n"]), float(s["mean"])  # over the 10 agreements, Assad stays in 6
    (10, 0.6)
    """

    table: object
    summary: object
    n: int
    seed: int
    chunk_size: int
    chunks: int
    out: Path | None = None

    @property
    def p_open(self) -> float:
        """Estimated probability that the ZOPA is open."""
        return float(self.summary.loc["P(zopa open)", "mean"])

    @property
    def p_open_se(self) -> float:
        """Its Monte Carlo standard error."""
        return float(self.summary.loc["P(zopa open)", "se"])

    def __repr__(self) -> str:
        return (
            f"SweepResult(n={self.n}, seed={self.seed}, chunks={self.chunks}, "
            f"P(zopa open)={self.p_open:.4f} ± {self.p_open_se:.4f})"
        )


def _summary(moments: list[dict], table, options=None):
    import pandas as pd

    names = list(moments[0]) if moments else []
    rows = {}
    for name in names:
        cnt, mean, m2 = 0, 0.0, 0.0
        for m in moments:  # Chan, Golub and LeVeque's pairwise update, in chunk order
            nb, mb, m2b = m[name]
            if nb:
                tot = cnt + nb
                delta = mb - mean
                mean += delta * nb / tot
                m2 += m2b + delta * delta * cnt * nb / tot
                cnt = tot
        mean = mean if cnt else math.nan
        sd = math.sqrt(m2 / (cnt - 1)) if cnt > 1 else math.nan
        if name.startswith("P("):
            se = math.sqrt(mean * (1 - mean) / cnt) if cnt else math.nan
        else:
            se = sd / math.sqrt(cnt) if cnt > 1 else math.nan
        rows[name] = {"n": cnt, "mean": mean, "sd": sd, "se": se}
    summary = pd.DataFrame.from_dict(rows, orient="index")
    if table is not None and len(table):
        qs = {}
        for name, values, mask in _quantities(table, table.columns, options):
            v = values[mask].astype(float)
            # a probability's draws are 0/1 indicators: their quantiles say nothing
            probability = name.startswith("P(")
            qs[name] = (
                np.quantile(v, [0.05, 0.5, 0.95]) if v.size and not probability else [math.nan] * 3
            )
        q = pd.DataFrame.from_dict(qs, orient="index", columns=["q05", "q50", "q95"])
        summary = summary.join(q)
    summary.index.name = "quantity"
    return summary


# -- files ----------------------------------------------------------------------------


def _fingerprint(model: Model, n: int, seed: int, chunk_size: int) -> dict:
    digest = hashlib.sha256(json.dumps(model.data, sort_keys=True, default=str).encode())
    return {
        "model": model.name,
        "model_sha256": digest.hexdigest(),
        "n": n,
        "seed": seed,
        "chunk_size": chunk_size,
        "format": 1,
    }


def _atomic_write(path: Path, write) -> None:
    """Write through a temporary file in the same directory, then rename over ``path``."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(fd)
    try:
        write(tmp)
        with open(tmp, "rb+") as f:  # on disk before the rename makes it visible
            os.fsync(f.fileno())
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _fsync_dir(directory: Path) -> None:
    """Make a rename in ``directory`` durable (where the platform allows it)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # e.g. Windows: directories cannot be opened
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_frame(df, path: Path) -> None:
    if path.suffix == ".csv":
        _atomic_write(path, lambda p: df.to_csv(p, index=False))
    else:
        _atomic_write(path, lambda p: df.to_parquet(p, index=False))


def _read_frame(path: Path):
    import pandas as pd

    if path.suffix == ".csv":
        return pd.read_csv(path)
    return pd.read_parquet(path)


class _Store:
    """Chunk files and a manifest beside the output file: ``<out>.chunks/``."""

    def __init__(self, out, fingerprint: dict, resume: bool) -> None:
        self.out = Path(out)
        if self.out.suffix not in (".parquet", ".csv"):
            raise ValueError(f"`out` must end in .parquet or .csv, got {str(out)!r}")
        self.ext = self.out.suffix
        self.dir = self.out.with_name(self.out.name + ".chunks")
        manifest = self.dir / "manifest.json"
        if self.dir.exists():
            if not resume:
                raise FileExistsError(
                    f"`out`: {self.dir} holds chunks of an earlier run; pass resume=True "
                    "(--resume) to continue it, or delete it"
                )
            old = json.loads(manifest.read_text()) if manifest.exists() else None
            if old != fingerprint:
                raise ValueError(
                    f"`resume`: {manifest} records a different sweep ({old}); expected "
                    f"{fingerprint}"
                )
            for stale in self.dir.glob(".*.part"):  # a write cut short by the interruption
                stale.unlink()
        else:
            self.dir.mkdir(parents=True)
            _atomic_write(manifest, lambda p: Path(p).write_text(json.dumps(fingerprint)))

    def path(self, index: int) -> Path:
        return self.dir / f"chunk-{index:08d}{self.ext}"

    def done(self, index: int) -> bool:
        return self.path(index).exists()

    def read(self, index: int, size: int):
        """Chunk ``index`` from disk, or ``None`` (and the file removed) if it is unreadable.

        A chunk file that cannot be read or does not hold ``size`` rows (a disk
        that filled up, a file truncated by hand) is recomputed, with a warning
        that names it.
        """
        path = self.path(index)
        try:
            df = _read_frame(path)
            if len(df) != size or "draw" not in df.columns:
                raise ValueError(f"{len(df)} rows, expected {size}")
        except Exception as exc:  # any reader error: the file is not a whole chunk
            warnings.warn(
                f"`resume`: chunk file {path} is unreadable or incomplete "
                f"({type(exc).__name__}: {exc}); recomputing it",
                RuntimeWarning,
                stacklevel=3,
            )
            path.unlink(missing_ok=True)
            return None
        return df


# -- the public function -------------------------------------------------------------


def _check_int(v, name, lo):
    if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < lo:
        raise ValueError(f"`{name}` must be an integer >= {lo}, got {v!r}")
    return int(v)


def sweep(
    model,
    n,
    /,
    *,
    seed=0,
    chunk_size=DEFAULT_CHUNK,
    out=None,
    resume=False,
    scheduler=None,
    keep=None,
    progress=None,
    keep_chunks=False,
    timeout=CONNECT_TIMEOUT,
    workers=1,
) -> SweepResult:
    r"""Monte Carlo over a model's uncertain parameters: the ZOPA and agreements as distributions.

    Parameters
    ----------
    model : Model or str
        A model, or a model file / bundled name for :func:`bargain.load_model`.
    n : int
        Number of draws, ``>= 1``.
    seed : int, default 0
        Root seed (a non-negative integer); chunk ``i`` draws from
        ``SeedSequence(seed, spawn_key=(i,))``.
    chunk_size : int, default 2000
        Draws per chunk: memory is bounded by one chunk's arrays (for a
        discrete agenda about ``chunk_size * outcomes * parties * 8`` bytes
        per array) whatever ``n``. Results depend on ``seed`` and
        ``chunk_size``, not on how chunks are scheduled.
    out : str or Path, optional
        ``.parquet`` or ``.csv`` file for the table. Finished chunks go to
        ``<out>.chunks/`` as they complete (each written to a temporary file
        and renamed, so a killed run never leaves a partial file); at the
        end they are joined into ``out`` (also atomically).
    resume : bool, default False
        Continue a run into the same ``out``: chunks already on disk are
        read, not recomputed. The manifest must match (model, ``n``,
        ``seed``, ``chunk_size``).
    scheduler : dask.distributed.Client or str, optional
        Run the chunks on a Dask cluster (a client, or a scheduler address
        such as ``"tcp://10.0.0.5:8786"``); results are identical to the
        local run. Needs ``pip install bargain[dask]``.
    keep : bool, optional
        Keep the table in memory (default: when ``n <= 10**6``). Without it
        the summary (means, standard errors) is still exact.
    progress : bool, optional
        A tqdm progress bar counting draws, with a rate and an ETA, ticking at
        least every 500 draws (every chunk on a Dask cluster); by default
        shown only when stderr is an interactive terminal.
    keep_chunks : bool, default False
        Keep ``<out>.chunks/`` after the chunks are joined into ``out`` (by
        default it is removed once ``out`` is written, so the same command can
        run again).
    timeout : float, default 10
        Seconds to wait for a Dask scheduler given by address.
    workers : int, default 1
        Local processes that compute chunks side by side (a process pool;
        ``fork`` where the platform has it). Results are identical to one
        process: each chunk draws from its own seed. Not with ``scheduler``,
        whose workers do this job on a cluster.

    Returns
    -------
    SweepResult
        ``table`` (pandas DataFrame), ``summary`` (mean, sd, Monte Carlo
        standard error, quantiles), ``p_open`` and ``p_open_se``.

    Raises
    ------
    ValueError
        Bad ``n``, ``seed``, ``chunk_size`` or ``out``; a model without
        ``[uncertainty]``; a ``resume`` whose manifest differs.
    FileExistsError
        Chunks of an earlier run exist and ``resume`` is False.

    Notes
    -----
    Per draw :math:`\theta` (the uncertain parameters), with utilities
    :math:`u_i(x; \theta)` and reservation values :math:`r_i(\theta)`:

    - ZOPA open iff the slack :math:`s(\theta) = \max_x \min_i (u_i(x) - r_i) \ge 0`;
    - Nash: :math:`\arg\max_x \prod_i (u_i(x) - r_i)^{\beta_i}` over outcomes
      with :math:`u_i > r_i`, :math:`\beta` the parties' powers;
    - ``rubinstein_limit``: the limit of the alternating-offers equilibrium as
      the time between offers vanishes (Binmore, Rubinstein and Wolinsky 1986;
      :func:`bargain.rubinstein_nash_limit`), the Nash solution with powers
      :math:`\propto 1/(-\ln a_i)`, :math:`a_i = (1 - p_i)\delta_i`
      (:func:`bargain.solutions._rubinstein.nash_limit_weights`). It is not the
      equilibrium at the parties' discount factors that ``bargain solve`` shows
      as "Rubinstein" (:func:`bargain.rubinstein`), which needs an unbatched
      negotiation over divisible issues; the name says which one a column holds.

    Estimates are sample means :math:`\bar X`; their standard error is
    :math:`s/\sqrt{n}` (for a probability :math:`\sqrt{\hat p(1-\hat p)/n}`), so
    the true value lies within :math:`\pm 1.96` standard errors with about 95%
    probability. Issue agreements are summarised over the draws with an
    agreement (``n`` in the summary says how many).

    Examples
    --------
    >>> import bargain as bg
    >>> res = bg.sweep("ukraine_russia", 200, seed=1, chunk_size=100)
    >>> res.table.shape[0], res.chunks
    (200, 2)
    >>> 0 <= res.p_open <= 1
    True
    """
    from ..io._model import load_model

    if not isinstance(model, Model):
        model = load_model(model)
    n = _check_int(n, "n", 1)
    seed = _check_int(seed, "seed", 0)
    chunk_size = _check_int(chunk_size, "chunk_size", 1)
    if not model.uncertain:
        raise ValueError(
            f"`model` {model.name!r} has no [uncertainty] table: nothing to sweep over"
        )
    if resume and out is None:
        raise ValueError("`resume` continues a run written to `out`: give `out` (--out FILE)")
    if not (isinstance(timeout, (int, float)) and not isinstance(timeout, bool) and timeout > 0):
        raise ValueError(f"`timeout` must be a positive number of seconds, got {timeout!r}")
    workers = _check_int(workers, "workers", 1)
    if workers > 1 and scheduler is not None:
        raise ValueError(
            "`workers` runs local processes; with `scheduler` the Dask cluster's workers "
            "compute the chunks: give one of them"
        )
    keep = n <= KEEP_LIMIT if keep is None else bool(keep)
    starts = list(range(0, n, chunk_size))
    sizes = [min(chunk_size, n - s) for s in starts]
    store = None if out is None else _Store(out, _fingerprint(model, n, seed, chunk_size), resume)
    frames: dict[int, object] = {}
    moments: dict[int, dict] = {}
    options = _options(model)

    def finish(index, df):
        if store is not None and not store.done(index):
            _write_frame(df, store.path(index))
        moments[index] = _moments(df, df.columns, options)
        if keep:
            frames[index] = df

    todo = []
    for i in range(len(starts)):
        df = store.read(i, sizes[i]) if store is not None and store.done(i) else None
        if df is None:
            todo.append(i)
        else:
            finish(i, df)

    from ._progress import progress_bar

    bar = progress_bar(
        total=n,
        initial=sum(sizes[i] for i in range(len(starts)) if i not in set(todo)),
        unit="draw",
        unit_scale=True,
        desc=f"sweep {model.name}",
        disable=None if progress is None else not progress,
    )
    tick = None if bar.disable else bar.update
    try:
        if scheduler is None and (workers == 1 or len(todo) <= 1):
            for i in todo:
                finish(i, _run_chunk(model, model.file, seed, i, starts[i], sizes[i], tick))
        elif scheduler is None:
            _run_pool(workers, model, seed, todo, starts, sizes, finish, bar)
        else:
            _run_dask(scheduler, model, seed, todo, starts, sizes, finish, bar, timeout)
    finally:
        bar.close()

    table = None
    if keep:
        import pandas as pd

        table = pd.concat([frames[i] for i in range(len(starts))], ignore_index=True)
    summary = _summary([moments[i] for i in range(len(starts))], table, options)
    written = None
    if store is not None:
        written = store.out
        _join(store, len(starts), table)
        if not keep_chunks:
            shutil.rmtree(store.dir)
    return SweepResult(table, summary, n, seed, chunk_size, len(starts), written)


def _join(store: _Store, chunks: int, table) -> None:
    """Join the chunk files into ``out`` (atomically)."""
    import pandas as pd

    if store.ext == ".csv":

        def write(tmp):
            with open(tmp, "w", encoding="utf-8", newline="") as f:
                for i in range(chunks):
                    _read_frame(store.path(i)).to_csv(f, index=False, header=i == 0)

        _atomic_write(store.out, write)
        return
    import pyarrow.parquet as pq

    def write_parquet(tmp):
        writer = None
        try:
            for i in range(chunks):
                t = pq.read_table(store.path(i))
                if writer is None:
                    writer = pq.ParquetWriter(tmp, t.schema)
                writer.write_table(t)
        finally:
            if writer is not None:
                writer.close()

    del pd
    _atomic_write(store.out, write_parquet)


def _ignore_interrupts() -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run_pool(workers, model, seed, todo, starts, sizes, finish, bar) -> None:
    """Compute chunks in ``workers`` local processes; finish them as they complete.

    At most ``2 * workers`` chunks are in flight, so memory stays bounded by a
    few chunks whatever ``n``. The workers ignore SIGINT and the calling
    process waits with a timeout, so Ctrl-C always reaches it: it then kills
    the workers (the chunks on disk stay; the unfinished ones are recomputed on
    resume).
    """
    import multiprocessing as mp
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    methods = mp.get_all_start_methods()
    ctx = mp.get_context("fork" if "fork" in methods else "spawn")
    pending = list(reversed(todo))
    running: dict = {}
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_ignore_interrupts)
    try:
        while pending or running:
            while pending and len(running) < 2 * workers:
                i = pending.pop()
                args = (model.data, model.file, seed, i, starts[i], sizes[i])
                running[pool.submit(_run_chunk, *args)] = i
            done, _ = wait(running, timeout=0.25, return_when=FIRST_COMPLETED)
            for fut in done:
                i = running.pop(fut)
                finish(i, fut.result())
                bar.update(sizes[i])
    except BaseException:
        for proc in list(getattr(pool, "_processes", {}).values()):
            proc.kill()  # an interrupted sweep stops now; its chunks on disk are kept
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


def _run_dask(scheduler, model, seed, todo, starts, sizes, finish, bar, timeout) -> None:
    """Map :func:`_run_chunk` over a Dask cluster; finish chunks as they complete."""
    try:
        from distributed import Client, as_completed
    except ImportError as exc:  # pragma: no cover - exercised without the extra only
        raise ImportError(
            "`scheduler` needs dask.distributed: pip install 'bargain[dask]'"
        ) from exc
    own = isinstance(scheduler, str)
    if own:
        try:
            client = Client(scheduler, timeout=timeout)
        except (OSError, TimeoutError) as exc:
            raise OSError(
                f"`scheduler`: no Dask scheduler answered at {scheduler!r} within {timeout:g} s "
                f"({type(exc).__name__}: {exc})"
            ) from None
    elif isinstance(scheduler, Client):
        client = scheduler
    else:
        raise TypeError(
            "`scheduler` must be a dask.distributed Client or a scheduler address, got "
            f"{type(scheduler).__name__}"
        )
    try:
        futures = {
            client.submit(
                _run_chunk, model.data, model.file, seed, i, starts[i], sizes[i], pure=False
            ): i
            for i in todo
        }
        for fut in as_completed(futures):
            i = futures.pop(fut)
            finish(i, fut.result())
            fut.release()  # the worker may drop the chunk now: memory stays bounded
            bar.update(sizes[i])
    finally:
        if own:
            client.close()
