"""``generate_revision``: an Alembic revision of exactly what changed between the migration
history's head and a desired schema, derived, proven, then written by the existing export
(single head, idempotent), like ``alembic revision --autogenerate`` but covering RLS,
policies, functions and grants."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import WorkbenchError
from .desired import from_head, from_source


@dataclass(frozen=True)
class Generated:
    """What ``generate_revision`` did: the revision file written (None when nothing
    differed) and the Draft it holds, with its proof."""

    path: Path | None
    draft: object | None


def generate_revision(message: str, to: str, *, migrations_dir=None, approved_by: str,
                      renames: dict | None = None, allow_destructive: bool = False,
                      schemas=None) -> Generated:
    """Diff the history's head with ``to`` (a DSN or a ``.sql`` file), prove the migration,
    and export it as a revision approved by ``approved_by``. A failed proof writes nothing."""
    from ..drafts import Draft
    from ..export import export
    from .engine import diff_sql

    head = from_head(migrations_dir, schemas=schemas)
    desired = from_source(to, schemas=schemas)
    if not diff_sql(head, desired, renames=renames, allow_destructive=True):
        return Generated(None, None)
    draft = Draft.from_diff(head, desired, title=message, renames=renames,
                            allow_destructive=allow_destructive)
    if not draft.proof.ok:
        raise WorkbenchError(f"the derived migration did not prove out; nothing was written\n"
                             f"{draft.proof.summary_text()}",
                             hint="report the schema pair; meanwhile draft this change by hand")
    path = export(draft.approve(approved_by), migrations_dir)
    return Generated(path, draft)
