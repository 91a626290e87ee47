"""Widget interactions in a real JupyterLab: the page updates as a person sees it."""
from __future__ import annotations

from .conftest import screenshot
from .lab import open_notebook, run_all_cells, wait_for_kernel_idle

LONG = 120_000


def _run(page, jupyterlab, notebook: str) -> None:
    open_notebook(page, jupyterlab, notebook)
    run_all_cells(page)
    wait_for_kernel_idle(page, timeout_ms=300_000)


def test_drafting_panel_previews_and_dry_runs(page, jupyterlab):
    _run(page, jupyterlab, "04_draft_migration_and_rls.ipynb")
    panel = page.locator(".widget-vbox", has=page.locator(".widget-button", has_text="Dry run")).last
    panel.locator(".widget-button", has_text="Preview").click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('.widget-output')].some(o => o.textContent.includes('CREATE POLICY'))",
        timeout=LONG)
    panel.locator(".widget-button", has_text="Dry run").click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('.widget-output')].some(o => o.textContent.includes('rolled back'))",
        timeout=LONG)
    screenshot(page, "drafting_panel")
