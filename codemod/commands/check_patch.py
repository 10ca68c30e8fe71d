"""check --patch: review a diff or mails before they are applied. The
edges: read the input, find the tree and its MAINTAINERS, lint."""
from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from codemod.lint import patches as patch_lint
from codemod.lint.findings import Finding
from codemod.mail import incoming
from codemod.lint.findings import render
from codemod.plumbing.errors import EXIT_CLEAN
from codemod.plumbing.errors import EXIT_FINDINGS
from codemod.plumbing.errors import PathError


@dataclass(frozen=True)
class Review:
    findings: list[Finding]
    notes: list[str]
    summary: str


def _tree(explicit: str | None) -> Path | None:
    """--tree, or the working directory if it is a kernel tree; else none."""
    from codemod.kernel import tree
    try:
        return Path(tree.find_tree(explicit))
    except PathError:
        if explicit is not None:
            raise
        return None


def _reader(root: Path | None):
    def read(path: str) -> bytes | None:
        if root is None:
            return None
        try:
            return (root / path).read_bytes()
        except OSError:
            return None
    return read


def _coverage(root: Path | None):
    if root is None or not (root / 'MAINTAINERS').is_file():
        return None
    from codemod.kernel.maintainers.routing import load_tree
    index = load_tree(root)

    def covered(path: str) -> bool:
        return any(not s.is_catch_all for s in index.sections_for(path))
    return covered


def review(data: bytes, source: str, tree_arg: str | None) -> Review:
    patches = incoming.parse(data, source)
    root = _tree(tree_arg)
    notes = []
    is_covered = _coverage(root)
    if is_covered is None:
        notes.append(f'{source}: note: no kernel tree with MAINTAINERS here (--tree DIR): '
                     'new helper files are not checked against MAINTAINERS')
    findings = patch_lint.lint(patches, _reader(root), is_covered)
    return Review(findings, notes, patch_lint.summary(patches, findings))


def main(args: argparse.Namespace) -> int:
    if args.paths or args.fix:
        raise PathError('--patch', 'takes no PATH arguments and no --fix')
    data = sys.stdin.buffer.read() if args.patch == '-' else _read_input(args.patch)
    result = review(data, args.patch, args.tree)
    sys.stdout.write(render(result.findings, args.format))
    for note in result.notes:
        print(note, file=sys.stderr)
    print(result.summary, file=sys.stderr)
    return EXIT_FINDINGS if any(f.is_error for f in result.findings) else EXIT_CLEAN


def _read_input(path: str) -> bytes:
    try:
        with open(path, 'rb') as f:
            return f.read()
    except IsADirectoryError:
        raise PathError(path, 'is a directory, not a patch file') from None
    except OSError as e:
        raise PathError(path, f'cannot read: {e.strerror}') from None
