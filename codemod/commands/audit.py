"""The audit command: prove from built ELF files that no call to a
rust_helper_* symbol is left in Rust machine code (ARCHITECTURE.md, "audit").

Edges here: the inputs read, the tree scanned for the join, the report
written. Every stage between is in codemod/audit/.
"""
from __future__ import annotations

import argparse
import sys

from codemod.audit import elf
from codemod.audit import images
from codemod.audit import inputs
from codemod.audit import objects
from codemod.audit import report
from codemod.audit.sites import Audit
from codemod.audit.source import SourceIndex
from codemod.audit.symbols import has_rust_symbols
from codemod.plumbing.errors import EXIT_CLEAN
from codemod.plumbing.errors import EXIT_FINDINGS


def audit_one(item: elf.Elf) -> Audit:
    return objects.audit(item) if item.kind == 'object' else images.audit(item)


class _Progress:
    """A count on stderr while it is a terminal; nothing in pipes and CI."""

    def __init__(self) -> None:
        self.on = sys.stderr.isatty()
        self.n = 0

    def step(self, label: str) -> None:
        self.n += 1
        if self.on and self.n % 25 == 0:
            print(f'\raudit: {self.n} files read', end='', file=sys.stderr, flush=True)

    def done(self) -> None:
        if self.on and self.n >= 25:
            print('\r\033[K', end='', file=sys.stderr, flush=True)


def main(args: argparse.Namespace) -> int:
    from codemod.c_source.scan import scan_files
    from codemod.kernel import tree

    sources = None
    root = None
    if args.tree is not None or not args.paths:
        root, files = tree.files_for(args.tree, ())
        sources = SourceIndex(scan_files(files))
    found = inputs.from_paths(args.paths) if args.paths else inputs.from_tree(root)

    audits = []
    skipped = 0
    progress = _Progress()
    for item in found:
        progress.step(item.label)
        if item.data is None:
            skipped += 1
            continue
        parsed = elf.parse(item.label, item.data)
        if item.must_be_rust and not has_rust_symbols(parsed):
            skipped += 1
            continue
        result = audit_one(parsed)
        if not result.rust_functions and result.kind == 'image':
            # A stripped image still links, but without its symbol table
            # there is no Rust function to disassemble: say so, or a clean
            # result would prove nothing.
            print(f'{item.label}: warning: no Rust function symbols (stripped?): its code was not audited',
                  file=sys.stderr)
        audits.append(result)
    progress.done()

    result = report.build(audits, sources)
    sys.stdout.write(report.render(result, sources, args.format))
    print(report.summary_line(result, skipped), file=sys.stderr)
    if sources is None and result.sites:
        print('audit: pass --tree DIR to tell annotated helpers from unannotated ones', file=sys.stderr)
    return EXIT_FINDINGS if result.has_errors else EXIT_CLEAN
