"""The walk over a statement's AST that builds the :class:`~.query.Access` of each table reference."""
from __future__ import annotations

from pglast import ast, enums
from pglast.visitors import Skip, Visitor

from ..catalog.names import quote_ident
from ..errors import WorkbenchError
from .conditions import ConditionReader
from .query import Access, Key
from .sqlparts import fields_of, output_expression, refs, unqualified

INDEXABLE_KINDS = ("table", "partitioned", "matview")


class Scope:
    """The tables visible at one level of a query, and the level around it."""

    def __init__(self, parent: Scope | None, ctes: frozenset[str]):
        self.parent = parent
        self.ctes = ctes
        self.entries: list[tuple[str, Access | None]] = []

    def add(self, name: str, access: Access | None) -> None:
        self.entries.append((name, access))

    def resolve(self, fields: tuple[str, ...]) -> tuple[Access | None, str | None, bool]:
        """(access, column, local) for a column reference; access None when unknown."""
        column = fields[-1]
        if len(fields) >= 2:
            found = [a for name, a in self.entries if name == fields[-2]]
        else:
            found = [a for _, a in self.entries if a is not None and column in a.all_columns]
        if len(found) == 1:
            return found[0], column, True
        if not found and self.parent is not None:
            access, column, _ = self.parent.resolve(fields)
            return access, column, False
        return None, column, True


