"""Approved Drafts become Alembic revision files.

One file per Draft, named ``YYYYMMDDHHMMSS_<slug>.py``, chained to the single current head.
Export is idempotent (the same Draft gives the same revision, found by its fingerprint),
never overwrites, writes atomically, and refuses to create a second head.
"""
from __future__ import annotations

import ast
import os
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from .drafts import Draft, statements
from .drafts.transactional import transactional_statements
from .errors import WorkbenchError
from .migrations import ScriptHistory, default_migrations_dir

FINGERPRINT_NAME = "DRAFT_FINGERPRINT"


def export(draft: Draft, migrations_dir: Path | str | None = None, *, now: datetime | None = None) -> Path:
    """Write ``draft`` as a revision in ``<migrations_dir>/versions`` and return its path.

    Only an approved Draft (``draft.approve(by=...)``) is exported. Exporting a Draft
    already exported returns the existing file unchanged.
    """
    if not draft.approved:
        raise WorkbenchError(f"Draft {draft.title!r} is not approved", where="export",
                             hint="review it (dry run, findings), then export draft.approve(by='you')")
    history = ScriptHistory(Path(migrations_dir) if migrations_dir else default_migrations_dir())
    existing = find_exported(draft, history.versions_dir)
    if existing:
        return existing
    head = history.single_head()
    created = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    path = history.versions_dir / f"{created:%Y%m%d%H%M%S}_{draft.slug}.py"
    source = render_revision(draft, revision_id(draft), head, created)
    write_new_file(path, source)
    return path


def revision_id(draft: Draft) -> str:
    """The revision id: the start of the Draft's fingerprint, so it is the same on every export."""
    return draft.fingerprint[:12]


def find_exported(draft: Draft, versions_dir: Path) -> Path | None:
    """The revision file already written for ``draft``, if any."""
    for path in sorted(versions_dir.glob("*.py")):
        if module_constant(path.read_text(), FINGERPRINT_NAME) == draft.fingerprint:
            return path
    return None


def render_revision(draft: Draft, revision: str, down_revision: str | None, created: datetime) -> str:
    """The Python source of an Alembic revision running the Draft's up and down SQL."""
    doc = draft.title.strip() + (f"\n\n{draft.rationale.strip()}" if draft.rationale.strip() else "")
    source = REVISION_TEMPLATE.format(
        doc=doc.replace('"""', "'''").replace("\\", "\\\\"),
        revision=revision, down_revision=down_revision, created=f"{created:%Y-%m-%d %H:%M:%S} UTC",
        fingerprint=draft.fingerprint,
        up=python_string(draft.up.strip() + "\n"),
        down=python_string((draft.down.strip() or f"-- irreversible: {draft.irreversible}") + "\n"),
        upgrade_body=direction_body("UP_SQL", draft.up),
        downgrade_body=(direction_body("DOWN_SQL", draft.down) if draft.down.strip() else
                        f"raise NotImplementedError({draft.irreversible!r})"),
    )
    check_rendered(source, draft)
    return source


def direction_body(constant: str, sql: str) -> str:
    """How upgrade()/downgrade() run their SQL: in the migration's transaction, or, when a
    statement cannot run in one (``CONCURRENTLY``), statement by statement in autocommit."""
    steps = transactional_statements(sql)
    if not any(step.was_concurrent for step in steps):
        return f"_run({constant})"
    listed = "".join(f"\n            {python_string(piece) if chr(10) in piece else repr(piece)},"
                     for piece in statements(sql))
    return (f"# CONCURRENTLY cannot run inside a transaction: the statements of {constant}\n"
            "    # run one by one, each committing on its own\n"
            "    with op.get_context().autocommit_block():\n"
            f"        for statement in ({listed}\n        ):\n"
            "            _run(statement)")


def python_string(text: str) -> str:
    """A Python literal for ``text``: a readable triple-quoted string when safe, else repr()."""
    plain = all(ch.isprintable() or ch in "\n\t" for ch in text)
    if plain and '"""' not in text and "\\" not in text and not text.endswith('"'):
        return f'"""\n{text}"""'
    return repr(text)


def check_rendered(source: str, draft: Draft) -> None:
    """Refuse a rendered file whose SQL constants differ from the Draft's (a rendering bug)."""
    if module_constant(source, "UP_SQL").strip() != draft.up.strip():
        raise WorkbenchError("rendered revision does not carry the Draft's up SQL",
                             where=draft.title, hint="report this as a bug")


def module_constant(source: str, name: str):
    """The literal value assigned to ``name`` at the top of a Python module, or None."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
            try:
                return ast.literal_eval(node.value)
            except ValueError:
                return None
    return None


def write_new_file(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically; never replace an existing file."""
    if path.exists():
        raise WorkbenchError(f"{path.name} already exists", where=str(path.parent),
                             hint="export never overwrites: rename or remove the existing file")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".export-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(text)
        os.link(tmp, path)  # fails if path appeared meanwhile: no overwrite, even in a race
    finally:
        os.unlink(tmp)


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
