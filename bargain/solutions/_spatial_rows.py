"""Spatial data tables as rows of cells -> a spatial model's data (both layouts, missing cells).

The parser behind :func:`bargain.read_spatial` and :meth:`SpatialModel.from_frame`:
actor rows or issue rows (per-actor columns named by a pattern), and the
missing-value policy. It lives here, beside the model, so that both the file
reader (``bargain.io``) and the DataFrame constructor use one implementation.
"""

from __future__ import annotations

import math
import re

import numpy as np

__all__ = ["MISSING", "MISSING_SALIENCE", "STATUS_QUO_ROW", "parse_rows"]

MISSING = {"", "na", "nan", "n/a", "-", "."}
STATUS_QUO_ROW = "status_quo"


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


_SQ_NAMES = ("status_quo", "sq", "statusquo", "status quo")
MISSING_SALIENCE = ("error", "default", "impute", "no_stake")


def parse_rows(
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
) -> dict:
    """The arguments of a :class:`SpatialModel` from a header and rows of string cells.

    See :func:`bargain.read_spatial` for the layouts and the missing-value policy.
    """
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
    return dict(
        actors=actors,
        issues=issues,
        power=power,
        position=pos,
        salience=sal,
        status_quo=status_quo,
        scale=scale,
        missing=counts,
    )


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
