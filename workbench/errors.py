"""The one exception type users see: what was wrong, where, and what to do."""
from __future__ import annotations


class WorkbenchError(Exception):
    """A clear, user-facing error.

    ``what`` says what went wrong, ``where`` names the object, file or position,
    and ``hint`` says what to do about it. ``str()`` joins them into one message.
    """

    def __init__(self, what: str, *, where: str | None = None, hint: str | None = None):
        self.what = what
        self.where = where
        self.hint = hint
        super().__init__(self.message)

    @property
    def message(self) -> str:
        parts = [self.what]
        if self.where:
            parts.append(f"where: {self.where}")
        if self.hint:
            parts.append(f"what to do: {self.hint}")
        return "\n".join(parts)

    def _render_traceback_(self) -> list[str]:
        """How IPython and Jupyter show it: the message alone, without a traceback (the
        problem is in the input, not in the code that noticed it)."""
        return f"{type(self).__name__}: {self.message}".splitlines()
