"""codemod.kernel.maintainers.routing against the kernel's own scripts/get_maintainer.pl.

The Perl script is only the oracle here. Recipients are compared the way
b4 splits them: To is `--nol` (maintainers + reviewers), Cc is `--nom`
minus To, in the same order. Where two matched sections have the same
pattern depth the Perl script orders them by hash order (random per
process): there our order must be one the script prints under some hash
seed (tests/get_maintainer.py).
"""
from __future__ import annotations

import os
import random
import subprocess
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from codemod.kernel.maintainers.routing import load
from codemod.kernel.maintainers.routing import Maintainers
from codemod.kernel.maintainers.routing import Route
from codemod.kernel.maintainers.routing import TreeFiles
from tests import get_maintainer
from tests.test_maintainers import FIXTURE
from tests.test_maintainers import MAILMAP

pytestmark = pytest.mark.kernel

BASE_OPTIONS = ('--nogit', '--nogit-fallback', '--norolestats')
SAMPLE_SIZE = 150  # -f mode; the commands route patches (test_routing_kernel.py)


def run_get_maintainer(script: Path, tree: Path, home: Path, paths: list[str], *options: str) -> list[str]:
    env = {
        **os.environ,
        'HOME': str(home),  # no ~/.get_maintainer.conf of whoever runs the tests
        'PERL_HASH_SEED': '0',  # so a failure can be reproduced
        'PERL_PERTURB_KEYS': '0',
    }
    done = subprocess.run(
        ['perl', str(script), *BASE_OPTIONS, *options, '-f', *paths],
        cwd=tree, env=env, capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, f'get_maintainer.pl {options} {paths}: {done.stderr}'
    return done.stdout.splitlines()


def compare_routes(maintainers: Maintainers, tree: Path, paths: list[str],
                   oracle: Callable[[str, Route, bool], tuple[Route, tuple[int, int]]]) -> tuple[list[str], int]:
    """Disagreements over `paths` (To and Cc, order included), and how many
    had no depth tie (the same order under every hash seed)."""
    files = TreeFiles(tree)
    ours = {path: maintainers.route([path], files) for path in paths}
    ties = {path: get_maintainer.has_tie(maintainers, [path]) for path in paths}
    with ThreadPoolExecutor(4) as pool:
        expected = dict(zip(paths, pool.map(lambda p: oracle(p, ours[p], ties[p]), paths)))
    problems = []
    for path in paths:
        theirs, seeds = expected[path]
        if ours[path] != theirs:
            problems.append(f'{path}:\n    ours: {ours[path]}\n    perl: {theirs}')
        elif seeds != (0, 0) and not ties[path]:
            problems.append(f'{path}: needed hash seeds {seeds} without a depth tie')
    return problems, sum(not tie for tie in ties.values())


@pytest.fixture(scope='module')
def kernel(linux_612: Path) -> Maintainers:
    return load(linux_612)


@pytest.fixture(scope='module')
def oracle_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp('home')


@pytest.fixture(scope='module')
def kernel_oracle(linux_612: Path, oracle_home: Path):
    script = linux_612 / 'scripts' / 'get_maintainer.pl'

    def oracle(path: str, ours: Route, tie: bool) -> tuple[Route, tuple[int, int]]:
        return get_maintainer.route_like(script, linux_612, oracle_home, ['-f', path], ours, tie)
    return oracle


def tree_files(tree: Path) -> list[str]:
    """Every file of the tree, like `git ls-files`: dot-directories skipped, sorted."""
    files = []
    for root, dirs, names in os.walk(tree):
        dirs[:] = [d for d in dirs if not d.startswith('.')]
        files += [os.path.relpath(os.path.join(root, n), tree) for n in names]
    return sorted(files)


def test_every_rust_helper_routes_like_get_maintainer(linux_612, kernel, kernel_oracle):
    helpers = sorted(str(p.relative_to(linux_612)) for p in (linux_612 / 'rust' / 'helpers').rglob('*') if p.is_file())
    assert len(helpers) >= 15
    problems, _ = compare_routes(kernel, linux_612, helpers, kernel_oracle)
    assert not problems, f'{len(problems)} disagreements:\n' + '\n'.join(problems)


def test_random_sample_routes_like_get_maintainer(linux_612, kernel, kernel_oracle):
    candidates = [p for p in tree_files(linux_612) if not p.startswith('rust/helpers/')]
    sample = random.Random(612).sample(candidates, SAMPLE_SIZE)
    problems, ordered = compare_routes(kernel, linux_612, sample, kernel_oracle)
    assert not problems, f'{len(problems)} disagreements in {len(sample)} files:\n' + '\n'.join(problems)
    assert ordered > SAMPLE_SIZE * 0.8  # the order is really being checked


def test_keywords_in_file_and_several_files(linux_612, kernel, oracle_home):
    script = linux_612 / 'scripts' / 'get_maintainer.pl'
    files = TreeFiles(linux_612)
    cases = [
        (['rust/helpers/mutex.c', 'rust/helpers/spinlock.c'], ['--kf']),
        (['kernel/bpf/verifier.c'], ['--kf']),
        (['drivers/nvme/host/core.c', 'fs/ext4/inode.c'], ['--kf']),
        (['rust/helpers/mutex.c', 'kernel/locking/mutex.c', 'include/linux/mutex.h',
          'Documentation/devicetree/bindings/net/can/bosch,m_can.yaml'], []),
        (['drivers/net/ethernet/intel/ice/ice_main.c'], ['--pattern-depth=2']),
    ]
    for paths, options in cases:
        kwargs = {'keywords_in_file': '--kf' in options}
        if options and options[0].startswith('--pattern-depth='):
            kwargs = {'pattern_depth': int(options[0].split('=')[1])}
        for mode, which in (('--nol', {'lists': False}), ('--nom', {'maintainers': False})):
            want = run_get_maintainer(script, linux_612, oracle_home, paths, mode, *options)
            got = kernel.recipients(paths, files, **which, **kwargs)
            assert got == want, (paths, mode, options)


# -- the unit-test fixture, in a tree of its own ------------------------------------

FIXTURE_FILES = {
    'drivers/alpha/a.c': '',
    'drivers/alpha/beta/x.c': '',
    'drivers/alpha/legacy/old.c': '',
    'drivers/alpha/legacy/beta.c': '',
    'drivers/beta1.c': '',
    'drivers/orphan.c': '',
    'fs/betafs/super.c': '',
    'include/linux/alpha.h': '',
    'include/linux/alpha.hpp': '',
    'lib/gamma/g.c': 'int gamma_init(void);\n',
    'lib/gamma/sub/h.c': '',
    'lib/delta.c': '',
    'lib/delta-extra/e.c': '',
    'misc/last/deep/file.c': '',
    'misc/other.c': 'static void delta_magic(void) {}\nint gamma_exit(void);\n',
    'rust/helpers/mutex.c': '',
    'rust/helpers/spinlock.c': '',
    'rust/helpers/bug.c': '// Rust helper\n',
    'tools/widget/w.c': '',
    'tools/widgetry.c': '',
    'everything/x.c': '',
    'Makefile': '',
    'Documentation/devicetree/bindings/delta/widget.yaml': (
        'title: Widget\n\nmaintainers:\n'
        '  - Yolanda Q. Yaml <yolanda@example.org>\n'
        '  - Dan Delta <dan@example.org>\n'
        '  - "Quoted, Person" <quoted@example.org>\n'
        '  - J. R. R. Tolkien (author) <jrrt@example.org>\n'
        'description: mail <gina@old.example.org> or lena@example.org.\n'
    ),
}

# A pattern that names a directory without a trailing slash.
FIXTURE_WITH_DIRECTORY = FIXTURE.replace('THE REST\n', (
    'WIDGET TOOLS\nM:\tWendy Widget <wendy@example.org>\nS:\tMaintained\nF:\ttools/widget\n\nTHE REST\n'))


@pytest.fixture(scope='module')
def fixture_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tree = tmp_path_factory.mktemp('fixture-tree')
    (tree / 'MAINTAINERS').write_text(FIXTURE_WITH_DIRECTORY, encoding='utf-8')
    (tree / '.mailmap').write_text(MAILMAP, encoding='utf-8')
    for path, text in FIXTURE_FILES.items():
        (tree / path).parent.mkdir(parents=True, exist_ok=True)
        (tree / path).write_text(text, encoding='utf-8')
    return tree


@pytest.mark.parametrize('options', [(), ('--kf',), ('--pattern-depth=1',), ('--pattern-depth=3',)],
                         ids=lambda o: ' '.join(o) or 'default')
def test_fixture_agrees_with_get_maintainer(linux_612, fixture_tree, oracle_home, options):
    script = linux_612 / 'scripts' / 'get_maintainer.pl'
    maintainers = load(fixture_tree)
    assert 'WIDGET TOOLS' in [s.name for s in maintainers.sections_for('tools/widget/w.c')]
    assert 'WIDGET TOOLS' not in [s.name for s in maintainers.sections_for('tools/widgetry.c')]
    kwargs: dict[str, object] = {'keywords_in_file': '--kf' in options}
    if options and options[0].startswith('--pattern-depth='):
        kwargs = {'pattern_depth': int(options[0].split('=')[1])}
    files = TreeFiles(fixture_tree)
    runs = [[p] for p in FIXTURE_FILES] + [list(FIXTURE_FILES), list(reversed(FIXTURE_FILES))]
    problems = []
    for paths in runs:
        for mode, which in (('--nol', {'lists': False}), ('--nom', {'maintainers': False})):
            want = run_get_maintainer(script, fixture_tree, oracle_home, paths, '--no-tree', mode, *options)
            got = maintainers.recipients(paths, files, **which, **kwargs)
            if got != want:
                problems.append(f'{paths} {mode}\n    ours: {got}\n    perl: {want}')
    assert not problems, '\n'.join(problems)
