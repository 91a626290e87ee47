"""``ReviewData`` → Markdown (GitHub flavour): checklist as task items, SQL in fenced blocks,
the diagram as Mermaid. Text outside code is escaped, so names cannot become markup."""
from __future__ import annotations

from .model import PASSED, DraftEntry, FindingEntry, Grid, ImpactEntry, ReviewData
from .sections import (FINDING_COLUMNS, IMPACT_INTRO, change_rows, finding_row, section_titles,
                       status_word)

INLINE = frozenset("\\`*_[]|~$")
BLOCK_STARTS = frozenset("#-+=>")
ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def md(text, line_start: bool = False) -> str:
    """Text escaped for Markdown: emphasis, code, link, table and math characters
    backslashed, ``& < >`` as entities, line breaks as spaces; at the start of a line,
    nothing read as a heading, list or quote either."""
    out = []
    for ch in "" if text is None else str(text):
        if ch in ENTITIES:
            out.append(ENTITIES[ch])
        elif ch in INLINE:
            out.append("\\" + ch)
        elif ch in "\r\n\t" or not ch.isprintable():
            out.append(" ")
        else:
            out.append(ch)
    return block_safe("".join(out)) if line_start else "".join(out)


def block_safe(text: str) -> str:
    """``text`` with a leading ``#``, ``-``, ``+``, ``=``, ``>`` or ``1.`` escaped."""
    stripped = text.lstrip(" ")
    if stripped[:1] in BLOCK_STARTS:
        return "\\" + stripped
    digits = len(stripped) - len(stripped.lstrip("0123456789"))
    if digits and stripped[digits:digits + 1] in (".", ")"):
        return stripped[:digits] + "\\" + stripped[digits:]
    return text


def fenced(text: str, info: str = "") -> str:
    """``text`` in a code fence longer than any run of backticks inside it."""
    longest = run = 0
    for ch in text:
        run = run + 1 if ch == "`" else 0
        longest = max(longest, run)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{info}\n{text}\n{fence}"


def render_markdown(data: ReviewData) -> str:
    """The report as Markdown."""
    titles = section_titles()
    parts = [header(data), checklist(data, titles["checklist"]), diagram(data, titles["diagram"]),
             drafts(data, titles["drafts"]), findings(data, titles["findings"]),
             dry_run(data, titles["dry run"]), impact(data, titles["impact"]), rls(data, titles["rls"]),
             verify(data, titles["verify"]), signoff(titles["sign-off"])]
    return "\n\n".join(parts) + "\n"


def heading(level: int, text: str) -> str:
    return "#" * level + " " + md(text)


def unavailable(data: ReviewData, key: str) -> str:
    return f"_Not available: {md(data.unavailable.get(key, 'not available'))}_"


def header(data: ReviewData) -> str:
    state = "already applied to the database" if data.applied else "not yet applied (dry run)"
    return (f"{heading(1, data.title)}\n\nDatabase {md(data.database)} · PostgreSQL "
            f"{md(data.server_version)} · {len(data.drafts)} Draft(s) · change {md(state)}")


def checklist(data: ReviewData, title: str) -> str:
    ticked = sum(item.ticked for item in data.checklist)
    lines = [heading(2, title), "", f"{ticked} of {len(data.checklist)} ticked.", ""]
    for item in data.checklist:
        box = "[x]" if item.status == PASSED else "[ ]"
        detail = f": {md(item.detail)}" if item.detail else ""
        lines.append(f"- {box} **{md(item.title)}** ({status_word(item.status)}){detail}")
        lines += [f"  - {md(line, True)}" for line in item.items]
    return "\n".join(lines)


def diagram(data: ReviewData, title: str) -> str:
    touched = ", ".join(md(t) for t in data.touched) or "none"
    parts = [heading(2, title), f"Tables the change touches: {touched}."]
    entry = data.diagram
    if entry is None or entry.mermaid is None:
        parts.append(unavailable(data, "diagram"))
    else:
        parts.append(fenced(entry.mermaid.rstrip("\n"), "mermaid"))
    return "\n\n".join(parts)


def drafts(data: ReviewData, title: str) -> str:
    return "\n\n".join([heading(2, title), *(draft(n, d) for n, d in enumerate(data.drafts, 1))])


