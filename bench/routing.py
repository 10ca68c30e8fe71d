"""Route every rust/helpers/*.c of a kernel tree: our index vs get_maintainer.pl.

    .venv/bin/python bench/routing.py [TREE]

TREE defaults to the test cache (~/.cache/rust-helper-codemod/linux-source-6.12).
get_maintainer.pl is run the way b4 runs it, twice per file (`--nol` for To,
`--nom` for Cc); we load MAINTAINERS once and route all files in one go.
Prints the times, the per-file times and the speed-up; the per-file results
are compared and any difference is printed. No asserts: this is a benchmark.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from codemod.kernel.maintainers.mailmap import address_of  # noqa: E402
from codemod.kernel.maintainers.routing import Route  # noqa: E402
from codemod.kernel.maintainers.routing import TreeFiles  # noqa: E402
from codemod.kernel.maintainers.routing import load  # noqa: E402

DEFAULT_TREE = Path(os.environ.get('XDG_CACHE_HOME') or Path.home() / '.cache') \
    / 'rust-helper-codemod' / 'linux-source-6.12'
OPTIONS = ('--nogit', '--nogit-fallback', '--norolestats')


def get_maintainer(tree: Path, path: str, mode: str) -> list[str]:
    done = subprocess.run(
        ['perl', 'scripts/get_maintainer.pl', *OPTIONS, mode, '-f', path],
        cwd=tree, capture_output=True, text=True, check=True,
    )
    return done.stdout.splitlines()


def perl_route(tree: Path, path: str) -> Route:
    to = tuple(line for line in get_maintainer(tree, path, '--nol') if address_of(line))
    seen = {address_of(line) for line in to}
    cc = []
    for line in get_maintainer(tree, path, '--nom'):
        if (address := address_of(line)) and address not in seen:
            seen.add(address)
            cc.append(line)
    return Route(to, tuple(cc))


def main(argv: list[str]) -> int:
    tree = Path(argv[1]) if len(argv) > 1 else DEFAULT_TREE
    helpers = sorted(str(p.relative_to(tree)) for p in (tree / 'rust' / 'helpers').glob('*.c'))
    if not helpers:
        print(f'no rust/helpers/*.c under {tree}', file=sys.stderr)
        return 2
    n = len(helpers)

    start = time.perf_counter()
    maintainers = load(tree)
    loaded = time.perf_counter()
    files = TreeFiles(tree)
    union = maintainers.route(helpers, files)  # the one call a series needs
    routed = time.perf_counter()
    ours = {path: maintainers.route([path], files) for path in helpers}  # per file, for the comparison
    per_file = time.perf_counter()

    perl_start = time.perf_counter()
    theirs = {path: perl_route(tree, path) for path in helpers}
    perl_time = time.perf_counter() - perl_start

    differences = [path for path in helpers if ours[path] != theirs[path]]
    for path in differences:
        print(f'DIFFERENT {path}\n  ours: {ours[path]}\n  perl: {theirs[path]}')

    load_time, route_time = loaded - start, routed - loaded
    ours_time = load_time + route_time
    print(f'files: {n} rust/helpers/*.c in {tree}')
    print(f'results: {n - len(differences)}/{n} per-file To/Cc identical to get_maintainer.pl'
          f' (union of all: {len(union.to)} To, {len(union.cc)} Cc)')
    print(f'codemod:  load {load_time * 1e3:8.1f} ms + route {route_time * 1e3:6.1f} ms'
          f' = {ours_time * 1e3:8.1f} ms  ({ours_time / n * 1e3:6.2f} ms/file;'
          f' per-file routes after load {(per_file - routed) / n * 1e3:.3f} ms/file)')
    print(f'perl:     {2 * n} runs (--nol, --nom per file)   = {perl_time * 1e3:8.1f} ms'
          f'  ({perl_time / n * 1e3:6.2f} ms/file)')
    print(f'speed-up: {perl_time / ours_time:.1f}x including the MAINTAINERS load,'
          f' {perl_time / route_time:.0f}x for routing alone')
    series_end_to_end(tree)
    return 0


def series_end_to_end(tree: Path, repeat: int = 7) -> None:
    """`rust-helpers series` as a whole process on a copy of the tree's helpers.

    Scan, annotate in memory with clang-format, group, route and write the
    mails: everything a maintainer waits for.
    """
    import shutil
    import statistics
    import tempfile
    exe = Path(sys.executable).parent / 'rust-helpers'
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / 'linux'
        copy.mkdir()
        shutil.copytree(tree / 'rust', copy / 'rust')
        for name in ('MAINTAINERS', '.mailmap', '.clang-format'):
            if (tree / name).is_file():
                shutil.copy2(tree / name, copy / name)
        times = []
        for i in range(repeat):
            out = Path(tmp) / f'out{i}'
            start = time.perf_counter()
            subprocess.run([str(exe), 'series', '--tree', str(copy), '-o', str(out),
                            '--from', 'Bench Mark <bench@example.org>'], check=True, capture_output=True)
            times.append(time.perf_counter() - start)
        patches = len(list((Path(tmp) / 'out0').glob('*.patch')))
    print(f'series:   end to end, {patches} mails written: median {statistics.median(times) * 1e3:.0f} ms,'
          f' min {min(times) * 1e3:.0f} ms over {repeat} runs')


if __name__ == '__main__':
    sys.exit(main(sys.argv))
