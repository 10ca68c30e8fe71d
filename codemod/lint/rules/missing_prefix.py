"""missing-prefix: a helper whose name lacks rust_helper_ (a note, not an error).

Such a helper is still annotated: every non-static definition under
rust/helpers/ is one. The prefix is how bindgen's output maps it back.
"""
from __future__ import annotations

from collections.abc import Iterator

from codemod.c_source.helpers import FileScan
from codemod.c_source.helpers import PREFIX
from codemod.lint.findings import Finding
from codemod.lint.findings import NOTE

ID = 'missing-prefix'
SEVERITY = NOTE
FIX = f'rename it to {PREFIX}<name>, or make it static if Rust does not call it'


def check(path: str, scan: FileScan) -> Iterator[Finding]:
    for h in scan.helpers:
        if not h.has_prefix:
            yield Finding(
                path, h.line, h.col, SEVERITY, ID,
                f'helper {h.name} has no {PREFIX} prefix', FIX, h.name,
            )
