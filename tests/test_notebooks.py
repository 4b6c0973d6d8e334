"""Every notebook in notebooks/ executes without error (stored without outputs)."""

import shutil
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert NOTEBOOKS


def test_notebooks_leave_the_backend_to_the_environment():
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert "matplotlib.use(" not in cell.source, path.name
                assert "%matplotlib" not in cell.source, path.name


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_executes(path, tmp_path, monkeypatch):
    nb = nbformat.read(path, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), (
        f"{path.name} is stored with outputs; clear them"
    )
    work = tmp_path / path.stem
    work.mkdir()
    shutil.copy(path, work)
    # the kernel draws inline, as in Jupyter: the backend comes from the environment
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    client = nbclient.NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(work)}}
    )
    client.execute()
    assert list(work.glob("*.png")), f"{path.name} wrote no figures"
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    inline = [o for o in outputs if o.get("output_type") == "display_data"]
    assert any("image/png" in o.get("data", {}) for o in inline), f"{path.name}: no inline figure"
    stderr = [o.get("text", "") for o in outputs if o.get("name") == "stderr"]
    assert not any(t.strip() for t in stderr), f"{path.name} wrote to stderr: {stderr}"
