"""The tools that carry a change: draft it (by hand, or derived from DDL run on a throwaway
copy), dry-run it (rolled back: the diff, whether down restores, the advisors, tenant
isolation), export it as an Alembic revision, and, only where the server allows it, apply it.
The Drafts live in the server session under ids (``d1``, ``d2`` …)."""
from __future__ import annotations

from typing import Annotated

from pydantic import Field

from .errors import tool
from .replies import reply

DraftId = Annotated[str, Field(description="the draft_id that draft_migration or draft_from_sql returned")]


def register(app, state) -> None:
    """Add the drafting tools to ``app``, working on ``state``."""
    for make in (draft_migration, draft_from_sql, dry_run, export_migration, apply_migration):
        app.add_tool(tool(state)(make(state)))


def draft_data(draft_id: str, draft) -> dict:
    """A Draft as plain data, under its id."""
    return {"draft_id": draft_id, "title": draft.title, "rationale": draft.rationale, "up": draft.up,
            "down": draft.down, "irreversible": draft.irreversible, "notes": list(draft.notes)}


def drafted(state, draft) -> tuple[str, dict, str]:
    """Keep ``draft`` in the session and check its safety: its id, data and a summary."""
    from .. import inspect
    from ..drafts import check

    draft_id = state.add(draft)
    safety = check(draft, inspect(state.session))
    data = {**draft_data(draft_id, draft), "safety": safety.to_dict()}
    summary = (f"Draft {draft_id} {draft.title!r}\n{safety.text()}\n"
               f"next: dry_run with draft_id {draft_id!r}")
    return draft_id, data, summary


def draft_migration(state):
    def draft_migration(title: Annotated[str, Field(description="what the change does, in a few words")],
                        up: Annotated[str, Field(description="the SQL that makes the change")],
                        down: Annotated[str, Field(description="the SQL that undoes it")] = "",
                        rationale: str = "",
                        irreversible: Annotated[str, Field(description="when down cannot be written: "
                                                                        "why")] = ""):
        """Propose a change as a Draft: up and down SQL, both parsed by PostgreSQL's parser,
        with its safety findings (locks, rewrites, RLS and tenancy rules). Nothing runs: dry_run
        it next. Returns the draft_id the other tools take."""
        from ..drafts import Draft

        draft = Draft(title, up=up, down=down, rationale=rationale, irreversible=irreversible)
        _, data, summary = drafted(state, draft)
        return reply(summary, data)
    return draft_migration


def draft_from_sql(state):
    def draft_from_sql(title: Annotated[str, Field(description="what the change does, in a few words")],
                       ddl: Annotated[str, Field(description="DDL that turns the current schema into the "
                                                             "desired one (CREATE, ALTER, DROP …)")],
                       schemas: Annotated[list[str] | None, Field(description="only compare these schemas")] = None,
                       renames: Annotated[dict[str, str] | None,
                                          Field(description="renames, old to new: {'s.t.old_col': 'new_col'}")] = None,
                       allow_destructive: bool = False):
        """Derive a Draft from desired DDL: the DDL runs on a throwaway copy of the database,
        and the up and down SQL are derived from the two schemas by the diff engine (ordered,
        in safe forms), then proven both ways on another throwaway database. Returns the
        draft_id; nothing in this database changes."""
        from ..drafts.from_diff import draft_from_sandbox

        draft = draft_from_sandbox(state.session, title=title, sql=ddl, renames=renames or None,
                                   allow_destructive=allow_destructive, schemas=schemas)
        _, data, summary = drafted(state, draft)
        proof = draft.proof.summary_text() if draft.proof is not None else "not proven"
        return reply(f"{summary}\n{proof}", {**data, "proof": draft.proof.to_dict() if draft.proof else None})
    return draft_from_sql


def dry_run(state):
    def dry_run(draft_id: DraftId):
        """Dry-run a Draft in a transaction that is always rolled back: what it changes,
        whether its down SQL restores the schema, its safety findings, the advisor findings it
        introduces or resolves, and tenant isolation (the RLS probe) on the tables it touches.
        The verdict (passed, or the problems) is what export_migration and apply_migration check."""
        from ..drafts.dryrun import DryRunError
        from ..drafts.verdict import judge

        draft = state.draft(draft_id)
        try:
            verdict = judge(state.session, draft)
        except DryRunError as exc:
            state.record_failure(draft_id, exc.what)
            raise
        state.record(draft_id, verdict)
        return reply(verdict.summary_text(), {"draft_id": draft_id, **verdict.to_dict()})
    return dry_run


def export_migration(state):
    def export_migration(draft_id: DraftId,
                         approved_by: Annotated[str, Field(description="who approves the revision")],
                         sql_files: Annotated[bool, Field(description="also write .up.sql and .down.sql "
                                                                      "beside it")] = False):
        """Write a Draft whose dry run passed in this session as an Alembic revision file in the
        migrations folder (approved by approved_by; re-parsed first). Exporting the same Draft
        again returns the same file. The database is not touched."""
        from ..drafts import approve
        from ..export import export

        entry = state.proven(draft_id)
        path = export(approve(entry.draft, by=approved_by), state.migrations_dir, sql_files=sql_files)
        return reply(f"wrote {path}\nnext: verify_migrations",
                     {"draft_id": draft_id, "path": str(path), "file": path.name})
    return export_migration


def apply_migration(state):
    def apply_migration(draft_id: DraftId):
        """Apply a Draft to the server's own database, in one transaction. Only when the server
        was started with --allow-apply, and only a Draft whose dry run passed in this session on
        the schema as it still is. Prefer export_migration: the reviewed path to production."""
        from .. import inspect
        from ..drafts.apply import apply_draft

        entry = state.cleared_for_apply(draft_id, lambda: inspect(state.session))
        applied = apply_draft(state.session, entry.draft)
        entry.applied = True
        return reply(applied.summary_text(), {"draft_id": draft_id, **applied.to_dict()})
    return apply_migration
