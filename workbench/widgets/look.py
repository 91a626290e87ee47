"""What the widgets share, so they look and behave alike: a title line, a status line that says
what is running, buttons disabled while it runs, and errors as messages (never tracebacks)."""
from __future__ import annotations

from contextlib import contextmanager
from html import escape
from typing import Iterator

import ipywidgets as widgets

from ..errors import WorkbenchError

FULL = widgets.Layout(width="100%")


def title(text: str, subtitle: str = "") -> widgets.HTML:
    """The widget's name in bold, with a one-line explanation after it."""
    rest = f" <span style='opacity:0.7'>— {escape(subtitle)}</span>" if subtitle else ""
    return widgets.HTML(f"<b>{escape(text)}</b>{rest}")


def problem_text(exc: BaseException) -> str:
    """What a person reads when something went wrong: what, where and what to do."""
    if isinstance(exc, WorkbenchError):
        return f"problem: {exc.message}"
    return (f"problem: unexpected {type(exc).__name__}: {exc}\n"
            "what to do: check the inputs; if they look right, report this with the steps that led here")


class Status(widgets.Output):
    """One status line under a widget's controls: what is running, what was done, or the problem."""

    def show(self, text: str) -> None:
        """Replace the status line with ``text``."""
        self.outputs = ()
        self.append_stdout(text.rstrip("\n") + "\n")

    def clear(self) -> None:
        self.outputs = ()

    def problem(self, exc: BaseException) -> None:
        """Show ``exc`` as a message (see :func:`problem_text`)."""
        self.show(problem_text(exc))

    @contextmanager
    def working(self, text: str, *controls: widgets.Widget) -> Iterator[Job]:
        """Say ``text…`` and disable ``controls`` while the block runs. Whatever the block
        raises is shown as a problem instead of escaping as a traceback: the block stops and
        the yielded :class:`Job` says ``failed``."""
        job = Job()
        self.show(f"{text}…")
        for control in controls:
            control.disabled = True
        try:
            yield job
        except Exception as exc:  # noqa: BLE001 -- shown in the widget, never as a traceback
            job.failed = True
            self.problem(exc)
        finally:
            for control in controls:
                control.disabled = False


class Job:
    """Whether the block under :meth:`Status.working` failed (its problem is on show)."""

    failed = False
