"""Safety and advisor findings of a change, and what became of each: accepted on the Draft,
new with the change, or fixed by it. When a checker fails the report shows its error and
the rest still renders."""
from __future__ import annotations

from typing import Sequence

from ..catalog import Schema
from ..drafts import Draft
from ..drafts.review import advisor_changes
from ..drafts.safety import check
from .failure import failure_text
from .model import FindingEntry

LEVELS = ("error", "warn", "info")


def accepted_in(notes: Sequence[str], rule: str) -> bool:
    """Whether the Draft notes accept findings of ``rule`` (``"rule: …"`` or the bare id)."""
    return any(note.strip() == rule or note.strip().startswith(f"{rule}:") for note in notes)


def safety_entries(drafts: Sequence[Draft], before: Schema,
                   accepted: Sequence[str] = ()) -> tuple[tuple[FindingEntry, ...] | None, str]:
    """Every Draft's safety findings (squawk and the workbench's rules), each ``accepted``
    when the Draft's notes or ``accepted`` accept its rule, else ``open``; or None and why."""
    entries = []
    try:
        for draft in drafts:
            for f in check(draft, schema=before):
                status = "accepted" if accepted_in((*draft.notes, *accepted), f.rule) else "open"
                entries.append(FindingEntry(f.source, f.level, f.rule, f"line {f.line}:{f.column}",
                                            f.message, status, draft.title))
    except Exception as exc:  # a failing checker is reported, not hidden
        return None, f"the safety checks failed: {failure_text(exc)}"
    return tuple(entries), ""


def advisor_entries(before: Schema, after: Schema, notes: Sequence[str]):
    """``(entries, introduced findings, note)``: advisor findings the change introduces
    (``new``, or ``accepted`` when a Draft note accepts the rule) or resolves (``fixed``)."""
    try:
        introduced, resolved = advisor_changes(before, after)
    except Exception as exc:  # a failing advisor is a failed check, showing its error
        return None, (), f"the advisors failed: {failure_text(exc)}"
    entries = [advisor_entry(f, "accepted" if accepted_in(notes, f.rule) else "new") for f in introduced]
    entries += [advisor_entry(f, "fixed") for f in resolved]
    return tuple(sorted(entries, key=order)), tuple(introduced), ""


def advisor_entry(finding, status: str) -> FindingEntry:
    return FindingEntry("advisor", finding.level, finding.rule, finding.object, finding.message, status)


def order(entry: FindingEntry) -> tuple:
    rank = LEVELS.index(entry.level) if entry.level in LEVELS else len(LEVELS)
    return (entry.status == "fixed", rank, entry.rule, entry.where)

