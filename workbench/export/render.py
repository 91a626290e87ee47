"""A revision's content rendered as the Python source of an Alembic revision file.

The file needs only Alembic: ``UP_SQL`` and ``DOWN_SQL`` hold the SQL as reviewed, and
``upgrade()``/``downgrade()`` run it in the migration's transaction, except statements that
cannot run in one (``CREATE INDEX CONCURRENTLY``…), which run in autocommit.
"""
from __future__ import annotations

from datetime import datetime

from ..drafts import statements
from ..errors import WorkbenchError
from .content import RevisionContent
from .outside import runs_outside_transaction
from .pysource import docstring_body, module_constant, python_string

FINGERPRINT_NAME = "DRAFT_FINGERPRINT"


def render_revision(content: RevisionContent, down_revision: str | None, created: datetime) -> str:
    """The Python source of an Alembic revision running the content's up and down SQL."""
    source = REVISION_TEMPLATE.format(
        doc=docstring_body(header(content)),
        revision=content.revision_id, down_revision=down_revision,
        created=f"{created:%Y-%m-%d %H:%M:%S} UTC",
        fingerprint=content.content_hash,
        up=python_string(content.up_sql), down=python_string(content.down_sql),
        upgrade_body=direction_body("UP_SQL", content.up_parts()),
        downgrade_body=(f"raise NotImplementedError({'; '.join(content.irreversible)!r})"
                        if content.irreversible else direction_body("DOWN_SQL", content.down_parts())),
    )
    check_rendered(source, content)
    return source


def header(content: RevisionContent) -> str:
    """The docstring above ``Revision ID``: title, rationale, approval, accepted findings, hash."""
    parts = [content.title]
    if content.rationale:
        parts.append(content.rationale)
    review = []
    if content.approvers:
        review.append(f"Approved by: {', '.join(content.approvers)}")
    if content.accepted:
        review.append("Accepted safety findings:")
        review.extend(f"- {note}" for note in content.accepted)
    review.append(f"Content hash: {content.content_hash}")
    parts.append("\n".join(review))
    return "\n\n".join(parts)


def direction_body(constant: str, parts: list[str]) -> str:
    """How upgrade()/downgrade() run their SQL: all of ``constant`` in the migration's
    transaction, or, when some statement cannot run in one, runs of statements in turn."""
    pieces = [(piece, runs_outside_transaction(piece)) for part in parts for piece in statements(part)]
    if not any(outside for _, outside in pieces):
        return f"_run({constant})"
    return "\n    ".join(block(group, outside) for group, outside in grouped(pieces))


def grouped(pieces: list[tuple[str, bool]]) -> list[tuple[list[str], bool]]:
    """Consecutive statements that run the same way (inside or outside a transaction)."""
    groups: list[tuple[list[str], bool]] = []
    for piece, outside in pieces:
        if groups and groups[-1][1] == outside:
            groups[-1][0].append(piece)
        else:
            groups.append(([piece], outside))
    return groups


def block(group: list[str], outside: bool) -> str:
    """The lines running one group of statements, one by one."""
    if not outside:
        return statement_loop(group, "    ")
    return ("# CONCURRENTLY cannot run inside a transaction: these statements\n"
            "    # run one by one, each committing on its own\n"
            "    with op.get_context().autocommit_block():\n"
            f"        {statement_loop(group, '        ')}")


def statement_loop(group: list[str], indent: str) -> str:
    """``for statement in (...): _run(statement)`` at ``indent`` (its first line unindented)."""
    listed = "".join(f"\n{indent}    {literal(piece)}," for piece in group)
    return f"for statement in ({listed}\n{indent}):\n{indent}    _run(statement)"


def literal(piece: str) -> str:
    """One statement as a Python literal: repr() when on one line, else triple-quoted."""
    return python_string(piece) if "\n" in piece else repr(piece)


def check_rendered(source: str, content: RevisionContent) -> None:
    """Refuse a rendered file whose SQL constants differ from the content's (a rendering bug)."""
    def carried(name: str) -> str:
        value = module_constant(source, name)
        return value.strip() if isinstance(value, str) else ""

    if (carried("UP_SQL") != content.up_sql.strip() or carried("DOWN_SQL") != content.down_sql.strip()
            or carried(FINGERPRINT_NAME) != content.content_hash):
        raise WorkbenchError("rendered revision does not carry the Drafts' SQL",
                             where=content.title, hint="report this as a bug")


REVISION_TEMPLATE = '''"""{doc}

Revision ID: {revision}
Revises: {down_revision}
Create Date: {created}
"""
from alembic import context, op

revision = {revision!r}
down_revision = {down_revision!r}
branch_labels = None
depends_on = None
DRAFT_FINGERPRINT = {fingerprint!r}

UP_SQL = {up}

DOWN_SQL = {down}


def _run(sql: str) -> None:
    if context.is_offline_mode():
        op.get_context().impl.static_output(sql)
    else:
        op.get_bind().connection.driver_connection.execute(sql)


def upgrade() -> None:
    {upgrade_body}


def downgrade() -> None:
    {downgrade_body}
'''
