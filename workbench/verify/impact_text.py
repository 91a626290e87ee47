"""The impact of the pending revisions as plain text: which revisions and why, each one's
trace in words, then the verdict against the limit."""
from __future__ import annotations

from ..plans.words import ms

INDENT = "     "


def impact_text(impact) -> str:
    """Lines for a terminal: the choice, the traces, the verdict."""
    lines = [f"impact on {impact.database}: {impact.why}"]
    if impact.revisions:
        lines.append(f"{INDENT}traced in order, each revision in a transaction of its own, rolled back")
    for traced in impact.revisions:
        lines.append(f"revision {traced.revision.id}  {traced.revision.path.name}")
        if traced.part.trace is None:
            lines.append(f"{INDENT}not traced: {traced.part.error}")
        else:
            lines += [f"{INDENT}{line}" for line in traced.part.trace.text().splitlines()]
    return "\n".join(lines + verdict_lines(impact))


def verdict_lines(impact) -> list[str]:
    limit = ms(impact.fail_over_ms)
    failures = impact.failures()
    if not failures:
        return [f"ok   impact: no lock that blocks reads or writes is held over {limit}"]
    return [f"FAIL impact: {failure}" for failure in failures]
