from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.gitrepo import git
from tests.kernel_source import KernelSourceUnavailable
from tests.kernel_source import linux_tree

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope='session')
def linux_612() -> Path:
    """The pristine linux-source-6.12 tree (read only: copy before editing)."""
    try:
        return linux_tree()
    except KernelSourceUnavailable as e:
        pytest.fail(f'real kernel tree unavailable: {e}', pytrace=False)


@pytest.fixture
def linux_612_copy(linux_612: Path, tmp_path: Path) -> Path:
    """A writable copy of the parts of 6.12 that the helper tools touch."""
    dst = tmp_path / 'linux'
    dst.mkdir()
    for rel in ('rust', 'MAINTAINERS', '.clang-format'):
        src = linux_612 / rel
        if src.is_dir():
            shutil.copytree(src, dst / rel, symlinks=True)
        else:
            shutil.copy2(src, dst / rel)
    (dst / 'scripts').symlink_to(linux_612 / 'scripts')
    return dst


@pytest.fixture
def linux_612_repo(linux_612_copy: Path) -> Path:
    """linux_612_copy as a git repository with one commit of those parts."""
    git(linux_612_copy, 'init', '-q')
    git(linux_612_copy, 'add', 'rust', 'MAINTAINERS', '.clang-format')
    git(linux_612_copy, 'commit', '-qm', 'base')
    return linux_612_copy


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        '--update', action='store_true',
        help='rewrite tests/fixtures/*/expected.c from the current output (review them by eye!)',
    )


@pytest.fixture
def update_fixtures(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption('--update'))
