"""What verify found: per revision, each step's verdict; at head, the checks of the whole
history. Plain text for terminals, a dict for JSON, HTML for notebooks."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..migrations import Revision

if TYPE_CHECKING:
    from .impact import HistoryImpact

PASSED, FAILED, SKIPPED, INFO = "passed", "failed", "skipped", "info"
VERDICTS = (PASSED, FAILED, SKIPPED, INFO)


@dataclass(frozen=True)
class Check:
    """One step's verdict: ``passed``, ``failed``, ``skipped`` (with why) or ``info``."""

    name: str
    verdict: str
    detail: str = ""
    items: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.verdict != FAILED

    def message(self) -> str:
        """``detail`` and the items, on one line."""
        return "; ".join(part for part in (self.detail, ", ".join(self.items)) if part)

    def to_dict(self) -> dict:
        return {"name": self.name, "verdict": self.verdict, "detail": self.detail,
                "items": list(self.items)}


@dataclass(frozen=True)
class RevisionResult:
    """One revision's stairway: its checks in the order they ran (it stops at a failure)."""

    revision: Revision
    checks: tuple[Check, ...] = ()

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)

    @property
    def passed(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.checks if c.verdict == PASSED)

    @property
    def failure(self) -> Check | None:
        return next((c for c in self.checks if not c.ok), None)

    @property
    def failed_step(self) -> str | None:
        return self.failure.name if self.failure else None

    @property
    def error(self) -> str | None:
        return self.failure.message() if self.failure else None

    @property
    def title(self) -> str:
        return self.revision.title.splitlines()[0] if self.revision.title else ""

    def to_dict(self) -> dict:
        return {"revision": self.revision.id, "title": self.title, "file": self.revision.path.name,
                "ok": self.ok, "passed": list(self.passed), "failed_step": self.failed_step,
                "error": self.error, "steps": [c.to_dict() for c in self.checks]}


StepResult = RevisionResult  # the earlier name


@dataclass(frozen=True)
class VerifyReport:
    """The outcome of verifying a whole history: ``results`` per revision, ``head`` checks,
    and, when asked, the ``impact`` of the pending revisions on a development database (a
    :class:`~workbench.verify.impact.HistoryImpact`)."""

    results: tuple[RevisionResult, ...] = field(default=())
    head: tuple[Check, ...] = field(default=())
    revisions: int = 0
    impact: HistoryImpact | None = None

    @property
    def ok(self) -> bool:
        return (all(r.ok for r in self.results) and all(c.ok for c in self.head)
                and (self.impact is None or self.impact.ok))

    @property
    def failure(self) -> RevisionResult | None:
        """The first revision that failed, if any."""
        return next((r for r in self.results if not r.ok), None)

    @property
    def head_failures(self) -> tuple[Check, ...]:
        return tuple(c for c in self.head if not c.ok)

    def check(self, name: str) -> Check | None:
        """The head check called ``name`` (e.g. ``"drift"``), if it ran."""
        return next((c for c in self.head if c.name == name), None)

    def to_dict(self) -> dict:
        """A JSON-ready form: every revision's steps, then the head checks."""
        return {"ok": self.ok, "revisions": [r.to_dict() for r in self.results],
                "head": [c.to_dict() for c in self.head],
                "impact": self.impact.to_dict() if self.impact is not None else None}

    def text(self, detail: bool = False) -> str:
        """One line per revision and the failures; ``detail=True``: every step's verdict."""
        from .text import report_text

        return report_text(self, detail)

    def _repr_html_(self) -> str:
        from .display import report_html

        return report_html(self)

    def __str__(self) -> str:
        return self.text()
