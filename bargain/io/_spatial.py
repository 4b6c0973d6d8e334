"""Spatial actor tables (CSV) in and out: :func:`read_spatial` and :func:`write_spatial`."""

from __future__ import annotations

import csv
import io
import math
import os
from pathlib import Path

import numpy as np

from ..issues._negotiation import Negotiation
from ..solutions._spatial import SpatialModel
from ..solutions._spatial_rows import STATUS_QUO_ROW, parse_rows

__all__ = ["read_spatial", "write_spatial"]

# -- CSV -------------------------------------------------------------------------------


_DELIMITERS = (",", "\t", ";", "|")


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
    data = parse_rows(
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
    try:
        return SpatialModel(**data)
    except ValueError as exc:
        raise ValueError(f"{p}: {exc}") from None


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
