r"""A mediator's levers as data: threats, inducements, guarantees, side payments, power.

A lever is a small frozen record that says *whom* it acts on and *how much*
at unit intensity. Applying levers at intensities ``t`` (see
:func:`bargain.leverage`) transforms a :class:`~bargain.Negotiation` into a
modified, batched negotiation; the existing solvers then give the effects.
Every lever acts linearly in its intensity ``t >= 0`` and does nothing at
``t = 0``:

================  ==========================================  ==============
lever             effect at intensity ``t`` on its target i   kind
================  ==========================================  ==============
``Threat``        reservation value ``r_i -= t * credibility   coercive
                  * amount`` (the expected loss if no deal)
``Inducement``    utility of *any* agreement ``+= t * amount``  value-adding
``Guarantee``     utility of agreements with the guaranteed     value-adding
                  option(s) ``+= t * credibility * value``
``SidePayment``   utility of any agreement ``+= t * amount``,   value-adding
                  paid one-for-one by the mediator
``PowerShift``    bargaining power ``power_i += t * amount``    procedural
``SidePayments``  as ``SidePayment``, to several parties at     value-adding
                  one intensity
``Battlefield     every party's war probabilities move a        battlefield
Shift``           share ``t * credibility * amount`` toward
                  one end-state (arms, an intervention)
``WarCosts``      the parties' costs of fighting rise by        battlefield
                  ``t * credibility * amount`` (sanctions on
                  the war economy, an intervention)
================  ==========================================  ==============

The *kind* separates leverage that works by hurting a side (coercion: a
worse no-deal) from leverage that works by adding value to the deal; the
difference between a coerced and an owned settlement.

Each lever's cost to the mediator is ``t * cost`` (for a side payment
``cost = amount``). Lever parameters may be arrays with batch dimensions
(uncertain credibility, say); they broadcast with the negotiation's batch.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import numpy as np

from .._core._validate import as_float_array

__all__ = [
    "BattlefieldShift",
    "Guarantee",
    "Inducement",
    "Lever",
    "Mediator",
    "PowerShift",
    "SidePayment",
    "SidePayments",
    "Threat",
    "WarCosts",
]

KINDS = ("coercive", "value-adding", "procedural", "battlefield")


def _name(value, what):
    if not isinstance(value, str) or not value.strip():
        raise TypeError(f"{what} must be a non-empty string, got {value!r}")
    return value


def _param(value, lever, key, *, lo=None, hi=None, lo_open=False):
    """A finite float (or read-only float array) checked against ``[lo, hi]``."""
    arr = as_float_array(value, f"{lever} {key}")
    if lo is not None and np.any(arr <= lo if lo_open else arr < lo):
        rel = ">" if lo_open else ">="
        raise ValueError(f"{lever}: `{key}` must be {rel} {lo}, got {arr}")
    if hi is not None and np.any(arr > hi):
        raise ValueError(f"{lever}: `{key}` must be <= {hi}, got {arr}")
    if arr.ndim == 0:
        return float(arr)
    arr = arr.copy()
    arr.flags.writeable = False
    return arr


def _show(v):
    return repr(v) if isinstance(v, float) else f"array{np.shape(v)}"


def party_amounts(lever, negotiation, verb: str) -> np.ndarray:
    """A lever's ``amounts`` (party -> array) as one array ``(..., n)`` (internal)."""
    arrs = []
    for name, amt in lever.amounts.items():
        if name not in negotiation.names:
            raise ValueError(
                f"lever {lever.label!r} {verb} unknown party {name!r}; the parties are "
                f"{list(negotiation.names)}"
            )
        arrs.append((negotiation.names.index(name), np.asarray(amt, dtype=float)))
    shape = np.broadcast_shapes(*(x.shape for _, x in arrs))
    a = np.zeros(shape + (negotiation.n,))
    for i, x in arrs:
        a[..., i] = a[..., i] + x
    return a


