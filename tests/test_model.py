"""Model files: loading, validation errors, round trips, uncertainty and time paths."""

import copy
import tomllib

import numpy as np
import pytest

import bargain as bg
from bargain.io._model import loads_model, model_from_dict
from bargain.io._toml import dumps

MINIMAL = """
[model]
name = "pie"

[[issues]]
name = "x"

[[issues]]
name = "g"
options = ["none", "treaty"]

[[parties]]
name = "A"
reservation = 0.1
values = { x = { kind = "linear" }, g = { kind = "table", values = [0, 1] } }

[[parties]]
name = "B"
reservation = 0.2
[parties.values]
x = { kind = "linear", slope = -1, intercept = 1 }
g = { kind = "table", values = { none = 1, treaty = 0 } }

[uncertainty]
"parties.A.reservation" = { dist = "triangular", lo = 0, mode = 0.1, hi = 0.3, rationale = "r" }
"parties.B.values.g.values.none" = { dist = "beta", a = 2, b = 2, lo = 0.5, hi = 1 }
"""


def test_minimal_model_loads_and_solves():
    m = loads_model(MINIMAL, "mini.toml")
    assert m.negotiation.names == ("A", "B")
    assert m.agenda.names == ("x", "g")
    res = bg.nash(m.negotiation)
    assert bool(res.agreement)
    assert [u.path for u in m.uncertain] == [
        "parties.A.reservation",
        "parties.B.values.g.values.none",
    ]


def test_draw_respects_ranges_and_seed():
    m = loads_model(MINIMAL)
    d1, d2 = m.draw(2000, rng=1), m.draw(2000, rng=1)
    for u in m.uncertain:
        lo, hi = u.support
        assert np.all((d1[u.path] >= lo) & (d1[u.path] <= hi))
        np.testing.assert_array_equal(d1[u.path], d2[u.path])
    # triangular(0, 0.1, 0.3) has mean 0.4/3
    assert abs(d1["parties.A.reservation"].mean() - 0.4 / 3) < 0.01


def test_with_parameters_by_option_label():
    m = loads_model(MINIMAL)
    m2 = m.with_parameters({"parties.B.values.g.values.none": 0.6})
    np.testing.assert_allclose(
        m2.negotiation.party("B").utility.values["g"].params["values"], [0.6, 0]
    )
    with pytest.raises(bg.ModelError, match="did you mean"):
        m.with_parameters({"parties.A.reservaton": 0.1})


BAD = {
    "unknown top key": ("[modle]\n", "did you mean 'model'"),
    "unknown party key": (
        MINIMAL.replace("reservation = 0.1\n", "reservaton = 0.1\n"),
        "parties[0]: unknown key 'reservaton' (did you mean 'reservation'?)",
    ),
    "wrong type": (
        MINIMAL.replace("reservation = 0.1", 'reservation = "high"'),
        "parties[0].reservation: expected a number, got a string",
    ),
    "nan": (
        MINIMAL.replace("reservation = 0.1", "reservation = nan"),
        "parties[0].reservation: expected a finite number",
    ),
    "huge": (
        MINIMAL.replace("reservation = 0.2", "reservation = 1e300"),
        "parties[1].reservation: expected a finite number with |x| <= 1e+15",
    ),
    "discount range": (
        MINIMAL.replace("reservation = 0.2", "reservation = 0.2\ndiscount = -0.1"),
        "parties[1].discount: expected a number in [0, 1]",
    ),
    "empty agenda": (
        "issues = []\n"
        + MINIMAL.split("[[issues]]")[0]
        + "[[parties]]"
        + MINIMAL.split("[[parties]]", 1)[1],
        "the agenda is empty",
    ),
    "duplicate party": (MINIMAL.replace('name = "B"', 'name = "A"'), "duplicate party name 'A'"),
    "unknown issue in values": (
        MINIMAL.replace('x = { kind = "linear" }', 'y = { kind = "linear" }'),
        "unknown issue 'y'",
    ),
    "table length": (MINIMAL.replace("values = [0, 1]", "values = [0, 1, 2]"), "expected 2 values"),
    "value outside range": (
        MINIMAL.replace("mode = 0.1, hi = 0.3", "mode = 0.2, hi = 0.3").replace(
            "reservation = 0.1", "reservation = 0.5"
        ),
        "lies outside the range",
    ),
    "bad path": (
        MINIMAL.replace('"parties.A.reservation" =', '"parties.A.reservations" ='),
        "did you mean 'parties.A.reservation'",
    ),
    "bad dist": (
        MINIMAL.replace('dist = "triangular"', 'dist = "triangle"'),
        "did you mean 'triangular'",
    ),
    "bad toml": ("[model\n", "not valid TOML"),
    "path in the model name": (
        MINIMAL.replace('name = "pie"', 'name = "/some/dir/pwn"', 1),
        "model.name: expected an identifier",
    ),
    "non-concave": (
        MINIMAL.replace('x = { kind = "linear" }', 'x = { kind = "power", exponent = 2 }'),
        "concave",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_errors_name_file_key_and_rule(name):
    text, fragment = BAD[name]
    with pytest.raises(bg.ModelError) as info:
        loads_model(text, "bad.toml")
    msg = str(info.value)
    assert msg.startswith("bad.toml: "), msg
    assert fragment in msg, msg


def test_range_ends_are_validated():
    text = MINIMAL.replace("reservation = 0.1\n", "reservation = 0.1\ndiscount = 0.9\n") + (
        '"parties.A.discount" = { dist = "uniform", lo = 0.5, hi = 1.5 }\n'
    )
    with pytest.raises(bg.ModelError, match=r"upper end 1\.5 is not a valid value"):
        loads_model(text, "bad.toml")


def test_reservation_path():
    text = MINIMAL.replace(
        "reservation = 0.2\n",
        "reservation = 0.2\nreservation_path = { times = [2024, 2025], values = [0.3, 0.1] }\n",
    )
    m = loads_model(text)
    assert float(m.paths["B"](2024.5)) == pytest.approx(0.2)
    bad = text.replace("times = [2024, 2025]", "times = [2025, 2024]")
    with pytest.raises(bg.ModelError, match="strictly increasing"):
        loads_model(bad, "bad.toml")


def test_missing_file_and_unknown_name(tmp_path):
    with pytest.raises(bg.ModelError, match="cannot read"):
        bg.load_model(tmp_path / "nope.toml")
    with pytest.raises(bg.ModelError, match="did you mean 'ukraine_russia'"):
        bg.load_model("ukraine_rusia")


def test_save_round_trip(tmp_path):
    for name in bg.bundled_models():
        m = bg.load_model(name)
        f = bg.save_model(m, tmp_path / f"{name}.toml")
        m2 = bg.load_model(f)
        assert m2.data == m.data
        assert m2.parameters() == m.parameters()


def test_emitter_round_trips_awkward_strings():
    doc = {
        "a": {"k": 'quote " back\\ tab\t nl\n ünï', "x": [1.5, -2, True]},
        "t": [{"name": "dotted.key", "v": {"in": {"x": 1}}}],
        "n": float("inf"),
    }
    assert tomllib.loads(dumps(doc)) == doc


def test_model_from_dict_does_not_alias_input():
    doc = tomllib.loads(MINIMAL)
    m = model_from_dict(copy.deepcopy(doc))
    m.data["parties"][0]["reservation"] = 99
    assert model_from_dict(doc).negotiation.party("A").reservation == 0.1
