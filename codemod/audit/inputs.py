"""Which files to audit: the PATH forms, or the tree's build output.

- a file: an object, a linked image or an ar archive (each member);
- a directory: every `*.o` below it that carries Rust symbols;
- no PATH: the tree's build output, every `*.o` under `rust/` and every
  other `*.o` that carries Rust symbols.

Walks skip `vmlinux.o` (the whole kernel again in one object: every finding
would be reported twice) and hidden folders; name vmlinux, .ko files or
vmlinux.o to audit them. Whether a file carries Rust symbols is decided on
its symbol table, never on `.comment` (clang writes the Rust objects of an
inline-helpers build).
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

from codemod.audit import archive
from codemod.audit.elf import AuditInputError
from codemod.audit.elf import symbol_names
from codemod.audit.symbols import RUST_BYTES


@dataclass(frozen=True)
class Input:
    label: str          # how the report names it
    data: bytes | None  # None: a walked file with no Rust symbol names, skipped
    # Walked files are audited only if they carry Rust symbols; named ones
    # and the tree's rust/ objects always are.
    must_be_rust: bool


def _read(label: str, path: str) -> bytes:
    try:
        with open(path, 'rb') as fp:
            return fp.read()
    except FileNotFoundError:
        raise AuditInputError(label, 'no such file or directory') from None
    except IsADirectoryError:
        raise AuditInputError(label, 'is a directory') from None
    except PermissionError:
        raise AuditInputError(label, 'cannot read: permission denied') from None
    except OSError as e:
        raise AuditInputError(label, f'cannot read: {e.strerror}') from None


def _objects_under(folder: str) -> Iterator[str]:
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith('.'))
        for name in sorted(filenames):
            if name.endswith('.o') and name != 'vmlinux.o' and not name.startswith('.'):
                yield os.path.join(dirpath, name)


def _file(label: str, path: str, must_be_rust: bool) -> Iterator[Input]:
    data = _read(label, path)
    if archive.is_archive(data[:8]):
        for m in archive.members(label, data, os.path.dirname(path)):
            member_label = f'{label}({m.name})'
            body = m.data if m.data is not None else _read(member_label, m.path)
            yield Input(member_label, body, must_be_rust)
    else:
        yield Input(label, data, must_be_rust)


def _label(path: str, base: str | None) -> str:
    if base is None:
        return path
    return os.path.relpath(path, base).replace(os.sep, '/')


def from_paths(paths: list[str]) -> Iterator[Input]:
    for arg in paths:
        if os.path.isdir(arg):
            found = False
            for path in _objects_under(arg):
                found = True
                yield from _walked(path, os.path.normpath(path), rust_dir=False)
            if not found:
                raise AuditInputError(arg, 'no *.o files under this directory')
        elif os.path.lexists(arg):
            yield from _file(arg, arg, must_be_rust=False)
        else:
            raise AuditInputError(arg, 'no such file or directory')


def from_tree(root: str) -> Iterator[Input]:
    """The tree's own build output (an in-tree build)."""
    found = False
    for path in _objects_under(root):
        found = True
        rel = _label(path, root)
        yield from _walked(path, rel, rust_dir=rel.startswith('rust/'))
    if not found:
        raise AuditInputError(root, 'no *.o files in the tree: build it first, or name the build output (PATH)')


def _walked(path: str, label: str, *, rust_dir: bool) -> Iterator[Input]:
    if not rust_dir:
        # Cheap first test on the symbol names alone: neither mangling's
        # bytes in them, no Rust symbol. A match is confirmed on the parsed
        # symbol table (must_be_rust).
        try:
            with open(path, 'rb') as fp:
                names = symbol_names(fp)
        except OSError:
            names = None
        if names is not None and not RUST_BYTES.search(names):
            yield Input(label, None, must_be_rust=True)
            return
    yield Input(label, _read(label, path), must_be_rust=not rust_dir)
