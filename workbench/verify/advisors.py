"""The schema advisors as an optional verify step: the findings each revision introduces,
and those at head. Advisors that fail make the step fail, showing the error."""
from __future__ import annotations

from collections import Counter

from ..catalog import Schema
from ..lint import lint
from .report import FAILED, INFO, Check

NAME = "advisors"
LEVEL_ORDER = ("error", "warn", "info")


class Advisors:
    """Runs ``workbench.lint.lint`` over snapshots, remembering the last one's findings."""

    def __init__(self):
        self._last: tuple[Schema, dict] | None = None

    def introduced(self, before: Schema, after: Schema) -> Check:
        """The findings about ``after`` that ``before`` did not have (info; failed when the
        advisors fail)."""
        try:
            old, new = self.findings(before), self.findings(after)
        except Exception as exc:  # a broken rule or config is reported, not hidden
            return Check(NAME, FAILED, f"the advisors failed: {exc}".splitlines()[0])
        added = [new[key] for key in new.keys() - old.keys()]
        resolved = len(old.keys() - new.keys())
        detail = counted(added, "introduced") + (f", {resolved} resolved" if resolved else "")
        return Check(NAME, INFO, detail, lines(added))

    def at_head(self, schema: Schema) -> Check:
        """Every finding about the head schema (info; failed when the advisors fail)."""
        try:
            found = list(self.findings(schema).values())
        except Exception as exc:
            return Check(NAME, FAILED, f"the advisors failed: {exc}".splitlines()[0])
        return Check(NAME, INFO, counted(found, "at head"), lines(found))

    def findings(self, schema: Schema) -> dict:
        """The findings about ``schema`` by their stable key."""
        if self._last and self._last[0] is schema:
            return self._last[1]
        found = {f.key + ":" + f.message: f for f in lint(schema).findings}
        self._last = (schema, found)
        return found


def counted(findings: list, what: str) -> str:
    """``3 findings introduced (1 error, 2 warn)``."""
    levels = Counter(f.level for f in findings)
    by_level = ", ".join(f"{levels[level]} {level}" for level in sorted(levels, key=level_rank))
    noun = "finding" if len(findings) == 1 else "findings"
    return f"{len(findings)} {noun} {what}" + (f" ({by_level})" if by_level else "")


def lines(findings: list) -> tuple[str, ...]:
    """``level rule object: message``, errors first."""
    ordered = sorted(findings, key=lambda f: (level_rank(f.level), f.rule, f.object))
    return tuple(f"{f.level} {f.rule} {f.object}: {f.message}" for f in ordered)


def level_rank(level: str) -> int:
    return LEVEL_ORDER.index(level) if level in LEVEL_ORDER else len(LEVEL_ORDER)
