"""A verify report as HTML for notebooks: one row per revision, a cell per step, the head
checks below. Every name is escaped; colours carry the verdict, text says it too."""
from __future__ import annotations

from html import escape

from .report import Check, RevisionResult, VerifyReport

COLOURS = {"passed": "#e6f4ea", "failed": "#fce8e6", "skipped": "#f1f3f4", "info": "#e8f0fe"}
SYMBOLS = {"passed": "✓", "failed": "✗", "skipped": "–", "info": "i"}
CELL = "padding:2px 8px;border:1px solid #ddd;text-align:left;vertical-align:top"


def report_html(report: VerifyReport) -> str:
    """The whole report: verdict, revisions table, head checks table."""
    verdict = "all passed" if report.ok else "verification failed"
    colour = COLOURS["passed" if report.ok else "failed"]
    parts = [f'<div><p style="background:{colour};padding:4px 8px"><b>{len(report.results)} '
             f"revisions, {verdict}</b></p>", revisions_table(report.results)]
    if report.head:
        parts += ["<p><b>At head</b></p>", checks_table(report.head)]
    if report.impact is not None:
        parts += ["<p><b>Impact of the pending revisions</b></p>",
                  f"<pre>{escape(report.impact.text())}</pre>"]
    return "".join(parts) + "</div>"


def revisions_table(results: tuple[RevisionResult, ...]) -> str:
    """A row per revision, a column per step name (in the order steps first appear)."""
    steps = list(dict.fromkeys(c.name for r in results for c in r.checks))
    head = "".join(f'<th style="{CELL}">{escape(s)}</th>' for s in ["revision", "title", *steps])
    rows = "".join(revision_row(r, steps) for r in results)
    return f'<table style="border-collapse:collapse"><tr>{head}</tr>{rows}</table>'


def revision_row(result: RevisionResult, steps: list[str]) -> str:
    by_name = {c.name: c for c in result.checks}
    cells = [f'<td style="{CELL}" title="{escape(result.revision.path.name)}">'
             f"<code>{escape(result.revision.id)}</code></td>",
             f'<td style="{CELL}">{escape(result.title)}</td>']
    cells += [verdict_cell(by_name.get(step)) for step in steps]
    return f"<tr>{''.join(cells)}</tr>"


def verdict_cell(check: Check | None) -> str:
    """One step's verdict; its detail and items on hover, failures spelled out."""
    if check is None:
        return f'<td style="{CELL}"></td>'
    hover = escape("\n".join([check.detail, *check.items]).strip())
    text = SYMBOLS[check.verdict]
    if check.verdict in ("failed", "info") and check.detail:
        text += " " + escape(check.detail)
    return (f'<td style="{CELL};background:{COLOURS[check.verdict]}" title="{hover}">{text}'
            f"{items_list(check) if check.verdict == 'failed' else ''}</td>")


def checks_table(checks: tuple[Check, ...]) -> str:
    """A row per head check: name, verdict, detail and items."""
    rows = "".join(
        f'<tr><td style="{CELL}">{escape(c.name)}</td>'
        f'<td style="{CELL};background:{COLOURS[c.verdict]}">{SYMBOLS[c.verdict]} {c.verdict}</td>'
        f'<td style="{CELL}">{escape(c.detail)}{items_list(c)}</td></tr>' for c in checks)
    head = "".join(f'<th style="{CELL}">{h}</th>' for h in ("check", "verdict", "detail"))
    return f'<table style="border-collapse:collapse"><tr>{head}</tr>{rows}</table>'


def items_list(check: Check, limit: int = 20) -> str:
    if not check.items:
        return ""
    shown = "".join(f"<li>{escape(item)}</li>" for item in check.items[:limit])
    more = f"<li>… and {len(check.items) - limit} more</li>" if len(check.items) > limit else ""
    return f'<ul style="margin:2px 0">{shown}{more}</ul>'
