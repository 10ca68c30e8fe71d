"""`rust-helpers split` of a synthetic tree-wide commit on the 6.12 tree.

    .venv/bin/python bench/split.py [--sizes 1000,3000,10000] [--repeat 3]
                                    [--sample 200] [--no-perl] [TREE]

TREE defaults to the test cache (~/.cache/rust-helper-codemod/linux-source-6.12).

1. A git repository of the whole tree is built once and cached under
   ~/.cache/rust-helper-codemod/bench-repo/<hash of the tree path>: a
   hard-link copy of the tree (no extra space; nothing ever writes to its
   files, so the pristine tree is not touched), `git init`, `git add -A
   --force` (Debian's tarball ships a .gitignore of `/*`), one commit with
   fixed dates. That takes about a minute; progress is printed.
2. For each N, the synthetic tree-wide commit appends the line
   `/* treewide: touched */` to N `.c`/`.h` files. The files are the first N
   of one shuffle of all tracked .c/.h files by `random.Random(10000)`, so
   the 1k set is inside the 3k set, which is inside the 10k set. The
   commits are made with `git fast-import` (the work tree is not touched)
   and kept as refs/bench/treewide-N.
3. `rust-helpers split refs/bench/treewide-N -o TMP` runs as a whole
   process (`python -c` running codemod.cli.main as the console script
   does, and printing its own peak RSS), `--repeat` times per N, each
   inside a fresh wrapper process whose RUSAGE_CHILDREN gives the peak RSS
   of split and of the git processes split waits for. Wall time is the
   median; RSS the maximum.
   The last series of each N is checked: `git apply --cached` of all its
   patches onto the parent, in a scratch index, must give the commit's tree.
4. Routing agreement: a 200-file sample of the 10k commit, routed one file
   at a time by our index and by `scripts/get_maintainer.pl` (run twice per
   file, `--nol` for To and `--nom` for Cc, as b4 does), in this run.
   Prints how many agree and the speed ratio.

No asserts: this is a benchmark. Goals: < 10 s and < 500 MB at 10k files.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

CACHE = Path(os.environ.get('XDG_CACHE_HOME') or Path.home() / '.cache') / 'rust-helper-codemod'
DEFAULT_TREE = CACHE / 'linux-source-6.12'
SEED = 10000
LINE = b'/* treewide: touched */\n'
FROM = 'Bench Mark <bench@example.org>'
DATE = '2026-11-22T10:00:00+00:00'
GIT_ENV = {
    'GIT_AUTHOR_NAME': 'Bench Mark', 'GIT_AUTHOR_EMAIL': 'bench@example.org',
    'GIT_COMMITTER_NAME': 'Bench Mark', 'GIT_COMMITTER_EMAIL': 'bench@example.org',
    'GIT_AUTHOR_DATE': '1731283200 +0000', 'GIT_COMMITTER_DATE': '1731283200 +0000',
    'GIT_CONFIG_NOSYSTEM': '1', 'GIT_CONFIG_GLOBAL': os.devnull, 'LC_ALL': 'C',
    'HOME': str(Path.home()), 'PATH': os.environ.get('PATH', '/usr/bin:/bin'),
}
READY = '.bench-ready'
OPTIONS = ('--nogit', '--nogit-fallback', '--norolestats')


def git(repo: Path, *args: str, input: bytes | None = None) -> bytes:
    return subprocess.run(['git', '--no-pager', *args], cwd=repo, env=GIT_ENV, input=input,
                          check=True, capture_output=True).stdout


def say(text: str) -> None:
    print(text, flush=True)


# --- the repository, built once --------------------------------------------

def bench_repo(tree: Path) -> Path:
    key = hashlib.sha1(str(tree.resolve()).encode()).hexdigest()[:12]
    repo = CACHE / 'bench-repo' / key
    if (repo / '.git' / READY).is_file():
        return repo
    if repo.exists():
        say(f'removing the unfinished {repo}')
        shutil.rmtree(repo)
    repo.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    say(f'building the bench repository {repo} from {tree} (once; a few minutes)')
    say('  hard-link copy of the tree ...')
    subprocess.run(['cp', '-al', str(tree), str(repo)], check=True)
    marker = repo / '.rust-helper-codemod-extracted'
    if marker.exists():
        marker.unlink()  # a hard link: unlinking it leaves the tree's copy alone
    git(repo, 'init', '-q', '-b', 'main')
    for key_, value in (('core.abbrev', '12'), ('gc.auto', '0'), ('core.autocrlf', 'false')):
        git(repo, 'config', key_, value)
    say(f'  git add -A ({time.perf_counter() - start:.0f} s so far) ...')
    proc = subprocess.Popen(['git', 'add', '-A', '--force', '--verbose'], cwd=repo, env=GIT_ENV,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert proc.stdout is not None
    count = 0
    for _ in proc.stdout:
        count += 1
        if count % 10000 == 0:
            say(f'    {count} files added ({time.perf_counter() - start:.0f} s)')
    if proc.wait() != 0:
        raise SystemExit('git add failed')
    say(f'  commit ({count} files) ...')
    git(repo, 'commit', '-q', '-m', 'Linux 6.12 from linux-source-6.12')
    (repo / '.git' / READY).write_text(f'{tree}\n')
    say(f'  done in {time.perf_counter() - start:.0f} s')
    return repo


def candidates(repo: Path) -> list[tuple[str, str]]:
    """(mode, path) of every tracked .c/.h regular file, shuffled with the fixed seed."""
    out = git(repo, 'ls-tree', '-r', '-z', '--full-tree', 'HEAD')
    files = []
    for entry in out.split(b'\0'):
        if not entry:
            continue
        meta, _, name = entry.partition(b'\t')
        mode, kind, _ = meta.decode().split()
        path = name.decode('utf-8', 'surrogateescape')
        if kind == 'blob' and mode in ('100644', '100755') and path.endswith(('.c', '.h')):
            files.append((mode, path))
    files.sort(key=lambda f: f[1])
    random.Random(SEED).shuffle(files)
    return files


def treewide_commit(repo: Path, files: list[tuple[str, str]], n: int) -> str:
    ref = f'refs/bench/treewide-{n}'
    existing = subprocess.run(['git', 'rev-parse', '--verify', '-q', ref], cwd=repo, env=GIT_ENV,
                              capture_output=True, text=True).stdout.strip()
    if existing:
        return ref
    message = (f'treewide: mark {n} files as touched\n\n'
               f'Append one comment line to {n} .c/.h files chosen with random.Random({SEED}).\n'
               'Nothing else changes.\n').encode()
    chunks = [f'commit {ref}\n'.encode(),
              b'author Bench Mark <bench@example.org> 1731369600 +0000\n',
              b'committer Bench Mark <bench@example.org> 1731369600 +0000\n',
              b'data %d\n' % len(message), message, b'from refs/heads/main\n']
    for mode, path in files[:n]:
        data = (repo / path).read_bytes()
        if data and not data.endswith(b'\n'):
            data += b'\n'
        data += LINE
        chunks += [f'M {mode} inline {path}\n'.encode(), b'data %d\n' % len(data), data]
    chunks.append(b'done\n')
    git(repo, 'fast-import', '--quiet', '--done', input=b''.join(chunks))
    return ref


# --- the measured runs -------------------------------------------------------

_WRAPPER = r'''
import json, resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"code": code.returncode, "wall": wall, "rss_kb": usage.ru_maxrss,
                  "cpu": usage.ru_utime + usage.ru_stime, "stderr": code.stderr.decode()[-2000:]}))
'''


def measure(cmd: list[str]) -> dict:
    out = subprocess.run([sys.executable, '-c', _WRAPPER, *cmd], capture_output=True, text=True, check=True)
    result = json.loads(out.stdout)
    last = result['stderr'].strip().rsplit('\n', 1)[-1]
    result['self_rss_kb'] = json.loads(last)['self_rss_kb'] if last.startswith('{') else 0
    return result


def applies_exactly(repo: Path, ref: str, output: Path, scratch: Path) -> bool:
    """git apply --cached of the series onto the parent gives the commit's tree."""
    env = {**GIT_ENV, 'GIT_INDEX_FILE': str(scratch / 'index')}

    def run(*args: str) -> str:
        return subprocess.run(['git', *args], cwd=repo, env=env, check=True, capture_output=True,
                              text=True).stdout.strip()
    run('read-tree', f'{ref}^')
    patches = sorted(str(p) for p in output.glob('*.patch'))[1:]
    for i in range(0, len(patches), 500):
        run('apply', '--cached', *patches[i:i + 500])
    return run('write-tree') == run('rev-parse', f'{ref}^{{tree}}')


