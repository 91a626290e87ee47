"""The conventions a new table follows: id style, tenant columns, audit columns, trigger,
membership helpers, grants and policy roles.

:func:`conventions_of` reads them from the team's config (``[tool.workbench.lint]``: tenant and
audit columns) and, when a snapshot is given, from what most tables of the schema already do;
every field can be overridden with ``dataclasses.replace``.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..teamconfig import team_config
from . import detect
from .ops import ColumnDef, Reference

AUTH_USERS = Reference("auth", "users", ("id",), "CASCADE")


@dataclass(frozen=True)
class Conventions:
    """How a new table of ``schema`` is shaped. Functions are ``(schema, name)`` pairs;
    ``None`` where the schema has none yet (the builder creates what it needs)."""

    schema: str
    id_style: str = "uuid"
    org_column: str = "org_id"
    org_type: str = "uuid"
    org_reference: Reference | None = None
    user_column: str = "user_id"
    user_type: str = "uuid"
    user_reference: Reference = AUTH_USERS
    user_default: str | None = "auth.uid()"
    audit_columns: tuple[ColumnDef, ...] = ()
    updated_at_column: str | None = "updated_at"
    updated_at_function: tuple[str, str] | None = None
    updated_at_function_name: str = "set_updated_at"
    member_helper: tuple[str, str] | None = None
    admin_helper: tuple[str, str] | None = None
    memberships: tuple[str, str] | None = None
    grants: tuple[tuple[str, tuple[str, ...]], ...] = ()
    policy_roles: tuple[str, ...] = ("authenticated",)

    @property
    def org_target(self) -> Reference:
        """What the org column references (``<schema>.organizations(id)`` unless known)."""
        return self.org_reference or Reference(self.schema, "organizations", ("id",), "CASCADE")


def conventions_of(snapshot=None, schema: str = "public", config=None) -> Conventions:
    """The conventions for a new table in ``schema``: from ``config`` (default: the project's
    lint config) and, with a ``snapshot``, from the schema's existing tables."""
    config = team_config(config)
    user_col, org_col = detect.tenant_columns(config.tenant_columns)
    facts = detect.SchemaFacts(snapshot, schema)
    id_style = facts.id_style()
    org_ref, org_type = facts.reference_of(org_col)
    user_ref, user_type = facts.reference_of(user_col)
    return Conventions(
        schema=schema, id_style=id_style,
        org_column=facts.common_column(org_col) or org_col[0],
        org_type=org_type or ("bigint" if id_style == "bigint" else "uuid"),
        org_reference=org_ref,
        user_column=user_col, user_type=user_type or "uuid",
        user_reference=user_ref or AUTH_USERS,
        user_default=facts.default_of(user_col, "auth.uid()"),
        audit_columns=facts.audit_columns(config.audit_columns),
        updated_at_column=config.updated_at_columns[0] if config.updated_at_columns else None,
        updated_at_function=facts.trigger_function(config.updated_at_function),
        updated_at_function_name=config.updated_at_function,
        member_helper=facts.helper(admin=False), admin_helper=facts.helper(admin=True),
        memberships=facts.memberships(org_col, user_col),
        grants=facts.grants(), policy_roles=facts.policy_roles())
