r"""Per-issue value functions ``v(x)`` for additive utilities.

Each value function is a small object holding its parameters as arrays;
the parameters' leading dimensions are *batch* dimensions (for example a
Monte Carlo sample of risk attitudes). Each declares its assumptions —
:attr:`~ValueFunction.concave` and :attr:`~ValueFunction.monotone` — which
the continuous solvers check.

Evaluation contract: ``v(x)`` evaluates every parameter draw at every value
of ``x``: the result has shape ``v.batch_shape + np.shape(x)``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import ClassVar

import numpy as np

from .._core._validate import as_float_array

__all__ = [
    "Custom",
    "Exponential",
    "IdealPoint",
    "Linear",
    "Logarithmic",
    "PiecewiseLinear",
    "Power",
    "Table",
    "ValueFunction",
]


def _expand(p: np.ndarray, core: int, ns: int) -> np.ndarray:
    """Insert ``ns`` axes between ``p``'s batch axes and its ``core`` trailing axes."""
    cut = p.ndim - core
    return p.reshape(p.shape[:cut] + (1,) * ns + p.shape[cut:])


class ValueFunction:
    """Base class: parameters as broadcast arrays, evaluation and assumptions.

    Subclasses define ``_f(x, **params)`` and ``_df(x, **params)`` (the right
    derivative), and the properties :attr:`concave` and :attr:`monotone`.
    Parameters with ``_core`` trailing dimensions (a table's options) keep
    those dimensions after the batch dimensions.

    Examples
    --------
    Every value function is one; array parameters make a batch, and ``v(x)``
    evaluates every draw at every ``x``:

    >>> import bargain as bg
    >>> v = bg.Power([0.5, 1.0])  # two exponents: a batch of two
    >>> isinstance(v, bg.ValueFunction), v.batch_shape
    (True, (2,))
    >>> v([0.25, 1.0])  # rows: sqrt(x), then x
    array([[0.5 , 1.  ],
           [0.25, 1.  ]])
    """

    _core: ClassVar[dict[str, int]] = {}
    discrete_only = False

    def _set(self, **params) -> None:
        arrays = {k: as_float_array(v, f"{type(self).__name__} `{k}`") for k, v in params.items()}
        try:
            batch = np.broadcast_shapes(
                *(a.shape[: a.ndim - self._core.get(k, 0)] for k, a in arrays.items())
            )
        except ValueError:
            shapes = {k: a.shape for k, a in arrays.items()}
            raise ValueError(
                f"{type(self).__name__}: parameter shapes do not broadcast: {shapes}"
            ) from None
        self._params = {
            k: np.broadcast_to(a, batch + a.shape[a.ndim - self._core.get(k, 0) :])
            for k, a in arrays.items()
        }
        self.batch_shape = batch

    @property
    def params(self) -> dict[str, np.ndarray]:
        """The parameters, broadcast to the batch shape."""
        return dict(self._params)

    # -- evaluation ------------------------------------------------------

    def _eval(self, fn, x, ns):
        p = {k: _expand(a, self._core.get(k, 0), ns) for k, a in self._params.items()}
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            return fn(np.asarray(x, dtype=float), **p)

    def __call__(self, x) -> np.ndarray:
        """Values at ``x``: shape ``batch_shape + np.shape(x)``."""
        x = np.asarray(x, dtype=float)
        return np.asarray(self._eval(self._f, x, x.ndim), dtype=float)

    def derivative(self, x) -> np.ndarray:
        """Right derivative at ``x``: shape ``batch_shape + np.shape(x)``.

        Parameters
        ----------
        x : array_like
            Issue values (option indices for a :class:`Table`, which has none).

        Returns
        -------
        ndarray

        Examples
        --------
        >>> import bargain as bg
        >>> bg.Power(0.5).derivative([0.25, 1.0])  # 0.5 / sqrt(x)
        array([1. , 0.5])

        At a kink it is the slope of the piece to the right:

        >>> v = bg.PiecewiseLinear([0, 0.5, 1], [0, 0.8, 1])
        >>> v.derivative([0.25, 0.5])  # 0.8 / 0.5, then (1 - 0.8) / 0.5
        array([1.6, 0.4])
        """
        x = np.asarray(x, dtype=float)
        return np.asarray(self._eval(self._df, x, x.ndim), dtype=float)

    def second_derivative(self, x) -> np.ndarray:
        """Second derivative at ``x``: shape ``batch_shape + np.shape(x)``.

        At a kink (piecewise-linear pieces, linear loss) it is that of the piece
        to the right. Subclasses give it in closed form; the base class
        differentiates :meth:`derivative` numerically (central differences).

        Examples
        --------
        >>> import bargain as bg
        >>> bg.Power(0.5).second_derivative([0.25, 1.0])  # -(1/4) x**-1.5
        array([-2.  , -0.25])
        """
        x = np.asarray(x, dtype=float)
        return np.asarray(self._eval(self._d2f, x, x.ndim), dtype=float)

    def _d2f(self, x, **params):
        # fallback: Richardson-extrapolated central differences of the first derivative
        h = 1e-4 * (1.0 + np.abs(x))
        c1 = (self._df(x + h, **params) - self._df(x - h, **params)) / (2 * h)
        c2 = (self._df(x + h / 2, **params) - self._df(x - h / 2, **params)) / h
        return (4 * c2 - c1) / 3

    def _aligned(self, x, derivative: bool = False, second: bool = False) -> np.ndarray:
        """Values (right derivatives, second derivatives) at ``x`` led by the batch axes."""
        x = np.asarray(x, dtype=float)
        ns = x.ndim - len(self.batch_shape)
        fn = self._d2f if second else (self._df if derivative else self._f)
        return self._eval(fn, x, ns)

    def _aligned_d12(self, x):
        """Right first and second derivatives at ``x`` led by the batch axes, as a pair."""
        x = np.asarray(x, dtype=float)
        ns = x.ndim - len(self.batch_shape)
        return self._eval(self._d12f, x, ns)

    def _d12f(self, x, **params):
        """Both derivatives; subclasses may share work between them (one power, say)."""
        return self._df(x, **params), self._d2f(x, **params)

    def _broadcast_to(self, shape) -> ValueFunction:
        """A copy with parameters broadcast to batch ``shape`` (then :meth:`_reshape`)."""
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)
        new._params = {
            k: np.broadcast_to(a, tuple(shape) + a.shape[a.ndim - self._core.get(k, 0) :])
            for k, a in self._params.items()
        }
        new.batch_shape = tuple(shape)
        return new

    def _reshape(self, shape) -> ValueFunction:
        """A copy with the (already broadcast) batch dims reshaped to ``shape``."""
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)
        new._params = {
            k: a.reshape(tuple(shape) + a.shape[a.ndim - self._core.get(k, 0) :])
            for k, a in self._params.items()
        }
        new.batch_shape = tuple(shape)
        return new

    def _flat(self, batch, repeats: int = 1) -> ValueFunction:
        """A copy with parameters broadcast to ``batch``, flattened, each repeated ``repeats`` x.

        The result has batch shape ``(prod(batch) * repeats,)``: element
        ``b * repeats + m`` holds the parameters of flat batch element ``b``.
        """
        size = int(np.prod(batch, dtype=np.int64))
        new = self._broadcast_to(tuple(batch))._reshape((size,))
        if repeats != 1:
            new._params = {k: np.repeat(a, repeats, axis=0) for k, a in new._params.items()}
            new.batch_shape = (size * repeats,)
        return new

    def _take_many(self, idx) -> ValueFunction:
        """Elements ``idx`` (an index array) of a flat batch: batch shape ``(len(idx),)``."""
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)
        new._params = {k: a[idx] for k, a in self._params.items()}
        new.batch_shape = (len(idx),)
        return new

    def _take(self, i: int) -> ValueFunction:
        """Element ``i`` of a flat batch (batch shape ``()``)."""
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)
        new._params = {k: a[i] for k, a in self._params.items()}
        new.batch_shape = ()
        return new

    # -- assumptions -------------------------------------------------------

    @property
    def concave(self) -> bool:
        """Whether ``v`` is concave for every parameter draw."""
        return False

    @property
    def monotone(self) -> str | None:
        """``"increasing"``, ``"decreasing"`` or ``None``, for every draw."""
        return None

    def check_domain(self, lo: float, hi: float, where: str) -> None:
        """Raise ``ValueError`` (prefixed ``where``) if ``v`` is undefined on ``[lo, hi]``.

        The base class accepts every range (a linear or ideal-point value is
        defined everywhere); :class:`Power`, :class:`Logarithmic` and
        :class:`PiecewiseLinear` check theirs.

        Parameters
        ----------
        lo, hi : float
            The issue's range.
        where : str
            Prefix of the error message (which party and issue).

        Examples
        --------
        >>> import bargain as bg
        >>> bg.Linear().check_domain(-5.0, 5.0, "issue 'x': ")  # no error: defined everywhere
        >>> bg.Power(0.5).check_domain(-1.0, 1.0, "issue 'x': ")  # sqrt(x) at x < 0
        Traceback (most recent call last):
            ...
        ValueError: issue 'x': Power needs x - origin >= 0 on the issue's range [-1.0, 1.0]
        """

    def expr(self, x):
        """A cvxpy expression of ``v(x)`` for a scalar cvxpy variable (unbatched only).

        The convex-program solver maximises with it; the base class has none
        (``NotImplementedError``), nor does a :class:`Table`.

        Parameters
        ----------
        x : cvxpy.Variable
            A scalar variable (the issue's value).

        Returns
        -------
        cvxpy.Expression

        Examples
        --------
        >>> import cvxpy as cp, bargain as bg
        >>> x = cp.Variable()
        >>> e = bg.Power(0.5).expr(x)
        >>> e.is_concave()
        True
        >>> x.value = 0.25
        >>> float(e.value)  # sqrt(0.25)
        0.5
        >>> bg.Table([0.0, 1.0]).expr(x)
        Traceback (most recent call last):
            ...
        NotImplementedError: Table has no cvxpy expression
        """
        raise NotImplementedError(f"{type(self).__name__} has no cvxpy expression")

    def _scalar_params(self, where="") -> dict[str, float]:
        if self.batch_shape != ():
            raise ValueError(
                f"{where}{type(self).__name__}: the convex-program solver handles one "
                "problem at a time; batched parameters are solved in a loop"
            )
        return {k: np.asarray(a) for k, a in self._params.items()}

    def __repr__(self) -> str:
        def show(a):
            a = np.asarray(a)
            return repr(a.item()) if a.ndim == 0 else f"array{a.shape}"

        body = ", ".join(f"{k}={show(v)}" for k, v in self._params.items())
        return f"{type(self).__name__}({body})"


