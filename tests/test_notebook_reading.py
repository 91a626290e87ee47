"""The notebooks read as documents: checked on the stored .ipynb files, no server needed.

The rules:

- the first cell is markdown;
- every code cell comes right after a markdown cell saying what it shows and why;
- no code cell is longer than 15 source lines;
- every stored output fits a screen: text (stream output, Markdown, or the plain text of a
  result with no HTML, image or widget to show instead) at most 40 lines, an HTML table (a
  pandas DataFrame) at most 30 rows. SVG, images and widgets are exempt.

Each failure names the notebook, the cell (1-based) and its first line, and the rule.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).parents[1] / "notebooks").glob("*.ipynb"))
MAX_SOURCE_LINES = 15
MAX_TEXT_LINES = 40
MAX_TABLE_ROWS = 30
# Representations shown instead of text/plain; images and widgets are not checked.
RICH = ("text/html", "text/markdown", "image/", "application/vnd.jupyter.widget-view+json")
ROW = re.compile(r"<tr[\s>]")


def text(value) -> str:
    """A notebook string field, stored as one string or as a list of lines."""
    return "".join(value) if isinstance(value, list) else value


def line_count(value) -> int:
    return len(text(value).splitlines())


def first_line(cell) -> str:
    """The cell's first line, skipping nbval markers such as ``# NBVAL_IGNORE_OUTPUT``."""
    lines = [line for line in text(cell["source"]).splitlines()
             if line.strip() and not line.startswith("# NBVAL_")]
    return lines[0] if lines else "(empty cell)"


def output_problem(output) -> str | None:
    """Why one output does not fit a screen, or None when it does."""
    if output["output_type"] == "stream" and line_count(output["text"]) > MAX_TEXT_LINES:
        return f"prints {line_count(output['text'])} lines (at most {MAX_TEXT_LINES})"
    data = output.get("data", {})
    html = text(data.get("text/html", ""))
    if "<table" in html and len(ROW.findall(html)) > MAX_TABLE_ROWS:
        return f"shows a table of {len(ROW.findall(html))} rows (at most {MAX_TABLE_ROWS})"
    for mime in ("text/markdown", "text/plain"):
        shown = mime == "text/markdown" or not any(m.startswith(RICH) for m in data)
        if mime in data and shown and line_count(data[mime]) > MAX_TEXT_LINES:
            return f"shows {line_count(data[mime])} lines of {mime} (at most {MAX_TEXT_LINES})"
    return None


def cell_problems(cells) -> list[tuple[int, str]]:
    """(1-based cell number, what is wrong) for every broken rule."""
    problems = []
    if cells and cells[0]["cell_type"] != "markdown":
        problems.append((1, "the notebook must open with a markdown cell"))
    for number, cell in enumerate(cells, start=1):
        if cell["cell_type"] != "code":
            continue
        if number > 1 and cells[number - 2]["cell_type"] != "markdown":
            problems.append((number, "code cell without a markdown cell right before it"))
        if line_count(cell["source"]) > MAX_SOURCE_LINES:
            problems.append((number, f"code cell of {line_count(cell['source'])} lines "
                                     f"(at most {MAX_SOURCE_LINES})"))
        for output in cell.get("outputs", []):
            if problem := output_problem(output):
                problems.append((number, f"output too long: {problem}"))
    return problems


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.stem)
def test_notebook_reads_as_a_document(notebook):
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    problems = [f"{notebook.name}, cell {number} ({first_line(cells[number - 1])!r}): {rule}"
                for number, rule in cell_problems(cells)]
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)
