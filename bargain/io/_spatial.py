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

__all__ = ["read_spatial", "write_spatial"]

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


def read_spatial(path, *, status_quo=None, scale=(0.0, 100.0)) -> SpatialModel:
    r"""Read an actor table (CSV) into a :class:`SpatialModel`.

    The table has a header row and one row per actor::

        actor,power,tax.position,tax.salience,budget.position,budget.salience
        status_quo,,10,,50,
        Germany,10,60,0.8,40,0.5
        Malta,1,,,70,1.0

    - ``actor`` and ``power`` first; then, per issue, the columns
      ``<issue>.position`` and ``<issue>.salience`` (adjacent, in this order);
    - an empty cell (or ``NA``, ``nan``, ``-``, ``.``) is a missing entry:
      no stake (salience 0); a positive salience needs a position;
    - an optional row whose actor is ``status_quo`` gives the status quo in
      the position columns (``status_quo=`` overrides it);
    - lines starting with ``#`` are comments.

    Parameters
    ----------
    path : str or os.PathLike
    status_quo : array_like, shape (K,), optional
    scale : (float, float), default (0, 100)

    Returns
    -------
    SpatialModel

    Raises
    ------
    ValueError
        Naming the file, row and column: bad headers, non-numbers, missing
        power, a salience without a position, positions off the scale.

    Examples
    --------
    >>> import tempfile, pathlib, bargain as bg
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "eu.csv"
    >>> _ = f.write_text("actor,power,tax.position,tax.salience\n"
    ...                  "status_quo,,0,\nA,1,20,1\nB,1,50,2\nC,0.5,100,2\n")
    >>> m = bg.read_spatial(f)
    >>> m.actors, m.status_quo, m.compromise()
    (('A', 'B', 'C'), array([0.]), array([55.]))
    """
    p = Path(path) if isinstance(path, (str, os.PathLike)) else None
    if p is None:
        raise TypeError(f"`path` must be a path (str or os.PathLike), got {type(path).__name__}")
    try:
        text = p.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ValueError(f"{p}: cannot read the file: {exc.strerror}") from None
    lines = [ln for ln in text.splitlines() if not ln.lstrip().startswith("#")]
    rows = [r for r in csv.reader(lines) if any(c.strip() for c in r)]
    if not rows:
        raise ValueError(f"{p}: empty table")
    header = [h.strip() for h in rows[0]]
    if len(header) < 4 or [h.lower() for h in header[:2]] != ["actor", "power"]:
        raise ValueError(
            f"{p}: the header must start with 'actor,power' followed by '<issue>.position,"
            f"<issue>.salience' pairs, got {header}"
        )
    if (len(header) - 2) % 2:
        raise ValueError(f"{p}: header: the issue columns must come in position/salience pairs")
    issues = []
    for j in range(2, len(header), 2):
        a, b = header[j].rpartition("."), header[j + 1].rpartition(".")
        if a[2] != "position" or b[2] != "salience" or not a[0] or a[0] != b[0]:
            raise ValueError(
                f"{p}: header columns {j + 1} and {j + 2} must be '<issue>.position' and "
                f"'<issue>.salience' for one issue, got {header[j]!r}, {header[j + 1]!r}"
            )
        issues.append(a[0])
    K = len(issues)
    actors, power, pos, sal, sq = [], [], [], [], None
    for r, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise ValueError(f"{p}: row {r} has {len(row)} cells, the header {len(header)}")
        name = row[0].strip()
        if not name:
            raise ValueError(f"{p}: row {r}: empty actor name")
        cells = [_cell(c, p, r, header[j]) for j, c in enumerate(row) if j >= 2]
        if name == STATUS_QUO_ROW:
            if sq is not None:
                raise ValueError(f"{p}: row {r}: a second status_quo row")
            sq = np.array(cells[0::2])
            continue
        c = _cell(row[1], p, r, "power")
        if math.isnan(c) or c <= 0:
            raise ValueError(f"{p}: row {r} ({name!r}), column 'power': expected a positive number")
        actors.append(name)
        power.append(c)
        pos.append(cells[0::2])
        sal.append(cells[1::2])
    if not actors:
        raise ValueError(f"{p}: no actor rows")
    if status_quo is None and sq is not None:
        if np.any(np.isnan(sq)):
            missing = [issues[k] for k in np.flatnonzero(np.isnan(sq))]
            raise ValueError(f"{p}: the status_quo row lacks a value for issue(s) {missing}")
        status_quo = sq
    try:
        return SpatialModel(
            actors,
            issues,
            power,
            np.array(pos).reshape(-1, K),
            np.array(sal).reshape(-1, K),
            status_quo,
            scale=scale,
        )
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
