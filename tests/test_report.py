"""`bargain report` writes Markdown with the plots and the leverage table, inside --out."""

import hashlib
import json
import os
import re
from pathlib import Path

import pytest

import bargain
from bargain.cli import main

HOSTILE_NAMES = ["/tmp/pwn", "sub/dir/x", "../escape", "..", "a.b", "x\\y", " x", "-x", ""]


def test_report(tmp_path, capsys):
    assert main(["report", "camp_david_1978", "--out", str(tmp_path)]) == 0
    md = (tmp_path / "camp_david_1978.md").read_text()
    for section in (
        "## Solutions",
        "## Zone of possible agreement",
        "## Leverage",
        "## What happened",
        "## Uncertain parameters",
        "## Sources",
    ):
        assert section in md
    assert (tmp_path / "camp_david_1978_frontier.png").stat().st_size > 1000
    assert "(camp_david_1978_frontier.png)" in md
    # two figures (the option grid and the frontier), each embedded once and different
    images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", md)
    digests = [hashlib.sha256((tmp_path / p).read_bytes()).hexdigest() for p in images]
    assert len(set(images)) == len(images) and len(set(digests)) == len(digests)


def _files(root):
    return {os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs}


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_hostile_model_name_writes_nothing_outside_out(tmp_path, capsys, name):
    bundled = Path(bargain.__file__).parent / "models" / "syria_geneva_2012_17.toml"
    text = bundled.read_text(encoding="utf-8")
    line = 'name = "syria_geneva_2012_17"'
    assert line in text
    model = tmp_path / "model" / "hostile.toml"
    model.parent.mkdir()
    model.write_text(text.replace(line, f"name = {json.dumps(name)}", 1), encoding="utf-8")
    out = tmp_path / "out"
    before = _files(tmp_path)
    assert main(["report", str(model), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "model.name" in err and ("identifier" in err or "non-empty" in err)
    assert _files(tmp_path) == before  # nothing written, not even the output folder
    assert not out.exists()
    assert not Path("/tmp/pwn.md").exists()


def test_report_files_stay_inside_out_even_for_a_programmatic_name(tmp_path):
    from bargain.report._report import _inside

    with pytest.raises(ValueError, match="outside the output folder"):
        _inside(tmp_path, "../x.md")
    with pytest.raises(ValueError, match="outside the output folder"):
        _inside(tmp_path, "/tmp/x.md")
    assert _inside(tmp_path, "ok.md") == tmp_path / "ok.md"
