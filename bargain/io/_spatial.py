"""Spatial actor tables (CSV) in and out: :func:`read_spatial` and :func:`write_spatial`."""

from __future__ import annotations

import csv
import io
import math
import os
import re
from pathlib import Path

import numpy as np

from ..issues._negotiation import Negotiation
from ..solutions._spatial import SpatialModel

__all__ = ["read_spatial", "rows_to_model", "write_spatial"]

MISSING = {"", "na", "nan", "n/a", "-", "."}
STATUS_QUO_ROW = "status_quo"


# -- CSV -------------------------------------------------------------------------------


def _cell(text: str, path, row: int, col: str):
    t = text.strip()
    if t.lower() in MISSING:
        return math.nan
    try:
        v = float(t)
    except ValueError:
        raise ValueError(
            f"{path}: row {row}, column {col!r}: expected a number, got {t!r}"
        ) from None
    if not math.isfinite(v):
        raise ValueError(f"{path}: row {row}, column {col!r}: expected a finite number, got {t!r}")
    return v


_DELIMITERS = (",", "\t", ";", "|")
_SQ_NAMES = ("status_quo", "sq", "statusquo", "status quo")
MISSING_SALIENCE = ("error", "default", "impute", "no_stake")


def read_spatial(
    path,
    *,
    layout: str = "auto",
    delimiter: str | None = None,
    position: str = "p{actor}",
    salience: str = "s{actor}",
    capability: str = "capability",
    status_quo_column: str | None = None,
    missing_salience: str = "error",
    salience_default: float | None = None,
    status_quo=None,
    scale=(0.0, 100.0),
) -> SpatialModel:
    r"""Read a spatial data table (CSV, TSV, ...) into a :class:`SpatialModel`.

    Two layouts, as researchers have the data:

    - **actor rows** (``layout="actors"``): a header ``actor,power,`` then per
      issue ``<issue>.position,<issue>.salience``; one row per actor, and an
      optional row ``status_quo`` with the status quo in the position columns::

          actor,power,tax.position,tax.salience,budget.position,budget.salience
          status_quo,,10,,50,
          Germany,10,60,0.8,40,0.5

    - **issue rows** (``layout="issues"``, e.g. the DEU data sets of EU
      legislative decisions): one row per issue, its name in the first
      column, the status quo in a column named ``sq`` / ``status_quo``
      (``status_quo_column=``), and per actor a position and a salience
      column named by the patterns ``position`` and ``salience``
      (``"p{actor}"``, ``"s{actor}"`` by default: ``pDE``, ``sDE``); a row
      whose name is ``capability`` gives the actors' capabilities in the
      position columns (equal capabilities without one). Other columns are
      ignored::

          issue	sq	pDE	sDE	pFR	sFR
          tax	0	60	80	40	50
          capability		29		29

    ``layout="auto"`` reads actor rows when the header starts with
    ``actor,power``, issue rows otherwise. The delimiter is the one of
    ``, \t ; |`` that splits the header most often unless given. Lines
    starting with ``#`` are comments.

    **Missing values** (an empty cell, ``NA``, ``nan``, ``n/a``, ``-``,
    ``.``), under an explicit policy whose counts are kept in
    ``model.missing``:

    - a missing *position* means the actor has no stake in that issue
      (``missing["positions"]`` counts them; a salience given without a
      position is ignored and counted in ``missing["salience_without_position"]``);
    - a missing *salience* where a position is given is an error by default
      (``missing_salience="error"``, naming the actor and the issue), or
      ``"default"`` (``salience_default``), ``"impute"`` (the actor's mean
      salience over its other issues, else the issue's mean over the other
      actors), or ``"no_stake"`` (the position is ignored);
      ``missing["saliences"]`` counts them;
    - a missing *status quo* leaves that issue without one (NaN): the
      compromise and the median need none; :meth:`SpatialModel.nash` reports
      the issue with ``status`` 2 (``missing["status_quo"]`` lists them).

    Parameters
    ----------
    path : str or os.PathLike
    layout : {"auto", "actors", "issues"}
    delimiter : str, optional
    position, salience : str
        Column-name patterns of the issue-row layout, with ``{actor}``.
    capability : str, default "capability"
        The name of the capability row (issue-row layout).
    status_quo_column : str, optional
        The status-quo column of the issue-row layout (default: the column
        named ``sq``, ``status_quo`` or ``statusquo``, in any case).
    missing_salience : {"error", "default", "impute", "no_stake"}
    salience_default : float, optional
        The salience used by ``missing_salience="default"``.
    status_quo : array_like, shape (K,), optional
        Overrides the table's status quo.
    scale : (float, float), default (0, 100)

    Returns
    -------
    SpatialModel

    Raises
    ------
    ValueError
        Naming the file, row and column: bad headers, non-numbers, missing
        or non-positive capabilities, a missing salience under the default
        policy, positions off the scale.

    Examples
    --------
    >>> import tempfile, pathlib, bargain as bg
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "eu.csv"
    >>> _ = f.write_text("actor,power,tax.position,tax.salience\n"
    ...                  "status_quo,,0,\nA,1,20,1\nB,1,50,2\nC,0.5,100,2\n")
    >>> m = bg.read_spatial(f)
    >>> m.actors, m.status_quo, m.compromise()
    (('A', 'B', 'C'), array([0.]), array([55.]))

    The same decision as issue rows, tab-separated, with a capability row:

    >>> g = f.with_name("deu.tsv")
    >>> _ = g.write_text("id\tsq\tpA\tsA\tpB\tsB\tpC\tsC\n"
    ...                  "tax\t0\t20\t1\t50\t2\t100\t2\n"
    ...                  "capability\t\t1\t\t1\t\t0.5\t\n")
    >>> bg.read_spatial(g).compromise()
    array([55.])
    """
    p = Path(path) if isinstance(path, (str, os.PathLike)) else None
    if p is None:
        raise TypeError(f"`path` must be a path (str or os.PathLike), got {type(path).__name__}")
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{p}: not UTF-8 text ({exc.reason})") from None
    except OSError as exc:
        raise ValueError(f"{p}: cannot read the file: {exc.strerror}") from None
    lines = [ln for ln in text.splitlines() if not ln.lstrip().startswith("#")]
    lines = [ln for ln in lines if ln.strip()]
    if not lines:
        raise ValueError(f"{p}: empty table")
    if delimiter is None:
        delimiter = max(_DELIMITERS, key=lambda d: lines[0].count(d))
    elif not isinstance(delimiter, str) or len(delimiter) != 1:
        raise ValueError(f"`delimiter` must be one character, got {delimiter!r}")
    rows = [r for r in csv.reader(lines, delimiter=delimiter) if any(c.strip() for c in r)]
    return rows_to_model(
        rows[0],
        rows[1:],
        str(p),
        layout=layout,
        position=position,
        salience=salience,
        capability=capability,
        status_quo_column=status_quo_column,
        missing_salience=missing_salience,
        salience_default=salience_default,
        status_quo=status_quo,
        scale=scale,
    )


