"""The diff corpus: every before/after pair in tests/fixtures/diff, on both PostgreSQL tiers.

For each pair the up and down SQL are derived, re-parse, and are proven: applied to a
throwaway copy of *before*, up must reach *after* and down must come back to *before*.
A pair that needs a newer PostgreSQL (``-- requires: 18``) is skipped on older tiers.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

import psycopg
import pytest

from workbench.diff import diff_sql
from workbench.diff.desired import from_sql
from workbench.diff.pairs import read_pairs
from workbench.drafts.sqltext import check_sql

PAIRS = read_pairs(Path(__file__).parent / "fixtures" / "diff")


@cache
def major_version(dsn: str) -> int:
    with psycopg.connect(dsn) as conn:
        return int(conn.execute("SHOW server_version_num").fetchone()[0]) // 10000


@pytest.mark.parametrize("pair", PAIRS, ids=[p.name for p in PAIRS])
def test_up_and_down_converge(pair, server):
    if major_version(server) < pair.requires:
        pytest.skip(f"{pair.name} needs PostgreSQL {pair.requires}")
    before = from_sql(pair.before, server=server)
    after = from_sql(pair.after, server=server)
    migration = diff_sql(before, after, renames=pair.renames, allow_destructive=True)
    assert migration.up, "the pair differs, so the migration must do something"
    check_sql(migration.up_sql, label="up")
    check_sql(migration.down_sql, label="down")
    proof = migration.verify(server)
    assert proof.ok, proof.summary_text() + "\n\nup:\n" + migration.up_sql + "\ndown:\n" + migration.down_sql


def test_the_corpus_holds_at_least_62_pairs():
    assert len(PAIRS) >= 62