class Lever:
    """Base class of the levers (internal data plumbing; use the subclasses).

    Attributes
    ----------
    target : str
        The party the lever acts on.
    cost : float or ndarray
        Cost to the mediator per unit intensity.
    max_intensity : float
        Upper bound on the intensity the mediator can apply (``inf`` by default).
    label : str
        A name for reports (the class name and target by default).
    kind : {"coercive", "value-adding", "procedural"}

    Examples
    --------
    >>> import bargain as bg
    >>> t = bg.Threat("Russia", 0.2, credibility=0.5)
    >>> isinstance(t, bg.Lever), t.kind, t.label, t.max_intensity
    (True, 'coercive', "Threat('Russia')", inf)
    >>> t.shift  # expected loss per unit intensity: 0.5 * 0.2
    0.1

    Levers are immutable (use :meth:`replace`) and compare by value:

    >>> t.amount = 0.3
    Traceback (most recent call last):
        ...
    AttributeError: Threat is immutable
    >>> t == bg.Threat("Russia", 0.2, credibility=0.5)
    True
    """

    kind = ""
    _fields: tuple[str, ...] = ()

    def _init(self, target, label, max_intensity, **params):
        object.__setattr__(self, "target", _name(target, f"{type(self).__name__} `target`"))
        lab = f"{type(self).__name__}({target!r})" if label is None else label
        object.__setattr__(self, "label", _name(lab, f"{type(self).__name__} `label`"))
        mi = float(max_intensity) if not isinstance(max_intensity, bool) else math.nan
        if not (mi > 0):  # also catches NaN
            raise ValueError(f"{lab}: `max_intensity` must be > 0, got {max_intensity!r}")
        object.__setattr__(self, "max_intensity", mi)
        for key, value in params.items():
            object.__setattr__(self, key, value)

    def __setattr__(self, name, value):
        raise AttributeError(f"{type(self).__name__} is immutable")

    def _key(self):
        vals = []
        for f in ("target", "label", "max_intensity", *self._fields):
            v = getattr(self, f)
            vals.append(tuple(np.ravel(v)) + (np.shape(v),) if isinstance(v, np.ndarray) else v)
        return (type(self).__name__, *vals)

    def __eq__(self, other):
        return isinstance(other, Lever) and self._key() == other._key()

    def __hash__(self):
        return hash(self._key())

    def __repr__(self) -> str:
        parts = [repr(self.target)]
        for f in self._fields:
            v = getattr(self, f)
            parts.append(f"{f}={_show(v) if not isinstance(v, (str, tuple)) else repr(v)}")
        if not math.isinf(self.max_intensity):
            parts.append(f"max_intensity={self.max_intensity!r}")
        return f"{type(self).__name__}({', '.join(parts)})"

    def replace(self, **changes):
        """A copy of the lever with the given parameters changed, the others kept.

        Parameters
        ----------
        **changes
            ``target``, ``label``, ``max_intensity`` or any of the lever's own
            parameters (``amount``, ``credibility``, ``cost``, ...), validated
            as by the constructor. A default label follows a new target.

        Examples
        --------
        >>> import bargain as bg
        >>> t = bg.Threat("Russia", 0.2, credibility=0.5)
        >>> t.replace(credibility=0.8)
        Threat('Russia', amount=0.2, credibility=0.8, cost=0.0)
        >>> t.replace(target="Ukraine").label
        "Threat('Ukraine')"
        """
        allowed = ("target", "label", "max_intensity", *self._fields)
        unknown = sorted(set(changes) - set(allowed))
        if unknown:
            raise TypeError(
                f"{type(self).__name__}.replace: unknown parameter(s) {unknown}; "
                f"parameters are {list(allowed)}"
            )
        kwargs = {f: getattr(self, f) for f in allowed}
        if self.label == f"{type(self).__name__}({self.target!r})":
            kwargs["label"] = None  # the default label: derived from the (new) target
        kwargs.update(changes)
        return type(self)(**kwargs)

    @property
    def params(self) -> dict:
        """The lever's defining parameters (for serialisation, e.g. model files)."""
        out = {"target": self.target}
        out.update({f: getattr(self, f) for f in self._fields})
        out["max_intensity"] = self.max_intensity
        out["label"] = self.label
        return out