def _sign_check(a, name):
    a = np.asarray(a)
    if np.all(a > 0):
        return "increasing"
    if np.all(a < 0):
        return "decreasing"
    return None


class Linear(ValueFunction):
    r"""Linear value :math:`v(x) = c + s\,x` (increasing for ``s > 0``, decreasing for ``s < 0``).

    Parameters
    ----------
    slope : array_like, default 1
    intercept : array_like, default 0

    Examples
    --------
    >>> import bargain as bg
    >>> v = bg.Linear(slope=[1.0, -1.0], intercept=[0.0, 1.0])  # batch of two
    >>> v([0.0, 0.25])  # shape batch + x
    array([[0.  , 0.25],
           [1.  , 0.75]])
    >>> v.concave, v.monotone
    (True, None)
    """

    def __init__(self, slope=1.0, intercept=0.0) -> None:
        self._set(slope=slope, intercept=intercept)

    @staticmethod
    def _f(x, slope, intercept):
        return intercept + slope * x

    @staticmethod
    def _df(x, slope, intercept):
        return slope + 0.0 * x

    @staticmethod
    def _d2f(x, slope, intercept):
        return np.zeros(np.broadcast_shapes(np.shape(x), np.shape(slope)))

    @property
    def concave(self) -> bool:
        """Always ``True``: a linear function is concave."""
        return True

    @property
    def monotone(self):
        """From the sign of every slope: ``"increasing"``, ``"decreasing"`` or ``None``."""
        return _sign_check(self._params["slope"], "slope")

    def expr(self, x):
        """The affine cvxpy expression ``c + s x``.

        Parameters
        ----------
        x : cvxpy.Variable
            A scalar variable.

        Returns
        -------
        cvxpy.Expression

        Examples
        --------
        >>> import cvxpy as cp, bargain as bg
        >>> x = cp.Variable()
        >>> e = bg.Linear(slope=-1.0, intercept=1.0).expr(x)
        >>> e.is_affine()
        True
        >>> x.value = 0.25
        >>> float(e.value)  # 1 - 0.25
        0.75
        """
        p = self._scalar_params()
        return float(p["intercept"]) + float(p["slope"]) * x


