"""Unseen workloads for the index advisor: the domains of tests/fixtures/workloads/.

Used by tests/test_workload_fixtures.py and benchmarks/advise.py (which puts tests/ on
sys.path). Each domain folder holds schema.sql, data.sql (sized by the setting
``workload.scale``), workload.sql (what the advisor sees), heldback.sql (what it does not)
and expert.sql (a hand-designed index set for both); see the README.md there.
"""
from __future__ import annotations

import time
from pathlib import Path

import psycopg
from psycopg import sql

from workbench.testing import vacuum_until_all_visible

ROOT = Path(__file__).resolve().parent / "fixtures" / "workloads"
FILES = ("schema.sql", "data.sql", "workload.sql", "heldback.sql", "expert.sql")
HASH_HELPERS = Path(__file__).resolve().parent.parent / "workbench" / "samples" / "sql" / "gen_hash.sql"


def domains() -> list[str]:
    """The domains there are (folders holding every one of FILES)."""
    return sorted(p.name for p in ROOT.iterdir()
                  if p.is_dir() and all((p / name).exists() for name in FILES))


def folder(domain: str) -> Path:
    path = ROOT / domain
    if not (path / "schema.sql").exists():
        raise ValueError(f"no workload domain {domain!r} (there are: {', '.join(domains())})")
    return path


def text(domain: str, name: str) -> str:
    return (folder(domain) / name).read_text()


def load_domain(dsn: str, domain: str, scale: int, *, progress=None) -> dict[str, float]:
    """Create ``domain``'s schema and data at ``scale`` in the (fresh) database of ``dsn`` (the
    demos' hash helpers first, then data.sql), then VACUUM ANALYZE it. Returns seconds per step (schema, data, vacuum).
    ``progress``: a callable taking a message, or None."""
    seconds = {}
    with psycopg.connect(dsn, autocommit=True) as conn:
        started = time.perf_counter()
        with conn.transaction():
            conn.execute(text(domain, "schema.sql"))
        seconds["schema"] = time.perf_counter() - started
        if progress:
            progress(f"{domain}: generating data at scale {scale:,}")
        started = time.perf_counter()
        with conn.transaction():
            conn.execute(sql.SQL("SET LOCAL workload.scale = {}").format(sql.Literal(str(int(scale)))))
            conn.execute(sql.SQL("SET LOCAL maintenance_work_mem = '512MB'"))
            conn.execute(sql.SQL("SET LOCAL work_mem = '256MB'"))
            conn.execute(HASH_HELPERS.read_text())
            conn.execute(text(domain, "data.sql"))
        seconds["data"] = time.perf_counter() - started
        if progress:
            progress(f"{domain}: VACUUM ANALYZE")
        started = time.perf_counter()
        vacuum_until_all_visible(conn)
        seconds["vacuum"] = time.perf_counter() - started
    return seconds


def workload(domain: str):
    """The queries the advisor sees (``workbench.indexes.Query`` objects)."""
    from workbench.indexes import queries_from_file

    return queries_from_file(folder(domain) / "workload.sql")


def heldback(domain: str):
    """More queries of the same app, which the advisor does not see."""
    from workbench.indexes import queries_from_file

    return queries_from_file(folder(domain) / "heldback.sql")


def expert_sql(domain: str) -> str:
    """The expert's hand-designed ``CREATE INDEX`` statements, one per line group."""
    return text(domain, "expert.sql")


def expert_statements(domain: str) -> list[str]:
    """Each ``CREATE INDEX`` of expert.sql on its own (split by PostgreSQL's parser)."""
    import pglast

    source = expert_sql(domain)
    statements = []
    for raw in pglast.parse_sql(source):  # locations in characters
        start = raw.stmt_location or 0
        end = start + (raw.stmt_len or len(source) - start)
        statements.append(strip_comments(source[start:end]))
    return statements


def strip_comments(statement: str) -> str:
    lines = [line for line in statement.strip().splitlines() if not line.strip().startswith("--")]
    return "\n".join(lines).strip()
