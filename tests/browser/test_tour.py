"""The tour, as a person sees it: JupyterLab in Chromium, Run All, everything renders, and each
widget answers a click (the explorer redraws, the plan panel explains, the drafting panel
previews, dry-runs and probes). The notebook runs once for all the tests of this module."""
from __future__ import annotations

import pytest

from .conftest import screenshot
from .lab import error_outputs, run_notebook

LONG = 120_000


@pytest.fixture(scope="module")
def tour(browser, jupyterlab):
    """A page with the tour opened and all its cells run."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    run_notebook(page, jupyterlab, "00_tour.ipynb")
    yield page
    context.close()


def widget(page, title: str):
    """The widget box whose title line reads ``title``."""
    box = page.locator(".widget-vbox", has_text=title).first
    box.scroll_into_view_if_needed()
    return box


def test_tour_runs_and_renders(tour):
    open_tab = tour.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current")
    if open_tab.count():
        open_tab.first.click()  # fold the file browser away: more room for the notebook
    tour.locator(".jp-MarkdownCell", has_text="Problems you can already see").first.scroll_into_view_if_needed()
    screenshot(tour, "tour")
    text = tour.text_content(".jp-NotebookPanel .jp-Notebook")  # also the cells scrolled out of view
    assert "down restores the schema exactly" in text
    assert "all passed" in text
    assert not [e for e in error_outputs(tour) if "Traceback" in e or "Error" in e]
    assert tour.query_selector_all(".jp-RenderedHTMLCommon table")  # DataFrames render as tables
    assert output_of(tour, "workbench.erd(").locator("svg").first.is_visible()  # the ER diagram, inline
    assert "LEAK" in text and "The plan has" in text  # the RLS probe and %%explain
    for title in ("ER diagram explorer", "Plan panel", "Drafting panel"):
        assert widget(tour, title).is_visible(), title


def output_of(page, code: str):
    """The output area of the first code cell whose source contains ``code``."""
    cell = page.locator(".jp-CodeCell", has=page.locator(".jp-InputArea", has_text=code)).first
    return cell.locator(".jp-OutputArea")


def svg_titles(box) -> list[str]:
    return box.locator("svg title").all_text_contents()


def test_explorer_redraws_for_another_table(tour):
    explorer = widget(tour, "ER diagram explorer")
    assert "nursery.order_items" in svg_titles(explorer)
    assert "nursery.customers" not in svg_titles(explorer)
    explorer.locator(".widget-dropdown", has_text="table").locator("select").select_option("nursery.customers")
    explorer.locator("svg title", has_text="nursery.customers").first.wait_for(state="attached", timeout=LONG)
    assert explorer.locator(".widget-output", has_text="table(s)").count() == 1
    screenshot(explorer, "explorer")


def test_plan_panel_explains_on_click(tour):
    panel = widget(tour, "Plan panel")
    assert panel.locator(".widget-output", has_text="The plan has").count() == 0
    panel.locator(".widget-button", has_text="Explain").click()
    panel.locator(".widget-output", has_text="The plan has").first.wait_for(timeout=LONG)
    assert panel.locator(".widget-output", has_text="estimated (not run)").count() == 1
    panel.locator("table").first.wait_for(timeout=LONG)  # the node table, displayed after the words
    screenshot(panel, "plan_panel")


def test_drafting_panel_previews_dry_runs_and_probes(tour):
    panel = widget(tour, "Drafting panel")
    panel.locator(".widget-button", has_text="Preview").click()
    panel.locator(".widget-output", has_text="CREATE POLICY").first.wait_for(timeout=LONG)
    panel.locator(".widget-button", has_text="Dry run").click()
    panel.locator(".widget-output", has_text="dry run done: nothing was kept").wait_for(timeout=LONG)
    panel.locator(".widget-button", has_text="RLS matrix").click()
    panel.locator(".widget-output", has_text="RLS matrix done").wait_for(timeout=LONG)
    assert panel.locator(".widget-output", has_text="problem:").count() == 0
    panel.locator(".lm-TabBar-tab", has_text="dry run").click()
    screenshot(panel, "drafting_panel")
