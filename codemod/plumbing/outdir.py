"""Write a series folder so that a failed run leaves nothing half-written.

The files go to a temporary folder beside the target, which is renamed into
place when complete. An existing folder that holds a series is refused
unless forced; then its old patch files are replaced, and anything else in
it is left alone.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from codemod.plumbing.errors import PathError


def holds_series(folder: Path) -> bool:
    return folder.is_dir() and any(folder.glob('*.patch'))


def check_target(folder: Path, force: bool) -> None:
    if folder.exists() and not folder.is_dir():
        raise PathError(folder, 'exists and is not a folder')
    if holds_series(folder) and not force:
        raise PathError(folder, 'already holds a patch series; use --force to replace it, or -o DIR')


def write_series(folder: Path, files: Sequence[tuple[str, bytes]], force: bool) -> None:
    check_target(folder, force)
    folder = folder.absolute()
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f'.{folder.name}.', suffix='.tmp', dir=folder.parent))
    try:
        for name, data in files:
            (tmp / name).write_bytes(data)
        if not folder.exists():
            os.rename(tmp, folder)
            return
        for old in folder.glob('*.patch'):
            old.unlink()
        for name, _ in files:
            os.replace(tmp / name, folder / name)
    except OSError as e:
        raise PathError(folder, f'cannot write the series: {e.strerror}') from None
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
