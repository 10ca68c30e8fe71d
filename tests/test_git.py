"""codemod.plumbing.git on throwaway repositories."""
from __future__ import annotations

from datetime import datetime
from datetime import timedelta
from datetime import timezone
from pathlib import Path

import pytest

from codemod.plumbing import git
from tests.gitrepo import isolated_git  # noqa: F401 (a fixture)
from tests.test_patch import AUTHOR
from tests.test_patch import Repo


pytestmark = pytest.mark.usefixtures('isolated_git')


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    repo = Repo(tmp_path / 'repo')
    repo.set_tree({'a.c': b'int a;\n', 'dir/b.c': b'int b;\n'})
    repo.commit('first: add files\n')
    repo.set_tree({'a.c': b'int a;\nint c;\n', 'dir/b.c': b'int b;\n'})
    repo.commit('second: touch a.c\n\nWith a body.\n', ('J\u00e9r\u00f4me', 'j@example.com'),
                '1112911993 +0530')
    repo.set_tree({'a.c': b'int a;\nint c;\n', 'dir/b.c': (b'int b;\nint d;\n', '100755')})
    repo.commit('third: touch dir/b.c\n')
    return repo


def test_run_returns_stdout_bytes(repo: Repo) -> None:
    assert git.run(['cat-file', '-p', 'HEAD:a.c'], repo.path) == b'int a;\nint c;\n'
    assert git.run(['hash-object', '--stdin'], repo.path, input=b'x') == repo.git(
        'hash-object', '--stdin', input=b'x')


def test_git_error_is_one_line_with_command_and_stderr(repo: Repo) -> None:
    with pytest.raises(git.GitError) as info:
        git.run(['rev-parse', '--verify', 'no-such-ref'], repo.path)
    message = str(info.value)
    assert '\n' not in message
    assert 'git rev-parse --verify no-such-ref' in message
    assert 'fatal: Needed a single revision' in message  # LC_ALL=C: untranslated
    assert info.value.returncode == 128
    assert git.run(['rev-parse', '--verify', 'no-such-ref'], repo.path, check=False) == b''


def test_no_color_even_when_configured(repo: Repo) -> None:
    repo.git('config', 'color.ui', 'always')
    assert b'\x1b' not in git.run(['log', '-p', '-1'], repo.path)


def test_repository_queries(repo: Repo, tmp_path: Path) -> None:
    plain = tmp_path / 'plain'
    plain.mkdir()
    assert git.is_repo(repo.path) and git.is_repo(repo.path / 'dir')
    assert not git.is_repo(plain) and not git.is_repo(tmp_path / 'missing')
    assert git.toplevel(repo.path / 'dir') == repo.path
    assert git.toplevel(plain) is None
    assert git.head(repo.path) == repo.git('rev-parse', 'HEAD').decode().strip()
    assert git.rev_parse(repo.path, 'HEAD~2') == repo.git('rev-parse', 'HEAD~2').decode().strip()
    assert git.rev_parse(repo.path, 'nope') is None
    assert git.version() == repo.git('--version').decode().split()[-1]


def test_head_without_commits(tmp_path: Path) -> None:
    empty = Repo(tmp_path / 'empty')
    assert git.head(empty.path) is None


def test_config_and_ident(repo: Repo, tmp_path: Path) -> None:
    assert git.config(repo.path, 'user.name') == AUTHOR[0]
    assert git.config(repo.path, 'no.such-key') is None
    assert git.ident(repo.path) == AUTHOR
    anonymous = tmp_path / 'anon'
    git.run(['init', '-q', str(anonymous)], tmp_path)
    assert git.ident(anonymous) is None


def test_ignores_git_dir_from_the_environment(repo: Repo, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    other = Repo(tmp_path / 'other')
    monkeypatch.setenv('GIT_DIR', str(other.path / '.git'))
    assert git.head(repo.path) is not None


def test_log_subjects(repo: Repo) -> None:
    assert git.log_subjects(repo.path, [], 10) == ['third: touch dir/b.c', 'second: touch a.c',
                                                   'first: add files']
    assert git.log_subjects(repo.path, ['a.c'], 10) == ['second: touch a.c', 'first: add files']
    assert git.log_subjects(repo.path, ['a.c'], 1) == ['second: touch a.c']


def test_show_commit_is_an_mbox_git_am_applies(repo: Repo) -> None:
    mbox = git.show_commit(repo.path, 'HEAD~1')
    assert mbox.startswith(b'From ' + repo.git('rev-parse', 'HEAD~1').strip() + b' Mon Sep 17 00:00:00 2001\n')
    assert b'Subject: [PATCH] second: touch a.c\n' in mbox
    assert b'\n-- \n' not in mbox
    repo.git('checkout', '-q', '--detach', 'HEAD~2')
    repo.git('am', '-q', input=mbox)
    assert repo.git('show', 'HEAD:a.c') == b'int a;\nint c;\n'


def test_commit_info(repo: Repo) -> None:
    info = git.commit_info(repo.path, 'HEAD~1')
    assert info.sha == repo.git('rev-parse', 'HEAD~1').decode().strip()
    assert info.parents == (repo.git('rev-parse', 'HEAD~2').decode().strip(),)
    assert info.author == ('J\u00e9r\u00f4me', 'j@example.com')
    assert info.author_date == datetime(2005, 4, 8, 3, 43, 13, tzinfo=timezone(timedelta(hours=5, minutes=30)))
    assert info.author_date.utcoffset() == timedelta(hours=5, minutes=30)
    assert info.message == 'second: touch a.c\n\nWith a body.\n'  # as stored
    assert git.commit_info(repo.path, 'HEAD~2').parents == ()


def test_changed_paths_and_read_file(repo: Repo) -> None:
    assert git.changed_paths(repo.path, 'HEAD') == ['dir/b.c']
    assert git.changed_paths(repo.path, 'HEAD~2') == ['a.c', 'dir/b.c']
    assert git.read_file(repo.path, 'HEAD', 'dir/b.c') == (b'int b;\nint d;\n', '100755')
    assert git.read_file(repo.path / 'dir', 'HEAD~1', 'dir/b.c') == (b'int b;\n', '100644')
    assert git.read_file(repo.path, 'HEAD', 'missing.c') is None
    assert git.read_file(repo.path, 'HEAD', 'dir') is None


def test_dirty_paths(repo: Repo) -> None:
    assert git.dirty_paths(repo.path) == []
    (repo.path / 'a.c').write_bytes(b'changed\n')
    (repo.path / 'untracked.c').write_bytes(b'x\n')
    repo.git('mv', 'dir/b.c', 'dir/renamed.c')
    assert sorted(git.dirty_paths(repo.path)) == ['a.c', 'dir/renamed.c']
