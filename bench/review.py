"""`rust-helpers review` over a generated public-inbox v2 archive.

    .venv/bin/python bench/review.py [--messages 100000] [--new 100] [--repeat 3]

1. An inbox of N messages is generated once and cached under
   ~/.cache/rust-helper-codemod/bench-review-N/ (`git fast-import` into
   `git/0.git`, one commit per message in file `m`, as public-inbox v2
   stores them). 1% are patches adding rust/helpers/ files (half of them
   without __rust_helper; one in five in a two-patch series with a cover
   letter), 4% patches elsewhere, the rest discussion; one message in ten
   is quoted-printable. Seeded: the same N gives the same archive.
2. First pass: `rust-helpers review INBOX --state FILE` as a whole process,
   against the floor of reading every message once: `git rev-list` of the
   epoch, then one `git cat-file --batch` over every `<commit>:m`, its
   output thrown away.
3. Incremental pass: --new more messages (one a helper patch) are added
   on a copy of the branch; review with the state of the first pass,
   against `git log OLD..NEW` (and `git log -p`, which prints the new
   messages) over those commits, and against the interpreter's start-up
   with our CLI imported (`python -c "import codemod.cli"`); then a run
   with nothing new.

Each figure is the median of --repeat runs, the runs of the things
compared interleaved (the machine is shared: its load changes by the
minute); wall time, and the CPU time (user + system) of the processes.
No asserts: this is a benchmark.
Goals: first pass within 2x of the cat-file floor; incremental pass as
cheap as `git log` over the new commits.
"""
from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CACHE = Path(os.environ.get('XDG_CACHE_HOME') or Path.home() / '.cache') / 'rust-helper-codemod'
SEED = 12
WORDS = ('the lock is held here so we cannot sleep, please keep the ordering and add a comment '
         'about why this is safe; tested on arm64 and x86_64 with KASAN enabled, no regressions '
         'seen; the refcount drops to zero when the last user goes away').split()
GIT_ENV = {**os.environ, 'GIT_CONFIG_NOSYSTEM': '1', 'GIT_CONFIG_GLOBAL': os.devnull, 'LC_ALL': 'C'}


def _prose(rng: random.Random, lines: int) -> str:
    return ''.join(' '.join(rng.choice(WORDS) for _ in range(rng.randint(6, 12))) + '\n' for _ in range(lines))


def _headers(n: int, subject: str, refs: tuple[str, ...] = (), qp: bool = False) -> str:
    out = (f'From: Dev {n % 97} <dev{n % 97}@example.org>\nTo: rust-for-linux@vger.example.org\n'
           f'Subject: {subject}\nDate: Mon, 3 Mar 2025 10:{n // 3600 % 60:02d}:{n % 60:02d} +0000\n'
           f'Message-ID: <{n}.bench@example.org>\n')
    if refs:
        out += f'In-Reply-To: <{refs[-1]}>\nReferences: ' + ' '.join(f'<{r}>' for r in refs) + '\n'
    cte = 'quoted-printable' if qp else '8bit'
    return out + f'MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: {cte}\n\n'


def _helper_diff(n: int, annotated: bool) -> str:
    mark = '__rust_helper ' if annotated else ''
    body = (f'// SPDX-License-Identifier: GPL-2.0\n\n#include <linux/b{n}.h>\n\n'
            f'{mark}void rust_helper_b{n}_get(struct b{n} *b)\n{{\n\tb{n}_get(b);\n}}\n')
    lines = body.splitlines(keepends=True)
    return (f'diff --git a/rust/helpers/b{n}.c b/rust/helpers/b{n}.c\nnew file mode 100644\n'
            f'index 0000000..1234567\n--- /dev/null\n+++ b/rust/helpers/b{n}.c\n'
            f'@@ -0,0 +1,{len(lines)} @@\n' + ''.join('+' + line for line in lines))


def _other_diff(rng: random.Random, n: int) -> str:
    old, new = _prose(rng, 3), _prose(rng, 1)
    return (f'diff --git a/drivers/x/d{n}.c b/drivers/x/d{n}.c\nindex 1111111..2222222 100644\n'
            f'--- a/drivers/x/d{n}.c\n+++ b/drivers/x/d{n}.c\n@@ -10,3 +10,4 @@\n'
            + ''.join(' ' + line for line in old.splitlines(keepends=True)) + '+' + new)


def _qp(text: str) -> str:
    import quopri
    return quopri.encodestring(text.encode()).decode()


