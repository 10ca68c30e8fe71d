"""The scan command: every helper definition, as text or JSON."""
from __future__ import annotations

import argparse
import sys

from codemod.c_source.helpers import FileScan
from codemod.c_source.helpers import Helper
from codemod.c_source.scan import scan_files
from codemod.c_source.scan import ScannedFile
from codemod.kernel import tree
from codemod.plumbing.errors import EXIT_CLEAN
from codemod.plumbing.text import plural


def main(args: argparse.Namespace) -> int:
    _, files = tree.files_for(args.tree, ())
    scanned = scan_files(files)
    sys.stdout.write(render(inventory(scanned), args.json))
    print(summary(scanned), file=sys.stderr)
    return EXIT_CLEAN


def kind(scan: FileScan, helper: Helper) -> str:
    if scan.generated:
        return 'generated'
    return 'macro' if helper.macro else 'plain'


def inventory(scanned: list[ScannedFile]) -> list[dict[str, object]]:
    rows = []
    for s in scanned:
        for h in s.scan.helpers:
            rows.append({
                'file': s.rel,
                'line': h.line,
                'column': h.col,
                'name': h.name,
                'annotated': h.annotated,
                'conditions': list(h.conditions),
                'kind': kind(s.scan, h),
                'macro': h.macro,
                'generator': s.scan.generator if s.scan.generated else None,
            })
    return rows


def render(rows: list[dict[str, object]], as_json: bool) -> str:
    if as_json:
        import json
        return json.dumps(rows, indent=2) + '\n'
    out = []
    for r in rows:
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
        out.append(line + '\n')
    return ''.join(out)


def summary(scanned: list[ScannedFile]) -> str:
    helpers = [h for s in scanned for h in s.scan.helpers]
    files = sum(1 for s in scanned if s.scan.helpers)
    missing = sum(1 for h in helpers if not h.annotated)
    return (
        f'{plural(len(helpers), "helper")} in {plural(files, "file")} '
        f'({missing} missing __rust_helper, {plural(len(scanned), "file")} scanned)'
    )
