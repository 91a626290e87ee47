"""Builders: Drafts for common schema changes, with every identifier quoted.

Each builder is a plain function returning a :class:`~workbench.drafts.Draft` (up and down
SQL, re-parsed before it is returned). Behind them are operations (:mod:`.ops`: data that
knows its reverse) rendered to SQL by :mod:`.render`.
"""
from __future__ import annotations

from .columns import add_column, alter_column, drop_column, rename_column, rename_table
from .compose import draft_of
from .constraints import add_check, add_foreign_key, add_index, add_unique
from .conventions import Conventions, conventions_of
from .free import free_sql
from .ops import ColumnDef, Reference
from .policies import TEMPLATES, alter_policy, create_policy, enable_rls, rls_policies
from .tables import column, create_table

BUILDERS = {
    "create_table": create_table, "add_column": add_column, "alter_column": alter_column,
    "drop_column": drop_column, "rename_column": rename_column, "rename_table": rename_table,
    "add_index": add_index, "add_foreign_key": add_foreign_key, "add_check": add_check,
    "add_unique": add_unique, "enable_rls": enable_rls, "rls_policies": rls_policies,
    "create_policy": create_policy, "alter_policy": alter_policy, "free_sql": free_sql,
}

__all__ = [*BUILDERS, "BUILDERS", "TEMPLATES", "Conventions", "conventions_of", "column",
           "ColumnDef", "Reference", "draft_of"]
