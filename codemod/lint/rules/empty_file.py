"""empty-file: a helper file with nothing in it (a note)."""
from __future__ import annotations

from collections.abc import Iterator

from codemod.c_source.helpers import FileScan
from codemod.lint.findings import Finding
from codemod.lint.findings import NOTE

ID = 'empty-file'
SEVERITY = NOTE
FIX = 'remove the file and its #include from helpers.c, or add its helpers'


def check(path: str, scan: FileScan) -> Iterator[Finding]:
    if scan.empty:
        yield Finding(path, 1, 1, SEVERITY, ID, 'empty file: no helpers', FIX)
