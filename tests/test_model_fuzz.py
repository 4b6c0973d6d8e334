"""Fuzz the model loader: generated and mutated files give a valid model or a ModelError.

Any other exception fails, and so does a *silent wrong load*: a file that
loads must hold exactly the numbers and names written in it.
"""

import copy
import math
import os
import tomllib

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bargain as bg
from bargain.io._model import loads_model, model_from_dict
from bargain.io._toml import dumps

BASE = tomllib.loads(
    """
[model]
name = "fuzz"
sources = ["s"]

[[issues]]
name = "x"
lo = 0
hi = 1

[[issues]]
name = "g"
options = ["a", "b", "c"]

[[parties]]
name = "P"
reservation = 0.2
discount = 0.9
power = 1.0
weights = { x = 0.5, g = 0.5 }
values = { x = { kind = "power", exponent = 0.5 }, g = { kind = "table", values = [0, 0.5, 1] } }

[[parties]]
name = "Q"
reservation = 0.3
breakdown = 0.05
[parties.values]
x = { kind = "linear", slope = -1, intercept = 1 }
g = { kind = "table", values = [1, 0.2, 0] }

[mediator]
name = "M"
budget = 1.0

[[levers]]
kind = "threat"
name = "t1"
target = "Q"
amount = 0.1
credibility = 0.5

[[levers]]
kind = "guarantee"
name = "g1"
target = "P"
issue = "g"
options = ["b"]
value = 0.2

[uncertainty]
"parties.P.reservation" = { dist = "uniform", lo = 0.1, hi = 0.3 }
"levers.t1.credibility" = { dist = "normal", mean = 0.5, sd = 0.1, lo = 0.2, hi = 0.8 }

[notes]
"parties.Q.reservation" = { source = "s" }
"""
)

WEIRD = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([1e300, -1e300, 1e16, 5e-324, 0.0, -0.0, 1.0, 0.5, 2]),
    st.text(max_size=8),
    st.sampled_from(["", " P", "P.Q", "ünïcødé", "x", "g", "a", "P", "Q", "\x00", "linear"]),
    st.lists(st.integers(-3, 3), max_size=4),
    st.lists(st.floats(allow_nan=True), max_size=3),
    st.dictionaries(
        st.sampled_from(["kind", "name", "lo", "hi", "x", "zz"]), st.integers(-2, 2), max_size=3
    ),
)


def _paths(doc, prefix=()):
    """Every (container, key) pair of a document, for mutation."""
    out = []
    if isinstance(doc, dict):
        for k, v in doc.items():
            out.append((prefix, k))
            out += _paths(v, (*prefix, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            out.append((prefix, i))
            out += _paths(v, (*prefix, i))
    return out


def _get(doc, path):
    for k in path:
        doc = doc[k]
    return doc


@st.composite
def mutated(draw):
    doc = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(doc)
        if not paths:
            break
        parent, key = draw(st.sampled_from(paths))
        container = _get(doc, parent)
        op = draw(st.sampled_from(["replace", "delete", "add", "duplicate"]))
        if op == "replace":
            container[key] = draw(WEIRD)
        elif op == "delete":
            del container[key]
        elif op == "add" and isinstance(container, dict):
            container[draw(st.sampled_from(["zz", "Name", "reservaton", "kind", "extra"]))] = draw(
                WEIRD
            )
        elif op == "duplicate" and isinstance(container, list):
            container.append(copy.deepcopy(container[key]))
    return doc


def _check(doc):
    try:
        m = model_from_dict(copy.deepcopy(doc), "fuzz.toml")
    except bg.ModelError as exc:
        assert str(exc).startswith("fuzz.toml: ")
        assert "\n" not in str(exc)
        return None
    # a load must be faithful: the same document, the same numbers
    assert m.data == doc
    for p in m.negotiation.parties:
        spec = next(x for x in doc["parties"] if x["name"] == p.name)
        assert float(p.reservation) == float(spec.get("reservation", 0.0))
        assert float(p.discount) == float(spec.get("discount", 1.0))
        for v in (p.reservation, p.discount, p.power, p.breakdown):
            assert math.isfinite(float(v))
    assert m.agenda.names == tuple(i["name"] for i in doc["issues"])
    assert len(m.levers) == len(doc.get("levers", []))
    for u in m.uncertain:
        lo, hi = u.support
        assert lo <= m.parameters()[u.path] <= hi
    return m


def test_base_document_is_valid():
    assert _check(BASE) is not None


@pytest.mark.slow
@settings(max_examples=1500, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(mutated())
def test_mutated_documents(doc):
    _check(doc)


@settings(max_examples=1000, deadline=None)
@given(
    st.recursive(
        WEIRD,
        lambda c: (
            st.dictionaries(
                st.sampled_from(
                    ["model", "issues", "parties", "levers", "uncertainty", "name", "values"]
                ),
                c,
                max_size=4,
            )
            | st.lists(c, max_size=3)
        ),
        max_leaves=12,
    )
)
@pytest.mark.slow
def test_arbitrary_documents(doc):
    if not isinstance(doc, dict):
        doc = {"model": doc}
    _check(doc)


@settings(max_examples=600, deadline=None)
@given(st.data())
def test_mutated_text(data):
    """Byte-level damage to a valid file: TOML errors are ModelErrors too."""
    text = dumps(BASE)
    i = data.draw(st.integers(0, len(text) - 1))
    j = data.draw(st.integers(i, min(len(text), i + 20)))
    junk = data.draw(st.text(max_size=6))
    damaged = text[:i] + junk + text[j:]
    try:
        m = loads_model(damaged, "fuzz.toml")
    except bg.ModelError as exc:
        assert str(exc).startswith("fuzz.toml: ")
        return
    assert m.data == tomllib.loads(damaged)


@pytest.mark.skipif(
    os.environ.get("HYPOTHESIS_PROFILE") != "heavy", reason="heavy fuzz: HYPOTHESIS_PROFILE=heavy"
)
@settings(max_examples=20_000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_documents_heavy(doc):
    """20,000 mutants; runs with HYPOTHESIS_PROFILE=heavy."""
    _check(doc)


def test_round_trip_of_valid_mutants():
    rng = np.random.default_rng(0)
    doc = copy.deepcopy(BASE)
    for _ in range(20):
        doc["parties"][0]["reservation"] = float(rng.uniform(0.1, 0.3))
        m = _check(doc)
        assert tomllib.loads(dumps(m.data)) == m.data
