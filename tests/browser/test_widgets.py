"""Widget interactions in a real JupyterLab: the page updates as a person sees it."""
from __future__ import annotations

from .conftest import screenshot
from .lab import run_notebook

LONG = 120_000


def test_drafting_panel_previews_and_dry_runs(page, jupyterlab):
    run_notebook(page, jupyterlab, "04_draft_migration_and_rls.ipynb")
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
