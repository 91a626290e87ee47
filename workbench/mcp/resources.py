"""What an agent can read besides the tools: the schema snapshot as JSON, the review report of
a session's Draft (Markdown), the advisor rules' documentation, and ER diagrams as SVG."""
from __future__ import annotations

import json

from .errors import resource

SNAPSHOT = "workbench://snapshot.json"
RULES = "workbench://lint-rules.md"


def register(app, state) -> None:
    """Add the resources to ``app``, read through ``state``'s session."""
    guarded = resource(state)

    @app.resource(SNAPSHOT, mime_type="application/json")
    @guarded
    def snapshot_json() -> str:
        """The snapshot of every user schema: tables, columns, constraints, indexes, policies,
        triggers, grants, functions, views, enums, sequences, extensions."""
        from .. import inspect

        return json.dumps(inspect(state.session).to_dict(), ensure_ascii=False)

    @app.resource(RULES, mime_type="text/markdown")
    @guarded
    def lint_rules() -> str:
        """Every advisor rule: what it finds, why it matters, how to fix it."""
        from ..lint import render_docs

        return render_docs()

    @app.resource("workbench://lint-rules/{rule_id}", mime_type="text/markdown")
    @guarded
    def lint_rule(rule_id: str) -> str:
        """One advisor rule's documentation (rule ids as get_advisors reports them)."""
        from ..lint import REGISTRY
        from ..lint.docs import rule_section

        return rule_section(REGISTRY[rule_id])

    @app.resource("workbench://review/{draft_id}", mime_type="text/markdown")
    @guarded
    def review(draft_id: str) -> str:
        """The design-review report of a Draft of this session, as Markdown: its SQL, safety
        and advisor findings, dry-run diff, lock trace, RLS matrix and checklist (rolled back)."""
        from ..report import gather, render_markdown

        return render_markdown(gather(state.session, [state.draft(draft_id)]))

    @app.resource("workbench://erd.svg", mime_type="image/svg+xml")
    @guarded
    def erd_svg() -> str:
        """The ER diagram of the whole database as SVG."""
        from .. import inspect
        from ..erd import erd

        return erd(inspect(state.session)).svg()

    @app.resource("workbench://erd/{table}.svg", mime_type="image/svg+xml")
    @guarded
    def erd_table_svg(table: str) -> str:
        """The ER diagram of one table's neighbourhood (one foreign-key step) as SVG."""
        from .. import inspect
        from ..erd import erd

        return erd(inspect(state.session), table).svg()
