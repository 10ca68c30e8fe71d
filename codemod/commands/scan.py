"""The scan command: every helper definition, and every place that could
not be read, as text or JSON. Rows are written as files are scanned."""
from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from typing import TextIO

from codemod.c_source.helpers import FileScan
from codemod.c_source.helpers import Helper
from codemod.c_source.scan import iter_scanned
from codemod.c_source.scan import ScannedFile
from codemod.kernel import tree
from codemod.plumbing.errors import EXIT_CLEAN
from codemod.plumbing.text import plural


def main(args: argparse.Namespace) -> int:
    root, files = tree.files_for(args.tree, ())
    counts = _Counts()
    scanned = counts.through(iter_scanned(files, root, jobs=args.jobs))
    if args.json:
        write_json(scanned, sys.stdout)
    else:
        write_text(scanned, sys.stdout)
    print(counts.summary(), file=sys.stderr)
    return EXIT_CLEAN


def kind(scan: FileScan, helper: Helper) -> str:
    if scan.generated:
        return 'generated'
    return 'macro' if helper.macro else 'plain'


def helper_row(s: ScannedFile, h: Helper) -> dict[str, object]:
    return {
        'file': s.rel,
        'line': h.line,
        'column': h.col,
        'end_line': h.header_end,
        'name': h.name,
        'name_parts': list(h.parts),
        'annotated': h.annotated,
        'conditions': list(h.conditions),
        'kind': kind(s.scan, h),
        'macro': h.macro,
        'generator': s.scan.generator if s.scan.generated else None,
    }


def problem_rows(s: ScannedFile) -> list[dict[str, object]]:
    """Every place of the file that could not be read (all of them: the
    lint caps its findings, the inventory does not)."""
    if s.scan.not_text is not None:
        return [{'file': s.rel, 'line': 1, 'column': 1, 'end_line': 1, 'message': s.scan.not_text}]
    return [{'file': s.rel, 'line': p.line, 'column': p.col, 'end_line': max(p.line, p.end_line),
             'message': f'{p.reason} (near {p.text!r})'} for p in s.scan.problems]


def write_json(scanned: Iterator[ScannedFile], out: TextIO) -> None:
    """{"helpers": [...], "static_inline": [...], "problems": [...]}: the
    helpers are written as they come, the other two (few) at the end."""
    import json
    statics, problems = [], []
    out.write('{\n  "helpers": [')
    first = True
    for s in scanned:
        for h in s.scan.helpers:
            out.write(('\n    ' if first else ',\n    ') + json.dumps(helper_row(s, h)))
            first = False
        statics += [helper_row(s, h) for h in s.scan.static_inline]
        problems += problem_rows(s)
    out.write('\n  ],\n  "static_inline": [')
    out.write(','.join('\n    ' + json.dumps(r) for r in statics))
    out.write('\n  ],\n  "problems": [')
    out.write(','.join('\n    ' + json.dumps(r) for r in problems))
    out.write('\n  ]\n}\n')


def _text_line(r: dict[str, object]) -> str:
    status = 'annotated' if r['annotated'] else 'missing'
    how = str(r['kind'])
    if r['macro']:
        how += f' (macro {r["macro"]})'
    if r['generator']:
        how += f' (by {r["generator"]})'
    line = f'{r["file"]}:{r["line"]}:{r["column"]}: {r["name"]}  {status}  {how}'
    conditions = r['conditions']
    if conditions:
        line += '  if ' + ' && '.join(str(c) for c in conditions)
    return line + '\n'


def write_text(scanned: Iterator[ScannedFile], out: TextIO) -> None:
    for s in scanned:
        rows = [(h.start, _text_line(helper_row(s, h))) for h in s.scan.helpers]
        rows += [(-1, f'{p["file"]}:{p["line"]}:{p["column"]}: cannot read: {p["message"]}\n')
                 for p in problem_rows(s)]
        lines = sorted(rows, key=lambda r: (int(r[1].split(':', 2)[1]), r[0]))
        out.write(''.join(text for _, text in lines))


class _Counts:
    def __init__(self) -> None:
        self.helpers = self.files = self.missing = self.scanned = 0

    def through(self, scanned: Iterator[ScannedFile]) -> Iterator[ScannedFile]:
        for s in scanned:
            self.scanned += 1
            self.helpers += len(s.scan.helpers)
            self.files += bool(s.scan.helpers)
            self.missing += sum(1 for h in s.scan.helpers if not h.annotated)
            yield s

    def summary(self) -> str:
        return (
            f'{plural(self.helpers, "helper")} in {plural(self.files, "file")} '
            f'({self.missing} missing __rust_helper, {plural(self.scanned, "file")} scanned)'
        )
