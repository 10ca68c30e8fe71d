"""missing-annotation: a helper definition without __rust_helper."""
from __future__ import annotations

from collections.abc import Iterator

from codemod.c_source.helpers import FileScan
from codemod.lint.findings import ERROR
from codemod.lint.findings import Finding

ID = 'missing-annotation'
SEVERITY = ERROR
FIX = 'add __rust_helper before the return type (rust-helpers annotate)'


def check(path: str, scan: FileScan, *, lines: set[int] | None = None,
          subject: str | None = None) -> Iterator[Finding]:
    """`lines`: report only helpers whose declaration touches these lines
    (the ones a patch adds); `subject`: the patch they come from."""
    for h in scan.helpers:
        if h.annotated:
            continue
        if lines is not None and lines.isdisjoint(range(h.line, h.header_end + 1)):
            continue
        what = f'{h.name} (in macro {h.macro})' if h.macro else h.name
        message = f'{what} is missing __rust_helper'
        if subject:
            message += f' (patch "{subject}")'
        fix = FIX
        if scan.generated:
            generator = scan.generator or 'its generator'
            message += f'; the file is generated: change {generator} and regenerate it'
            fix = f'change {generator} to emit __rust_helper, then regenerate {path}'
        yield Finding(path, h.line, h.col, SEVERITY, ID, message, fix, h.name)
