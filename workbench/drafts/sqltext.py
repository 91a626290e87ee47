"""SQL text, parsed with pglast (PostgreSQL's own parser): syntax errors with their position."""
from __future__ import annotations

from dataclasses import dataclass

import pglast
from pglast.parser import ParseError

from ..errors import WorkbenchError


@dataclass(frozen=True)
class Position:
    """A place in a SQL text: 0-based offset, 1-based line and column."""

    offset: int
    line: int
    column: int

    @classmethod
    def of(cls, text: str, offset: int) -> Position:
        offset = max(0, min(offset, len(text)))
        before = text[:offset]
        line = before.count("\n") + 1
        column = offset - (before.rfind("\n") + 1) + 1
        return cls(offset, line, column)


class SqlSyntaxError(WorkbenchError):
    """SQL that PostgreSQL's parser rejects, with the line and column of the problem."""

    def __init__(self, problem: str, text: str, position: Position, label: str = "SQL"):
        self.problem = problem
        self.text = text
        self.position = position
        self.label = label
        super().__init__(
            f"{label} does not parse: {problem}",
            where=f"line {position.line}, column {position.column}\n{excerpt(text, position)}",
            hint="fix the SQL at the marked place; it must be valid PostgreSQL",
        )


def excerpt(text: str, position: Position) -> str:
    """The offending line with a caret under the problem."""
    line = text.splitlines()[position.line - 1] if text.strip() else ""
    return f"  {line}\n  {' ' * (position.column - 1)}^"


def check_sql(text: str, label: str = "SQL") -> tuple:
    """Parse ``text``; return its statements or raise :class:`SqlSyntaxError` with the position."""
    try:
        return tuple(pglast.parse_sql(text))
    except ParseError as exc:
        problem = exc.args[0]
        offset = exc.args[1] if len(exc.args) > 1 and exc.args[1] is not None else len(text)
        raise SqlSyntaxError(problem, text, Position.of(text, offset), label) from None


def statements(text: str) -> list[str]:
    """The statements of ``text`` as separate strings (split by the parser, not by ';')."""
    result = []
    for raw in check_sql(text):
        start = raw.stmt_location or 0
        end = start + raw.stmt_len if raw.stmt_len else len(text)  # offsets count characters
        piece = text[start:end].strip()
        if piece:
            result.append(piece)
    return result


def walk(node):
    """``node`` (a pglast AST node) and every node below it, depth first."""
    yield node
    for attr in node:
        value = getattr(node, attr)
        for item in value if isinstance(value, tuple) else (value,):
            if isinstance(item, pglast.ast.Node):
                yield from walk(item)
