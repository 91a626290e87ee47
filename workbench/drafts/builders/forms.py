"""Builders driven by forms: each form as plain data, and form values → a Draft.

:func:`build` is the plain-function twin of the drafting panel's Preview button: a form's
name and its values (strings, booleans) in, a :class:`~workbench.drafts.Draft` out.
"""
from __future__ import annotations

from dataclasses import dataclass

from ...catalog.names import parse_name
from ...errors import WorkbenchError
from .. import Draft
from . import TEMPLATES
from . import columns as _columns
from . import constraints, free, policies, tables


@dataclass(frozen=True)
class Field:
    """One form field: ``kind`` is ``text``, ``area``, ``check`` or ``choice``; ``placeholder``
    says what to type, inside the empty field."""

    name: str
    label: str
    kind: str = "text"
    default: object = ""
    options: tuple[str, ...] = ()
    placeholder: str = ""


SCHEMA = Field("schema", "schema", default="public")
TABLE = Field("table", "table")
FORMS: dict[str, tuple[Field, ...]] = {
    "create table": (SCHEMA, TABLE,
                     Field("columns", "columns", "area", placeholder="one a line: name type [not null]"),
                     Field("tenancy", "tenancy", "choice", "org", ("org", "user", "none")),
                     Field("policies", "policies", "choice", "usual",
                           ("usual", *TEMPLATES, "none"))),
    "add column": (SCHEMA, TABLE, Field("column", "column"), Field("type", "type", default="text"),
                   Field("not_null", "NOT NULL", "check", False), Field("default", "default", placeholder="SQL expression, e.g. now()"),
                   Field("backfill", "backfill", placeholder="SQL expression for the existing rows")),
    "add index": (SCHEMA, TABLE, Field("columns", "columns", placeholder="comma-separated, e.g. org_id, created_at"),
                  Field("unique", "unique", "check", False)),
    "add foreign key": (SCHEMA, TABLE, Field("columns", "columns", placeholder="comma-separated"),
                        Field("ref_table", "references", placeholder="the referenced table, e.g. public.orgs"),
                        Field("ref_columns", "referenced columns", default="id"),
                        Field("on_delete", "ON DELETE", "choice", "NO ACTION",
                              ("NO ACTION", "RESTRICT", "CASCADE", "SET NULL"))),
    "add check": (SCHEMA, TABLE, Field("condition", "condition", placeholder="SQL boolean expression")),
    "RLS policies": (SCHEMA, TABLE, Field("template", "template", "choice", "org_member",
                                          tuple(TEMPLATES)),
                     Field("using", "USING", placeholder="custom template: SQL boolean expression"),
                     Field("with_check", "WITH CHECK", placeholder="custom template: SQL boolean expression")),
    "from a sandbox": (Field("title", "title"),
                       Field("sql", "SQL to try", "area",
                             placeholder="any SQL; it runs in a throwaway copy of the database"),
                       Field("renames", "renames", placeholder="old=new, e.g. nursery.customers.phone=phone_number"),
                       Field("allow_destructive", "may lose data", "check", False)),
    "free SQL": (Field("title", "title"), Field("up", "up SQL", "area"),
                 Field("down", "down SQL", "area"), Field("irreversible", "irreversible because",
                                               placeholder="why there is no down SQL (else leave empty)")),
}


def defaults(kind: str) -> dict:
    """The form's starting values."""
    return {f.name: f.default for f in FORMS[kind]}


def split_names(text: str) -> list[str]:
    """``a, b`` → ``["a", "b"]`` (names as typed: spaces around commas dropped)."""
    return [part.strip() for part in text.split(",") if part.strip()]


def reference(text: str) -> tuple[str, str | None]:
    """The referenced table as typed: ``(table, schema or None)``. ``schema.table`` and quoted
    names are read as SQL reads them; a name that is not valid SQL is taken as typed."""
    text = text.strip()
    if not text:
        raise WorkbenchError("the form needs a value for references",
                             hint="the referenced table: table (same schema) or schema.table")
    parsed = parse_name(text)
    if parsed is None:
        if "." in text:
            raise WorkbenchError(f"references: {text!r} is not a table name",
                                 hint='write schema.table; quote a name with spaces or dots: "a.b"')
        return text, None
    schema, table = parsed
    return table, schema


