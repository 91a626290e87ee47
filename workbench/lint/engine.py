"""``lint()``: run the enabled rules over a snapshot and collect a :class:`Report`."""
from __future__ import annotations

import importlib
from dataclasses import replace
from typing import Iterable

from ..catalog import Schema
from ..errors import WorkbenchError
from ..session import connection_of
from .config import LintConfig, check_rule_ids, load_config
from .context import RuleContext
from .finding import Finding
from .registry import REGISTRY, Registry, Rule
from .report import Report
from .scope import Scope


def lint(schema: Schema, conn=None, config: LintConfig | None = None, *,
         rules: Iterable[str] | None = None, registry: Registry | None = None) -> Report:
    """Run the advisors over ``schema`` (a snapshot from :func:`workbench.inspect`).

    ``conn`` (a Session or psycopg connection) lets statistics-based rules run; without it
    they are listed in ``report.skipped``. ``config`` defaults to the project's
    ``pyproject.toml`` ``[tool.workbench.lint]``; ``rules`` limits the run to those ids.
    Nothing is written: rules read the snapshot, and statistics in a read-only transaction.
    """
    config = config if config is not None else load_config()
    load_plugins(config)
    registry = registry if registry is not None else REGISTRY
    check_rule_ids(config, registry.ids)
    chosen = selected(registry, config, rules)
    scope = Scope(schema, config)
    live = connection_of(conn) if conn is not None else None
    findings, skipped = [], []
    for rule in chosen:
        if rule.needs_connection and live is None:
            skipped.append(rule.id)
            continue
        findings += run_rule(rule, RuleContext(schema, config, scope, rule, live), config)
    kept = [f for f in findings if f.key not in config.ignore]
    return Report(tuple(kept), rules=tuple(r.id for r in chosen), skipped=tuple(skipped),
                  ignored=len(findings) - len(kept), database=schema.database,
                  config_source=config.source)


def selected(registry: Registry, config: LintConfig, only: Iterable[str] | None) -> list[Rule]:
    """The rules to run: enabled by default or by config, or exactly ``only``."""
    if only is not None:
        return [registry[rule_id] for rule_id in only]
    return [r for r in registry if config.is_enabled(r.id, r.enabled)]


def run_rule(rule: Rule, ctx: RuleContext, config: LintConfig) -> list[Finding]:
    """The findings of one rule, at the level the config gives it."""
    level = config.levels.get(rule.id)
    try:
        found = list(rule.check(ctx))
    except WorkbenchError:
        raise
    except Exception as exc:
        raise WorkbenchError(f"lint rule {rule.id} failed: {type(exc).__name__}: {exc}",
                             hint="a bug in the rule; disable it in [tool.workbench.lint] "
                                  "meanwhile") from exc
    return [replace(f, level=level) for f in found] if level else found


def load_plugins(config: LintConfig) -> None:
    """Import the modules listed in ``plugins`` (they register their rules on import)."""
    for name in config.plugins:
        try:
            importlib.import_module(name)
        except ImportError as exc:
            raise WorkbenchError(f"lint config plugins: cannot import {name!r}: {exc}",
                                 where=config.source,
                                 hint="name an importable module (on sys.path), or remove it") from None
