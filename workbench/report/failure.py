"""How the report words an error that stopped one of its pieces: the error's first line,
without the database password. An error the workbench did not foresee (not a WorkbenchError
or a database error) is named by its type, so a bug reads as a bug, not as a verdict."""
from __future__ import annotations

import psycopg

from ..dsn import scrub
from ..errors import WorkbenchError

FORESEEN = (WorkbenchError, psycopg.Error)


def failure_text(exc: BaseException, dsn: str | None = None) -> str:
    """``exc`` in one line for a failed check, e.g. ``TypeError: probe() got …``."""
    lines = str(exc).strip().splitlines()
    text = lines[0] if lines else ""
    if not isinstance(exc, FORESEEN) or not text:
        text = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    return scrub(text, dsn)