def messages(count: int, start: int = 0, rng: random.Random | None = None) -> list[bytes]:
    rng = rng or random.Random(SEED)
    out: list[bytes] = []
    n = start
    while len(out) < count:
        n += 1
        roll = rng.random()
        qp = rng.random() < 0.1
        if roll < 0.008:
            subject = f'[PATCH] rust: b{n}: add helpers'
            body = f'Add helpers.\n\nSigned-off-by: Dev <dev@example.org>\n---\n{_helper_diff(n, n % 2 == 0)}-- \n2.39.5\n'
            out.append(_headers(n, subject, qp=qp).encode() + (_qp(body) if qp else body).encode())
        elif roll < 0.009 and count - len(out) >= 3:
            cover = f'{n}.bench@example.org'
            out.append(_headers(n, f'[PATCH 0/2] rust: b{n}: helpers').encode() + _prose(rng, 8).encode())
            for k in (1, 2):
                body = f'Add helpers.\n---\n{_helper_diff(n * 10 + k, k == 2)}-- \n2.39.5\n'
                out.append(_headers(n * 10 + k + 10_000_000, f'[PATCH {k}/2] rust: b{n}: add helpers {k}',
                                    (cover,)).encode() + body.encode())
        elif roll < 0.05:
            body = f'Fix it.\n---\n{_other_diff(rng, n)}-- \n2.39.5\n'
            out.append(_headers(n, f'[PATCH] x: fix d{n}', qp=qp).encode() + (_qp(body) if qp else body).encode())
        else:
            text = '> ' + _prose(rng, 3).replace('\n', '\n> ') + '\n' + _prose(rng, rng.randint(3, 30))
            out.append(_headers(n, f'Re: [PATCH] x: fix d{n - 5}', (f'{n - 5}.bench@example.org',), qp).encode()
                       + (_qp(text) if qp else text).encode())
    return out[:count]


def fast_import(repo: Path, msgs: list[bytes], parent: str | None, when: int) -> None:
    with tempfile.TemporaryFile() as stream:
        for i, data in enumerate(msgs):
            stream.write(b'commit refs/heads/master\n')
            stream.write(f'committer Bench <bench@example.org> {when + i} +0000\n'.encode())
            stream.write(b'data 2\nm\n')
            if i == 0 and parent:
                stream.write(f'from {parent}\n'.encode())
            stream.write(f'M 100644 inline m\ndata {len(data)}\n'.encode() + data + b'\n')
        stream.seek(0)
        subprocess.run(['git', 'fast-import', '--quiet'], cwd=repo, stdin=stream, check=True, env=GIT_ENV)


def build(count: int) -> Path:
    inbox = CACHE / f'bench-review-{count}'
    done = inbox / '.complete'
    if done.exists():
        return inbox
    shutil.rmtree(inbox, ignore_errors=True)
    repo = inbox / 'git' / '0.git'
    repo.mkdir(parents=True)
    subprocess.run(['git', 'init', '-q', '--bare', '--initial-branch=master'], cwd=repo, check=True, env=GIT_ENV)
    print(f'generating {count:,} messages ...', file=sys.stderr)
    fast_import(repo, messages(count), None, 1_740_000_000)
    subprocess.run(['git', 'repack', '-adq'], cwd=repo, check=True, env=GIT_ENV)
    done.write_text('')
    return inbox


class Cost:
    """Wall time, and CPU time (user + system) of the child processes."""

    def __init__(self) -> None:
        self.wall = time.perf_counter()
        self.cpu = self._children()

    @staticmethod
    def _children() -> float:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    def done(self) -> tuple[float, float]:
        return time.perf_counter() - self.wall, self._children() - self.cpu


def timed(cmd: list[str], **kwargs) -> tuple[float, float]:
    cost = Cost()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, check=kwargs.pop('check', True), **kwargs)
    return cost.done()


def cat_file_floor(repo: Path) -> tuple[float, float]:
    cost = Cost()
    commits = subprocess.run(['git', 'rev-list', '--reverse', 'HEAD'], cwd=repo, capture_output=True,
                             check=True, env=GIT_ENV).stdout.split()
    with tempfile.TemporaryFile() as names:
        names.write(b''.join(c + b':m\n' for c in commits))
        names.seek(0)
        subprocess.run(['git', 'cat-file', '--batch'], cwd=repo, stdin=names, stdout=subprocess.DEVNULL,
                       check=True, env=GIT_ENV)
    return cost.done()


