"""Writing a report file: Markdown for ``.md``, HTML otherwise, replaced atomically."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .model import ReviewData

MARKDOWN_SUFFIXES = (".md", ".markdown")


def report_text(data: ReviewData, path: Path | str) -> str:
    """The report in the format ``path``'s extension names."""
    return data.markdown() if Path(path).suffix.lower() in MARKDOWN_SUFFIXES else data.html()


def write_report(data: ReviewData, path: Path | str) -> Path:
    """Write the report to ``path`` (its folder is created); return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(report_text(data, path))
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