class Threat(Lever):
    r"""A threat against a party: a worse no-deal outcome if it does not settle.

    Parameters
    ----------
    target : str
        The threatened party (e.g. ``"Ukraine"`` for an aid cut-off).
    amount : array_like
        Utility the target loses if the threat is carried out, at unit
        intensity, ``>= 0``.
    credibility : array_like, default 1
        Probability the threat is carried out if there is no deal, in ``[0, 1]``.
    cost : array_like, default 0
        Cost to the mediator per unit intensity, ``>= 0`` (a threat that is
        costly to carry out; its *expected* cost is not assumed).
    max_intensity : float, default inf
    label : str, optional

    Notes
    -----
    At intensity :math:`t` the target's reservation value becomes
    :math:`r_i - t\,q\,a` with credibility :math:`q` and amount :math:`a`:
    only the expected shift enters (risk-neutral target). A threat does not
    change the value of any agreement, so it is *coercive*: it moves the deal
    by making no deal worse.

    Examples
    --------
    >>> import bargain as bg
    >>> bg.Threat("Ukraine", 0.3, credibility=0.5)
    Threat('Ukraine', amount=0.3, credibility=0.5, cost=0.0)
    >>> bg.Threat("Ukraine", 0.3, credibility=0.5).shift
    0.15
    """

    kind = "coercive"
    _fields = ("amount", "credibility", "cost")

    def __init__(
        self, target, amount, *, credibility=1.0, cost=0.0, max_intensity=math.inf, label=None
    ):
        lab = label or f"Threat({target!r})"
        self._init(
            target,
            label,
            max_intensity,
            amount=_param(amount, lab, "amount", lo=0.0),
            credibility=_param(credibility, lab, "credibility", lo=0.0, hi=1.0),
            cost=_param(cost, lab, "cost", lo=0.0),
        )

    @property
    def shift(self):
        """Expected drop of the target's reservation value per unit intensity."""
        return self.amount * self.credibility


class Inducement(Lever):
    r"""An inducement: a benefit to a party conditional on any agreement.

    Sanctions relief for Russia, reconstruction aid for Ukraine: worth
    ``amount`` to the target (at unit intensity) if there is a deal,
    whatever its terms, and costing the mediator ``cost``.

    Parameters
    ----------
    target : str
    amount : array_like
        Utility added to every agreement for the target, ``>= 0``.
    cost : array_like, optional
        Cost to the mediator per unit intensity, ``>= 0``; ``amount`` by default.
    max_intensity : float, default inf
    label : str, optional

    Notes
    -----
    At intensity :math:`t`, :math:`u_i(x) \to u_i(x) + t a` for every
    agreement ``x``. Since the bargaining solutions are invariant under
    translations of a party's utility, this is equivalent (for the
    agreement reached) to lowering the reservation value by :math:`t a` —
    but the target's utility at the agreement is higher by :math:`t a`, so
    it is *value-adding*, not coercive.

    Examples
    --------
    >>> import bargain as bg
    >>> bg.Inducement("Russia", 0.2, cost=0.05)
    Inducement('Russia', amount=0.2, cost=0.05)
    """

    kind = "value-adding"
    _fields = ("amount", "cost")

    def __init__(self, target, amount, *, cost=None, max_intensity=math.inf, label=None):
        lab = label or f"Inducement({target!r})"
        amount = _param(amount, lab, "amount", lo=0.0)
        self._init(
            target,
            label,
            max_intensity,
            amount=amount,
            cost=amount if cost is None else _param(cost, lab, "cost", lo=0.0),
        )

    @property
    def shift(self):
        """Utility added to any agreement per unit intensity."""
        return self.amount


class SidePayment(Lever):
    r"""A side payment: utility transferred from the mediator to a party on agreement.

    Parameters
    ----------
    target : str
    amount : array_like
        Utility transferred at unit intensity, ``>= 0``; the mediator pays
        the same amount (``cost = amount``).
    max_intensity : float, default inf
    label : str, optional

    Notes
    -----
    As an :class:`Inducement` with ``cost = amount``: a transfer in the
    target's utility units, paid one-for-one.

    Examples
    --------
    >>> import bargain as bg
    >>> bg.SidePayment("A", 1.0).cost
    1.0
    """

    kind = "value-adding"
    _fields = ("amount",)

    def __init__(self, target, amount=1.0, *, max_intensity=math.inf, label=None):
        lab = label or f"SidePayment({target!r})"
        self._init(target, label, max_intensity, amount=_param(amount, lab, "amount", lo=0.0))

    @property
    def cost(self):
        """Cost to the mediator per unit intensity: the amount itself."""
        return self.amount

    @property
    def shift(self):
        """Utility added to any agreement per unit intensity."""
        return self.amount


