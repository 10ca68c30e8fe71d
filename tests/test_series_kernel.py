"""series on Debian's real linux-source-6.12: git am, checkpatch and get_maintainer.pl as oracles."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from codemod.cli import main
from tests.gitrepo import git
from tests.gitrepo import GIT_ENV

pytestmark = pytest.mark.kernel

FROM = 'Ada Example <ada@example.org>'
DATE = '2026-11-22T10:00:00+00:00'


@pytest.fixture
def repo(linux_612_repo: Path) -> Path:
    return linux_612_repo


def _series(repo: Path, out: Path, *extra: str) -> list[Path]:
    assert main(['series', '--tree', str(repo), '-o', str(out), '--from', FROM, '--date', DATE, *extra]) == 0
    return sorted(out.glob('*.patch'))


def _checkpatch(linux_612: Path, patch: Path) -> list[str]:
    res = subprocess.run(
        ['perl', 'scripts/checkpatch.pl', '--strict', '--show-types', '--terse', str(patch)],
        cwd=linux_612, capture_output=True, text=True,
    )
    return re.findall(r': (?:ERROR|WARNING|CHECK):([A-Z_]+):', res.stdout)


def test_series_applies_and_equals_annotate_plus_macro_patch(repo, tmp_path, capsys):
    patches = _series(repo, tmp_path / 'out')
    names = [p.name for p in patches]
    assert names[0] == '0000-cover-letter.patch'
    assert names[1] == '0001-rust-helpers-define-__rust_helper.patch'
    # No 6.12 MAINTAINERS section lists a helper file: one group per file.
    assert len(names) == 1 + 1 + 17
    assert '0003-rust-bug-add-__rust_helper-to-helpers.patch' in names
    cover = patches[0].read_text()
    assert 'Subject: [PATCH 00/18] Allow inlining C helpers into Rust when using LTO' in cover
    assert f'base-commit: {git(repo, "rev-parse", "HEAD").strip()}' in cover
    assert re.search(r'^change-id: 20261122-allow-inlining-c-helpers-[0-9a-f]{12}$', cover, re.M)

    # Apply the whole series exactly (git am does no fuzz).
    reference = tmp_path / 'reference'
    subprocess.run(['git', 'clone', '-q', str(repo), str(reference)], check=True, env=GIT_ENV)
    git(repo, 'am', *[str(p) for p in patches[1:]])
    assert len(git(repo, 'log', '--format=%s').splitlines()) == 19

    # The same tree: the macro patch, then annotate in place.
    git(reference, 'am', str(patches[1]))
    (reference / 'scripts').symlink_to(repo / 'scripts')
    assert main(['annotate', '--tree', str(reference)]) == 1
    (reference / 'scripts').unlink()
    git(reference, 'add', '-A')
    git(reference, 'commit', '-qm', 'annotate')
    capsys.readouterr()
    assert git(repo, 'rev-parse', 'HEAD^{tree}') == git(reference, 'rev-parse', 'HEAD^{tree}')


@pytest.mark.parametrize(
    ('macro_in', 'allowed_in_macro_patch'),
    (
        # A new file always makes checkpatch ask whether MAINTAINERS needs
        # updating; it does not: RUST's `F: rust/` covers rust/helpers/helpers.h.
        pytest.param('helpers.h', ['FILE_PATH_CHANGES'], id='helpers.h'),
        pytest.param('helpers.c', [], id='helpers.c'),
    ),
)
def test_every_patch_passes_checkpatch_strict(repo, linux_612, tmp_path, macro_in, allowed_in_macro_patch):
    patches = _series(repo, tmp_path / 'out', '--macro-in', macro_in)
    found = {p.name: _checkpatch(linux_612, p) for p in patches}
    expected = {p.name: [] for p in patches}
    expected['0001-rust-helpers-define-__rust_helper.patch'] = allowed_in_macro_patch
    expected['0003-rust-bug-add-__rust_helper-to-helpers.patch'] = ['AVOID_BUG']
    assert found == expected


# Routing against get_maintainer.pl run on each mail: tests/test_routing_kernel.py.
