"""Revision files read back: the revision already exported for some content, and
``Draft.from_revision`` to review an existing revision in the studio."""
from __future__ import annotations

from pathlib import Path

import pglast

from ..drafts import Draft
from ..errors import WorkbenchError
from .pysource import module_constant, module_docstring
from .render import FINGERPRINT_NAME

HEADER_STARTS = ("Approved by:", "Accepted safety findings:", "Content hash:", "Revision ID:")


def find_exported(content_hash: str, versions_dir: Path) -> Path | None:
    """The revision file already written for content with this hash, if any."""
    for path in sorted(versions_dir.glob("*.py")):
        if module_constant(path.read_text(encoding="utf-8"), FINGERPRINT_NAME) == content_hash:
            return path
    return None


def from_revision(path: Path | str) -> Draft:
    """The Draft a revision file carries: title and rationale from its docstring, up and
    down SQL from ``UP_SQL``/``DOWN_SQL``. Not approved: it is for review."""
    path = Path(path)
    try:
        source = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise WorkbenchError(f"cannot read revision: {exc.strerror}", where=str(path)) from None
    up, down = module_constant(source, "UP_SQL"), module_constant(source, "DOWN_SQL")
    if not isinstance(up, str) or not up.strip():
        raise WorkbenchError("not a workbench revision: no UP_SQL string", where=str(path),
                             hint="only revisions that keep their SQL in UP_SQL/DOWN_SQL can be read back")
    title, rationale, accepted = describe(module_docstring(source), path)
    down = down if isinstance(down, str) else ""
    irreversible = "" if has_statements(down) else (irreversible_reason(down) or "no DOWN_SQL")
    return Draft(title, up.strip(), down.strip() if not irreversible else "", rationale=rationale,
                 notes=accepted, irreversible=irreversible)


def describe(doc: str, path: Path) -> tuple[str, str, tuple[str, ...]]:
    """Title, rationale and accepted findings from a revision's docstring."""
    paragraphs = [p.strip("\n") for p in doc.strip().split("\n\n")]
    title = paragraphs[0].strip() if paragraphs and paragraphs[0].strip() else path.stem
    body = [p for p in paragraphs[1:] if not p.lstrip().startswith(HEADER_STARTS)]
    review = "\n".join(p for p in paragraphs[1:] if p.lstrip().startswith(HEADER_STARTS))
    return title, "\n\n".join(body).strip(), accepted_findings(review)


def accepted_findings(review: str) -> tuple[str, ...]:
    """The ``- …`` lines under ``Accepted safety findings:``."""
    lines = review.splitlines()
    if "Accepted safety findings:" not in lines:
        return ()
    found = []
    for line in lines[lines.index("Accepted safety findings:") + 1:]:
        if not line.startswith("- "):
            break
        found.append(line[2:])
    return tuple(found)


def has_statements(sql: str) -> bool:
    """Whether ``sql`` holds at least one statement (not only comments)."""
    return bool(sql.strip()) and bool(pglast.parse_sql(sql))


def irreversible_reason(down: str) -> str:
    """The reasons written as ``-- irreversible: …`` comments."""
    marker = "-- irreversible: "
    return "; ".join(line[len(marker):].strip() for line in down.splitlines() if line.startswith(marker))
