"""Driving JupyterLab the way a person does: open a notebook, clear its stored outputs, run all
cells, wait. The outputs on the page after :func:`run_notebook` are this run's, never the ones
saved in the file, so a test cannot mistake a stored output for one the kernel just made."""
from __future__ import annotations

import re

RUN_ALL = '.lm-Menu-item[data-command="runmenu:run-all"]'
CLEAR_ALL = '.lm-Menu-item[data-command="editmenu:clear-all"]'


def open_notebook(page, jupyterlab, name: str) -> None:
    base, token = jupyterlab
    page.goto(f"{base}/lab/tree/{name}?reset&token={token}")  # a clean workspace: one notebook
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    choose_kernel_if_asked(page)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']:visible", timeout=60_000)


def run_notebook(page, jupyterlab, name: str, timeout_ms: int = 300_000) -> None:
    """Open ``name`` in a clean workspace, clear its stored outputs, Run All Cells, and wait
    until every cell has run."""
    open_notebook(page, jupyterlab, name)
    clear_all_outputs(page)
    run_all_cells(page)
    wait_for_kernel_idle(page, timeout_ms=timeout_ms)


def choose_kernel_if_asked(page) -> None:
    """Accept the default kernel when JupyterLab asks which one to start."""
    try:
        page.wait_for_selector(".jp-Dialog button.jp-mod-accept", timeout=3_000)
    except Exception:  # no dialog: the kernel starts by itself
        return
    page.click(".jp-Dialog button.jp-mod-accept")


def clear_all_outputs(page) -> None:
    """Edit > Clear Outputs of All Cells, and wait until no cell shows an execution count."""
    open_menu(page, "Edit")
    page.click(CLEAR_ALL)
    page.wait_for_function(NONE_RAN, timeout=10_000)


def open_menu(page, name: str) -> None:
    """Open the menu ``name`` of JupyterLab's menu bar."""
    page.locator(".lm-MenuBar-item", has_text=re.compile(f"^{name}$")).click(timeout=10_000)


def run_all_cells(page) -> None:
    """Run > Run All Cells; clicked again if the kernel was not ready to take it."""
    for _ in range(3):
        open_menu(page, "Run")
        page.click(RUN_ALL)
        try:
            page.wait_for_function(STARTED, timeout=15_000)
            return
        except Exception:  # the click came before the kernel was ready: try again
            page.keyboard.press("Escape")
    raise AssertionError("Run All Cells started no cell")


NONE_RAN = """() => [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')]
    .every(p => !/\\[(\\*|\\d+)\\]/.test(p.textContent))"""
STARTED = """() => [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')]
    .some(p => /\\[(\\*|\\d+)\\]/.test(p.textContent))"""
ALL_RAN = """() => {
    const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')];
    return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
}"""


def wait_for_kernel_idle(page, timeout_ms: int = 180_000) -> None:
    """Wait until every code cell has run (each shows its execution count) and the kernel is idle."""
    page.wait_for_function(ALL_RAN, timeout=timeout_ms)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']:visible", timeout=timeout_ms)


def error_outputs(page) -> list[str]:
    return page.eval_on_selector_all(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']",
                                     "nodes => nodes.map(n => n.textContent)")
