"""check --patch: review a diff or mails before they are applied. The
edges: read the input, find the tree and its MAINTAINERS, lint."""
from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from codemod.lint import patches as patch_lint
from codemod.lint.findings import Finding
from codemod.lint.findings import render
from codemod.mail import incoming
from codemod.plumbing.errors import EXIT_CLEAN
from codemod.plumbing.errors import EXIT_FINDINGS
from codemod.plumbing.errors import PathError

if TYPE_CHECKING:
    from codemod.mail.ident import Ident
    from codemod.mail.reply import Draft


@dataclass(frozen=True)
class Review:
    findings: list[Finding]
    notes: list[str]
    summary: str
    patches: list[incoming.IncomingPatch]
    each: list[list[Finding]]     # the findings of each patch
    images: list[dict[str, bytes]]   # the helper files after each patch


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


class Context:
    """The tree the patches are read against: its files and MAINTAINERS."""

    def __init__(self, tree_arg: str | None) -> None:
        self.root = _tree(tree_arg)
        self.read = _reader(self.root)
        self.is_covered = _coverage(self.root)

    def note(self, source: str) -> list[str]:
        if self.is_covered is not None:
            return []
        return [f'{source}: note: no kernel tree with MAINTAINERS here (--tree DIR): '
                'new helper files are not checked against MAINTAINERS']


def review_patches(patches: list[incoming.IncomingPatch], context: Context, source: str) -> Review:
    results = patch_lint.lint_patches(patches, context.read, context.is_covered)
    each = [r.findings for r in results]
    findings = [f for fs in each for f in fs]
    return Review(findings, context.note(source), patch_lint.summary(patches, findings), patches, each,
                  [r.images for r in results])


def review(data: bytes, source: str, tree_arg: str | None) -> Review:
    return review_patches(incoming.parse(data, source), Context(tree_arg), source)


def drafts(result: Review, sender: Ident, notes: list[str], source: str) -> list[Draft]:
    """A reply draft for each patch mail with findings."""
    from email.utils import make_msgid

    from codemod.commands.sending import series_date
    from codemod.mail import reply
    out = []
    date = series_date(None)
    for patch, findings, images in zip(result.patches, result.each, result.images):
        if not findings:
            continue
        if patch.headers is None or not patch.headers.message_id:
            notes.append(f'{source}: note: no reply drafted for patch "{patch.subject or "(plain diff)"}": '
                         'it is not a mail with a Message-ID')
            continue
        message_id = make_msgid('rust-helpers', domain=sender.email.rpartition('@')[2])[1:-1]
        out.append(reply.build(patch, findings, sender, date, message_id, images))
    return out


def write_drafts(folder: str, result: Review, sender_arg: str | None, tree_arg: str | None,
                 notes: list[str], source: str) -> None:
    """Reply drafts into `folder`, beside what is there; never sent."""
    from codemod.commands.sending import sender
    from codemod.plumbing.outdir import write_new_files
    if not any(result.each):
        return
    # --from, else git's user.name and user.email as seen from the tree.
    who = sender(Path(tree_arg or '.'), sender_arg)
    made = drafts(result, who, notes, source)
    for path in write_new_files(Path(folder), [(d.name, d.data) for d in made]):
        notes.append(f'{path}: note: reply draft written (not sent)')


def main(args: argparse.Namespace) -> int:
    if args.paths or args.fix:
        raise PathError('--patch', 'takes no PATH arguments and no --fix')
    if args.reply is not None and args.format == 'b4':
        raise PathError('--reply', 'writes drafts for a reviewer; --format b4 is for b4 review')
    data = sys.stdin.buffer.read() if args.patch == '-' else _read_input(args.patch)
    result = review(data, args.patch, args.tree)
    notes = list(result.notes)
    if args.reply is not None:
        write_drafts(args.reply, result, args.sender, args.tree, notes, args.patch)
    sys.stdout.write(render(result.findings, args.format))
    for note in notes:
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
