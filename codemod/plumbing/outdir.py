"""Write a series folder so that nothing is lost and nothing is half-written.

The new files are all written to a temporary folder beside the target
first; only when every one is complete do they move into place (a new
folder is renamed into place whole). What a run may replace is narrow:

- Patch files of another naming scheme are never touched: `v2-0001-...`
  goes beside `v1-0001-...` or `0001-...`, as `git format-patch -v2` does,
  so the previous series stays readable next to the new one.
- A file of the same scheme (a name this run writes, or a leftover
  `NNNN-*.patch` that would make a mixed series) is replaced or removed
  only with --force, and only if a run of ours wrote it and it is
  unchanged since: the manifest `.rust-helpers-series` records the name
  and hash of every file we write. A patch written by hand or by another
  tool, or one edited since (a filled-in cover letter), is refused, never
  deleted.
- The series that --previous reads is never replaced.
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterable
from collections.abc import Sequence
from pathlib import Path

from codemod.plumbing.errors import PathError
from codemod.plumbing.text import plural

MANIFEST = '.rust-helpers-series'
_SERIES_NAME = re.compile(r'^(v\d+-)?\d{4}-.*\.patch$')
_SHOWN = 3   # file names listed in an error before "..."


def _scheme(name: str) -> str | None:
    """'' for `NNNN-*.patch`, 'vN-' for `vN-NNNN-*.patch`, else None."""
    m = _SERIES_NAME.match(name)
    return (m.group(1) or '') if m else None


def _digest(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


def _names(names: Iterable[str]) -> str:
    names = sorted(names)
    shown = ', '.join(names[:_SHOWN])
    return shown + (f' and {len(names) - _SHOWN} more' if len(names) > _SHOWN else '')


def _holds(count: int) -> str:
    return (f'already holds a patch series ({plural(count, "file")} named like this one\'s); '
            'use --force to replace it, or -o DIR')


def scheme_of(version: int | None) -> str:
    return f'v{version}-' if version is not None else ''


def check_target(folder: Path, force: bool = True, scheme: str | None = None,
                 previous: Path | None = None) -> None:
    """What can be told before any work: the target is a folder or nothing,
    and without --force holds no patch files of the `scheme` to be written
    (plan() tells the rest, and why, once the names are known)."""
    if folder.exists() and not folder.is_dir():
        raise PathError(folder, 'exists and is not a folder')
    is_previous = previous is not None and previous.resolve() == folder.resolve()
    if not force and scheme is not None and folder.is_dir() and not is_previous:
        same = [p.name for p in folder.iterdir() if p.is_file() and _scheme(p.name) == scheme]
        if same:
            raise PathError(folder, _holds(len(same)))


def read_manifest(folder: Path) -> dict[str, str]:
    """name -> sha1 of the files our runs wrote into `folder`."""
    try:
        text = (folder / MANIFEST).read_text('utf-8')
    except (FileNotFoundError, NotADirectoryError):
        return {}
    except OSError as e:
        raise PathError(folder / MANIFEST, f'cannot read: {e.strerror}') from None
    entries = {}
    for line in text.splitlines():
        digest, _, name = line.partition(' ')
        if name and '/' not in name:
            entries[name] = digest
    return entries


def _unchanged_ours(folder: Path, names: Iterable[str], manifest: dict[str, str]) -> set[str]:
    ours = set()
    for name in names:
        if name in manifest:
            try:
                if _digest((folder / name).read_bytes()) == manifest[name]:
                    ours.add(name)
            except OSError:
                pass
    return ours


def plan(folder: Path, names: Sequence[str], force: bool, previous: Path | None = None) -> set[str]:
    """The files of `folder` this write replaces or removes; PathError if it
    may not (see the module's rules). Reads only."""
    check_target(folder)
    if not folder.is_dir() or not names:
        return set()
    existing = {p.name for p in folder.iterdir() if p.is_file() and p.name.endswith('.patch')}
    schemes = {_scheme(n) for n in names}
    touched = (existing & set(names)) | {n for n in existing - set(names) if _scheme(n) in schemes}
    if not touched:
        return set()
    if previous is not None and previous.resolve() == folder.resolve():
        raise PathError(folder, f'holds the previous series that --previous reads ({_names(touched)}); '
                                'write the new one beside it with -v N, or to another folder with -o')
    if not force:
        raise PathError(folder, _holds(len(touched)))
    foreign = touched - _unchanged_ours(folder, touched, read_manifest(folder))
    if foreign:
        raise PathError(folder, f'{_names(foreign)}: not written by rust-helpers, or edited since; '
                                '--force replaces only its own unchanged files: move them away, or use -o DIR')
    return touched


def _manifest_text(entries: dict[str, str]) -> bytes:
    return ''.join(f'{digest} {name}\n' for name, digest in sorted(entries.items())).encode()


def write_series(folder: Path, files: Sequence[tuple[str, bytes]], force: bool,
                 previous: Path | None = None) -> None:
    names = [name for name, _ in files]
    replaced = plan(folder, names, force, previous)
    folder = folder.absolute()
    entries = {name: _digest(data) for name, data in files}
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f'.{folder.name}.', suffix='.tmp', dir=folder.parent))
    except OSError as e:
        raise PathError(folder, f'cannot write the series: {e.strerror}') from None
    try:
        for name, data in files:
            (tmp / name).write_bytes(data)
        if not folder.exists():
            (tmp / MANIFEST).write_bytes(_manifest_text(entries))
            os.rename(tmp, folder)
            return
        # Entries of files still there from other runs (other versions) stay.
        kept = {n: d for n, d in read_manifest(folder).items()
                if n not in replaced and n not in entries and (folder / n).exists()}
        (tmp / MANIFEST).write_bytes(_manifest_text({**kept, **entries}))
        # Everything is on disk: only now does the folder change.
        for name in names:
            os.replace(tmp / name, folder / name)
        for name in replaced - set(names):
            (folder / name).unlink()
        os.replace(tmp / MANIFEST, folder / MANIFEST)
    except OSError as e:
        raise PathError(folder, f'cannot write the series: {e.strerror}') from None
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def _free_name(folder: Path, name: str, taken: set[str]) -> str:
    stem, dot, suffix = name.rpartition('.')
    if not dot:
        stem, suffix = name, ''
    candidate, n = name, 1
    while candidate in taken or (folder / candidate).exists():
        n += 1
        candidate = f'{stem}-{n}{dot}{suffix}'
    return candidate


def write_new_files(folder: Path, files: Sequence[tuple[str, bytes]]) -> list[Path]:
    """Add `files` to `folder` (made if missing) under names not yet taken
    (`name-2.ext`, ... when one is); never replaces a file. Each is written
    to a temporary file and linked into place; on failure the files of
    this call are removed again. Returns the paths written."""
    if folder.exists() and not folder.is_dir():
        raise PathError(folder, 'exists and is not a folder')
    written: list[Path] = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        taken: set[str] = set()
        for name, data in files:
            fd, tmp = tempfile.mkstemp(prefix='.', suffix='.tmp', dir=folder)
            try:
                with os.fdopen(fd, 'wb') as f:
                    f.write(data)
                os.chmod(tmp, 0o644)
                while True:
                    final = _free_name(folder, name, taken)
                    try:
                        os.link(tmp, folder / final)   # fails rather than replace
                        break
                    except FileExistsError:
                        taken.add(final)
                taken.add(final)
                written.append(folder / final)
            finally:
                os.unlink(tmp)
    except OSError as e:
        for path in written:
            path.unlink(missing_ok=True)
        raise PathError(folder, f'cannot write: {e.strerror}') from None
    return written