class _Shaped(ValueFunction):
    """Shared handling of ``origin`` and ``decreasing`` for shaped value functions."""

    def _z(self, x, origin):
        return (origin - x) if self.decreasing else (x - origin)

    def _dir(self):
        return -1.0 if self.decreasing else 1.0

    @property
    def monotone(self):
        return "decreasing" if self.decreasing else "increasing"

    def _z_range_ok(self, lo, hi, where, cond, rule):
        o = self._params["origin"]
        zl, zh = (o - hi, o - lo) if self.decreasing else (lo - o, hi - o)
        if not (np.all(cond(zl)) and np.all(cond(zh))):
            raise ValueError(f"{where}{rule} on the issue's range [{lo}, {hi}]")

    def _check_decreasing(self, decreasing):
        if not isinstance(decreasing, (bool, np.bool_)):
            raise TypeError(
                f"{type(self).__name__}: `decreasing` must be True or False, got {decreasing!r}"
            )
        self.decreasing = bool(decreasing)


class Power(_Shaped):
    r"""Power value :math:`v(x) = z^p` with :math:`z = x - o` (or :math:`o - x` if decreasing).

    Concave for :math:`0 < p \le 1` (risk aversion), convex for :math:`p > 1`.

    Parameters
    ----------
    exponent : array_like
        ``p > 0``.
    origin : array_like, default 0
        ``o``: where the value is zero. Needs ``z >= 0`` on the issue's range.
    decreasing : bool, default False
        Value of the complement: :math:`v(x) = (o - x)^p`.

    Examples
    --------
    A party who receives ``1 - x`` of a unit pie with square-root value:

    >>> import bargain as bg
    >>> v = bg.Power(0.5, origin=1.0, decreasing=True)
    >>> v([0.0, 0.75])
    array([1. , 0.5])
    >>> v.concave, v.monotone
    (True, 'decreasing')
    """

    def __init__(self, exponent, *, origin=0.0, decreasing: bool = False) -> None:
        self._check_decreasing(decreasing)
        self._set(exponent=exponent, origin=origin)
        if np.any(self._params["exponent"] <= 0):
            raise ValueError(f"Power: `exponent` must be positive, got {self._params['exponent']}")

    def _f(self, x, exponent, origin):
        return np.maximum(self._z(x, origin), 0.0) ** exponent

    def _df(self, x, exponent, origin):
        z = np.maximum(self._z(x, origin), 0.0)
        g = np.where(z > 0, exponent * z ** (exponent - 1.0), np.where(exponent < 1, np.inf, 0.0))
        g = np.where(exponent == 1.0, 1.0, g)
        return self._dir() * g

    def _d2f(self, x, exponent, origin):
        # d2/dx2 of z**p with z = +-(x - o): p (p - 1) z**(p - 2) (the sign of dz/dx squares away)
        z = np.maximum(self._z(x, origin), 0.0)
        p = exponent
        at0 = np.where(p < 1, -np.inf, np.where(p < 2, np.inf, np.where(p == 2, 2.0, 0.0)))
        g = np.where(z > 0, p * (p - 1.0) * z ** (p - 2.0), at0)
        return np.where(p == 1.0, 0.0, g)

    def _d12f(self, x, exponent, origin):
        # one power for both: z**(p - 1) = z * z**(p - 2) where z > 0; the ends as above
        z = np.maximum(self._z(x, origin), 0.0)
        p = exponent
        q = z ** (p - 2.0)
        first = np.where(z > 0, p * (z * q), np.where(p < 1, np.inf, 0.0))
        first = self._dir() * np.where(p == 1.0, 1.0, first)
        at0 = np.where(p < 1, -np.inf, np.where(p < 2, np.inf, np.where(p == 2, 2.0, 0.0)))
        second = np.where(z > 0, p * (p - 1.0) * q, at0)
        return first, np.where(p == 1.0, 0.0, second)

    @property
    def concave(self) -> bool:
        """Whether every exponent is at most 1."""
        return bool(np.all(self._params["exponent"] <= 1.0))

    def check_domain(self, lo, hi, where):
        """Raise ``ValueError`` (prefixed ``where``) unless ``z >= 0`` on ``[lo, hi]``.

        Parameters
        ----------
        lo, hi : float
            The issue's range.
        where : str
            Prefix of the error message (which party and issue).

        Examples
        --------
        >>> import bargain as bg
        >>> v = bg.Power(0.5, origin=1.0, decreasing=True)  # sqrt(1 - x)
        >>> v.check_domain(0.0, 1.0, "issue 'x': ")  # 1 - x >= 0 on [0, 1]: no error
        >>> v.check_domain(0.0, 2.0, "issue 'x': ")
        Traceback (most recent call last):
            ...
        ValueError: issue 'x': Power needs x - origin >= 0 on the issue's range [0.0, 2.0]
        """
        self._z_range_ok(lo, hi, where, lambda z: z >= 0, "Power needs x - origin >= 0")

    def expr(self, x):
        """The cvxpy expression ``z**p`` (``z`` itself for ``p = 1``).

        Parameters
        ----------
        x : cvxpy.Variable
            A scalar variable.

        Returns
        -------
        cvxpy.Expression

        Examples
        --------
        >>> import cvxpy as cp, bargain as bg
        >>> x = cp.Variable()
        >>> e = bg.Power(0.5, origin=1.0, decreasing=True).expr(x)
        >>> e.is_concave()
        True
        >>> x.value = 0.75
        >>> float(e.value)  # sqrt(1 - 0.75)
        0.5
        """
        import cvxpy as cp

        p = self._scalar_params()
        z = (float(p["origin"]) - x) if self.decreasing else (x - float(p["origin"]))
        e = float(p["exponent"])
        return z if e == 1.0 else cp.power(z, e, approx=False)


