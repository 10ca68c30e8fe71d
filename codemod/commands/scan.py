"""The scan job: read and scan helper files, and print the inventory."""
from __future__ import annotations

from typing import NamedTuple

from codemod.c_source.helpers import FileScan
from codemod.c_source.helpers import Helper
from codemod.c_source.helpers import scan_bytes
from codemod.kernel import tree
from codemod.plumbing.text import plural


class ScannedFile(NamedTuple):
    file: tree.HelperFile
    data: bytes
    scan: FileScan

    @property
    def rel(self) -> str:
        return self.file.rel


def scan_files(files: list[tree.HelperFile]) -> list[ScannedFile]:
    """Read every file first: a bad input stops the run before any work."""
    contents = [(f, tree.read_bytes(f)) for f in files]
    return [ScannedFile(f, data, scan_bytes(data)) for f, data in contents]


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
