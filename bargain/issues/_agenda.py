r"""Issues, agendas and outcomes: the issue space of a negotiation.

An :class:`Agenda` is an ordered tuple of issues. A *continuous* issue is a
bounded interval (a share of territory returned, a share of sanctions lifted);
a *discrete* issue is a finite list of options, ordered (security guarantee:
none < assurances < treaty < force < Article 5) or unordered (categories).
An outcome assigns one value to every issue.

Internally an outcome is a float row of an ``(..., K)`` array (the *coded*
form): the value itself for a continuous issue, the option's index for a
discrete one. :meth:`Agenda.encode` and :meth:`Agenda.decode` translate
between coded rows and readable :class:`Outcome` mappings (issue name ->
value or option label), checking bounds and option names.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping

import numpy as np

from .._core._validate import as_float_array

__all__ = [
    "Agenda",
    "ContinuousIssue",
    "DiscreteIssue",
    "Forbidden",
    "LinearConstraint",
    "OptionConstraint",
    "Outcome",
    "Requires",
]

_BOUND_TOL = 1e-9  # relative tolerance of check_coded on a divisible issue's bounds


def _check_name(name, what: str) -> str:
    if not isinstance(name, str) or not name.strip():
        raise TypeError(f"{what} name must be a non-empty string, got {name!r}")
    return name


class ContinuousIssue:
    """A divisible issue: any value in the closed interval ``[lo, hi]``.

    Parameters
    ----------
    name : str
        The issue's name, unique within an agenda.
    lo, hi : float, default 0 and 1
        The bounds, ``lo < hi``.

    Examples
    --------
    >>> import bargain as bg
    >>> bg.ContinuousIssue("territory")
    ContinuousIssue('territory', lo=0.0, hi=1.0)
    >>> bg.ContinuousIssue("sanctions", 0, 100).grid(3)
    array([  0.,  50., 100.])
    """

    discrete = False

    def __init__(self, name: str, lo: float = 0.0, hi: float = 1.0) -> None:
        self.name = _check_name(name, "issue")
        for key, v in (("lo", lo), ("hi", hi)):
            if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)):
                raise TypeError(f"issue {name!r}: `{key}` must be a number, got {v!r}")
            if not math.isfinite(v):
                raise ValueError(f"issue {name!r}: `{key}` must be finite, got {v!r}")
        if not lo < hi:
            raise ValueError(f"issue {name!r}: need lo < hi, got lo={lo}, hi={hi}")
        self.lo, self.hi = float(lo), float(hi)

    @property
    def bounds(self) -> tuple[float, float]:
        """``(lo, hi)``."""
        return self.lo, self.hi

    def grid(self, k: int) -> np.ndarray:
        """``k >= 2`` equally spaced values from ``lo`` to ``hi``.

        Parameters
        ----------
        k : int
            Number of points, ``>= 2``.

        Returns
        -------
        ndarray, shape (k,)

        Examples
        --------
        >>> import bargain as bg
        >>> bg.ContinuousIssue("territory").grid(5)  # steps of (1 - 0) / 4
        array([0.  , 0.25, 0.5 , 0.75, 1.  ])
        """
        if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 2:
            raise ValueError(f"issue {self.name!r}: grid size must be an integer >= 2, got {k!r}")
        return np.linspace(self.lo, self.hi, int(k))

    def __repr__(self) -> str:
        return f"ContinuousIssue({self.name!r}, lo={self.lo}, hi={self.hi})"

    def __eq__(self, other) -> bool:
        return isinstance(other, ContinuousIssue) and (self.name, self.lo, self.hi) == (
            other.name,
            other.lo,
            other.hi,
        )

    def __hash__(self) -> int:
        return hash((self.name, self.lo, self.hi))


class DiscreteIssue:
    """An issue with finitely many options.

    Parameters
    ----------
    name : str
        The issue's name, unique within an agenda.
    options : sequence of str or numbers
        The options, distinct; at least two.
    ordered : bool, default True
        Whether the options are listed in a meaningful order (worst to best
        for one side, or along a policy scale). Value functions of a position
        (linear, power, ideal point, ...) apply only to ordered issues;
        unordered issues take a :class:`~bargain.Table`.
    positions : array_like, optional
        Numeric position of each option on the issue's scale (ordered issues
        only), strictly increasing; ``0, 1, ..., k - 1`` by default.

    Examples
    --------
    >>> import bargain as bg
    >>> g = bg.DiscreteIssue("guarantee", ["none", "assurances", "treaty", "force", "art5"])
    >>> g.index("treaty"), g.k
    (2, 5)
    >>> g.positions
    array([0., 1., 2., 3., 4.])
    """

    discrete = True

    def __init__(self, name: str, options, *, ordered: bool = True, positions=None) -> None:
        self.name = _check_name(name, "issue")
        if isinstance(options, (str, bytes)) or not isinstance(options, Iterable):
            raise TypeError(f"issue {name!r}: `options` must be a sequence, got {options!r}")
        opts = tuple(options)
        if len(opts) < 2:
            raise ValueError(f"issue {name!r}: needs at least two options, got {list(opts)}")
        if len(set(opts)) != len(opts):
            raise ValueError(f"issue {name!r}: options must be distinct, got {list(opts)}")
        if not isinstance(ordered, (bool, np.bool_)):
            raise TypeError(f"issue {name!r}: `ordered` must be True or False, got {ordered!r}")
        self.options = opts
        self.ordered = bool(ordered)
        if positions is None:
            pos = np.arange(len(opts), dtype=float)
        else:
            if not self.ordered:
                raise ValueError(f"issue {name!r}: `positions` need an ordered issue")
            pos = as_float_array(positions, f"issue {name!r} positions", min_ndim=1)
            if pos.shape != (len(opts),) or np.any(np.diff(pos) <= 0):
                raise ValueError(
                    f"issue {name!r}: `positions` must be {len(opts)} strictly increasing "
                    f"numbers, got {pos.tolist()}"
                )
        self.positions = pos
        self.positions.flags.writeable = False
        self._lookup = {o: i for i, o in enumerate(opts)}

    @property
    def k(self) -> int:
        """Number of options."""
        return len(self.options)

    @property
    def bounds(self) -> tuple[float, float]:
        """Smallest and largest position."""
        return float(self.positions[0]), float(self.positions[-1])

    def index(self, option) -> int:
        """The index of ``option``; ``ValueError`` naming the issue if unknown.

        Parameters
        ----------
        option : str or number
            One of :attr:`options`.

        Returns
        -------
        int
            Its position in :attr:`options`, counting from 0 (its coded value).

        Examples
        --------
        >>> import bargain as bg
        >>> g = bg.DiscreteIssue("guarantee", ["none", "treaty", "art5"])
        >>> g.index("art5")  # the third option
        2
        >>> g.index("force")
        Traceback (most recent call last):
            ...
        ValueError: issue 'guarantee': unknown option 'force'; options are
        ['none', 'treaty', 'art5']
        """
        try:
            return self._lookup[option]
        except (KeyError, TypeError):
            raise ValueError(
                f"issue {self.name!r}: unknown option {option!r}; options are {list(self.options)}"
            ) from None

    def __repr__(self) -> str:
        extra = "" if self.ordered else ", ordered=False"
        return f"DiscreteIssue({self.name!r}, {list(self.options)!r}{extra})"

    def __eq__(self, other) -> bool:
        return (
            isinstance(other, DiscreteIssue)
            and (self.name, self.options, self.ordered)
            == (other.name, other.options, other.ordered)
            and np.array_equal(self.positions, other.positions)
        )

    def __hash__(self) -> int:
        return hash((self.name, self.options, self.ordered))


class LinearConstraint:
    r"""A linear constraint across continuous issues: ``lb <= sum_k a_k x_k <= ub``.

    Parameters
    ----------
    coefficients : mapping of str to float
        Coefficient ``a_k`` of each continuous issue involved.
    lb, ub : float, optional
        Bounds; at least one must be finite.

    Examples
    --------
    Sanctions may be lifted only as far as territory is returned:

    >>> import bargain as bg
    >>> bg.LinearConstraint({"sanctions": 1, "territory": -1}, ub=0)
    LinearConstraint({'sanctions': 1.0, 'territory': -1.0}, lb=-inf, ub=0.0)
    """

    def __init__(self, coefficients: Mapping, *, lb: float = -math.inf, ub: float = math.inf):
        if not isinstance(coefficients, Mapping) or not coefficients:
            raise TypeError(
                "`coefficients` must be a non-empty mapping issue name -> number, "
                f"got {coefficients!r}"
            )
        coef = {}
        for key, v in coefficients.items():
            _check_name(key, "constraint issue")
            if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)):
                raise TypeError(
                    f"constraint coefficient of issue {key!r} must be a number, got {v!r}"
                )
            coef[key] = float(v)
        lb, ub = float(lb), float(ub)
        if math.isnan(lb) or math.isnan(ub) or lb > ub or (math.isinf(lb) and math.isinf(ub)):
            raise ValueError(f"constraint needs lb <= ub with one of them finite, got [{lb}, {ub}]")
        self.coefficients, self.lb, self.ub = coef, lb, ub

    def __repr__(self) -> str:
        return f"LinearConstraint({self.coefficients!r}, lb={self.lb}, ub={self.ub})"


class OptionConstraint:
    r"""Packages of options that cannot exist: the base of :class:`Requires`, :class:`Forbidden`.

    A constraint couples some discrete issues; :meth:`mask` says, for every
    combination of their options (C order), whether it is allowed. An agenda
    drops the packages with a disallowed combination from every enumeration,
    solver, ZOPA and sweep, and the issue-by-issue fast paths solve each
    group of coupled issues as one compound issue whose options are its
    allowed combinations.

    Examples
    --------
    >>> import bargain as bg
    >>> c = bg.Forbidden({"g": "b", "h": "y"})
    >>> isinstance(c, bg.OptionConstraint), c.issues
    (True, ('g', 'h'))
    """

    issues: tuple[str, ...] = ()

    def _options(self, agenda, spec, what):
        """``{position: set of option indices}`` from ``{issue: option or [options]}``."""
        out = {}
        for key, opts in spec.items():
            issue = agenda.issue(key)
            if not issue.discrete:
                raise ValueError(
                    f"{self!r}: {what} issue {key!r} is continuous; option constraints couple "
                    "discrete issues (use LinearConstraint for continuous ones)"
                )
            labels = [opts] if isinstance(opts, str) else list(opts)
            if not labels:
                raise ValueError(f"{self!r}: {what} issue {key!r} lists no options")
            idx = set()
            for o in labels:
                if o not in issue.options:
                    raise ValueError(
                        f"{self!r}: issue {key!r} has no option {o!r}; its options are "
                        f"{list(issue.options)}"
                    )
                idx.add(issue.options.index(o))
            out[agenda.position(key)] = idx
        return out

    def mask(self, agenda):
        """``(positions, allowed)``: the coupled issues and a boolean array over their options.

        Parameters
        ----------
        agenda : Agenda
            The agenda whose issues the constraint names.

        Returns
        -------
        positions : tuple of int
            The coupled issues' positions in the agenda, ascending.
        allowed : ndarray of bool
            One axis per coupled issue (its options).

        Examples
        --------
        >>> import bargain as bg
        >>> A = bg.Agenda(bg.DiscreteIssue("g", ["a", "b"]), bg.DiscreteIssue("h", ["x", "y"]))
        >>> bg.Forbidden({"g": "b", "h": "y"}).mask(A)
        ((0, 1), array([[ True,  True],
               [ True, False]]))
        """
        raise NotImplementedError(f"{type(self).__name__} does not define mask()")


def _spec(spec, name):
    if not isinstance(spec, Mapping) or not spec:
        raise TypeError(f"`{name}` must be a non-empty mapping issue -> option(s), got {spec!r}")
    out = {}
    for key, v in spec.items():
        _check_name(key, "constraint issue")
        if isinstance(v, str):
            out[key] = v
        elif isinstance(v, Iterable) and all(isinstance(o, str) for o in v):
            out[key] = tuple(v)
        else:
            raise TypeError(
                f"`{name}`: issue {key!r} needs an option label or a list of them, got {v!r}"
            )
    return out


class Requires(OptionConstraint):
    """If the ``when`` options are chosen, an issue must take one of the ``then`` options.

    Parameters
    ----------
    when : mapping of str to str or list of str
        Conditions: each issue takes one of the listed options.
    then : mapping of str to str or list of str
        What the conditions require: each issue takes one of its listed options.

    Examples
    --------
    Article 5 covers members only: it requires the NATO path.

    >>> import bargain as bg
    >>> A = bg.Agenda(
    ...     bg.DiscreteIssue("guarantee", ["none", "treaty", "article5"]),
    ...     bg.DiscreteIssue("alignment", ["nato_path", "neutrality"]),
    ...     constraints=bg.Requires({"guarantee": "article5"}, {"alignment": "nato_path"}),
    ... )
    >>> A.enumerate()  # (article5, neutrality) = (2, 1) is gone
    array([[0., 0.],
           [0., 1.],
           [1., 0.],
           [1., 1.],
           [2., 0.]])
    """

    def __init__(self, when, then) -> None:
        self.when, self.then = _spec(when, "when"), _spec(then, "then")
        self.issues = tuple(dict.fromkeys([*self.when, *self.then]))

    def __repr__(self) -> str:
        return f"Requires({self.when!r}, {self.then!r})"

    def mask(self, agenda):
        when = self._options(agenda, self.when, "condition")
        then = self._options(agenda, self.then, "required")
        pos = sorted(set(when) | set(then))
        dims = [agenda.issues[k].k for k in pos]
        grids = np.indices(dims)
        cond = np.ones(dims, dtype=bool)
        for k, opts in when.items():
            cond &= np.isin(grids[pos.index(k)], list(opts))
        ok = np.ones(dims, dtype=bool)
        for k, opts in then.items():
            ok &= np.isin(grids[pos.index(k)], list(opts))
        return tuple(pos), ~cond | ok


class Forbidden(OptionConstraint):
    """A combination of options that no package may contain.

    Parameters
    ----------
    options : mapping of str to str or list of str
        The forbidden combination: every package whose options all match is
        dropped (a list allows several options of an issue).

    Examples
    --------
    >>> import bargain as bg
    >>> A = bg.Agenda(
    ...     bg.DiscreteIssue("sanctions", ["keep", "lift"]),
    ...     bg.DiscreteIssue("accountability", ["tribunal", "amnesty"]),
    ...     constraints=bg.Forbidden({"sanctions": "lift", "accountability": "amnesty"}),
    ... )
    >>> len(A.enumerate())
    3
    """

    def __init__(self, options) -> None:
        self.options = _spec(options, "options")
        self.issues = tuple(self.options)

    def __repr__(self) -> str:
        return f"Forbidden({self.options!r})"

    def mask(self, agenda):
        opts = self._options(agenda, self.options, "forbidden")
        pos = sorted(opts)
        dims = [agenda.issues[k].k for k in pos]
        grids = np.indices(dims)
        hit = np.ones(dims, dtype=bool)
        for k, o in opts.items():
            hit &= np.isin(grids[pos.index(k)], list(o))
        return tuple(pos), ~hit


class Outcome(Mapping):
    """A read-only mapping issue name -> value (number or option label).

    Values carry the batch shape of the problem that produced them (arrays of
    numbers, or object arrays of option labels); unbatched values are plain
    Python floats and labels.

    Examples
    --------
    >>> from bargain import Outcome
    >>> o = Outcome({"territory": 0.25, "guarantee": "treaty"})
    >>> o["guarantee"], o
    ('treaty', Outcome(territory=0.25, guarantee='treaty'))
    """

    __slots__ = ("_values",)

    def __init__(self, values: Mapping) -> None:
        vals = {}
        for key, v in values.items():
            if isinstance(v, np.ndarray):
                v = v.view()
                v.flags.writeable = False
            vals[key] = v
        object.__setattr__(self, "_values", vals)

    def __getitem__(self, key):
        try:
            return self._values[key]
        except KeyError:
            raise KeyError(f"no issue {key!r}; issues are {list(self._values)}") from None

    def __iter__(self) -> Iterator:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __setattr__(self, name, value):
        raise AttributeError("Outcome is read-only")

    def __repr__(self) -> str:
        def show(v):
            if isinstance(v, np.ndarray):
                return np.array2string(v, separator=", ", threshold=10, edgeitems=2)
            return repr(v)

        return "Outcome(" + ", ".join(f"{k}={show(v)}" for k, v in self._values.items()) + ")"


def option_combinations_of(A):
    """Coded combinations ``(M, Kd)`` of the discrete issues, all of them (C order)."""
    dims = [A.issues[k].k for k in A.discrete]
    if not dims:
        return np.zeros((1, 0))
    return np.indices(dims).reshape(len(dims), -1).T.astype(float)


class Agenda:
    r"""The issues on the table, and optional linear constraints across them.

    Parameters
    ----------
    *issues : ContinuousIssue or DiscreteIssue
        The issues, with distinct names (a single iterable of issues is
        accepted too).
    constraints : sequence of LinearConstraint, optional
        Linear constraints on continuous issues.

    Notes
    -----
    Coded outcomes are float arrays ``(..., K)`` in the order of the issues:
    the value of a continuous issue, the option index of a discrete one.
    Enumeration is in C order (the last issue varies fastest), so the
    outcome with option indices :math:`(o_1, \dots, o_K)` has enumeration
    index :math:`\sum_k o_k \prod_{j > k} k_j`.

    Examples
    --------
    >>> import bargain as bg
    >>> A = bg.Agenda(
    ...     bg.ContinuousIssue("territory"),
    ...     bg.DiscreteIssue("guarantee", ["none", "treaty", "art5"]),
    ... )
    >>> A.names
    ('territory', 'guarantee')
    >>> A.encode({"territory": 0.5, "guarantee": "art5"})
    array([0.5, 2. ])
    >>> A.decode([0.5, 2.0])
    Outcome(territory=0.5, guarantee='art5')
    >>> A.enumerate(grid=3).shape  # 3 grid values x 3 options
    (9, 2)
    """

    def __init__(self, *issues, constraints=()) -> None:
        if len(issues) == 1 and not isinstance(issues[0], (ContinuousIssue, DiscreteIssue)):
            if isinstance(issues[0], Iterable) and not isinstance(issues[0], (str, bytes)):
                issues = tuple(issues[0])
        if not issues:
            raise ValueError("an agenda needs at least one issue")
        for i, issue in enumerate(issues):
            if not isinstance(issue, (ContinuousIssue, DiscreteIssue)):
                raise TypeError(
                    f"issue {i} must be a ContinuousIssue or DiscreteIssue, got {issue!r}"
                )
        names = [i.name for i in issues]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise ValueError(f"issue names must be distinct; repeated: {dup}")
        self.issues = tuple(issues)
        self.names = tuple(names)
        self._pos = {n: k for k, n in enumerate(names)}
        if isinstance(constraints, (LinearConstraint, OptionConstraint)):
            constraints = (constraints,)
        cons = tuple(constraints)
        for c in cons:
            if not isinstance(c, (LinearConstraint, OptionConstraint)):
                raise TypeError(
                    "`constraints` must hold LinearConstraint, Requires or Forbidden objects, "
                    f"got {c!r}"
                )
        options = tuple(c for c in cons if isinstance(c, OptionConstraint))
        cons = tuple(c for c in cons if isinstance(c, LinearConstraint))
        self.option_constraints = options
        self._masks = tuple(c.mask(self) for c in options)  # validates names and options
        if self._masks and not np.any(self.feasible_options(option_combinations_of(self))):
            raise ValueError(f"the option constraints {list(options)} leave no package")
        for c in cons:
            for key in c.coefficients:
                issue = self.issue(key)
                if issue.discrete:
                    raise ValueError(
                        f"constraint on issue {key!r}: linear constraints apply to "
                        "continuous issues only"
                    )
        self.constraints = cons

    # -- structure ---------------------------------------------------------

    def __len__(self) -> int:
        return len(self.issues)

    def __iter__(self):
        return iter(self.issues)

    def __repr__(self) -> str:
        inner = ", ".join(map(repr, self.issues))
        every = [*self.constraints, *self.option_constraints]
        extra = f", constraints={every!r}" if every else ""
        return f"Agenda({inner}{extra})"

    def feasible_options(self, combos) -> np.ndarray:
        """Whether combinations of the discrete issues' options are allowed.

        Parameters
        ----------
        combos : array_like, shape (..., Kd)
            Option indices of the discrete issues, in agenda order.

        Returns
        -------
        ndarray of bool, shape (...)
            All ``True`` without option constraints.

        Examples
        --------
        >>> import bargain as bg
        >>> A = bg.Agenda(
        ...     bg.DiscreteIssue("guarantee", ["none", "article5"]),
        ...     bg.DiscreteIssue("alignment", ["nato_path", "neutrality"]),
        ...     constraints=bg.Forbidden({"guarantee": "article5", "alignment": "neutrality"}),
        ... )
        >>> A.feasible_options([[1, 0], [1, 1]])
        array([ True, False])
        """
        C = np.asarray(combos).astype(np.intp)
        ok = np.ones(C.shape[:-1], dtype=bool)
        col = {k: j for j, k in enumerate(self.discrete)}
        for pos, allowed in self._masks:
            ok &= allowed[tuple(C[..., col[k]] for k in pos)]
        return ok

    def issue(self, name: str):
        """The issue called ``name``; ``ValueError`` listing the issues if unknown.

        Parameters
        ----------
        name : str
            The issue's name.

        Returns
        -------
        ContinuousIssue or DiscreteIssue

        Examples
        --------
        >>> import bargain as bg
        >>> A = bg.Agenda(bg.ContinuousIssue("territory"), bg.DiscreteIssue("g", ["no", "yes"]))
        >>> A.issue("g")
        DiscreteIssue('g', ['no', 'yes'])
        >>> A.issue("oil")
        Traceback (most recent call last):
            ...
        ValueError: unknown issue 'oil'; the agenda has ['territory', 'g']
        """
        try:
            return self.issues[self._pos[name]]
        except (KeyError, TypeError):
            raise ValueError(f"unknown issue {name!r}; the agenda has {list(self.names)}") from None

    def position(self, name: str) -> int:
        """Column of issue ``name`` in coded outcomes.

        Parameters
        ----------
        name : str
            The issue's name (``ValueError`` if unknown).

        Returns
        -------
        int

        Examples
        --------
        >>> import bargain as bg
        >>> A = bg.Agenda(bg.ContinuousIssue("territory"), bg.DiscreteIssue("g", ["no", "yes"]))
        >>> A.position("g")  # the second issue: column 1
        1
        >>> A.encode({"territory": 0.5, "g": "yes"})  # column 1 holds the index of "yes"
        array([0.5, 1. ])
        """
        self.issue(name)
        return self._pos[name]

    @property
    def discrete(self) -> tuple[int, ...]:
        """Columns of the discrete issues."""
        return tuple(k for k, i in enumerate(self.issues) if i.discrete)

    @property
    def continuous(self) -> tuple[int, ...]:
        """Columns of the continuous issues."""
        return tuple(k for k, i in enumerate(self.issues) if not i.discrete)

    @property
    def size(self) -> int:
        """Number of discrete outcomes (product of option counts; 1 if none)."""
        return math.prod(self.issues[k].k for k in self.discrete)

    def constraint_matrix(self):
        """``(A, lb, ub)`` with ``A`` of shape ``(c, K)`` (zero for discrete columns).

        Returns
        -------
        A : ndarray, shape (c, K)
            Row ``r``: the coefficients of constraint ``r`` in the issues' order.
        lb, ub : ndarray, shape (c,)
            The bounds: constraint ``r`` is ``lb[r] <= A[r] @ x <= ub[r]``.

        Examples
        --------
        Sanctions lifted no further than territory returned (``s - t <= 0``):

        >>> import bargain as bg
        >>> A = bg.Agenda(
        ...     bg.ContinuousIssue("territory"),
        ...     bg.ContinuousIssue("sanctions"),
        ...     constraints=bg.LinearConstraint({"sanctions": 1, "territory": -1}, ub=0),
        ... )
        >>> A.constraint_matrix()
        (array([[-1.,  1.]]), array([-inf]), array([0.]))
        """
        A = np.zeros((len(self.constraints), len(self.issues)))
        for r, c in enumerate(self.constraints):
            for key, a in c.coefficients.items():
                A[r, self._pos[key]] = a
        lb = np.array([c.lb for c in self.constraints])
        ub = np.array([c.ub for c in self.constraints])
        return A, lb, ub

    def feasible(self, X, tol: float = 1e-12) -> np.ndarray:
        """Mask ``(...)`` of coded outcomes ``(..., K)`` that meet every constraint.

        Parameters
        ----------
        X : array_like, shape (..., K)
            Coded outcomes.
        tol : float, default 1e-12
            Relative tolerance on each bound.

        Returns
        -------
        ndarray of bool, shape (...)
            All ``True`` for an agenda without constraints.

        Examples
        --------
        >>> import bargain as bg
        >>> A = bg.Agenda(
        ...     bg.ContinuousIssue("territory"),
        ...     bg.ContinuousIssue("sanctions"),
        ...     constraints=bg.LinearConstraint({"sanctions": 1, "territory": -1}, ub=0),
        ... )
        >>> A.feasible([[0.5, 0.25], [0.5, 0.75]])  # sanctions 0.25 <= 0.5, but 0.75 > 0.5
        array([ True, False])
        """
        X = np.asarray(X, dtype=float)
        ok = np.ones(X.shape[:-1], dtype=bool)
        if self.option_constraints:
            ok &= self.feasible_options(np.rint(X[..., list(self.discrete)]))
        if not self.constraints:
            return ok
        A, lb, ub = self.constraint_matrix()
        s = X @ A.T
        scale = 1.0 + np.abs(s)
        return ok & np.all((s >= lb - tol * scale) & (s <= ub + tol * scale), axis=-1)

    # -- outcomes ----------------------------------------------------------

    def encode_reference(self, outcome, what: str = "outcome") -> np.ndarray:
        """Code a reference outcome (status quo, ceasefire): every issue, no constraints.

        A reference is a state of the world, not a package the parties sign, so
        the agenda's constraints do not apply to it; every issue must be given.

        Parameters
        ----------
        outcome : mapping of str to value
            Every issue's value or option label.
        what : str
            The argument's name, for error messages.

        Returns
        -------
        ndarray, shape (K,)

        Examples
        --------
        >>> import bargain as bg
        >>> A = bg.Agenda(
        ...     bg.DiscreteIssue("guarantee", ["none", "art5"]),
        ...     bg.DiscreteIssue("alignment", ["nato", "neutral"]),
        ...     constraints=[bg.Requires({"guarantee": "art5"}, {"alignment": "nato"})],
        ... )
        >>> A.encode_reference({"guarantee": "art5", "alignment": "neutral"}, "status_quo")
        array([1., 1.])
        >>> A.encode_reference({"guarantee": "art5"}, "status_quo")
        Traceback (most recent call last):
            ...
        ValueError: `status_quo` lacks issue(s) ['alignment']: give each its value
        """
        if not isinstance(outcome, Mapping):
            raise TypeError(f"`{what}` must be a mapping issue -> value, got {outcome!r}")
        unknown = [k for k in outcome if k not in self.names]
        if unknown:
            raise ValueError(
                f"`{what}` names unknown issue(s) {unknown}; agenda: {list(self.names)}"
            )
        missing = [k for k in self.names if k not in outcome]
        if missing:
            raise ValueError(f"`{what}` lacks issue(s) {missing}: give each its value")
        return type(self)(*self.issues).encode({k: outcome[k] for k in self.names})

    def encode(self, outcome) -> np.ndarray:
        """Coded outcome array ``(..., K)`` from a mapping issue name -> value(s).

        Continuous values must lie within bounds; discrete values are option
        labels (or arrays of labels). Every issue must be given.

        Parameters
        ----------
        outcome : mapping of str to value(s)
            Every issue's value (continuous) or option label (discrete);
            arrays broadcast to the outcomes' shape ``(...)``.

        Returns
        -------
        ndarray, shape (..., K)

        Raises
        ------
        ValueError
            Naming the issue: a value out of bounds, an unknown option, a
            missing or unknown issue, non-broadcasting shapes, or an outcome
            that violates a constraint.

        Examples
        --------
        >>> import bargain as bg
        >>> A = bg.Agenda(
        ...     bg.ContinuousIssue("territory"),
        ...     bg.DiscreteIssue("guarantee", ["none", "treaty", "art5"]),
        ... )
        >>> A.encode({"territory": [0.25, 1.0], "guarantee": "treaty"})  # "treaty" is option 1
        array([[0.25, 1.  ],
               [1.  , 1.  ]])
        """
        if not isinstance(outcome, Mapping):
            raise TypeError(
                f"`outcome` must be a mapping issue name -> value, got {type(outcome).__name__}"
            )
        for key in outcome:
            if key not in self._pos:
                raise ValueError(f"unknown issue {key!r}; the agenda has {list(self.names)}")
        cols = []
        for issue in self.issues:
            if issue.name not in outcome:
                raise ValueError(f"outcome is missing issue {issue.name!r}")
            v = outcome[issue.name]
            if issue.discrete:
                arr = np.asarray(v, dtype=object)
                flat = [issue.index(o) for o in arr.ravel()]
                cols.append(np.array(flat, dtype=float).reshape(arr.shape))
            else:
                x = as_float_array(v, f"outcome[{issue.name!r}]")
                if np.any((x < issue.lo) | (x > issue.hi)):
                    bad = x[(x < issue.lo) | (x > issue.hi)]
                    raise ValueError(
                        f"issue {issue.name!r}: value(s) {bad.ravel()[:4].tolist()} out of "
                        f"bounds [{issue.lo}, {issue.hi}]"
                    )
                cols.append(x)
        try:
            cols = np.broadcast_arrays(*cols)
        except ValueError:
            shapes = {i.name: np.shape(c) for i, c in zip(self.issues, cols, strict=True)}
            raise ValueError(f"outcome values do not broadcast: shapes {shapes}") from None
        X = np.stack(cols, axis=-1)
        if (self.constraints or self.option_constraints) and not np.all(self.feasible(X, 1e-9)):
            raise ValueError(
                "outcome violates the agenda's constraints "
                f"{[*self.constraints, *self.option_constraints]}"
            )
        return X

    def check_coded(self, X, name: str = "X") -> np.ndarray:
        """Validate coded outcomes ``(..., K)``: bounds and integer option indices.

        Parameters
        ----------
        X : array_like, shape (..., K)
            Coded outcomes.
        name : str, default "X"
            The argument's name in error messages.

        Returns
        -------
        ndarray, shape (..., K)
            ``X`` as a float array.

        Examples
        --------
        >>> import bargain as bg
        >>> A = bg.Agenda(
        ...     bg.ContinuousIssue("territory"),
        ...     bg.DiscreteIssue("guarantee", ["none", "treaty", "art5"]),
        ... )
        >>> A.check_coded([[0.5, 2], [1, 0]])
        array([[0.5, 2. ],
               [1. , 0. ]])
        >>> A.check_coded([0.5, 1.5])  # option indices are 0, 1, 2
        Traceback (most recent call last):
            ...
        ValueError: issue 'guarantee': option index 1.5 is not one of 0..2
        """
        X = as_float_array(X, name, min_ndim=1)
        if X.shape[-1] != len(self.issues):
            raise ValueError(
                f"`{name}` must have shape (..., {len(self.issues)}) for the agenda's issues "
                f"{list(self.names)}, got shape {X.shape}"
            )
        for k, issue in enumerate(self.issues):
            col = X[..., k]
            if issue.discrete:
                bad = (col != np.round(col)) | (col < 0) | (col > issue.k - 1)
                if np.any(bad):
                    raise ValueError(
                        f"issue {issue.name!r}: option index {col[bad].ravel()[0]} is not one "
                        f"of 0..{issue.k - 1}"
                    )
            elif np.any(
                (col < issue.lo - (tol := _BOUND_TOL * max(1.0, issue.hi - issue.lo)))
                | (col > issue.hi + tol)
            ):
                # (a solver's point may sit a rounding error outside a bound: tolerated)
                bad = col[(col < issue.lo - tol) | (col > issue.hi + tol)]
                raise ValueError(
                    f"issue {issue.name!r}: value {bad.ravel()[0]} out of bounds "
                    f"[{issue.lo}, {issue.hi}]"
                )
        return X

    def decode(self, X) -> Outcome:
        """Readable :class:`Outcome` from coded outcomes ``(..., K)``.

        Parameters
        ----------
        X : array_like, shape (..., K)
            Coded outcomes (checked as by :meth:`check_coded`).

        Returns
        -------
        Outcome
            Issue name -> value (continuous) or option label (discrete):
            plain Python values for one outcome, arrays of shape ``(...)``
            for several.

        Examples
        --------
        >>> import bargain as bg
        >>> A = bg.Agenda(
        ...     bg.ContinuousIssue("territory"),
        ...     bg.DiscreteIssue("guarantee", ["none", "treaty", "art5"]),
        ... )
        >>> A.decode([0.5, 2.0])  # option 2 is "art5"
        Outcome(territory=0.5, guarantee='art5')
        >>> A.decode([[0.5, 2.0], [1.0, 0.0]])
        Outcome(territory=[0.5, 1. ], guarantee=['art5', 'none'])
        """
        X = self.check_coded(X)
        vals = {}
        for k, issue in enumerate(self.issues):
            col = np.asarray(X[..., k])
            if issue.discrete:
                opts = np.empty(issue.k, dtype=object)
                opts[:] = issue.options
                lab = opts[col.astype(np.intp)]
                vals[issue.name] = lab
            else:
                vals[issue.name] = float(col) if col.ndim == 0 else col.copy()
        return Outcome(vals)

    def values(self, k: int, grid=None) -> np.ndarray:
        """The coded values of issue ``k`` used in enumeration.

        Parameters
        ----------
        k : int
            Column of the issue.
        grid : int or mapping of str to int, optional
            Grid points per continuous issue (required if issue ``k`` is one).

        Returns
        -------
        ndarray
            The option indices ``0, ..., k_j - 1`` of a discrete issue, or
            the grid of a continuous one (:meth:`ContinuousIssue.grid`).

        Examples
        --------
        >>> import bargain as bg
        >>> A = bg.Agenda(
        ...     bg.ContinuousIssue("territory"),
        ...     bg.DiscreteIssue("guarantee", ["none", "treaty", "art5"]),
        ... )
        >>> A.values(0, grid=3)  # 3 points on [0, 1]
        array([0. , 0.5, 1. ])
        >>> A.values(1)  # three options
        array([0., 1., 2.])
        """
        issue = self.issues[k]
        if issue.discrete:
            return np.arange(issue.k, dtype=float)
        g = grid.get(issue.name) if isinstance(grid, Mapping) else grid
        if g is None:
            raise ValueError(
                f"issue {issue.name!r} is continuous: give `grid` (points per continuous issue, "
                "an int or a mapping issue name -> int) to enumerate it"
            )
        return issue.grid(g)

    def enumerate(self, grid=None) -> np.ndarray:
        """All coded outcomes ``(N, K)``: discrete options times gridded continuous issues.

        Parameters
        ----------
        grid : int or mapping of str to int, optional
            Grid points per continuous issue (required if there is one).

        Returns
        -------
        ndarray, shape (N, K)
            In C order (last issue fastest); outcomes violating a constraint
            are dropped.

        Examples
        --------
        >>> import bargain as bg
        >>> A = bg.Agenda(
        ...     bg.ContinuousIssue("territory"),
        ...     bg.DiscreteIssue("guarantee", ["none", "treaty", "art5"]),
        ... )
        >>> A.enumerate(grid=2)  # territory 0 or 1, times options 0, 1, 2
        array([[0., 0.],
               [0., 1.],
               [0., 2.],
               [1., 0.],
               [1., 1.],
               [1., 2.]])

        A constraint drops the outcomes that violate it:

        >>> B = bg.Agenda(
        ...     bg.ContinuousIssue("territory"),
        ...     bg.ContinuousIssue("sanctions"),
        ...     constraints=bg.LinearConstraint({"sanctions": 1, "territory": -1}, ub=0),
        ... )
        >>> B.enumerate(grid=3)  # 6 of the 9 grid points have sanctions <= territory
        array([[0. , 0. ],
               [0.5, 0. ],
               [0.5, 0.5],
               [1. , 0. ],
               [1. , 0.5],
               [1. , 1. ]])
        """
        if isinstance(grid, Mapping):
            for key in grid:
                self.issue(key)
        axes = [self.values(k, grid) for k in range(len(self.issues))]
        sizes = tuple(len(a) for a in axes)
        X = np.empty(sizes + (len(axes),))
        for k, a in enumerate(axes):  # issue k's values along grid axis k, C order
            X[..., k] = a.reshape((1,) * k + (-1,) + (1,) * (len(axes) - k - 1))
        X = X.reshape(-1, len(axes))
        if self.constraints or self.option_constraints:
            X = X[self.feasible(X)]
        return X

    def sample(self, n: int, rng=None) -> np.ndarray:
        """``n`` coded outcomes drawn uniformly (rejection on constraints).

        Parameters
        ----------
        n : int
            Number of outcomes.
        rng : None, int or numpy.random.Generator
            Seed or generator.

        Returns
        -------
        ndarray, shape (n, K)

        Examples
        --------
        >>> import bargain as bg
        >>> A = bg.Agenda(bg.ContinuousIssue("x"), bg.DiscreteIssue("y", ["a", "b", "c"]))
        >>> X = A.sample(4, rng=0)
        >>> X.shape, bool(((X[:, 0] >= 0) & (X[:, 0] <= 1)).all())
        ((4, 2), True)
        """
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
            raise ValueError(f"`n` must be a non-negative integer, got {n!r}")
        rng = np.random.default_rng(rng)
        out = np.empty((0, len(self.issues)))
        for _ in range(1000):
            if out.shape[0] >= n:
                break
            m = max(2 * (n - out.shape[0]), 16)
            X = np.empty((m, len(self.issues)))
            for k, issue in enumerate(self.issues):
                if issue.discrete:
                    X[:, k] = rng.integers(0, issue.k, size=m)
                else:
                    X[:, k] = rng.uniform(issue.lo, issue.hi, size=m)
            out = np.concatenate([out, X[self.feasible(X)]])
        else:
            raise ValueError("the agenda's constraints leave (almost) no feasible outcomes")
        return out[:n]
