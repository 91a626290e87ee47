"""The parser's safety belt: a Draft's SQL must survive parse → print → parse unchanged.

Each statement is parsed with pglast, printed back from its syntax tree and parsed again; the
two parse trees must have the same fingerprint. A Draft is re-checked this way before it is
approved (:func:`approve`).
"""
from __future__ import annotations

from pglast.parser import fingerprint
from pglast.stream import RawStream

from .draft import Draft, DraftError
from .sqltext import check_sql, statements


def roundtrip_problems(text: str) -> list[str]:
    """Statements of ``text`` whose printed form parses to a different tree (numbered)."""
    problems = []
    for number, piece in enumerate(statements(text), start=1):
        (raw,) = check_sql(piece)
        try:
            printed = RawStream()(raw.stmt)
        except Exception as exc:  # a node kind pglast cannot print: say so, do not pass it
            problems.append(f"statement {number} cannot be printed back: {exc}")
            continue
        if fingerprint(printed) != fingerprint(piece):
            problems.append(f"statement {number} changes meaning when printed back")
    return problems


def reparse(draft: Draft) -> Draft:
    """``draft`` itself, after checking that its up and down SQL re-parse identically."""
    check_sql(draft.up, f"up SQL of Draft {draft.title!r}")
    problems = [f"up: {p}" for p in roundtrip_problems(draft.up)]
    if draft.down.strip():
        check_sql(draft.down, f"down SQL of Draft {draft.title!r}")
        problems += [f"down: {p}" for p in roundtrip_problems(draft.down)]
    if problems:
        raise DraftError("the Draft's SQL does not survive a parser round trip",
                         where=f"Draft {draft.title!r}: {'; '.join(problems)}",
                         hint="simplify the statement or report the SQL that fails")
    return draft


def approve(draft: Draft, by: str = "reviewer") -> Draft:
    """``draft`` re-parsed (see :func:`reparse`), then marked approved by ``by``."""
    return reparse(draft).approve(by=by)
