"""Renames: what the user says was renamed becomes ``RENAME``, never a drop and an add.

``Renames.of({"public.old": "public.new", "public.t.old_col": "new_col"})`` reads the names as
SQL reads them (quotes kept). The planner then works on a copy of *before* in which the
renamed objects already carry their new names, their references rewritten through pglast,
so nothing else about them counts as a change. A removed and an added object of the same
shape that were not named become a question: rename, or drop and add?
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher

import pglast
from pglast import ast
from pglast.stream import RawStream
from pglast.visitors import Visitor

from ..catalog.model import ForeignKey, Table
from ..catalog.names import parse_name
from . import phases
from .model import DiffError, Question
from .sqltext import qualified, quote_ident, strip_semicolon


@dataclass(frozen=True)
class Renames:
    """Table renames ``{(schema, old): (schema, new)}`` and column renames
    ``{((schema, table), old): new}`` (the table named as it is before any table rename);
    ``sequences`` are the sequences that move with their table to another schema,
    ``{(schema, name): new schema}`` (found by :meth:`apply`)."""

    tables: dict = field(default_factory=dict)
    columns: dict = field(default_factory=dict)
    sequences: dict = field(default_factory=dict)

    @staticmethod
    def of(mapping: dict | None, before, after) -> Renames:
        """Read and check a user's mapping against both snapshots."""
        tables, columns = {}, {}
        for old, new in (mapping or {}).items():
            parts = name_parts(old)
            if len(parts) == 2:
                target = name_parts(new)
                target = (parts[0], target[0]) if len(target) == 1 else tuple(target)
                tables[tuple(parts)] = target
            elif len(parts) == 3:
                columns[((parts[0], parts[1]), parts[2])] = name_parts(new)[-1]
            else:
                raise DiffError(f"cannot read the rename {old!r}",
                                hint="write schema.table (a table) or schema.table.column (a column)")
        renames = Renames(tables, columns)
        renames.check(before, after)
        return renames

    def check(self, before, after) -> None:
        old_keys = {t.key for t in before.objects.tables}
        new_keys = {t.key for t in after.objects.tables}
        for old, new in self.tables.items():
            if old not in old_keys:
                raise DiffError(f"rename {'.'.join(old)}: no such table in the current schema",
                                hint="name the table as it is now (schema.table)")
            if new not in new_keys:
                raise DiffError(f"rename to {'.'.join(new)}: no such table in the desired schema",
                                hint="name the table as it should be (schema.table)")
        for (table, old), new in self.columns.items():
            found = next((t for t in before.objects.tables if t.key == table), None)
            if found is None or old not in {c.name for c in found.columns}:
                raise DiffError(f"rename {'.'.join(table)}.{old}: no such column in the current schema",
                                hint="name the column as it is now (schema.table.column)")
            target = next((t for t in after.objects.tables if t.key == self.tables.get(table, table)), None)
            if target is None or new not in {c.name for c in target.columns}:
                raise DiffError(f"rename to column {new!r} of {'.'.join(table)}: not in the desired schema",
                                hint="give the column's new name as the desired schema has it")

    def inverse(self) -> Renames:
        """The renames that undo these (for the down direction)."""
        tables = {new: old for old, new in self.tables.items()}
        columns = {(self.tables.get(table, table), new): old for (table, old), new in self.columns.items()}
        return Renames(tables, columns)

    def __bool__(self) -> bool:
        return bool(self.tables or self.columns)

    # --- the renamed copy of *before* ----------------------------------------------------

    def apply(self, schema, planner_side: str = "before"):
        """``schema`` with the renamed tables and columns under their new names, and the
        sequences they own in the schema they move to."""
        if not self:
            return schema
        moved = {(s.schema, s.name): self.tables[s.owned_by[:2]][0] for s in schema.objects.sequences
                 if s.owned_by and s.owned_by[:2] in self.tables
                 and self.tables[s.owned_by[:2]][0] != s.schema}
        renames = replace(self, sequences=moved)
        tables = tuple(renames.table(t) for t in schema.objects.tables)
        sequences = tuple(renames.sequence(s) for s in schema.objects.sequences)
        return replace(schema, objects=replace(schema.objects, tables=tables, sequences=sequences))

    def sequence(self, sequence):
        """A sequence moved with its table, owned by the table's and column's new names."""
        if not sequence.owned_by or sequence.owned_by[:2] not in self.tables:
            return sequence
        schema, table, column = sequence.owned_by
        new_schema, new_table = self.tables[(schema, table)]
        new_column = self.column_map((schema, table)).get(column, column)
        return replace(sequence, schema=self.sequences.get((sequence.schema, sequence.name), sequence.schema),
                       owned_by=(new_schema, new_table, new_column))

    def column_map(self, key) -> dict:
        return {old: new for (table, old), new in self.columns.items() if table == key}

    def table(self, table: Table) -> Table:
        """One table with every renamed name it holds or refers to replaced."""
        key = table.key
        new_key = self.tables.get(key, key)
        columns = self.column_map(key)
        rewrite = lambda text: self.sql(text, columns)  # noqa: E731
        parts = dict(
            schema=new_key[0], name=new_key[1],
            columns=tuple(replace(c, name=columns.get(c.name, c.name), default=rewrite(c.default),
                                  generated=rewrite(c.generated)) for c in table.columns),
            inherits=tuple(self.tables.get(tuple(x), tuple(x)) for x in table.inherits),
            constraints=tuple(self.constraint(c, new_key, columns) for c in table.constraints),
            indexes=tuple(replace(i, schema=new_key[0], table=new_key[1],
                                  definition=self.sql(i.definition, columns, qualified=True),
                                  columns=tuple(columns.get(x, x) for x in i.columns),
                                  include=tuple(columns.get(x, x) for x in i.include),
                                  predicate=rewrite(i.predicate)) for i in table.indexes),
            policies=tuple(replace(p, schema=new_key[0], table=new_key[1], using=rewrite(p.using),
                                   with_check=rewrite(p.with_check)) for p in table.policies),
            triggers=tuple(replace(g, schema=new_key[0], table=new_key[1], definition=rewrite(g.definition))
                           for g in table.triggers),
            partition_of=self.tables.get(tuple(table.partition_of), table.partition_of)
            if table.partition_of else None,
        )
        if table.view is not None:
            parts["view"] = replace(table.view, schema=new_key[0], name=new_key[1],
                                    definition=self.sql(table.view.definition, {}))
        return replace(table, **parts)

    def constraint(self, constraint, new_key, columns: dict):
        changes = dict(schema=new_key[0], table=new_key[1],
                       columns=tuple(columns.get(c, c) for c in constraint.columns))
        ref_columns = {}
        if isinstance(constraint, ForeignKey):
            ref = constraint.ref_key
            ref_columns = self.column_map(ref)
            new_ref = self.tables.get(ref, ref)
            changes.update(ref_schema=new_ref[0], ref_table=new_ref[1],
                           ref_columns=tuple(ref_columns.get(c, c) for c in constraint.ref_columns))
        changes["definition"] = self.constraint_sql(constraint.definition, columns, ref_columns)
        return replace(constraint, **changes)

    def sql(self, text: str | None, columns: dict, *, qualified: bool = False) -> str | None:
        """``text`` (a statement or an expression) with renamed tables and ``columns`` renamed.
        Tables are named as PostgreSQL prints them: ``public`` left out, unless ``qualified``
        (index definitions always name the schema)."""
        if text is None or not self or not self.may_name(text, columns):
            return text
        for wrap in ("{}", "SELECT {}"):
            try:
                tree = pglast.parse_sql(wrap.format(strip_semicolon(text)))
            except pglast.parser.ParseError:
                continue
            visitor = _Rename(self.tables, columns, qualified, self.sequences)
            visitor(tree)
            if not visitor.changed:
                return text  # as PostgreSQL printed it
            printed = RawStream()(tree)
            return printed[len("SELECT "):] if wrap != "{}" else printed
        return text

    def may_name(self, text: str, columns: dict) -> bool:
        """Whether ``text`` may name something renamed (a quick look before parsing it)."""
        names = [old for _, old in self.tables] + list(columns) + [name for _, name in self.sequences]
        return any(name in text for name in names)

    def constraint_sql(self, definition: str, columns: dict, ref_columns: dict) -> str:
        tree = pglast.parse_sql(f"ALTER TABLE t ADD CONSTRAINT c {definition}")
        node = tree[0].stmt.cmds[0].def_
        _Rename(self.tables, columns)(node)
        for names, mapping in ((node.keys, columns), (node.fk_attrs, columns), (node.pk_attrs, ref_columns),
                               (node.including, columns)):
            for name in names or ():
                if isinstance(name, ast.String) and name.sval in mapping:
                    name.sval = mapping[name.sval]
        text = RawStream()(node)
        return text[len("CONSTRAINT c "):] if text.startswith("CONSTRAINT c ") else text

    # --- statements ----------------------------------------------------------------------

    def emit(self, planner) -> None:
        """``RENAME`` statements, first in the migration."""
        for (schema, old), (new_schema, new) in sorted(self.tables.items()):
            name = qualified(schema, old)
            if new != old:
                planner.emit(phases.RENAME, f"ALTER TABLE {name} RENAME TO {quote_ident(new)};", name)
                name = qualified(schema, new)
            if new_schema != schema:
                planner.emit(phases.RENAME, f"ALTER TABLE {name} SET SCHEMA {quote_ident(new_schema)};",
                             name, order=1)
        for (table, old), new in sorted(self.columns.items()):
            where = qualified(*self.tables.get(table, table))
            planner.emit(phases.RENAME, f"ALTER TABLE {where} RENAME COLUMN {quote_ident(old)} TO "
                         f"{quote_ident(new)};", where, order=2)


