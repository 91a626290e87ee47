"""The team's conventions for drafting: the advisors' ``[tool.workbench.lint]`` settings.

Builders and safety checks read the same tenant and audit columns the advisors check, from
the one lint configuration loader; an invalid configuration is the loader's clear error.
"""
from __future__ import annotations


def team_config(config=None):
    """``config`` when given (a :class:`~workbench.lint.config.LintConfig`), else the
    project's lint configuration."""
    if config is not None:
        return config
    from ..lint.config import load_config

    return load_config()
