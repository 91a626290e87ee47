"""Before/after pairs kept as one ``.sql`` file each, for tests and benchmarks.

The file holds the *before* SQL, a line ``-- ==== after ====``, then the *after* SQL. Lines
``-- renames: schema.old=schema.new, schema.t.old_col=new_col`` in the header name renames; a
line ``-- requires: 18`` says the pair needs at least that PostgreSQL major version.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import WorkbenchError

MARKER = "-- ==== after ===="
RENAMES = "-- renames:"
REQUIRES = "-- requires:"


@dataclass(frozen=True)
class Pair:
    """One before/after pair: its name, both SQL texts, the renames it declares and the
    oldest PostgreSQL major version it runs on (0: any)."""

    name: str
    before: str
    after: str
    renames: dict
    requires: int = 0

    @staticmethod
    def read(path) -> Pair:
        path = Path(path)
        text = path.read_text()
        lines = text.splitlines()
        if MARKER not in [line.strip() for line in lines]:
            raise WorkbenchError(f"{path}: no line {MARKER!r} between the before and after SQL",
                                 hint="write the before SQL, that line, then the after SQL")
        cut = [line.strip() for line in lines].index(MARKER)
        renames, requires = {}, 0
        for line in lines[:cut]:
            if line.startswith(RENAMES):
                for item in line[len(RENAMES):].split(","):
                    old, _, new = item.strip().partition("=")
                    renames[old.strip()] = new.strip()
            elif line.startswith(REQUIRES):
                requires = int(line[len(REQUIRES):].strip())
        return Pair(path.stem, "\n".join(lines[:cut]) + "\n", "\n".join(lines[cut + 1:]) + "\n", renames,
                    requires)


def read_pairs(folder) -> list[Pair]:
    """Every pair in ``folder``, by file name."""
    return [Pair.read(p) for p in sorted(Path(folder).glob("*.sql"))]
