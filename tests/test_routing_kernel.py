"""Every mail we write goes where the kernel's get_maintainer.pl, run on that
mail file as b4 runs it, says: the 6.12 series, real split outputs, a
sample of the tree's files as patches, the crafted patches of
tests/test_patch_routing.py; and git send-email --dry-run takes the whole
series and sends it to those people.

Ties between sections of the same pattern depth are resolved as
tests/get_maintainer.py explains (the script's order there is random)."""
from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from email.header import decode_header
from email.header import make_header
from email.utils import getaddresses
from pathlib import Path

import pytest

from codemod.cli import main
from codemod.commands import split as split_command
from codemod.kernel.maintainers.routing import load
from codemod.kernel.maintainers.routing import TreeFiles
from tests import get_maintainer
from tests import gitrepo
from tests import test_patch_routing as crafted
from tests.test_maintainers_kernel import FIXTURE_FILES
from tests.test_maintainers_kernel import tree_files
from tests.test_split_kernel import GIT_ENV

pytestmark = pytest.mark.kernel

FROM = 'Ada Example <ada@example.org>'
DATE = '2026-11-22T10:00:00+00:00'
SAMPLE_SIZE = 120


def git(root: Path, *args: str) -> str:
    return gitrepo.git(root, *args, env=GIT_ENV)


header_people = get_maintainer.header_people
people = get_maintainer.people
check_mails = get_maintainer.check_mails


@pytest.fixture(scope='module')
def script(linux_612: Path) -> Path:
    return linux_612 / 'scripts' / 'get_maintainer.pl'


@pytest.fixture(scope='module')
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp('home')


# -- the 6.12 series --------------------------------------------------------------

