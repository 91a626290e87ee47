"""Widget interactions in a real JupyterLab: each click changes what a person sees, and the test
looks at the page before and after every click (notebook 04's drafting panel).

After Run All the panel already holds the notebook's own results (its last cell presses Preview,
Dry run and RLS matrix headless, for the ``org_member`` template), so the test first asks for
another Draft (the ``org_admin`` template): everything it then finds on the page came from its
own clicks.
"""
from __future__ import annotations

from playwright.sync_api import expect

from .conftest import screenshot
from .lab import run_notebook

LONG = 120_000
TABS = ("SQL", "safety", "dry run", "impact", "RLS matrix")  # the panel's result tabs, in order
ADMIN_POLICY = "price_lists_insert_admin"  # only the org_admin Draft has it


def drafting_panel(page):
    """The drafting panel's box (the widget whose title line reads "Drafting panel")."""
    box = page.locator(".widget-vbox", has_text="Drafting panel").first
    box.scroll_into_view_if_needed()
    return box


def shown_tab(panel):
    """The title of the result tab in front."""
    return panel.locator(".widget-tab .lm-TabBar-tab.lm-mod-current")


def tab_output(panel, title: str):
    """The output area of the result tab ``title`` (shown or not)."""
    return panel.locator(".widget-tab-contents > .widget-output").nth(TABS.index(title))


def status(panel):
    """The panel's status line."""
    return panel.locator(":scope > .widget-output")


def click(panel, label: str) -> None:
    panel.locator(".widget-button", has_text=label).click()


def test_drafting_panel_answers_each_click(page, jupyterlab):
    run_notebook(page, jupyterlab, "04_draft_migration_and_rls.ipynb")
    panel = drafting_panel(page)
    expect(shown_tab(panel)).to_have_text("RLS matrix")  # the notebook's headless RLS matrix
    panel.locator(".widget-dropdown", has_text="template").locator("select").select_option("org_admin")

    expect(tab_output(panel, "SQL")).not_to_contain_text(ADMIN_POLICY)
    click(panel, "Preview")
    expect(tab_output(panel, "SQL")).to_contain_text(ADMIN_POLICY, timeout=LONG)
    expect(shown_tab(panel)).to_have_text("SQL")
    expect(status(panel)).to_contain_text("drafted: Row Level Security on nursery.price_lists (org admin)")
    expect(tab_output(panel, "dry run")).to_have_text("")  # the old Draft's results are gone
    expect(tab_output(panel, "impact")).to_have_text("")
    expect(tab_output(panel, "RLS matrix")).to_have_text("")

    click(panel, "Dry run")
    expect(status(panel)).to_contain_text("dry run done: nothing was kept", timeout=LONG)
    expect(shown_tab(panel)).to_have_text("dry run")
    expect(tab_output(panel, "dry run")).to_contain_text("down restores the schema exactly")
    expect(tab_output(panel, "dry run")).to_be_visible()

    click(panel, "Impact")
    expect(status(panel)).to_contain_text("impact traced: nothing was kept", timeout=LONG)
    expect(shown_tab(panel)).to_have_text("impact")
    expect(tab_output(panel, "impact")).to_contain_text("lock trace on nursery")
    expect(tab_output(panel, "impact")).to_contain_text("ACCESS EXCLUSIVE")
    expect(tab_output(panel, "impact")).to_be_visible()

    click(panel, "RLS matrix")
    expect(status(panel)).to_contain_text("RLS matrix done: nothing was kept", timeout=LONG)
    expect(shown_tab(panel)).to_have_text("RLS matrix")
    expect(tab_output(panel, "RLS matrix")).to_contain_text("nursery.price_lists")
    expect(tab_output(panel, "RLS matrix")).to_be_visible()
    expect(tab_output(panel, "dry run")).to_be_hidden()

    expect(status(panel)).not_to_contain_text("approved by")
    panel.locator(".widget-text", has_text="reviewer").locator("input").fill("alice")
    click(panel, "Approve")
    expect(status(panel)).to_have_text(
        "approved by alice: Row Level Security on nursery.price_lists (org admin)", timeout=LONG)
    assert not panel.locator(".widget-output", has_text="problem:").count()
    screenshot(panel, "drafting_panel_approved")