def rows_to_model(
    header,
    rows,
    where: str,
    *,
    layout: str = "auto",
    position: str = "p{actor}",
    salience: str = "s{actor}",
    capability: str = "capability",
    status_quo_column: str | None = None,
    missing_salience: str = "error",
    salience_default: float | None = None,
    status_quo=None,
    scale=(0.0, 100.0),
) -> SpatialModel:
    """A :class:`SpatialModel` from a header and rows of string cells (see :func:`read_spatial`)."""
    header = [h.strip() for h in header]
    if layout not in ("auto", "actors", "issues"):
        raise ValueError(f"`layout` must be 'auto', 'actors' or 'issues', got {layout!r}")
    if missing_salience not in MISSING_SALIENCE:
        raise ValueError(
            f"`missing_salience` must be one of {list(MISSING_SALIENCE)}, got {missing_salience!r}"
        )
    if missing_salience == "default":
        if salience_default is None or not (
            isinstance(salience_default, (int, float))
            and math.isfinite(salience_default)
            and salience_default >= 0
        ):
            raise ValueError(
                "`missing_salience='default'` needs `salience_default`, a finite number >= 0; "
                f"got {salience_default!r}"
            )
    if layout == "auto":
        layout = "actors" if [h.lower() for h in header[:2]] == ["actor", "power"] else "issues"
    if layout == "actors":
        actors, issues, power, pos, sal, sq = _actor_rows(header, rows, where)
    else:
        actors, issues, power, pos, sal, sq = _issue_rows(
            header, rows, where, position, salience, capability, status_quo_column
        )
    pos, sal, counts = _missing(actors, issues, pos, sal, missing_salience, salience_default, where)
    if status_quo is None and sq is not None:
        status_quo = sq
    q = None if status_quo is None else np.asarray(status_quo, dtype=float)
    if q is not None and q.shape == (len(issues),):
        counts["status_quo"] = [issues[k] for k in np.flatnonzero(np.isnan(q))]
    try:
        return SpatialModel(
            actors, issues, power, pos, sal, status_quo, scale=scale, missing=counts
        )
    except ValueError as exc:
        raise ValueError(f"{where}: {exc}") from None


