"""A Draft reviewed in full: safety checks, a dry run (diff, down restores, nothing kept) and
the advisor findings the change introduces or resolves.

The advisors (``workbench.lint``) run on the before and after snapshots the dry run takes;
only their snapshot rules run, so the comparison is deterministic.
"""
from __future__ import annotations

import html
from dataclasses import dataclass

from .draft import Draft
from .dryrun import DryRun, dry_run
from .safety import SafetyReport, check


@dataclass(frozen=True)
class Review:
    """What a Draft does and what it breaks: ``safety``, ``dry_run``, and the advisor findings
    ``introduced`` and ``resolved``."""

    draft: Draft
    safety: SafetyReport
    dry_run: DryRun
    introduced: tuple
    resolved: tuple

    @property
    def restores(self) -> bool | None:
        return self.dry_run.restores

    @property
    def diff(self):
        return self.dry_run.diff

    @property
    def impact(self):
        """The lock trace of the up SQL (a :class:`workbench.impact.Trace`), when the review
        was asked for it with ``impact=True``; else None."""
        return self.dry_run.impact

    def changes_frame(self):
        """DataFrame of the diff, with the parts of each added or removed table spelled out."""
        from .diffparts import changes_frame

        return changes_frame(self.dry_run.diff)

    def advisors_frame(self):
        """DataFrame: advisor findings the change introduces (``new``) or resolves (``gone``)."""
        import pandas as pd

        rows = [{"change": tag, "level": f.level, "rule": f.rule, "object": f.object,
                 "message": f.message}
                for tag, found in (("new", self.introduced), ("gone", self.resolved))
                for f in found]
        return pd.DataFrame(rows, columns=["change", "level", "rule", "object", "message"])

    def summary_text(self) -> str:
        lines = [self.dry_run.summary_text(), self.safety.text(),
                 f"advisors: {len(self.introduced)} new finding(s), {len(self.resolved)} resolved"]
        lines += [f"  new {f.level} {f.rule}: {f.object}" for f in self.introduced]
        lines += [f"  gone {f.level} {f.rule}: {f.object}" for f in self.resolved]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary_text()

    def to_dict(self) -> dict:
        """A JSON-ready form: the dry run, the safety findings, and the advisor findings the
        change introduces and resolves."""
        from ..lint.report import finding_dict

        return {"dry_run": self.dry_run.to_dict(), "safety": self.safety.to_dict(),
                "advisors": {"introduced": [finding_dict(f) for f in self.introduced],
                             "resolved": [finding_dict(f) for f in self.resolved]}}

    def _repr_html_(self) -> str:
        advisors = self.advisors_frame().to_html(index=False)
        return (f"<h4>{html.escape(self.draft.title)}</h4>{self.dry_run._repr_html_()}"
                f"<p><b>safety</b></p>{self.safety._repr_html_()}"
                f"<p><b>advisors: new and resolved findings</b></p>{advisors}")


def advisor_changes(before, after, config=None) -> tuple[tuple, tuple]:
    """``(introduced, resolved)`` advisor findings between two snapshots. Findings are
    matched by rule, object and message."""
    from ..lint import lint  # here, not at the top: workbench.lint imports workbench.drafts

    old = lint(before, None, config).findings
    new = lint(after, None, config).findings
    seen_old = {_identity(f) for f in old}
    seen_new = {_identity(f) for f in new}
    return (tuple(f for f in new if _identity(f) not in seen_old),
            tuple(f for f in old if _identity(f) not in seen_new))


def _identity(finding) -> tuple:
    return (finding.key, finding.message)


def review(session, draft: Draft, *, config=None, check_down: bool = True,
           squawk: bool = True, impact: bool = False) -> Review:
    """Check ``draft`` (safety), dry-run it on ``session`` (rolled back) and compare the
    advisors' findings before and after. ``impact=True`` also traces its locks
    (``review.impact``; see :func:`workbench.drafts.dryrun.dry_run`)."""
    result = dry_run(session, draft, check_down=check_down, impact=impact)
    safety = check(draft, result.before, config, squawk=squawk)
    introduced, resolved = advisor_changes(result.before, result.after, config)
    return Review(draft, safety, result, introduced, resolved)
