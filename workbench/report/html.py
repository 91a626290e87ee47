"""``ReviewData`` → one self-contained HTML page: inline CSS, inline SVG, no scripts, no
external assets, every text HTML-escaped."""
from __future__ import annotations

from html import escape

from .model import PASSED, CheckResult, DraftEntry, FindingEntry, Grid, ImpactEntry, ReviewData
from .sections import (FINDING_COLUMNS, IMPACT_INTRO, change_rows, finding_row, section_titles,
                       status_word)
from .style import CSS

BOXES = {PASSED: "\u2611", "failed": "\u2610"}


def esc(value) -> str:
    """Text made safe for HTML content and attribute values."""
    return escape("" if value is None else str(value), quote=True)


def render_html(data: ReviewData) -> str:
    """The report as one HTML document."""
    titles = section_titles()
    body = "".join([header(data), checklist(data, titles["checklist"]), diagram(data, titles["diagram"]),
                    drafts(data, titles["drafts"]), findings(data, titles["findings"]),
                    dry_run(data, titles["dry run"]), impact(data, titles["impact"]), rls(data, titles["rls"]),
                    verify(data, titles["verify"]), signoff(titles["sign-off"])])
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{esc(data.title)}</title><style>{CSS}</style></head>\n"
            f"<body><main>{body}</main></body></html>\n")


def section(anchor: str, title: str, content: str) -> str:
    return f'\n<section id="{anchor}"><h2>{esc(title)}</h2>{content}</section>'


def unavailable(data: ReviewData, key: str) -> str:
    reason = data.unavailable.get(key, "not available")
    return f'<p class="unavailable">Not available: {esc(reason)}</p>'


def header(data: ReviewData) -> str:
    state = "already applied to the database" if data.applied else "not yet applied (dry run)"
    return (f"<header><h1>{esc(data.title)}</h1><p class=\"meta\">Database <code>{esc(data.database)}</code>"
            f" &middot; PostgreSQL {esc(data.server_version)} &middot; {len(data.drafts)} Draft(s)"
            f" &middot; change {esc(state)}</p></header>")


def checklist(data: ReviewData, title: str) -> str:
    ticked = sum(item.ticked for item in data.checklist)
    items = "".join(check_item(item) for item in data.checklist)
    return section("checklist", title, f'<p>{ticked} of {len(data.checklist)} ticked.</p>'
                   f'<ul class="checklist">{items}</ul>')


def check_item(item: CheckResult) -> str:
    status = item.status if item.status in BOXES else "unavailable"
    box = BOXES.get(item.status, "\u2012")
    detail = f" &mdash; {esc(item.detail)}" if item.detail else ""
    sub = "".join(f"<li>{esc(line)}</li>" for line in item.items)
    return (f'<li class="{status}"><span class="box" title="{esc(status_word(item.status))}">{box}</span>'
            f'<b>{esc(item.title)}</b>{detail}{f"<ul>{sub}</ul>" if sub else ""}</li>')


def diagram(data: ReviewData, title: str) -> str:
    touched = ", ".join(esc(t) for t in data.touched) or "none"
    intro = f"<p>Tables the change touches: {touched}.</p>"
    entry = data.diagram
    if entry is None or entry.svg is None:
        return section("diagram", title, intro + unavailable(data, "diagram"))
    return section("diagram", title, f'{intro}<p class="note">{esc(entry.title)}</p>'
                   f'<div class="diagram">{entry.svg}</div>')


def drafts(data: ReviewData, title: str) -> str:
    return section("drafts", title, "".join(draft(n, d) for n, d in enumerate(data.drafts, 1)))


def draft(number: int, entry: DraftEntry) -> str:
    approved = f"approved by {esc(entry.approved_by)}" if entry.approved_by else "not approved"
    source = f" &middot; from <code>{esc(entry.source)}</code>" if entry.source else ""
    rationale = "".join(f"<p>{esc(p)}</p>" for p in entry.rationale.split("\n\n") if p.strip())
    down = entry.down or f"-- irreversible: {entry.irreversible}"
    notes = "".join(f"<li>{esc(n)}</li>" for n in entry.notes)
    return (f"<article><h3>{number}. {esc(entry.title)}</h3><p class=\"meta\">{approved}{source}</p>"
            f"{rationale}<h4>Up</h4><pre><code>{esc(entry.up)}</code></pre>"
            f"<h4>Down (the rollback plan)</h4><pre><code>{esc(down)}</code></pre>"
            f"{f'<h4>Notes and accepted findings</h4><ul>{notes}</ul>' if notes else ''}</article>")


