"""Writing revision files: atomically, never over an existing file, one export at a time.

A file appears complete or not at all: it is written to a hidden temporary file in the same
folder (Alembic loads only ``*.py``), flushed to disk, then hard-linked under its name, which
fails if the name exists. Several files of one revision appear together or not at all.
"""
from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ..errors import WorkbenchError

TEMP_PREFIX = ".export-"


def write_new_file(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically; never replace an existing file."""
    if path.exists():
        raise WorkbenchError(f"{path.name} already exists", where=str(path.parent),
                             hint="export never overwrites: rename or remove the existing file")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=TEMP_PREFIX, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.link(tmp, path)  # fails if path appeared meanwhile: no overwrite, even in a race
    finally:
        os.unlink(tmp)
    sync_folder(path.parent)


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


def sync_folder(folder: Path) -> None:
    """Flush the folder's entries to disk, so a new name survives a crash (where supported)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


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
