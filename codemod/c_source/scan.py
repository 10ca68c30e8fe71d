"""Helper files read and scanned: the records every job starts from."""
from __future__ import annotations

from typing import NamedTuple

from codemod.c_source.helpers import FileScan
from codemod.c_source.helpers import scan_bytes
from codemod.kernel import tree


class ScannedFile(NamedTuple):
    file: tree.HelperFile
    data: bytes
    scan: FileScan

    @property
    def rel(self) -> str:
        return self.file.rel


def scan_files(files: list[tree.HelperFile]) -> list[ScannedFile]:
    """Read every file first: a bad input stops the run before any work."""
    contents = [(f, tree.read_bytes(f)) for f in files]
    return [ScannedFile(f, data, scan_bytes(data)) for f, data in contents]
