"""The verify result of the migration history, as the report shows it."""
from __future__ import annotations

from pathlib import Path

from ..dsn import scrub
from ..verify import verify
from .failure import failure_text
from .grid import grid_of
from .model import Grid, VerifyEntry

REVISION_COLUMNS = ("revision", "file", "ok", "failed_step", "error")
HEAD_COLUMNS = ("name", "verdict", "detail")


def verify_entry(report, dsn: str | None = None) -> VerifyEntry:
    """A :class:`VerifyEntry` of a verify report (anything with ``ok`` and ``to_dict()``)."""
    data = report.to_dict() if hasattr(report, "to_dict") else {}
    revisions = [{k: r.get(k) for k in REVISION_COLUMNS} for r in data.get("revisions", [])]
    head = [{k: c.get(k) for k in HEAD_COLUMNS} for c in data.get("head", [])]
    summary = report.text().splitlines()[-1] if hasattr(report, "text") else ""
    return VerifyEntry(bool(report.ok), scrub(summary or ("passed" if report.ok else "failed"), dsn),
                       clean(grid_of(revisions) if revisions else Grid(REVISION_COLUMNS, ()), dsn),
                       clean(grid_of(head) if head else Grid(HEAD_COLUMNS, ()), dsn))


def clean(grid: Grid, dsn: str | None) -> Grid:
    """The grid with the DSN's password scrubbed from every cell."""
    return Grid(grid.columns, tuple(tuple(scrub(cell, dsn) for cell in row) for row in grid.rows))


def run_verify(admin_dsn: str | None, migrations_dir: Path | str | None = None):
    """Verify the history on fresh scratch databases; ``(report, note)``, report None (and the
    verify item failed) when verify could not run."""
    try:
        return verify(admin_dsn, migrations_dir), ""
    except Exception as exc:  # verify that cannot run is a failed check, showing its error
        return None, f"verify could not run: {failure_text(exc, admin_dsn)}"
