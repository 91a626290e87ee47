"""The demo databases the workbench can build, and the files that define them."""
from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..errors import WorkbenchError
from .shim import SHIM_FILE
from .sqlfiles import fingerprint

GENERATOR_FILES = ("gen_hash.sql", "gen_common.sql")
FORMAT = 2  # bump when the build procedure itself changes (2: VACUUM ANALYZE until all-visible)


@dataclass(frozen=True)
class Demo:
    """One demo: its name, the schema its tables live in, and its SQL files."""

    name: str
    schema: str
    description: str

    @property
    def schema_file(self) -> str:
        return f"{self.name}_schema.sql"

    @property
    def data_file(self) -> str:
        return f"{self.name}_data.sql"

    @property
    def drop_file(self) -> str:
        return f"{self.name}_drop.sql"

    @property
    def workload_file(self) -> str:
        return f"{self.name}_workload.sql"

    @property
    def version(self) -> str:
        """Changes whenever the schema, the data generator or the shim changes."""
        files = (SHIM_FILE, self.schema_file, *GENERATOR_FILES, self.data_file)
        return f"{FORMAT}-{fingerprint(*files)}"


NURSERY = Demo("nursery", "nursery", "a multi-tenant plant nursery business")
AGENT = Demo("agent", "agent", "a coding-agent platform, user-scoped")

_BY_NAME = {demo.name: demo for demo in (NURSERY, AGENT)}
DEMOS: tuple[str, ...] = tuple(_BY_NAME)


def get_demo(name: str) -> Demo:
    """The demo called ``name``; a clear error for unknown names."""
    try:
        return _BY_NAME[name]
    except (KeyError, TypeError):
        raise WorkbenchError(f"unknown demo database {name!r}",
                             hint=f"choose one of: {', '.join(DEMOS)}") from None


def demo_workload(name: str = "nursery") -> Path:
    """The path of a demo's app workload: its queries as captured from the app, one statement
    each, labelled and weighted by comments (for :func:`workbench.indexes.queries_from_file`)."""
    path = workload_path(get_demo(name))
    if not path.is_file():
        having = [d for d in DEMOS if workload_path(get_demo(d)).is_file()]
        raise WorkbenchError(f"the {name} demo has no workload", hint=f"demos with one: {', '.join(having)}")
    return path


def workload_path(demo: Demo) -> Path:
    return Path(str(resources.files(__package__).joinpath("sql", demo.workload_file)))
