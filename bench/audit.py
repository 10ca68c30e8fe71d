"""`rust-helpers audit` against `llvm-objdump -dr | grep`, on generated inputs.

    .venv/bin/python bench/audit.py [--objects 250,500,1000] [--image 10000,20000,40000] [--clean-image 40000] [--repeat 3]

Builds, once, in ~/.cache/rust-helper-codemod/bench-audit/:
- folders of N relocatable x86-64 objects, each a generated C file of 24
  functions under v0-mangled Rust names (clang-14 -O2, 2 at a time); one
  function in six calls one of 40 helpers. Half the objects call the
  helpers as external symbols (relocations: the bitcode-not-linked case),
  half have them defined in the same section (no relocation: the
  inline-helpers build where a helper was not inlined);
- one static x86-64 image (ld.lld-14) of M such functions plus the helpers,
  as vmlinux is linked; and one where no function calls a helper (all
  inlined: what a clean audit of an annotated build looks at).
Then, in the same run and round-robin, times as whole processes:
- ours: `rust-helpers audit PATH` (text: one line per call site left);
- peer: `llvm-objdump-14 -dr FILES | grep -E 'rust_helper_'`, what a
  maintainer runs today (for a folder, every *.o on one objdump command
  line), with the matching lines counted.
Prints the medians, the ratios and the time per object / per 1,000
functions, and whether both found the same number of call sites.
No asserts: this is a benchmark.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

CACHE = Path(os.environ.get('XDG_CACHE_HOME') or Path.home() / '.cache') / 'rust-helper-codemod' / 'bench-audit'
HELPERS = 40
FUNCTIONS_PER_OBJECT = 24
CALL_EVERY = 6
VENV_SCRIPT = Path(sys.executable).parent / 'rust-helpers'
GREP = r"grep -E '(call|jmp|R_X86_64_[A-Z0-9]+)[[:space:]].*rust_helper_'"


def mangled(crate: str, name: str) -> str:
    return f'_RNvNtCs1bench_{len(crate)}{crate}4sync{len(name)}{name}'


def c_source(crate: str, functions: int, *, helpers: str, seed: int, calls: bool = True) -> str:
    """`helpers`: 'extern' (declared only), 'local' (static noinline
    definitions in this file) or 'global' (defined here, for the image)."""
    out = ['static volatile int sink;']
    for h in range(HELPERS):
        name = f'rust_helper_h{h}'
        if helpers == 'extern':
            out.append(f'void {name}(int *r);')
        else:
            storage = 'static ' if helpers == 'local' else ''
            out.append(f'{storage}__attribute__((noinline, used)) void {name}(int *r) '
                       f'{{ __atomic_fetch_add(r, {h + 1}, __ATOMIC_RELAXED); }}')
    for i in range(functions):
        sym = mangled(crate, f'f{i}')
        out.append(f'void f{i}(int *r, int n) __asm__("{sym}");')
        body = [f'for (int i = 0; i < n; i++) {{ sink += i * {seed % 97 + i}; sink ^= sink >> {i % 7 + 1}; }}']
        if calls and i % CALL_EVERY == 0:
            body.append(f'if (sink & 1) rust_helper_h{(seed + i) % HELPERS}(r);')
        out.append(f'void f{i}(int *r, int n) {{ {" ".join(body)} }}')
    return '\n'.join(out) + '\n'


def compile_c(source: str, out: Path) -> None:
    src = out.with_suffix('.c')
    src.write_text(source)
    subprocess.run(['clang-14', '--target=x86_64-unknown-linux-gnu', '-O2', '-c', str(src), '-o', str(out)],
                   check=True)
    src.unlink()


def objects_folder(n: int) -> Path:
    folder = CACHE / f'objects-{n}'
    if (folder / 'done').exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    jobs = []
    for k in range(n):
        sub = folder / f'd{k // 100}'
        sub.mkdir(exist_ok=True)
        crate = f'crate{k}'
        jobs.append((c_source(crate, FUNCTIONS_PER_OBJECT, helpers='extern' if k % 2 else 'local', seed=k),
                     sub / f'{crate}.o'))
    with ThreadPoolExecutor(os.cpu_count() or 2) as pool:
        list(pool.map(lambda job: compile_c(*job), jobs))
    (folder / 'done').write_text('')
    return folder


def image(functions: int, *, calls: bool = True) -> Path:
    """`calls=False`: every helper inlined, the state audit is there to
    prove (the helpers are still linked in, uncalled)."""
    out = CACHE / f'image-{functions}{"" if calls else "-clean"}'
    if out.exists():
        return out
    CACHE.mkdir(parents=True, exist_ok=True)
    obj = out.with_suffix('.o')
    compile_c(c_source('kernel', functions, helpers='global', seed=functions, calls=calls), obj)
    subprocess.run(['ld.lld-14', '-static', '-o', str(out), str(obj)], check=True, capture_output=True)
    obj.unlink()
    return out


def run(cmd: list[str] | str, *, shell: bool = False) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, shell=shell, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f'{cmd} failed ({proc.returncode}): {proc.stderr}')
    return elapsed, proc.stdout


def ours(path: Path) -> list[str]:
    return [str(VENV_SCRIPT), 'audit', str(path)]


def peer(path: Path) -> str:
    if path.is_dir():
        return f"find {path} -name '*.o' -print0 | xargs -0 llvm-objdump-14 -dr | {GREP}"
    return f'llvm-objdump-14 -dr {path} | {GREP}'


def measure(label: str, path: Path, repeat: int) -> dict:
    ours_times, peer_times = [], []
    ours_sites = peer_sites = 0
    run(ours(path))         # warm the page cache and the .pyc files
    run(peer(path), shell=True)
    for _ in range(repeat):
        t, out = run(ours(path))
        ours_times.append(t)
        ours_sites = sum(1 for line in out.splitlines() if line.endswith('[not-inlined]'))
        t, out = run(peer(path), shell=True)
        peer_times.append(t)
        peer_sites = len(out.splitlines())
    return {'label': label, 'ours': statistics.median(ours_times), 'peer': statistics.median(peer_times),
            'ours_sites': ours_sites, 'peer_sites': peer_sites}


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--objects', default='250,500,1000')
    ap.add_argument('--image', default='10000,20000,40000')
    ap.add_argument('--clean-image', default='40000', help='functions of an image with no call left')
    ap.add_argument('--repeat', type=int, default=3)
    args = ap.parse_args(argv[1:])
    for tool in ('clang-14', 'ld.lld-14', 'llvm-objdump-14'):
        if not shutil.which(tool):
            print(f'{tool} not found', file=sys.stderr)
            return 2
    rows = []
    for n in map(int, filter(None, args.objects.split(','))):
        folder = objects_folder(n)
        row = measure(f'{n} objects', folder, args.repeat)
        row['per'] = (row['ours'] / n * 1000, row['peer'] / n * 1000, 'ms/object')
        rows.append(row)
    for m in map(int, filter(None, args.image.split(','))):
        path = image(m)
        row = measure(f'image, {m} functions ({path.stat().st_size // 1024} KiB)', path, args.repeat)
        row['per'] = (row['ours'] / m * 1e6, row['peer'] / m * 1e6, 'µs/function')
        rows.append(row)
    for m in map(int, filter(None, args.clean_image.split(','))):
        path = image(m, calls=False)
        row = measure(f'image, {m} functions, no call left ({path.stat().st_size // 1024} KiB)', path, args.repeat)
        row['per'] = (row['ours'] / m * 1e6, row['peer'] / m * 1e6, 'µs/function')
        rows.append(row)
    print('| input | audit s | objdump+grep s | objdump / audit | audit per unit | objdump per unit | sites (audit / grep) |')
    print('| --- | ---: | ---: | ---: | ---: | ---: | ---: |')
    for r in rows:
        a, p, unit = r['per']
        print(f'| {r["label"]} | {r["ours"]:.2f} | {r["peer"]:.2f} | {r["peer"] / r["ours"]:.1f} '
              f'| {a:.2f} {unit} | {p:.2f} {unit} | {r["ours_sites"]} / {r["peer_sites"]} |')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
