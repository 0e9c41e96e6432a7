"""A read-only folder for tests of stores that must be readable where they cannot be written.

Root writes through file modes, so under root (CI containers) only a read-only mount makes a folder
read-only: its files are copied onto a small tmpfs mounted at the folder, remounted read-only.
Where that cannot be done (not root, no ``mount``) the test is skipped with the reason; the tests
that chmod a folder cover a non-root user.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


@contextlib.contextmanager
def read_only_mount(folder: Path, keep: Path) -> Iterator[None]:
    """``folder``'s files on a tmpfs mounted read-only at ``folder``; the originals moved to ``keep``."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("needs root to mount a read-only tmpfs (the chmod tests cover a non-root user)")
    shutil.move(str(folder), str(keep))
    folder.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m,mode=0755", "tmpfs", str(folder)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.strip()}")
    try:
        for f in keep.iterdir():
            shutil.copy(f, folder / f.name)
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        yield
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)
