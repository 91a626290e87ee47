"""Writing a file atomically: a reader sees the whole new content or none of it.

The content goes to a hidden temporary file in the same folder (``.<name>.…tmp``: no tool
that loads ``*.py`` or ``*.ts`` picks it up), is flushed to disk, then takes the file's name:
by rename, replacing what was there, or by hard link, which fails when the name exists.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

FILE_MODE = 0o644


def write_atomically(path: Path | str, content: str | bytes, *, overwrite: bool = True) -> Path:
    """Write ``content`` (text is written as UTF-8, newlines as given) to ``path`` atomically,
    creating its folder; return the path. With ``overwrite=False`` an existing file is never
    replaced, even one another process creates meanwhile: ``FileExistsError``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, FILE_MODE)
        if overwrite:
            os.replace(tmp, path)
        else:
            os.link(tmp, path)  # fails if the name exists: no overwrite, even in a race
    finally:
        Path(tmp).unlink(missing_ok=True)
    sync_folder(path.parent)
    return path


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
