"""The deeper notebooks run in a real JupyterLab too, from a copy of notebooks/ elsewhere on
disk, as a user who downloaded them would: no error output, and their diagrams render.

(``05_review_and_export.ipynb`` is left to nbval: it exports revisions into the migrations
folder the tour's verification lists, and a second export from here would change that list.)"""
from __future__ import annotations

import pytest

from .conftest import screenshot
from .lab import error_outputs, run_notebook


@pytest.mark.parametrize("notebook", ["01_explore_schema", "02_plans_and_indexes", "03_review_schema"])
def test_notebook_runs_in_a_real_jupyterlab(page, jupyterlab, notebook):
    run_notebook(page, jupyterlab, f"{notebook}.ipynb")
    screenshot(page, notebook)
    assert not [e[:500] for e in error_outputs(page) if "Traceback" in e or "Error" in e]
    assert not page.query_selector_all(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error']")
    assert page.query_selector_all(".jp-RenderedHTMLCommon table, .jp-RenderedSVG")
