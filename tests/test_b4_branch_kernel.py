"""series --b4-branch on Debian's real linux-source-6.12, with b4 0.16 (the
test extra pins it) as the client: `b4 prep --show-info`, `b4 prep
--auto-to-cc` (which runs the tree's get_maintainer.pl) and `b4 send -o`
must take the branch for one of their own, and what b4 would send must be
our series folder: the same subjects, bodies and diffs, the same change-id."""
from __future__ import annotations

import email.policy
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from codemod.cli import main
from codemod.mail import b4prep
from tests.gitrepo import isolated_git  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.kernel, pytest.mark.usefixtures('isolated_git')]

FROM_NAME, FROM_EMAIL = 'Ada Example', 'ada@example.org'
FROM = f'{FROM_NAME} <{FROM_EMAIL}>'
DATE = '2026-11-22T10:00:00+00:00'
BRANCH = 'b4/rust-helpers'
# What get_maintainer.pl checks to believe it runs at the top of a kernel tree.
KERNEL_TOP = ('COPYING', 'CREDITS', 'Kbuild', 'Makefile', 'README', 'Documentation', 'arch', 'include',
              'drivers', 'fs', 'init', 'ipc', 'kernel', 'lib')


def _b4() -> Path:
    b4 = Path(sys.executable).parent / 'b4'
    if not b4.exists():
        pytest.fail(f'b4 is not installed next to {sys.executable}: pip install -e ".[test]"', pytrace=False)
    return b4


@pytest.fixture
def repo(linux_612: Path, linux_612_repo: Path, tmp_path: Path) -> Path:
    """The 6.12 repo, configured as a kernel developer's (abbrev 12) who has
    not set up patatt; the rest of the kernel's top linked in, untracked,
    so that get_maintainer.pl runs there."""
    for name in KERNEL_TOP:
        (linux_612_repo / name).symlink_to(linux_612 / name)
    for key, value in (('user.name', FROM_NAME), ('user.email', FROM_EMAIL), ('core.abbrev', '12'),
                       ('b4.send-no-patatt-sign', 'yes')):
        _git(linux_612_repo, 'config', key, value)
    return linux_612_repo


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(('GIT_', 'XDG_'))}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / '.config'), XDG_CACHE_HOME=str(home / '.cache'),
               XDG_DATA_HOME=str(home / '.local' / 'share'), GIT_CONFIG_NOSYSTEM='1',
               GIT_CONFIG_GLOBAL=os.devnull, LC_ALL='C')
    return env


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(['git', '--no-pager', *args], cwd=repo, check=True, capture_output=True,
                          text=True, env=_env(repo.parent / 'home')).stdout


def _run_b4(repo: Path, *args: str) -> str:
    home = repo.parent / 'home'
    home.mkdir(exist_ok=True)
    done = subprocess.run([str(_b4()), *args], cwd=repo, capture_output=True, text=True, env=_env(home))
    assert done.returncode == 0, f'b4 {" ".join(args)}: {done.stdout}{done.stderr}'
    return done.stdout + done.stderr


def _read(path: Path) -> email.message.EmailMessage:
    return email.message_from_bytes(path.read_bytes(), policy=email.policy.default)


def _text(msg: email.message.EmailMessage) -> str:
    return msg.get_content().replace('\r\n', '\n')


def _subject(msg: email.message.EmailMessage) -> str:
    return ' '.join(str(msg['Subject']).split())


def _patch_parts(text: str) -> tuple[str, str]:
    """(commit message, diff without the signature) of a patch mail's body.
    (b4 puts a blank line before its signature, format-patch does not.)"""
    message = text.split('\n---\n', 1)[0]
    diff = text[text.index('\ndiff --git ') + 1:]
    return message, diff.rsplit('\n-- \n', 1)[0].rstrip('\n') + '\n'


_SHORTLOG = re.compile(rf'^{FROM_NAME} \(\d+\):$', re.M)


def _cover_text(text: str) -> str:
    """A cover letter's own text: what comes before the shortlog (b4 puts a
    `---` line before it, format-patch does not)."""
    return _SHORTLOG.split(text, 1)[0].rstrip().removesuffix('\n---').rstrip()


def _show_info(repo: Path) -> dict[str, str]:
    out = _run_b4(repo, 'prep', '--show-info')
    return dict(line.split(': ', 1) for line in out.splitlines() if ': ' in line)


