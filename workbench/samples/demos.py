"""The demo databases the workbench can build, and the files that define them."""
from __future__ import annotations

from dataclasses import dataclass

from ..errors import WorkbenchError
from .shim import SHIM_FILE
from .sqlfiles import fingerprint

GENERATOR_FILE = "gen_common.sql"
FORMAT = 1  # bump when the build procedure itself changes


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
    def version(self) -> str:
        """Changes whenever the schema, the data generator or the shim changes."""
        files = (SHIM_FILE, self.schema_file, GENERATOR_FILE, self.data_file)
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
