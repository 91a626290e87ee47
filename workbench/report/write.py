"""Writing a report file: Markdown for ``.md``, HTML otherwise, replaced atomically."""
from __future__ import annotations

from pathlib import Path

from ..atomicfile import write_atomically
from .model import ReviewData

MARKDOWN_SUFFIXES = (".md", ".markdown")


def report_text(data: ReviewData, path: Path | str) -> str:
    """The report in the format ``path``'s extension names."""
    return data.markdown() if Path(path).suffix.lower() in MARKDOWN_SUFFIXES else data.html()


def write_report(data: ReviewData, path: Path | str) -> Path:
    """Write the report to ``path`` (its folder is created); return the path."""
    return write_atomically(path, report_text(data, path))
