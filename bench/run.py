"""Time rust-helpers against Coccinelle and sed on the 6.12 rust/helpers tree.

    .venv/bin/python bench/run.py [--repeat N] [TREE]

TREE is a kernel source tree (default: the cached linux-source-6.12 that the
tests use, fetched with apt if missing). Its rust/helpers and .clang-format
are copied into a temp dir; every tool runs there as a whole process (wall
clock from fork to exit, interpreter start included), N times, and the
rewriting tools get a fresh copy of the files before each run. The tools run
round-robin (one run of each, then the next round) so that load from other
processes on the machine spreads over all of them alike. See bench/README.md.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
COCCI = BENCH / 'add_rust_helper.cocci'
# Coccinelle 1.1.1's standard.h lacks this kernel attribute; without it
# slab.c and vmalloc.c fail to parse and spatch silently skips them.
MACROS = '#define __realloc_size(x)\n'
# Annotates the one-line headers whose return type is in the list; misses
# attribute-first headers (__noreturn, __force) and names on their own line.
SED_EXPR = (r's/^((const |unsigned )?(void|int|long|bool|char|refcount_t|struct [a-z_]+) \**)'
            r'rust_helper_/__rust_helper \1rust_helper_/')


def rust_helpers() -> str:
    exe = Path(sys.executable).with_name('rust-helpers')
    return str(exe) if exe.exists() else shutil.which('rust-helpers') or 'rust-helpers'


def interpreter_of(script: str) -> str:
    """The Python a console script runs on (its #! line)."""
    path = shutil.which(script) or script
    try:
        with open(path, 'rb') as f:
            first = f.readline()
    except OSError:
        return sys.executable
    return first[2:].decode().strip() if first.startswith(b'#!/') else sys.executable


def default_tree() -> Path:
    sys.path.insert(0, str(REPO))
    from tests.kernel_source import linux_tree
    return linux_tree()


class Bench:
    def __init__(self, tree: Path, tmp: Path):
        self.pristine = tmp / 'pristine'
        self.work = tmp / 'tree'
        self.helpers = self.work / 'rust' / 'helpers'
        shutil.copytree(tree / 'rust' / 'helpers', self.pristine / 'rust' / 'helpers')
        if (tree / '.clang-format').is_file():  # else rust-helpers uses its fallback style
            shutil.copy2(tree / '.clang-format', self.pristine / '.clang-format')
        shutil.copytree(self.pristine, self.work)
        self.macros = tmp / 'cocci-macros.h'
        self.macros.write_text(MACROS)
        # A pip-installed tool has its .pyc files; this checkout may run with
        # PYTHONDONTWRITEBYTECODE=1. Cache bytecode in the temp dir instead of
        # the repo so every timed run (after the first) loads compiled code.
        self.env = dict(os.environ, PYTHONPYCACHEPREFIX=str(tmp / 'pycache'))
        self.env.pop('PYTHONDONTWRITEBYTECODE', None)
        self.env_nopyc = dict(os.environ, PYTHONDONTWRITEBYTECODE='1')
        self.env_nopyc.pop('PYTHONPYCACHEPREFIX', None)

    def reset(self) -> None:
        shutil.rmtree(self.helpers)
        shutil.copytree(self.pristine / 'rust' / 'helpers', self.helpers)

    def run(self, cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, int]:
        """Wall and CPU (user+sys of the child) seconds, and the exit code."""
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              env=env or self.env, cwd=self.work)
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return wall, cpu, proc.returncode

    def missing(self) -> int:
        """Helpers still missing __rust_helper, per `rust-helpers check --format json`."""
        proc = subprocess.run([rust_helpers(), 'check', '--tree', str(self.work), '--format', 'json'],
                              capture_output=True, text=True, env=self.env)
        findings = json.loads(proc.stdout or '[]')
        return sum(1 for f in findings if f['rule'] == 'missing-annotation')


def tools(b: Bench) -> dict[str, tuple[list[str], bool, dict[str, str] | None]]:
    """name -> (command, rewrites files?, environment)."""
    rh, tree = rust_helpers(), str(b.work)
    spatch = ['spatch', '--sp-file', str(COCCI), '--macro-file', str(b.macros),
              '--very-quiet', '--no-show-diff', '--in-place', '--dir', str(b.helpers)]
    python = interpreter_of(rh)
    table = {
        # Floors: what any console script on this Python pays (start-up with
        # site, then the wrapper's `import re`), and that plus loading
        # tree-sitter-c and parsing the files (bench/floor_parse.py).
        'floor: python + re': ([python, '-c', 'import re'], False, None),
        'floor: + tree-sitter': ([python, str(BENCH / 'floor_parse.py'), str(b.helpers)], False, None),
        'check': ([rh, 'check', '--tree', tree], False, None),
        'check (no .pyc)': ([rh, 'check', '--tree', tree], False, b.env_nopyc),
        'annotate': ([rh, 'annotate', '--tree', tree], True, None),
        'annotate --no-format': ([rh, 'annotate', '--tree', tree, '--no-format'], True, None),
        'sed': (['sed', '-i', '-E', SED_EXPR] + sorted(str(p) for p in b.helpers.glob('*.c')), True, None),
    }
    if shutil.which('spatch'):
        table['spatch'] = (spatch, True, None)
        table['spatch -j 2'] = (spatch[:1] + ['-j', '2'] + spatch[1:], True, None)
    return table


