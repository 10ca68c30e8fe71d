"""parse-error: code tree-sitter could not parse, where a helper could hide."""
from __future__ import annotations

from collections.abc import Iterator

from codemod.c_source.helpers import FileScan
from codemod.lint.findings import ERROR
from codemod.lint.findings import Finding

ID = 'parse-error'
SEVERITY = ERROR
FIX = 'if a kernel attribute macro causes it, add it to codemod/data/attribute_macros.txt'


def check(path: str, scan: FileScan) -> Iterator[Finding]:
    for p in scan.problems:
        yield Finding(
            path, p.line, p.col, SEVERITY, ID,
            f'cannot parse the code here (near {p.text!r}); a helper here may be missed', FIX,
        )
