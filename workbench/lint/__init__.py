"""Schema advisors: rules that turn a ``Schema`` into ``Finding``s, each with a drafted fix.

- :func:`lint` runs the enabled rules and returns a :class:`Report`;
- :func:`rule` registers a rule (the built-ins in ``workbench.lint.rules`` use it too);
- :func:`load_config` reads ``[tool.workbench.lint]`` from ``pyproject.toml``;
- :func:`render_docs` renders ``docs/lint-rules.md`` from the registry.
"""
from __future__ import annotations

from . import rules as _builtin_rules  # noqa: F401  (registers the built-in rules)
from .config import LintConfig, load_config
from .context import RuleContext
from .engine import lint
from .finding import LEVELS, Finding
from .registry import CATEGORIES, REGISTRY, Registry, Rule, rule
from .report import Report

__all__ = ["lint", "Report", "Finding", "LEVELS", "CATEGORIES", "Rule", "RuleContext", "Registry",
           "REGISTRY", "rule", "LintConfig", "load_config", "render_docs"]


def render_docs(registry: Registry | None = None) -> str:
    """The Markdown page documenting every registered rule (``docs/lint-rules.md``)."""
    from .docs import render_docs as render

    return render(registry if registry is not None else REGISTRY)
