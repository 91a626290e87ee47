"""Driving JupyterLab the way a person does: open a notebook, run all cells, wait."""
from __future__ import annotations

RUN_ALL = '.lm-Menu-item[data-command="runmenu:run-all"]'


def open_notebook(page, jupyterlab, name: str) -> None:
    base, token = jupyterlab
    page.goto(f"{base}/lab/tree/{name}?token={token}")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    choose_kernel_if_asked(page)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000)


def choose_kernel_if_asked(page) -> None:
    """Accept the default kernel when JupyterLab asks which one to start."""
    try:
        page.wait_for_selector(".jp-Dialog button.jp-mod-accept", timeout=3_000)
    except Exception:  # no dialog: the kernel starts by itself
        return
    page.click(".jp-Dialog button.jp-mod-accept")


def run_all_cells(page) -> None:
    page.click("text=Run", timeout=10_000)
    page.click(RUN_ALL)


def wait_for_kernel_idle(page, timeout_ms: int = 180_000) -> None:
    """Wait until every cell has run: no cell shows ``[*]`` and the kernel is idle."""
    page.wait_for_function(
        """() => {
            const prompts = [...document.querySelectorAll('.jp-InputArea-prompt')];
            return prompts.length > 0 && prompts.every(p => !p.textContent.includes('*'));
        }""", timeout=timeout_ms)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=timeout_ms)


def error_outputs(page) -> list[str]:
    return page.eval_on_selector_all(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']",
                                     "nodes => nodes.map(n => n.textContent)")
