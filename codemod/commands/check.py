"""The check command: lint the tree's helper files (or, with --patch, a
diff or mails: check_patch.py). Its imports stay light: it runs on every
commit (ARCHITECTURE.md)."""
from __future__ import annotations

import argparse
import sys

from codemod.c_source.scan import scan_files
from codemod.kernel import tree
from codemod.lint import files as lint
from codemod.lint.findings import render
from codemod.plumbing.errors import EXIT_CLEAN
from codemod.plumbing.errors import EXIT_FINDINGS
from codemod.plumbing.errors import PathError
from codemod.plumbing.text import plural


def main(args: argparse.Namespace) -> int:
    if args.patch is not None:
        from codemod.commands import check_patch
        return check_patch.main(args)
    for given, option in ((args.format == 'b4', '--format b4'), (args.reply, '--reply'), (args.sender, '--from')):
        if given:
            raise PathError(option, 'reviews patches: use it with --patch FILE|-')
    root, files = tree.files_for(args.tree, args.paths)
    scanned = scan_files(files)
    fixed = []
    if args.fix:
        from codemod.c_source import rewrite
        fixed, _ = rewrite.plan_in_tree(root, scanned, fmt=True)
        for note in rewrite.remove_stale_temp_files(root):
            print(note, file=sys.stderr)
        rewrite.write(fixed)
        for r in fixed:
            print(f'fixed {plural(r.count, "helper")} in {r.file.rel}', file=sys.stderr)
        scanned = scan_files(files)
    findings = lint.lint(scanned)
    sys.stdout.write(render(findings, args.format))
    print(lint.summary(scanned, findings), file=sys.stderr)
    return EXIT_FINDINGS if fixed or any(f.is_error for f in findings) else EXIT_CLEAN
