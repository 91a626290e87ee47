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


def draft_from_sandbox(session, *, title: str, sql: str, renames=None, allow_destructive: bool = False,
                       schemas=None, rationale: str = ""):
    """Run ``sql`` in a sandbox of ``session``'s database and draft what it changed (proven);
    the sandbox is dropped after. The drafting panel's "from a sandbox" form calls this."""
    from ..diff.sandbox import sandbox

    with sandbox(session, schemas=schemas) as box:
        box.execute(sql)
        return box.draft(title, renames=renames, allow_destructive=allow_destructive,
                         rationale=rationale)


def read_renames(text: str) -> dict:
    """``old=new, old=new`` (commas or new lines) as a renames mapping."""
    from ..errors import WorkbenchError

    renames = {}
    for item in text.replace("\n", ",").split(","):
        if not item.strip():
            continue
        old, sep, new = item.partition("=")
        if not sep or not old.strip() or not new.strip():
            raise WorkbenchError(f"cannot read --rename {item.strip()!r}",
                                 hint="write old=new, e.g. nursery.customers.phone=phone_number")
        renames[old.strip()] = new.strip()
    return renames