class SidePayments(Lever):
    r"""Side payments to several parties at one intensity, conditional on agreement.

    Parameters
    ----------
    amounts : mapping of str to array_like
        Utility transferred to each party at unit intensity, ``>= 0``; the
        mediator pays their sum (a package of aid to both sides, say).
    max_intensity : float, default inf
    label : str, optional

    Notes
    -----
    Each recipient's reservation value (in solver terms) falls by its
    amount times the intensity, exactly as for one :class:`SidePayment` per
    party, but the intensities move together: one decision, one cost.

    Examples
    --------
    >>> import bargain as bg
    >>> pay = bg.SidePayments({"Ukraine": 0.1, "Russia": 0.05})
    >>> pay.targets, round(pay.cost, 12)
    (('Ukraine', 'Russia'), 0.15)
    """

    kind = "value-adding"
    _fields = ("amounts",)

    def __init__(self, amounts, *, max_intensity=math.inf, label=None):
        if not isinstance(amounts, Mapping) or not amounts:
            raise TypeError(
                f"`amounts` must be a non-empty mapping party name -> amount, got {amounts!r}"
            )
        names = tuple(_name(k, "SidePayments party") for k in amounts)
        lab = label or f"SidePayments({', '.join(map(repr, names))})"
        vals = {k: _param(v, lab, f"amounts[{k!r}]", lo=0.0) for k, v in amounts.items()}
        self._init(" & ".join(names), label or lab, max_intensity, amounts=vals)
        object.__setattr__(self, "targets", names)

    def replace(self, **changes):
        """A copy with new ``amounts``, ``label`` or ``max_intensity``.

        Examples
        --------
        >>> import bargain as bg
        >>> bg.SidePayments({"A": 0.1, "B": 0.2}).replace(amounts={"A": 0.3}).targets
        ('A',)
        """
        unknown = sorted(set(changes) - {"amounts", "label", "max_intensity"})
        if unknown:
            raise TypeError(f"SidePayments.replace: unknown parameter(s) {unknown}")
        kw = dict(amounts=self.amounts, label=self.label, max_intensity=self.max_intensity)
        kw.update(changes)
        return SidePayments(**kw)

    @property
    def cost(self):
        """Cost to the mediator per unit intensity: the sum of the amounts."""
        return sum(self.amounts.values())

    def _key(self):
        return (
            "SidePayments",
            self.label,
            self.max_intensity,
            tuple((k, tuple(np.ravel(v))) for k, v in self.amounts.items()),
        )

    def __repr__(self) -> str:
        body = ", ".join(f"{k!r}: {_show(v)}" for k, v in self.amounts.items())
        return f"SidePayments({{{body}}})"


