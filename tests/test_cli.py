"""The `bargain` command: the main job, subcommands, JSON, and one-line errors."""

import json
import subprocess
import sys

import pytest

from bargain.cli import main


def test_no_arguments_prints_the_ukraine_analysis(capsys):
    assert main([]) == 0
    out = capsys.readouterr().out
    assert "Russia–Ukraine" in out
    for word in (
        "Nash",
        "Kalai-Smor.",
        "ZOPA:",
        "territory_returned",
        "security_guarantee",
        "utility of Ukraine",
        "aid_cut",
        "Leverage of United States",
    ):
        assert word in out, word


def test_main_job_runs_as_a_process():
    # its speed is measured in benchmarks/perf/bench_cli.py, not asserted here
    run = subprocess.run(
        [sys.executable, "-m", "bargain.cli"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "Leverage of United States" in run.stdout


def test_solve_json(capsys):
    assert main(["solve", "camp_david_1978", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["model"] == "camp_david_1978"
    assert set(data["solutions"]) == {
        "nash",
        "kalai_smorodinsky",
        "egalitarian",
        "utilitarian",
        "rubinstein",
    }
    assert data["solutions"]["nash"]["outcome"]["recognition"] in (
        "non_belligerency",
        "peace_treaty",
        "full_normalisation",
    )


def test_zopa_with_plot(capsys, tmp_path):
    f = tmp_path / "z.png"
    assert main(["zopa", "dayton_1995", "--plot", str(f)]) == 0
    assert "ZOPA:" in capsys.readouterr().out
    assert f.stat().st_size > 1000


def test_zopa_closed_case(capsys):
    assert main(["zopa", "syria_geneva_2012_17", "--json"]) == 0
    z = json.loads(capsys.readouterr().out)["zopa"]
    assert z["empty"] is True and z["slack"] < 0


def test_models_lists_descriptions(capsys):
    assert main(["models"]) == 0
    out = capsys.readouterr().out
    assert "ukraine_russia" in out and "dayton_1995" in out


def test_leverage(capsys):
    assert main(["leverage", "dayton_1995"]) == 0
    out = capsys.readouterr().out
    assert "nato_air_strikes" in out and "coercive" in out


def test_model_from_a_file(tmp_path, capsys):
    import bargain as bg

    f = bg.save_model(bg.load_model("good_friday_1998"), tmp_path / "gfa.toml")
    assert main(["solve", str(f)]) == 0
    assert "consent_principle" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["solve", "no_such_model"], "no bundled model 'no_such_model'"),
        (["solve", "ukraine_rusia"], "did you mean 'ukraine_russia'"),
        (["zopa", "dayton_1995", "--plot", "x.txt"], "expected a .png, .svg or .pdf"),
        (["solve", "--bogus"], "unrecognized arguments"),
    ],
)
def test_errors_are_one_line_and_exit_2(argv, fragment, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert fragment in err
    if argv[0] != "solve" or "--bogus" not in argv:
        assert len(err.splitlines()) == 1 and err.startswith("bargain: error:")


def test_bad_model_file_is_one_line(tmp_path, capsys):
    f = tmp_path / "bad.toml"
    f.write_text('[model]\nname = "x"\nissues = 3\n')
    assert main(["solve", str(f)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "bad.toml" in err and "model" in err
    with pytest.raises(ValueError):
        main(["--debug", "solve", str(f)])


def test_a_bug_is_a_traceback_with_a_report_hint_and_exit_3(monkeypatch, capsys):
    import bargain.cli as cli

    def broken(args):
        raise RuntimeError("solver state corrupted")

    monkeypatch.setattr(cli, "_cmd_models", broken)
    assert main(["models"]) == 3
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err and "RuntimeError" in err
    assert "this is a bug in bargain" in err.splitlines()[-1]


def test_a_value_error_from_inside_numpy_is_a_bug(monkeypatch, capsys):
    import numpy as np

    import bargain.cli as cli

    def broken(args):
        np.broadcast_shapes((2,), (3,))  # raises ValueError inside numpy, not in bargain

    monkeypatch.setattr(cli, "_cmd_models", broken)
    assert main(["models"]) == 3
    assert "this is a bug in bargain" in capsys.readouterr().err


def test_a_value_error_raised_by_the_library_is_user_input(monkeypatch, capsys):
    import bargain as bg
    import bargain.cli as cli

    def bad_argument(args):
        bg.nash([[1.0, 1.0]], [0.0, 0.0, 0.0])  # `d` of the wrong shape: the library says so

    monkeypatch.setattr(cli, "_cmd_models", bad_argument)
    assert main(["models"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("bargain: error: `d` must have shape") and err.count("\n") == 1


def test_a_bad_plot_name_fails_before_the_work(capsys):
    assert main(["zopa", "dayton_1995", "--plot", "x.txt"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "expected a .png, .svg or .pdf" in captured.err
