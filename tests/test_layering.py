"""The package's imports run one way: down the layers of docs/architecture.md, without cycles."""

from pathlib import Path

import pytest
from layering import check, imports

import bargain

PACKAGE = Path(bargain.__file__).resolve().parent

# bottom first; each layer may import only itself and the layers before it
LAYERS = [
    "_core",
    "utility",
    "issues",
    "solutions",
    "conflict",
    "zopa",
    "mediation",
    "io",
    "analysis",
    "cases",
    "plot",
    "report",
    "cli",
]


def test_the_package_is_layered():
    problems = check(PACKAGE, LAYERS)
    assert not problems, "\n".join(problems)


def test_every_layer_is_documented():
    text = (PACKAGE.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    for layer in LAYERS:
        assert f"`{layer}/`" in text or f"`{layer}.py`" in text, layer


def _package(root: Path, files: dict) -> Path:
    """A synthetic package ``pkg`` under ``root`` from {relative path: source}."""
    pkg = root / "pkg"
    for rel, src in files.items():
        f = pkg / rel
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(src)
    for d in [pkg, *(p for p in pkg.rglob("*") if p.is_dir())]:
        (d / "__init__.py").touch()
    return pkg


CLEAN = {
    "low/_a.py": "import numpy\n",
    "low/_b.py": "from ._a import x\n",
    "high/_c.py": "from ..low._b import y\nfrom ..low import _a\n",
    "top.py": "def f():\n    from .high._c import z\n",
}


def test_a_clean_synthetic_package_passes(tmp_path):
    assert check(_package(tmp_path, CLEAN), ["low", "high", "top"]) == []


def test_an_upward_import_fails_naming_the_line(tmp_path):
    files = dict(CLEAN)
    files["low/_b.py"] = "from ._a import x\n\n\ndef g():\n    from ..high._c import z\n"
    problems = check(_package(tmp_path, files), ["low", "high", "top"])
    assert len(problems) >= 1
    assert "pkg/low/_b.py:5: upward import: pkg.low._b (layer 'low') imports pkg.high._c" in (
        problems[0].replace("\\", "/")
    )


def test_a_reintroduced_cycle_fails(tmp_path):
    files = dict(CLEAN)
    files["low/_a.py"] = "import numpy\n\n\ndef h():\n    from . import _b\n"
    problems = check(_package(tmp_path, files), ["low", "high", "top"])
    cycles = [p for p in problems if p.startswith("import cycle")]
    assert len(cycles) == 1
    assert "pkg.low._a -> pkg.low._b -> pkg.low._a" in cycles[0]


def test_importing_the_top_package_from_inside_is_upward(tmp_path):
    files = dict(CLEAN)
    files["high/_c.py"] = "import pkg\n"
    problems = check(_package(tmp_path, files), ["low", "high", "top"])
    assert any("imports pkg (layer 'top')" in p for p in problems)


def test_a_layer_missing_from_the_order_fails(tmp_path):
    problems = check(_package(tmp_path, CLEAN), ["low", "top"])
    assert any("layer 'high' is not in the layer order" in p for p in problems)


@pytest.mark.parametrize(
    "src, target",
    [
        ("from .. import low\n", "pkg.low"),
        ("from ..low import _a, _b\n", "pkg.low._b"),
        ("import pkg.low._a as a\n", "pkg.low._a"),
    ],
)
def test_import_forms_are_resolved(tmp_path, src, target):
    files = dict(CLEAN)
    files["high/_c.py"] = src
    _, edges = imports(_package(tmp_path, files))
    assert target in {e.target for e in edges if e.source == "pkg.high._c"}
