"""The design-review report: a schema change as a reviewer signs it off.

- :func:`review_report` gathers the review of some Drafts on a session and, given a path,
  writes it (HTML, or Markdown for ``.md``);
- :func:`gather` builds the :class:`ReviewData` (plain data); :func:`render_html` and
  :func:`render_markdown` render it;
- :func:`checklist_item` registers a completion-checklist item (the built-in ones are
  registered the same way); ``[tool.workbench.report]`` in ``pyproject.toml`` turns items
  on and off (see :mod:`.config`).
"""
from __future__ import annotations

from pathlib import Path

from .checklist import CHECKLIST, Facts, checklist_item
from .config import ReportConfig, load_report_config
from .gather import gather
from .html import render_html
from .markdown import render_markdown
from .model import (ChangeEntry, CheckResult, DiagramEntry, DraftEntry, FindingEntry, Grid,
                    ImpactEntry, ReviewData, VerifyEntry)
from .simulate import Simulation, simulate
from .write import write_report

__all__ = ["review_report", "gather", "ReviewData", "render_html", "render_markdown",
           "write_report", "checklist_item", "CHECKLIST", "Facts", "ReportConfig",
           "load_report_config", "simulate", "Simulation", "DraftEntry", "ChangeEntry",
           "FindingEntry", "Grid", "DiagramEntry", "VerifyEntry", "CheckResult", "ImpactEntry"]


def review_report(session, drafts, path: Path | str | None = None, **options) -> ReviewData:
    """Gather the review of ``drafts`` on ``session`` (a Session, or a DSN; see :func:`gather`
    for the options) and, when ``path`` is given, write it there (``.md``: Markdown, else HTML)."""
    if isinstance(session, str):
        from .. import connect

        with connect(session) as opened:
            return review_report(opened, drafts, path, **options)
    data = gather(session, drafts, **options)
    if path is not None:
        write_report(data, path)
    return data
