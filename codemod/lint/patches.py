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
from typing import NamedTuple

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
from codemod.mail.incoming import side_path
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


class _Applied:
    """The files as the patches so far leave them: each patch of an mbox is
    read on top of the earlier ones, as `git am` would apply them, so a
    later patch to a file an earlier one added or changed sees that file.

    A path maps to its bytes, to None when absent, or is missing from
    `files` when the tree decides. A patch whose hunks do not apply to
    what we know makes the file unknown: later patches use their hunks.
    """

    _UNKNOWN = object()

    def __init__(self, read_tree: ReadTree) -> None:
        self.read_tree = read_tree
        self.files: dict[str, object] = {}

    def read(self, path: str) -> bytes | None:
        data = self.files.get(path, self.files)  # self.files: not recorded
        if data is self.files:
            return self.read_tree(path)
        return None if data is self._UNKNOWN else data  # type: ignore[return-value]

    def apply(self, f: unidiff.PatchedFile) -> bytes:
        """The post-image of `f` (sparse when unknown), recorded for later patches."""
        path = path_of(f)
        source = side_path(f.source_file) if f.is_rename else path
        image = post_image(f, None if f.is_added_file else self.read(source))
        if f.is_rename:
            self.files[source] = None
        if f.is_removed_file:
            self.files[path] = None
            return b''
        if image is None:
            self.files[path] = self._UNKNOWN
            return sparse_post_image(f)
        self.files[path] = image
        return image


class PatchLint(NamedTuple):
    findings: list[Finding]
    images: dict[str, bytes]      # each helper file's post-image (sparse if unknown)


def lint_patches(patches: Sequence[IncomingPatch], read_tree: ReadTree,
                 is_covered: IsCovered | None) -> list[PatchLint]:
    """The findings of each patch, in the order of `patches`, and the files
    they were found in (a reply quotes from them)."""
    applied = _Applied(read_tree)
    included = _included(patches, read_tree)
    each: list[PatchLint] = []
    for patch in patches:
        result = PatchLint([], {})
        for f in patch.diff:
            if f.is_binary_file or not (path_of(f).startswith(HELPERS_DIR)
                                        or side_path(f.source_file).startswith(HELPERS_DIR)):
                continue
            image = applied.apply(f)
            if not _is_helper_file(f):
                continue
            path = path_of(f)
            result.images[path] = image
            result.findings.extend(missing_annotation.check(
                path, scan_bytes(image), lines=set(added_lines(f)), subject=patch.subject))
            if f.is_added_file and path != HELPERS_C:
                result.findings.extend(helper_not_included.check(path, included))
                if is_covered is not None:
                    covered = is_covered(path) or _covered_by_patch(patches, path)
                    result.findings.extend(uncovered_helper_file.check(path, covered))
        each.append(result)
    return each


def lint_each(patches: Sequence[IncomingPatch], read_tree: ReadTree,
              is_covered: IsCovered | None) -> list[list[Finding]]:
    return [r.findings for r in lint_patches(patches, read_tree, is_covered)]


def lint(patches: Sequence[IncomingPatch], read_tree: ReadTree, is_covered: IsCovered | None) -> list[Finding]:
    return [f for findings in lint_each(patches, read_tree, is_covered) for f in findings]


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
