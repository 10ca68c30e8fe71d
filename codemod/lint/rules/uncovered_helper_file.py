"""uncovered-helper-file: a new helper file only the catch-all RUST entry covers.

Helpers belong to the subsystem whose C API they wrap; listing the file in
that subsystem's MAINTAINERS entry sends its patches to those maintainers.
"""
from __future__ import annotations

from collections.abc import Iterator

from codemod.lint.findings import Finding
from codemod.lint.findings import WARNING

ID = 'uncovered-helper-file'
SEVERITY = WARNING
FIX = 'add "F:\t{path}" to the MAINTAINERS entry of the subsystem it wraps'


def check(path: str, covered: bool) -> Iterator[Finding]:
    """`covered`: a MAINTAINERS section other than the catch-alls lists it."""
    if not covered:
        yield Finding(
            path, 1, 1, SEVERITY, ID,
            'new helper file is covered only by the catch-all RUST section of MAINTAINERS',
            FIX.format(path=path),
        )
