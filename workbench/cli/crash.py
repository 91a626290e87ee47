"""What the ``workbench`` command does when a subcommand fails unexpectedly (a bug, not the
user's doing): one line on stderr saying what failed, the full traceback saved to a file,
and exit code 3, so CI never reads a crash as a finding (exit code 1)."""
from __future__ import annotations

import os
import platform
import sys
import tempfile
import traceback

from ..dsn import scrub

CRASH_EXIT = 3
SUMMARY_LIMIT = 200


def report_crash(command: str, exc: BaseException, argv: list[str], dsns: list[str]) -> int:
    """Save the traceback of ``exc``, print one line naming the failure and the file, and
    return :data:`CRASH_EXIT`. The passwords of ``dsns`` are masked in both."""
    details = scrub_all(crash_details(exc, argv), dsns)
    saved = save_traceback(details)
    where = f"full traceback in {saved}" if saved else "the traceback could not be saved"
    print(f"workbench {command}: crashed: {scrub_all(summary(exc), dsns)} ({where}; please report it)",
          file=sys.stderr)
    if saved is None:  # better a long stderr than a lost traceback
        sys.stderr.write(details)
    return CRASH_EXIT


def scrub_all(text: str, dsns: list[str]) -> str:
    """``text`` with the password of each of ``dsns`` masked (strings that are no DSN are skipped)."""
    for dsn in dsns:
        text = scrub(text, dsn)
    return text


def summary(exc: BaseException) -> str:
    """The exception's type and the first line of its message, kept short."""
    lines = str(exc).strip().splitlines()
    text = f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__
    return text if len(text) <= SUMMARY_LIMIT else text[:SUMMARY_LIMIT - 1] + "…"


def crash_details(exc: BaseException, argv: list[str]) -> str:
    """What a bug report needs: the versions, the command line and the traceback."""
    from .. import __version__

    header = (f"workbench {__version__}, Python {platform.python_version()}, {platform.platform()}\n"
              f"command: workbench {' '.join(argv)}\n\n")
    return header + "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))


def save_traceback(text: str) -> str | None:
    """Write ``text`` to a new file in the temporary folder (readable by its owner only);
    the file's path, or None when it cannot be written."""
    try:
        handle, path = tempfile.mkstemp(prefix="workbench-crash-", suffix=".txt")
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
    except OSError:
        return None
    return path
