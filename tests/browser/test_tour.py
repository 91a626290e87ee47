"""The tour, as a person sees it: JupyterLab in Chromium, Run All, everything renders."""
from __future__ import annotations

from .conftest import screenshot
from .lab import error_outputs, open_notebook, run_all_cells, wait_for_kernel_idle


def test_tour_runs_in_a_real_jupyterlab(page, jupyterlab):
    open_notebook(page, jupyterlab, "00_tour.ipynb")
    run_all_cells(page)
    wait_for_kernel_idle(page)
    screenshot(page, "tour")
    text = page.text_content(".jp-NotebookPanel .jp-Notebook")  # also the cells scrolled out of view
    assert "down restores the schema exactly" in text
    assert "all passed" in text
    assert not [e for e in error_outputs(page) if "Traceback" in e or "Error" in e]
    assert page.query_selector_all(".jp-RenderedHTMLCommon table")  # DataFrames render as tables
    assert page.query_selector(".jp-RenderedSVG")  # the ER diagram
    assert "LEAK" in text and "The plan has" in text  # the RLS probe and %%explain
