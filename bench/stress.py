"""Every .c file of a kernel tree scanned as if it were a helper file, held
against an independent oracle (universal-ctags), and timed against the
tree-sitter parse floor.

    .venv/bin/python bench/stress.py [--every N] [--examples K] [--no-timing] [TREE]

TREE defaults to the cached linux-source-6.12 (tests/kernel_source.py).
The files are every `.c` outside rust/, tools/, scripts/ and Documentation/
(with --every N, every Nth of them in path order). A scratch tree gets
rust/helpers/<path> symlinks to them, and include/ and arch/ symlinks so
the tree's headers are there to learn from, then:

1. floor: `python bench/floor_parse.py` over the same files (start-up,
   read, tree-sitter parse, one query): the least a tree-sitter checker
   does, on one core;
2. `rust-helpers scan --json --jobs 1`, the same files on one core;
3. `rust-helpers scan --json`, one process per CPU (its output is what is
   compared);
4. the oracle: ctags over the files, over each file's "unfolded" #define
   bodies, and with --if0=yes for `#if 0` blocks (tests/ctags_oracle.py).

Every disagreement is printed by kind, with examples: false (we report a
helper where ctags has a static function or nothing), misnamed, silently
missed (ctags has a non-static definition we neither report nor cover with
a parse problem at its line), and covered (reported as a parse problem).
Where ctags is the one that is wrong, the case is counted under the rule
that says so (tests/ctags_rules.py), never by file name.
Figures go in bench/README.md.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO))

from tests import ctags_oracle  # noqa: E402
from tests import ctags_rules  # noqa: E402

EXCLUDED = ('rust', 'tools', 'scripts', 'Documentation')


def c_files(tree: Path) -> list[str]:
    out = []
    for dirpath, dirnames, filenames in os.walk(tree):
        rel_dir = os.path.relpath(dirpath, tree)
        if rel_dir == '.':
            dirnames[:] = sorted(d for d in dirnames if d not in EXCLUDED and not d.startswith('.'))
        else:
            dirnames.sort()
        for name in filenames:
            if name.endswith('.c'):
                out.append(os.path.normpath(os.path.join(rel_dir, name)))
    return sorted(out)


def scratch_tree(tree: Path, rels: list[str], where: Path) -> Path:
    root = where / 'tree'
    helpers = root / 'rust' / 'helpers'
    for rel in rels:
        link = helpers / rel
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(tree / rel)
    for name in ('include', 'arch'):
        if (tree / name).is_dir():
            (root / name).symlink_to(tree / name)
    return root


def timed(cmd: list[str], stdout=subprocess.DEVNULL, env=None) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (with children) and peak RSS in MB of one run."""
    start = time.perf_counter()
    proc = subprocess.Popen(['/usr/bin/time', '-f', '%M %U %S', '-o', '/dev/stderr', *cmd],
                            stdout=stdout, stderr=subprocess.PIPE, env=env)
    _, err = proc.communicate()
    wall = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise RuntimeError(f'{cmd[0]} failed ({proc.returncode}): {err.decode()[-500:]}')
    rss_kb, user, system = err.decode().strip().splitlines()[-1].split()
    return wall, float(user) + float(system), int(rss_kb) / 1024


