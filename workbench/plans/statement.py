"""The one statement to explain: parsed with pglast, checked, and its ``$n`` parameters counted."""
from __future__ import annotations

from dataclasses import dataclass

from pglast import ast
from pglast.stream import RawStream
from pglast.visitors import Visitor

from ..drafts.sqltext import check_sql, statements
from ..errors import WorkbenchError

EXPLAINABLE = (ast.SelectStmt, ast.InsertStmt, ast.UpdateStmt, ast.DeleteStmt, ast.MergeStmt)


@dataclass(frozen=True)
class Statement:
    """A single explainable statement: its text (no trailing semicolon), AST and parameter count."""

    sql: str
    node: ast.Node
    param_count: int

    @property
    def writes(self) -> bool:
        """Whether running it changes data (INSERT, UPDATE, DELETE, MERGE, or a writing CTE)."""
        return not isinstance(self.node, ast.SelectStmt) or has_writing_cte(self.node)


def parse_statement(sql: str) -> Statement:
    """Parse ``sql`` as exactly one explainable statement; clear, positioned errors otherwise."""
    raws = check_sql(sql, label="the query")
    if len(raws) != 1:
        raise WorkbenchError(f"expected one statement, found {len(raws)}",
                             where=f"the query: {sql.strip()[:80]}",
                             hint="explain one statement at a time (split a file with workbench advise -f)")
    node = raws[0].stmt
    text = statements(sql)[0]
    if isinstance(node, ast.ExplainStmt):
        node = node.query
        text = RawStream()(node)
    if not isinstance(node, EXPLAINABLE):
        raise WorkbenchError(f"cannot EXPLAIN a {type(node).__name__}",
                             where=text[:80],
                             hint="EXPLAIN works on SELECT, INSERT, UPDATE, DELETE and MERGE")
    return Statement(text, node, param_count(node))


class _Params(Visitor):
    def __init__(self):
        self.highest = 0

    def visit_ParamRef(self, ancestors, node):
        self.highest = max(self.highest, node.number)


def param_count(node: ast.Node) -> int:
    """The highest ``$n`` used in ``node`` (0 when it has no parameters)."""
    finder = _Params()
    finder(node)
    return finder.highest


def has_writing_cte(node: ast.Node) -> bool:
    """Whether a WITH clause of ``node`` holds an INSERT, UPDATE, DELETE or MERGE."""
    clause = getattr(node, "withClause", None)
    ctes = clause.ctes if clause else ()
    return any(not isinstance(cte.ctequery, ast.SelectStmt) for cte in ctes or ())