def draft(number: int, entry: DraftEntry) -> str:
    approved = f"approved by {md(entry.approved_by)}" if entry.approved_by else "not approved"
    source = f" · from {md(entry.source)}" if entry.source else ""
    parts = [heading(3, f"{number}. {entry.title}"), approved + source]
    parts += [md(p, True) for p in entry.rationale.split("\n\n") if p.strip()]
    down = entry.down or f"-- irreversible: {entry.irreversible}"
    parts += ["Up:", fenced(entry.up, "sql"), "Down (the rollback plan):", fenced(down, "sql")]
    if entry.notes:
        parts.append("Notes and accepted findings:\n\n" + "\n".join(f"- {md(n, True)}" for n in entry.notes))
    return "\n\n".join(parts)


def findings(data: ReviewData, title: str) -> str:
    safety = data.findings_of("squawk", "workbench")
    advisors = data.findings_of("advisor")
    parts = [heading(2, title), heading(3, "Safety of the Drafts"),
             unavailable(data, "safety") if "safety" in data.unavailable else findings_table(safety),
             heading(3, "Advisors: findings the change introduces or fixes"),
             unavailable(data, "advisors") if "advisors" in data.unavailable else findings_table(advisors)]
    if data.accepted:
        parts += [heading(3, "Accepted by the reviewer"), "\n".join(f"- {md(a, True)}" for a in data.accepted)]
    return "\n\n".join(parts)


def findings_table(entries: tuple[FindingEntry, ...]) -> str:
    if not entries:
        return "None."
    return table(Grid(FINDING_COLUMNS, tuple(finding_row(f) for f in entries)))


def dry_run(data: ReviewData, title: str) -> str:
    if data.changes is None:
        return heading(2, title) + "\n\n" + unavailable(data, "dry run")
    restores = {True: "yes", False: "**no**", None: "not checked (irreversible)"}[data.restores]
    how = "measured backwards: down, then up again" if data.applied else "applied, then rolled back"
    return "\n\n".join([heading(2, title), f"{len(data.changes)} change(s), {how}. The rollback "
                        f"plan restores the schema: {restores}.",
                        table(Grid(("action", "kind", "name", "fields"), change_rows(data.changes)))])


def impact(data: ReviewData, title: str) -> str:
    if not data.impact:
        return heading(2, title) + "\n\n" + unavailable(data, "impact")
    return "\n\n".join([heading(2, title), IMPACT_INTRO,
                        *(impact_entry(n, e) for n, e in enumerate(data.impact, 1))])


def impact_entry(number: int, entry: ImpactEntry) -> str:
    parts = [heading(3, f"{number}. {entry.draft}")]
    if entry.error:
        return "\n\n".join([*parts, f"**Not traced:** {md(entry.error)}"])
    parts += [md(entry.headline, True), table(entry.statements)]
    if entry.notes:
        parts.append("\n".join(f"- {md(note, True)}" for note in entry.notes))
    return "\n\n".join(parts)


def rls(data: ReviewData, title: str) -> str:
    body = unavailable(data, "rls") if data.rls is None else table(data.rls)
    return heading(2, title) + "\n\n" + body


def verify(data: ReviewData, title: str) -> str:
    entry = data.verify
    if entry is None:
        return heading(2, title) + "\n\n" + unavailable(data, "verify")
    verdict = "passed" if entry.ok else "**failed**"
    return "\n\n".join([heading(2, title), f"Verify {verdict}: {md(entry.summary)}",
                        heading(3, "Revisions"), table(entry.revisions),
                        heading(3, "At head"), table(entry.head)])


def signoff(title: str) -> str:
    return heading(2, title) + "\n\n| | |\n| --- | --- |\n| Reviewer | |\n| Date | |\n| Decision | |"


def table(grid: Grid) -> str:
    """A grid as a Markdown table (cells escaped; an empty grid says so)."""
    if not grid.rows:
        return "None."
    lines = ["| " + " | ".join(md(c) for c in grid.columns) + " |",
             "| " + " | ".join("---" for _ in grid.columns) + " |"]
    lines += ["| " + " | ".join(md(v) for v in row) + " |" for row in grid.rows]
    return "\n".join(lines)
