"""The state file of `review`: where the last walk of an archive stopped,
and the newest version of each series reviewed. JSON, written atomically
(a temporary file beside it, renamed over it)."""
from __future__ import annotations

import json
import os
from pathlib import Path

from codemod.plumbing.errors import PathError
from codemod.plumbing.fsio import create_exclusive

FORMAT = 1


def load(path: Path, archive: Path, kind: str) -> dict | None:
    """The saved state, or None when there is none yet; PathError when it
    is not ours or is of another archive."""
    try:
        data = json.loads(path.read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as e:
        raise PathError(path, f'not a review state file: {getattr(e, "strerror", None) or e}') from None
    if not isinstance(data, dict) or data.get('format') != FORMAT:
        raise PathError(path, 'not a review state file of this version')
    if data.get('archive') != str(archive.resolve()) or data.get('kind') != kind:
        raise PathError(path, f'is the state of another archive: {data.get("archive")}')
    return data


def make(archive: Path, kind: str, position: dict, series: dict[str, int]) -> dict:
    return {'format': FORMAT, 'archive': str(archive.resolve()), 'kind': kind,
            'position': position, 'series': dict(sorted(series.items()))}


def save(path: Path, state: dict) -> None:
    data = (json.dumps(state, indent=1) + '\n').encode()
    folder = path.parent
    try:
        fd, tmp = create_exclusive(folder, f'.{path.name}', '.tmp')
    except OSError as e:
        raise PathError(path, f'cannot write: {e.strerror}') from None
    try:
        with os.fdopen(fd, 'wb') as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as e:
        os.unlink(tmp)
        raise PathError(path, f'cannot write: {e.strerror}') from None
