"""What changed between two snapshots: objects added, removed or changed, and which fields.

``diff(before, after)`` compares schemas, extensions, enums, sequences, tables (with their
columns, constraints, indexes, policies, triggers and view definitions), functions, grants
and default privileges. Volatile facts (row estimates, sizes) never count as changes; a
rename shows as one object removed and one added.
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Callable, Iterable

from .model import Table

ACTIONS = ("added", "removed", "changed")
TABLE_PARTS = ("columns", "constraints", "indexes", "policies", "triggers")
PART_KINDS = {"columns": "column", "constraints": "constraint", "indexes": "index",
              "policies": "policy", "triggers": "trigger"}


@dataclass(frozen=True)
class Change:
    """One object ``added``, ``removed`` or ``changed`` (then ``fields`` names what differs)."""

    action: str
    kind: str
    name: str
    before: object | None = None
    after: object | None = None
    fields: tuple[str, ...] = ()

    def __str__(self) -> str:
        detail = f" ({', '.join(self.fields)})" if self.fields else ""
        return f"{self.action} {self.kind} {self.name}{detail}"


@dataclass(frozen=True)
class SchemaDiff:
    """The changes from one snapshot to another, in a stable order."""

    changes: tuple[Change, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.changes)

    def __len__(self) -> int:
        return len(self.changes)

    def __iter__(self):
        return iter(self.changes)

    @property
    def added(self) -> tuple[Change, ...]:
        return self.where(action="added")

    @property
    def removed(self) -> tuple[Change, ...]:
        return self.where(action="removed")

    @property
    def changed(self) -> tuple[Change, ...]:
        return self.where(action="changed")

    def where(self, *, action: str | None = None, kind: str | None = None) -> tuple[Change, ...]:
        """The changes with this action and/or of this kind (``"table"``, ``"column"``…)."""
        return tuple(c for c in self.changes
                     if (action is None or c.action == action) and (kind is None or c.kind == kind))

    def frame(self):
        """DataFrame: action, kind, name, fields (one row per change)."""
        import pandas as pd

        return pd.DataFrame([{"action": c.action, "kind": c.kind, "name": c.name,
                              "fields": ", ".join(c.fields)} for c in self.changes],
                            columns=["action", "kind", "name", "fields"])

    def summary_text(self) -> str:
        """One line per change, or ``no changes``."""
        return "\n".join(map(str, self.changes)) or "no changes"

    def to_dict(self) -> list[dict]:
        """The changes as plain data (without the objects themselves)."""
        return [{"action": c.action, "kind": c.kind, "name": c.name, "fields": list(c.fields)}
                for c in self.changes]

    def __repr__(self) -> str:
        counts = ", ".join(f"{len(self.where(action=a))} {a}" for a in ACTIONS)
        return f"<SchemaDiff {counts}>"

    def _repr_html_(self) -> str:
        return self.frame().to_html(index=False)


def diff(before, after) -> SchemaDiff:
    """The changes that turn snapshot ``before`` into snapshot ``after``."""
    old, new = before.objects, after.objects
    changes = [
        *compare("schema", old.schemas, new.schemas, lambda s: s.name),
        *compare("extension", old.extensions, new.extensions, lambda e: e.name),
        *compare("enum", old.enums, new.enums, qualified_name),
        *compare("sequence", old.sequences, new.sequences, qualified_name),
        *table_changes(old.tables, new.tables),
        *compare("function", old.functions, new.functions, lambda f: f.signature),
        *compare("grant", old.grants, new.grants, grant_name),
        *compare("default privilege", old.default_privileges, new.default_privileges,
                 default_privilege_name),
    ]
    return SchemaDiff(tuple(changes))


def table_changes(before: Iterable[Table], after: Iterable[Table]) -> list[Change]:
    """Tables added or removed, then for each table in both: its own and its parts' changes."""
    old, new = {t.key: t for t in before}, {t.key: t for t in after}
    changes = compare("table", [old[k] for k in old.keys() - new.keys()],
                      [new[k] for k in new.keys() - old.keys()], qualified_name)
    for key in sorted(old.keys() & new.keys()):
        changes += changes_within(old[key], new[key])
    return changes


def changes_within(old: Table, new: Table) -> list[Change]:
    """How one table changed: its own fields, its view definition, and each of its parts."""
    name = qualified_name(new)
    own = differing(old, new, skip=(*TABLE_PARTS, "view"))
    if [c.name for c in old.columns] != [c.name for c in new.columns] and \
            {c.name for c in old.columns} == {c.name for c in new.columns}:
        own += ("column order",)
    changes = [Change("changed", "table", name, old, new, own)] if own else []
    changes += compare("view", [old.view] if old.view else [], [new.view] if new.view else [],
                       qualified_name)
    for part in TABLE_PARTS:
        changes += compare(PART_KINDS[part], getattr(old, part), getattr(new, part),
                           lambda item, table=name: f"{table}.{item.name}")
    return changes


def compare(kind: str, before: Iterable, after: Iterable,
            name: Callable[[object], str]) -> list[Change]:
    """Changes between two collections of one kind, matched by ``name``, sorted by it."""
    old, new = {name(o): o for o in before}, {name(o): o for o in after}
    changes = [Change("removed", kind, n, before=old[n]) for n in old.keys() - new.keys()]
    changes += [Change("added", kind, n, after=new[n]) for n in new.keys() - old.keys()]
    changes += [Change("changed", kind, n, old[n], new[n], differing(old[n], new[n]))
                for n in old.keys() & new.keys() if old[n] != new[n]]
    return sorted(changes, key=lambda c: (c.name, ACTIONS.index(c.action)))


def differing(old, new, skip: Iterable[str] = ()) -> tuple[str, ...]:
    """The compared fields whose values differ (and ``kind of object`` when the classes do)."""
    names = [f.name for f in fields(new) if f.compare and f.name not in skip]
    found = tuple(n for n in names if getattr(old, n, None) != getattr(new, n, None))
    return found if type(old) is type(new) else ("kind of object", *found)


def qualified_name(item) -> str:
    """``schema.name``."""
    return f"{item.schema}.{item.name}"


def grant_name(grant) -> str:
    """A grant as words: ``SELECT ON table app.orders TO reader``."""
    grantable = " WITH GRANT OPTION" if grant.grantable else ""
    on = f"{grant.object_type} {grant.schema}.{grant.name}"
    if grant.column is not None:
        on += f".{grant.column}"
    return f"{grant.privilege} ON {on} TO {grant.grantee}{grantable}"


def default_privilege_name(item) -> str:
    """A default privilege as words: ``for app_owner in app: GRANT SELECT ON tables TO reader``."""
    where = f" in {item.schema}" if item.schema else ""
    grantable = " WITH GRANT OPTION" if item.grantable else ""
    verb, to = ("REVOKE", "FROM") if item.revoked else ("GRANT", "TO")
    return (f"for {item.role}{where}: {verb} {item.privilege} ON {item.object_type}s {to} "
            f"{item.grantee}{grantable}")