def column_line(line: str) -> tables.ColumnDef:
    """``name type [not null]``; a name with spaces goes in double quotes (``""`` for ``"``)."""
    line = line.strip()
    if line.startswith('"'):
        name, rest = _quoted(line)
    else:
        name, _, rest = line.partition(" ")
    words = rest.split()
    not_null = [w.lower() for w in words[-2:]] == ["not", "null"]
    type_text = " ".join(words[:-2] if not_null else words)
    if not name or not type_text:
        raise WorkbenchError(f"column line {line!r} needs a name and a type")
    return tables.column(name, type_text, not_null=not_null)


def _quoted(line: str) -> tuple[str, str]:
    name, index = [], 1
    while index < len(line):
        if line[index] == '"':
            if line[index + 1:index + 2] == '"':
                name.append('"')
                index += 2
                continue
            return "".join(name), line[index + 1:]
        name.append(line[index])
        index += 1
    raise WorkbenchError(f"column line {line!r}: the quoted name is not closed")


def _or_none(value: str):
    return value.strip() or None


def build(kind: str, values: dict, snapshot=None, session=None) -> Draft:
    """The Draft the form describes (a WorkbenchError says what is missing or wrong). The
    "from a sandbox" form needs ``session``: its SQL runs in a copy of that database."""
    if kind not in FORMS:
        raise WorkbenchError(f"no builder {kind!r}", hint=f"one of {', '.join(FORMS)}")
    v = {**defaults(kind), **values}
    for field in FORMS[kind]:
        if field.kind in ("text", "area") and field.name in ("schema", "table", "column", "title",
                                                              "up", "columns", "condition", "sql") \
                and not str(v[field.name]).strip():
            raise WorkbenchError(f"the form needs a value for {field.label}")
    if kind == "from a sandbox":
        return _from_sandbox(v, snapshot, session)
    return BUILD[kind](v, snapshot)


def _from_sandbox(v, snapshot, session) -> Draft:
    from ..from_diff import draft_from_sandbox, read_renames

    if session is None:
        raise WorkbenchError("the sandbox form needs a database session",
                             hint="use the drafting panel, or draft_from_sandbox(session, …)")
    schemas = sorted({s.name for s in snapshot.objects.schemas}) if snapshot is not None else None
    return draft_from_sandbox(session, title=v["title"], sql=v["sql"], renames=read_renames(v["renames"]),
                              allow_destructive=bool(v["allow_destructive"]), schemas=schemas)


def _create_table(v, snapshot):
    policies = {"usual": True, "none": None}.get(v["policies"], v["policies"])
    columns = [column_line(line) for line in v["columns"].splitlines() if line.strip()]
    return tables.create_table(v["schema"], v["table"], columns,
                                 tenancy=None if v["tenancy"] == "none" else v["tenancy"],
                                 policies=policies, snapshot=snapshot)


def _foreign_key(v, snapshot):
    ref_table, ref_schema = reference(v["ref_table"])
    return constraints.add_foreign_key(v["schema"], v["table"], split_names(v["columns"]), ref_table,
                                       split_names(v["ref_columns"]), ref_schema=ref_schema,
                                       on_delete=v["on_delete"], snapshot=snapshot)


BUILD = {
    "create table": _create_table,
    "add column": lambda v, s: _columns.add_column(
        v["schema"], v["table"], v["column"], v["type"], not_null=bool(v["not_null"]),
        default=_or_none(v["default"]), backfill=_or_none(v["backfill"]), snapshot=s),
    "add index": lambda v, s: constraints.add_index(v["schema"], v["table"], split_names(v["columns"]),
                                                 unique=bool(v["unique"]), snapshot=s),
    "add foreign key": lambda v, s: _foreign_key(v, s),
    "add check": lambda v, s: constraints.add_check(v["schema"], v["table"], v["condition"], snapshot=s),
    "RLS policies": lambda v, s: policies.rls_policies(
        v["schema"], v["table"], v["template"], snapshot=s,
        **({"using": _or_none(v["using"]), "with_check": _or_none(v["with_check"])}
           if v["template"] == "custom" else {})),
    "free SQL": lambda v, s: free.free_sql(v["title"], v["up"], v["down"],
                                               irreversible=v["irreversible"].strip()),
}
