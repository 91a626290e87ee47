"""The project's own rules about its data: a seed data set, and invariant queries that must
return no rows.

``<migrations>/seed.sql`` (optional) is loaded at head in one transaction. Each
``<migrations>/invariants/*.sql`` holds one or more queries; any row a query returns breaks
the invariant, and the check fails naming the file and showing the first rows. Invariants run
in a transaction that is always rolled back.
"""
from __future__ import annotations

from pathlib import Path

from ..drafts import statements
from ..dsn import scrub
from ..errors import WorkbenchError
from ..session import Session
from .report import FAILED, PASSED, SKIPPED, Check

SEED_FILE = "seed.sql"
INVARIANTS_DIR = "invariants"
SHOWN_ROWS = 5


def seed_check(session: Session, migrations_dir: Path) -> Check:
    """Load ``seed.sql`` if the project has one."""
    path = migrations_dir / SEED_FILE
    if not path.exists():
        return Check("seed", SKIPPED, f"no {SEED_FILE} in {migrations_dir.name}/")
    try:
        with session.conn.transaction():
            session.conn.execute(path.read_text(encoding="utf-8"))
    except Exception as exc:  # a seed that no longer fits the schema is a failure to see
        return Check("seed", FAILED, f"{SEED_FILE}: {first_line(exc, session.dsn)}")
    return Check("seed", PASSED, f"{SEED_FILE} loaded")


def invariant_files(migrations_dir: Path) -> list[Path]:
    """The invariant queries of the project, in name order."""
    folder = migrations_dir / INVARIANTS_DIR
    return sorted(folder.glob("*.sql")) if folder.is_dir() else []


def invariant_checks(session: Session, migrations_dir: Path, seeded: bool = True) -> list[Check]:
    """One check per invariant file (or one skipped check when there are none)."""
    files = invariant_files(migrations_dir)
    if not files:
        return [Check("invariants", SKIPPED, f"none in {migrations_dir.name}/{INVARIANTS_DIR}/")]
    if not seeded:
        return [Check(f"invariant {p.name}", SKIPPED, "the seed did not load") for p in files]
    return [invariant_check(session, path) for path in files]


def invariant_check(session: Session, path: Path) -> Check:
    """Run the queries of one invariant file; passed when none returns a row."""
    name = f"invariant {path.name}"
    try:
        rows = violations(session, path.read_text(encoding="utf-8"))
    except WorkbenchError as exc:
        return Check(name, FAILED, f"{path.name}: {exc.what}")
    except Exception as exc:
        return Check(name, FAILED, f"{path.name}: {first_line(exc, session.dsn)}")
    if not rows:
        return Check(name, PASSED)
    more = "+" if len(rows) > SHOWN_ROWS else ""
    return Check(name, FAILED, f"{path.name} returned {len(rows)}{more} row(s)",
                 tuple(row_text(row) for row in rows[:SHOWN_ROWS]))


def violations(session: Session, text: str) -> list[tuple]:
    """The rows the file's queries return (at most a few more than are shown)."""
    found: list[tuple] = []
    with session.rolled_back() as conn:
        for statement in statements(text):
            cursor = conn.execute(statement)
            if cursor.description is not None and len(found) <= SHOWN_ROWS:
                found += cursor.fetchmany(SHOWN_ROWS + 1 - len(found))
    return found


def row_text(row: tuple) -> str:
    """One row as comma-separated values."""
    return ", ".join("NULL" if value is None else str(value) for value in row)


def first_line(exc: Exception, dsn: str) -> str:
    """The error's first line, without the password of ``dsn``."""
    text = str(exc).strip() or type(exc).__name__
    return scrub(text.splitlines()[0], dsn)