def ms(seconds: float) -> str:
    return f'{seconds * 1000:7.1f}'


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--repeat', type=int, default=15, help='timed runs per tool (default 15)')
    ap.add_argument('tree', nargs='?', type=Path, help='kernel tree (default: cached linux-source-6.12)')
    args = ap.parse_args()
    tree = args.tree or default_tree()

    with tempfile.TemporaryDirectory(prefix='rh-bench-') as tmp:
        b = Bench(tree, Path(tmp))
        table = tools(b)
        total = b.missing()
        print(f'tree: {tree}  ({total} helpers without __rust_helper)')
        print(f'machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at start')
        if 'spatch' not in table:
            print('spatch not found: install Coccinelle with `apt-get install coccinelle` '
                  '(spatch rows and ratios skipped)')
        else:
            ver = subprocess.run(['spatch', '--version'], capture_output=True, text=True).stdout
            print(ver.splitlines()[0] if ver else 'spatch: version unknown')

        # Warm-up: one run of each tool, kept out of the medians and reported
        # as "1st run"; it also writes the .pyc files and fills the page cache.
        # Every run starts from (and is followed by a reset to) the
        # unannotated copy, so `check` always sees 31 missing helpers.
        first: dict[str, float] = {}
        annotated: dict[str, int] = {}
        for name, (cmd, rewrites, env) in table.items():
            wall, _, rc = b.run(cmd, env)
            first[name] = wall
            if rc not in (0, 1):
                print(f'warning: {name} exited {rc}', file=sys.stderr)
            if rewrites:
                annotated[name] = total - b.missing()
                b.reset()

        walls: dict[str, list[float]] = {n: [] for n in table}
        cpus: dict[str, list[float]] = {n: [] for n in table}
        for _ in range(args.repeat):
            for name, (cmd, rewrites, env) in table.items():
                wall, cpu, _ = b.run(cmd, env)
                walls[name].append(wall)
                cpus[name].append(cpu)
                if rewrites:  # back to the unannotated copy, untimed
                    b.reset()
        print(f'load average {os.getloadavg()[0]:.2f} at end\n')

    med = {n: statistics.median(v) for n, v in walls.items()}
    print(f'{"tool (whole process)":24s} {"median ms":>9s} {"min ms":>7s} {"cpu ms":>7s} '
          f'{"1st run":>7s}  annotated')
    for name in table:
        done = f'{annotated[name]}/{total}' if name in annotated else '-'
        print(f'{name:24s} {ms(med[name]):>9s} {ms(min(walls[name])):>7s} '
              f'{ms(statistics.median(cpus[name])):>7s} {ms(first[name]):>7s}  {done}')

    print('\nratios of medians (wall clock):')
    pairs = [('annotate', 'sed'), ('annotate', 'annotate --no-format'), ('annotate --no-format', 'sed'),
             ('check', 'sed')]
    if 'spatch' in table:
        sp = min(('spatch', 'spatch -j 2'), key=med.__getitem__)
        print(f'  (spatch below = {sp!r}, the faster of the two)')
        pairs = [(sp, 'check'), (sp, 'annotate'), (sp, 'annotate --no-format'), (sp, 'sed')] + pairs
        print(f'  spatch cold first run / warm median: {first["spatch"] / med["spatch"]:.2f}')
    for a, c in pairs:
        print(f'  {a} / {c}: {med[a] / med[c]:.2f}')

    print('\ngoals:')
    print(f'  check under 0.2 s: {"met" if med["check"] < 0.2 else "NOT met"} ({ms(med["check"]).strip()} ms)')
    if 'spatch' in table:
        r = med[sp] / med['check']
        print(f'  check at least 5x faster than spatch: {"met" if r >= 5 else "NOT met"} ({r:.2f}x)')
        ok = med['annotate'] <= med[sp]
        print(f'  annotate no slower than spatch: {"met" if ok else "NOT met"} '
              f'({med["annotate"] / med[sp]:.2f}x spatch)')
        budget = med[sp] / 5
        print(f'\n5x spatch leaves {ms(budget).strip()} ms per check. The floors take:')
        for name in ('floor: python + re', 'floor: + tree-sitter'):
            share = med[name] / budget
            print(f'  {name}: {ms(med[name]).strip()} ms, {share:.0%} of that budget; '
                  f'spatch / floor = {med[sp] / med[name]:.2f}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
