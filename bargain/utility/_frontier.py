"""Continuous two-party Pareto frontiers given as vectorised curves."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .._core._validate import as_float_array, batch_shape

__all__ = ["Frontier"]

_CHECK_POINTS = 65
_CHECK_BLOCK = 2**14


def _value_function(spec, name: str):
    """Return ``(v, dv, param)`` for a normalised concave value function on [0, 1].

    Each has ``v(0) = 0``, ``v(1) = 1`` and is increasing and concave; ``v`` and
    ``dv`` take ``(x, param)`` so that batched parameters travel as arguments.
    """
    if isinstance(spec, str):
        kind, param = spec, None
    else:
        try:
            kind, param = spec
        except (TypeError, ValueError):
            raise ValueError(
                f"`{name}` must be a name or a (name, parameter) pair, got {spec!r}"
            ) from None
    if kind not in _VALUE_FUNCTIONS:
        raise ValueError(f"`{name}` kind must be one of {sorted(_VALUE_FUNCTIONS)}, got {kind!r}")
    if kind == "linear":
        if param is not None:
            raise ValueError(f"`{name}`: 'linear' takes no parameter, got {param!r}")
        param = 1.0
        kind = "power"
    elif param is None:
        raise ValueError(f"`{name}`: {kind!r} needs a parameter, e.g. ({kind!r}, 0.5)")
    p = as_float_array(param, f"{name} parameter")
    if kind == "power" and np.any((p <= 0) | (p > 1)):
        raise ValueError(
            f"`{name}`: 'power' exponent must be in (0, 1] for a concave frontier, got {p}"
        )
    if kind != "power" and np.any(p <= 0):
        raise ValueError(f"`{name}`: {kind!r} parameter must be positive, got {p}")
    v, dv = _VALUE_FUNCTIONS[kind]
    return v, dv, p


def _power(x, p):
    return x**p


def _dpower(x, p):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(x > 0, p * x ** (p - 1.0), np.where(p == 1.0, 1.0, np.inf))


def _cara(x, a):
    return np.expm1(-a * x) / np.expm1(-a)


def _dcara(x, a):
    return -a * np.exp(-a * x) / np.expm1(-a)


def _log(x, a):
    return np.log1p(a * x) / np.log1p(a)


def _dlog(x, a):
    return a / ((1.0 + a * x) * np.log1p(a))


def _ipower(v, p):
    return v ** (1.0 / p)


def _icara(v, a):
    return -np.log1p(v * np.expm1(-a)) / a


def _ilog(v, a):
    return np.expm1(v * np.log1p(a)) / a


# closed-form inverses on [0, 1], keyed by the value function
_INVERSES = {_power: _ipower, _cara: _icara, _log: _ilog}

_VALUE_FUNCTIONS = {
    "linear": (_power, _dpower),
    "power": (_power, _dpower),
    "cara": (_cara, _dcara),
    "log": (_log, _dlog),
}


def _ridders(f, t, lo, hi, levels=12, con=1.4, safe=4.0, frac=0.5):
    """Vectorised Ridders derivative of ``f`` (values ``(..., k)``) at ``t`` in ``[lo, hi]``."""
    width = hi - lo
    dist = np.minimum(t - lo, hi - t)
    central = dist > 0
    # step pattern: central differences inside, one-sided (towards the inside) at an end
    fwd = np.where(central | (t <= lo), 1.0, 0.0)
    bwd = np.where(central | (t >= hi), 1.0, 0.0)
    h = np.where(central, np.minimum(0.1 * width, frac * dist), 0.1 * width)
    order = np.where(central, 2.0, 1.0)[..., None]
    step_fac = con**order

    def diff(hh):
        a = t + fwd * hh
        b = t - bwd * hh
        return (f(a) - f(b)) / ((fwd + bwd) * hh)[..., None]

    prev_row = [diff(h)]
    best = prev_row[0]
    err = np.full(best.shape, np.inf)
    done = np.zeros(best.shape, dtype=bool)
    for _ in range(1, levels):
        h = h / con
        row = [diff(h)]
        fac = step_fac
        for j in range(1, len(prev_row) + 1):
            row.append((row[j - 1] * fac - prev_row[j - 1]) / (fac - 1.0))
            fac = fac * step_fac
            errt = np.maximum(np.abs(row[j] - row[j - 1]), np.abs(row[j] - prev_row[j - 1]))
            better = (errt <= err) & ~done
            best = np.where(better, row[j], best)
            err = np.where(better, errt, err)
        done |= np.abs(row[-1] - prev_row[-1]) >= safe * err
        prev_row = row
        if np.all(done):
            break
    return best


def _identity(z, *args):
    return z


class Frontier:
    r"""The Pareto frontier of a two-party problem as a parametric curve.

    The feasible set is everything weakly below the curve
    ``t -> (u_1(t), u_2(t))`` for ``t`` in ``[lo, hi]``, with ``u_1``
    non-decreasing, ``u_2`` non-increasing and the set convex (a concave
    frontier). ``t`` is whatever parametrises the deal, typically party 1's
    share of a divisible good.

    Parameters
    ----------
    u : callable
        ``u(t, *args) -> ndarray`` of shape ``(..., 2)``: the utilities at
        parameter ``t``. Must broadcast elementwise over ``t`` and ``args``.
    lo, hi : array_like
        The parameter domain; ``lo < hi`` elementwise. Arrays are batch dims.
    du : callable, optional
        ``du(t, *args)``, the derivative ``(u_1'(t), u_2'(t))``. Solvers that
        need slopes (Nash, utilitarian) use it; without it they use a
        Richardson-extrapolated central difference (relative accuracy about
        ``1e-10`` instead of ``1e-12``).
    args : tuple of array_like, optional
        Extra parameters of ``u``; their shapes are batch dimensions.

    Notes
    -----
    Solvers check the declared assumptions (finite values, monotone
    components, convex feasible set) on a grid of 65 parameter values per
    problem and raise ``ValueError`` when they fail.

    Examples
    --------
    Split a pie of size 1: party 1 is risk neutral, party 2 has ``sqrt``.

    >>> import bargain as bg
    >>> F = bg.Frontier.split("linear", ("power", 0.5))
    >>> F(0.75)
    array([0.75, 0.5 ])
    >>> F.batch_shape
    ()
    """

    def __init__(
        self,
        u: Callable,
        lo=0.0,
        hi=1.0,
        *,
        du: Callable | None = None,
        args: tuple = (),
    ) -> None:
        if not callable(u):
            raise TypeError(f"`u` must be callable, got {type(u).__name__}")
        if du is not None and not callable(du):
            raise TypeError(f"`du` must be callable or None, got {type(du).__name__}")
        if not isinstance(args, tuple):
            raise TypeError(f"`args` must be a tuple, got {type(args).__name__}")
        self.lo = as_float_array(lo, "lo")
        self.hi = as_float_array(hi, "hi")
        if np.any(self.lo >= self.hi):
            raise ValueError(f"`lo` must be < `hi` elementwise, got lo={self.lo}, hi={self.hi}")
        self.args = tuple(np.asarray(a, dtype=float) for a in args)
        shapes = {"lo": self.lo.shape, "hi": self.hi.shape}
        shapes.update({f"args[{i}]": a.shape for i, a in enumerate(self.args)})
        self.batch_shape = batch_shape(**shapes)
        self._u = u
        self._du = du
        # optional closed-form inverses set by the constructors (private, used by
        # solvers as a shortcut): _inverse_1(z, *args) is the smallest t with
        # u_1(t) >= z, _inverse_2(z, *args) the largest t with u_2(t) >= z, before
        # clipping to the domain
        self._inverse_1 = None
        self._inverse_2 = None

    @property
    def has_derivative(self) -> bool:
        """Whether an analytic derivative was supplied."""
        return self._du is not None

    def __call__(self, t, *args) -> np.ndarray:
        """Evaluate the utilities ``(..., 2)`` at parameter ``t``."""
        args = args or self.args
        return np.asarray(self._u(np.asarray(t, dtype=float), *args), dtype=float)

    def derivative(self, t, *args, lo=None, hi=None) -> np.ndarray:
        """The derivative ``(u_1'(t), u_2'(t))``, analytic or numerical.

        Without ``du``: Ridders' method (a Richardson tableau of central
        differences with shrinking steps, keeping the entry with the smallest
        error estimate), vectorised; steps stay inside the domain, so near an
        end the steps shrink with the distance to it, and at an end one-sided
        differences are used. ``lo`` and ``hi`` override the domain (solvers
        evaluate compressed subsets of the batch).

        Parameters
        ----------
        t : array_like
            Parameter value(s) in ``[lo, hi]``.
        *args : array_like
            Extra parameters of ``u``; the frontier's own ``args`` by default.
        lo, hi : array_like, optional
            The domain, for the numerical derivative; the frontier's by default.

        Returns
        -------
        ndarray, shape (..., 2)
            ``(u_1'(t), u_2'(t))``.

        Examples
        --------
        >>> import numpy as np, bargain as bg
        >>> F = bg.Frontier.split("linear", ("power", 0.5))  # (t, sqrt(1 - t))
        >>> F.derivative([0.0, 0.75])  # (1, -0.5 / sqrt(1 - t))
        array([[ 1. , -0.5],
               [ 1. , -1. ]])

        Without ``du``, numerically (one-sided at an end of the domain):

        >>> G = bg.Frontier(lambda t: np.stack(np.broadcast_arrays(t, 1 - t**2), axis=-1))
        >>> G.has_derivative
        False
        >>> G.derivative([0.5, 1.0])  # (1, -2 t)
        array([[ 1., -1.],
               [ 1., -2.]])
        """
        args = args or self.args
        t = np.asarray(t, dtype=float)
        if self._du is not None:
            return np.asarray(self._du(t, *args), dtype=float)
        lo = self.lo if lo is None else lo
        hi = self.hi if hi is None else hi
        lo, hi, t = np.broadcast_arrays(lo, hi, t)
        return _ridders(lambda x: self(x, *args), t, lo, hi)

    # -- constructors -------------------------------------------------------

    @classmethod
    def from_function(cls, f: Callable, lo, hi, *, df: Callable | None = None, args=()):
        """Frontier ``u_2 = f(u_1)`` for ``u_1`` in ``[lo, hi]``.

        Parameters
        ----------
        f : callable
            ``f(u1, *args)``: decreasing and concave.
        lo, hi : array_like
            Range of ``u_1``.
        df : callable, optional
            Derivative ``f'(u1, *args)``.
        args : tuple, optional
            Extra parameters (batch dims).

        Returns
        -------
        Frontier

        Examples
        --------
        >>> import numpy as np, bargain as bg
        >>> F = bg.Frontier.from_function(lambda x: 1 - x**2, 0.0, 1.0, df=lambda x: -2 * x)
        >>> bg.nash(F, [0.0, 0.0]).utilities  # u1 = 1/sqrt(3), u2 = 2/3
        array([0.57735027, 0.66666667])
        """
        if not callable(f):
            raise TypeError(f"`f` must be callable, got {type(f).__name__}")

        def u(t, *a):
            return np.stack(np.broadcast_arrays(t, f(t, *a)), axis=-1)

        du = None
        if df is not None:

            def du(t, *a):
                return np.stack(np.broadcast_arrays(np.ones_like(t), df(t, *a)), axis=-1)

        F = cls(u, lo, hi, du=du, args=tuple(args))
        F._inverse_1 = _identity
        return F

    @classmethod
    def split(cls, v1="linear", v2="linear", *, scale=(1.0, 1.0)):
        r"""Frontier of splitting a divisible good: ``t`` is party 1's share.

        ``u_1 = s_1 v_1(t)`` and ``u_2 = s_2 v_2(1 - t)`` with normalised
        concave value functions (``v(0) = 0``, ``v(1) = 1``):

        - ``"linear"``: :math:`v(x) = x`
        - ``("power", p)``, ``0 < p <= 1``: :math:`v(x) = x^p`
        - ``("cara", a)``, ``a > 0``: :math:`v(x) = (1 - e^{-a x}) / (1 - e^{-a})`
        - ``("log", a)``, ``a > 0``: :math:`v(x) = \log(1 + a x) / \log(1 + a)`

        Parameters may be arrays (batch dims), as may ``scale``.

        Parameters
        ----------
        v1, v2 : str or (str, array_like)
            Value functions of party 1 and party 2.
        scale : array_like, shape (..., 2)
            Utility scales ``(s_1, s_2)``, positive.

        Returns
        -------
        Frontier

        Examples
        --------
        >>> import bargain as bg
        >>> res = bg.nash(bg.Frontier.split("linear", ("power", 0.5)), [0, 0])
        >>> round(float(res.x), 12)  # party 1's share: 2/3
        0.666666666667
        """
        f1, df1, p1 = _value_function(v1, "v1")
        f2, df2, p2 = _value_function(v2, "v2")
        s = as_float_array(scale, "scale", min_ndim=1)
        if s.shape[-1] != 2 or np.any(s <= 0):
            raise ValueError(f"`scale` must be positive with shape (..., 2), got {s}")

        def u(t, s1, s2, p1, p2):
            return np.stack(np.broadcast_arrays(s1 * f1(t, p1), s2 * f2(1.0 - t, p2)), axis=-1)

        def du(t, s1, s2, p1, p2):
            return np.stack(np.broadcast_arrays(s1 * df1(t, p1), -s2 * df2(1.0 - t, p2)), axis=-1)

        g1, g2 = _INVERSES[f1], _INVERSES[f2]

        def inverse_1(z, s1, s2, p1, p2):
            return g1(np.clip(z / s1, 0.0, 1.0), p1)

        def inverse_2(z, s1, s2, p1, p2):
            return 1.0 - g2(np.clip(z / s2, 0.0, 1.0), p2)

        F = cls(u, 0.0, 1.0, du=du, args=(s[..., 0], s[..., 1], p1, p2))
        F._inverse_1, F._inverse_2 = inverse_1, inverse_2
        return F

    def check(self, lo=None, hi=None, args=None) -> None:
        """Check the declared assumptions on a grid; raise ``ValueError`` if violated.

        Large batches are checked in blocks of about ``2**14`` grid points (the
        same grid and the same tolerances, from the extremes over the whole
        batch), which keeps the temporaries in cache.

        Parameters
        ----------
        lo, hi : array_like, optional
            The domain to check; the frontier's by default.
        args : tuple of array_like, optional
            Extra parameters of ``u``; the frontier's by default.

        Raises
        ------
        ValueError
            Wrong output shape, non-finite utilities, ``u_1`` decreasing or
            ``u_2`` increasing somewhere, or a frontier that is not concave.

        Examples
        --------
        >>> import bargain as bg
        >>> bg.Frontier.split("linear", ("power", 0.5)).check()  # concave: no error
        >>> F = bg.Frontier.from_function(lambda x: (1 - x) ** 2, 0.0, 1.0)  # convex
        >>> F.check()
        Traceback (most recent call last):
            ...
        ValueError: frontier is not concave (the set below it is not convex; checked on a
        65-point grid); solutions on it would not be unique
        """
        lo = self.lo if lo is None else lo
        hi = self.hi if hi is None else hi
        args = self.args if args is None else args
        args = tuple(np.asarray(x) for x in args)
        s = np.linspace(0.0, 1.0, _CHECK_POINTS)
        batch = np.broadcast_shapes(np.shape(lo), np.shape(hi), *(x.shape for x in args))
        size = int(np.prod(batch))
        block = max(1, _CHECK_BLOCK // _CHECK_POINTS)
        if size <= block:
            blocks = [(lo, hi, args)]
        else:
            lo, hi, *args = (np.broadcast_to(x, batch).reshape(-1) for x in (lo, hi, *args))
            blocks = (
                (lo[k : k + block], hi[k : k + block], tuple(x[k : k + block] for x in args))
                for k in range(0, size, block)
            )
        u_max, du1_min, du2_max, cross_max = 0.0, np.inf, -np.inf, -np.inf
        for lo_k, hi_k, args_k in blocks:
            t = lo_k[..., None] + (hi_k - lo_k)[..., None] * s
            with np.errstate(all="ignore"):
                U = self(t, *(x[..., None] for x in args_k))
            if U.shape[-1:] != (2,):
                raise ValueError(f"frontier function must return shape (..., 2), got {U.shape}")
            if not np.all(np.isfinite(U)):
                raise ValueError("frontier function returned non-finite utilities on its domain")
            dU = np.diff(U, axis=-2)
            cross = dU[..., :-1, 0] * dU[..., 1:, 1] - dU[..., :-1, 1] * dU[..., 1:, 0]
            u_max = max(u_max, np.max(np.abs(U)))
            du1_min, du2_max = min(du1_min, np.min(dU[..., 0])), max(du2_max, np.max(dU[..., 1]))
            # as np.any(cross > threshold): nan (from overflow) never counts
            cross_max = max(cross_max, np.max(cross, where=~np.isnan(cross), initial=-np.inf))
        scale = u_max + 1.0
        tol = 1e-12 * scale
        if du1_min < -tol or du2_max > tol:
            raise ValueError(
                "frontier must have u_1 non-decreasing and u_2 non-increasing in t "
                f"(checked on a {_CHECK_POINTS}-point grid)"
            )
        if cross_max > 1e-9 * scale**2 / _CHECK_POINTS:
            raise ValueError(
                "frontier is not concave (the set below it is not convex; checked on a "
                f"{_CHECK_POINTS}-point grid); solutions on it would not be unique"
            )
