"""Every command works from any directory inside the tree, as git does:
the top is the nearest directory, the working one or a parent, with
rust/helpers/ (with MAINTAINERS for split); PATH arguments and output
folders are relative to the working directory."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from codemod.cli import main
from codemod.kernel import tree as kernel_tree
from codemod.plumbing.errors import PathError
from tests.gitrepo import git
from tests.test_check_patch import repo  # noqa: F401 (a fixture)
from tests.test_series import FROM

DATE = '2026-11-22T10:00:00+00:00'


@pytest.fixture
def example(repo: Path) -> Path:
    """examples/linux-mini in a git repository of its own."""
    return repo


def run(capsys, *argv: str) -> tuple[int, str, str]:
    rc = main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


@pytest.mark.parametrize('where', ['rust/helpers', 'rust/helpers/net', 'rust', 'scripts/atomic'])
def test_find_tree_walks_up_to_the_top(example, where):
    assert kernel_tree.find_tree(example / where) == str(example.resolve())


def test_find_tree_from_the_working_directory(example, monkeypatch):
    monkeypatch.chdir(example / 'rust' / 'helpers' / 'net')
    assert kernel_tree.find_tree(None) == str(example.resolve())


def test_outside_any_tree_is_an_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(PathError, match='not a kernel tree with Rust helpers .*here or in a parent'):
        kernel_tree.find_tree(None)


def test_check_and_scan_from_rust_helpers(example, capsys, monkeypatch):
    top = run(capsys, 'check', '--tree', str(example))
    top_scan = run(capsys, 'scan', '--json', '--tree', str(example))
    monkeypatch.chdir(example / 'rust' / 'helpers')
    assert run(capsys, 'check') == top
    assert top[0] == 1 and 'rust/helpers/mutex.c:' in top[1]
    assert run(capsys, 'scan', '--json') == top_scan
    assert json.loads(top_scan[1])


def test_paths_are_relative_to_the_working_directory(example, capsys, monkeypatch):
    monkeypatch.chdir(example / 'rust' / 'helpers')
    rc, out, _ = run(capsys, 'check', 'mutex.c')
    assert rc == 1
    assert {line.split(':')[0] for line in out.splitlines()} == {'rust/helpers/mutex.c'}
    monkeypatch.chdir(example / 'rust' / 'helpers' / 'net')
    rc, out, _ = run(capsys, 'check', '../mutex.c', 'frob.c')
    assert {line.split(':')[0] for line in out.splitlines()} == {'rust/helpers/mutex.c', 'rust/helpers/net/frob.c'}


def test_annotate_from_a_subdirectory(example, capsys, monkeypatch):
    monkeypatch.chdir(example / 'rust' / 'helpers')
    rc, diff, _ = run(capsys, 'annotate', '--dry-run', 'mutex.c')
    assert rc == 1 and 'diff --git a/rust/helpers/mutex.c b/rust/helpers/mutex.c' in diff
    assert run(capsys, 'annotate', 'mutex.c')[0] == 1
    assert '+__rust_helper' not in git(example, 'diff', '--', 'rust/helpers/spinlock.c')
    assert '__rust_helper' in (example / 'rust' / 'helpers' / 'mutex.c').read_text()
    assert run(capsys, 'check', 'mutex.c')[0] == 0


def test_series_from_a_subdirectory(example, capsys, monkeypatch, tmp_path):
    reference = tmp_path / 'reference'
    assert main(['series', '--tree', str(example), '-o', str(reference), '--from', FROM, '--date', DATE]) == 0
    monkeypatch.chdir(example / 'rust' / 'helpers')
    assert main(['series', '-o', 'out', '--from', FROM, '--date', DATE]) == 0
    out = example / 'rust' / 'helpers' / 'out'   # like git format-patch: -o is relative to the cwd
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in reference.iterdir())
    for p in reference.iterdir():
        assert (out / p.name).read_bytes() == p.read_bytes(), p.name


def test_split_from_a_subdirectory(example, capsys, monkeypatch, tmp_path):
    assert main(['annotate', '--tree', str(example)]) == 1
    git(example, 'commit', '-qam', 'rust: helpers: add __rust_helper')
    reference = tmp_path / 'reference'
    assert main(['split', 'HEAD', '--tree', str(example), '-o', str(reference), '--from', FROM,
                 '--date', DATE]) == 0
    (tmp_path / 'change.patch').write_bytes(git(example, 'format-patch', '-1', '--stdout').encode())
    monkeypatch.chdir(example / 'rust' / 'helpers' / 'net')
    for source in ('HEAD', '../../../../change.patch'):
        out = tmp_path / f'out-{source[-5:]}'
        assert main(['split', source, '-o', str(out), '--from', FROM, '--date', DATE]) == 0
        names = sorted(p.name for p in out.iterdir())
        assert names == sorted(p.name for p in reference.iterdir())
        if source == 'HEAD':
            for name in names:
                assert (out / name).read_bytes() == (reference / name).read_bytes(), name
    capsys.readouterr()


def test_check_patch_from_a_subdirectory(example, capsys, monkeypatch, tmp_path):
    diff = subprocess.run(['git', 'diff', '--no-index', '/dev/null', 'rust/helpers/blk.c'], cwd=example,
                          capture_output=True, text=True).stdout
    (tmp_path / 'new.diff').write_text(diff.replace('b/rust/helpers/blk.c', 'b/rust/helpers/blk2.c'))
    top = run(capsys, 'check', '--patch', str(tmp_path / 'new.diff'), '--tree', str(example))
    monkeypatch.chdir(example / 'rust' / 'helpers')
    assert run(capsys, 'check', '--patch', str(tmp_path / 'new.diff')) == top
    # The tree is found: helpers.c, read from it, does not include the new file.
    assert top[0] == 1 and 'helper-not-included' in top[1]
