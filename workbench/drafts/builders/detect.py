"""What most tables of a schema already do, read from a snapshot (id type, references,
audit columns, trigger function, membership helpers, grants, policy roles)."""
from __future__ import annotations

from collections import Counter
from typing import Iterable

from ...lint.config import user_columns
from .ops import ColumnDef, Reference

AUDIT_EXTRA = ("created_at", "updated_at", "created_by", "updated_by")
PRIVILEGE_ORDER = ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER")


def tenant_columns(configured: Iterable[str]) -> tuple[str, tuple[str, ...]]:
    """``(user column, org-like columns)`` from the configured tenant columns (``user_id`` or
    ``org_id`` only for a kind the configuration leaves out)."""
    configured = tuple(configured)
    user = next(iter(user_columns(configured)), "user_id")
    orgs = tuple(c for c in configured if c != user) or ("org_id",)
    return user, orgs


def default_column(name: str) -> ColumnDef:
    """An audit column by its name: ``*_by`` a user reference, anything else a timestamp."""
    if name.endswith("_by"):
        return ColumnDef(name, "uuid", default="auth.uid()",
                         references=Reference("auth", "users", ("id",), "SET NULL"))
    return ColumnDef(name, "timestamptz", not_null=True, default="now()")


class SchemaFacts:
    """Majority facts of the base tables of one schema (empty without a snapshot)."""

    def __init__(self, snapshot, schema: str):
        self.snapshot = snapshot
        self.schema = schema
        objects = snapshot.objects if snapshot is not None else None
        self.tables = tuple(t for t in objects.tables
                            if t.schema == schema and t.kind in ("table", "partitioned")
                            ) if objects else ()
        self.functions = tuple(objects.functions) if objects else ()

    def _columns(self, name: str):
        return [c for t in self.tables for c in t.columns if c.name == name]

    def _majority(self, count: int) -> bool:
        return bool(self.tables) and count * 2 > len(self.tables)

    def id_style(self) -> str:
        """``bigint`` when most tables have a bigint identity ``id``, else ``uuid``."""
        styles = Counter("bigint" if c.type == "bigint" and c.identity else c.type
                         for c in self._columns("id"))
        return "bigint" if styles and styles.most_common(1)[0][0] == "bigint" else "uuid"

    def common_column(self, names: Iterable[str]) -> str | None:
        """The one of ``names`` most tables carry."""
        counts = Counter(c.name for t in self.tables for c in t.columns if c.name in names)
        return counts.most_common(1)[0][0] if counts else None

    def reference_of(self, names) -> tuple[Reference | None, str | None]:
        """The usual foreign key target and type of a column (first found of ``names``)."""
        names = (names,) if isinstance(names, str) else tuple(names)
        name = self.common_column(names)
        keys = Counter((fk.ref_schema, fk.ref_table, fk.ref_columns, fk.on_delete)
                       for t in self.tables for fk in t.foreign_keys if fk.columns == (name,))
        types = Counter(c.type for c in self._columns(name)) if name else Counter()
        ref = None
        if keys:
            ref_schema, ref_table, ref_columns, on_delete = keys.most_common(1)[0][0]
            on_delete = None if on_delete == "NO ACTION" else on_delete
            ref = Reference(ref_schema, ref_table, ref_columns, on_delete)
        return ref, (types.most_common(1)[0][0] if types else None)

    def default_of(self, name: str, fallback: str | None) -> str | None:
        """The usual default of column ``name`` (``fallback`` when no table has it)."""
        found = Counter(c.default for c in self._columns(name))
        return found.most_common(1)[0][0] if found else fallback

    def audit_columns(self, configured: Iterable[str]) -> tuple[ColumnDef, ...]:
        """The configured audit columns, and the usual ones most tables carry, as the schema
        defines them (or by their name when no table has them)."""
        configured = tuple(configured)
        chosen = list(configured) + [n for n in AUDIT_EXTRA if n not in configured
                                     and self._majority(len(self._columns(n)))]
        return tuple(self.column_like(n) for n in chosen)

    def column_like(self, name: str) -> ColumnDef:
        """Column ``name`` as most tables define it."""
        shapes = Counter((c.type, c.nullable, c.default) for c in self._columns(name))
        if not shapes:
            return default_column(name)
        (kind, nullable, default) = shapes.most_common(1)[0][0]
        ref, _ = self.reference_of(name)
        return ColumnDef(name, kind, not_null=not nullable, default=default, references=ref)

    def trigger_function(self, name: str) -> tuple[str, str] | None:
        """The function most ``updated_at`` triggers call, else one called ``name``."""
        calls = Counter((g.function_schema, g.function_name) for t in self.tables
                        for g in t.triggers if g.function_name == name)
        if calls:
            return calls.most_common(1)[0][0]
        found = [f for f in self.functions if f.name == name and f.returns == "trigger"]
        found.sort(key=lambda f: f.schema != self.schema)
        return (found[0].schema, found[0].name) if found else None

    def helper(self, admin: bool) -> tuple[str, str] | None:
        """A SECURITY DEFINER set-returning function of the schema listing the user's orgs
        (``admin``: the orgs they administer)."""
        for f in sorted(self.functions, key=lambda f: f.name):
            if (f.schema == self.schema and f.security_definer and "org" in f.name
                    and (f.returns or "").startswith("SETOF") and ("admin" in f.name) == admin):
                return (f.schema, f.name)
        return None

    def memberships(self, org_columns, user_column: str) -> tuple[str, str] | None:
        """A table of the schema linking users to orgs (its name says ``member``)."""
        for t in self.tables:
            names = {c.name for c in t.columns}
            if "member" in t.name and user_column in names and names & set(org_columns):
                return t.key
        return None

    def grants(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """``(role, privileges)`` that most tables grant (owners and PUBLIC left out)."""
        counts = Counter((g.grantee, g.privilege) for g in self.snapshot.objects.grants
                         if g.object_type != "column" and (g.schema, g.name) in {t.key for t in self.tables}
                         and g.grantee != "PUBLIC" and g.grantee != g.grantor
                         ) if self.tables else Counter()
        kept: dict[str, list[str]] = {}
        for (role, privilege), count in sorted(counts.items()):
            if self._majority(count) and privilege in PRIVILEGE_ORDER:
                kept.setdefault(role, []).append(privilege)
        return tuple((role, tuple(sorted(p, key=PRIVILEGE_ORDER.index))) for role, p in kept.items())

    def policy_roles(self) -> tuple[str, ...]:
        """The roles most policies of the schema are for (``authenticated`` by default)."""
        roles = Counter(p.roles for t in self.tables for p in t.policies)
        return roles.most_common(1)[0][0] if roles else ("authenticated",)
