"""The kernel tree on disk: where it is, which helper files it has, their bytes.

Every problem with an input is an `InputError` naming the path, which the
CLI prints as a compiler-style diagnostic and turns into exit code 2.
"""
from __future__ import annotations

import os
import stat
from typing import NamedTuple
from typing import TYPE_CHECKING

from codemod.plumbing import fsio
from codemod.plumbing.errors import PathError

if TYPE_CHECKING:  # collections.abc is not otherwise on check's path
    from collections.abc import Callable

# Paths are plain strings here: pathlib (with the urllib.parse it imports)
# costs `check` about 6 ms, a tenth of its run.
HELPERS_DIR = 'rust/helpers'


class InputError(PathError):
    """A path we cannot use as input."""


class HelperFile(NamedTuple):
    rel: str        # path relative to the tree root, with '/' separators
    path: str       # absolute path

    @property
    def is_symlink(self) -> bool:
        return os.path.islink(self.path)


def find_top(start: str | os.PathLike[str] | None, is_top: Callable[[str], bool]) -> str | None:
    """The nearest of `start` (default: the working directory) and its
    parents for which `is_top` holds, as git finds the top of a work tree
    from anywhere inside it; absolute and symlink-free. None if none is."""
    here = os.path.realpath(start if start is not None else '.')
    while True:
        if is_top(here):
            return here
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent


def find_tree(tree: str | os.PathLike[str] | None) -> str:
    """The top of the kernel tree that `tree` (default: the working
    directory) is in: the nearest directory, it or a parent, with
    rust/helpers/."""
    start = os.path.realpath(tree if tree is not None else '.')
    if not os.path.isdir(start):
        raise InputError(tree or '.', 'no such directory')
    root = find_top(start, lambda d: os.path.isdir(os.path.join(d, HELPERS_DIR)))
    if root is None:
        raise InputError(tree or '.', 'not a kernel tree with Rust helpers '
                                      '(no rust/helpers/ here or in a parent directory); use --tree DIR')
    return root


def files_for(tree: str | None, paths) -> tuple[str, list[HelperFile]]:
    """The tree, and the helper files named (every one if none is)."""
    root = find_tree(tree)
    return root, named_helper_files(root, paths) if paths else all_helper_files(root)


def _rel(root: str, path: str) -> str:
    """path relative to root, with '/' separators; ValueError if outside."""
    inside = os.path.relpath(path, root)
    if inside == os.pardir or inside.startswith(os.pardir + os.sep) or os.path.isabs(inside):
        raise ValueError(f'{path} is not inside {root}')
    return inside.replace(os.sep, '/')


def _walk(root: str, wanted) -> list[HelperFile]:
    base = os.path.join(root, HELPERS_DIR)
    found = []
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith('.'))
        for name in filenames:
            if wanted(name):
                path = os.path.join(dirpath, name)
                found.append(HelperFile(_rel(root, path), path))
    return sorted(found, key=lambda f: f.rel)


def _is_helper_name(name: str) -> bool:
    # Hidden names are never helpers: among them are the temporary files
    # (`.mutex.c.PID.N.tmp`) that a killed annotate leaves behind.
    return name.endswith('.c') and not name.startswith('.')


def all_helper_files(root: str) -> list[HelperFile]:
    """Every .c file under rust/helpers/, recursively, in path order."""
    return _walk(root, _is_helper_name)


def temp_files(root: str) -> list[HelperFile]:
    """Our temporary files under rust/helpers/ (fsio), left by killed runs
    or being written by a running one."""
    return _walk(root, lambda name: fsio.temp_target(name) is not None)


def named_helper_files(root: str, paths: list[str], cwd: str | None = None) -> list[HelperFile]:
    """PATH arguments, given relative to the working directory or to the tree."""
    cwd = cwd or os.getcwd()
    out: dict[str, HelperFile] = {}
    for arg in paths:
        candidates = [arg] if os.path.isabs(arg) else [os.path.join(cwd, arg), os.path.join(root, arg)]
        path = next((p for p in candidates if os.path.lexists(p)), None)
        if path is None:
            raise InputError(arg, 'no such file')
        # Resolve the directory part only: a symlinked file is reported as such.
        folder, name = os.path.split(os.path.normpath(path))
        path = os.path.join(os.path.realpath(folder), name)
        if os.path.isdir(path):
            raise InputError(arg, 'is a directory; pass the .c files in it, or no PATH for the whole tree')
        try:
            rel = _rel(root, path)
        except ValueError:
            raise InputError(arg, f'not inside the kernel tree {root}') from None
        if not rel.startswith(HELPERS_DIR + '/'):
            raise InputError(arg, 'not a helper file (not under rust/helpers/)')
        if fsio.temp_target(name) is not None:
            raise InputError(arg, 'a temporary file of rust-helpers, not a helper file '
                                  '(the next annotate removes it once its run is over)')
        out[rel] = HelperFile(rel, path)
    return sorted(out.values(), key=lambda f: f.rel)


def read_bytes(f: HelperFile) -> bytes:
    try:
        with open(f.path, 'rb') as fp:
            return fp.read()
    except IsADirectoryError:
        raise InputError(f.rel, 'is a directory, not a helper file') from None
    except FileNotFoundError:
        if os.path.islink(f.path):
            raise InputError(f.rel, f'is a dangling symlink (to {os.readlink(f.path)})') from None
        raise InputError(f.rel, 'no such file') from None
    except PermissionError:
        raise InputError(f.rel, 'cannot read: permission denied') from None
    except OSError as e:
        raise InputError(f.rel, f'cannot read: {e.strerror}') from None


def check_writable(f: HelperFile) -> None:
    """Refuse what we must not rewrite, before anything is written."""
    if os.path.islink(f.path):
        raise InputError(
            f.rel, f'is a symlink (to {os.readlink(f.path)}); annotate the file it points to instead',
        )
    mode = os.stat(f.path).st_mode
    if not stat.S_ISREG(mode):
        raise InputError(f.rel, 'not a regular file')
    # Checked on the mode bits, not with access(): root may write anything.
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(os.path.dirname(f.path), os.W_OK):
        raise InputError(f.rel, 'is read-only; make it writable (chmod u+w) to annotate it')


def gitattributes(root: str) -> bytes:
    """The tree's top-level .gitattributes (the kernel has no other), or b''."""
    try:
        with open(os.path.join(root, '.gitattributes'), 'rb') as f:
            return f.read()
    except FileNotFoundError:
        return b''
