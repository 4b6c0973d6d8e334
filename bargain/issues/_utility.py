r"""Utility functions over outcomes: additive (per-issue values) or custom.

``AdditiveUtility`` is :math:`u(x) = \sum_k w_k v_k(x_k)` with one
:mod:`value function <bargain.issues._values>` per issue the party cares about.
Weights and value-function parameters may be arrays whose leading
dimensions are batch dimensions (a Monte Carlo sample of preferences): the
utility of ``N`` outcomes under a batch ``B`` of preferences is one call
returning ``B + (N,)``.

A utility is written without reference to an agenda; a
:class:`~bargain.Negotiation` *binds* it to its agenda, which checks that
every issue exists, every table matches its issue's options and every value
function is defined on its issue's range.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from .._core._validate import as_float_array
from ._values import Custom, Table, ValueFunction

__all__ = ["AdditiveUtility", "CustomUtility"]


class AdditiveUtility:
    r"""Additive utility :math:`u(x) = \sum_k w_k v_k(x_k)`.

    Parameters
    ----------
    values : mapping of str to ValueFunction
        A value function per issue the party cares about (issues left out
        do not affect this party's utility).
    weights : mapping of str to array_like, or array_like of shape (..., K), optional
        The issue weights :math:`w_k \ge 0`, keyed by issue or in the order of
        ``values``; 1 by default. Arrays carry batch dimensions.

    Examples
    --------
    >>> import bargain as bg
    >>> u = bg.AdditiveUtility(
    ...     {"territory": bg.Linear(), "sanctions": bg.Linear(-1.0, 1.0)},
    ...     weights={"territory": 0.7, "sanctions": 0.3},
    ... )
    >>> u.issues
    ('territory', 'sanctions')
    >>> u.batch_shape
    ()
    """

    def __init__(self, values: Mapping, weights=None) -> None:
        if not isinstance(values, Mapping) or not values:
            raise TypeError(
                f"`values` must be a non-empty mapping issue name -> value function, got {values!r}"
            )
        for key, v in values.items():
            if not isinstance(key, str):
                raise TypeError(f"`values` keys must be issue names, got {key!r}")
            if not isinstance(v, ValueFunction):
                if callable(v):
                    raise TypeError(
                        f"value function of issue {key!r} is a plain function: wrap it in "
                        "bargain.Custom(func, concave=...)"
                    )
                raise TypeError(
                    f"value function of issue {key!r} must be a ValueFunction, got {v!r}"
                )
        self.values = dict(values)
        self.issues = tuple(values)
        k = len(self.issues)
        if weights is None:
            w = {key: np.ones(()) for key in self.issues}
        elif isinstance(weights, Mapping):
            extra = [key for key in weights if key not in self.values]
            if extra:
                raise ValueError(
                    f"`weights` name issue(s) {extra} that have no value function; the "
                    f"utility's issues are {list(self.issues)}"
                )
            missing = [key for key in self.issues if key not in weights]
            if missing:
                raise ValueError(
                    f"`weights` lack issue(s) {missing}; give a weight for every issue in "
                    f"{list(self.issues)}"
                )
            w = {key: as_float_array(weights[key], f"weights[{key!r}]") for key in self.issues}
        else:
            arr = as_float_array(weights, "weights", min_ndim=1)
            if arr.shape[-1] != k:
                raise ValueError(
                    f"`weights` must have shape (..., {k}) for the issues {list(self.issues)}, "
                    f"got shape {arr.shape}"
                )
            w = {key: arr[..., i] for i, key in enumerate(self.issues)}
        for key, a in w.items():
            if np.any(a < 0):
                raise ValueError(f"weight of issue {key!r} must be >= 0, got {a}")
        self.weights = w
        shapes = [a.shape for a in w.values()] + [v.batch_shape for v in self.values.values()]
        try:
            self.batch_shape = np.broadcast_shapes(*shapes)
        except ValueError:
            raise ValueError(
                "batch shapes of the weights and value-function parameters do not broadcast: "
                + ", ".join(
                    f"{key}: weight {w[key].shape}, value {self.values[key].batch_shape}"
                    for key in self.issues
                )
            ) from None

    def replace(self, *, values=None, weights=None) -> AdditiveUtility:
        """A copy with new value functions and/or weights (a mapping of issue -> weight).

        Given ``values`` alone, the weights of the issues kept stay, and new
        issues get weight 1; given ``weights`` alone, the value functions stay.

        Examples
        --------
        >>> import bargain as bg
        >>> u = bg.AdditiveUtility({"x": bg.Linear(), "y": bg.Linear()}, {"x": 0.7, "y": 0.3})
        >>> u.replace(weights={"x": 0.5, "y": 0.5}).weights["x"]
        array(0.5)
        >>> sorted(u.replace(values={"x": bg.Power(0.5)}).weights)
        ['x']
        """
        vals = dict(self.values) if values is None else dict(values)
        if weights is None:
            weights = {k: self.weights.get(k, np.ones(())) for k in vals}
        return AdditiveUtility(vals, weights)

    def __repr__(self) -> str:
        return f"AdditiveUtility({self.values!r})"

    def bind(self, agenda, party: str) -> BoundAdditive:
        """Check the utility against ``agenda``; errors name ``party`` and the issue.

        Every issue must be on the agenda, every :class:`~bargain.Table` must
        match its issue's options and every value function must be defined
        on its issue's range. :class:`~bargain.Negotiation` binds each party's
        utility when it is built.

        Parameters
        ----------
        agenda : Agenda
            The issues.
        party : str
            The party's name, for error messages.

        Returns
        -------
        BoundAdditive
            The checked utility; ``evaluate(X)`` gives the utilities of
            coded outcomes ``X`` of shape ``(N..., K)``.

        Raises
        ------
        ValueError
            Naming the party and the issue.

        Examples
        --------
        >>> import numpy as np, bargain as bg
        >>> A = bg.Agenda(bg.ContinuousIssue("x"), bg.DiscreteIssue("g", ["none", "treaty"]))
        >>> u = bg.AdditiveUtility(
        ...     {"x": bg.Linear(), "g": bg.Table({"treaty": 1.0, "none": 0.0})},
        ...     weights={"x": 0.6, "g": 0.4},
        ... )
        >>> u.bind(A, "P").evaluate(np.array([[0.5, 0.0], [0.5, 1.0]]))  # 0.6 * 0.5 (+ 0.4)
        array([0.3, 0.7])
        >>> bg.AdditiveUtility({"y": bg.Linear()}).bind(A, "P")
        Traceback (most recent call last):
            ...
        ValueError: party 'P': utility refers to unknown issue 'y'; the agenda has ['x', 'g']
        """
        return BoundAdditive(self, agenda, party)


class BoundAdditive:
    """An additive utility checked against an agenda (internal)."""

    additive = True

    def __init__(self, utility: AdditiveUtility, agenda, party: str) -> None:
        self.utility = utility
        self.agenda = agenda
        self.batch_shape = utility.batch_shape
        terms = {}
        for key in utility.issues:
            where = f"party {party!r}, issue {key!r}: "
            if key not in agenda.names:
                raise ValueError(
                    f"party {party!r}: utility refers to unknown issue {key!r}; the agenda has "
                    f"{list(agenda.names)}"
                )
            k = agenda.position(key)
            issue = agenda.issues[k]
            v = utility.values[key]
            if isinstance(v, Table):
                if not issue.discrete:
                    raise ValueError(f"{where}a Table needs a discrete issue")
                v = v.bind(issue, where)
            elif issue.discrete and not issue.ordered:
                raise ValueError(
                    f"{where}the issue is unordered: give a Table of option values, not {v!r}"
                )
            if isinstance(v, Custom):
                v.check_vectorised(*issue.bounds, where)
            if not isinstance(v, Table):
                v.check_domain(*issue.bounds, where)
            terms[k] = (v, utility.weights[key])
        self.terms = dict(sorted(terms.items()))

    def _x(self, k, col):
        """Argument of issue ``k``'s value function: value, option index or position."""
        issue = self.agenda.issues[k]
        v = self.terms[k][0]
        if issue.discrete and not isinstance(v, Table):
            return issue.positions[col.astype(np.intp)]
        return col

    def contribution(self, k: int, col) -> np.ndarray:
        """``w_k v_k(x_k)`` (outer over the batch): ``batch + col.shape``."""
        v, w = self.terms[k]
        x = np.asarray(self._x(k, np.asarray(col)))
        val = v(x)
        return w.reshape(w.shape + (1,) * x.ndim) * val

    def evaluate(self, X: np.ndarray) -> np.ndarray:
        """Utilities of coded outcomes ``(N..., K)``: shape ``batch + N...``.

        Issue contributions are added in agenda order, starting from 0.
        """
        total = np.zeros(self.batch_shape + X.shape[:-1])
        for k in self.terms:
            total = total + self.contribution(k, X[..., k])
        return total


class CustomUtility:
    """A user-supplied vectorised utility ``func(outcome) -> array``.

    Parameters
    ----------
    func : callable
        ``func(outcome)`` where ``outcome`` maps each issue name to an array
        of values (continuous issues) or option indices (discrete issues), all
        of one shape; returns the utilities, an array of that shape (checked
        when the utility is bound to an agenda).

    Examples
    --------
    >>> import numpy as np, bargain as bg
    >>> u = bg.CustomUtility(lambda o: np.sqrt(o["x"] * o["y"]))
    >>> A = bg.Agenda(bg.ContinuousIssue("x"), bg.ContinuousIssue("y"))
    >>> u.bind(A, "P").evaluate(np.array([[0.25, 1.0]]))
    array([0.5])
    """

    def __init__(self, func: Callable) -> None:
        if not callable(func):
            raise TypeError(f"`func` must be callable, got {type(func).__name__}")
        self.func = func
        self.batch_shape = ()

    def __repr__(self) -> str:
        return f"CustomUtility({getattr(self.func, '__name__', 'func')})"

    def bind(self, agenda, party: str) -> BoundCustom:
        """Check that ``func`` is vectorised on ``agenda``'s outcomes.

        ``func`` is called once on six outcomes sampled from the agenda
        (arrays of shape ``(2, 3)`` per issue) and must return shape ``(2, 3)``.

        Parameters
        ----------
        agenda : Agenda
            The issues.
        party : str
            The party's name, for error messages.

        Returns
        -------
        BoundCustom
            The checked utility; ``evaluate(X)`` gives the utilities of
            coded outcomes ``X`` of shape ``(N..., K)``.

        Raises
        ------
        TypeError
            If ``func`` is not vectorised.

        Examples
        --------
        >>> import numpy as np, bargain as bg
        >>> A = bg.Agenda(bg.ContinuousIssue("x"), bg.DiscreteIssue("g", ["none", "treaty"]))
        >>> u = bg.CustomUtility(lambda o: o["x"] * (1 + o["g"]))  # o["g"]: option index
        >>> u.bind(A, "P").evaluate(np.array([[0.5, 0.0], [0.5, 1.0]]))  # 0.5 * 1, 0.5 * 2
        array([0.5, 1. ])
        >>> bg.CustomUtility(lambda o: 1.0).bind(A, "P")  # a constant, not an array
        Traceback (most recent call last):
            ...
        TypeError: party 'P': utility function is not vectorised: given arrays of shape
        (2, 3) per issue it returned shape ()
        """
        return BoundCustom(self, agenda, party)


class BoundCustom:
    """A custom utility checked against an agenda (internal)."""

    additive = False
    batch_shape = ()

    def __init__(self, utility: CustomUtility, agenda, party: str) -> None:
        self.utility, self.agenda, self.party = utility, agenda, party
        X = agenda.sample(6, rng=0).reshape(2, 3, len(agenda))
        try:
            y = np.asarray(self._call(X), dtype=float)
        except Exception as exc:  # the user's function failed on arrays
            raise TypeError(
                f"party {party!r}: utility function is not vectorised: calling it with arrays "
                f"of shape (2, 3) per issue raised {type(exc).__name__}: {exc}"
            ) from None
        if y.shape != (2, 3):
            raise TypeError(
                f"party {party!r}: utility function is not vectorised: given arrays of shape "
                f"(2, 3) per issue it returned shape {y.shape}"
            )

    def _call(self, X):
        return self.utility.func({name: X[..., k] for k, name in enumerate(self.agenda.names)})

    def evaluate(self, X: np.ndarray) -> np.ndarray:
        """Utilities of coded outcomes ``(N..., K)``: shape ``N...``."""
        y = np.asarray(self._call(X), dtype=float)
        if y.shape != X.shape[:-1]:
            raise TypeError(
                f"party {self.party!r}: utility function returned shape {y.shape} for "
                f"outcomes of shape {X.shape[:-1]}"
            )
        if not np.all(np.isfinite(y)):
            raise ValueError(f"party {self.party!r}: utility function returned non-finite values")
        return y