class _Rename(Visitor):
    """Renames tables, columns and moved sequences in a parsed statement; ``changed`` tells
    whether it renamed anything."""

    def __init__(self, tables: dict, columns: dict, qualified: bool = False, sequences: dict | None = None):
        super().__init__()
        self.tables, self.columns, self.qualified = tables, columns, qualified
        self.sequences = sequences or {}
        self.changed = False

    def visit_RangeVar(self, ancestors, node: ast.RangeVar):
        for (schema, old), (new_schema, new) in self.tables.items():
            if node.relname == old and node.schemaname in (schema, None if schema == "public" else schema):
                self.changed = True
                node.relname = new
                if new_schema != "public" or self.qualified:
                    node.schemaname = new_schema
                elif schema != "public":  # into public, which PostgreSQL prints bare
                    node.schemaname = None
                return

    def visit_ColumnRef(self, ancestors, node: ast.ColumnRef):
        last = node.fields[-1]
        if isinstance(last, ast.String) and last.sval in self.columns:
            last.sval = self.columns[last.sval]
            self.changed = True
        if len(node.fields) >= 2 and isinstance(node.fields[-2], ast.String):
            qualifier = node.fields[-2]
            for (_, old), (_, new) in self.tables.items():
                if qualifier.sval == old:
                    qualifier.sval = new
                    self.changed = True
                    break

    def visit_TypeCast(self, ancestors, node: ast.TypeCast):
        """``'schema.sequence'::regclass`` (a serial column's default) of a moved sequence."""
        if not self.sequences or node.typeName.names[-1].sval != "regclass":
            return
        value = getattr(node.arg, "val", None)
        if not isinstance(value, ast.String):
            return
        name = parse_name(value.sval)
        if name is None:
            return
        key = (name[0] or "public", name[1])
        if key in self.sequences:
            schema = self.sequences[key]  # as PostgreSQL prints it: bare in public
            value.sval = quote_ident(name[1]) if schema == "public" else qualified(schema, name[1])
            self.changed = True

    def visit_IndexElem(self, ancestors, node: ast.IndexElem):
        if node.name in self.columns:
            node.name = self.columns[node.name]
            self.changed = True


