"""git in tests: throwaway repositories that never see the user's config."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

GIT_ENV = {
    'GIT_AUTHOR_NAME': 'T', 'GIT_AUTHOR_EMAIL': 't@example.org',
    'GIT_COMMITTER_NAME': 'T', 'GIT_COMMITTER_EMAIL': 't@example.org',
    'GIT_CONFIG_NOSYSTEM': '1', 'GIT_CONFIG_GLOBAL': os.devnull, 'HOME': '/nonexistent',
    'LC_ALL': 'C', 'PATH': os.environ.get('PATH', '/usr/bin:/bin'),
}


def git(root: Path, *args: str, env: dict[str, str] = GIT_ENV) -> str:
    return subprocess.run(['git', '--no-pager', *args], cwd=root, env=env, check=True,
                          capture_output=True, text=True).stdout


@pytest.fixture
def isolated_git(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """codemod.plumbing.git inherits the environment: keep the user's config out.

    Import it into a test module with `autouse` semantics by requesting it,
    or use `pytestmark = pytest.mark.usefixtures('isolated_git')`.
    """
    for key in list(os.environ):
        if key.startswith('GIT_'):
            monkeypatch.delenv(key)
    monkeypatch.setenv('HOME', str(tmp_path))
    monkeypatch.setenv('GIT_CONFIG_NOSYSTEM', '1')
    monkeypatch.setenv('GIT_CONFIG_GLOBAL', os.devnull)
    monkeypatch.setenv('GIT_CEILING_DIRECTORIES', str(tmp_path))