class Exponential(_Shaped):
    r"""Exponential (CARA) value :math:`v(x) = (1 - e^{-a z}) / a`, :math:`z = \pm(x - o)`.

    Constant absolute risk aversion ``a``: concave for ``a >= 0`` (``a = 0`` is
    the linear limit ``v = z``), convex for ``a < 0``. :math:`v(o) = 0` and
    :math:`v'(o) = 1`.

    Parameters
    ----------
    a : array_like
        Coefficient of absolute risk aversion.
    origin : array_like, default 0
    decreasing : bool, default False

    Examples
    --------
    >>> import numpy as np, bargain as bg
    >>> v = bg.Exponential(2.0)
    >>> bool(np.isclose(v(1.0), (1 - np.exp(-2)) / 2))
    True
    """

    def __init__(self, a, *, origin=0.0, decreasing: bool = False) -> None:
        self._check_decreasing(decreasing)
        self._set(a=a, origin=origin)

    def _f(self, x, a, origin):
        z = self._z(x, origin)
        az = a * z
        small = np.abs(az) < 1e-5  # series: no cancellation or underflow for tiny a
        safe = np.where(small, 1.0, a)
        return np.where(small, z * (1.0 - az / 2 + az * az / 6), -np.expm1(-safe * z) / safe)

    def _df(self, x, a, origin):
        return self._dir() * np.exp(-a * self._z(x, origin))

    def _d2f(self, x, a, origin):
        return -a * np.exp(-a * self._z(x, origin))

    @property
    def concave(self) -> bool:
        """Whether every ``a >= 0`` (risk aversion or neutrality)."""
        return bool(np.all(self._params["a"] >= 0))

    def expr(self, x):
        """The cvxpy expression ``(1 - exp(-a z)) / a`` (``z`` itself for ``|a| < 1e-10``).

        Parameters
        ----------
        x : cvxpy.Variable
            A scalar variable.

        Returns
        -------
        cvxpy.Expression

        Examples
        --------
        >>> import numpy as np, cvxpy as cp, bargain as bg
        >>> x = cp.Variable()
        >>> e = bg.Exponential(2.0).expr(x)
        >>> e.is_concave()
        True
        >>> x.value = 1.0
        >>> bool(np.isclose(float(e.value), (1 - np.exp(-2)) / 2))
        True
        >>> bg.Exponential(0.0).expr(x).is_affine()  # a = 0: the linear limit v = z
        True
        """
        import cvxpy as cp

        p = self._scalar_params()
        a, o = float(p["a"]), float(p["origin"])
        z = (o - x) if self.decreasing else (x - o)
        # for tiny a the exponential form loses all precision (and overflows the
        # solver's data near a = 0); the linear limit is then the starting point
        # and the exact value function is restored by the polishing step
        return z if abs(a) < 1e-10 else (1.0 - cp.exp(-a * z)) / a