def name_parts(text: str) -> list[str]:
    """``a.b.c`` read as SQL reads a dotted name (quoted parts kept as written)."""
    try:
        target = pglast.parse_sql(f"SELECT {text}")[0].stmt.targetList[0].val
    except (pglast.parser.ParseError, AttributeError, IndexError):
        target = None
    if not isinstance(target, ast.ColumnRef) or not all(isinstance(f, ast.String) for f in target.fields):
        raise DiffError(f"cannot read the name {text!r}",
                        hint='write it as SQL does: schema.table, schema.table.column, "Quoted Name"')
    return [f.sval for f in target.fields]


# --- questions -------------------------------------------------------------------------------

def questions_between(before, after, renames: Renames) -> tuple[Question, ...]:
    """Removed and added objects of the same shape that ``renames`` does not settle."""
    found = []
    old = {t.key: t for t in before.objects.tables if t.key not in renames.tables}
    new = {t.key: t for t in after.objects.tables if t.key not in set(renames.tables.values())}
    gone, came = [old[k] for k in old.keys() - new.keys()], [new[k] for k in new.keys() - old.keys()]
    for table in sorted(gone, key=lambda t: t.key):
        matches = [t for t in came if t.kind == table.kind and shape(t) == shape(table)]
        if len(matches) == 1:
            found.append(Question("table", ".".join(table.key), ".".join(matches[0].key),
                                  ".".join(table.key), ".".join(matches[0].key)))
    for key in sorted(old.keys() & new.keys()):
        found += column_questions(old[key], new[key], renames)
    return tuple(found)


def shape(table: Table) -> tuple:
    """A table's columns and types, in name order: what a rename keeps."""
    return tuple(sorted((c.name, c.type) for c in table.columns))


def column_questions(old: Table, new: Table, renames: Renames) -> list[Question]:
    """Columns of one table removed and added with the same type: possible renames."""
    settled = renames.column_map(old.key)
    was = {c.name: c for c in old.columns if c.name not in settled}
    now = {c.name: c for c in new.columns if c.name not in settled.values()}
    gone = [was[n] for n in was.keys() - now.keys()]
    came = [now[n] for n in now.keys() - was.keys()]
    asked = []
    for column in sorted(gone, key=lambda c: c.name):
        matches = [c for c in came if c.type == column.type]
        best = likeliest(column.name, [c.name for c in matches])
        if best is not None:
            came = [c for c in came if c.name != best]
            asked.append(Question("column", f"{old.schema}.{old.name}.{column.name}",
                                  f"{new.schema}.{new.name}.{best}",
                                  f"{old.schema}.{old.name}.{column.name}", best))
    return asked


def likeliest(name: str, candidates: list[str]) -> str | None:
    """The candidate most like ``name`` (the only one, or the clearly closest spelling)."""
    if len(candidates) <= 1:
        return candidates[0] if candidates else None
    scored = sorted(((SequenceMatcher(None, name, c).ratio(), c) for c in candidates), reverse=True)
    (first, best), (second, _) = scored[0], scored[1]
    return best if first >= 0.5 and first - second >= 0.15 else None