def rust_helpers() -> str:
    exe = Path(sys.executable).with_name('rust-helpers')
    return str(exe) if exe.exists() else 'rust-helpers'


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('tree', nargs='?', type=Path)
    ap.add_argument('--every', type=int, default=1, metavar='N', help='every Nth file only')
    ap.add_argument('--examples', type=int, default=8, metavar='K', help='examples shown per kind')
    ap.add_argument('--no-timing', action='store_true', help='skip the floor and the one-core run')
    opts = ap.parse_args()
    if opts.tree is None:
        from tests.kernel_source import linux_tree
        opts.tree = linux_tree()
    tree = opts.tree.resolve()
    rels = c_files(tree)[::opts.every]
    size = sum((tree / r).stat().st_size for r in rels)
    print(f'{len(rels)} files, {size / 1e6:.0f} MB, from {tree}')
    with tempfile.TemporaryDirectory(prefix='rust-helpers-stress-') as tmp:
        tmp_path = Path(tmp)
        root = scratch_tree(tree, rels, tmp_path)
        env = dict(os.environ, RUST_HELPERS_CACHE=str(tmp_path / 'cache'), PYTHONPATH=str(REPO))
        # Learning the headers is paid once per tree; do it outside the timings.
        subprocess.run([sys.executable, '-c', 'import sys; from codemod.kernel.header_macros import '
                        'learned_macros; learned_macros(sys.argv[1])', str(root)], env=env, check=True)
        rows = []
        if not opts.no_timing:
            rows.append(('floor: tree-sitter parse (1 core)',
                         timed([sys.executable, str(BENCH / 'floor_parse.py'), str(root / 'rust' / 'helpers')], env=env)))
            rows.append(('rust-helpers scan --json --jobs 1',
                         timed([rust_helpers(), 'scan', '--json', '--jobs', '1', '--tree', str(root)], env=env)))
        out_path = tmp_path / 'scan.json'
        with open(out_path, 'wb') as out:
            rows.append((f'rust-helpers scan --json (--jobs {len(os.sched_getaffinity(0))})',
                         timed([rust_helpers(), 'scan', '--json', '--tree', str(root)], stdout=out, env=env)))
        start = time.perf_counter()
        tags = ctags_oracle.oracle_tags({r: tree / r for r in rels}, tmp_path / 'twins')
        oracle_s = time.perf_counter() - start
        report = json.loads(out_path.read_text())
    print_timings(rows, oracle_s)
    verdict = compare(tree, rels, report, tags)
    print_verdict(verdict, report, opts.examples)
    return 1 if verdict.false or verdict.misnamed or verdict.silent else 0


def print_timings(rows: list, oracle_s: float) -> None:
    print('\n| run | wall s | cpu s | peak RSS MB |\n| --- | ---: | ---: | ---: |')
    for name, (wall, cpu, rss) in rows:
        print(f'| {name} | {wall:.1f} | {cpu:.1f} | {rss:.0f} |')
    print(f'| oracle: ctags, three passes (1 core) | {oracle_s:.1f} | – | – |')
    by = dict(rows)
    floor = by.get('floor: tree-sitter parse (1 core)')
    one = by.get('rust-helpers scan --json --jobs 1')
    if floor and one:
        print(f'\none core: scan / floor = {one[0] / floor[0]:.2f} (wall), {one[1] / floor[1]:.2f} (cpu)')


def compare(tree: Path, rels: list[str], report: dict, tags: dict) -> ctags_oracle.Verdict:
    prefix = 'rust/helpers/'
    by_file: dict[str, dict[str, list]] = {}
    for kind in ('helpers', 'problems'):
        for row in report[kind]:
            by_file.setdefault(row['file'][len(prefix):], {'helpers': [], 'problems': []})[kind].append(row)
    total = ctags_oracle.Verdict()
    for rel in rels:
        total.add(ctags_oracle.compare(rel, (tree / rel).read_bytes(), tags.get(rel, []),
                                       by_file.get(rel, {'helpers': [], 'problems': []}), tree / rel))
    return total


def print_verdict(v: ctags_oracle.Verdict, report: dict, k: int) -> None:
    print(f'\nagree: {v.agree} non-static definitions reported as helpers, '
          f'{v.agree_static} static ones not reported')
    print(f'static inline rust_helper_* (warned): {len(report["static_inline"])}; '
          f'parse problems reported: {len(report["problems"])}')
    print(f'\nfalse: {len(v.false)}   misnamed: {len(v.misnamed)}   silently missed: {len(v.silent)}'
          f'   covered by a parse problem: {len(v.covered)}')
    for name in ('false', 'misnamed', 'silent', 'covered'):
        cases = getattr(v, name)
        if cases:
            print(f'\n{name} (first {min(k, len(cases))} of {len(cases)}):')
            for case in cases[:k]:
                print('  ', *case)
    reasons: dict[str, int] = {}
    for case in v.covered:
        reason = re.sub(r'\b\w+(?=\(\.\.\.\)| is static in some)', 'NAME', case[-1])
        reasons[reason] = reasons.get(reason, 0) + 1
    print('\ncovered, by the problem reported:')
    for reason, n in sorted(reasons.items(), key=lambda r: -r[1]):
        print(f'  {n:6}  {reason}')
    print('\nwhere ctags is wrong, by rule:')
    for rule_id, (description, *_) in ctags_rules.RULES.items():
        cases = v.oracle_wrong.get(rule_id, [])
        print(f'  {rule_id}: {len(cases)}  ({description})')
        for case in cases[:min(k, 3)]:
            print('    e.g.', *case)


if __name__ == '__main__':
    sys.exit(main())
