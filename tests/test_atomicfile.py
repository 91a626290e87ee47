"""The one atomic file write: whole content or none, replace or never overwrite, no leftovers."""
from __future__ import annotations

import os
import stat

import pytest

from workbench import atomicfile
from workbench.atomicfile import write_atomically


def leftovers(folder) -> list:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_writes_utf8_text_and_bytes_into_a_new_folder(tmp_path):
    path = write_atomically(tmp_path / "new" / "types.ts", "naïve\nline\n")
    assert path.read_bytes() == "naïve\nline\n".encode()
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    write_atomically(path, b"\x00bytes")
    assert path.read_bytes() == b"\x00bytes"
    assert leftovers(path.parent) == []


def test_never_overwrites_when_asked_not_to(tmp_path):
    path = tmp_path / "0001_rev.py"
    write_atomically(path, "first", overwrite=False)
    with pytest.raises(FileExistsError):
        write_atomically(path, "second", overwrite=False)
    assert path.read_text() == "first"
    assert leftovers(tmp_path) == []


def test_a_failed_write_leaves_the_old_file_whole(tmp_path, monkeypatch):
    path = tmp_path / "report.html"
    path.write_text("old report")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(atomicfile.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        write_atomically(path, "new report")
    assert path.read_text() == "old report"
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("module", ["workbench.export.files", "workbench.typegen.files",
                                    "workbench.report.write", "workbench.erd.diagram"])
def test_every_writer_uses_the_one_helper(module):
    imported = __import__(module, fromlist=["write_atomically"])
    assert imported.write_atomically is write_atomically
    source = open(imported.__file__, encoding="utf-8").read()
    assert "mkstemp" not in source and "os.replace" not in source


def test_export_refuses_an_existing_revision_file(tmp_path):
    from workbench.errors import WorkbenchError
    from workbench.export.files import write_new_file

    path = tmp_path / "0001_rev.py"
    write_new_file(path, "revision = '1'\n")
    with pytest.raises(WorkbenchError, match="already exists"):
        write_new_file(path, "revision = '2'\n")
    assert path.read_text() == "revision = '1'\n" and os.listdir(tmp_path) == ["0001_rev.py"]
