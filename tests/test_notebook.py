"""notebooks/explore.ipynb runs from top to bottom on a freshly built store and draws its figures."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from kg.config import Settings

NOTEBOOK = Path(__file__).parents[1] / "notebooks" / "explore.ipynb"


@pytest.fixture(scope="module")
def executed(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> nbformat.NotebookNode:
    with pytest.MonkeyPatch.context() as patch:  # the kernel inherits this environment
        patch.setenv("KG_STORE", str(settings.store))
        patch.delenv("KG_ENDPOINT", raising=False)
        patch.delenv("MPLBACKEND", raising=False)  # the kernel's inline backend gives image/png
        notebook = nbformat.read(NOTEBOOK, as_version=4)
        workdir = tmp_path_factory.mktemp("notebook")  # no .env of the repository is read
        NotebookClient(notebook, timeout=300, kernel_name="python3",
                       resources={"metadata": {"path": str(workdir)}}).execute()
    return notebook


def outputs(notebook: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]


def test_notebook_is_committed_without_outputs() -> None:
    raw = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    code = [c for c in raw["cells"] if c["cell_type"] == "code"]
    assert code and all(c["outputs"] == [] and c["execution_count"] is None for c in code)


def test_notebook_runs_without_error(executed: nbformat.NotebookNode) -> None:
    assert not [o for o in outputs(executed) if o.output_type == "error"]
    assert all(c.execution_count for c in executed.cells if c.cell_type == "code")


def test_notebook_draws_its_figures(executed: nbformat.NotebookNode) -> None:
    figures = [o for o in outputs(executed) if "image/png" in o.get("data", {})]
    assert len(figures) == 3  # cases per stage, similar-case communities, the case–feature graph


def test_notebook_has_no_missing_glyph_warning(executed: nbformat.NotebookNode) -> None:
    streams = "".join(o.text for o in outputs(executed) if o.output_type == "stream")
    assert "missing from font" not in streams and "Glyph" not in streams
    assert "Warning" not in streams


def test_notebook_tables_show_both_languages(executed: nbformat.NotebookNode) -> None:
    html = "".join(o.data.get("text/html", "") for o in outputs(executed) if "data" in o)
    assert "Urban data" in html and "도시 데이터" in html  # the fifth stage, in both languages
    assert "Pan-Canadian Artificial Intelligence Strategy" in html and "범캐나다 인공지능 전략" in html