def _actor_rows(header, rows, where):
    if len(header) < 4 or [h.lower() for h in header[:2]] != ["actor", "power"]:
        raise ValueError(
            f"{where}: the header must start with 'actor,power' followed by '<issue>.position,"
            f"<issue>.salience' pairs, got {header} (issue rows: layout='issues')"
        )
    if (len(header) - 2) % 2:
        raise ValueError(f"{where}: header: the issue columns must come in position/salience pairs")
    issues = []
    for j in range(2, len(header), 2):
        a, b = header[j].rpartition("."), header[j + 1].rpartition(".")
        if a[2] != "position" or b[2] != "salience" or not a[0] or a[0] != b[0]:
            raise ValueError(
                f"{where}: header columns {j + 1} and {j + 2} must be '<issue>.position' and "
                f"'<issue>.salience' for one issue, got {header[j]!r}, {header[j + 1]!r}"
            )
        issues.append(a[0])
    K = len(issues)
    actors, power, pos, sal, sq = [], [], [], [], None
    for r, row in enumerate(rows, start=2):
        if len(row) != len(header):
            raise ValueError(f"{where}: row {r} has {len(row)} cells, the header {len(header)}")
        name = row[0].strip()
        if not name:
            raise ValueError(f"{where}: row {r}: empty actor name")
        cells = [_cell(c, where, r, header[j]) for j, c in enumerate(row) if j >= 2]
        if name == STATUS_QUO_ROW:
            if sq is not None:
                raise ValueError(f"{where}: row {r}: a second status_quo row")
            sq = np.array(cells[0::2])
            continue
        c = _cell(row[1], where, r, "power")
        if math.isnan(c) or c <= 0:
            raise ValueError(
                f"{where}: row {r} ({name!r}), column 'power': expected a positive number"
            )
        actors.append(name)
        power.append(c)
        pos.append(cells[0::2])
        sal.append(cells[1::2])
    if not actors:
        raise ValueError(f"{where}: no actor rows")
    return actors, issues, power, np.array(pos).reshape(-1, K), np.array(sal).reshape(-1, K), sq


def _pattern(pattern, name):
    if not isinstance(pattern, str) or pattern.count("{actor}") != 1:
        raise ValueError(f"`{name}` must be a column pattern with one '{{actor}}', got {pattern!r}")
    head, tail = pattern.split("{actor}")
    return re.compile(f"^{re.escape(head)}(?P<actor>.+?){re.escape(tail)}$")


