"""A Report as plain text (terminals, CI logs) and as HTML (notebooks): grouped by level,
then category, with counts."""
from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from .finding import LEVELS, Finding

if TYPE_CHECKING:
    from .report import Report

COLOURS = {"error": "#c62828", "warn": "#ef6c00", "info": "#1565c0"}


def summary_line(report: Report) -> str:
    """``2 error, 5 warn, 16 info`` plus what was ignored or skipped."""
    text = ", ".join(f"{n} {level}" for level, n in report.counts().items())
    if report.ignored:
        text += f"; {report.ignored} ignored by config"
    if report.skipped:
        text += f"; skipped without a connection: {', '.join(report.skipped)}"
    return text


def report_text(report: Report) -> str:
    """One line per finding (level, rule, object, message) with its fix's title below."""
    lines = []
    for f in report.findings:
        lines.append(f"{f.level:<5}  {f.rule}  {f.object}: {f.message}")
        if f.remediation is not None:
            lines.append(f"       fix: {f.remediation.title}")
    lines.append(summary_line(report) if lines else f"no findings ({summary_line(report)})")
    return "\n".join(lines)


def _groups(findings: tuple[Finding, ...], level: str) -> dict[str, list[Finding]]:
    groups: dict[str, list[Finding]] = {}
    for f in findings:
        if f.level == level:
            groups.setdefault(f.categories[0] if f.categories else "other", []).append(f)
    return dict(sorted(groups.items()))


def _rows(findings: list[Finding]) -> str:
    return "".join(
        f"<tr><td><code>{escape(f.rule)}</code></td><td>{escape(f.object)}</td>"
        f"<td>{escape(f.message)}</td>"
        f"<td>{escape(f.remediation.title) if f.remediation else '—'}</td></tr>"
        for f in findings)


def _level_html(report: Report, level: str) -> str:
    groups = _groups(report.findings, level)
    if not groups:
        return ""
    parts = [f"<h4 style='color:{COLOURS[level]};margin:0.6em 0 0.2em'>{level} "
             f"({sum(map(len, groups.values()))})</h4>"]
    for category, found in groups.items():
        parts.append(f"<p style='margin:0.3em 0'><b>{escape(category)}</b> ({len(found)})</p>"
                     "<table><thead><tr><th>rule</th><th>object</th><th>finding</th>"
                     f"<th>drafted fix</th></tr></thead><tbody>{_rows(found)}</tbody></table>")
    return "".join(parts)


def report_html(report: Report) -> str:
    """The report as HTML: counts, then one section per level, one table per category."""
    head = (f"<p><b>Lint report{' of ' + escape(report.database) if report.database else ''}</b>: "
            f"{escape(summary_line(report))}</p>")
    body = "".join(_level_html(report, level) for level in LEVELS)
    return f"<div class='workbench-lint'>{head}{body or '<p>no findings</p>'}</div>"