class Logarithmic(_Shaped):
    r"""Logarithmic value :math:`v(x) = \log(1 + a z) / a`, :math:`z = \pm(x - o)`, ``a > 0``.

    Concave and monotone; :math:`v(o) = 0`, :math:`v'(o) = 1`. Needs
    :math:`1 + a z > 0` on the issue's range.

    Parameters
    ----------
    a : array_like, default 1
    origin : array_like, default 0
    decreasing : bool, default False

    Examples
    --------
    >>> import numpy as np, bargain as bg
    >>> bool(np.isclose(bg.Logarithmic(1.0)(1.0), np.log(2)))
    True
    """

    def __init__(self, a=1.0, *, origin=0.0, decreasing: bool = False) -> None:
        self._check_decreasing(decreasing)
        self._set(a=a, origin=origin)
        if np.any(self._params["a"] <= 0):
            raise ValueError(f"Logarithmic: `a` must be positive, got {self._params['a']}")

    def _f(self, x, a, origin):
        z = self._z(x, origin)
        az = a * z
        small = np.abs(az) < 1e-5  # series: no cancellation or underflow for tiny a
        return np.where(small, z * (1.0 - az / 2 + az * az / 3), np.log1p(az) / a)

    def _df(self, x, a, origin):
        return self._dir() / (1.0 + a * self._z(x, origin))

    def _d2f(self, x, a, origin):
        return -a / (1.0 + a * self._z(x, origin)) ** 2

    @property
    def concave(self) -> bool:
        """Always ``True`` (``a > 0``)."""
        return True

    def check_domain(self, lo, hi, where):
        """Raise ``ValueError`` (prefixed ``where``) unless ``1 + a z > 0`` on ``[lo, hi]``.

        Parameters
        ----------
        lo, hi : float
            The issue's range.
        where : str
            Prefix of the error message (which party and issue).

        Examples
        --------
        >>> import bargain as bg
        >>> v = bg.Logarithmic(2.0, origin=0.5)  # log(1 + 2 (x - 0.5)) / 2
        >>> v.check_domain(0.25, 1.0, "issue 'x': ")  # 1 + 2 (0.25 - 0.5) = 0.5 > 0
        >>> v.check_domain(0.0, 1.0, "issue 'x': ")  # 1 + 2 (0 - 0.5) = 0
        Traceback (most recent call last):
            ...
        ValueError: issue 'x': Logarithmic needs 1 + a z > 0 on the issue's range [0.0, 1.0]
        """
        a = self._params["a"]
        self._z_range_ok(lo, hi, where, lambda z: 1.0 + a * z > 0, "Logarithmic needs 1 + a z > 0")

    def expr(self, x):
        """The cvxpy expression ``log(1 + a z) / a``.

        Parameters
        ----------
        x : cvxpy.Variable
            A scalar variable.

        Returns
        -------
        cvxpy.Expression

        Examples
        --------
        >>> import numpy as np, cvxpy as cp, bargain as bg
        >>> x = cp.Variable()
        >>> e = bg.Logarithmic(1.0).expr(x)
        >>> e.is_concave()
        True
        >>> x.value = 1.0
        >>> bool(np.isclose(float(e.value), np.log(2)))  # log(1 + 1) / 1
        True
        """
        import cvxpy as cp

        p = self._scalar_params()
        a, o = float(p["a"]), float(p["origin"])
        z = (o - x) if self.decreasing else (x - o)
        return cp.log(1.0 + a * z) / a


