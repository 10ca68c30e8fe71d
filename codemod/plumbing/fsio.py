"""Write files so that a failure never leaves a tree half-changed.

All new contents are first written to temporary files beside their targets
(same file system, so the rename is atomic) with the target's mode; only
when every one of them is on disk are they renamed over the originals.

A run that is killed leaves its temporary files (`.NAME.PID.N.tmp`)
behind. Their names carry the writer's process id, so a later run can tell
a dead run's leftovers (removed: `remove_stale`) from a running one's.
"""
from __future__ import annotations

import os

from codemod.plumbing.errors import PathError


class WriteError(PathError):
    """A file we could not write; nothing was replaced."""


def create_exclusive(folder: str | os.PathLike[str], stem: str, suffix: str) -> tuple[int, str]:
    """A new file that did not exist, opened for writing (no tempfile import:
    `annotate` runs often, and that module and what it pulls in cost 10 ms)."""
    for n in range(1000):
        path = os.path.join(folder, f'{stem}.{os.getpid()}.{n}{suffix}')
        try:
            return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), path
        except FileExistsError:
            continue
    raise FileExistsError(os.path.join(folder, stem))


TEMP_SUFFIX = '.tmp'


def temp_target(name: str) -> tuple[str, int] | None:
    """(target name, writer's pid) when `name` is one of our temporary files
    (`.NAME.PID.N.tmp`, as _stage() makes them), else None."""
    if not (name.startswith('.') and name.endswith(TEMP_SUFFIX)):
        return None
    parts = name[1:-len(TEMP_SUFFIX)].rsplit('.', 2)
    if len(parts) != 3 or not parts[0] or not parts[1].isdigit() or not parts[2].isdigit():
        return None
    return parts[0], int(parts[1])


def _is_running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True     # someone else's process: alive
    except OSError:
        return True     # cannot tell: keep the file
    return True


def remove_stale(paths: list[str]) -> tuple[list[str], list[str]]:
    """Remove those of `paths` (our temporary files) whose writer is dead.
    (removed, kept because their writer still runs)."""
    removed, kept = [], []
    for path in paths:
        found = temp_target(os.path.basename(path))
        if found is None:
            continue
        if _is_running(found[1]):
            kept.append(path)
            continue
        try:
            os.unlink(path)
        except FileNotFoundError:
            continue
        except OSError as e:
            raise WriteError(path, f'cannot remove a stale temporary file: {e.strerror}') from None
        removed.append(path)
    return removed, kept


def _stage(target: str | os.PathLike[str], data: bytes) -> str:
    st = os.stat(target)
    folder, name = os.path.split(os.fspath(target))
    fd, tmp = create_exclusive(folder or '.', f'.{name}', TEMP_SUFFIX)
    try:
        with os.fdopen(fd, 'wb') as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, st.st_mode & 0o7777)
        try:
            os.chown(tmp, st.st_uid, st.st_gid)
        except PermissionError:
            pass  # not ours to give away; the mode is what matters
    except BaseException:
        os.unlink(tmp)
        raise
    return tmp


Target = str | os.PathLike[str]


def write_all(changes: list[tuple[Target, bytes]], display: dict[Target, str] | None = None) -> None:
    """Replace each path's contents, all or nothing as far as the OS allows."""
    display = display or {}
    staged: list[tuple[str, Target]] = []
    try:
        for target, data in changes:
            try:
                staged.append((_stage(target, data), target))
            except OSError as e:
                raise WriteError(display.get(target, target), f'cannot write: {e.strerror}') from None
    except BaseException:
        for tmp, _ in staged:
            remove_if_present(tmp)
        raise
    for tmp, target in staged:
        os.replace(tmp, target)


def remove_if_present(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
