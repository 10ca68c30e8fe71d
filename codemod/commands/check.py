"""The check command: lint the tree's helper files (or, with --patch, a
diff or mails: check_patch.py). Its imports stay light: it runs on every
commit (ARCHITECTURE.md). Findings are written file by file as the scan
goes, so a whole tree is checked in bounded memory."""
from __future__ import annotations

import argparse
import sys

from codemod.c_source.scan import iter_scanned
from codemod.c_source.scan import scan_files
from codemod.kernel import tree
from codemod.lint.files import lint_file
from codemod.lint.files import Tally
from codemod.lint.findings import Writer
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
    fixed = []
    if args.fix:
        from codemod.c_source import rewrite
        fixed, _ = rewrite.plan_in_tree(root, scan_files(files, root), fmt=True)
        for note in rewrite.remove_stale_temp_files(root):
            print(note, file=sys.stderr)
        rewrite.write(fixed)
        for r in fixed:
            print(f'fixed {plural(r.count, "helper")} in {r.file.rel}', file=sys.stderr)
    tally = Tally()
    writer = Writer(sys.stdout, args.format)
    for s in iter_scanned(files, root, jobs=args.jobs, what='checking'):
        findings = lint_file(s)
        writer.write(findings)
        tally.add(s, findings)
    writer.close()
    print(tally.summary(), file=sys.stderr)
    return EXIT_FINDINGS if fixed or tally.errors else EXIT_CLEAN