def test_b4_takes_the_branch_and_sends_our_series(repo: Path, tmp_path: Path, capsys) -> None:
    head = _git(repo, 'rev-parse', 'HEAD').strip()
    index = (repo / '.git' / 'index').read_bytes()
    status = _git(repo, 'status', '--porcelain', '--untracked-files=all')
    out = tmp_path / 'series'
    assert main(['series', '--tree', str(repo), '-o', str(out), '--from', FROM, '--date', DATE,
                 '--b4-branch', BRANCH]) == 0
    assert f'created branch {BRANCH}: a cover commit and 18 patches on {head[:12]}' in capsys.readouterr().err

    # Neither the work tree, nor the index, nor HEAD moved.
    assert _git(repo, 'rev-parse', 'HEAD').strip() == head
    assert _git(repo, 'symbolic-ref', 'HEAD').strip() == 'refs/heads/master'
    assert (repo / '.git' / 'index').read_bytes() == index
    assert _git(repo, 'status', '--porcelain', '--untracked-files=all') == status

    # One commit per patch on an empty cover commit, as b4 prep keeps it.
    commits = _git(repo, 'rev-list', '--reverse', f'{head}..{BRANCH}').split()
    assert len(commits) == 19
    assert _git(repo, 'rev-parse', f'{commits[0]}^{{tree}}') == _git(repo, 'rev-parse', 'HEAD^{tree}')
    assert _git(repo, 'config', f'branch.{BRANCH}.b4-prep-cover-strategy').strip() == 'commit'
    ours = sorted(out.glob('*.patch'))
    change_id = re.search(r'^change-id: (\S+)$', ours[0].read_text(), re.M).group(1)
    tracking = b4prep.read_tracking(_git(repo, 'show', '-s', '--format=%B', commits[0]))
    assert tracking == {'series': {'revision': 1, 'change-id': change_id, 'prefixes': [], 'presubject': ''}}

    _git(repo, 'checkout', '-q', BRANCH)
    info = _show_info(repo)
    assert info['change-id'] == change_id
    assert info['revision'] == '1'
    assert info['cover-strategy'] == 'commit'
    assert info['base-commit'] == head
    assert info['cover-subject'] == 'Allow inlining C helpers into Rust when using LTO'
    assert info['needs-auto-to-cc'] == 'True'

    _run_b4(repo, 'prep', '--auto-to-cc')
    cover_message = _git(repo, 'show', '-s', '--format=%B', f'{BRANCH}~18')
    assert 'To: Miguel Ojeda <ojeda@kernel.org>' in cover_message
    assert 'Cc: rust-for-linux@vger.kernel.org' in cover_message
    assert _show_info(repo)['needs-auto-to-cc'] == 'False'

    sent = tmp_path / 'b4-send'
    _run_b4(repo, 'send', '-o', str(sent))
    theirs = sorted(sent.glob('*.eml'))
    assert len(theirs) == len(ours) == 19
    assert [_subject(_read(p)) for p in theirs] == [_subject(_read(p)) for p in ours]
    assert _read(theirs[0])['X-Change-ID'] == change_id
    assert f'change-id: {change_id}\n' in _text(_read(theirs[0]))
    assert _cover_text(_text(_read(theirs[0]))) == _cover_text(_text(_read(ours[0])))
    for mine, b4s in zip(ours[1:], theirs[1:]):
        assert _patch_parts(_text(_read(b4s))) == _patch_parts(_text(_read(mine))), mine.name


def test_the_branch_is_refused_where_it_would_be_wrong(repo: Path, tmp_path: Path, capsys) -> None:
    def fails(message: str, *extra: str) -> None:
        out = tmp_path / 'out'
        assert main(['series', '--tree', str(repo), '-o', str(out), '--from', FROM, *extra]) == 2
        err = capsys.readouterr().err
        assert message in err and err.count('\n') == 1, err
        assert not out.exists()

    fails("--b4-branch: error: not a valid branch name: 'a..b'", '--b4-branch', 'a..b')
    _git(repo, 'branch', 'taken')
    fails('--b4-branch: error: branch taken exists already', '--b4-branch', 'taken')
    with open(repo / 'rust/helpers/mutex.c', 'a') as f:
        f.write('\n')
    fails('rust/helpers/mutex.c: error: differs from HEAD: commit or stash the change first',
          '--b4-branch', 'new')
    assert 'new' not in _git(repo, 'branch', '--list')
