"""The advice's progress bar, whose total grows as work turns up: a widget in a notebook, a
text bar on stderr in a terminal (``tqdm.auto`` picks).

How many steps the advice takes is only known as it goes (joins costed again, indexes
replaced and measured again), so each stage announces its steps before it starts them.
"""
from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Callable, Iterator

Tick = Callable[[str], None]


class Progress:
    """Call it to count one step (with a label); :meth:`expect` announces more steps."""

    def __init__(self, bar):
        self.bar = bar

    def __call__(self, label: str = "") -> None:
        if self.bar.n >= (self.bar.total or 0):
            self.set_total(self.bar.n + 1)
        self.bar.set_postfix_str(label, refresh=False)
        self.bar.update(1)

    def expect(self, steps: int) -> None:
        self.set_total((self.bar.total or 0) + steps)

    def set_total(self, total: int) -> None:
        self.bar.total = total
        widget = getattr(self.bar, "container", None)  # tqdm.notebook's widget box, if any
        if widget is not None:
            meter = widget.children[1]  # the notebook bar keeps its own maximum
            meter.max, meter.bar_style = total, ""
            meter.layout.width = None
        self.bar.refresh()


def expect(tick: Tick | None, steps: int) -> None:
    """Announce ``steps`` more steps to ``tick`` when it is a :class:`Progress`."""
    if isinstance(tick, Progress):
        tick.expect(steps)


@contextmanager
def progress_bar(enabled: bool, description: str) -> Iterator[Progress]:
    """A :class:`Progress` over a tqdm bar: silent unless ``enabled``, and when stderr is not a
    terminal (a log, a pipe, CI); a notebook shows its widget bar."""
    from tqdm.auto import tqdm

    # disable=None: tqdm leaves the bar out when stderr is not a terminal; notebook bars stay
    with tqdm(total=0, desc=description, unit="step", file=sys.stderr,
              disable=None if enabled else True, leave=False) as bar:
        yield Progress(bar)
