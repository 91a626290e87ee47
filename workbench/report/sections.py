"""What both renderers share: section titles, in order, and rows of the findings and changes."""
from __future__ import annotations

from .model import FAILED, PASSED, ChangeEntry, FindingEntry

SECTIONS = (("checklist", "Completion checklist"), ("diagram", "Tables touched"),
            ("drafts", "Drafts: the change and its rollback plan"),
            ("findings", "Findings: accepted or fixed"), ("dry run", "Dry run: what changes"),
            ("impact", "Impact: locks, rewrites, time, who waits"),
            ("rls", "Row Level Security matrix"), ("verify", "Verify: the migration history"),
            ("sign-off", "Sign-off"))
FINDING_COLUMNS = ("status", "level", "source", "rule", "where", "message", "draft")
STATUS_WORDS = {PASSED: "done", FAILED: "not done"}


def section_titles() -> dict[str, str]:
    return dict(SECTIONS)


def status_word(status: str) -> str:
    """How a checklist status reads: done, not done, or not available."""
    return STATUS_WORDS.get(status, "not available")


def finding_row(entry: FindingEntry) -> tuple[str, ...]:
    return (entry.status, entry.level, entry.source, entry.rule, entry.where, entry.message, entry.draft)


def change_rows(changes: tuple[ChangeEntry, ...]) -> tuple[tuple[str, ...], ...]:
    return tuple((c.action, c.kind, c.name, ", ".join(c.fields)) for c in changes)


IMPACT_INTRO = ("Each Draft's up SQL run in order, each in a transaction of its own as its "
                "revision would run, on this database's data, and rolled back.")
