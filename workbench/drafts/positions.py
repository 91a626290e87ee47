"""Places in a Draft's up SQL: squawk's 0-based line and byte column → 1-based line and
character column, and the number of the statement a place falls in."""
from __future__ import annotations

from .sqltext import Position, check_sql


def char_column(line_text: str, byte_column: int) -> int:
    """The 0-based character column of a 0-based UTF-8 byte column on ``line_text``."""
    return len(line_text.encode()[:byte_column].decode(errors="ignore"))


def offset_of(text: str, line: int, byte_column: int) -> int:
    """The character offset in ``text`` of a 0-based line and byte column."""
    lines = text.split("\n")
    line = max(0, min(line, len(lines) - 1))
    return sum(len(row) + 1 for row in lines[:line]) + char_column(lines[line], byte_column)


def statement_starts(text: str) -> list[int]:
    """Character offset where each statement of ``text`` begins (as the parser splits it)."""
    return [raw.stmt_location or 0 for raw in check_sql(text)]


def statement_number(starts: list[int], offset: int) -> int | None:
    """1-based number of the statement holding ``offset``."""
    number = None
    for index, start in enumerate(starts, start=1):
        if start <= offset:
            number = index
    return number


def position(text: str, offset: int) -> Position:
    """1-based line and column of a character offset."""
    return Position.of(text, offset)