def review_cmd(inbox: Path, state: Path) -> list[str]:
    return [str(Path(sys.executable).parent / 'rust-helpers'), 'review', str(inbox), '--state', str(state)]


def medians(repeat: int, *fns) -> list[tuple[float, float]]:
    """Median (wall, cpu) of each function, the runs interleaved so that
    each sees the same load."""
    runs: list[list[tuple[float, float]]] = [[] for _ in fns]
    for _ in range(repeat):
        for i, fn in enumerate(fns):
            runs[i].append(fn())
    return [(statistics.median(w for w, _ in r), statistics.median(c for _, c in r)) for r in runs]


def _line(name: str, cost: tuple[float, float], peer: tuple[float, float] | None = None, ms: bool = False) -> str:
    unit, k = ('ms', 1000) if ms else ('s', 1)
    text = f'  {name:32s} {cost[0] * k:7.{0 if ms else 2}f} {unit} wall {cost[1] * k:7.{0 if ms else 2}f} {unit} cpu'
    if peer:
        text += f'   ratio {cost[0] / peer[0]:5.1f}x wall {cost[1] / peer[1]:5.1f}x cpu'
    return text


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--messages', type=int, default=100_000)
    ap.add_argument('--new', type=int, default=100)
    ap.add_argument('--repeat', type=int, default=3)
    opts = ap.parse_args()
    cached = build(opts.messages)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        inbox = work / 'inbox'
        # A copy that shares the objects: the cached archive stays as it is.
        subprocess.run(['git', 'clone', '-q', '--bare', '--shared', str(cached / 'git' / '0.git'),
                        str(inbox / 'git' / '0.git')], check=True, env=GIT_ENV)
        repo = inbox / 'git' / '0.git'
        state = work / 'state.json'

        def first() -> tuple[float, float]:
            state.unlink(missing_ok=True)
            return timed(review_cmd(inbox, state), check=False, stderr=subprocess.DEVNULL)
        ours, floor = medians(opts.repeat, first, lambda: cat_file_floor(repo))
        saved = state.read_bytes()
        old = subprocess.run(['git', 'rev-parse', 'HEAD'], cwd=repo, capture_output=True, text=True,
                             check=True).stdout.strip()
        rng = random.Random(SEED + 1)
        new = messages(opts.new - 1, start=50_000_000, rng=rng)
        new.insert(len(new) // 2, _headers(60_000_000, '[PATCH] rust: late: add helpers').encode()
                   + f'Add.\n---\n{_helper_diff(60_000_000, False)}-- \n2.39.5\n'.encode())
        fast_import(repo, new, old, 1_800_000_000)
        tip = subprocess.run(['git', 'rev-parse', 'HEAD'], cwd=repo, capture_output=True, text=True,
                             check=True).stdout.strip()

        def incremental() -> tuple[float, float]:
            state.write_bytes(saved)
            return timed(review_cmd(inbox, state), check=False, stderr=subprocess.DEVNULL)

        def unchanged() -> tuple[float, float]:
            return timed(review_cmd(inbox, state), check=False, stderr=subprocess.DEVNULL)
        inc, log, log_p, start_up = medians(
            opts.repeat, incremental,
            lambda: timed(['git', 'log', f'{old}..{tip}'], cwd=repo, env=GIT_ENV),
            lambda: timed(['git', 'log', '-p', f'{old}..{tip}'], cwd=repo, env=GIT_ENV),
            lambda: timed([sys.executable, '-c', 'import codemod.cli'], cwd=REPO))
        incremental()
        [same] = medians(opts.repeat, unchanged)
        count = len(subprocess.run(['git', 'rev-list', f'{old}..{tip}'], cwd=repo, capture_output=True,
                                   check=True).stdout.split())
    load = os.getloadavg()[0]
    print(f'first pass over {opts.messages:,} messages ({os.cpu_count()} CPUs, load {load:.1f}, '
          f'median of {opts.repeat}, runs interleaved)')
    print(_line('rust-helpers review', ours, floor))
    print(_line('rev-list + cat-file --batch', floor) + '   (goal: review within 2x)')
    print(f'incremental pass over {count} new messages')
    print(_line('rust-helpers review', inc, log, ms=True))
    print(_line('git log OLD..NEW', log, ms=True))
    print(_line('git log -p OLD..NEW', log_p, ms=True))
    print(_line('python -c "import codemod.cli"', start_up, ms=True) + '   (start-up of any run)')
    print(_line('rust-helpers review, nothing new', same, log, ms=True))


if __name__ == '__main__':
    main()