class BattlefieldShift(Lever):
    r"""A lever that moves the war itself: arms supplies, an intervention commitment.

    At intensity ``t`` every party's probabilities of the war's end-states
    move a share :math:`\theta = t\,q\,a` of their mass toward the end-state
    ``toward``: :math:`p_i \to (1 - \theta) p_i + \theta\, e_{toward}`. Every
    party's value of war changes with them, consistently (the one who gains
    ground and the one who loses it), so each reservation value moves by
    :math:`\theta` times the party's utility of that end-state minus its
    expected utility of the war (scaled as the war's lottery is, for a war of
    attrition).

    Parameters
    ----------
    war : War
        The war the lever acts on.
    toward : str
        The end-state the lever makes more likely.
    amount : array_like
        Share of the probability mass moved at unit intensity, in ``(0, 1]``.
    credibility : array_like, default 1
        Probability the lever is carried out, in ``[0, 1]``.
    cost : array_like, default 0
        Cost to the mediator per unit intensity.
    max_intensity : float, optional
        At most ``1 / (credibility * amount)`` (all the mass moved), the default.
    label : str, optional

    Examples
    --------
    Arms to A move a fifth of every belief toward A's victory:

    >>> import bargain as bg
    >>> agenda = bg.Agenda(bg.ContinuousIssue("x"))
    >>> talks = bg.Negotiation(agenda, [
    ...     bg.Party("A", bg.AdditiveUtility({"x": bg.Linear()})),
    ...     bg.Party("B", bg.AdditiveUtility({"x": bg.Linear(-1.0, 1.0)}))])
    >>> war = bg.War({"A wins": {"x": 1.0}, "B wins": {"x": 0.0}},
    ...              {"A": [0.5, 0.5], "B": [0.5, 0.5]}, costs={"A": 0.1, "B": 0.1})
    >>> arms = bg.BattlefieldShift(war, "A wins", 0.2)
    >>> arms.reservation_shift(talks)  # per unit: 0.2 (1 - 0.5) for A, 0.2 (0 - 0.5) for B
    array([ 0.1, -0.1])
    """

    kind = "battlefield"
    _fields = ("war", "toward", "amount", "credibility", "cost")

    def __init__(
        self, war, toward, amount, *, credibility=1.0, cost=0.0, max_intensity=None, label=None
    ):
        from ..conflict._war import War

        if not isinstance(war, War):
            raise TypeError(f"BattlefieldShift: `war` must be a bargain.War, got {war!r}")
        _name(toward, "BattlefieldShift `toward`")
        if toward not in war.names:
            raise ValueError(
                f"BattlefieldShift: unknown end-state {toward!r}; the war's end-states are "
                f"{list(war.names)}"
            )
        lab = label or f"BattlefieldShift({toward!r})"
        a = _param(amount, lab, "amount", lo=0.0, lo_open=True, hi=1.0)
        q = _param(credibility, lab, "credibility", lo=0.0, hi=1.0)
        top = float(np.min(1.0 / np.maximum(np.asarray(a) * np.asarray(q), 1e-300)))
        mi = top if max_intensity is None else min(float(max_intensity), top)
        self._init(
            toward,
            lab,
            mi,
            war=war,
            toward=toward,
            amount=a,
            credibility=q,
            cost=_param(cost, lab, "cost", lo=0.0),
        )

    def replace(self, **changes):
        """A copy with the given parameters changed.

        Examples
        --------
        >>> import bargain as bg
        >>> war = bg.War([[1.0, 0.0], [0.0, 1.0]], [[0.5, 0.5], [0.5, 0.5]])
        >>> bg.BattlefieldShift(war, "s0", 0.2).replace(amount=0.5).max_intensity
        2.0
        """
        allowed = ("war", "toward", "amount", "credibility", "cost", "max_intensity", "label")
        unknown = sorted(set(changes) - set(allowed))
        if unknown:
            raise TypeError(f"BattlefieldShift.replace: unknown parameter(s) {unknown}")
        kw = {f: getattr(self, f) for f in allowed if f not in ("max_intensity", "label")}
        kw["label"] = None if self.label == f"BattlefieldShift({self.toward!r})" else self.label
        kw.update(changes)
        return BattlefieldShift(**kw)

    @property
    def shift(self):
        """Share of the probability mass moved per unit intensity: ``credibility * amount``."""
        return self.amount * self.credibility

    def reservation_shift(self, negotiation) -> np.ndarray:
        r"""Each party's change of reservation value per unit intensity, ``(..., n)``.

        :math:`q a\,(u_i(x_{toward}) - \mathbb{E}_i[u_i])`, scaled by the war's
        discounting for a war of attrition.

        Examples
        --------
        >>> import bargain as bg
        >>> war = bg.War([[1.0, 0.0], [0.0, 1.0]], [[0.6, 0.4], [0.3, 0.7]])
        >>> agenda = bg.Agenda(bg.ContinuousIssue("x"))
        >>> talks = bg.Negotiation(agenda, [
        ...     bg.Party("A", bg.AdditiveUtility({"x": bg.Linear()})),
        ...     bg.Party("B", bg.AdditiveUtility({"x": bg.Linear(-1.0, 1.0)}))])
        >>> # toward s1 (B wins), half credible: 0.5 * 0.4 * (0 - 0.6), 0.5 * 0.4 * (1 - 0.7)
        >>> bg.BattlefieldShift(war, "s1", 0.4, credibility=0.5).reservation_shift(talks)
        array([-0.12,  0.06])
        """
        war = self.war
        U = war.end_state_utilities(negotiation)  # (..., S, n)
        j = war.names.index(self.toward)
        gain = U[..., j, :] - war.expected_utility(negotiation)
        if war.per_period:
            names, n = war._parties(negotiation)
            delta, stay = war._attrition(negotiation, names, n)
            gain = gain * war.hazard[..., None] * delta / (1.0 - stay)
        return np.asarray(self.shift)[..., None] * gain

    def _key(self):
        return (
            "BattlefieldShift",
            id(self.war),
            self.toward,
            self.label,
            tuple(np.ravel(self.amount)),
            tuple(np.ravel(self.credibility)),
            tuple(np.ravel(self.cost)),
        )

    def __repr__(self) -> str:
        return (
            f"BattlefieldShift(toward={self.toward!r}, amount={_show(self.amount)}, "
            f"credibility={_show(self.credibility)}, cost={_show(self.cost)})"
        )


