"""The team's conventions for drafting: the advisors' ``[tool.workbench.lint]`` settings.

Builders and safety checks read the same tenant and audit columns the advisors check, from
the lint configuration loader; when the advisors are not installed, the built-in defaults
below stand in.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DraftingDefaults:
    """The settings drafting needs, with the advisors' defaults (used without ``workbench.lint``)."""

    tenant_columns: tuple[str, ...] = ("org_id", "user_id")
    tenant_exempt: tuple[str, ...] = ()
    audit_columns: tuple[str, ...] = ("created_at", "updated_at")
    updated_at_columns: tuple[str, ...] = ("updated_at",)
    updated_at_function: str = "set_updated_at"
    skip_schemas: tuple[str, ...] = ("auth", "storage", "realtime", "extensions")
    api_roles: tuple[str, ...] = ("anon", "authenticated")
    source: str = "built-in drafting defaults"


def team_config(config=None):
    """``config`` when given, else the project's lint configuration (or the defaults)."""
    if config is not None:
        return config
    try:
        from ..lint.config import load_config
    except ImportError:
        return DraftingDefaults()
    return load_config()
