"""Report settings: the ``[tool.workbench.report]`` table of the project's ``pyproject.toml``.

Keys (all optional):

- ``enable``: checklist items to add (ids of items registered as off by default);
- ``disable``: checklist items to leave out;
- ``types_file``: the application's generated types (relative to the project), checked
  against the head schema;
- ``tenant_columns``: the columns that make a table a tenant table, overriding the one
  source, ``[tool.workbench.lint] tenant_columns`` (checked the same way);
- ``blocking_lock_limit``: how long a statement may hold a lock that blocks reads or writes
  before ``no_long_blocking_locks`` fails (a duration: ``500ms``, ``1s``; default ``1s``);
- ``plugins``: modules to import, which register their own checklist items.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import WorkbenchError
from ..impact.durations import parse_duration
from ..lint.config import check_value

SECTION = ("tool", "workbench", "report")
LISTS = ("enable", "disable", "tenant_columns", "plugins")
KEYS = (*LISTS, "types_file", "blocking_lock_limit")
DEFAULT_LOCK_LIMIT = "1s"


@dataclass(frozen=True)
class ReportConfig:
    """What the report checks. ``source`` says where the settings came from."""

    enable: tuple[str, ...] = ()
    disable: tuple[str, ...] = ()
    types_file: str | None = None
    tenant_columns: tuple[str, ...] | None = None
    plugins: tuple[str, ...] = ()
    blocking_lock_limit: str = DEFAULT_LOCK_LIMIT
    source: str = field(default="built-in defaults", compare=False)

    @property
    def blocking_lock_limit_ms(self) -> float:
        """``blocking_lock_limit`` in milliseconds."""
        return parse_duration(self.blocking_lock_limit)

    @classmethod
    def from_dict(cls, data: dict, source: str = "a dict") -> ReportConfig:
        """Settings from a ``[tool.workbench.report]`` table (unknown keys are refused)."""
        values = {}
        for key, value in data.items():
            if key not in KEYS:
                raise WorkbenchError(f"unknown setting {key!r} in [tool.workbench.report]",
                                     where=source, hint=f"known settings: {', '.join(KEYS)}")
            values[key] = checked(key, value, source)
        return cls(**values, source=source)

    def types_path(self, home: Path) -> Path | None:
        """``types_file`` as a path (relative to ``home``), if set."""
        if not self.types_file:
            return None
        path = Path(self.types_file)
        return path if path.is_absolute() else home / path


def checked(key: str, value, source: str):
    """A setting's value as the config holds it; a clear error when its type is wrong."""
    if key == "tenant_columns":
        return check_value(key, value, f"{source} [tool.workbench.report]")
    if key in LISTS:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise WorkbenchError(f"[tool.workbench.report] {key} must be a list of strings",
                                 where=source)
        return tuple(value)
    if not isinstance(value, str):
        raise WorkbenchError(f"[tool.workbench.report] {key} must be a string", where=source)
    if key == "blocking_lock_limit":
        checked_duration(value, source)
    return value


def checked_duration(value: str, source: str) -> None:
    """A clear error when ``blocking_lock_limit`` is not a duration."""
    try:
        parse_duration(value)
    except WorkbenchError as exc:
        raise WorkbenchError(f"[tool.workbench.report] blocking_lock_limit: {exc.what}",
                             where=source, hint=exc.hint) from None


def load_report_config(path: Path | str | None = None) -> ReportConfig:
    """The report settings of ``path`` (default: the project's ``pyproject.toml``)."""
    from ..embedded import project_home

    file = Path(path) if path else project_home() / "pyproject.toml"
    if not file.is_file():
        return ReportConfig()
    with file.open("rb") as handle:
        data = tomllib.load(handle)
    for key in SECTION:
        data = data.get(key, {}) if isinstance(data, dict) else {}
    return ReportConfig.from_dict(data, source=str(file)) if data else ReportConfig(source=str(file))
