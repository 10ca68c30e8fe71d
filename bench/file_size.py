"""Is `check` linear in the size of a helper file? One file of N helpers, timed.

    .venv/bin/python bench/file_size.py [--sizes 2000,8000,32000,200000] [--repeat 3]

Each size is one generated rust/helpers/big.c (N four-line helpers, none
annotated, about 60 bytes each: 200,000 is 12 MB) in a scratch tree, and
`rust-helpers check --tree T` runs on it as a whole process, output thrown
away, the median of --repeat runs; next to it `bench/floor_parse.py` (start,
tree-sitter parse, one query) on the same file. Cost per helper should stay
flat as N grows. Figures in bench/README.md.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def helper_file(n: int) -> bytes:
    return b''.join(b'int rust_helper_frob_%d(struct frob *f)\n{\n\treturn frob_%d(f);\n}\n\n' % (k, k)
                    for k in range(n))


def wall(cmd: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--sizes', default='2000,8000,32000,200000')
    ap.add_argument('--repeat', type=int, default=3)
    opts = ap.parse_args()
    exe = str(Path(sys.executable).with_name('rust-helpers'))
    print('| helpers | MB | check s | µs per helper | floor s | check / floor |')
    print('| ---: | ---: | ---: | ---: | ---: | ---: |')
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(x) for x in opts.sizes.split(',')):
            helpers = Path(tmp) / str(n) / 'rust' / 'helpers'
            helpers.mkdir(parents=True)
            data = helper_file(n)
            (helpers / 'big.c').write_bytes(data)
            check = wall([exe, 'check', '--tree', str(helpers.parent.parent)], opts.repeat)
            floor = wall([sys.executable, str(BENCH / 'floor_parse.py'), str(helpers)], opts.repeat)
            print(f'| {n:,} | {len(data) / 1e6:.1f} | {check:.2f} | {check / n * 1e6:.1f} | {floor:.2f} | '
                  f'{check / floor:.2f} |', flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
