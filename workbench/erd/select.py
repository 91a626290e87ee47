"""Choosing what to draw: which tables and relationships, how many columns, what was left out.

The result, a :class:`Selection`, is what every renderer (DOT, Mermaid, DBML) draws from,
so all formats show the same tables and relationships.
"""
from __future__ import annotations

import difflib
from collections import deque
from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import cached_property
from typing import Any, Callable, Iterable

from ..catalog import Column, Table
from ..errors import WorkbenchError
from .columns import markers, shown_columns
from .implied import implied
from .options import ALL_COLUMNS_UP_TO, KEY_COLUMNS_UP_TO, Options
from .relations import Key, Relationship, adjacency, foreign_key_relationships, is_audit

DIRECTION_WORDS = {"both": "what it references and what references it",
                   "parents": "what it references", "children": "what references it",
                   "any": "every table linked to it"}


@dataclass(frozen=True)
class Selection:
    """The tables and relationships of one diagram, and how to show them."""

    tables: tuple[Table, ...]
    relationships: tuple[Relationship, ...]
    focus: tuple[Key, ...]
    columns: str
    qualify: bool
    title: str
    notes: tuple[str, ...]
    options: Options
    audit: tuple[Relationship, ...] = ()

    @property
    def keys(self) -> tuple[Key, ...]:
        return tuple(t.key for t in self.tables)

    def label(self, key: Key) -> str:
        """How a table is named in this diagram: bare, or schema-qualified across schemas."""
        return f"{key[0]}.{key[1]}" if self.qualify else key[1]

    def table(self, key: Key) -> Table:
        """The drawn table ``key``."""
        return self._by_key[key]

    def shown(self, table: Table) -> tuple[Column, ...]:
        """The columns of ``table`` this diagram shows."""
        return self._shown[table.key]

    def audit_target(self, key: Key, column: str) -> str | None:
        """The table an audit column of ``key`` references, as the mark on it says it
        (``auth.users``), when its foreign key is a mark rather than an edge."""
        return self._audit_targets.get((key, column))

    @cached_property
    def _audit_targets(self) -> dict[tuple[Key, str], str]:
        targets = {}
        for rel in self.audit:
            name = rel.parent[1] if rel.parent[0] == rel.child[0] else ".".join(rel.parent)
            targets.update({(rel.child, column): name for column in rel.columns})
        return targets

    @cached_property
    def _by_key(self) -> dict[Key, Table]:
        return {t.key: t for t in self.tables}

    @cached_property
    def _shown(self) -> dict[Key, tuple[Column, ...]]:
        options = self.options
        return {t.key: shown_columns(t, self.columns, options.hide_audit, options.audit_columns,
                                     markers(t)) for t in self.tables}


def select(schema, options: Options) -> Selection:
    """The :class:`Selection` ``options`` ask for from ``schema``."""
    focus = resolve_focus(schema, options.focus)
    pool, notes = candidates(schema, options, focus)
    every = relationships(pool.values(), options)
    usable = [r for r in every if r.child in pool and r.parent in pool]
    keys = neighbourhood(focus, usable, options) if focus else set(pool)
    tables = tuple(pool[k] for k in sorted(keys))
    drawn = tuple(r for r in usable if r.child in keys and r.parent in keys)
    notes += left_out_relationships(every, keys, pool, options)
    columns, column_note = column_mode(options.columns, len(tables))
    audit = audit_marks(tables, options)
    return Selection(tables=tables, relationships=drawn, focus=focus, columns=columns,
                     qualify=len({t.schema for t in tables}) > 1,
                     title=title(tables, drawn, focus, options),
                     notes=tuple(notes + audit_note(audit) + column_note), options=options,
                     audit=audit)


def resolve_focus(schema, names: Iterable[str]) -> tuple[Key, ...]:
    """The keys of the focus tables, or a WorkbenchError with close matches."""
    keys = []
    for name in names:
        try:
            keys.append(schema.table(name).key)
        except WorkbenchError as exc:
            raise WorkbenchError(exc.what, where=f"erd focus {name!r}",
                                 hint=f"{exc.hint}; names may be bare (orders) or "
                                 "schema-qualified (shop.orders)") from None
    return tuple(dict.fromkeys(keys))


def check_schemas(schema, wanted: tuple[str, ...] | None) -> None:
    """A WorkbenchError, with close matches, for a schema name the snapshot does not have."""
    objects = schema.objects
    known = sorted({t.schema for t in objects.tables} | {n.name for n in objects.schemas})
    for name in wanted or ():
        if name not in known:
            close = difflib.get_close_matches(name, known, n=3)
            hint = (f"did you mean {', '.join(close)}?" if close
                    else f"known schemas: {', '.join(known)}")
            raise WorkbenchError(f"no schema {name!r} in this snapshot", where="erd(schemas=…)",
                                 hint=hint)


def candidates(schema, options: Options, focus: tuple[Key, ...]) -> tuple[dict, list[str]]:
    """The tables the options allow (focus tables always), and notes on what was filtered out."""
    check_schemas(schema, options.schemas)
    pool, skipped = {}, {"views": 0, "partitions": 0, "filters": 0}
    for table in schema.objects.tables:
        reason = rejection(table, options)
        if reason is None or table.key in focus:
            pool[table.key] = table
        else:
            skipped[reason] += 1
    return pool, skipped_notes(skipped)


def rejection(table: Table, options: Options) -> str | None:
    """Why ``table`` is not drawn ("views", "partitions", "filters"), or None."""
    if table.kind not in options.kinds:
        return "views" if table.view is not None else "filters"
    if table.partition_of is not None and not options.partitions:
        return "partitions"
    if options.schemas is not None and table.schema not in options.schemas:
        return "filters"
    names = (table.name, f"{table.schema}.{table.name}")
    if options.include and not any(fnmatchcase(n, p) for n in names for p in options.include):
        return "filters"
    if any(fnmatchcase(n, p) for n in names for p in options.exclude):
        return "filters"
    return None


