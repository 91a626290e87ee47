"""Lint configuration: the ``[tool.workbench.lint]`` table of ``pyproject.toml``.

Every key is optional; the built-in defaults fit a Supabase-style project. A wrong key or
value is a WorkbenchError that names the key.
"""
from __future__ import annotations

import difflib
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterable

from ..errors import WorkbenchError
from .finding import LEVELS

SECTION = "tool.workbench.lint"

MANAGED_SCHEMAS = ("auth", "storage", "realtime", "extensions", "graphql", "graphql_public",
                   "pgbouncer", "pgsodium", "pgsodium_masks", "vault", "supabase_functions",
                   "supabase_migrations", "net", "cron")
SENSITIVE_PATTERNS = ("*password*", "*passwd*", "*secret*", "*token*", "*api_key*", "*apikey*",
                      "*private_key*", "*access_key*", "*credential*")
SENSITIVE_EXEMPT = ("*_hash", "*_hashed", "*_digest", "*_prefix", "*_hint", "*_last4",
                    "*_encrypted", "*_salt")
TENANT_COLUMNS = ("org_id", "organization_id", "tenant_id", "account_id", "workspace_id",
                  "team_id", "user_id")
PER_ROW_FUNCTIONS = ("auth.uid", "auth.jwt", "auth.role", "auth.email", "current_setting")


@dataclass(frozen=True)
class LintConfig:
    """What the advisors check and how loudly. ``source`` says where it was read from."""

    enable: tuple[str, ...] = ()
    disable: tuple[str, ...] = ()
    levels: dict[str, str] = field(default_factory=dict)
    ignore: tuple[str, ...] = ()
    tenant_columns: tuple[str, ...] = TENANT_COLUMNS
    tenant_exempt: tuple[str, ...] = ()
    audit_columns: tuple[str, ...] = ("created_at", "updated_at")
    updated_at_columns: tuple[str, ...] = ("updated_at",)
    updated_at_function: str = "set_updated_at"
    sensitive_patterns: tuple[str, ...] = SENSITIVE_PATTERNS
    sensitive_exempt: tuple[str, ...] = SENSITIVE_EXEMPT
    exposed_schemas: tuple[str, ...] | None = None
    api_roles: tuple[str, ...] = ("anon", "authenticated")
    skip_schemas: tuple[str, ...] = MANAGED_SCHEMAS
    per_row_functions: tuple[str, ...] = PER_ROW_FUNCTIONS
    index_name_pattern: str = "idx_{table}_{columns}"
    plugins: tuple[str, ...] = ()
    source: str = field(default="built-in defaults", compare=False)

    @classmethod
    def from_dict(cls, data: dict, source: str = "a dict") -> LintConfig:
        """A config from a ``[tool.workbench.lint]`` table (unknown or mistyped keys refused)."""
        values = {}
        for key, value in data.items():
            if key not in KINDS:
                raise unknown_key(key, source)
            values[key] = KINDS[key](key, value, source)
        return cls(**values, source=source)

    def updated(self, **changes) -> LintConfig:
        """This config with ``changes`` (checked like file keys)."""
        data = {k: v for k, v in self.as_dict().items() if v is not None}
        data.update(changes)
        return LintConfig.from_dict(data, source=self.source)

    def as_dict(self) -> dict:
        """The settings as plain data (lists and dicts), without ``source``."""
        data = asdict(self)
        data.pop("source")
        return {k: list(v) if isinstance(v, tuple) else v for k, v in data.items()}

    def level_of(self, rule_id: str, default: str) -> str:
        return self.levels.get(rule_id, default)

    def is_enabled(self, rule_id: str, default: bool) -> bool:
        if rule_id in self.disable:
            return False
        return default or rule_id in self.enable


