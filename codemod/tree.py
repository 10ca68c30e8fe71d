"""The kernel tree on disk: where it is, which helper files it has, their bytes.

Every problem with an input is an `InputError` naming the path, which the
CLI prints as a compiler-style diagnostic and turns into exit code 2.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import NamedTuple

from codemod.errors import PathError

HELPERS_DIR = Path('rust') / 'helpers'


class InputError(PathError):
    """A path we cannot use as input."""


class HelperFile(NamedTuple):
    rel: str        # path relative to the tree root, with '/' separators
    path: Path      # absolute path

    @property
    def is_symlink(self) -> bool:
        return self.path.is_symlink()


def find_tree(tree: str | os.PathLike[str] | None) -> Path:
    root = Path(tree if tree is not None else '.').resolve()
    if not root.is_dir():
        raise InputError(tree or '.', 'no such directory')
    if not (root / HELPERS_DIR).is_dir():
        raise InputError(
            tree or '.', 'not a kernel tree with Rust helpers (no rust/helpers/); use --tree DIR',
        )
    return root


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def all_helper_files(root: Path) -> list[HelperFile]:
    """Every .c file under rust/helpers/, recursively, in path order."""
    base = root / HELPERS_DIR
    found = []
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith('.'))
        for name in filenames:
            if name.endswith('.c') and not name.startswith('.'):
                path = Path(dirpath) / name
                found.append(HelperFile(_rel(root, path), path))
    return sorted(found, key=lambda f: f.rel)


def named_helper_files(root: Path, paths: list[str], cwd: Path | None = None) -> list[HelperFile]:
    """PATH arguments, given relative to the working directory or to the tree."""
    cwd = cwd or Path.cwd()
    out: dict[str, HelperFile] = {}
    for arg in paths:
        candidates = [Path(arg)] if os.path.isabs(arg) else [cwd / arg, root / arg]
        path = next((p for p in candidates if os.path.lexists(p)), None)
        if path is None:
            raise InputError(arg, 'no such file')
        # Resolve the directory part only: a symlinked file is reported as such.
        path = path.parent.resolve() / path.name
        if path.is_dir():
            raise InputError(arg, 'is a directory; pass the .c files in it, or no PATH for the whole tree')
        try:
            rel = _rel(root, path)
        except ValueError:
            raise InputError(arg, f'not inside the kernel tree {root}') from None
        if not rel.startswith(HELPERS_DIR.as_posix() + '/'):
            raise InputError(arg, 'not a helper file (not under rust/helpers/)')
        out[rel] = HelperFile(rel, path)
    return sorted(out.values(), key=lambda f: f.rel)


def read_bytes(f: HelperFile) -> bytes:
    try:
        return f.path.read_bytes()
    except IsADirectoryError:
        raise InputError(f.rel, 'is a directory, not a helper file') from None
    except FileNotFoundError:
        if f.path.is_symlink():
            raise InputError(f.rel, f'is a dangling symlink (to {os.readlink(f.path)})') from None
        raise InputError(f.rel, 'no such file') from None
    except PermissionError:
        raise InputError(f.rel, 'cannot read: permission denied') from None
    except OSError as e:
        raise InputError(f.rel, f'cannot read: {e.strerror}') from None


def check_writable(f: HelperFile) -> None:
    """Refuse what we must not rewrite, before anything is written."""
    if f.path.is_symlink():
        raise InputError(
            f.rel, f'is a symlink (to {os.readlink(f.path)}); annotate the file it points to instead',
        )
    mode = f.path.stat().st_mode
    if not stat.S_ISREG(mode):
        raise InputError(f.rel, 'not a regular file')
    # Checked on the mode bits, not with access(): root may write anything.
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(f.path.parent, os.W_OK):
        raise InputError(f.rel, 'is read-only; make it writable (chmod u+w) to annotate it')
