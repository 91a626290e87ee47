"""squawk, the migration linter, run on SQL text: its JSON findings, or why it could not run.

``squawk FILE.sql --reporter json`` prints ``[{line, column, level, message, help, rule_name,
line_end, column_end}]`` with 0-based lines and 0-based *byte* columns; exit code 1 means
findings, 0 none.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class SquawkRun:
    """One run: ``findings`` as squawk reported them; ``problem`` says why it did not run."""

    available: bool
    findings: tuple[dict, ...] = ()
    problem: str | None = None
    command: tuple[str, ...] = field(default=(), compare=False)


def squawk_path() -> Path | None:
    """The ``squawk`` program: next to the running Python (the ``squawk-cli`` wheel), else PATH."""
    beside = Path(sys.executable).parent / "squawk"
    if beside.exists():
        return beside
    found = shutil.which("squawk")
    return Path(found) if found else None


def pg_version_of(version_num: int | None) -> str | None:
    """``--pg-version`` text for a ``server_version_num`` (180006 → ``18.6``)."""
    if not version_num:
        return None
    return f"{version_num // 10000}.{version_num % 100}"


def run_squawk(sql: str, *, pg_version: str | None = None, exclude=(), in_transaction: bool = False,
               timeout: float = 60, program: Path | None = None) -> SquawkRun:
    """Lint ``sql`` with squawk (in a temporary file; nothing else is read).
    ``in_transaction``: the SQL will run inside one transaction (``--assume-in-transaction``)."""
    program = program or squawk_path()
    if program is None:
        return SquawkRun(False, problem="squawk is not installed (pip install squawk-cli): only "
                                        "the workbench's own checks ran")
    with tempfile.TemporaryDirectory(prefix="workbench-squawk-") as folder:
        file = Path(folder) / "draft.sql"
        file.write_text(sql, encoding="utf-8")
        command = [str(program), str(file), "--reporter", "json"]
        command += ["--pg-version", pg_version] if pg_version else []
        command += ["--exclude", ",".join(exclude)] if exclude else []
        command += ["--assume-in-transaction"] if in_transaction else []
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                                  cwd=folder)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return SquawkRun(False, problem=f"squawk could not run: {exc}")
    return _parsed(done, tuple(command))


def _parsed(done: subprocess.CompletedProcess, command: tuple[str, ...]) -> SquawkRun:
    if done.returncode not in (0, 1):
        reason = (done.stderr or done.stdout).strip().splitlines()
        return SquawkRun(False, problem=f"squawk failed (exit {done.returncode}): "
                                        f"{reason[0] if reason else 'no message'}", command=command)
    try:
        found = json.loads(done.stdout or "[]")
    except json.JSONDecodeError:
        return SquawkRun(False, problem="squawk printed something other than JSON",
                         command=command)
    return SquawkRun(True, tuple(found), command=command)