def findings(data: ReviewData, title: str) -> str:
    safety = data.findings_of("squawk", "workbench")
    advisors = data.findings_of("advisor")
    parts = ["<h3>Safety of the Drafts</h3>",
             unavailable(data, "safety") if "safety" in data.unavailable else findings_table(safety),
             "<h3>Advisors: findings the change introduces or fixes</h3>",
             unavailable(data, "advisors") if "advisors" in data.unavailable else findings_table(advisors)]
    if data.accepted:
        items = "".join(f"<li>{esc(a)}</li>" for a in data.accepted)
        parts.append(f"<h3>Accepted by the reviewer</h3><ul>{items}</ul>")
    return section("findings", title, "".join(parts))


def findings_table(entries: tuple[FindingEntry, ...]) -> str:
    if not entries:
        return "<p>None.</p>"
    rows = [finding_row(f) for f in entries]
    return table(Grid(FINDING_COLUMNS, tuple(rows)), level_column=1)


def dry_run(data: ReviewData, title: str) -> str:
    if data.changes is None:
        return section("dry-run", title, unavailable(data, "dry run"))
    restores = {True: '<span class="good">yes</span>', False: '<span class="bad">no</span>',
                None: "not checked (irreversible)"}[data.restores]
    how = "measured backwards: down, then up again" if data.applied else "applied, then rolled back"
    return section("dry-run", title, f"<p>{len(data.changes)} change(s), {how}. "
                   f"The rollback plan restores the schema: {restores}.</p>"
                   + table(Grid(("action", "kind", "name", "fields"), change_rows(data.changes))))


def impact(data: ReviewData, title: str) -> str:
    if not data.impact:
        return section("impact", title, unavailable(data, "impact"))
    entries = "".join(impact_entry(n, e) for n, e in enumerate(data.impact, 1))
    return section("impact", title, f"<p>{esc(IMPACT_INTRO)}</p>{entries}")


def impact_entry(number: int, entry: ImpactEntry) -> str:
    heading = f"<h3>{number}. {esc(entry.draft)}</h3>"
    if entry.error:
        return f'{heading}<p><span class="bad">Not traced:</span> {esc(entry.error)}</p>'
    items = "".join(f"<li>{esc(note)}</li>" for note in entry.notes)
    notes = f'<ul class="note">{items}</ul>' if items else ""
    return f'{heading}<p class="meta">{esc(entry.headline)}</p>{table(entry.statements)}{notes}'


def rls(data: ReviewData, title: str) -> str:
    if data.rls is None:
        return section("rls", title, unavailable(data, "rls"))
    return section("rls", title, table(data.rls))


def verify(data: ReviewData, title: str) -> str:
    entry = data.verify
    if entry is None:
        return section("verify", title, unavailable(data, "verify"))
    verdict = '<span class="good">passed</span>' if entry.ok else '<span class="bad">failed</span>'
    return section("verify", title, f"<p>Verify {verdict}: {esc(entry.summary)}</p>"
                   f"<h3>Revisions</h3>{table(entry.revisions)}<h3>At head</h3>{table(entry.head)}")


def signoff(title: str) -> str:
    rows = "".join(f"<tr><th>{label}</th><td></td></tr>" for label in ("Reviewer", "Date", "Decision"))
    return section("sign-off", title, f'<table class="signoff">{rows}</table>')


def table(grid: Grid, level_column: int | None = None) -> str:
    """A grid as an HTML table (every cell escaped)."""
    head = "".join(f"<th>{esc(c)}</th>" for c in grid.columns)
    body = "".join("<tr>" + "".join(cell(v, i == level_column) for i, v in enumerate(row)) + "</tr>"
                   for row in grid.rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def cell(value: str, is_level: bool) -> str:
    if is_level:
        return f'<td class="level-{esc(value)}">{esc(value)}</td>'
    return f"<td>{esc(value)}</td>"
