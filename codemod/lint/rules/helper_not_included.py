"""helper-not-included: a new helper file that helpers.c does not #include.

rust/helpers/helpers.c is the only file the build compiles; a helper file
it does not include is never built, and Rust code calling it fails to link.
"""
from __future__ import annotations

from collections.abc import Iterator

from codemod.lint.findings import Finding
from codemod.lint.findings import WARNING

ID = 'helper-not-included'
SEVERITY = WARNING
FIX = 'add #include "{name}" to rust/helpers/helpers.c, in alphabetical order'
HELPERS_DIR = 'rust/helpers/'


def check(path: str, included: set[str]) -> Iterator[Finding]:
    """`included`: the names helpers.c includes, after the patch."""
    name = path[len(HELPERS_DIR):]
    if name not in included:
        yield Finding(
            path, 1, 1, SEVERITY, ID,
            f'new helper file {name} is not #included from rust/helpers/helpers.c, so it is never built',
            FIX.format(name=name),
        )
