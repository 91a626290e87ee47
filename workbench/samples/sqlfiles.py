"""The SQL files shipped with the samples: read them, split them into steps, fingerprint them."""
from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import resources

STEP_MARKER = "-- step: "


def read_sql(name: str) -> str:
    """The text of ``sql/<name>`` inside this package."""
    return resources.files(__package__).joinpath("sql", name).read_text(encoding="utf-8")


def steps(name: str) -> list[tuple[str, str]]:
    """The ``-- step: NAME`` sections of a SQL file, in order, as (name, sql) pairs.

    Text before the first marker (the file's header comment) is dropped.
    """
    found: list[tuple[str, list[str]]] = []
    for line in read_sql(name).splitlines(keepends=True):
        if line.startswith(STEP_MARKER) and len(line.split()) == 3:
            found.append((line.split()[2], []))
        elif found:
            found[-1][1].append(line)
    return [(step, "".join(lines)) for step, lines in found]


@lru_cache(maxsize=None)
def fingerprint(*names: str) -> str:
    """A short hash of the given SQL files: changes whenever one of them changes."""
    digest = hashlib.sha256()
    for name in names:
        digest.update(name.encode())
        digest.update(read_sql(name).encode())
    return digest.hexdigest()[:12]
