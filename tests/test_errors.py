"""WorkbenchError: one message (what, where, what to do), and in notebooks no traceback."""
from __future__ import annotations

from workbench.errors import WorkbenchError


def test_message_joins_what_where_and_hint():
    error = WorkbenchError("no table 'x'", where="schema shop", hint="check the name")
    assert str(error) == "no table 'x'\nwhere: schema shop\nwhat to do: check the name"


def test_ipython_shows_the_message_without_a_traceback(capsys):
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    result = shell.run_cell("from workbench.errors import WorkbenchError\n"
                            "def deep():\n    raise WorkbenchError('bad input', hint='fix it')\n"
                            "deep()")
    shown = capsys.readouterr()
    assert isinstance(result.error_in_exec, WorkbenchError)
    text = shown.out + shown.err
    assert "WorkbenchError: bad input" in text and "what to do: fix it" in text
    assert "Traceback" not in text and "deep()" not in text
