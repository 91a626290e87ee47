"""The SQL files shipped with the samples: read them, split them into steps, fingerprint them."""
from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from importlib import resources

STEP_MARKER = re.compile(r"^-- step: (\S+)\s*$", re.MULTILINE)


def read_sql(name: str) -> str:
    """The text of ``sql/<name>`` inside this package."""
    return resources.files(__package__).joinpath("sql", name).read_text(encoding="utf-8")


def steps(name: str) -> list[tuple[str, str]]:
    """The ``-- step: NAME`` sections of a SQL file, in order, as (name, sql) pairs.

    Text before the first marker (the file's header comment) is dropped.
    """
    text = read_sql(name)
    marks = list(STEP_MARKER.finditer(text))
    return [(mark.group(1), text[mark.end():marks[i + 1].start() if i + 1 < len(marks) else len(text)])
            for i, mark in enumerate(marks)]


@lru_cache(maxsize=None)
def fingerprint(*names: str) -> str:
    """A short hash of the given SQL files: changes whenever one of them changes."""
    digest = hashlib.sha256()
    for name in names:
        digest.update(name.encode())
        digest.update(read_sql(name).encode())
    return digest.hexdigest()[:12]