class WarCosts(Lever):
    r"""A lever that raises the costs of fighting: sanctions on the war economy, an intervention.

    At intensity ``t`` party ``i``'s cost of war rises by :math:`t\,q\,a_i`
    (in the war's units: a one-off cost, or a cost per period for a war of
    attrition). Its reservation value falls by the same amount for a one-off
    war, and for a war of attrition by the discounted sum of the extra costs
    until the war is decided,

    .. math:: \Delta r_i = -\frac{t\,q\,a_i}{1 - \delta_i (1 - \lambda)},

    the derivative of the war's value
    :math:`(\lambda \delta_i \mathbb{E}_i[u_i] - \kappa_i)/(1 - \delta_i(1 - \lambda))`
    in its cost :math:`\kappa_i` (Fearon 1995: costlier war, wider range).

    Parameters
    ----------
    war : War
        The war whose costs the lever raises.
    amounts : mapping of str to array_like
        Each affected party's added cost at unit intensity, ``>= 0``.
    credibility : array_like, default 1
        Probability the lever is carried out, in ``[0, 1]``.
    cost : array_like, default 0
        Cost to the mediator per unit intensity.
    max_intensity : float, default inf
    label : str, optional

    Examples
    --------
    Sanctions that add 0.05 per period to Russia's cost of a war decided with
    probability 0.1 a period, at discount 0.9: :math:`0.05 / (1 - 0.9 \cdot 0.9)`.

    >>> import bargain as bg
    >>> agenda = bg.Agenda(bg.ContinuousIssue("x"))
    >>> talks = bg.Negotiation(agenda, [
    ...     bg.Party("Ukraine", bg.AdditiveUtility({"x": bg.Linear()}), discount=0.9),
    ...     bg.Party("Russia", bg.AdditiveUtility({"x": bg.Linear(-1.0, 1.0)}), discount=0.9)])
    >>> war = bg.War({"Ukraine wins": {"x": 1.0}, "Russia wins": {"x": 0.0}},
    ...              {"Ukraine": [0.5, 0.5], "Russia": [0.5, 0.5]},
    ...              cost_per_period={"Ukraine": 0.02, "Russia": 0.02}, hazard=0.1)
    >>> bg.WarCosts(war, {"Russia": 0.05}).reservation_shift(talks).round(6)
    array([ 0.      , -0.263158])
    """

    kind = "battlefield"
    _fields = ("war", "amounts", "credibility", "cost")

    def __init__(
        self, war, amounts, *, credibility=1.0, cost=0.0, max_intensity=math.inf, label=None
    ):
        from ..conflict._war import War

        if not isinstance(war, War):
            raise TypeError(f"WarCosts: `war` must be a bargain.War, got {war!r}")
        if not isinstance(amounts, Mapping) or not amounts:
            raise TypeError(
                f"WarCosts: `amounts` must be a non-empty mapping party name -> added cost, "
                f"got {amounts!r}"
            )
        names = tuple(_name(k, "WarCosts party") for k in amounts)
        lab = label or f"WarCosts({', '.join(map(repr, names))})"
        vals = {k: _param(v, lab, f"amounts[{k!r}]", lo=0.0) for k, v in amounts.items()}
        self._init(
            " & ".join(names),
            lab,
            max_intensity,
            war=war,
            amounts=vals,
            credibility=_param(credibility, lab, "credibility", lo=0.0, hi=1.0),
            cost=_param(cost, lab, "cost", lo=0.0),
        )
        object.__setattr__(self, "targets", names)

    def replace(self, **changes):
        """A copy with the given parameters changed.

        Examples
        --------
        >>> import bargain as bg
        >>> war = bg.War([[1.0, 0.0], [0.0, 1.0]], [[0.5, 0.5], [0.5, 0.5]])
        >>> bg.WarCosts(war, {"A": 0.1}).replace(credibility=0.5).credibility
        0.5
        """
        allowed = ("war", "amounts", "credibility", "cost", "max_intensity", "label")
        unknown = sorted(set(changes) - set(allowed))
        if unknown:
            raise TypeError(f"WarCosts.replace: unknown parameter(s) {unknown}")
        kw = {f: getattr(self, f) for f in allowed if f != "label"}
        default = f"WarCosts({', '.join(map(repr, self.targets))})"
        kw["label"] = None if self.label == default else self.label
        kw.update(changes)
        return WarCosts(**kw)

    def reservation_shift(self, negotiation) -> np.ndarray:
        r"""Each party's change of reservation value per unit intensity, ``(..., n)``.

        :math:`-q\,a_i`, divided by :math:`1 - \delta_i(1 - \lambda)` for a
        war of attrition.

        Examples
        --------
        >>> import bargain as bg
        >>> war = bg.War([[1.0, 0.0], [0.0, 1.0]], [[0.5, 0.5], [0.5, 0.5]], costs=[0.1, 0.1])
        >>> agenda = bg.Agenda(bg.ContinuousIssue("x"))
        >>> talks = bg.Negotiation(agenda, [
        ...     bg.Party("A", bg.AdditiveUtility({"x": bg.Linear()})),
        ...     bg.Party("B", bg.AdditiveUtility({"x": bg.Linear(-1.0, 1.0)}))])
        >>> bg.WarCosts(war, {"A": 0.1, "B": 0.2}, credibility=0.5).reservation_shift(talks)
        array([-0.05, -0.1 ])
        """
        a = party_amounts(self, negotiation, "raises the war costs of") * self.war.cost_scale(
            negotiation
        )
        return 0.0 - np.asarray(self.credibility, dtype=float)[..., None] * a  # no -0.0

    def _key(self):
        return (
            "WarCosts",
            id(self.war),
            self.label,
            self.max_intensity,
            tuple((k, tuple(np.ravel(v))) for k, v in self.amounts.items()),
            tuple(np.ravel(self.credibility)),
            tuple(np.ravel(self.cost)),
        )

    def __repr__(self) -> str:
        body = ", ".join(f"{k!r}: {_show(v)}" for k, v in self.amounts.items())
        return (
            f"WarCosts({{{body}}}, credibility={_show(self.credibility)}, cost={_show(self.cost)})"
        )


