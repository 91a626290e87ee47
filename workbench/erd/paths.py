"""Join paths: how to get from one table to another through foreign keys, as SQL.

``path(schema, "invoices", "plant_varieties")`` finds every shortest chain of foreign keys
between the two tables (followed in either direction) and writes the SELECT that joins
along the first one. Foreign keys on audit columns (``created_by`` …) are skipped by
default: every table "joins" through ``auth.users`` that way, which answers nothing.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Iterable

import pglast

from ..catalog.names import qualified, quote_ident
from ..errors import WorkbenchError
from .implied import implied as implied_relationships
from .options import AUDIT_COLUMNS, TABLE_KINDS, as_tuple
from .relations import Key, Relationship, foreign_key_relationships, is_audit


@dataclass(frozen=True)
class Step:
    """One join: along ``relationship``, from child to parent (``forward``) or back."""

    relationship: Relationship
    forward: bool

    @property
    def source(self) -> Key:
        return self.relationship.child if self.forward else self.relationship.parent

    @property
    def target(self) -> Key:
        return self.relationship.parent if self.forward else self.relationship.child


@dataclass(frozen=True)
class JoinPath:
    """A chain of joins from ``start``; ``→`` follows a foreign key, ``←`` goes against one."""

    start: Key
    steps: tuple[Step, ...]

    @property
    def tables(self) -> tuple[Key, ...]:
        return (self.start, *(step.target for step in self.steps))

    @property
    def sql(self) -> str:
        """The SELECT joining the tables along this path (identifiers quoted; re-parsed)."""
        return join_sql(self)

    def __str__(self) -> str:
        text = dotted(self.start)
        for step in self.steps:
            text += f" {'→' if step.forward else '←'} {dotted(step.target)}"
        return text


@dataclass(frozen=True)
class JoinPaths:
    """The shortest join paths between two tables (maybe none), best first."""

    source: Key
    target: Key
    paths: tuple[JoinPath, ...]

    def __iter__(self):
        return iter(self.paths)

    def __len__(self) -> int:
        return len(self.paths)

    def __getitem__(self, number: int) -> JoinPath:
        return self.paths[number]

    @property
    def sql(self) -> str:
        """The SQL of the first path."""
        if not self.paths:
            raise WorkbenchError(f"no join path between {dotted(self.source)} and "
                                 f"{dotted(self.target)}", hint=NO_PATH_HINT)
        return self.paths[0].sql

    def __repr__(self) -> str:
        if not self.paths:
            return f"no join path between {dotted(self.source)} and {dotted(self.target)}"
        steps = len(self.paths[0].steps)
        lines = [f"{len(self.paths)} shortest join path(s), {steps} join(s) each:"]
        lines += [f"  {number}. {path}" for number, path in enumerate(self.paths, 1)]
        return "\n".join(lines + ["", "SQL of path 1:", self.sql])


NO_PATH_HINT = ("no chain of foreign keys links them; try hide_audit=False, implied=True, "
                "or fewer tables in avoid=")


def path(schema, source, target, *, avoid=(), hide_audit: bool = True, implied: bool = False,
         audit_columns=AUDIT_COLUMNS, max_paths: int = 10) -> JoinPaths:
    """Every shortest join path between ``source`` and ``target`` (up to ``max_paths``).

    ``avoid`` lists table name patterns (fnmatch globs) not to pass through, such as a
    tenant table every other table references.
    """
    start, goal = find(schema, source, "source"), find(schema, target, "target")
    if start == goal:
        raise WorkbenchError(f"source and target are the same table, {dotted(start)}",
                             hint="pass two different tables")
    tables = [t for t in schema.objects.tables if t.kind in TABLE_KINDS]
    rels = [r for r in foreign_key_relationships(tables)
            if not (hide_audit and is_audit(r, as_tuple(audit_columns)))]
    if implied:
        rels += implied_relationships(tables)
    blocked = {t.key for t in tables if avoided(t.key, as_tuple(avoid))} - {start, goal}
    return JoinPaths(start, goal, shortest_paths(start, goal, rels, blocked, max_paths))


def find(schema, name, role: str) -> Key:
    try:
        return schema.table(name).key
    except WorkbenchError as exc:
        raise WorkbenchError(exc.what, where=f"path {role} {name!r}", hint=exc.hint) from None


def avoided(key: Key, patterns: tuple[str, ...]) -> bool:
    return any(fnmatchcase(name, p) for name in (key[1], dotted(key)) for p in patterns)


def shortest_paths(start: Key, goal: Key, rels: Iterable[Relationship], blocked: set[Key],
                   limit: int) -> tuple[JoinPath, ...]:
    """Breadth-first search over relationships in both directions, then every shortest path."""
    links = neighbours(rels)
    distance, previous = {start: 0}, {start: []}
    queue = deque([start])
    while queue:
        key = queue.popleft()
        if key == goal:
            break
        for step in links.get(key, ()):
            other = step.target
            if other in blocked:
                continue
            if other not in distance:
                distance[other] = distance[key] + 1
                previous[other] = []
                queue.append(other)
            if distance[other] == distance[key] + 1:
                previous[other].append(step)
    if goal not in distance:
        return ()
    return tuple(JoinPath(start, steps) for steps in unwind(goal, start, previous, limit))


def neighbours(rels: Iterable[Relationship]) -> dict[Key, list[Step]]:
    """Table → the steps leaving it, in a stable order (self references left out)."""
    links: dict[Key, list[Step]] = {}
    for rel in rels:
        if not rel.self_reference:
            links.setdefault(rel.child, []).append(Step(rel, True))
            links.setdefault(rel.parent, []).append(Step(rel, False))
    for steps in links.values():
        steps.sort(key=lambda s: (s.target, s.relationship.name, s.forward))
    return links


def unwind(goal: Key, start: Key, previous: dict, limit: int) -> list[tuple[Step, ...]]:
    """The step sequences from ``start`` to ``goal`` recorded in ``previous``, at most ``limit``."""
    if goal == start:
        return [()]
    found = []
    for step in previous[goal]:
        for head in unwind(step.source, start, previous, limit - len(found)):
            found.append((*head, step))
            if len(found) >= limit:
                return found
    return found


def join_sql(join_path: JoinPath) -> str:
    """``SELECT a.*, b.* FROM … AS a JOIN … AS b ON …`` along ``join_path``; checked by pglast."""
    names = aliases(join_path.tables)
    first, last = join_path.tables[0], join_path.tables[-1]
    lines = [f"SELECT {names[first]}.*, {names[last]}.*",
             f"FROM {qualified(*first)} AS {names[first]}"]
    for step in join_path.steps:
        new, old = names[step.target], names[step.source]
        on = " AND ".join(f"{new}.{quote_ident(a)} = {old}.{quote_ident(b)}"
                          for a, b in column_pairs(step))
        lines.append(f"JOIN {qualified(*step.target)} AS {new} ON {on}")
    sql = "\n".join(lines) + ";"
    pglast.parse_sql(sql)
    return sql


def column_pairs(step: Step) -> list[tuple[str, str]]:
    """(column of the joined table, column of the table joined to), for each key column."""
    rel = step.relationship
    pairs = list(zip(rel.columns, rel.ref_columns, strict=True))
    return [(p, c) for c, p in pairs] if step.forward else pairs


def aliases(keys: Iterable[Key]) -> dict[Key, str]:
    """Short, unique, unquoted aliases: ``plant_varieties`` → ``pv``."""
    found: dict[Key, str] = {}
    for key in keys:
        base = initials(key[1])
        alias, number = base, 2
        while alias in found.values() or quote_ident(alias) != alias:
            alias, number = f"{base}{number}", number + 1
        found[key] = alias
    return found


def initials(name: str) -> str:
    letters = [word[0].lower() for word in name.split("_") if word and word[0].isascii()
               and word[0].isalpha()]
    return "".join(letters) or "t"


def dotted(key: Key) -> str:
    return f"{key[0]}.{key[1]}"
