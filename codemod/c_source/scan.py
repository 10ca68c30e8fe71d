"""Helper files read and scanned: the records every job starts from.

Small runs (a tree's rust/helpers/ is a few dozen files) scan in this
process. Large ones (POOL_FROM files or more, or --jobs) scan in a pool of
processes over the files, one per CPU: the results come back in file
order, each worker reads its own files, and with `keep_data` off only the
records travel back, so memory stays bounded by the records.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from collections.abc import Iterator
from typing import NamedTuple

from codemod.c_source.helpers import FileScan
from codemod.c_source.helpers import scan_bytes
from codemod.c_source.macros import Knowledge
from codemod.kernel import tree
from codemod.kernel.header_macros import knowledge_for
from codemod.plumbing.errors import PathError
from codemod.plumbing.progress import Progress

POOL_FROM = 200
_CHUNK = 8


class ScannedFile(NamedTuple):
    file: tree.HelperFile
    data: bytes         # empty unless kept (annotate and series need it)
    scan: FileScan

    @property
    def rel(self) -> str:
        return self.file.rel


def scan_files(files: list[tree.HelperFile], root: str | None = None) -> list[ScannedFile]:
    """Every file read and scanned, bytes kept; a bad input stops the run
    before any file is written."""
    return list(iter_scanned(files, root, keep_data=True))


def cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


# The knowledge a pool's workers use: set before the pool forks them.
_knowledge: Callable[[], Knowledge] | None = None


def _scan_one(f: tree.HelperFile, keep_data: bool) -> ScannedFile | tuple[str, str]:
    try:
        data = tree.read_bytes(f)
    except PathError as e:
        return (e.path, e.message)     # exceptions with our signature do not pickle
    return ScannedFile(f, data if keep_data else b'', scan_bytes(data, _knowledge))


def _scan_one_without_data(f: tree.HelperFile) -> ScannedFile | tuple[str, str]:
    return _scan_one(f, False)


def _scan_one_with_data(f: tree.HelperFile) -> ScannedFile | tuple[str, str]:
    return _scan_one(f, True)


def iter_scanned(
        files: list[tree.HelperFile], root: str | None = None, *, keep_data: bool = False,
        jobs: int | None = None, what: str = 'scanning',
) -> Iterator[ScannedFile]:
    """Each file's records, in file order, as they are ready. `root` is the
    tree, whose headers say which words are attribute macros."""
    global _knowledge
    if root is None and files and files[0].path.endswith(files[0].rel):
        root = files[0].path[:-len(files[0].rel)].rstrip('/') or '/'   # the tree the files are in
    _knowledge = knowledge_for(root)
    jobs = jobs or (cpus() if len(files) >= POOL_FROM else 1)
    one = _scan_one_with_data if keep_data else _scan_one_without_data
    with Progress(len(files), what) as progress:
        if jobs <= 1 or len(files) < 2:
            results: Iterator = map(one, files)
            pool = None
        else:
            import multiprocessing
            pool = multiprocessing.get_context('fork').Pool(min(jobs, len(files)))
            results = pool.imap(one, files, chunksize=_CHUNK)
        try:
            for r in results:
                if isinstance(r, tuple) and not isinstance(r, ScannedFile):
                    raise PathError(*r)
                progress.step()
                yield r
        finally:
            if pool is not None:
                pool.terminate()
                pool.join()
