"""Bad input, at scale: malformed model files and API calls, each with a clear message.

Every model file below goes through the command line (``bargain solve FILE``) and
must end with exit status 2 and one line on stderr naming the key path; every API
call must raise ``ValueError``/``TypeError`` (or ``ModelError``) naming the argument.
Degenerate but valid inputs must give finite answers without warnings. The suite
holds at least 150 distinct cases (``test_the_suite_is_large_enough``).
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from test_model import MINIMAL

import bargain as bg
from bargain.cli import main
from bargain.io._model import loads_model

# the minimal model of test_model.py, with one uncertain parameter
BASE = MINIMAL.replace(
    '"parties.B.values.g.values.none" = { dist = "beta", a = 2, b = 2, lo = 0.5, hi = 1 }\n', ""
)


def _sub(old, new, count=1):
    assert old in BASE, old
    return BASE.replace(old, new, count)


R_A = "reservation = 0.1"
R_B = "reservation = 0.2"
X_A = 'x = { kind = "linear" }'
G_A = 'g = { kind = "table", values = [0, 1] }'
ISSUE_G = 'name = "g"\noptions = ["none", "treaty"]'
LEVER = """
[[levers]]
kind = "threat"
name = "aid_cut"
target = "A"
amount = 0.2
credibility = 0.5
cost = 0.05
"""
UNC = (
    '"parties.A.reservation" = '
    '{ dist = "triangular", lo = 0, mode = 0.1, hi = 0.3, rationale = "r" }'
)

# (id, model text, a fragment the one-line message must contain)
MODELS = [
    ("not toml", "[model\n", "not valid TOML"),
    ("bom then garbage", "\ufeff[model\n", "not valid TOML"),
    ("empty file", "", "model"),
    ("unknown top key", BASE + "\n[modle]\n", "did you mean 'model'"),
    ("no model table", BASE.replace('[model]\nname = "pie"\n', ""), "model"),
    ("no name", _sub('name = "pie"', 'title = "pie"'), "name"),
    ("name with slash", _sub('name = "pie"', 'name = "a/b"'), "identifier"),
    ("name with dot", _sub('name = "pie"', 'name = "a.b"'), "identifier"),
    ("name absolute path", _sub('name = "pie"', 'name = "/tmp/pwn"'), "identifier"),
    ("name parent", _sub('name = "pie"', 'name = ".."'), "identifier"),
    ("name with space", _sub('name = "pie"', 'name = "a b"'), "identifier"),
    ("name empty", _sub('name = "pie"', 'name = ""'), "model.name"),
    ("name number", _sub('name = "pie"', "name = 3"), "model.name"),
    ("name too long", _sub('name = "pie"', f'name = "{"a" * 300}"'), "model.name"),
    ("name control char", _sub('name = "pie"', 'name = "a\\tb"'), "model.name"),
    (
        "unknown model key",
        _sub('name = "pie"', 'name = "pie"\ntitel = "x"'),
        "did you mean 'title'",
    ),
    ("no issues", BASE.replace('[[issues]]\nname = "x"\n\n[[issues]]\n' + ISSUE_G, ""), "issues"),
    ("issue without name", _sub('[[issues]]\nname = "x"', "[[issues]]\nlo = 0"), "issues[0]"),
    ("duplicate issue", _sub(ISSUE_G, 'name = "x"\noptions = ["none", "treaty"]'), "x"),
    ("one option", _sub('options = ["none", "treaty"]', 'options = ["none"]'), "options"),
    ("duplicate option", _sub('options = ["none", "treaty"]', 'options = ["a", "a"]'), "a"),
    ("options not list", _sub('options = ["none", "treaty"]', 'options = "none"'), "options"),
    ("options numbers", _sub('options = ["none", "treaty"]', "options = [1, 2]"), "options"),
    ("issue lo above hi", _sub('name = "x"\n', 'name = "x"\nlo = 2\nhi = 1\n'), "issues[0]"),
    ("issue lo nan", _sub('name = "x"\n', 'name = "x"\nlo = nan\n'), "issues[0].lo"),
    ("issue hi inf", _sub('name = "x"\n', 'name = "x"\nhi = inf\n'), "issues[0].hi"),
    ("issue unknown key", _sub('name = "x"\n', 'name = "x"\nlow = 0\n'), "issues[0]"),
    ("no parties", BASE.split("[[parties]]")[0], "parties"),
    ("one party", BASE.split('[[parties]]\nname = "B"')[0], "parties"),
    ("party without name", _sub('name = "A"\n', ""), "parties[0]"),
    ("duplicate party", _sub('name = "B"', 'name = "A"'), "A"),
    ("party name with dot", _sub('name = "A"', 'name = "A.B"'), "parties[0].name"),
    ("unknown party key", _sub(R_A, "reservaton = 0.1"), "did you mean 'reservation'"),
    ("reservation string", _sub(R_A, 'reservation = "high"'), "parties[0].reservation"),
    ("reservation bool", _sub(R_A, "reservation = true"), "parties[0].reservation"),
    ("reservation nan", _sub(R_A, "reservation = nan"), "parties[0].reservation"),
    ("reservation inf", _sub(R_A, "reservation = inf"), "parties[0].reservation"),
    ("reservation huge", _sub(R_B, "reservation = 1e300"), "parties[1].reservation"),
    ("reservation date", _sub(R_A, "reservation = 1979-05-27"), "parties[0].reservation"),
    ("reservation list", _sub(R_A, "reservation = [0.1]"), "parties[0].reservation"),
    ("discount negative", _sub(R_B, R_B + "\ndiscount = -0.1"), "parties[1].discount"),
    ("discount above one", _sub(R_B, R_B + "\ndiscount = 1.5"), "parties[1].discount"),
    ("discount string", _sub(R_B, R_B + '\ndiscount = "0.9"'), "parties[1].discount"),
    ("breakdown one", _sub(R_B, R_B + "\nbreakdown = 1"), "parties[1].breakdown"),
    ("breakdown negative", _sub(R_B, R_B + "\nbreakdown = -0.5"), "parties[1].breakdown"),
    ("power zero", _sub(R_B, R_B + "\npower = 0"), "parties[1].power"),
    ("power negative", _sub(R_B, R_B + "\npower = -1"), "parties[1].power"),
    ("veto string", _sub(R_B, R_B + '\nveto = "no"'), "parties[1].veto"),
    ("no values", _sub("values = { " + X_A + ", " + G_A + " }\n", ""), "parties[0]"),
    ("value unknown issue", _sub(X_A, 'y = { kind = "linear" }'), "y"),
    ("value kind unknown", _sub(X_A, 'x = { kind = "lineer" }'), "did you mean 'linear'"),
    ("value kind missing", _sub(X_A, "x = { slope = 1 }"), "kind"),
    ("value not table", _sub(X_A, "x = 3"), "parties[0].values.x"),
    ("linear slope string", _sub(X_A, 'x = { kind = "linear", slope = "a" }'), "slope"),
    ("linear unknown key", _sub(X_A, 'x = { kind = "linear", slop = 1 }'), "slop"),
    ("power exponent zero", _sub(X_A, 'x = { kind = "power", exponent = 0 }'), "exponent"),
    ("power no exponent", _sub(X_A, 'x = { kind = "power" }'), "exponent"),
    ("convex power", _sub(X_A, 'x = { kind = "power", exponent = 2 }'), "concave"),
    ("log scale negative", _sub(X_A, 'x = { kind = "log", scale = -1 }'), "parties[0].values.x"),
    ("cara rate nan", _sub(X_A, 'x = { kind = "exponential", rate = nan }'), "rate"),
    ("table on divisible", _sub(X_A, 'x = { kind = "table", values = [0, 1] }'), "x"),
    ("table too short", _sub(G_A, 'g = { kind = "table", values = [0] }'), "g"),
    ("table too long", _sub(G_A, 'g = { kind = "table", values = [0, 1, 2] }'), "g"),
    ("table string entry", _sub(G_A, 'g = { kind = "table", values = [0, "a"] }'), "g"),
    ("table nan entry", _sub(G_A, 'g = { kind = "table", values = [0, nan] }'), "g"),
    ("table unknown label", _sub("none = 1, treaty = 0", "none = 1, traety = 0"), "traety"),
    ("table missing label", _sub("none = 1, treaty = 0", "none = 1"), "treaty"),
    ("table label value string", _sub("none = 1, treaty = 0", 'none = 1, treaty = "x"'), "treaty"),
    ("weights negative", _sub(R_A, R_A + "\nweights = { x = -1, g = 1 }"), "weights"),
    ("weights unknown issue", _sub(R_A, R_A + "\nweights = { y = 1, g = 1 }"), "y"),
    ("weights string", _sub(R_A, R_A + '\nweights = { x = "1", g = 1 }'), "weights"),
    ("weights all zero", _sub(R_A, R_A + "\nweights = { x = 0, g = 0 }"), "weights"),
    ("red line unknown issue", _sub(R_A, R_A + '\nred_lines = { y = ["none"] }'), "y"),
    ("red line unknown option", _sub(R_A, R_A + '\nred_lines = { g = ["nothing"] }'), "nothing"),
    ("red line min on discrete", _sub(R_A, R_A + "\nred_lines = { g = { min = 1 } }"), "g"),
    ("red line list on divisible", _sub(R_A, R_A + '\nred_lines = { x = ["a"] }'), "x"),
    (
        "red line min above max",
        _sub(R_A, R_A + "\nred_lines = { x = { min = 0.9, max = 0.1 } }"),
        "x",
    ),
    ("controls unknown issue", _sub(R_B, R_B + '\ncontrols = ["y"]'), "y"),
    ("controls without status quo", _sub(R_B, R_B + '\ncontrols = ["g"]\nveto = false'), "status"),
    (
        "constraint unknown issue",
        BASE + "\n[[constraints]]\ncoefficients = { y = 1 }\nub = 1\n",
        "y",
    ),
    (
        "constraint no bound",
        BASE + "\n[[constraints]]\ncoefficients = { x = 1 }\n",
        "constraints[0]",
    ),
    ("constraint discrete", BASE + "\n[[constraints]]\ncoefficients = { g = 1 }\nub = 1\n", "g"),
    (
        "constraint lb above ub",
        BASE + "\n[[constraints]]\ncoefficients = { x = 1 }\nlb = 1\nub = 0\n",
        "constraints[0]",
    ),
    (
        "constraint nan",
        BASE + "\n[[constraints]]\ncoefficients = { x = nan }\nub = 1\n",
        "constraints[0]",
    ),
    (
        "forbidden unknown option",
        BASE + '\n[[constraints]]\nforbidden = { g = "nothing" }\n',
        "nothing",
    ),
    (
        "forbid everything",
        BASE + '\n[[constraints]]\nforbidden = { g = ["none", "treaty"] }\n',
        "g",
    ),
    (
        "requires unknown issue",
        BASE + '\n[[constraints]]\nwhen = { y = "a" }\nthen = { g = "none" }\n',
        "y",
    ),
    (
        "uncertain unknown path",
        _sub('"parties.A.reservation" =', '"parties.A.reservations" ='),
        "did you mean 'parties.A.reservation'",
    ),
    (
        "uncertain unknown party",
        _sub('"parties.A.reservation" =', '"parties.C.reservation" ='),
        "parties.C",
    ),
    (
        "uncertain dist unknown",
        _sub('dist = "triangular"', 'dist = "triangle"'),
        "did you mean 'triangular'",
    ),
    (
        "uncertain lo above hi",
        _sub("lo = 0, mode = 0.1, hi = 0.3", "lo = 0.3, mode = 0.1, hi = 0"),
        "parties.A.reservation",
    ),
    ("uncertain mode outside", _sub("mode = 0.1", "mode = 0.9"), "parties.A.reservation"),
    (
        "uncertain value outside",
        _sub("lo = 0, mode = 0.1", "lo = 0.2, mode = 0.25"),
        "outside the range",
    ),
    ("uncertain missing hi", _sub(", hi = 0.3", ""), "hi"),
    ("uncertain not table", _sub(UNC, '"parties.A.reservation" = 0.2'), "parties.A.reservation"),
    (
        "uncertain beta a negative",
        _sub(UNC, '"parties.A.reservation" = { dist = "beta", a = -1, b = 2, lo = 0, hi = 0.3 }'),
        "parties.A.reservation",
    ),
    (
        "uncertain normal sd zero",
        _sub(UNC, '"parties.A.reservation" = { dist = "normal", mean = 0.1, sd = 0 }'),
        "parties.A.reservation",
    ),
    (
        "uncertain uniform reversed",
        _sub(UNC, '"parties.A.reservation" = { dist = "uniform", lo = 0.3, hi = 0 }'),
        "parties.A.reservation",
    ),
    (
        "uncertain discount beyond 1",
        _sub(UNC, '"parties.A.discount" = { dist = "uniform", lo = 0.5, hi = 1.5 }'),
        "parties.A.discount",
    ),
    (
        "uncertain option label",
        BASE + '"parties.B.values.g.values.nothing" = { dist = "uniform", lo = 0, hi = 1 }\n',
        "nothing",
    ),
    (
        "status quo unknown option",
        BASE.replace("[uncertainty]", '[status_quo]\nx = 0\ng = "nothing"\n\n[uncertainty]'),
        "nothing",
    ),
    (
        "status quo unknown issue",
        BASE.replace("[uncertainty]", "[status_quo]\ny = 0\n\n[uncertainty]"),
        "y",
    ),
    (
        "status quo out of range",
        BASE.replace("[uncertainty]", '[status_quo]\nx = 5\ng = "none"\n\n[uncertainty]'),
        "x",
    ),
    (
        "decision unknown rule",
        BASE.replace("[uncertainty]", '[decision]\nrule = "consensus"\n\n[uncertainty]'),
        "rule",
    ),
    (
        "decision quota above one",
        BASE.replace(
            "[uncertainty]", '[decision]\nrule = "qualified_majority"\nquota = 1.5\n\n[uncertainty]'
        ),
        "quota",
    ),
    (
        "decision unknown voter",
        BASE.replace(
            "[uncertainty]", '[decision]\nrule = "majority"\nvoters = ["C"]\n\n[uncertainty]'
        ),
        "C",
    ),
    ("lever unknown target", BASE + LEVER.replace('target = "A"', 'target = "C"'), "C"),
    ("lever unknown kind", BASE + LEVER.replace('kind = "threat"', 'kind = "bribe"'), "kind"),
    (
        "lever credibility above one",
        BASE + LEVER.replace("credibility = 0.5", "credibility = 2"),
        "credibility",
    ),
    ("lever amount nan", BASE + LEVER.replace("amount = 0.2", "amount = nan"), "amount"),
    ("lever duplicate name", BASE + LEVER + LEVER, "aid_cut"),
    (
        "lever unknown key",
        BASE + LEVER.replace("cost = 0.05", "costs = 0.05"),
        "did you mean 'cost'",
    ),
    ("deeply nested", "a = " + "[" * 5000 + "]" * 5000 + "\n", "model"),
    ("binary junk", "\x00\x01\x02[model]", "model"),
]

EXTRA_FILES = [
    ("not utf-8", b"\xff\xfe[model]\nname = 'x'\n", "not UTF-8"),
    ("huge file", b"# " + b"x" * (9 * 2**20) + b"\n", "at most 8,388,608 bytes"),
]


def _one_line_error(capsys, argv, fragment):
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 2, (argv, code, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("bargain: error: "), err
    assert "Traceback" not in err
    assert fragment.lower() in err.lower(), (fragment, err)


@pytest.mark.parametrize("name, text, fragment", MODELS, ids=[m[0] for m in MODELS])
def test_malformed_model_file(tmp_path, capsys, name, text, fragment):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    _one_line_error(capsys, ["solve", str(path)], fragment)
    with pytest.raises(bg.ModelError, match=r"bad\.toml"):
        bg.load_model(path)


@pytest.mark.parametrize("name, data, fragment", EXTRA_FILES, ids=[m[0] for m in EXTRA_FILES])
def test_unreadable_model_file(tmp_path, capsys, name, data, fragment):
    path = tmp_path / "bad.toml"
    path.write_bytes(data)
    _one_line_error(capsys, ["solve", str(path)], fragment)


# -- the command line ------------------------------------------------------------------

CLI = [
    ("unknown model", ["solve", "no_such_model"], "no bundled model"),
    ("missing file", ["solve", "missing/file.toml"], "cannot read"),
    ("sweep n zero", ["sweep", "-n", "0"], "`n`"),
    ("sweep negative seed", ["sweep", "-n", "10", "--seed", "-1"], "`seed`"),
    ("sweep chunk zero", ["sweep", "-n", "10", "--chunk-size", "0"], "`chunk_size`"),
    ("sweep bad out", ["sweep", "-n", "10", "--out", "x.txt"], "`out`"),
    ("sweep resume without out", ["sweep", "-n", "10", "--resume"], "--out"),
    ("zopa plot jpg", ["zopa", "--plot", "x.jpg"], "x.jpg"),
    ("ripeness plot jpg", ["ripeness", "--plot", "x.jpg"], "x.jpg"),
    ("ripeness negative n", ["ripeness", "-n", "-3"], "`n`"),
    ("ripeness of a model without paths", ["ripeness", "syria_geneva_2012_17"], "reservation_path"),
    (
        "report without plot support model",
        ["report", "no_such_model", "--out", "x"],
        "no bundled model",
    ),
    ("bench missing dir", ["bench", "no/such/dir"], "no/such/dir"),
]


@pytest.mark.parametrize("name, argv, fragment", CLI, ids=[c[0] for c in CLI])
def test_command_line_errors(tmp_path, capsys, monkeypatch, name, argv, fragment):
    monkeypatch.chdir(tmp_path)
    _one_line_error(capsys, argv, fragment)


# -- API calls -------------------------------------------------------------------------

PIE = bg.Negotiation(
    bg.Agenda(bg.ContinuousIssue("x")),
    [
        bg.Party("A", bg.AdditiveUtility({"x": bg.Linear()})),
        bg.Party("B", bg.AdditiveUtility({"x": bg.Linear(-1.0, 1.0)})),
    ],
)
S2 = [[0.0, 1.0], [1.0, 0.0], [0.5, 0.5]]
CERTAIN = loads_model(BASE.split("[uncertainty]")[0])

API = [
    ("nash no d", lambda: bg.nash(S2), "`d`"),
    ("nash d shape", lambda: bg.nash(S2, [0, 0, 0]), "`d`"),
    ("nash d nan", lambda: bg.nash(S2, [np.nan, 0]), "`d`"),
    ("nash S string", lambda: bg.nash("points", [0, 0]), "`S`"),
    ("nash S 1-d", lambda: bg.nash([1.0, 2.0], [0, 0]), "`S`"),
    ("nash S one party", lambda: bg.nash([[1.0], [2.0]], [0]), "`S`"),
    ("nash S empty", lambda: bg.nash(np.zeros((0, 2)), [0, 0]), "`S`"),
    ("nash S inf", lambda: bg.nash([[np.inf, 0], [0, 1]], [0, 0]), "`S`"),
    ("nash S complex", lambda: bg.nash([[1j, 0], [0, 1]], [0, 0]), "real"),
    ("nash S ragged", lambda: bg.nash([[1, 0], [0]], [0, 0]), "`S`"),
    ("nash weights negative", lambda: bg.nash(S2, [0, 0], [-1, 1]), "weights"),
    ("nash weights shape", lambda: bg.nash(S2, [0, 0], [1, 1, 1]), "weights"),
    ("nash weights zero", lambda: bg.nash(S2, [0, 0], [0, 0]), "weights"),
    ("nash batch mismatch", lambda: bg.nash(np.zeros((3, 4, 2)), np.zeros((2, 2))), "broadcast"),
    ("ks bad convention", lambda: bg.kalai_smorodinsky(S2, [0, 0], convention="x"), "`convention`"),
    (
        "ks negmas hull",
        lambda: bg.kalai_smorodinsky(S2, [0, 0], hull=True, convention="negmas"),
        "finite",
    ),
    ("egalitarian weights zero", lambda: bg.egalitarian(S2, [0, 0], [0, 1]), "weights"),
    ("utilitarian weights nan", lambda: bg.utilitarian(S2, [0, 0], [np.nan, 1]), "weights"),
    ("rubinstein delta above one", lambda: bg.rubinstein([1.2, 0.9]), "`delta`"),
    ("rubinstein delta negative", lambda: bg.rubinstein([-0.1, 0.9]), "`delta`"),
    ("rubinstein delta shape", lambda: bg.rubinstein([0.9]), "`delta`"),
    ("rubinstein both one", lambda: bg.rubinstein([1.0, 1.0]), "discount"),
    ("rubinstein delta complex", lambda: bg.rubinstein([0.9j, 0.9]), "real"),
    ("rubinstein horizon zero", lambda: bg.rubinstein([0.9, 0.9], horizon=0), "`horizon`"),
    ("rubinstein horizon float", lambda: bg.rubinstein([0.9, 0.9], horizon=2.5), "`horizon`"),
    ("rubinstein first", lambda: bg.rubinstein([0.9, 0.9], first=2), "`first`"),
    ("rubinstein breakdown one", lambda: bg.rubinstein([0.9, 0.9], breakdown=1.0), "breakdown"),
    ("rubinstein costs negative", lambda: bg.rubinstein_costs([-1, 0.1]), "costs"),
    ("zopa samples zero", lambda: bg.zopa(PIE, samples=0), "samples"),
    ("zopa S string", lambda: bg.zopa("S", [0, 0]), "`S`"),
    ("fearon p above one", lambda: bg.fearon_range(1.5, 0.1, 0.1), "`p`"),
    ("fearon cost negative", lambda: bg.fearon_range(0.5, -0.1, 0.1), "cost"),
    ("price zopa nan", lambda: bg.price_zopa(np.nan, 1.0), "seller"),
    ("agenda not issues", lambda: bg.Agenda("x"), "issue"),
    ("agenda duplicate", lambda: bg.Agenda(bg.ContinuousIssue("x"), bg.ContinuousIssue("x")), "x"),
    ("continuous lo above hi", lambda: bg.ContinuousIssue("x", 1.0, 0.0), "lo"),
    ("discrete one option", lambda: bg.DiscreteIssue("g", ["a"]), "options"),
    ("discrete duplicate options", lambda: bg.DiscreteIssue("g", ["a", "a"]), "a"),
    ("issue name empty", lambda: bg.ContinuousIssue(""), "name"),
    ("constraint empty", lambda: bg.LinearConstraint({}, ub=1), "coefficients"),
    ("constraint no bounds", lambda: bg.LinearConstraint({"x": 1}), "lb <= ub"),
    ("party no name", lambda: bg.Party("", bg.AdditiveUtility({"x": bg.Linear()})), "name"),
    ("party utility wrong", lambda: bg.Party("A", "linear"), "utility"),
    (
        "party discount",
        lambda: bg.Party("A", bg.AdditiveUtility({"x": bg.Linear()}), discount=2),
        "discount",
    ),
    (
        "negotiation one party",
        lambda: bg.Negotiation(bg.Agenda(bg.ContinuousIssue("x")), [PIE.parties[0]]),
        "two parties",
    ),
    (
        "negotiation duplicate names",
        lambda: bg.Negotiation(PIE.agenda, [PIE.parties[0]] * 2),
        "distinct",
    ),
    (
        "negotiation unknown issue",
        lambda: bg.Negotiation(bg.Agenda(bg.ContinuousIssue("y")), PIE.parties),
        "x",
    ),
    ("negotiation plain function", lambda: bg.AdditiveUtility({"x": lambda v: v}), "Custom"),
    ("power exponent zero", lambda: bg.Power(0), "exponent"),
    ("table nan", lambda: bg.Table([0, np.nan]), "values"),
    ("utilities unknown issue", lambda: PIE.utilities({"y": 0.5}), "y"),
    ("utilities out of range", lambda: PIE.utilities({"x": 1.5}), "x"),
    ("utilities coded shape", lambda: PIE.utilities(np.zeros((3, 2))), "outcome"),
    ("solve unknown concept", lambda: PIE.solve("raiffa"), "concept"),
    ("solve bad method", lambda: PIE.solve("nash", method="fast"), "method"),
    ("solve hull in issue space", lambda: PIE.solve("nash", hull=True), "hull"),
    ("pareto frontier continuous", lambda: PIE.pareto_frontier(), "discrete"),
    ("frontier fixed on continuous", lambda: PIE.frontier(fixed={"x": 0.5}), "fixed"),
    ("sweep no uncertainty", lambda: bg.sweep(CERTAIN, 10), "uncertainty"),
    ("sweep timeout zero", lambda: bg.sweep("ukraine_russia", 10, timeout=0), "`timeout`"),
    ("sweep scheduler type", lambda: bg.sweep("ukraine_russia", 10, scheduler=3.5), "`scheduler`"),
    ("sensitivity no uncertainty", lambda: bg.sensitivity(CERTAIN), "uncertain"),
    ("load model not a path", lambda: bg.load_model(3), "path"),
    ("single text not a negotiation", lambda: bg.single_text(3), "Negotiation"),
    ("single text bad start", lambda: bg.single_text(PIE, "nobody"), "start"),
    ("single text threshold negative", lambda: bg.single_text(PIE, "A", threshold=-1), "threshold"),
    ("single text clauses zero", lambda: bg.single_text(PIE, "A", clauses=0), "clauses"),
    ("shuttle bad order", lambda: bg.shuttle(PIE, "A", order=["Z"]), "order"),
    (
        "spatial bad loss",
        lambda: bg.spatial_nash([[0, 100]], [[1, 1]], [1, 1], [50], loss="cubic"),
        "loss",
    ),
    ("weighted median negative weight", lambda: bg.weighted_median([[0, 1]], [[-1, 1]]), "weight"),
    ("genius missing file", lambda: bg.read_genius("no/such/d.xml", ["a.xml", "b.xml"]), "no/such"),
    ("genius one profile", lambda: bg.read_genius("d.xml", ["a.xml"]), "two profile"),
]


@pytest.mark.parametrize("name, call, fragment", API, ids=[a[0] for a in API])
def test_api_errors_name_the_argument(name, call, fragment):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning escapes instead of a clear error
        with pytest.raises((ValueError, TypeError, OSError)) as info:
            call()
    msg = str(info.value)
    assert fragment.lower() in msg.lower(), (fragment, msg)
    assert "numpy" not in msg.lower()


# -- degenerate but valid: finite answers, no warnings ---------------------------------

EDGE = [
    ("one point", lambda: bg.nash([[0.5, 0.5]], [0, 0]).utilities),
    ("d on the frontier", lambda: bg.nash(S2, [0.5, 0.5]).utilities),
    ("d above everything", lambda: bg.nash(S2, [2, 2]).utilities),
    ("identical points", lambda: bg.kalai_smorodinsky([[0.3, 0.3]] * 4, [0, 0]).utilities),
    ("ks zero span", lambda: bg.kalai_smorodinsky([[0.3, 0.0], [0.3, 1.0]], [0, 0]).utilities),
    ("egalitarian hull", lambda: bg.egalitarian(S2, [0, 0], hull=True).utilities),
    ("rubinstein delta zero", lambda: bg.rubinstein([0.0, 0.0]).utilities),
    ("rubinstein one horizon", lambda: bg.rubinstein([0.9, 0.9], horizon=1).utilities),
    ("rubinstein huge horizon", lambda: bg.rubinstein([0.99, 0.98], horizon=10**12).utilities),
    ("zopa empty", lambda: np.asarray(bg.zopa(S2, [0.9, 0.9]).slack)),
    ("pie nash", lambda: bg.nash(PIE).utilities),
    ("pie ks", lambda: bg.kalai_smorodinsky(PIE).utilities),
    ("pie single text", lambda: bg.single_text(PIE, "A").utilities),
    ("pie shuttle", lambda: bg.shuttle(PIE, {"x": 0.5}).utilities),
    ("negmas ks empty", lambda: bg.kalai_smorodinsky(S2, [2, 2], convention="negmas").utilities),
]


@pytest.mark.parametrize("name, call", EDGE, ids=[e[0] for e in EDGE])
def test_degenerate_inputs_give_finite_answers(name, call):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = np.asarray(call(), dtype=float)
    assert np.all(np.isfinite(out)), out


def test_the_suite_is_large_enough():
    total = len(MODELS) + len(EXTRA_FILES) + len(CLI) + len(API) + len(EDGE)
    assert total >= 150, total
    assert len({m[0] for m in MODELS}) == len(MODELS)
    assert len({a[0] for a in API}) == len(API)
    assert not math.isnan(total)