class PiecewiseLinear(ValueFunction):
    r"""Piecewise-linear value through the points ``(knots[j], values[j])``.

    Concave when the slopes are non-increasing. The issue's range must lie
    within ``[knots[0], knots[-1]]``.

    Parameters
    ----------
    knots : array_like, shape (..., m)
        Strictly increasing, ``m >= 2``.
    values : array_like, shape (..., m)

    Examples
    --------
    >>> import bargain as bg
    >>> v = bg.PiecewiseLinear([0, 0.5, 1], [0, 0.8, 1])
    >>> v([0.25, 0.75]), v.concave
    (array([0.4, 0.9]), True)
    """

    _core: ClassVar[dict[str, int]] = {"knots": 1, "values": 1}

    def __init__(self, knots, values) -> None:
        k = as_float_array(knots, "PiecewiseLinear `knots`", min_ndim=1)
        v = as_float_array(values, "PiecewiseLinear `values`", min_ndim=1)
        if k.shape[-1] < 2 or k.shape[-1] != v.shape[-1]:
            raise ValueError(
                "PiecewiseLinear: `knots` and `values` need the same length >= 2 on the last "
                f"axis, got shapes {k.shape} and {v.shape}"
            )
        if np.any(np.diff(k, axis=-1) <= 0):
            raise ValueError(f"PiecewiseLinear: `knots` must be strictly increasing, got {k}")
        self._set(knots=k, values=v)

    @staticmethod
    def _segment(x, knots):
        # index j of the segment [knots[j], knots[j+1]) holding x (right-continuous)
        m = knots.shape[-1]
        j = np.sum(x[..., None] >= knots[..., 1:-1], axis=-1) if m > 2 else np.zeros(x.shape, int)
        return j

    @staticmethod
    def _bcast(x, knots, values):
        shape = np.broadcast_shapes(knots.shape[:-1], x.shape)
        x = np.broadcast_to(x, shape)
        knots, values = (np.broadcast_to(a, shape + a.shape[-1:]) for a in (knots, values))
        return x, knots, values

    def _f(self, x, knots, values):
        x, knots, values = self._bcast(x, knots, values)
        j = self._segment(x, knots)[..., None]
        k0, k1 = (np.take_along_axis(knots, j + i, axis=-1)[..., 0] for i in (0, 1))
        v0, v1 = (np.take_along_axis(values, j + i, axis=-1)[..., 0] for i in (0, 1))
        return v0 + (v1 - v0) * (x - k0) / (k1 - k0)

    def _df(self, x, knots, values):
        x, knots, values = self._bcast(x, knots, values)
        j = self._segment(x, knots)[..., None]
        k0, k1 = (np.take_along_axis(knots, j + i, axis=-1)[..., 0] for i in (0, 1))
        v0, v1 = (np.take_along_axis(values, j + i, axis=-1)[..., 0] for i in (0, 1))
        return (v1 - v0) / (k1 - k0)

    def _d2f(self, x, knots, values):
        x, knots, values = self._bcast(x, knots, values)
        return np.zeros(x.shape)

    def _slopes(self):
        k, v = self._params["knots"], self._params["values"]
        return np.diff(v, axis=-1) / np.diff(k, axis=-1)

    @property
    def concave(self) -> bool:
        """Whether the slopes are non-increasing, for every draw."""
        s = self._slopes()
        # a slope (v1 - v0) / (k1 - k0) carries a rounding error of about
        # eps * (|v0| + |v1|) / (k1 - k0): a concave function whose knots are close together
        # (or whose slopes are equal) must not read as convex through it
        k, v = self._params["knots"], self._params["values"]
        scale = np.maximum(np.abs(v[..., :-1]), np.abs(v[..., 1:])) / np.diff(k, axis=-1)
        rounding = 16 * np.finfo(float).eps * (scale[..., :-1] + scale[..., 1:])
        tol = 1e-12 * (1 + np.abs(s[..., 1:])) + rounding
        return bool(np.all(np.diff(s, axis=-1) <= tol))

    @property
    def monotone(self):
        """From the signs of the slopes: ``"increasing"``, ``"decreasing"`` or ``None``."""
        return _sign_check(self._slopes(), "slopes")

    def check_domain(self, lo, hi, where):
        """Raise ``ValueError`` (prefixed ``where``) unless the knots cover ``[lo, hi]``.

        Parameters
        ----------
        lo, hi : float
            The issue's range.
        where : str
            Prefix of the error message (which party and issue).

        Examples
        --------
        >>> import bargain as bg
        >>> v = bg.PiecewiseLinear([0, 0.5, 1], [0, 0.8, 1])
        >>> v.check_domain(0.0, 1.0, "issue 'x': ")  # knots 0 .. 1 cover [0, 1]: no error
        >>> v.check_domain(0.0, 2.0, "issue 'x': ")
        Traceback (most recent call last):
            ...
        ValueError: issue 'x': PiecewiseLinear knots must cover the issue's range [0.0, 2.0]
        """
        k = self._params["knots"]
        if np.any(k[..., 0] > lo) or np.any(k[..., -1] < hi):
            raise ValueError(
                f"{where}PiecewiseLinear knots must cover the issue's range [{lo}, {hi}]"
            )

    def expr(self, x):
        """The cvxpy expression: the minimum of the pieces' lines (concave ``v`` only).

        Parameters
        ----------
        x : cvxpy.Variable
            A scalar variable.

        Returns
        -------
        cvxpy.Expression
            Equal to ``v(x)`` on the knots' range when ``v`` is concave.

        Examples
        --------
        >>> import cvxpy as cp, bargain as bg
        >>> x = cp.Variable()
        >>> e = bg.PiecewiseLinear([0, 0.5, 1], [0, 0.8, 1]).expr(x)  # min(1.6 x, 0.6 + 0.4 x)
        >>> e.is_concave()
        True
        >>> x.value = 0.75
        >>> float(e.value)  # 0.8 + 0.4 * (0.75 - 0.5)
        0.9
        """
        import cvxpy as cp

        p = self._scalar_params()
        k, v = p["knots"], p["values"]
        s = np.diff(v) / np.diff(k)
        pieces = [float(v[j]) + float(s[j]) * (x - float(k[j])) for j in range(s.size)]
        return pieces[0] if len(pieces) == 1 else cp.minimum(*pieces)


