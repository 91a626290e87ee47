"""This project's own migration history as diff pairs, on both PostgreSQL tiers.

The schema after each revision of migrations/versions (its UP_SQL, read back with
``Draft.from_revision``) is diffed with the schema before it: the derived up and down SQL
must re-parse and be proven (up reaches the revision's schema, down comes back).
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from workbench.diff import diff_sql
from workbench.diff.desired import from_sql
from workbench.drafts import Draft
from workbench.drafts.sqltext import check_sql
from workbench.migrations import ScriptHistory

MIGRATIONS = Path(__file__).parent.parent / "migrations"
REVISIONS = ScriptHistory(MIGRATIONS).revisions()


@cache
def up_sql(index: int) -> str:
    return Draft.from_revision(REVISIONS[index].path).up


@cache
def schema_after(server: str, count: int):
    """The schema the first ``count`` revisions build (none: an empty database)."""
    return from_sql("\n".join(up_sql(i) for i in range(count)) or "SELECT 1;", server=server,
                    label=f"the first {count} revisions")


@pytest.mark.parametrize("count", range(1, len(REVISIONS) + 1), ids=[r.path.stem for r in REVISIONS])
def test_each_revision_is_derived_and_proven(count, server):
    before, after = schema_after(server, count - 1), schema_after(server, count)
    migration = diff_sql(before, after, allow_destructive=True)
    assert migration.up, "every revision changes the schema"
    check_sql(migration.up_sql, label="up")
    check_sql(migration.down_sql, label="down")
    proof = migration.verify(server)
    assert proof.ok, proof.summary_text() + "\n\nup:\n" + migration.up_sql + "\ndown:\n" + migration.down_sql


def test_the_history_has_revisions():
    assert len(REVISIONS) >= 2