# `rust-helpers` itself (cli.run), plus a last stderr line with its own peak RSS.
_RUNNER = r'''
import json, os, resource, sys
from codemod import cli
code = cli.main(sys.argv[1:])
sys.stdout.flush()
print(json.dumps({"self_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}), file=sys.stderr)
sys.stderr.flush()
os._exit(code)
'''


def split_cmd(repo: Path, ref: str, output: Path) -> list[str]:
    return [sys.executable, '-c', _RUNNER, 'split', ref, '--tree', str(repo), '-o', str(output), '--force',
            '--from', FROM, '--date', DATE]


# --- routing agreement -------------------------------------------------------

def perl_route(tree: Path, path: str):
    from codemod.kernel.maintainers.mailmap import address_of
    from codemod.kernel.maintainers.routing import Route

    def lines(mode: str) -> list[str]:
        env = {**os.environ, 'HOME': os.devnull, 'PERL_HASH_SEED': '0', 'PERL_PERTURB_KEYS': '0'}
        done = subprocess.run(['perl', 'scripts/get_maintainer.pl', *OPTIONS, mode, '-f', path],
                              cwd=tree, env=env, capture_output=True, text=True, check=True)
        return done.stdout.splitlines()

    to = tuple(line for line in lines('--nol') if address_of(line))
    seen = {address_of(line) for line in to}
    cc = []
    for line in lines('--nom'):
        if (address := address_of(line)) and address not in seen:
            seen.add(address)
            cc.append(line)
    return Route(to, tuple(cc))


