"""Writing revision files: atomically, never over an existing file, one export at a time.

A file appears complete or not at all (:func:`workbench.atomicfile.write_atomically`, which
never replaces an existing name here). Several files of one revision appear together or not
at all.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ..atomicfile import sync_folder, write_atomically
from ..errors import WorkbenchError


def write_new_file(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically; never replace an existing file."""
    try:
        if path.exists():
            raise FileExistsError(path)
        write_atomically(path, text, overwrite=False)  # refuses a name taken meanwhile, too
    except FileExistsError:
        raise WorkbenchError(f"{path.name} already exists", where=str(path.parent),
                             hint="export never overwrites: rename or remove the existing file") from None


def write_together(files: dict[Path, str]) -> list[Path]:
    """Write several new files so that all of them appear, or none (the last one named last:
    put the file that makes the others count, e.g. the revision, at the end)."""
    written: list[Path] = []
    try:
        for path, text in files.items():
            write_new_file(path, text)
            written.append(path)
    except BaseException:
        remove_all(written)
        raise
    return written


def remove_all(paths: list[Path]) -> None:
    """Remove files this export wrote (undoing a partial export)."""
    for path in paths:
        path.unlink(missing_ok=True)
    if paths:
        sync_folder(paths[0].parent)


@contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` (no lock file left behind), so two exports in
    two processes do not both chain to the same head."""
    try:
        import fcntl
    except ImportError:  # no flock on this platform: the head check after writing still holds
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock
