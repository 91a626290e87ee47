"""A verify report as plain text: short (failures only) or with every step's verdict."""
from __future__ import annotations

from .report import FAILED, Check, RevisionResult, VerifyReport

MARKS = {"passed": "ok  ", "failed": "FAIL", "skipped": "skip", "info": "info"}
MAX_ITEMS = 20


def report_text(report: VerifyReport, detail: bool = False) -> str:
    """The report as lines of text; the last line sums it up."""
    lines = []
    for result in report.results:
        lines += revision_lines(result, detail)
    head = report.head if detail else [c for c in report.head if c.verdict == FAILED]
    if head:
        lines.append("head")
        lines += [line for check in head for line in check_lines(check, "     ")]
    if report.impact is not None:
        lines.append(report.impact.text())
    lines.append(summary(report))
    return "\n".join(lines)


def revision_lines(result: RevisionResult, detail: bool) -> list[str]:
    """The revision's line, then its steps (all, or the one that failed)."""
    lines = [f"{'ok  ' if result.ok else 'FAIL'} {result.revision.id}  {result.revision.path.name}"]
    if detail:
        lines += [line for check in result.checks for line in check_lines(check, "     ")]
    elif result.failure:
        lines.append(f"     {result.failed_step} failed: {result.error}")
    return lines


def check_lines(check: Check, indent: str) -> list[str]:
    """``mark name: detail`` and the check's items below it."""
    text = f"{indent}{MARKS[check.verdict]} {check.name}" + (f": {check.detail}" if check.detail else "")
    items = [f"{indent}       - {item}" for item in check.items[:MAX_ITEMS]]
    if len(check.items) > MAX_ITEMS:
        items.append(f"{indent}       … and {len(check.items) - MAX_ITEMS} more")
    return [text, *items]


def summary(report: VerifyReport) -> str:
    done = len(report.results)
    count = f"{done} of {report.revisions} revisions, " if report.revisions > done else f"{done} revisions, "
    return count + ("all passed" if report.ok else "verification failed")