@pytest.fixture(scope='module')
def series_tree(linux_612: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = get_maintainer.skeleton(linux_612, tmp_path_factory.mktemp('series-tree'), ['.clang-format'])
    shutil.rmtree(root / 'rust')
    shutil.copytree(linux_612 / 'rust', root / 'rust', symlinks=True)
    git(root, 'init', '-q', '-b', 'main')
    git(root, 'add', '-A', '--force')
    git(root, 'commit', '-q', '-m', 'Linux 6.12 (rust/ and the layout)')
    return root


@pytest.fixture(scope='module')
def series_mails(series_tree: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    out = tmp_path_factory.mktemp('series') / 'out'
    assert main(['series', '--tree', str(series_tree), '-o', str(out), '--from', FROM, '--date', DATE]) == 0
    return sorted(out.glob('*.patch'))


def test_every_series_mail_goes_where_get_maintainer_says(series_tree, series_mails, script, home):
    index = load(series_tree)
    check_mails(index, script, series_tree, home, series_mails[1:], '--no-tree')
    macro = series_mails[1].read_bytes()
    # `K: \b(?i:clang|llvm)\b` on the macro patch's "LLVM".
    assert ('', 'llvm@lists.linux.dev') in header_people(macro, 'Cc')
    assert ('Nathan Chancellor', 'nathan@kernel.org') in header_people(macro, 'To')
    # The cover letter goes to all of them.
    cover = series_mails[0].read_bytes()
    everyone = {p for m in series_mails[1:] for h in ('To', 'Cc') for p in header_people(m.read_bytes(), h)}
    assert set(header_people(cover, 'To') + header_people(cover, 'Cc')) == everyone


# -- split outputs ---------------------------------------------------------------

SPLIT_FILES = [
    'drivers/block/rnull.rs',                  # BLOCK ... [RUST], and RUST through K: rust
    'include/linux/lockd/debug.h',             # two sections of the same depth: a tie
    'include/linux/sunrpc/addr.h',
    'kernel/locking/mutex.c',
    'Documentation/devicetree/bindings/net/can/bosch,m_can.yaml',  # the .yaml's own addresses
    'lib/crc7.c',
    'fs/ext4/acl.h',
]


@pytest.fixture(scope='module')
def split_repo(linux_612: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = get_maintainer.skeleton(linux_612, tmp_path_factory.mktemp('split-tree'), SPLIT_FILES)
    git(root, 'init', '-q', '-b', 'main')
    git(root, 'add', '-A', '--force')
    git(root, 'commit', '-q', '-m', 'Linux 6.12 (a slice)')
    rnull = root / 'drivers/block/rnull.rs'
    rnull.write_text(rnull.read_text().replace('Rust null_blk loaded', 'Rust null_blk loaded (rnull)'))
    for rel in ('include/linux/lockd/debug.h', 'include/linux/sunrpc/addr.h', 'kernel/locking/mutex.c'):
        with open(root / rel, 'a') as f:
            f.write('/* split: touched */\n')
    with open(root / SPLIT_FILES[4], 'a') as f:
        f.write('# split: touched\n')
    git(root, 'rm', '-q', 'lib/crc7.c')
    git(root, 'mv', 'fs/ext4/acl.h', 'fs/ext4/ext4_acl.h')
    (root / 'mm').mkdir(exist_ok=True)
    (root / 'mm/split_new.c').write_text('// SPDX-License-Identifier: GPL-2.0\n')
    git(root, 'add', '-A', '--force')
    git(root, 'commit', '-q', '-m', 'treewide: touch a few subsystems\n\nFor the routing test.\n')
    return root


@pytest.mark.parametrize('group_by', ['section', 'file'])
def test_every_split_mail_goes_where_get_maintainer_says(split_repo, script, home, tmp_path, group_by):
    result = split_command.run(split_command.Options(source='HEAD', tree=str(split_repo), output=str(tmp_path),
                                                     sender=FROM, date=DATE, group_by=group_by, force=True))
    mails = [tmp_path / f.name for f in result.files[1:]]
    index = load(split_repo)
    check_mails(index, script, split_repo, home, mails, '--no-tree')
    rnull = next(m for part, m in zip(result.parts, mails) if 'drivers/block/rnull.rs' in part.paths)
    to = header_people(rnull.read_bytes(), 'To')
    # BLOCK LAYER DEVICE DRIVER API [RUST] by its F:, RUST by `K: \b(?i:rust)\b` on the diff.
    assert ('Andreas Hindborg', 'a.hindborg@kernel.org') in to and ('Miguel Ojeda', 'ojeda@kernel.org') in to
    assert 'Miguel Ojeda <ojeda@kernel.org>' not in index.route(['drivers/block/rnull.rs']).to  # paths alone
    assert get_maintainer.has_tie(index, ['include/linux/lockd/debug.h'])   # a tie is among them


# -- a sample of the tree as patches ---------------------------------------------------

def one_file_patch(tree: Path, path: str) -> bytes:
    """A format-patch mail that appends a line to `path`, with its last lines as context."""
    lines = (tree / path).read_bytes().split(b'\n')
    if lines[-1] == b'':
        lines.pop()
    context = lines[-3:]
    start = len(lines) - len(context) + 1
    hunk = (f'@@ -{start},{len(context)} +{start},{len(context) + 1} @@\n'.encode()
            + b''.join(b' ' + line + b'\n' for line in context) + b'+/* touched */\n')
    return (f'From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001\n'
            f'From: Ada Example <ada@example.org>\nSubject: [PATCH] {path}: touch\n\n'
            f'Touch {path}.\n\nSigned-off-by: Ada Example <ada@example.org>\n---\n'
            f'diff --git a/{path} b/{path}\nindex 1111111..2222222 100644\n--- a/{path}\n+++ b/{path}\n'
            ).encode() + hunk + b'-- \n2.39.5\n\n'


def test_a_sample_of_the_tree_as_patches(linux_612, script, home, tmp_path):
    candidates = [p for p in tree_files(linux_612) if ' ' not in p]
    sample = random.Random(10).sample(candidates, SAMPLE_SIZE)
    index = load(linux_612)
    files = TreeFiles(linux_612)

    def one(path: str):
        patch = tmp_path / (path.replace('/', '_') + '.patch')
        patch.write_bytes(one_file_patch(linux_612, path))
        ours = index.route_patch(patch.read_bytes(), files)
        tie = get_maintainer.has_tie(index, index.read_patch(patch.read_bytes()).files)
        return path, ours, tie, get_maintainer.route_like(script, linux_612, home, [str(patch)], ours, tie)

    problems, ordered = [], 0
    with ThreadPoolExecutor(4) as pool:
        for path, ours, tie, (theirs, seeds) in pool.map(one, sample):
            ordered += not tie
            if ours != theirs:
                problems.append(f'{path}:\n  ours: {ours}\n  perl: {theirs}')
            if seeds != (0, 0) and not tie:
                problems.append(f'{path}: needed hash seeds {seeds} without a depth tie')
    assert not problems, f'{len(problems)} of {SAMPLE_SIZE}:\n' + '\n'.join(problems)
    assert ordered > SAMPLE_SIZE * 0.8


# -- crafted patches on a made-up MAINTAINERS -------------------------------------------

CRAFTED = [
    *[p.values[0] for p in crafted.KEYWORD_CASES], *[p.values[0] for p in crafted.MISS_CASES],
    dict(diff=crafted.RENAME_AND_NEW + crafted.STAT),
    dict(diff=crafted.one_file('lib/delta.c', '--- comment', ' context')),
    dict(diff=crafted.one_file('Documentation/devicetree/bindings/delta/widget.yaml', '+x', ' y')),
    dict(subject='rust: helpers: use clang', diff=crafted.one_file('rust/helpers/mutex.c', '+x', ' y')),
    dict(diff=crafted.one_file('drivers/alpha/a.c', '+x', ' y') + crafted.one_file('lib/gamma/g.c', '-y', '+z')),
]


@pytest.fixture(scope='module')
def crafted_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tree = tmp_path_factory.mktemp('crafted-tree')
    (tree / 'MAINTAINERS').write_text(crafted.KEYWORD_FIXTURE, encoding='utf-8')
    (tree / '.mailmap').write_text(crafted.MAILMAP, encoding='utf-8')
    for path, text in FIXTURE_FILES.items():
        (tree / path).parent.mkdir(parents=True, exist_ok=True)
        (tree / path).write_text(text, encoding='utf-8')
    return tree


@pytest.mark.parametrize('crlf', [False, True], ids=['lf', 'crlf'])
def test_crafted_patches_agree_with_get_maintainer(crafted_tree, script, home, tmp_path, crlf):
    index = load(crafted_tree)
    problems = []
    for number, kwargs in enumerate(CRAFTED):
        data = crafted.patch(**kwargs)
        data = data.replace(b'\n', b'\r\n') if crlf else data
        path = tmp_path / f'{number:02d}.patch'
        path.write_bytes(data)
        tie = get_maintainer.has_tie(index, index.read_patch(data).files)
        for mode, which in (('--nol', dict(lists=False)), ('--nom', dict(maintainers=False))):
            ours = index.patch_recipients(data, TreeFiles(crafted_tree), **which)
            theirs, _ = get_maintainer.lines_like(script, crafted_tree, home, ['--no-tree', mode, str(path)],
                                                  ours, tie)
            if ours != theirs:
                problems.append(f'{number} {kwargs} {mode}\n  ours: {ours}\n  perl: {theirs}')
    assert not problems, '\n'.join(problems)


# -- git send-email as a client ----------------------------------------------------------

def _dry_run(tree: Path, mails: list[Path], home: Path) -> subprocess.CompletedProcess[str]:
    env = {'PATH': os.environ.get('PATH', '/usr/bin:/bin'), 'HOME': str(home), 'LC_ALL': 'C.UTF-8',
           'GIT_CONFIG_NOSYSTEM': '1', 'GIT_CONFIG_GLOBAL': os.devnull,
           'GIT_AUTHOR_NAME': 'Ada Example', 'GIT_AUTHOR_EMAIL': 'ada@example.org',
           'GIT_COMMITTER_NAME': 'Ada Example', 'GIT_COMMITTER_EMAIL': 'ada@example.org'}
    return subprocess.run(
        ['git', 'send-email', '--dry-run', '--confirm=never', '--from', FROM, '--smtp-server', 'smtp.invalid',
         '--suppress-cc=self', *map(str, mails)],
        cwd=tree, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL, check=False)


def _sent(output: str) -> list[tuple[set[str], dict[str, list[tuple[str, str]]]]]:
    """(RCPT TO addresses, {'To': people, 'Cc': people}) of each message send-email shows."""
    messages = []
    for log in output.split('Dry-OK. Log says:\n')[1:]:
        log = log.split('\nResult: OK\n')[0]
        rcpt = set(re.findall(r'^RCPT TO:<(.*)>$', log, re.M))
        headers = {}
        for name in ('To', 'Cc'):
            m = re.search(rf'^{name}: (.*(?:\n\t.*)*)', log, re.M)
            headers[name] = getaddresses([str(make_header(decode_header(m.group(1))))]) if m else []
        messages.append((rcpt, headers))
    return messages


def test_git_send_email_takes_the_whole_series(series_tree, script, home, tmp_path):
    out = tmp_path / 'out'
    extra = 'J\u00fcrgen Gro\u00df <jgross@example.org>'
    assert main(['series', '--tree', str(series_tree), '-o', str(out), '--from', FROM, '--date', DATE,
                 '--to', extra]) == 0
    mails = sorted(out.glob('*.patch'))
    done = _dry_run(series_tree, mails, home)
    assert done.returncode == 0, done.stderr
    assert 'do not declare a Content-Transfer-Encoding' not in done.stdout
    sent = _sent(done.stdout)
    assert len(sent) == len(mails) == done.stdout.count('Result: OK')
    index = load(series_tree)
    everyone: set[tuple[str, str]] = set()
    for mail, (rcpt, headers) in zip(mails[1:], sent[1:]):
        data = mail.read_bytes()
        ours = index.route_patch(data, TreeFiles(series_tree))
        tie = get_maintainer.has_tie(index, index.read_patch(data).files)
        theirs, _ = get_maintainer.route_like(script, series_tree, home, ['--no-tree', str(mail)], ours, tie)
        want_to = people(theirs.to) + [('J\u00fcrgen Gro\u00df', 'jgross@example.org')]
        assert headers == {'To': want_to, 'Cc': people(theirs.cc)}, mail.name
        assert rcpt == {a for _, a in want_to + people(theirs.cc)}, mail.name
        everyone |= rcpt
    assert sent[0][0] == everyone   # the cover letter