def _issue_rows(header, rows, where, position, salience, capability, status_quo_column):
    pos_re, sal_re = _pattern(position, "position"), _pattern(salience, "salience")
    lower = [h.lower() for h in header]
    if status_quo_column is None:
        sq_col = next((j for j, h in enumerate(lower) if h in _SQ_NAMES and j > 0), None)
    else:
        if status_quo_column not in header:
            raise ValueError(
                f"{where}: `status_quo_column` {status_quo_column!r} is not a column; columns "
                f"are {header}"
            )
        sq_col = header.index(status_quo_column)
    pos_cols, sal_cols = {}, {}
    for j, h in enumerate(header):
        if j == 0 or j == sq_col:
            continue
        m = pos_re.match(h)
        if m:
            pos_cols[m.group("actor")] = j
            continue
        m = sal_re.match(h)
        if m:
            sal_cols[m.group("actor")] = j
    actors = list(pos_cols)
    if not actors:
        raise ValueError(
            f"{where}: no position columns matching {position!r} in the header {header} "
            "(actor rows start with 'actor,power': layout='actors')"
        )
    lacking = [a for a in actors if a not in sal_cols]
    extra = [a for a in sal_cols if a not in pos_cols]
    if lacking or extra:
        raise ValueError(
            f"{where}: every actor needs a position and a salience column ({position!r}, "
            f"{salience!r}); without salience: {lacking}; without position: {extra}"
        )
    issues, pos, sal, sq, power = [], [], [], [], None
    for r, row in enumerate(rows, start=2):
        if len(row) != len(header):
            raise ValueError(f"{where}: row {r} has {len(row)} cells, the header {len(header)}")
        name = row[0].strip()
        if not name:
            raise ValueError(f"{where}: row {r}: empty issue name in column {header[0]!r}")
        if name.lower() == capability.lower():
            if power is not None:
                raise ValueError(f"{where}: row {r}: a second {capability!r} row")
            power = [_cell(row[pos_cols[a]], where, r, header[pos_cols[a]]) for a in actors]
            if all(math.isnan(c) for c in power):
                power = [_cell(row[sal_cols[a]], where, r, header[sal_cols[a]]) for a in actors]
            for a, c in zip(actors, power, strict=True):
                if math.isnan(c) or c <= 0:
                    raise ValueError(
                        f"{where}: row {r} ({capability!r}), actor {a!r}: expected a positive "
                        "capability"
                    )
            continue
        if name in issues:
            raise ValueError(f"{where}: row {r}: issue {name!r} appears twice")
        issues.append(name)
        pos.append([_cell(row[pos_cols[a]], where, r, header[pos_cols[a]]) for a in actors])
        sal.append([_cell(row[sal_cols[a]], where, r, header[sal_cols[a]]) for a in actors])
        sq.append(math.nan if sq_col is None else _cell(row[sq_col], where, r, header[sq_col]))
    if not issues:
        raise ValueError(f"{where}: no issue rows")
    if power is None:
        power = [1.0] * len(actors)  # equal capabilities
    return (
        actors,
        issues,
        power,
        np.array(pos, dtype=float).T,
        np.array(sal, dtype=float).T,
        np.array(sq, dtype=float),
    )


