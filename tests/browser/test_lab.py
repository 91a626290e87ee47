"""The browser tier's own helpers: a notebook counts as run only when this kernel ran it."""
from __future__ import annotations

import pytest

from . import lab


def test_a_notebook_that_never_ran_is_not_taken_for_a_run_one(page, jupyterlab, monkeypatch):
    monkeypatch.setattr(lab, "run_all_cells", lambda page: None)  # the Run All click is lost
    with pytest.raises(Exception, match="Timeout"):
        lab.run_notebook(page, jupyterlab, "01_explore_schema.ipynb", timeout_ms=5_000)
    assert not page.locator(".jp-OutputArea-output").count()  # the stored outputs are gone too
