"""The annotate command: add __rust_helper where it is missing, or print
the diff that would (--dry-run)."""
from __future__ import annotations

import argparse
import sys

from codemod.c_source import rewrite
from codemod.c_source.scan import scan_files
from codemod.kernel import tree
from codemod.plumbing.errors import EXIT_CLEAN
from codemod.plumbing.errors import EXIT_FINDINGS
from codemod.plumbing.text import plural


def main(args: argparse.Namespace) -> int:
    root, files = tree.files_for(args.tree, args.paths)
    scanned = scan_files(files, root)
    rewrites, skipped = rewrite.plan_in_tree(root, scanned, fmt=not args.no_format)
    for s in skipped:
        print(f'{s.file.rel}: note: skipped {plural(s.count, "helper")}: {s.reason}', file=sys.stderr)
    if args.dry_run:
        from codemod.mail.diff import FileChange
        from codemod.mail.diff import file_diff
        from codemod.mail.diff import render
        changes = render([FileChange(r.file.rel, r.file.rel, r.old, r.new) for r in rewrites],
                         tree.gitattributes(root))
        sys.stdout.flush()
        for change in changes:
            sys.stdout.buffer.write(file_diff(change))
        sys.stdout.buffer.flush()
    else:
        for note in rewrite.remove_stale_temp_files(root):
            print(note, file=sys.stderr)
        rewrite.write(rewrites)
    verb = 'would annotate' if args.dry_run else 'annotated'
    for r in rewrites:
        print(f'{verb} {plural(r.count, "helper")} in {r.file.rel}', file=sys.stderr)
    return EXIT_FINDINGS if rewrites else EXIT_CLEAN