def load_config(path: str | Path | None = None) -> LintConfig:
    """The lint config from ``pyproject.toml``: ``path`` (a file or its folder), else the
    project home's. Without a file or a ``[tool.workbench.lint]`` table: the defaults."""
    file = _pyproject(path)
    if file is None:
        return LintConfig()
    try:
        document = tomllib.loads(file.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise WorkbenchError(f"{file} is not valid TOML: {exc}", where=str(file)) from None
    table = document.get("tool", {}).get("workbench", {}).get("lint")
    if table is None:
        return LintConfig(source=f"{file} (no [{SECTION}], defaults)")
    if not isinstance(table, dict):
        raise WorkbenchError(f"[{SECTION}] must be a table", where=str(file))
    return LintConfig.from_dict(table, source=f"{file} [{SECTION}]")


def _pyproject(path: str | Path | None) -> Path | None:
    if path is None:
        from ..embedded import project_home

        file = project_home() / "pyproject.toml"
        return file if file.is_file() else None
    file = Path(path)
    file = file / "pyproject.toml" if file.is_dir() else file
    if not file.is_file():
        raise WorkbenchError(f"no lint configuration file {file}",
                             hint="pass a pyproject.toml (or its folder), or leave it out for the defaults")
    return file


def check_rule_ids(config: LintConfig, known: Iterable[str]) -> None:
    """A WorkbenchError naming the key when the config mentions a rule that does not exist."""
    known = set(known)
    named = [("enable", r) for r in config.enable] + [("disable", r) for r in config.disable]
    named += [(f"levels.{r}", r) for r in config.levels]
    named += [("ignore", key.partition(":")[0]) for key in config.ignore]
    for key, rule_id in named:
        if rule_id not in known:
            close = difflib.get_close_matches(rule_id, sorted(known), n=3)
            hint = f"did you mean {', '.join(close)}?" if close else "see docs/lint-rules.md"
            raise WorkbenchError(f"lint config {key}: no rule {rule_id!r}",
                                 where=config.source, hint=hint)


def check_value(key: str, value, source: str):
    """``value`` as ``[tool.workbench.lint]`` accepts ``key`` (the same checks, the same
    errors): for another table that overrides a lint setting."""
    if key not in KINDS:
        raise unknown_key(key, source)
    return KINDS[key](key, value, source)


def user_columns(tenant_columns: Iterable[str]) -> tuple[str, ...]:
    """The tenant columns that hold a user (their name says ``user``); the others hold an
    organization-like tenant."""
    return tuple(c for c in tenant_columns if "user" in c.lower())


def unknown_key(key: str, source: str) -> WorkbenchError:
    close = difflib.get_close_matches(key, list(KINDS), n=3)
    hint = f"did you mean {', '.join(close)}?" if close else f"known keys: {', '.join(KINDS)}"
    return WorkbenchError(f"unknown lint config key {key!r}", where=source, hint=hint)


def _bad(key: str, expected: str, value, source: str) -> WorkbenchError:
    return WorkbenchError(f"lint config {key}: expected {expected}, got {value!r}", where=source)


def _strings(key: str, value, source: str) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, (list, tuple)) \
            or not all(isinstance(v, str) and v for v in value):
        raise _bad(key, "a list of non-empty strings", value, source)
    return tuple(value)


def _string(key: str, value, source: str) -> str:
    if not isinstance(value, str) or not value:
        raise _bad(key, "a non-empty string", value, source)
    return value


def _levels(key: str, value, source: str) -> dict[str, str]:
    if not isinstance(value, dict):
        raise _bad(key, "a table of rule id = level", value, source)
    for rule_id, level in value.items():
        if level not in LEVELS:
            raise _bad(f"{key}.{rule_id}", f"one of {', '.join(LEVELS)}", level, source)
    return dict(value)


def _ignore(key: str, value, source: str) -> tuple[str, ...]:
    keys = _strings(key, value, source)
    for item in keys:
        rule_id, sep, digest = item.partition(":")
        if not (rule_id and sep and len(digest) == 10 and set(digest) <= set("0123456789abcdef")):
            raise _bad(key, "finding keys like 'rule_id:0123456789' (see Finding.key)", item, source)
    return keys


def _index_pattern(key: str, value, source: str) -> str:
    text = _string(key, value, source)
    try:
        text.format(table="t", columns="c")
    except (KeyError, IndexError, ValueError):
        raise _bad(key, "a pattern using only {table} and {columns}", value, source) from None
    return text


KINDS = {
    "enable": _strings, "disable": _strings, "levels": _levels, "ignore": _ignore,
    "tenant_columns": _strings, "tenant_exempt": _strings, "audit_columns": _strings,
    "updated_at_columns": _strings, "updated_at_function": _string,
    "sensitive_patterns": _strings, "sensitive_exempt": _strings, "exposed_schemas": _strings,
    "api_roles": _strings, "skip_schemas": _strings, "per_row_functions": _strings,
    "index_name_pattern": _index_pattern, "plugins": _strings,
}