def agreement(repo: Path, files: list[str], sample: int) -> tuple[int, int, float, float, list[str]]:
    """(files with the same To and Cc in the same order, the same as sets,
    our seconds, perl seconds, differing files) for a sample."""
    from codemod.kernel.maintainers.routing import load
    picked = sorted(random.Random(sample).sample(files, min(sample, len(files))))
    start = time.perf_counter()
    index = load(repo)
    ours = {p: index.route([p]) for p in picked}
    ours_time = time.perf_counter() - start
    start = time.perf_counter()
    theirs = {}
    for i, p in enumerate(picked, 1):
        theirs[p] = perl_route(repo, p)
        if i % 50 == 0:
            say(f'    get_maintainer.pl: {i}/{len(picked)} files ({time.perf_counter() - start:.0f} s)')
    perl_time = time.perf_counter() - start
    different = [p for p in picked if ours[p] != theirs[p]]
    same_sets = [p for p in picked if (sorted(ours[p].to), sorted(ours[p].cc)) == (sorted(theirs[p].to),
                                                                                   sorted(theirs[p].cc))]
    return len(picked) - len(different), len(same_sets), ours_time, perl_time, different


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('tree', nargs='?', default=str(DEFAULT_TREE))
    ap.add_argument('--sizes', default='1000,3000,10000')
    ap.add_argument('--repeat', type=int, default=3)
    ap.add_argument('--sample', type=int, default=200)
    ap.add_argument('--no-perl', action='store_true', help='skip the get_maintainer.pl comparison')
    ap.add_argument('--prepare-only', action='store_true', help='build the repository and commits, then stop')
    args = ap.parse_args(argv[1:])
    tree = Path(args.tree)
    if not (tree / 'MAINTAINERS').is_file():
        print(f'{tree}: no MAINTAINERS: not a kernel tree', file=sys.stderr)
        return 2
    sizes = [int(s) for s in args.sizes.split(',')]
    repo = bench_repo(tree)
    files = candidates(repo)
    say(f'tree: {tree}; {len(files)} tracked .c/.h files; repository {repo}')
    refs = {}
    for n in sizes:
        start = time.perf_counter()
        refs[n] = treewide_commit(repo, files, n)
        say(f'commit {refs[n]}: {n} files ({time.perf_counter() - start:.1f} s to make or find)')
    if args.prepare_only:
        return 0

    rows = []
    with tempfile.TemporaryDirectory(prefix='bench-split-') as tmp:
        for n in sizes:
            runs = []
            for i in range(args.repeat):
                out = Path(tmp) / f'out-{n}'
                result = measure(split_cmd(repo, refs[n], out))
                if result['code'] != 0:
                    print(f'split failed (exit {result["code"]}): {result["stderr"]}', file=sys.stderr)
                    return 1
                runs.append(result)
                patches = len(list(out.glob('*.patch'))) - 1
                say(f'  N={n} run {i + 1}: {result["wall"]:.2f} s wall, {result["cpu"]:.2f} s cpu, '
                    f'{result["rss_kb"] / 1024:.0f} MB peak RSS (split itself '
                    f'{result["self_rss_kb"] / 1024:.0f} MB), {patches} patches')
            wall = statistics.median(r['wall'] for r in runs)
            rss = max(r['rss_kb'] for r in runs) / 1024
            own = max(r['self_rss_kb'] for r in runs) / 1024
            cpu = statistics.median(r['cpu'] for r in runs)
            exact = applies_exactly(repo, refs[n], out, Path(tmp))
            say(f'  N={n}: the series applied onto the parent gives the commit\'s tree: {exact}')
            if not exact:
                return 1
            rows.append((n, wall, cpu, rss, own, patches))

    say('')
    say('| files | patches | wall s (median) | cpu s | peak RSS MB (any process) | split process MB | ms/file | goal |')
    say('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |')
    for n, wall, cpu, rss, own, patches in rows:
        goal = '' if n != 10000 else ('met' if wall < 10 and rss < 500 else 'MISSED')
        say(f'| {n} | {patches} | {wall:.2f} | {cpu:.2f} | {rss:.0f} | {own:.0f} | {wall / n * 1e3:.3f} | {goal} |')
    if len(rows) >= 2:
        (n0, w0, _, _, r0, _), (n1, w1, _, _, r1, _) = rows[0], rows[-1]
        say(f'growth {n0} -> {n1} files (x{n1 / n0:.1f}): time x{w1 / w0:.2f}, '
            f'marginal {(w1 - w0) / (n1 - n0) * 1e3:.3f} ms/file; split process RSS x{r1 / r0:.2f}, '
            f'marginal {(r1 - r0) / (n1 - n0) * 1024:.1f} KB/file')

    if not args.no_perl:
        n = max(sizes)
        changed = [p for _, p in files[:n]]
        say(f'\nrouting agreement on a {args.sample}-file sample of the {n}-file commit ...')
        same, same_sets, ours_time, perl_time, different = agreement(repo, changed, args.sample)
        for p in different:
            say(f'  DIFFERENT (order or content) {p}')
        per_file = perl_time / args.sample
        split_wall = rows[-1][1]
        say(f'agreement: {same}/{args.sample} files route identically, To and Cc in the same order '
            f'({same / args.sample:.1%}); {same_sets}/{args.sample} with the same To and Cc sets '
            f'({same_sets / args.sample:.1%})')
        say(f'get_maintainer.pl: {per_file:.3f} s/file (2 runs per file); '
            f'ours: {ours_time:.2f} s for the sample including the MAINTAINERS load')
        say(f'speed ratio: get_maintainer.pl per file for {n} files ~ {per_file * n:.0f} s '
            f'vs split {split_wall:.2f} s: {per_file * n / split_wall:.0f}x')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
