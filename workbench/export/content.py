"""What one revision carries: one or more approved Drafts, in order, and the review around them.

The content hash covers what the revision does (titles and SQL), not who approved it: the
same change exported twice is found again by its hash. A revision of one Draft keeps that
Draft's fingerprint as its hash.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Iterable, Sequence

from ..drafts import Draft
from ..drafts.draft import slugify
from ..errors import WorkbenchError


@dataclass(frozen=True)
class RevisionContent:
    """The Drafts of one revision and its header facts."""

    drafts: tuple[Draft, ...]
    title: str
    accepted: tuple[str, ...] = ()
    combined: bool = False

    @property
    def single(self) -> bool:
        """One Draft, exported under its own title: the revision is that Draft."""
        return not self.combined

    @property
    def content_hash(self) -> str:
        """A stable hash of what the revision does, for idempotent export."""
        if self.single:
            return self.drafts[0].fingerprint
        parts = ["workbench revision", self.title, *(d.fingerprint for d in self.drafts)]
        return hashlib.sha256("\x00".join(parts).encode()).hexdigest()

    @property
    def revision_id(self) -> str:
        """The revision id: the start of the content hash, the same on every export."""
        return self.content_hash[:12]

    @property
    def slug(self) -> str:
        return slugify(self.title)

    @property
    def rationale(self) -> str:
        """The why: the Draft's rationale, or for several Drafts each one's title and reason."""
        if self.single:
            return self.drafts[0].rationale.strip()
        lines = ["Changes, in order:"]
        for number, draft in enumerate(self.drafts, 1):
            why = f": {one_line(draft.rationale)}" if draft.rationale.strip() else ""
            lines.append(f"{number}. {one_line(draft.title)}{why}")
        return "\n".join(lines)

    @property
    def approvers(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(d.approved_by for d in self.drafts if d.approved_by))

    @property
    def irreversible(self) -> tuple[str, ...]:
        """Why the revision cannot be undone (one reason per irreversible Draft), if so."""
        reasons = [(d.title, d.irreversible) for d in self.drafts if not d.down.strip()]
        if self.single:
            return tuple(one_line(reason) for _, reason in reasons)
        return tuple(f"{one_line(title)}: {one_line(reason)}" for title, reason in reasons)

    @property
    def up_sql(self) -> str:
        """The up SQL of every Draft, in order."""
        if self.single:
            return self.drafts[0].up.strip() + "\n"
        return "\n\n".join(f"-- {n}. {one_line(d.title)}\n{d.up.strip()}"
                           for n, d in enumerate(self.drafts, 1)) + "\n"

    @property
    def down_sql(self) -> str:
        """The down SQL of every Draft in reverse order (or why there is none)."""
        if self.irreversible:
            return "".join(f"-- irreversible: {reason}\n" for reason in self.irreversible)
        if self.single:
            return self.drafts[0].down.strip() + "\n"
        numbered = list(enumerate(self.drafts, 1))[::-1]
        return "\n\n".join(f"-- undo {n}. {one_line(d.title)}\n{d.down.strip()}" for n, d in numbered) + "\n"

    def up_parts(self) -> list[str]:
        """The up SQL of each Draft, in the order they run."""
        return [d.up for d in self.drafts]

    def down_parts(self) -> list[str]:
        """The down SQL of each Draft, in the order they run (the reverse of up)."""
        return [d.down for d in reversed(self.drafts)]


def revision_content(drafts: Draft | Sequence[Draft], title: str | None = None,
                     accepted: Iterable = ()) -> RevisionContent:
    """The content of a revision made of ``drafts`` (one Draft or several, in order).

    Only approved Drafts are exported. ``accepted`` lists safety findings the reviewer
    accepted (text, or objects with ``rule`` and ``message``); each Draft's ``notes`` are
    added to them.
    """
    drafts = (drafts,) if isinstance(drafts, Draft) else tuple(drafts)
    if not drafts:
        raise WorkbenchError("nothing to export: no Drafts given", where="export",
                             hint="pass an approved Draft, or a list of them")
    for draft in drafts:
        check_approved(draft)
    own_title = bool(title and title.strip() and title.strip() != drafts[0].title.strip())
    heading = one_line(title) if own_title else "; ".join(one_line(d.title) for d in drafts)
    notes = [*(note for d in drafts for note in d.notes), *(finding_text(a) for a in accepted)]
    return RevisionContent(drafts, heading, tuple(dict.fromkeys(one_line(n) for n in notes if n.strip())),
                           combined=len(drafts) > 1 or own_title)


def check_approved(draft) -> None:
    """Refuse anything but an approved Draft."""
    if not isinstance(draft, Draft):
        raise WorkbenchError(f"cannot export {type(draft).__name__}: only Drafts are exported",
                             where="export", hint="make a workbench.Draft of the change first")
    if not draft.approved:
        raise WorkbenchError(f"Draft {draft.title!r} is not approved", where="export",
                             hint="review it (dry run, findings), then export draft.approve(by='you')")


def finding_text(finding) -> str:
    """One accepted finding as one line: ``rule: message`` when it has both, else its text."""
    rule = getattr(finding, "rule", None) or getattr(finding, "rule_name", None)
    message = getattr(finding, "message", None)
    if rule and message:
        where = getattr(finding, "object", "")
        return one_line(f"{rule}: {message}" + (f" ({where})" if where else ""))
    return one_line(str(finding))


def one_line(text: str) -> str:
    """``text`` on one line: runs of whitespace and control characters become one space."""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())
