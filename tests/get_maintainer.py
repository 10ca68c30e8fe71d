"""The kernel's scripts/get_maintainer.pl as a test oracle, run as b4 runs it.

b4 (`prep --auto-to-cc`) runs the script on each patch file with
`--nogit --nogit-fallback --nogit-chief-penguins --norolestats`, once with
`--nol` (its To) and once with `--nom` (its Cc, minus To).

Where two matched sections have patterns of the same depth, the script
prints them in Perl's hash order, which changes from run to run (Perl
seeds its hash function at random per process). Ours is one fixed order
(the sections' order in MAINTAINERS). So for such a patch `route_like()`
tries further PERL_HASH_SEED values until the script prints our order:
that shows our output is one the script itself gives, and the test
asserts that a seed other than 0 is only ever needed where there is a tie.
"""
from __future__ import annotations

import os
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from email.header import decode_header
from email.header import make_header
from email.utils import getaddresses
from pathlib import Path

from codemod.kernel.maintainers.mailmap import address_of
from codemod.kernel.maintainers.routing import Maintainers
from codemod.kernel.maintainers.routing import Route
from codemod.kernel.maintainers.routing import TreeFiles

B4_OPTIONS = ('--nogit', '--nogit-fallback', '--nogit-chief-penguins', '--norolestats')
TIE_SEEDS = range(1, 64)


def run(script: Path, tree: Path, home: Path, args: list[str], seed: int = 0) -> list[str]:
    """The lines one run prints; `args` are the options and the patch file (or -f PATHS)."""
    env = {**os.environ, 'HOME': str(home),  # no ~/.get_maintainer.conf of whoever runs the tests
           # A fixed seed, and key order perturbed deterministically from it.
           'PERL_HASH_SEED': str(seed), 'PERL_PERTURB_KEYS': '2'}
    done = subprocess.run(['perl', str(script), *B4_OPTIONS, *args], cwd=tree, env=env,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, f'get_maintainer.pl {args}: {done.stderr}'
    return done.stdout.splitlines()


def b4_to(lines: list[str]) -> tuple[str, ...]:
    return tuple(line for line in lines if address_of(line))


def b4_cc(to: tuple[str, ...], lines: list[str]) -> tuple[str, ...]:
    seen = {address_of(line) for line in to}
    cc = []
    for line in lines:
        if (address := address_of(line)) and address not in seen:
            seen.add(address)
            cc.append(line)
    return tuple(cc)


def has_tie(index: Maintainers, paths: list[str]) -> bool:
    """Whether some path matches two sections with patterns of the same depth."""
    for path in paths:
        depths = [m.depth for m in index.matches(path)]
        if len(set(depths)) < len(depths):
            return True
    return False


def _like(script: Path, tree: Path, home: Path, args: list[str], read, want, tie: bool):
    """(read(lines), seed) of the first run that gives `want`: seed 0, then
    with `tie` other seeds; seed 0's if none does."""
    first = read(run(script, tree, home, args))
    if first == want or not tie:
        return first, 0
    for seed in TIE_SEEDS:
        if (value := read(run(script, tree, home, args, seed))) == want:
            return value, seed
    return first, 0


def route_like(script: Path, tree: Path, home: Path, args: list[str], ours: Route,
               tie: bool) -> tuple[Route, tuple[int, int]]:
    """The script's b4 To/Cc for `args` (a patch file, with options), and the
    seeds of the --nol and --nom runs that gave it (see the module doc)."""
    to, to_seed = _like(script, tree, home, [*args, '--nol'], b4_to, ours.to, tie)
    cc, cc_seed = _like(script, tree, home, [*args, '--nom'], lambda lines: b4_cc(to, lines), ours.cc, tie)
    return Route(to, cc), (to_seed, cc_seed)


def lines_like(script: Path, tree: Path, home: Path, args: list[str], ours: list[str],
               tie: bool) -> tuple[list[str], int]:
    """The lines of one run, the seed picked as by route_like()."""
    return _like(script, tree, home, args, lambda lines: lines, ours, tie)


def skeleton(linux: Path, dst: Path, files: list[str]) -> Path:
    """A tree that routes exactly like `linux` with only `files` in it: its
    whole directory layout (MAINTAINERS patterns that name a directory get
    a `/` only if it exists), MAINTAINERS, .mailmap and the files."""
    for dirpath, dirnames, _ in os.walk(linux):
        dirnames[:] = [d for d in dirnames if not d.startswith('.')]
        (dst / os.path.relpath(dirpath, linux)).mkdir(parents=True, exist_ok=True)
    for rel in ['MAINTAINERS', '.mailmap', *files]:
        (dst / rel).parent.mkdir(parents=True, exist_ok=True)
        (dst / rel).write_bytes((linux / rel).read_bytes())
    return dst


# -- mails against the script ------------------------------------------------

def header_people(data: bytes, name: str) -> list[tuple[str, str]]:
    """(name, address) of a To/Cc header, RFC 2047 decoded."""
    head = data.split(b'\n\n', 1)[0].decode('ascii')
    m = re.search(rf'^{name}: (.*(?:\n .*)*)', head, re.M)
    return getaddresses([str(make_header(decode_header(m.group(1))))]) if m else []


def people(lines: tuple[str, ...]) -> list[tuple[str, str]]:
    return getaddresses(list(lines))


def cc_notes(data: bytes) -> list[str]:
    commentary = data.decode().split('\n---\n', 1)[1].split('\n\n', 1)[0]
    return [line[len('Cc: '):] for line in commentary.splitlines() if line.startswith('Cc: ')]


def check_mails(index: Maintainers, script: Path, tree: Path, home: Path, files: list[Path],
                *options: str) -> dict[str, tuple[int, int]]:
    """Each mail's To/Cc headers and Cc: notes against the script on the file;
    returns the hash seeds each needed (see tests/get_maintainer.py)."""
    problems, seeds = [], {}

    def one(path: Path):
        data = path.read_bytes()
        ours = index.route_patch(data, TreeFiles(tree))
        tie = has_tie(index, index.read_patch(data).files)
        return path, data, ours, tie, route_like(script, tree, home, [*options, str(path)], ours, tie)

    with ThreadPoolExecutor(4) as pool:
        for path, data, ours, tie, (theirs, seed) in pool.map(one, files):
            seeds[path.name] = seed
            if seed != (0, 0) and not tie:
                problems.append(f'{path.name}: needed hash seeds {seed} without a depth tie')
            if (header_people(data, 'To'), header_people(data, 'Cc')) != (people(theirs.to), people(theirs.cc)):
                problems.append(f'{path.name}: headers\n  ours: {header_people(data, "To")} '
                                f'{header_people(data, "Cc")}\n  perl: {theirs}')
            if cc_notes(data) != [*theirs.to, *theirs.cc]:
                problems.append(f'{path.name}: Cc notes\n  ours: {cc_notes(data)}\n  perl: {theirs}')
            if ours != theirs:
                problems.append(f'{path.name}: route_patch\n  ours: {ours}\n  perl: {theirs}')
    assert not problems, '\n'.join(problems)
    return seeds