def skipped_notes(skipped: dict[str, int]) -> list[str]:
    notes = []
    if skipped["views"]:
        notes.append(f"{plural(skipped['views'], 'view')} not drawn (views=True draws them)")
    if skipped["partitions"]:
        notes.append(f"{plural(skipped['partitions'], 'partition')} not drawn, only their parents "
                     "(partitions=True draws them)")
    if skipped["filters"]:
        notes.append(f"{plural(skipped['filters'], 'table')} left out by the "
                     "schemas/include/exclude filters")
    return notes


def relationships(tables: Iterable[Table], options: Options) -> list[Relationship]:
    """Foreign keys of ``tables`` (audit ones only when drawn as edges), plus implied ones."""
    tables = list(tables)
    audit_lines = options.audit_edges and not options.hide_audit
    found = [r for r in foreign_key_relationships(tables)
             if audit_lines or not is_audit(r, options.audit_columns)]
    if options.implied:
        found += implied(tables)
    return found


def audit_marks(tables: Iterable[Table], options: Options) -> tuple[Relationship, ...]:
    """The foreign keys on audit columns of ``tables`` shown as marks on their columns
    (``created_by → auth.users``), unless audit columns are hidden or their edges drawn."""
    if not options.audit_marks:
        return ()
    return tuple(r for r in foreign_key_relationships(tables) if is_audit(r, options.audit_columns))


def audit_note(audit: tuple[Relationship, ...]) -> list[str]:
    """A note saying which audit foreign keys are marks rather than lines."""
    if not audit:
        return []
    columns = ", ".join(sorted({c for rel in audit for c in rel.columns}))
    return [f"{plural(len(audit), 'audit foreign key')} ({columns}) shown as → marks, not lines "
            "(audit_edges=True draws them)"]


def neighbourhood(focus: tuple[Key, ...], rels: list[Relationship], options: Options) -> set[Key]:
    """The focus tables and those reached within ``depth`` steps in ``direction``."""
    up, down = adjacency(rels)

    def parents(key: Key) -> Iterable[Key]:
        return (r.parent for r in up.get(key, ()))

    def children(key: Key) -> Iterable[Key]:
        return (r.child for r in down.get(key, ()))

    def linked(key: Key) -> Iterable[Key]:
        return [*parents(key), *children(key)]

    direction, depth = options.direction, options.depth
    if direction == "any":
        return walk(focus, linked, depth)
    if direction == "parents":
        return walk(focus, parents, depth)
    if direction == "children":
        return walk(focus, children, depth)
    return down_then_up(focus, parents, children, depth)


def down_then_up(focus: tuple[Key, ...], parents: Callable, children: Callable,
                 depth: int) -> set[Key]:
    """Tables within ``depth`` steps of ``focus`` along foreign keys read either way: to what
    references a table and to what it references (orders → order_items → batches), but never
    from a parent back down to its other children (orders → customers → invoices: siblings)."""
    def step(state: tuple[Key, bool]) -> Iterable[tuple[Key, bool]]:
        key, climbing = state
        ups = [(parent, True) for parent in parents(key)]
        return ups if climbing else [*((child, False) for child in children(key)), *ups]

    return {key for key, _ in walk([(key, False) for key in focus], step, depth)}


def walk(start: Iterable, step: Callable[[Any], Iterable], depth: int) -> set:
    """Breadth-first: every table (or state) within ``depth`` steps of ``start``."""
    seen = set(start)
    queue = deque((key, 0) for key in seen)
    while queue:
        key, distance = queue.popleft()
        if distance == depth:
            continue
        for other in step(key):
            if other not in seen:
                seen.add(other)
                queue.append((other, distance + 1))
    return seen


def left_out_relationships(every: list[Relationship], keys: set[Key], pool: dict,
                           options: Options) -> list[str]:
    """Notes on relationships not drawn: hidden audit keys, keys to tables outside the diagram."""
    notes = []
    if options.hide_audit:
        notes.append(f"audit columns hidden ({', '.join(options.audit_columns)}), "
                     "with the foreign keys on them")
    outside = sum(1 for r in every if (r.child in keys) != (r.parent in keys))
    if outside:
        notes.append(f"{plural(outside, 'foreign key')} to or from tables not drawn")
    return notes


def column_mode(requested: str, count: int) -> tuple[str, list[str]]:
    """The column mode to use for ``count`` tables, and a note when "auto" showed fewer."""
    if requested != "auto":
        return requested, []
    if count <= ALL_COLUMNS_UP_TO:
        return "all", []
    if count <= KEY_COLUMNS_UP_TO:
        return "keys", [f"{count} tables: only key columns shown "
                        "(columns='all' shows every column)"]
    return "none", [f"{count} tables: columns not shown (columns='keys' or 'all' shows them, "
                    "or focus on one table)"]


def title(tables, rels, focus: tuple[Key, ...], options: Options) -> str:
    """A one-line description of what the diagram shows."""
    counts = f"{plural(len(tables), 'table')}, {plural(len(rels), 'relationship')}"
    if focus:
        names = ", ".join(f"{s}.{n}" for s, n in focus)
        steps = "step" if options.depth == 1 else "steps"
        return f"{names}: {DIRECTION_WORDS[options.direction]}, {options.depth} {steps} ({counts})"
    schemas = sorted({t.schema for t in tables})
    word = "schema" if len(schemas) == 1 else "schemas"
    return f"{word} {', '.join(schemas)} ({counts})"


def plural(count: int, word: str) -> str:
    """``1 table``, ``2 tables``."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"
