"""The built-in rules. Each module registers its rules with ``@rule`` on import, exactly as a
team's own rule module does (list it under ``plugins`` in ``[tool.workbench.lint]``)."""
from __future__ import annotations

from . import (conventions, indexes, naming, policies, policy_performance, rls,  # noqa: F401
               security, statistics, tenancy)
