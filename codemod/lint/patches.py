"""check --patch: review incoming patches before they are applied. Pure.

Reports every helper definition a patch adds under rust/helpers/ without
__rust_helper, at its line in the post-image; and, as warnings, new helper
files that helpers.c does not include or that only the catch-all RUST
MAINTAINERS entry covers. The tree, when there is one, supplies pre-images
(so a modified file is scanned whole) and MAINTAINERS.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from collections.abc import Sequence

import unidiff

from codemod.c_source.helpers import scan_bytes
from codemod.kernel.maintainers import globs
from codemod.lint.findings import Finding
from codemod.lint.rules import helper_not_included
from codemod.lint.rules import missing_annotation
from codemod.lint.rules import uncovered_helper_file
from codemod.mail.incoming import added_lines
from codemod.mail.incoming import IncomingPatch
from codemod.mail.incoming import path_of
from codemod.mail.incoming import post_image
from codemod.mail.incoming import sparse_post_image

HELPERS_DIR = 'rust/helpers/'
HELPERS_C = 'rust/helpers/helpers.c'
_INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
_F_LINE = re.compile(r'^F:\s*(\S+)\s*$')

# path -> the file's bytes in the tree (None if absent)
ReadTree = Callable[[str], 'bytes | None']
# path -> True if a MAINTAINERS section other than the catch-alls covers it
IsCovered = Callable[[str], bool]


def _is_helper_file(f: unidiff.PatchedFile) -> bool:
    path = path_of(f)
    return (path.startswith(HELPERS_DIR) and path.endswith('.c')
            and not f.is_removed_file and not f.is_binary_file)


def _lines_added_to(patches: Sequence[IncomingPatch], path: str) -> list[str]:
    return [line for p in patches for f in p.diff if path_of(f) == path for line in added_lines(f).values()]


def _included(patches: Sequence[IncomingPatch], read_tree: ReadTree) -> set[str]:
    current = read_tree(HELPERS_C) or b''
    text = current.decode('utf-8', 'replace') + ''.join(_lines_added_to(patches, HELPERS_C))
    return set(_INCLUDE.findall(text))


def _covered_by_patch(patches: Sequence[IncomingPatch], path: str) -> bool:
    """Whether the input itself adds an F: line for the file to MAINTAINERS."""
    for line in _lines_added_to(patches, 'MAINTAINERS'):
        m = _F_LINE.match(line.strip())
        if m and m.group(1) not in ('rust/', '*', '*/') and globs.compile_file_pattern(m.group(1)).matches(path):
            return True
    return False


def _file_findings(patch: IncomingPatch, f: unidiff.PatchedFile, read_tree: ReadTree) -> list[Finding]:
    path = path_of(f)
    source = path if not f.is_rename else f.source_file[2:]
    image = post_image(f, None if f.is_added_file else read_tree(source))
    if image is None:
        image = sparse_post_image(f)
    return list(missing_annotation.check(
        path, scan_bytes(image), lines=set(added_lines(f)), subject=patch.subject,
    ))


def lint(patches: Sequence[IncomingPatch], read_tree: ReadTree, is_covered: IsCovered | None) -> list[Finding]:
    findings: list[Finding] = []
    included = _included(patches, read_tree)
    for patch in patches:
        for f in patch.diff:
            if not _is_helper_file(f):
                continue
            path = path_of(f)
            findings += _file_findings(patch, f, read_tree)
            if f.is_added_file and path != HELPERS_C:
                findings += helper_not_included.check(path, included)
                if is_covered is not None:
                    covered = is_covered(path) or _covered_by_patch(patches, path)
                    findings += uncovered_helper_file.check(path, covered)
    return findings


def summary(patches: Sequence[IncomingPatch], findings: Sequence[Finding]) -> str:
    from codemod.plumbing.text import plural
    errors = [f for f in findings if f.is_error]
    warnings = [f for f in findings if f.severity == 'warning']
    checked = plural(len(patches), 'patch')
    if not errors and not warnings:
        return f'no problems in {checked}'
    parts = []
    if errors:
        parts.append(f'{plural(len(errors), "helper")} missing __rust_helper')
    if warnings:
        parts.append(plural(len(warnings), 'warning'))
    return ', '.join(parts) + f' in {checked}'
