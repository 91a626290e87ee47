"""Export: approved Drafts become Alembic revision files, and revision files become Drafts.

- :func:`export` writes one revision from one Draft or several (in order), with a readable
  header, optional plain SQL files beside it, idempotently and atomically, never creating a
  second head;
- :func:`from_revision` reads a revision back as a Draft, for review
  (also ``Draft.from_revision``).
"""
from __future__ import annotations

from .content import RevisionContent, revision_content
from .pysource import module_constant, module_docstring
from .reading import find_exported, from_revision
from .render import FINGERPRINT_NAME, render_revision
from .writer import export

__all__ = ["export", "from_revision", "revision_content", "RevisionContent", "render_revision",
           "find_exported", "module_constant", "module_docstring", "FINGERPRINT_NAME"]
