"""``docs/lint-rules.md``, generated from the registry so it cannot drift from the rules.

Regenerate with ``python -m workbench.lint.docs`` (a test fails when the page is stale).
"""
from __future__ import annotations

from pathlib import Path

from .registry import CATEGORIES, REGISTRY, Registry, Rule

HEADER = """\
# Lint rules

<!-- Generated from the rule registry by `python -m workbench.lint.docs`; do not edit by hand. -->

`workbench.lint.lint(schema)` (or `workbench lint` in a terminal) runs these rules over a
schema snapshot. Each finding names its rule, level and object, and carries a drafted fix
(a `Draft` with up and down SQL) where one can be written. Configure the rules in
`[tool.workbench.lint]` of `pyproject.toml`: `enable`, `disable`, `levels`, `ignore`
(finding keys), `tenant_columns`, `tenant_exempt`, `audit_columns`, `updated_at_columns`,
`updated_at_function`, `sensitive_patterns`, `sensitive_exempt`, `exposed_schemas`,
`api_roles`, `skip_schemas`, `per_row_functions`, `index_name_pattern` and `plugins`
(modules with a team's own rules, registered with `@workbench.lint.rule`).

Each rule also says what it does with **partitioned tables** (the parent, which holds no
rows), their **partitions** and the **children of classic inheritance** (`INHERITS`). In
short: a partition takes its parent's columns, keys, indexes (attached to the parent's) and
row triggers; a child takes its parent's columns (with NOT NULL and CHECK) and nothing else.
Row Level Security, policies and privileges are never inherited: the parent's apply to
queries through the parent, and a partition or child queried directly needs its own. A
finding is made where its fix belongs: on the parent for what the parent declares (an index,
key or column created on the parent reaches every partition), on the partition or child for
what it declares itself.
"""


def rule_section(rule: Rule) -> str:
    """The documentation entry of one rule."""
    flags = [f"level: **{rule.level}**", f"categories: {', '.join(rule.categories)}"]
    if not rule.enabled:
        flags.append("off by default (`enable` it)")
    if rule.needs_connection:
        flags.append("needs a live connection (statistics)")
    text = (f"### `{rule.id}`\n\n{rule.summary}.\n\n{'; '.join(flags)}.\n\n"
            f"**Why:** {rule.why}\n\n**Fix:** {rule.fix}\n")
    if rule.partitions:
        text += f"\n**Partitions and inheritance:** {rule.partitions}\n"
    return text


def _index(rules: list[Rule]) -> str:
    lines = ["| rule | level | categories | what |", "| --- | --- | --- | --- |"]
    lines += [f"| [`{r.id}`](#{r.id}) | {r.level} | {', '.join(r.categories)} | {r.summary} |"
              for r in rules]
    return "\n".join(lines) + "\n"


def render_docs(registry: Registry = REGISTRY) -> str:
    """The Markdown page documenting every registered rule, grouped by first category."""
    rules = sorted(registry, key=lambda r: (CATEGORIES.index(r.categories[0]), r.id))
    parts = [HEADER, _index(rules)]
    for category in CATEGORIES:
        members = [r for r in rules if r.categories[0] == category]
        if members:
            parts.append(f"## {category.capitalize()}\n")
            parts += [rule_section(r) for r in members]
    return "\n".join(parts)


def docs_path() -> Path:
    """Where the page lives in the project: ``docs/lint-rules.md``."""
    from ..embedded import project_home

    return project_home() / "docs" / "lint-rules.md"


def write_docs(path: Path | None = None) -> Path:
    """Write the page (default :func:`docs_path`) and return where."""
    path = path or docs_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_docs(), encoding="utf-8")
    return path


if __name__ == "__main__":
    print(write_docs())
