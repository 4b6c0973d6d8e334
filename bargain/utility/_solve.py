"""The four axiomatic solutions on utility-space problems: validation, dispatch and results.

Point sets go to the finite-set kernels (:mod:`bargain.utility._points`),
lotteries over them to the hull kernels (:mod:`bargain.utility._hull`) and
continuous frontiers to the frontier kernels (:mod:`bargain.utility._curve`).
The public functions :func:`bargain.nash` and the others call :func:`solve`
(or, for a :class:`~bargain.Negotiation`, the issue-space solver).
"""

from __future__ import annotations

import numpy as np

from .._core._result import Result, scalar, status_message
from .._core._validate import as_points, as_vector, as_weights, batch_shape, check_bool
from . import _curve, _hull, _points
from ._frontier import Frontier

__all__: list[str] = []

_STATUS = {0: "agreement found", 1: "no point of S strictly dominates d", -2: "not converged"}


def _message(status) -> str:
    return status_message(status, _STATUS)


def solve(concept: str, S, d, weights, hull, use_weights=True) -> Result:
    """Solve ``concept`` on a utility-space problem ``(S, d)``; see :func:`bargain.nash`.

    ``S`` is a point set ``(..., m, n)`` (lotteries over it with ``hull``) or a
    :class:`~bargain.Frontier`; the arguments are validated here.
    """
    hull = check_bool(hull, "hull")
    if isinstance(S, Frontier):
        n = 2
        dd = as_vector(d, n, "d", "the frontier")
        w = as_weights(weights, n, "weights", "the frontier") if use_weights else np.full(2, 0.5)
        x, u, agreement, converged, batch = _curve.solve_frontier(concept, S, dd, w)
        status = np.where(agreement, 0, 1)
        status = np.where(converged, status, -2)
        status = status.reshape(batch)
        return Result(
            concept=concept,
            method="frontier",
            utilities=u.reshape(batch + (2,)),
            x=scalar(x.reshape(batch)),
            agreement=scalar(agreement.reshape(batch)),
            success=scalar(status >= 0),
            status=scalar(status),
            message=_message(status),
        )
    if callable(S):
        raise TypeError("`S` is a function: wrap a continuous frontier in bargain.Frontier")
    P = as_points(S, "S")
    m, n = P.shape[-2:]
    dd = as_vector(d, n, "d")
    w = as_weights(weights, n) if use_weights else np.full(n, 1.0 / n)
    batch = batch_shape(S=P.shape[:-2], d=dd.shape[:-1], weights=w.shape[:-1])
    P = np.broadcast_to(P, batch + (m, n))
    dd = np.broadcast_to(dd, batch + (n,))
    w = np.broadcast_to(w, batch + (n,))
    if hull:
        if n == 2:
            U, lottery, agreement = _hull.solve2(concept, P, dd, w)
        else:
            U, lottery, agreement = _hull.solve_n(concept, P, dd, w)
        status = np.where(agreement, 0, 1)
        return Result(
            concept=concept,
            method="hull",
            utilities=U,
            lottery=lottery,
            agreement=scalar(agreement),
            success=scalar(np.ones(batch, dtype=bool)),
            status=scalar(status),
            message=_message(status),
        )
    idx, agreement = _points.solve_chunked(concept, P, dd, w)
    idx = np.where(agreement, idx, -1)
    chosen = np.take_along_axis(P, np.maximum(idx, 0)[..., None, None], axis=-2)[..., 0, :]
    U = np.where(agreement[..., None], chosen, dd)
    status = np.where(agreement, 0, 1)
    return Result(
        concept=concept,
        method="points",
        utilities=U,
        index=scalar(idx),
        agreement=scalar(agreement),
        success=scalar(np.ones(batch, dtype=bool)),
        status=scalar(status),
        message=_message(status),
    )
