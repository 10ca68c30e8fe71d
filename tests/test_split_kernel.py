"""split on a slice of Debian's linux-source-6.12, get_maintainer.pl and git am as oracles.

The throwaway repository holds MAINTAINERS, .mailmap and a dozen real
files from several subsystems, inside an empty copy of the tree's whole
directory layout (so that MAINTAINERS patterns that name directories
resolve as in the real tree). The pristine tree is only read.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from codemod.commands import split as split_command
from codemod.kernel.maintainers.routing import load
from tests import get_maintainer
from tests import gitrepo

pytestmark = pytest.mark.kernel

FROM = 'Ada Example <ada@example.org>'
DATE = '2026-11-22T10:00:00+00:00'
GIT_ENV = {
    'GIT_AUTHOR_NAME': 'Tessa Treewide', 'GIT_AUTHOR_EMAIL': 'tessa@example.org',
    'GIT_COMMITTER_NAME': 'Tessa Treewide', 'GIT_COMMITTER_EMAIL': 'tessa@example.org',
    'GIT_AUTHOR_DATE': '1731369600 +0000', 'GIT_COMMITTER_DATE': '1731369600 +0000',
    'GIT_CONFIG_NOSYSTEM': '1', 'GIT_CONFIG_GLOBAL': os.devnull, 'LC_ALL': 'C',
    'PATH': os.environ.get('PATH', '/usr/bin:/bin'),
}

TOP = ['MAINTAINERS', '.mailmap', '.gitattributes', '.get_maintainer.ignore']
FILES = [
    'kernel/locking/mutex.c', 'include/linux/mutex.h',          # LOCKING PRIMITIVES
    'fs/ext4/inode.c', 'fs/ext4/super.c', 'fs/ext4/acl.h',      # EXT4
    'mm/slub.c',                                                # SLAB ALLOCATOR
    'drivers/net/ethernet/intel/e1000/e1000_main.c',            # INTEL ETHERNET
    'Documentation/devicetree/bindings/net/can/bosch,m_can.yaml',  # M_CAN, and the .yaml's own addresses
    'rust/kernel/sync/lock.rs',                                 # RUST
    'lib/crc7.c',                                               # LIBRARY CODE
]
LINE = '/* split: touched */\n'


def git(root: Path, *args: str) -> str:
    return gitrepo.git(root, *args, env=GIT_ENV)


def _copy(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)


def _append(path: Path, text: str) -> None:
    data = path.read_text(encoding='utf-8')
    path.write_text(data + ('' if data.endswith('\n') else '\n') + text, encoding='utf-8')


@pytest.fixture(scope='module')
def kernel_repo(linux_612: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp('linux-slice')
    for dirpath, dirnames, _ in os.walk(linux_612):
        dirnames[:] = [d for d in dirnames if not d.startswith('.')]
        (root / os.path.relpath(dirpath, linux_612)).mkdir(parents=True, exist_ok=True)
    for rel in TOP + FILES:
        _copy(linux_612 / rel, root / rel)
    git(root, 'init', '-q', '-b', 'main')
    git(root, 'add', '-f', *TOP, *FILES)
    git(root, 'commit', '-q', '-m', 'Linux 6.12 (a slice)')
    _append(root / 'fs/ext4/inode.c', '/* ext4 history */\n')
    git(root, 'commit', '-q', '-am', 'ext4: note some history')

    for rel in ('kernel/locking/mutex.c', 'include/linux/mutex.h', 'fs/ext4/inode.c', 'mm/slub.c',
                'drivers/net/ethernet/intel/e1000/e1000_main.c', 'rust/kernel/sync/lock.rs'):
        _append(root / rel, LINE if not rel.endswith('.rs') else '// split: touched\n')
    yaml = root / 'Documentation/devicetree/bindings/net/can/bosch,m_can.yaml'
    _append(yaml, '# split: touched\n')
    git(root, 'mv', 'fs/ext4/acl.h', 'fs/ext4/ext4_acl.h')                         # a rename ...
    _append(root / 'fs/ext4/ext4_acl.h', LINE)                                     # ... with an edit
    git(root, 'rm', '-q', 'lib/crc7.c')                                             # a deletion
    (root / 'mm/slub_touched.c').write_text('// SPDX-License-Identifier: GPL-2.0\n' + LINE)  # a new file
    (root / 'fs/ext4/super.c').chmod(0o755)                                          # a mode change
    git(root, 'add', '-A', '--', *[f for f in FILES if f not in ('fs/ext4/acl.h', 'lib/crc7.c')],
        'fs/ext4/ext4_acl.h', 'mm/slub_touched.c')
    git(root, 'commit', '-q', '-m', 'treewide: touch a few subsystems\n\nOne line in each, for the test.\n')
    return root


@pytest.fixture(scope='module')
def series(kernel_repo: Path, tmp_path_factory: pytest.TempPathFactory) -> split_command.Result:
    out = tmp_path_factory.mktemp('series') / 'out'
    return split_command.run(split_command.Options(source='HEAD', tree=str(kernel_repo), output=str(out),
                                           sender=FROM, date=DATE))


def test_parts_and_prefixes(series: split_command.Result) -> None:
    parts = {p.prefix: (p.tag, sorted(f.path for f in p.files)) for p in series.parts}
    assert parts['ext4'] == ('EXT4 FILE SYSTEM', ['fs/ext4/ext4_acl.h', 'fs/ext4/inode.c', 'fs/ext4/super.c'])
    # No history of their own: the prefix comes from the paths.
    assert parts['mm'][1] == ['mm/slub.c', 'mm/slub_touched.c']
    assert parts['locking: mutex'] == ('LOCKING PRIMITIVES', ['include/linux/mutex.h', 'kernel/locking/mutex.c'])
    assert parts['lib: crc7'] == ('LIBRARY CODE', ['lib/crc7.c'])
    assert parts['sync: lock'][1] == ['rust/kernel/sync/lock.rs']
    assert len(series.files) == 1 + len(series.parts) == 1 + 7


def test_cover_stat_is_format_patchs(kernel_repo: Path, series: split_command.Result) -> None:
    original = git(kernel_repo, 'format-patch', '-1', '--stdout', 'HEAD')
    stat = original[original.index('\n---\n') + 5:original.index('\ndiff --git')]
    assert ' fs/ext4/{acl.h => ext4_acl.h}   ' in stat and ' mode change 100644 => 100755 fs/ext4/super.c' in stat
    assert stat in (series.output / series.files[0].name).read_text()


def test_series_applies_to_exactly_the_commit(kernel_repo: Path, series: split_command.Result,
                                              tmp_path: Path) -> None:
    where = tmp_path / 'applied'
    git(kernel_repo, 'worktree', 'add', '-q', '--detach', str(where), 'HEAD^')
    git(where, 'am', '-q', *[str(series.output / f.name) for f in series.files[1:]])
    assert git(where, 'rev-parse', 'HEAD^{tree}') == git(kernel_repo, 'rev-parse', 'HEAD^{tree}')
    assert len(git(where, 'log', '--format=%s', 'HEAD^..HEAD', '--', '.').splitlines()) == 1


def test_each_patch_routes_like_get_maintainer(linux_612: Path, kernel_repo: Path, series: split_command.Result,
                                               tmp_path: Path) -> None:
    """To and Cc are what `get_maintainer.pl PATCHFILE` prints for each mail
    (`--nol`, and `--nom` minus To: b4's split), headers and Cc: notes alike."""
    script = linux_612 / 'scripts' / 'get_maintainer.pl'
    mails = [series.output / f.name for f in series.files[1:]]
    get_maintainer.check_mails(load(kernel_repo), script, kernel_repo, tmp_path, mails, '--no-tree')
    # The .yaml's own maintainers (from the file, not from MAINTAINERS) are there too.
    can = next(f for part, f in zip(series.parts, series.files[1:]) if any(p.endswith('.yaml') for p in part.paths))
    assert len(can.recipients.to) >= 2
