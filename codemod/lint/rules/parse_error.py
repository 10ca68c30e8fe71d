"""parse-error: a declaration we cannot read, where a helper could hide.

At most MAX_PER_FILE findings per file; the rest of that file's problems
are one more finding that counts them and gives their lines.
"""
from __future__ import annotations

from collections.abc import Iterator

from codemod.c_source.helpers import FileScan
from codemod.lint.findings import ERROR
from codemod.lint.findings import Finding

ID = 'parse-error'
SEVERITY = ERROR
FIX = ('if an attribute macro causes it, add it to codemod/data/attribute_macros.txt; '
       'if #if lines split the declaration, write it out whole in each branch')
MAX_PER_FILE = 3
MAX_LINES_LISTED = 10


def check(path: str, scan: FileScan) -> Iterator[Finding]:
    problems = scan.problems
    for p in problems[:MAX_PER_FILE]:
        yield Finding(
            path, p.line, p.col, SEVERITY, ID,
            f'{p.reason} (near {p.text!r}); a helper here may be missed', FIX,
        )
    rest = problems[MAX_PER_FILE:]
    if rest:
        lines = ', '.join(str(p.line) for p in rest[:MAX_LINES_LISTED])
        more = f', and {len(rest) - MAX_LINES_LISTED} more' if len(rest) > MAX_LINES_LISTED else ''
        yield Finding(
            path, rest[0].line, rest[0].col, SEVERITY, ID,
            f'{len(rest)} more places in this file cannot be read (lines {lines}{more}); '
            'run `rust-helpers scan --json` for each', FIX,
        )