class IdealPoint(ValueFunction):
    r"""Spatial (ideal-point) value: minus the distance from the party's ideal position.

    .. math:: v(x) = -s\,|x - p| \quad\text{(linear loss)}, \qquad
              v(x) = -s\,(x - p)^2 \quad\text{(quadratic loss)}

    Concave, single-peaked at ``p`` (Enelow & Hinich 1984, ch. 2).

    Parameters
    ----------
    position : array_like
        The ideal point ``p``.
    loss : {"quadratic", "linear"}
    scale : array_like, default 1
        ``s > 0``.

    Examples
    --------
    >>> import bargain as bg
    >>> bg.IdealPoint(0.3, loss="linear")([0.0, 0.3, 1.0])
    array([-0.3,  0. , -0.7])
    """

    def __init__(self, position, *, loss: str = "quadratic", scale=1.0) -> None:
        if loss not in ("quadratic", "linear"):
            raise ValueError(f"IdealPoint: `loss` must be 'quadratic' or 'linear', got {loss!r}")
        self.loss = loss
        self._set(position=position, scale=scale)
        if np.any(self._params["scale"] <= 0):
            raise ValueError(f"IdealPoint: `scale` must be positive, got {self._params['scale']}")

    def _f(self, x, position, scale):
        z = x - position
        return -scale * (np.abs(z) if self.loss == "linear" else z * z)

    def _df(self, x, position, scale):
        z = x - position
        if self.loss == "linear":
            return np.where(z >= 0, -scale, scale) + 0.0 * x
        return -2.0 * scale * z

    def _d2f(self, x, position, scale):
        z = x - position
        return (0.0 if self.loss == "linear" else -2.0) * scale + 0.0 * z

    @property
    def concave(self) -> bool:
        """Always ``True``: minus a distance is concave."""
        return True

    def expr(self, x):
        """The cvxpy expression ``-s |x - p|`` or ``-s (x - p)**2``.

        Parameters
        ----------
        x : cvxpy.Variable
            A scalar variable.

        Returns
        -------
        cvxpy.Expression

        Examples
        --------
        >>> import cvxpy as cp, bargain as bg
        >>> x = cp.Variable()
        >>> e = bg.IdealPoint(0.3, scale=2.0).expr(x)
        >>> e.is_concave()
        True
        >>> x.value = 0.8
        >>> float(e.value)  # -2 * (0.8 - 0.3)**2
        -0.5
        """
        import cvxpy as cp

        p = self._scalar_params()
        z = x - float(p["position"])
        s = float(p["scale"])
        return -s * (cp.abs(z) if self.loss == "linear" else cp.square(z))


class Table(ValueFunction):
    """Value of each option of a discrete issue.

    Parameters
    ----------
    values : array_like, shape (..., k), or mapping option -> value
        One value per option, in the issue's option order (or keyed by
        option label; then every option must be given).

    Examples
    --------
    >>> import bargain as bg
    >>> t = bg.Table({"none": 0.0, "treaty": 0.6, "art5": 1.0})
    >>> t.options
    ('none', 'treaty', 'art5')
    >>> t([2, 0])  # evaluated at option indices
    array([1., 0.])
    """

    _core: ClassVar[dict[str, int]] = {"values": 1}
    discrete_only = True

    def __init__(self, values) -> None:
        self.options = None
        if isinstance(values, Mapping):
            self.options = tuple(values)
            values = np.stack([np.asarray(v, dtype=float) for v in values.values()], axis=-1)
        v = as_float_array(values, "Table `values`", min_ndim=1)
        self._set(values=v)

    @property
    def k(self) -> int:
        """Number of options."""
        return self._params["values"].shape[-1]

    def bind(self, issue, where: str) -> Table:
        """Check against ``issue`` (option count/labels); reorder labelled values.

        Parameters
        ----------
        issue : DiscreteIssue
            The issue the table values.
        where : str
            Prefix of error messages (which party and issue).

        Returns
        -------
        Table
            Values in the issue's option order (``self`` for an unlabelled table).

        Examples
        --------
        >>> import bargain as bg
        >>> g = bg.DiscreteIssue("guarantee", ["none", "treaty", "art5"])
        >>> t = bg.Table({"art5": 1.0, "none": 0.0, "treaty": 0.6}).bind(g, "")
        >>> t.options, t.params["values"]  # reordered to the issue's options
        (('none', 'treaty', 'art5'), array([0. , 0.6, 1. ]))
        >>> bg.Table([0.0, 1.0]).bind(g, "issue 'guarantee': ")
        Traceback (most recent call last):
            ...
        ValueError: issue 'guarantee': Table has 2 values but the issue has 3 options
        ['none', 'treaty', 'art5']
        """
        if self.options is not None:
            unknown = [o for o in self.options if o not in issue.options]
            if unknown:
                raise ValueError(
                    f"{where}Table has unknown option(s) {unknown}; the issue's options "
                    f"are {list(issue.options)}"
                )
            missing = [o for o in issue.options if o not in self.options]
            if missing:
                raise ValueError(f"{where}Table has no value for option(s) {missing}")
            order = [self.options.index(o) for o in issue.options]
            new = Table(self._params["values"][..., order])
            new.options = issue.options
            return new
        if self.k != issue.k:
            raise ValueError(
                f"{where}Table has {self.k} values but the issue has {issue.k} options "
                f"{list(issue.options)}"
            )
        return self

    @staticmethod
    def _f(x, values):
        idx = np.asarray(x).astype(np.intp)
        shape = np.broadcast_shapes(values.shape[:-1], idx.shape)
        v = np.broadcast_to(values, shape + values.shape[-1:])
        i = np.broadcast_to(idx, shape)
        return np.take_along_axis(v, i[..., None], axis=-1)[..., 0]

    @staticmethod
    def _df(x, values):
        raise TypeError("Table values are defined on options only; they have no derivative")

    @staticmethod
    def _d2f(x, values):
        raise TypeError("Table values are defined on options only; they have no derivative")


