"""The report's inline style sheet: readable on screen and on paper, no external assets."""
from __future__ import annotations

CSS = """
:root { color-scheme: light; --ok: #1a7f37; --bad: #cf222e; --muted: #57606a; --line: #d0d7de; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color: #1f2328; background: #fff; }
main { max-width: 1100px; margin: 0 auto; padding: 24px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 32px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 16px; margin: 20px 0 6px; }
h4 { font-size: 14px; margin: 12px 0 4px; color: var(--muted); }
.meta, .note { color: var(--muted); }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; }
pre { background: #f6f8fa; border: 1px solid var(--line); border-radius: 6px; padding: 10px;
      overflow-x: auto; white-space: pre-wrap; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; font-size: 13px; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top;
         overflow-wrap: break-word; }
th { background: #f6f8fa; }
ul.checklist { list-style: none; padding-left: 0; }
ul.checklist > li { margin: 6px 0; padding: 6px 10px; border-left: 4px solid var(--line); }
ul.checklist > li.passed { border-left-color: var(--ok); }
ul.checklist > li.failed { border-left-color: var(--bad); }
.box { font-size: 18px; margin-right: 6px; }
.passed .box, .good { color: var(--ok); }
.failed .box, .bad { color: var(--bad); }
.level-error { color: var(--bad); font-weight: 600; }
.diagram { overflow-x: auto; border: 1px solid var(--line); border-radius: 6px; padding: 8px; }
.diagram svg { max-width: 100%; height: auto; }
.unavailable { color: var(--muted); font-style: italic; }
table.signoff { width: auto; min-width: 60%; }
.signoff th { width: 9em; }
.signoff td { height: 32px; }
@media print { main { max-width: none; padding: 0; } h2 { break-after: avoid; } pre { break-inside: avoid; } }
"""
