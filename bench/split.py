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
4. Routing agreement: `split --group-by file` of the largest commit, and a
   1,000-mail sample (--sample) of its one-file mails. Each mail file is
   given to `scripts/get_maintainer.pl` as b4 gives it (`--nol` for To,
   `--nom` for Cc), in this run, and its To/Cc headers must be what the
   script prints, in its order. Where sections tie on pattern depth the
   script's order is Perl hash order (random per run); there another
   PERL_HASH_SEED is tried until the script prints ours (tests/get_maintainer.py).
   Prints the counts and the speed ratio.

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
from concurrent.futures import ThreadPoolExecutor
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

def agreement(repo: Path, ref: str, sample: int, scratch: Path) -> dict:
    """`split --group-by file` of the commit, then a sample of its mails, each
    routed by get_maintainer.pl run on the mail file as b4 runs it. Counts:
    To and Cc identical to the script's run with hash seed 0; identical to
    a run with another seed, where sections tie on pattern depth (the
    script's order is Perl hash order there, random per run); the same
    sets only; different."""
    from codemod.kernel.maintainers.routing import load
    from codemod.kernel.maintainers.routing import Route
    from codemod.kernel.maintainers.routing import TreeFiles
    from tests import get_maintainer

    out = scratch / 'by-file'
    split = subprocess.run(split_cmd(repo, ref, out) + ['--group-by', 'file'], capture_output=True, text=True)
    if split.returncode != 0:
        raise SystemExit(f'split --group-by file failed (exit {split.returncode}): {split.stderr[-2000:]}')
    mails = sorted(out.glob('*.patch'))[1:]
    picked = sorted(random.Random(sample).sample(mails, min(sample, len(mails))))
    script, home = repo / 'scripts' / 'get_maintainer.pl', scratch
    start = time.perf_counter()
    index = load(repo)
    contents = TreeFiles(repo)
    ours = {m: index.route_patch(m.read_bytes(), contents) for m in picked}
    ties = {m: get_maintainer.has_tie(index, index.read_patch(m.read_bytes()).files) for m in picked}
    ours_time = time.perf_counter() - start
    headers = {m: (get_maintainer.header_people(m.read_bytes(), 'To'), get_maintainer.header_people(m.read_bytes(), 'Cc'))
               for m in picked}
    start = time.perf_counter()
    done = 0

    def oracle(mail: Path) -> tuple[Route, tuple[int, int]]:
        nonlocal done
        found = get_maintainer.route_like(script, repo, home, [str(mail)], ours[mail], ties[mail])
        done += 1
        if done % 200 == 0:
            say(f'    get_maintainer.pl: {done}/{len(picked)} mails ({time.perf_counter() - start:.0f} s)')
        return found

    with ThreadPoolExecutor(max(2, 2 * (os.cpu_count() or 1))) as pool:
        theirs = dict(zip(picked, pool.map(oracle, picked)))
    perl_time = time.perf_counter() - start
    counts = {'seed 0': 0, 'other seed (tie)': 0, 'same sets only': 0, 'different': 0}
    different = []
    for m in picked:
        route, seeds = theirs[m]
        same = route == ours[m] and headers[m] == (get_maintainer.people(route.to), get_maintainer.people(route.cc))
        if same and seeds == (0, 0):
            counts['seed 0'] += 1
        elif same and ties[m]:
            counts['other seed (tie)'] += 1
        elif (sorted(route.to), sorted(route.cc)) == (sorted(ours[m].to), sorted(ours[m].cc)):
            counts['same sets only'] += 1
            different.append(m.name)
        else:
            counts['different'] += 1
            different.append(m.name)
    return dict(counts=counts, mails=len(picked), different=different, ours_time=ours_time,
                perl_time=perl_time, ties=sum(ties.values()))


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('tree', nargs='?', default=str(DEFAULT_TREE))
    ap.add_argument('--sizes', default='1000,3000,10000')
    ap.add_argument('--repeat', type=int, default=3)
    ap.add_argument('--sample', type=int, default=1000, help='mails in the routing agreement')
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
        say(f'\nrouting agreement: {args.sample} mails of `split --group-by file` of the {n}-file commit, '
            'each against get_maintainer.pl on the mail ...')
        with tempfile.TemporaryDirectory(prefix='bench-routing-') as tmp:
            found = agreement(repo, refs[n], args.sample, Path(tmp))
        for name in found['different']:
            say(f'  DIFFERENT {name}')
        counts, mails = found['counts'], found['mails']
        identical = counts['seed 0'] + counts['other seed (tie)']
        say(f'agreement: {identical}/{mails} mails with To and Cc identical, order included '
            f'({counts["seed 0"]} as the seed-0 run prints them, {counts["other seed (tie)"]} as a run with another '
            f'hash seed does: {found["ties"]} mails have sections tied on pattern depth); '
            f'{counts["same sets only"]} the same sets only; {counts["different"]} different')
        per_mail = found['perl_time'] / mails
        say(f'get_maintainer.pl: {per_mail:.3f} s/mail wall with {max(2, 2 * (os.cpu_count() or 1))} in parallel '
            f'(2+ runs per mail); ours: {found["ours_time"]:.2f} s for the sample including the MAINTAINERS load')
        say(f'speed ratio on the sample: {found["perl_time"] / found["ours_time"]:.0f}x '
            '(get_maintainer.pl wall time, parallel, against ours on one core)')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
