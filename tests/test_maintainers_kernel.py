"""codemod.kernel.maintainers.routing against the kernel's own scripts/get_maintainer.pl.

The Perl script is only the oracle here. Recipients are compared the way
b4 splits them: To is `--nol` (maintainers + reviewers), Cc is `--nom`
minus To. Where two matched sections have the same pattern depth the Perl
script orders them by hash order (random per process), so for those files
only the sets are compared; everywhere else the order must agree too.
"""
from __future__ import annotations

import os
import random
import subprocess
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from codemod.kernel.maintainers.mailmap import address_of
from codemod.kernel.maintainers.routing import load
from codemod.kernel.maintainers.routing import Maintainers
from codemod.kernel.maintainers.routing import Route
from codemod.kernel.maintainers.routing import TreeFiles
from tests.test_maintainers import FIXTURE
from tests.test_maintainers import MAILMAP

pytestmark = pytest.mark.kernel

BASE_OPTIONS = ('--nogit', '--nogit-fallback', '--norolestats')
SAMPLE_SIZE = 300


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


def b4_route(to_lines: list[str], nom_lines: list[str]) -> Route:
    """b4's split: To from the --nol run, Cc the --nom lines not already in To."""
    to = tuple(line for line in to_lines if address_of(line))
    seen = {address_of(line) for line in to}
    cc = []
    for line in nom_lines:
        if (address := address_of(line)) and address not in seen:
            seen.add(address)
            cc.append(line)
    return Route(to=to, cc=tuple(cc))


def has_depth_tie(maintainers: Maintainers, path: str) -> bool:
    depths = [m.depth for m in maintainers.matches(path)]
    return len(set(depths)) < len(depths)


def compare_routes(maintainers: Maintainers, tree: Path, paths: list[str],
                   oracle: Callable[[str], Route]) -> tuple[list[str], int]:
    """Disagreements over `paths` (To and Cc separately), and how many were order-checked."""
    with ThreadPoolExecutor(4) as pool:
        expected = dict(zip(paths, pool.map(oracle, paths)))
    files = TreeFiles(tree)
    problems = []
    ordered = 0
    for path in paths:
        ours, theirs = maintainers.route([path], files), expected[path]
        tie = has_depth_tie(maintainers, path)
        ordered += not tie
        for field in ('to', 'cc'):
            got, want = getattr(ours, field), getattr(theirs, field)
            if (sorted(got) != sorted(want)) if tie else (got != want):
                problems.append(f'{path}: {field}\n    ours: {list(got)}\n    perl: {list(want)}')
    return problems, ordered


@pytest.fixture(scope='module')
def kernel(linux_612: Path) -> Maintainers:
    return load(linux_612)


@pytest.fixture(scope='module')
def oracle_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp('home')


@pytest.fixture(scope='module')
def kernel_oracle(linux_612: Path, oracle_home: Path) -> Callable[[str], Route]:
    script = linux_612 / 'scripts' / 'get_maintainer.pl'

    def oracle(path: str) -> Route:
        return b4_route(
            run_get_maintainer(script, linux_612, oracle_home, [path], '--nol'),
            run_get_maintainer(script, linux_612, oracle_home, [path], '--nom'),
        )
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
