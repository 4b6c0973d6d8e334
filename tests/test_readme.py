"""The README's Python examples run as written."""

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def test_readme_has_examples():
    assert len(BLOCKS) >= 3


@pytest.mark.slow
def test_readme_examples_run():
    namespace: dict = {}
    for block in BLOCKS:  # later blocks may use names defined by earlier ones
        exec(compile(block, str(README), "exec"), namespace)
    res = namespace["res"]
    assert res.agreement


def test_readme_case_count_is_current():
    import bargain as bg

    text = README.read_text(encoding="utf-8")
    m = re.search(r"(\d+) cases in all", text)
    assert m, "the README states how many bundled cases there are"
    assert int(m.group(1)) == len(bg.load_cases(bg.bundled_cases()))
