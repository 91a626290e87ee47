"""``ReviewData``: everything a design-review report shows, as plain data (text, numbers,
tuples), gathered once and rendered separately to HTML or Markdown."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

PASSED, FAILED, UNAVAILABLE = "passed", "failed", "not available"


@dataclass(frozen=True)
class DraftEntry:
    """One Draft of the change: its SQL both ways, who approved it, what was accepted."""

    title: str
    rationale: str
    up: str
    down: str
    irreversible: str = ""
    approved_by: str | None = None
    notes: tuple[str, ...] = ()
    source: str = ""


@dataclass(frozen=True)
class ChangeEntry:
    """One change of the dry-run diff."""

    action: str
    kind: str
    name: str
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class FindingEntry:
    """A safety or advisor finding and what became of it: ``open``, ``accepted`` (noted on
    the Draft), ``new`` (the change introduces it) or ``fixed`` (the change resolves it)."""

    source: str
    level: str
    rule: str
    where: str
    message: str
    status: str
    draft: str = ""


@dataclass(frozen=True)
class Grid:
    """A table of text: column names and rows (the RLS matrix, verify steps)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class DiagramEntry:
    """The ER diagram of the touched tables: inline SVG, Mermaid text, and its title."""

    title: str
    svg: str | None
    mermaid: str | None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class VerifyEntry:
    """The verify result: passed or not, its last line, and the steps."""

    ok: bool
    summary: str
    revisions: Grid
    head: Grid


@dataclass(frozen=True)
class ImpactEntry:
    """One Draft's lock trace (rolled back): a line that sums it up, a row per statement (time,
    locks, who waits, what it rewrote and read) and the trace's notes; or the ``error`` that
    left it without one."""

    draft: str
    headline: str = ""
    statements: Grid | None = None
    notes: tuple[str, ...] = ()
    error: str = ""


@dataclass(frozen=True)
class CheckResult:
    """One item of the completion checklist, ticked from facts: ``passed``, ``failed`` or
    ``not available`` (the piece that would tell is missing)."""

    id: str
    title: str
    status: str
    detail: str = ""
    items: tuple[str, ...] = ()

    @property
    def ticked(self) -> bool:
        return self.status == PASSED


@dataclass(frozen=True)
class ReviewData:
    """A schema change as a reviewer signs it off. ``accepted`` lists the findings the
    reviewer accepted for the whole change. ``impact`` holds each Draft's lock trace.
    ``unavailable`` maps a section (``dry run``, ``diagram``, ``safety``, ``advisors``,
    ``impact``, ``rls``, ``verify``) to why it is missing."""

    title: str
    database: str
    server_version: str
    applied: bool
    drafts: tuple[DraftEntry, ...]
    changes: tuple[ChangeEntry, ...] | None = None
    restores: bool | None = None
    touched: tuple[str, ...] = ()
    diagram: DiagramEntry | None = None
    findings: tuple[FindingEntry, ...] = ()
    rls: Grid | None = None
    verify: VerifyEntry | None = None
    checklist: tuple[CheckResult, ...] = ()
    accepted: tuple[str, ...] = ()
    unavailable: dict[str, str] = field(default_factory=dict)
    impact: tuple[ImpactEntry, ...] = ()

    def findings_of(self, *sources: str) -> tuple[FindingEntry, ...]:
        """The findings from these sources (``squawk``, ``workbench``, ``advisor``)."""
        return tuple(f for f in self.findings if f.source in sources)

    def html(self) -> str:
        """The report as one self-contained HTML page."""
        from .html import render_html

        return render_html(self)

    def markdown(self) -> str:
        """The report as Markdown."""
        from .markdown import render_markdown

        return render_markdown(self)

    def save(self, path: Path | str) -> Path:
        """Write the report to ``path``: Markdown for ``.md``, else HTML."""
        from .write import write_report

        return write_report(self, path)

    def summary_text(self) -> str:
        """A few lines: the change, the dry run, the findings, the checklist."""
        from .summary import summary_text

        return summary_text(self)

    def __repr__(self) -> str:
        ticked = sum(c.ticked for c in self.checklist)
        return f"<ReviewData {self.title!r}: {ticked} of {len(self.checklist)} checklist items ticked>"
