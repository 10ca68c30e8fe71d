"""static-inline-helper: a `static inline rust_helper_*` definition.

It is not a helper: a static function has no symbol, so Rust cannot link
to it, and the compiler says nothing because an unused static inline
function is no warning. A file that defines one almost always meant a
helper.
"""
from __future__ import annotations

from collections.abc import Iterator

from codemod.c_source.helpers import FileScan
from codemod.lint.findings import Finding
from codemod.lint.findings import WARNING

ID = 'static-inline-helper'
SEVERITY = WARNING
FIX = 'drop `static inline` (and add __rust_helper) if Rust calls it; else rename it without rust_helper_'


def check(path: str, scan: FileScan) -> Iterator[Finding]:
    for h in scan.static_inline:
        yield Finding(
            path, h.line, h.col, SEVERITY, ID,
            f'{h.name} is static inline, so Rust cannot link to it', FIX, h.name,
        )
