"""Every benchmark case file passes; the case-file loader rejects malformed files."""

import pytest

import bargain as bg
from bargain.cases._runner import format_table, run_case

CASES_DIR = bg.bundled_cases()
CASES = bg.load_cases(CASES_DIR)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(case):
    outcome = run_case(case)
    assert outcome.passed, f"{case.id} ({case.path}): {outcome.message}"


def test_cases_have_sources_and_derivations():
    for case in CASES:
        assert len(case.source) > 10, case.id
        assert len(case.derivation.split()) >= 15, case.id


def test_format_table_counts():
    outcomes = [run_case(c) for c in CASES[:3]]
    table = format_table(outcomes)
    assert table.splitlines()[-1] == "3 passed, 0 failed"


BAD = {
    "unknown key": (
        '[[case]]\nid="a"\nconcept="nash"\nsource="s"\nderivation="d"\n'
        "problme={}\nproblem={d=[0,0],points=[[1,1]]}\nexpected={agreement=true}\n",
        "did you mean 'problem'",
    ),
    "unknown concept": (
        '[[case]]\nid="a"\nconcept="nsh"\nsource="s"\nderivation="d"\n'
        "problem={d=[0,0],points=[[1,1]]}\nexpected={agreement=true}\n",
        "did you mean 'nash'",
    ),
    "missing key": (
        '[[case]]\nid="a"\nconcept="nash"\nsource="s"\n'
        "problem={d=[0,0],points=[[1,1]]}\nexpected={agreement=true}\n",
        "missing required key 'derivation'",
    ),
    "bad toml": ("[[case]\n", "not valid TOML"),
    "negative rtol": (
        '[[case]]\nid="a"\nconcept="nash"\nsource="s"\nderivation="d"\nrtol=-1\n'
        "problem={d=[0,0],points=[[1,1]]}\nexpected={agreement=true}\n",
        "rtol: expected a finite number >= 0",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_case_files_name_the_key(tmp_path, name):
    text, fragment = BAD[name]
    f = tmp_path / "bad.toml"
    f.write_text(text)
    with pytest.raises(bg.CaseError, match=r"bad\.toml") as info:
        bg.load_cases(f)
    assert fragment in str(info.value)


def test_duplicate_ids_rejected(tmp_path):
    case = (
        '[[case]]\nid="a"\nconcept="nash"\nsource="s"\nderivation="d"\n'
        "problem={d=[0,0],points=[[1,1]]}\nexpected={agreement=true}\n"
    )
    (tmp_path / "one.toml").write_text(case)
    (tmp_path / "two.toml").write_text(case)
    with pytest.raises(bg.CaseError, match="duplicate id"):
        bg.load_cases(tmp_path)


def test_failing_case_is_reported(tmp_path):
    f = tmp_path / "wrong.toml"
    f.write_text(
        '[[case]]\nid="wrong"\nconcept="nash"\nsource="s"\nderivation="d"\n'
        "problem={d=[0,0],points=[[1,1],[2,0.1]]}\nexpected={utilities=[2,0.1]}\n"
    )
    (outcome,) = bg.run_cases(f)
    assert not outcome.passed
    assert "utilities" in outcome.message


@pytest.mark.slow
def test_cli_bench_exit_codes(tmp_path, capsys):
    from bargain.cli import main

    assert main(["bench", str(CASES_DIR)]) == 0
    out = capsys.readouterr().out
    assert f"{len(CASES)} passed, 0 failed" in out
    assert main(["bench", str(tmp_path / "nowhere")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("bargain: error:") and "nowhere" in err
