"""The single head: a new revision chains to it, and export never leaves two heads behind."""
from __future__ import annotations

from pathlib import Path

from ..errors import WorkbenchError
from ..migrations import ScriptHistory


def current_head(history: ScriptHistory) -> str | None:
    """The one head of the history (None when empty); two or more heads is refused."""
    heads = history.heads()
    if len(heads) > 1:
        raise two_heads_error(history, heads)
    return heads[0] if heads else None


def check_single_head(migrations_dir: Path) -> None:
    """Re-read the history from disk and refuse it if it now has several heads."""
    history = ScriptHistory(migrations_dir)
    heads = history.heads()
    if len(heads) > 1:
        raise two_heads_error(history, heads)


def two_heads_error(history: ScriptHistory, heads: tuple[str, ...]) -> WorkbenchError:
    """The error for a forked history, saying how to rebase one branch onto the other."""
    return WorkbenchError(
        f"the history has {len(heads)} heads: {', '.join(heads)}; "
        "export refuses to add a revision to a forked history",
        where=str(history.versions_dir), hint=rebase_hint(history, heads))


def rebase_hint(history: ScriptHistory, heads: tuple[str, ...]) -> str:
    """How to put the newer branch after the older head (or merge them)."""
    script = history.script
    ordered = sorted(heads, key=lambda h: Path(script.get_revision(h).path).name)
    older, newer = ordered[0], ordered[-1]
    root = script.get_revision(branch_root(history, newer, older))
    return (f"rebase the newer branch onto the new head: in {Path(root.path).name} set "
            f"down_revision = {older!r} (and its 'Revises:' line), so that it follows "
            f"{Path(script.get_revision(older).path).name}; then run "
            "'workbench migrations verify' (or join them with 'alembic merge heads')")


def branch_root(history: ScriptHistory, head: str, other: str) -> str:
    """The first revision on ``head``'s branch that ``other`` does not already include."""
    shared = set(ancestors(history, other))
    chain = [r for r in ancestors(history, head) if r not in shared]
    return chain[-1] if chain else head


def ancestors(history: ScriptHistory, revision: str) -> list[str]:
    """``revision`` and every revision below it, newest first (following first parents)."""
    found = []
    current = revision
    while current:
        found.append(current)
        down = history.script.get_revision(current).down_revision
        current = down[0] if isinstance(down, (tuple, list)) else down
    return found
