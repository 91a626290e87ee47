"""``Draft.from_diff``: a Draft whose up and down SQL are derived from two schemas and proven."""
from __future__ import annotations

from dataclasses import replace


def draft_from_diff(before, after, *, title: str, renames=None, allow_destructive: bool = False,
                    rationale: str = "", prove_on=None, prove: bool = True, base=None):
    """The Draft from ``before`` to ``after`` (two snapshots). Unless ``prove=False`` it carries
    the proof (``draft.proof``): applied up and down on a throwaway database on ``prove_on``
    (a Session, an admin DSN, or None for the embedded server) and compared; ``base`` is the
    whole database when the snapshots cover only some of its schemas."""
    from ..diff import DiffError, diff_sql
    from .draft import Draft

    migration = diff_sql(before, after, renames=renames, allow_destructive=allow_destructive)
    if not migration:
        raise DiffError("nothing differs: there is no migration to draft",
                        hint="change the desired schema first")
    notes = [*migration.notes, *(f"question: {q.text}" for q in migration.questions),
             *(f"destructive: {s.destructive}" for s in migration.destructive)]
    draft = Draft(title=title, up=migration.up_sql, down=migration.down_sql, rationale=rationale,
                  notes=tuple(notes))
    proof = migration.verify(prove_on, base=base) if prove else None
    return replace(draft, migration=migration, proof=proof)
