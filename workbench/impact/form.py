"""``Safer``: a migration's safer form, step by step: each step a Draft run in a transaction of
its own, the reasons, the statements kept as written, the backfill batches, the steps left
for a later release; as text, Markdown, a dict, the SQL a trace reads and one Draft for a
dry run."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..drafts.draft import Draft
from ..drafts.sqltext import check_sql
from .steps import Alternative, Batch, Kept

REST_COMMENT = "-- the rest of the backfill at once (the trace's stand-in for repeating the batch)"


@dataclass(frozen=True)
class Safer:
    """The safer form of a migration: ``steps`` (Drafts, each run in a transaction of its own,
    in order; downs in reverse order), the ``alternatives`` applied, the statements ``kept``
    as written, the steps that are one ``batch`` of a backfill (step index → Batch), and the
    steps for a ``later`` release (the contract of expand and contract)."""

    source: str
    title: str
    steps: tuple[Draft, ...] = ()
    alternatives: tuple[Alternative, ...] = ()
    kept: tuple[Kept, ...] = ()
    batches: dict[int, Batch] = field(default_factory=dict)
    later: tuple[Draft, ...] = ()

    @property
    def known(self) -> bool:
        """Whether a safer form is known for at least one statement."""
        return bool(self.alternatives)

    def sql(self) -> str:
        """The steps as one text, a ``COMMIT`` between steps: the form a trace reads (it runs
        everything in one rolled-back transaction and counts each step's locks until its
        COMMIT). A backfill step runs its batch, then the rest of its rows at once."""
        return "\nCOMMIT;\n".join(self.traced_steps())

    def traced_steps(self) -> list[str]:
        """Each step's SQL as the trace runs it."""
        rests = {index: f"\n{REST_COMMENT}\n{batch.rest}" for index, batch in self.batches.items()}
        return [draft.up.strip() + rests.get(index, "") for index, draft in enumerate(self.steps)]

    def step_of_statements(self) -> list[int | None]:
        """For each statement of :meth:`sql`, the index of its step (None for a COMMIT)."""
        found: list[int | None] = []
        texts = self.traced_steps()
        for index, text in enumerate(texts):
            found += [index] * len(check_sql(text)) + ([None] if index < len(texts) - 1 else [])
        return found

    def draft(self) -> Draft | None:
        """All steps as one Draft, for a dry run: ups in order (a backfill's batch, then the
        rest of its rows), downs in reverse order (None when no safer form is known)."""
        if not self.steps:
            return None
        lost = [s.title for s in self.steps if s.irreversible]
        down = "\n".join(s.down.strip() for s in reversed(self.steps) if s.down.strip())
        return Draft(self.title, "\n".join(self.traced_steps()), "" if lost else down,
                     irreversible=f"no down SQL for: {'; '.join(lost)}" if lost else "")

    def text(self) -> str:
        """The steps, their SQL and the reasons, as plain text."""
        if not self.known:
            return f"{self.title}: no safer form known\n" + "\n".join(f"  {k.text()}" for k in self.kept)
        lines = [f"{self.title}: {len(self.steps)} step(s), each a transaction of its own"]
        for number, draft in enumerate(self.steps, start=1):
            repeat = " (one batch: repeat until it updates no row)" if number - 1 in self.batches else ""
            lines.append(f"step {number}. {draft.title}{repeat}")
            lines += [f"    {line}" for line in draft.up.strip().splitlines()]
        for draft in self.later:
            lines.append(f"later release: {draft.title}")
            lines += [f"    {line}" for line in draft.up.strip().splitlines()]
        lines += [f"why ({a.pattern}): {a.rationale}" for a in self.alternatives]
        lines += [f"meanwhile: {a.meanwhile}" for a in self.alternatives if a.meanwhile]
        lines += [f"kept: {k.text()}" for k in self.kept]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.text()

    def _repr_markdown_(self) -> str:
        from .sidebyside import safer_markdown

        return safer_markdown(self)

    def to_dict(self) -> dict:
        return {"title": self.title, "known": self.known,
                "steps": [{"title": s.title, "up": s.up, "down": s.down, "notes": list(s.notes),
                           "batch": index in self.batches} for index, s in enumerate(self.steps)],
                "later": [{"title": s.title, "up": s.up, "down": s.down} for s in self.later],
                "alternatives": [a.to_dict() for a in self.alternatives],
                "kept": [{"statement": k.statement, "sql": k.sql, "reason": k.reason} for k in self.kept]}
