"""A review in a few lines of text, for notebooks and terminals."""
from __future__ import annotations

from .model import PASSED, ReviewData
from .sections import status_word


def summary_text(data: ReviewData) -> str:
    """The change, the dry run, the findings and the checklist, one line each."""
    lines = [data.title, f"database: {data.database}", f"drafts: {len(data.drafts)}"]
    if data.changes is None:
        lines.append(f"dry run: not available ({data.unavailable.get('dry run', '')})")
    else:
        restores = {True: "yes", False: "NO", None: "not checked"}[data.restores]
        lines.append(f"dry run: {len(data.changes)} change(s); down restores the schema: {restores}")
    lines.append(impact_line(data))
    lines.append(f"tables touched: {', '.join(data.touched) or 'none'}")
    lines.append(findings_line(data))
    ticked = sum(item.status == PASSED for item in data.checklist)
    lines.append(f"checklist: {ticked} of {len(data.checklist)} ticked")
    lines += [f"  [{'x' if i.ticked else ' '}] {i.title} ({status_word(i.status)})" for i in data.checklist]
    return "\n".join(lines)


def findings_line(data: ReviewData) -> str:
    safety = data.findings_of("squawk", "workbench")
    advisors = data.findings_of("advisor")
    open_safety = sum(f.status == "open" for f in safety)
    fixed = sum(f.status == "fixed" for f in advisors)
    return (f"findings: {len(safety)} safety ({open_safety} open), "
            f"{len(advisors) - fixed} advisor finding(s) introduced, {fixed} fixed")


def impact_line(data: ReviewData) -> str:
    """How many Drafts' locks were traced, and which were not."""
    if not data.impact:
        return f"impact: not available ({data.unavailable.get('impact', '')})"
    failed = [entry.draft for entry in data.impact if entry.error]
    traced = len(data.impact) - len(failed)
    return f"impact: {traced} of {len(data.impact)} Draft(s) traced" + (
        f"; NOT traced: {', '.join(failed)}" if failed else "")