class Guarantee(Lever):
    r"""A guarantee attached to option(s) of an issue, worth its credibility times its value.

    Parameters
    ----------
    target : str
        The party protected by the guarantee.
    issue : str
        The issue it is attached to.
    options : str, number or sequence, optional
        Discrete issue: the option(s) the guarantee backs (e.g. a bilateral
        treaty, a European force); all options by default. Continuous
        issue: must be omitted; the guarantee's value then scales with the
        issue's level, ``(x - lo) / (hi - lo)`` (e.g. the share of territory
        whose return is guaranteed).
    value : array_like, default 1
        The guarantee's full value to the target (utility if honoured for
        sure), ``>= 0``.
    credibility : array_like, default 1
        Probability the target believes it will be honoured, in ``[0, 1]``.
    cost : array_like, default 0
        Cost to the mediator per unit intensity, ``>= 0``.
    max_intensity : float, default inf
    label : str, optional

    Notes
    -----
    At intensity :math:`t`, an agreement ``x`` whose ``issue`` takes a
    guaranteed option is worth :math:`t\,q\,V` more to the target:
    a guarantee believed with probability :math:`q` is worth :math:`q` times
    its full value :math:`V`. The 1994 Budapest Memorandum — "assurances"
    that Ukraine valued at a low :math:`q` after 2014 — is the cautionary
    case: a large :math:`V` at a small :math:`q` moves little.

    Examples
    --------
    >>> import bargain as bg
    >>> g = bg.Guarantee("Ukraine", "security", ["treaty", "art5"], value=0.4, credibility=0.25)
    >>> g.options, g.worth
    (('treaty', 'art5'), 0.1)
    """

    kind = "value-adding"
    _fields = ("issue", "options", "value", "credibility", "cost")

    def __init__(
        self,
        target,
        issue,
        options=None,
        *,
        value=1.0,
        credibility=1.0,
        cost=0.0,
        max_intensity=math.inf,
        label=None,
    ):
        lab = label or f"Guarantee({target!r}, {issue!r})"
        _name(issue, f"{lab} `issue`")
        if options is not None:
            if isinstance(options, (str, int, float, np.integer, np.floating)):
                options = (options,)
            elif isinstance(options, Iterable):
                options = tuple(options)
            else:
                raise TypeError(
                    f"{lab}: `options` must be an option or a sequence, got {options!r}"
                )
            if not options:
                raise ValueError(f"{lab}: `options` must not be empty")
        self._init(
            target,
            label,
            max_intensity,
            issue=issue,
            options=options,
            value=_param(value, lab, "value", lo=0.0),
            credibility=_param(credibility, lab, "credibility", lo=0.0, hi=1.0),
            cost=_param(cost, lab, "cost", lo=0.0),
        )

    @property
    def worth(self):
        """Expected value ``credibility * value`` per unit intensity."""
        return self.credibility * self.value


