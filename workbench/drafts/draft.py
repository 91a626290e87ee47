"""``Draft``: one proposed change, as data: title, rationale, up SQL, down SQL, safety notes."""
from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field, replace

from ..errors import WorkbenchError
from .sqltext import check_sql


class DraftError(WorkbenchError):
    """A Draft that cannot be made as given (empty title, missing down SQL…)."""


@dataclass(frozen=True)
class Draft:
    """A proposed change. Both SQL texts must parse with PostgreSQL's parser.

    ``down`` undoes ``up``; a change that cannot be undone says so with
    ``irreversible`` set to the reason, and an empty ``down``.
    """

    title: str
    up: str
    down: str = ""
    rationale: str = ""
    notes: tuple[str, ...] = field(default=())
    irreversible: str = ""
    approved_by: str | None = field(default=None, compare=False)
    migration: object = field(default=None, compare=False, repr=False)
    proof: object = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.title.strip():
            raise DraftError("a Draft needs a title", hint="say in a few words what the change does")
        if not self.up.strip():
            raise DraftError("the up SQL is empty", where=f"Draft {self.title!r}")
        check_sql(self.up, label=f"up SQL of Draft {self.title!r}")
        if self.down.strip():
            check_sql(self.down, label=f"down SQL of Draft {self.title!r}")
        elif not self.irreversible:
            raise DraftError(
                "the down SQL is empty", where=f"Draft {self.title!r}",
                hint="write the SQL that undoes the change, or pass irreversible='<reason>'")

    @property
    def approved(self) -> bool:
        return self.approved_by is not None

    def approve(self, by: str = "reviewer") -> Draft:
        """This Draft, re-parsed (parse → print → parse), marked approved by ``by`` (a new
        object: Drafts are immutable)."""
        if not by.strip():
            raise DraftError("approval needs a name", hint="say who approves, e.g. approve(by='alice')")
        from .reparse import reparse  # the parser's safety belt, checked at approval

        return replace(reparse(self), approved_by=by.strip())

    @staticmethod
    def from_diff(before, after, *, title: str, **options) -> Draft:
        """The Draft from snapshot ``before`` to snapshot ``after``: up and down SQL derived by
        :func:`workbench.diff.diff_sql` and proven both ways on a throwaway database
        (``draft.proof``). Options: ``renames``, ``allow_destructive``, ``rationale``,
        ``prove_on`` (a Session or admin DSN; default the embedded server), ``prove``."""
        from .from_diff import draft_from_diff

        return draft_from_diff(before, after, title=title, **options)

    @staticmethod
    def from_revision(path) -> Draft:
        """The Draft an exported revision file carries (title, rationale, up and down SQL)."""
        from ..export import from_revision

        return from_revision(path)

    @property
    def fingerprint(self) -> str:
        """A stable hash of what the Draft does (title and SQL), for idempotent export."""
        content = "\x00".join([self.title.strip(), self.up.strip(), self.down.strip()])
        return hashlib.sha256(content.encode()).hexdigest()

    @property
    def slug(self) -> str:
        """The title as a file-name part: lower case ASCII words joined by underscores."""
        return slugify(self.title)

    def _repr_markdown_(self) -> str:
        parts = [f"**Draft: {self.title}**"]
        if self.rationale:
            parts.append(self.rationale)
        parts.append(f"up:\n```sql\n{self.up.strip()}\n```")
        down = self.down.strip() or f"-- irreversible: {self.irreversible}"
        parts.append(f"down:\n```sql\n{down}\n```")
        parts.extend(f"- note: {note}" for note in self.notes)
        if self.proof is not None:
            parts.append(f"proof:\n```\n{self.proof.summary_text()}\n```")
        return "\n\n".join(parts)


def slugify(text: str, limit: int = 48) -> str:
    """``text`` as lower-case ASCII words joined by underscores, at most ``limit`` characters."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words, word = [], []
    for char in ascii_text.lower():
        if char.isalnum():
            word.append(char)
        elif word:
            words.append("".join(word))
            word = []
    if word:
        words.append("".join(word))
    return "_".join(words)[:limit].rstrip("_") or "change"
