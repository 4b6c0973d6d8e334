"""`bargain report` writes Markdown with the plots and the leverage table."""

from bargain.cli import main


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
    assert (tmp_path / "camp_david_1978_zopa.png").stat().st_size > 1000
    assert (tmp_path / "camp_david_1978_frontier.png").stat().st_size > 1000
    assert "![ZOPA](camp_david_1978_zopa.png)" in md
