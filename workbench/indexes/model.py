"""``Candidate``: an index that might help, as data; it knows its own CREATE INDEX text."""
from __future__ import annotations

from dataclasses import dataclass

from ..catalog.names import qualified, quote_ident
from ..drafts.draft import slugify


@dataclass(frozen=True)
class KeyPart:
    """One key of an index: a column (quoted) or an expression, its direction and operator class."""

    sql: str
    expression: bool = False
    descending: bool = False
    opclass: str | None = None
    bare: bool = True
    columns: tuple[str, ...] = ()

    def render(self) -> str:
        text = f"({self.sql})" if self.expression and not self.bare else self.sql
        if self.opclass:
            text += f" {self.opclass}"
        return text + (" DESC" if self.descending else "")

    @property
    def plain_column(self) -> str | None:
        """The column, when the key is just a column (no expression, operator class or DESC)."""
        if self.expression or self.opclass or self.descending or len(self.columns) != 1:
            return None
        return self.columns[0]

    @property
    def label(self) -> str:
        """What the key adds to an index's name: its column, else its words (``lower_email``)."""
        return self.plain_column or slugify(self.sql, limit=40)

    def flipped(self) -> KeyPart:
        return KeyPart(self.sql, self.expression, not self.descending, self.opclass, self.bare, self.columns)


@dataclass(frozen=True)
class Candidate:
    """A possible index on ``schema.table``. ``kinds`` say how it came about (equality, range,
    order, partial, expression, covering, trigram, join); ``extension`` names an extension
    it needs (``pg_trgm``)."""

    schema: str
    table: str
    keys: tuple[KeyPart, ...]
    include: tuple[str, ...] = ()
    predicate: str | None = None
    method: str = "btree"
    kinds: tuple[str, ...] = ()
    extension: str | None = None
    predicate_columns: tuple[str, ...] = ()

    @property
    def table_key(self) -> tuple[str, str]:
        return (self.schema, self.table)

    @property
    def qualname(self) -> str:
        return qualified(self.schema, self.table)

    @property
    def identity(self) -> tuple:
        """What makes two candidates the same index (kinds and order of INCLUDE do not)."""
        return (self.schema, self.table, self.method, tuple(k.render() for k in self.keys),
                tuple(sorted(self.include)), self.predicate)

    @property
    def expression(self) -> bool:
        """Whether a key is an expression (HypoPG has no statistics for those)."""
        return any(key.expression for key in self.keys)

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column the index depends on (keys, expression inputs, INCLUDE, WHERE)."""
        found = [c for key in self.keys for c in (key.columns or (key.sql,))]
        found += list(self.include) + list(self.predicate_columns)
        return tuple(dict.fromkeys(found))

    def stands_in_for(self, other: Candidate) -> bool:
        """Whether this index serves whatever ``other`` serves: same table, method and
        predicate, and ``other``'s keys are a prefix of its keys."""
        return (self.table_key == other.table_key and self.method == other.method
                and self.predicate == other.predicate and self.keys[:len(other.keys)] == other.keys)

    def body(self) -> str:
        """``schema.table [USING m] (keys) [INCLUDE (…)] [WHERE …]``: the index without a name."""
        using = f" USING {self.method}" if self.method != "btree" else ""
        text = f"{self.qualname}{using} ({', '.join(key.render() for key in self.keys)})"
        if self.include:
            text += f" INCLUDE ({', '.join(quote_ident(c) for c in self.include)})"
        if self.predicate:
            text += f" WHERE {self.predicate}"
        return text

    def create_sql(self, name: str | None = None, *, concurrently: bool = False) -> str:
        """The ``CREATE INDEX`` statement (without a name PostgreSQL picks one)."""
        words = ["CREATE INDEX"] + (["CONCURRENTLY"] if concurrently else [])
        if name:
            words.append(quote_ident(name))
        return f"{' '.join(words)} ON {self.body()}"

    def __str__(self) -> str:
        return self.body()
