"""The rule registry: every rule, built-in or a team's own, is registered through ``@rule``.

A rule is an id, a level, its categories, a one-line summary, why it matters, how to fix it,
what it does with partitioned tables, partitions and inheritance children, and a check: a
function from a :class:`~workbench.lint.context.RuleContext` (the schema, the configuration
and, for statistics-based rules, the live connection) to findings.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from ..errors import WorkbenchError
from .finding import LEVELS, Finding

if TYPE_CHECKING:
    from .context import RuleContext

CATEGORIES = ("security", "performance", "convention")
_ID_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")

Check = Callable[["RuleContext"], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    """One advisor rule. ``enabled`` says whether it runs without configuration;
    ``needs_connection`` marks rules that read live statistics (skipped without one);
    ``partitions`` says what it does with partitioned parents, partitions and inheritance
    children."""

    id: str
    level: str
    categories: tuple[str, ...]
    summary: str
    why: str
    fix: str
    check: Check
    needs_connection: bool = False
    enabled: bool = True
    partitions: str = ""

    def __post_init__(self) -> None:
        check_rule_id(self.id)
        if self.level not in LEVELS:
            raise WorkbenchError(f"rule {self.id}: level must be one of {', '.join(LEVELS)}, "
                                 f"not {self.level!r}")
        unknown = [c for c in self.categories if c not in CATEGORIES]
        if unknown or not self.categories:
            raise WorkbenchError(f"rule {self.id}: categories must be among {', '.join(CATEGORIES)}",
                                 where=f"categories={self.categories!r}")


def check_rule_id(rule_id: str) -> None:
    """A rule id is snake_case: lower-case letters, digits and underscores, a letter first."""
    if not rule_id or not rule_id[0].isalpha() or not set(rule_id) <= _ID_CHARS:
        raise WorkbenchError(f"bad rule id {rule_id!r}",
                             hint="use snake_case: lower-case letters, digits and underscores")


class Registry:
    """Rules by id, in registration order. Registering an id twice is an error."""

    def __init__(self) -> None:
        self._rules: dict[str, Rule] = {}

    def register(self, rule: Rule) -> Rule:
        """Add ``rule``; a WorkbenchError if its id is taken."""
        if rule.id in self._rules:
            raise WorkbenchError(f"a lint rule with id {rule.id!r} is already registered",
                                 hint="pick another id, or unregister the existing rule first")
        self._rules[rule.id] = rule
        return rule

    def rule(self, id: str, *, level: str, categories: Iterable[str], summary: str, why: str,
             fix: str, needs_connection: bool = False, enabled: bool = True,
             partitions: str = ""):
        """Decorator: register the decorated check function as rule ``id``."""
        def decorate(check: Check) -> Check:
            self.register(Rule(id, level, tuple(categories), summary, why, fix, check,
                               needs_connection, enabled, partitions))
            return check
        return decorate

    def unregister(self, rule_id: str) -> Rule:
        """Remove and return the rule ``rule_id``."""
        return self._rules.pop(self[rule_id].id)

    def __getitem__(self, rule_id: str) -> Rule:
        try:
            return self._rules[rule_id]
        except KeyError:
            raise WorkbenchError(f"no lint rule {rule_id!r}",
                                 hint=f"known rules: {', '.join(sorted(self._rules))}") from None

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in self._rules

    def __iter__(self) -> Iterator[Rule]:
        return iter(list(self._rules.values()))

    def __len__(self) -> int:
        return len(self._rules)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(self._rules)


REGISTRY = Registry()
rule = REGISTRY.rule