class Custom(ValueFunction):
    """A user-supplied vectorised value function ``func(x) -> array`` of ``x``'s shape.

    Parameters
    ----------
    func : callable
        Vectorised: ``func(x)`` for an array ``x`` returns an array of the
        same shape (checked).
    derivative : callable, optional
        Its derivative; the continuous solver otherwise differentiates
        numerically (central differences, accuracy about 1e-8).
    concave : bool, default False
        Declared concavity. The continuous solver needs ``True`` and checks
        it on a grid over the issue's range.
    monotone : {"increasing", "decreasing", None}
    expr : callable, optional
        ``expr(x)`` returning a cvxpy expression for a scalar variable ``x``
        (needed only by the convex-program solver).

    Examples
    --------
    >>> import numpy as np, bargain as bg
    >>> v = bg.Custom(np.sqrt, concave=True, monotone="increasing")
    >>> v([0.25, 1.0])
    array([0.5, 1. ])
    """

    def __init__(
        self,
        func: Callable,
        *,
        derivative: Callable | None = None,
        concave: bool = False,
        monotone: str | None = None,
        expr: Callable | None = None,
    ) -> None:
        if not callable(func):
            raise TypeError(f"Custom: `func` must be callable, got {type(func).__name__}")
        for key, f in (("derivative", derivative), ("expr", expr)):
            if f is not None and not callable(f):
                raise TypeError(f"Custom: `{key}` must be callable or None")
        if monotone not in (None, "increasing", "decreasing"):
            raise ValueError(
                f"Custom: `monotone` must be 'increasing', 'decreasing' or None, got {monotone!r}"
            )
        self.func, self._deriv, self._concave = func, derivative, bool(concave)
        self._monotone, self._expr = monotone, expr
        self._set()

    def check_vectorised(self, lo: float, hi: float, where: str) -> None:
        """Call ``func`` on a (2, 3) array of points in ``[lo, hi]``; check the output shape.

        Parameters
        ----------
        lo, hi : float
            The issue's range.
        where : str
            Prefix of the error message (which party and issue).

        Raises
        ------
        TypeError
            If ``func`` fails on the array or returns another shape.

        Examples
        --------
        >>> import numpy as np, bargain as bg
        >>> bg.Custom(np.sqrt).check_vectorised(0.0, 1.0, "issue 'x': ")  # no error
        >>> bg.Custom(lambda x: 0.5).check_vectorised(0.0, 1.0, "issue 'x': ")  # a constant
        Traceback (most recent call last):
            ...
        TypeError: issue 'x': Custom value function is not vectorised: on an array of
        shape (2, 3) it returned shape ()
        """
        x = np.linspace(lo, hi, 6).reshape(2, 3)
        try:
            y = np.asarray(self.func(x), dtype=float)
        except Exception as exc:  # the user's function failed on an array
            raise TypeError(
                f"{where}Custom value function is not vectorised: calling it on an array of "
                f"shape (2, 3) raised {type(exc).__name__}: {exc}"
            ) from None
        if y.shape != x.shape:
            raise TypeError(
                f"{where}Custom value function is not vectorised: on an array of shape (2, 3) "
                f"it returned shape {y.shape}"
            )

    def _f(self, x):
        return np.asarray(self.func(x), dtype=float)

    def _df(self, x):
        if self._deriv is not None:
            return np.asarray(self._deriv(x), dtype=float)
        h = 1e-5 * (1.0 + np.abs(x))
        c1 = (self.func(x + h) - self.func(x - h)) / (2 * h)
        c2 = (self.func(x + h / 2) - self.func(x - h / 2)) / h
        return (4 * c2 - c1) / 3

    @property
    def concave(self) -> bool:
        """The declared concavity (``concave=``)."""
        return self._concave

    @property
    def monotone(self):
        """The declared monotonicity (``monotone=``)."""
        return self._monotone

    def expr(self, x):
        """The user's ``expr(x)``; ``NotImplementedError`` if none was given.

        Parameters
        ----------
        x : cvxpy.Variable
            A scalar variable.

        Returns
        -------
        cvxpy.Expression

        Examples
        --------
        >>> import numpy as np, cvxpy as cp, bargain as bg
        >>> x = cp.Variable()
        >>> v = bg.Custom(np.sqrt, concave=True, expr=cp.sqrt)
        >>> x.value = 0.25
        >>> float(v.expr(x).value)  # sqrt(0.25)
        0.5
        >>> bg.Custom(np.sqrt).expr(x)
        Traceback (most recent call last):
            ...
        NotImplementedError: Custom value function has no cvxpy expression: pass `expr=` to
        use the convex-program solver
        """
        if self._expr is None:
            raise NotImplementedError(
                "Custom value function has no cvxpy expression: pass `expr=` to use the "
                "convex-program solver"
            )
        return self._expr(x)

    def __repr__(self) -> str:
        return f"Custom({getattr(self.func, '__name__', 'func')})"


def check_concave(v: ValueFunction, lo: float, hi: float, where: str) -> None:
    """Check ``v``'s declared concavity on ``[lo, hi]``; raise naming ``where`` if violated.

    Value functions whose class proves concavity from the parameters are
    trusted; :class:`Custom` ones are checked on a 129-point grid (second
    differences).
    """
    if not v.concave:
        raise ValueError(
            f"{where}value function {v!r} is not concave; the exact continuous solver needs "
            "concave value functions (use method='enumerate' with a grid instead)"
        )
    if isinstance(v, Custom):
        x = np.linspace(lo, hi, 129)
        y = v(x)
        if not np.all(np.isfinite(y)):
            raise ValueError(f"{where}Custom value function is not finite on [{lo}, {hi}]")
        second = y[2:] - 2 * y[1:-1] + y[:-2]
        if np.any(second > 1e-9 * (1.0 + np.max(np.abs(y)))):
            raise ValueError(
                f"{where}Custom value function is declared concave but is not: a positive "
                f"second difference on a 129-point grid over [{lo}, {hi}]"
            )