class Reader(ConditionReader):
    """Walks a statement, building one :class:`Access` per table reference."""

    def __init__(self, schema):
        self.schema = schema
        self.accesses: list[Access] = []

    # --- statements and scopes ------------------------------------------------------------------

    def statement(self, node, parent: Scope | None, ctes: frozenset[str] = frozenset()) -> None:
        ctes = ctes | self.with_clause(getattr(node, "withClause", None), parent, ctes)
        if isinstance(node, ast.SelectStmt):
            self.select(node, parent, ctes)
        elif isinstance(node, (ast.UpdateStmt, ast.DeleteStmt)):
            self.modify(node, parent, ctes)
        elif isinstance(node, ast.InsertStmt):
            self.table_ref(node.relation, Scope(parent, ctes), ctes)
            if node.selectStmt is not None:
                self.statement(node.selectStmt, parent, ctes)

    def with_clause(self, clause, parent, ctes) -> frozenset[str]:
        if clause is None:
            return frozenset()
        names = frozenset(cte.ctename for cte in clause.ctes)
        for cte in clause.ctes:
            self.statement(cte.ctequery, parent, ctes | names)
        return names

    def select(self, node: ast.SelectStmt, parent: Scope | None, ctes) -> None:
        if node.op != enums.SetOperation.SETOP_NONE:
            self.statement(node.larg, parent, ctes)
            self.statement(node.rarg, parent, ctes)
            return
        scope = Scope(parent, ctes)
        quals = []
        for item in node.fromClause or ():
            quals += self.from_item(item, scope, ctes)
        self.clauses(scope, [node.whereClause, *quals])
        self.reads(scope, [node.targetList, node.whereClause, node.groupClause, node.havingClause,
                           node.sortClause, *quals])
        self.order_by(scope, node)
        self.group_by(scope, node)
        self.sublinks(scope, [node.targetList, node.whereClause, node.havingClause, *quals])

    def modify(self, node, parent: Scope | None, ctes) -> None:
        scope = Scope(parent, ctes)
        target = self.table_ref(node.relation, scope, ctes)
        quals = []
        for item in getattr(node, "fromClause", None) or getattr(node, "usingClause", None) or ():
            quals += self.from_item(item, scope, ctes)
        self.clauses(scope, [node.whereClause, *quals])
        self.reads(scope, [node.whereClause, getattr(node, "returningList", None), *quals])
        if isinstance(node, ast.UpdateStmt) and target is not None:
            target.updated |= {t.name for t in node.targetList or () if t.name}
            self.reads(scope, [[t.val for t in node.targetList or ()]])
        self.sublinks(scope, [node.whereClause, getattr(node, "targetList", None), *quals])

    # --- FROM ------------------------------------------------------------------------------------

    def from_item(self, item, scope: Scope, ctes) -> list:
        """Register the tables of one FROM item; return the join conditions found in it."""
        if isinstance(item, ast.RangeVar):
            self.table_ref(item, scope, ctes)
            return []
        if isinstance(item, ast.JoinExpr):
            quals = self.from_item(item.larg, scope, ctes) + self.from_item(item.rarg, scope, ctes)
            return quals + ([item.quals] if item.quals is not None else [])
        if isinstance(item, ast.RangeSubselect):
            self.statement(item.subquery, scope if item.lateral else scope.parent, ctes)
            scope.add(item.alias.aliasname if item.alias else "", None)
        elif isinstance(item, ast.RangeFunction) and item.alias is not None:
            scope.add(item.alias.aliasname, None)
        return []

    def table_ref(self, node: ast.RangeVar, scope: Scope, ctes) -> Access | None:
        alias = node.alias.aliasname if node.alias else None
        if node.schemaname is None and node.relname in ctes:
            scope.add(alias or node.relname, None)
            return None
        table = find_table(self.schema, node.schemaname, node.relname)
        if table is None:
            scope.add(alias or node.relname, None)
            return None
        access = Access(table.schema, table.name, alias, tuple(c.name for c in table.columns))
        self.accesses.append(access)
        scope.add(alias or node.relname, access)
        return access

    # --- keys, reads, ORDER BY, subqueries ------------------------------------------------------------

    def key(self, scope: Scope, node) -> tuple[Access, Key] | None:
        """The table access and :class:`Key` that ``node`` reads, if it reads exactly one local table."""
        if isinstance(node, ast.ColumnRef):
            names = fields_of(node)
            if names is None:
                return None
            access, column, local = scope.resolve(names)
            if access is None or column not in access.all_columns:
                return None
            return access, Key(quote_ident(column), (column,))
        if not isinstance(node, (ast.FuncCall, ast.TypeCast, ast.A_Expr, ast.CoalesceExpr)):
            return None
        found = refs(node)
        if found.unsafe or found.params or not found.columns:
            return None
        resolved = [scope.resolve(fields_of(c) or ("*",)) for c in found.columns]
        accesses = {id(a) for a, _, _ in resolved}
        access, _, local = resolved[0]
        if access is None or len(accesses) != 1 or not local:
            return None
        columns = tuple(dict.fromkeys(column for _, column, _ in resolved))
        return access, Key(unqualified(node), columns, expression=True, bare=isinstance(node, ast.FuncCall))

    def reads(self, scope: Scope, clauses) -> None:
        finder = _Reads(scope)
        for clause in clauses:
            if isinstance(clause, ast.Node):
                finder(clause)
            elif isinstance(clause, (list, tuple)):
                for item in clause:
                    if isinstance(item, ast.Node):
                        finder(item)

    def order_by(self, scope: Scope, node: ast.SelectStmt) -> None:
        if node.groupClause or node.distinctClause:
            return
        keys = []
        for sort in node.sortClause or ():
            target = output_expression(node, sort.node)
            key = self.key(scope, target)
            if key is None:
                return
            keys.append((key, sort.sortby_dir == enums.SortByDir.SORTBY_DESC))
        if not keys or len({id(access) for (access, _), _ in keys}) != 1:
            return
        access = keys[0][0][0]
        access.order = [(found, desc) for (_, found), desc in keys]
        access.limited = node.limitCount is not None

    def group_by(self, scope: Scope, node: ast.SelectStmt) -> None:
        """GROUP BY keys that all come from one table: an index on them can feed the grouping
        in order (and, covering, answer the whole report by an index-only scan)."""
        keys = [self.key(scope, output_expression(node, item)) for item in node.groupClause or ()]
        if not keys or not all(keys) or len({id(access) for access, _ in keys}) != 1:
            return
        keys[0][0].group = [key for _, key in keys]

    def sublinks(self, scope: Scope, clauses) -> None:
        finder = _SubLinks()
        for clause in clauses:
            if isinstance(clause, ast.Node):
                finder(clause)
            elif isinstance(clause, (list, tuple)):
                for item in clause:
                    if isinstance(item, ast.Node):
                        finder(item)
        for subselect in finder.found:
            self.statement(subselect, scope, scope.ctes)


class _Reads(Visitor):
    def __init__(self, scope: Scope):
        self.scope = scope

    def visit_SubLink(self, ancestors, node):
        return Skip

    def visit_ColumnRef(self, ancestors, node):
        names = fields_of(node)
        if names is None:
            qualifier = node.fields[-2].sval if len(node.fields) > 1 else None
            for name, access in self.scope.entries:
                if access is not None and qualifier in (None, name):
                    access.read(None)
            return
        access, column, _ = self.scope.resolve(names)
        if access is not None and column in access.all_columns:
            access.read(column)


class _SubLinks(Visitor):
    def __init__(self):
        self.found = []

    def visit_SubLink(self, ancestors, node):
        self.found.append(node.subselect)
        if node.testexpr is not None:
            self(node.testexpr)
        return Skip


def find_table(schema, schema_name: str | None, name: str):
    """The snapshot's table for a FROM item (None for unknown tables, CTEs and views)."""
    wanted = [(schema_name, name)] if schema_name else [name, ("public", name)]
    for spelling in wanted:
        try:
            table = schema.table(spelling)
        except WorkbenchError:
            continue
        return table if table.kind in INDEXABLE_KINDS else None
    return None
