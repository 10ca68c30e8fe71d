"""not-c-source: a file under rust/helpers/ that is not C source text at all.

One finding for the file (a binary one would otherwise give hundreds of
parse errors), and nothing else is read from it.
"""
from __future__ import annotations

from collections.abc import Iterator

from codemod.c_source.helpers import FileScan
from codemod.lint.findings import ERROR
from codemod.lint.findings import Finding

ID = 'not-c-source'
SEVERITY = ERROR
FIX = 'remove it from rust/helpers/, or restore the C source it should hold'


def check(path: str, scan: FileScan) -> Iterator[Finding]:
    if scan.not_text is not None:
        yield Finding(path, 1, 1, SEVERITY, ID, scan.not_text, FIX)
