"""Our port of git's diff engine (mail/diff.py + mail/xdiff*.py) against git
itself, on the diffs our commands print: same bytes? how long?

    .venv/bin/python bench/diff_engine.py [--repeat N] [--files N] [TREE]

Two workloads, both measured in the same run, round-robin:
- "series": the 6.12 tree's annotate plan (every helper file that gains
  `__rust_helper`), the diffs `series` and `annotate --dry-run` print;
- "N files": the same edits over N copies of the helper files (default
  1,000), a tree-wide annotate of a future tree.

"git" is the cheapest way we found to have git print those diffs for bytes
that are not commits: one `git fast-import` writing both sides as two
commits into a scratch repository (its attributes set from the tree's
.gitattributes, so hunk headings use the kernel's diff drivers), then one
`git diff-tree -p -M --full-index` between them, whose index lines are
then cut to the abbreviation we print. Two processes for any number of
files. Prints the medians, their ratio, and whether the bytes agree.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from codemod.c_source import rewrite  # noqa: E402
from codemod.c_source.scan import scan_files  # noqa: E402
from codemod.kernel import tree as ktree  # noqa: E402
from codemod.mail.diff import FileChange  # noqa: E402
from codemod.mail.diff import file_diff  # noqa: E402

DEFAULT_TREE = Path(os.environ.get('XDG_CACHE_HOME') or Path.home() / '.cache') \
    / 'rust-helper-codemod' / 'linux-source-6.12'
ABBREV = 12


def port(changes: list[FileChange]) -> bytes:
    return b''.join(file_diff(c, abbrev=ABBREV) for c in changes)


def _fast_import_stream(changes: list[FileChange]) -> bytes:
    out = []
    for n, c in enumerate(changes):
        for side, data in ((2 * n + 1, c.old), (2 * n + 2, c.new)):
            out.append(b'blob\nmark :%d\ndata %d\n%s\n' % (side, len(data), data))
    for ref, offset, path_of in ((b'old', 1, lambda c: c.old_path), (b'new', 2, lambda c: c.new_path)):
        out.append(b'commit refs/heads/%s\ncommitter bench <b@example.org> 0 +0000\ndata 0\ndeleteall\n' % ref)
        for n, c in enumerate(changes):
            out.append(b'M 100644 :%d %s\n' % (2 * n + offset, path_of(c).encode()))
        out.append(b'\n')
    return b''.join(out)


def git(changes: list[FileChange], attributes: bytes) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        gitdir = Path(tmp)
        for d in ('objects', 'refs/heads', 'info'):
            (gitdir / d).mkdir(parents=True)
        (gitdir / 'HEAD').write_text('ref: refs/heads/new\n')
        (gitdir / 'info' / 'attributes').write_bytes(attributes)
        env = {**os.environ, 'GIT_DIR': str(gitdir), 'GIT_CONFIG_NOSYSTEM': '1', 'GIT_CONFIG_GLOBAL': os.devnull}
        subprocess.run(['git', 'fast-import', '--quiet'], input=_fast_import_stream(changes), env=env,
                       check=True, capture_output=True)
        diff = subprocess.run(['git', '--no-pager', 'diff-tree', '-p', '-M', '--full-index', 'old', 'new'],
                              env=env, check=True, capture_output=True).stdout
    return _abbreviate(diff)


def _abbreviate(diff: bytes) -> bytes:
    lines = diff.split(b'\n')
    for i, line in enumerate(lines):
        if line.startswith(b'index ') and b'..' in line:
            head, _, rest = line[6:].partition(b'..')
            new, sep, mode = rest.partition(b' ')
            lines[i] = b'index ' + head[:ABBREV] + b'..' + new[:ABBREV] + sep + mode
    return b'\n'.join(lines)


def workloads(tree: Path, copies: int) -> dict[str, list[FileChange]]:
    root, files = ktree.files_for(str(tree), ())
    rewrites, _ = rewrite.plan_in_tree(root, scan_files(files), fmt=True)
    series = [FileChange(r.file.rel, r.file.rel, r.old, r.new, driver='cpp') for r in rewrites]
    many = [FileChange(f'rust/helpers/copy{n:04d}/{c.new_path.rsplit("/", 1)[1]}',
                       f'rust/helpers/copy{n:04d}/{c.new_path.rsplit("/", 1)[1]}', c.old, c.new, driver='cpp')
            for n in range(copies // len(series) + 1) for c in series][:copies]
    many.sort(key=lambda c: c.path.encode())
    return {'series': series, f'{copies} files': many}


def timed(fn, *args) -> tuple[float, bytes]:
    start = time.perf_counter()
    out = fn(*args)
    return (time.perf_counter() - start) * 1000, out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--repeat', type=int, default=9)
    ap.add_argument('--files', type=int, default=1000)
    ap.add_argument('tree', nargs='?', type=Path, default=DEFAULT_TREE)
    args = ap.parse_args(argv)
    attributes = (args.tree / '.gitattributes').read_bytes()
    loads = workloads(args.tree, args.files)
    print(f'{"workload":<12} {"files":>6} {"port ms":>9} {"git ms":>9} {"git/port":>9}  same bytes')
    for name, changes in loads.items():
        times: dict[str, list[float]] = {'port': [], 'git': []}
        outputs = {}
        for _ in range(args.repeat):
            for engine, fn, extra in (('port', port, ()), ('git', git, (attributes,))):
                ms, outputs[engine] = timed(fn, changes, *extra)
                times[engine].append(ms)
        p, g = statistics.median(times['port']), statistics.median(times['git'])
        same = outputs['port'] == outputs['git']
        print(f'{name:<12} {len(changes):>6} {p:>9.1f} {g:>9.1f} {g / p:>9.2f}  {"yes" if same else "NO"}')
    return 0


if __name__ == '__main__':
    raise SystemExit(main())
