"""One index Draft: the builders' add_index, the advisors' fix for an unindexed column and
index advice's recommendation make the same Draft for the same index (one up form, one
``DROP INDEX CONCURRENTLY IF EXISTS`` down, one naming scheme), on a real server."""
from __future__ import annotations

from dataclasses import replace

import psycopg
import pytest

import workbench
from workbench.catalog.names import qualified, quote_ident
from workbench.drafts import builders as b
from workbench.drafts.dryrun import dry_run
from workbench.indexes import candidates
from workbench.indexes.drafts import index_draft, taken_names, unique_name
from workbench.lint.fixes import create_index

SCHEMA, TABLE, COLUMN = "Sales Data", "Order Items", 'we"ird'
TAKEN = f"{TABLE}_{COLUMN}_idx"
SETUP = """
CREATE SCHEMA "Sales Data";
CREATE TABLE "Sales Data"."Order Items" (id int PRIMARY KEY, "we""ird" int, note text);
CREATE INDEX "Order Items_we""ird_idx" ON "Sales Data"."Order Items" (id, "we""ird");
"""


@pytest.fixture
def session(scratch_dsn):
    with psycopg.connect(scratch_dsn, autocommit=True) as conn:
        conn.execute(SETUP)
    with workbench.connect(scratch_dsn) as session:
        yield session


def three_drafts(schema) -> dict:
    """The Draft each caller makes for an index on ``"we""ird"``, rationale aside."""
    table = schema.table((SCHEMA, TABLE))
    builder = b.add_index(SCHEMA, TABLE, [COLUMN], snapshot=schema)
    advisor_fix = create_index(schema, table, [COLUMN], "An unindexed column.")
    found = candidates('SELECT id FROM "Sales Data"."Order Items" WHERE "we""ird" = $1', schema)
    candidate = found.candidates[0]
    name = unique_name(candidate, taken_names(schema, SCHEMA))
    advice = index_draft(candidate, name, "Recommended for 1 query.")
    return {source: replace(draft, rationale="") for source, draft in
            (("builders", builder), ("lint", advisor_fix), ("advice", advice))}


def test_the_three_callers_make_the_same_index_draft(session):
    drafts = three_drafts(workbench.inspect(session))
    assert drafts["builders"] == drafts["lint"] == drafts["advice"]
    draft = drafts["builders"]
    name = f"{TAKEN}1"  # the plain name is taken: numbered as PostgreSQL numbers it
    assert draft.up == (f"CREATE INDEX CONCURRENTLY {quote_ident(name)} "
                        f'ON "Sales Data"."Order Items" ("we""ird");')
    assert draft.down == f"DROP INDEX CONCURRENTLY IF EXISTS {qualified(SCHEMA, name)};"
    result = dry_run(session, draft)
    assert [c.name for c in result.diff.added] == [f"{SCHEMA}.{TABLE}.{name}"]
    assert result.restores, result.summary_text()