def _missing(actors, issues, pos, sal, policy, default, where):
    """Apply the missing-value policy; returns positions, saliences and the counts."""
    pos, sal = np.array(pos, dtype=float), np.array(sal, dtype=float)
    no_pos = np.isnan(pos)
    orphan = no_pos & ~np.isnan(sal) & (np.nan_to_num(sal) > 0)
    sal = np.where(no_pos, np.nan, sal)  # no position: no stake, whatever the salience cell
    need = ~no_pos & np.isnan(sal)
    counts = {
        "positions": int(no_pos.sum()),
        "saliences": int(need.sum()),
        "salience_without_position": int(orphan.sum()),
        "policy": policy,
    }
    if need.any():
        if policy == "error":
            i, k = np.argwhere(need)[0]
            raise ValueError(
                f"{where}: actor {actors[i]!r} has a position but no salience on issue "
                f"{issues[k]!r} ({int(need.sum())} such cell(s)); choose missing_salience="
                "'default' (with salience_default), 'impute' or 'no_stake'"
            )
        if policy == "default":
            sal = np.where(need, float(default), sal)
        elif policy == "no_stake":
            pos = np.where(need, np.nan, pos)
        else:  # impute: the actor's mean over its other issues, else the issue's mean
            with np.errstate(invalid="ignore"):
                known = ~np.isnan(sal)
                row_n = known.sum(axis=1, keepdims=True)
                row = np.where(
                    row_n > 0, np.nansum(sal, axis=1, keepdims=True) / np.maximum(row_n, 1), np.nan
                )
                col_n = known.sum(axis=0, keepdims=True)
                col = np.where(
                    col_n > 0, np.nansum(sal, axis=0, keepdims=True) / np.maximum(col_n, 1), np.nan
                )
            fill = np.where(np.isnan(row), col, row)
            still = need & np.isnan(fill)
            if still.any():
                i, k = np.argwhere(still)[0]
                raise ValueError(
                    f"{where}: cannot impute the salience of actor {actors[i]!r} on issue "
                    f"{issues[k]!r}: no salience of that actor or on that issue is known"
                )
            sal = np.where(need, fill, sal)
    return pos, sal, counts


def write_spatial(model, path, *, status_quo=None) -> Path:
    """Write a :class:`SpatialModel` (or an ideal-point :class:`~bargain.Negotiation`) as CSV.

    Parameters
    ----------
    model : SpatialModel or Negotiation
        A negotiation is converted with :meth:`SpatialModel.from_negotiation`.
    path : str or os.PathLike
    status_quo : array_like, shape (K,), optional
        Written as the ``status_quo`` row (the model's own by default).

    Returns
    -------
    Path

    Notes
    -----
    Numbers are written with ``repr``, so :func:`read_spatial` reads back
    exactly the same arrays. Missing positions are written as empty cells.

    Examples
    --------
    >>> import tempfile, pathlib, numpy as np, bargain as bg
    >>> m = bg.SpatialModel(["A", "B"], ["x"], [1.0, 2.0], [[20.0], [60.0]], [[1.0], [0.5]],
    ...                     status_quo=[0.0])
    >>> f = bg.write_spatial(m, pathlib.Path(tempfile.mkdtemp()) / "m.csv")
    >>> back = bg.read_spatial(f)
    >>> bool(np.array_equal(back.position, m.position)), back.status_quo
    (True, array([0.]))
    """
    if isinstance(model, Negotiation):
        model = SpatialModel.from_negotiation(model, status_quo=status_quo)
    if not isinstance(model, SpatialModel):
        raise TypeError(
            f"`model` must be a SpatialModel or a Negotiation, got {type(model).__name__}"
        )
    q = model.status_quo if status_quo is None else np.asarray(status_quo, dtype=float)
    if q is not None and np.shape(q) != (len(model.issues),):
        raise ValueError(f"`status_quo` must have shape ({len(model.issues)},), got {np.shape(q)}")
    if STATUS_QUO_ROW in model.actors:
        raise ValueError(f"an actor is named {STATUS_QUO_ROW!r}, which marks the status quo row")

    def num(v):
        return "" if math.isnan(v) else repr(float(v))

    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\n")
    header = ["actor", "power"]
    for name in model.issues:
        header += [f"{name}.position", f"{name}.salience"]
    out.writerow(header)
    if q is not None:
        out.writerow([STATUS_QUO_ROW, ""] + [c for v in q for c in (num(v), "")])
    for i, name in enumerate(model.actors):
        cells = []
        for k in range(len(model.issues)):
            cells += [num(model.position[i, k]), num(model.salience[i, k])]
        out.writerow([name, num(model.power[i])] + cells)
    p = Path(path)
    p.write_text(buf.getvalue(), encoding="utf-8")
    return p