class PowerShift(Lever):
    r"""Mediator bias: a shift of bargaining power towards a party.

    Parameters
    ----------
    target : str
    amount : array_like
        Added to the target's ``power`` per unit intensity (may be negative:
        bias against it); the result must stay positive.
    cost : array_like, default 0
        Cost to the mediator per unit intensity, ``>= 0``.
    max_intensity : float, default inf
    label : str, optional

    Notes
    -----
    Changes the weights of the generalised Nash solution only; the ZOPA,
    the Kalai–Smorodinsky point and the Rubinstein equilibrium do not
    depend on powers.

    Examples
    --------
    >>> import bargain as bg
    >>> bg.PowerShift("Ukraine", 0.5)
    PowerShift('Ukraine', amount=0.5, cost=0.0)
    """

    kind = "procedural"
    _fields = ("amount", "cost")

    def __init__(self, target, amount, *, cost=0.0, max_intensity=math.inf, label=None):
        lab = label or f"PowerShift({target!r})"
        self._init(
            target,
            label,
            max_intensity,
            amount=_param(amount, lab, "amount"),
            cost=_param(cost, lab, "cost", lo=0.0),
        )


class Mediator:
    r"""A mediator: a name, the levers it can pull and its budget.

    Parameters
    ----------
    name : str
    levers : sequence of Lever
        Threat, Inducement, Guarantee, SidePayment or PowerShift records;
        their ``label`` must be distinct (give labels to tell two levers on
        the same party apart).
    budget : float, default inf
        What the mediator can spend: the total ``sum_j t_j cost_j`` of a mix.

    Examples
    --------
    >>> import bargain as bg
    >>> us = bg.Mediator("US", [bg.Threat("Ukraine", 0.3, label="aid cut"),
    ...                         bg.Inducement("Russia", 0.2, cost=0.1, label="relief")],
    ...                  budget=1.0)
    >>> us
    Mediator('US', levers=['aid cut', 'relief'], budget=1.0)
    >>> us.lever("relief").kind
    'value-adding'
    """

    def __init__(self, name, levers, *, budget=math.inf) -> None:
        self.name = _name(name, "mediator `name`")
        if isinstance(levers, Lever):
            levers = [levers]
        levers = tuple(levers)
        if not levers:
            raise ValueError(f"mediator {name!r}: `levers` must not be empty")
        for lv in levers:
            if not isinstance(lv, Lever):
                raise TypeError(f"mediator {name!r}: `levers` must hold Lever objects, got {lv!r}")
        labels = [lv.label for lv in levers]
        dup = sorted({x for x in labels if labels.count(x) > 1})
        if dup:
            raise ValueError(
                f"mediator {name!r}: lever labels must be distinct; repeated: {dup} "
                "(pass label=... to tell them apart)"
            )
        if isinstance(budget, bool):
            raise TypeError(f"mediator {name!r}: `budget` must be a number, got {budget!r}")
        try:
            b = float(budget)
        except (TypeError, ValueError):
            raise TypeError(
                f"mediator {name!r}: `budget` must be a number, got {budget!r}"
            ) from None
        if not b >= 0:
            raise ValueError(f"mediator {name!r}: `budget` must be >= 0, got {budget!r}")
        self.levers = levers
        self.budget = b

    @property
    def labels(self) -> tuple[str, ...]:
        """The levers' labels, in order."""
        return tuple(lv.label for lv in self.levers)

    def lever(self, label: str) -> Lever:
        """The lever called ``label``.

        Parameters
        ----------
        label : str
            One of :attr:`labels` (``ValueError`` listing them if unknown).

        Returns
        -------
        Lever

        Examples
        --------
        >>> import bargain as bg
        >>> us = bg.Mediator("US", [bg.Threat("Ukraine", 0.3, label="aid cut"),
        ...                         bg.Inducement("Russia", 0.2, cost=0.1, label="relief")])
        >>> us.lever("relief").cost
        0.1
        >>> us.lever("oil")
        Traceback (most recent call last):
            ...
        ValueError: mediator 'US' has no lever 'oil'; levers: ('aid cut', 'relief')
        """
        for lv in self.levers:
            if lv.label == label:
                return lv
        raise ValueError(f"mediator {self.name!r} has no lever {label!r}; levers: {self.labels}")

    def __repr__(self) -> str:
        return f"Mediator({self.name!r}, levers={list(self.labels)}, budget={self.budget!r})"


def as_levers(levers) -> tuple[tuple[Lever, ...], float]:
    """Levers and budget from a Mediator, a Lever or a sequence of levers (internal)."""
    if isinstance(levers, Mediator):
        return levers.levers, levers.budget
    if isinstance(levers, Lever):
        return (levers,), math.inf
    try:
        seq = tuple(levers)
    except TypeError:
        raise TypeError(
            f"`levers` must be a Mediator, a Lever or a sequence of levers, got {levers!r}"
        ) from None
    return Mediator("mediator", seq).levers, math.inf
