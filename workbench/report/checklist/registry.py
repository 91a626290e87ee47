"""The checklist registry: each item is a function from the review's facts to a
:class:`~workbench.report.model.CheckResult`. The built-in items are registered exactly
as a team's own would be, with :func:`checklist_item`."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator

from ...errors import WorkbenchError
from ..failure import failure_text
from ..model import FAILED, CheckResult


@dataclass(frozen=True)
class ChecklistItem:
    """A registered item: ``id``, the sentence a reviewer ticks, whether it is on by default,
    and the function that decides it."""

    id: str
    title: str
    enabled: bool
    decide: Callable


class Checklist:
    """Registered checklist items, in registration order."""

    def __init__(self) -> None:
        self._items: dict[str, ChecklistItem] = {}

    def register(self, item: ChecklistItem) -> None:
        """Add ``item``; an id registered twice is refused."""
        if item.id in self._items:
            raise WorkbenchError(f"checklist item {item.id!r} is registered twice",
                                 hint="give the item another id, or unregister the first one")
        self._items[item.id] = item

    def unregister(self, item_id: str) -> None:
        self._items.pop(item_id, None)

    def __iter__(self) -> Iterator[ChecklistItem]:
        return iter(self._items.values())

    def __contains__(self, item_id: str) -> bool:
        return item_id in self._items

    def chosen(self, enable=(), disable=()) -> list[ChecklistItem]:
        """The items that run: on by default or enabled, and not disabled."""
        unknown = [i for i in (*enable, *disable) if i not in self._items]
        if unknown:
            raise WorkbenchError(f"unknown checklist item {unknown[0]!r}",
                                 where="[tool.workbench.report]",
                                 hint=f"known items: {', '.join(self._items)}")
        return [item for item in self if (item.enabled or item.id in enable) and item.id not in disable]


CHECKLIST = Checklist()


def checklist_item(item_id: str, title: str, *, enabled: bool = True, registry: Checklist | None = None):
    """Register the decorated function ``f(facts) -> (status, detail[, items])`` as a checklist item."""
    def register(function: Callable) -> Callable:
        (registry or CHECKLIST).register(ChecklistItem(item_id, title, enabled, function))
        return function
    return register


def run_checklist(facts, items: list[ChecklistItem]) -> tuple[CheckResult, ...]:
    """Decide every item from ``facts``; an item that raises is failed, saying why."""
    results = []
    for item in items:
        try:
            status, detail, *rest = item.decide(facts)
        except Exception as exc:  # a broken item must not hide the rest of the report
            status, detail, rest = FAILED, f"the check could not run: {failure_text(exc)}", []
        results.append(CheckResult(item.id, item.title, status, detail, tuple(rest[0]) if rest else ()))
    return tuple(results)
