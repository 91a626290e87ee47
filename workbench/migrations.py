"""The project's Alembic history: where it lives, its revisions in order, and running them."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

from .errors import WorkbenchError


MIGRATIONS_ENV = "WORKBENCH_MIGRATIONS"


def default_migrations_dir() -> Path:
    """``WORKBENCH_MIGRATIONS`` when set (tests point it at a copy), else ``migrations/``."""
    import os

    from .embedded import project_home

    if os.environ.get(MIGRATIONS_ENV):
        return Path(os.environ[MIGRATIONS_ENV])
    return project_home() / "migrations"


def alembic_config(migrations_dir: Path, dsn: str | None = None) -> Config:
    """An Alembic Config for ``migrations_dir``, pointed at ``dsn``, quiet by default."""
    ini = migrations_dir.parent / "alembic.ini"
    config = Config(str(ini) if ini.exists() else None)
    config.set_main_option("script_location", str(migrations_dir))
    config.set_main_option("path_separator", "os")
    config.attributes["configure_logger"] = False
    if dsn:
        config.attributes["dsn"] = dsn
    logging.getLogger("alembic").setLevel(logging.WARNING)
    return config


@dataclass(frozen=True)
class Revision:
    """One revision of the history: its id, parent, title and file."""

    id: str
    down: str | None
    title: str
    path: Path


class ScriptHistory:
    """The revisions of one migrations folder, oldest first."""

    def __init__(self, migrations_dir: Path):
        if not (migrations_dir / "env.py").exists():
            raise WorkbenchError("not an Alembic migrations folder (no env.py)", where=str(migrations_dir),
                                 hint="pass the folder that holds env.py and versions/")
        self.migrations_dir = migrations_dir
        self.versions_dir = migrations_dir / "versions"
        self.versions_dir.mkdir(exist_ok=True)
        self.script = ScriptDirectory.from_config(alembic_config(migrations_dir))

    def heads(self) -> tuple[str, ...]:
        return tuple(self.script.get_heads())

    def single_head(self) -> str | None:
        """The one head (None for an empty history); two heads is an error."""
        heads = self.heads()
        if len(heads) > 1:
            raise WorkbenchError(f"the history has {len(heads)} heads: {', '.join(heads)}",
                                 where=str(self.versions_dir),
                                 hint="merge them first (alembic merge heads)")
        return heads[0] if heads else None

    def revisions(self) -> list[Revision]:
        """Every revision, from the first to the head."""
        scripts = reversed(list(self.script.walk_revisions()))
        return [Revision(s.revision, _single(s.down_revision), (s.doc or "").strip(), Path(s.path))
                for s in scripts]


def upgrade(migrations_dir: Path, dsn: str, target: str = "head") -> None:
    command.upgrade(alembic_config(migrations_dir, dsn), target)


def downgrade(migrations_dir: Path, dsn: str, target: str) -> None:
    command.downgrade(alembic_config(migrations_dir, dsn), target)


def _single(down) -> str | None:
    if isinstance(down, (tuple, list)):
        return down[0] if down else None
    return down
