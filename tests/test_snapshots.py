"""plumbing/snapshots.py and mail/diff.py's render(): git's own diffs of
bytes that are not commits, byte for byte what git prints for commits."""
from __future__ import annotations

from pathlib import Path

import pytest

from codemod.mail.diff import FileChange
from codemod.mail.diff import render
from codemod.plumbing import snapshots
from codemod.plumbing.snapshots import Entry
from tests.test_patch import HELPERS_C
from tests.test_patch import KERNEL_ATTRIBUTES
from tests.test_patch import Repo


def _commit_pair(repo: Repo, before: dict[str, bytes], after: dict[str, bytes]) -> bytes:
    repo.set_tree(before)
    repo.commit('before\n')
    repo.set_tree(after)
    repo.commit('after\n')
    return repo.git('diff-tree', '-p', '-M', '--full-index', 'HEAD~1', 'HEAD')


def test_many_pairs_in_one_call_match_commits(tmp_path: Path) -> None:
    cases = [
        ({'a.c': b'one\n'}, {'a.c': b'two\n'}),
        ({}, {'new/file.c': HELPERS_C}),
        ({'gone.c': HELPERS_C}, {}),
        ({'old/name.c': HELPERS_C}, {'new/name.c': HELPERS_C}),
        ({'x.c': b'same\n', 'y.c': b'1\n'}, {'x.c': b'same\n', 'y.c': b'2\n', 'z.c': b'3\n'}),
        ({'same.c': b'x\n'}, {'same.c': b'x\n'}),
    ]
    pairs = [([Entry(p, '100644', d) for p, d in before.items()], [Entry(p, '100644', d) for p, d in after.items()])
             for before, after in cases]
    ours = snapshots.diffs(pairs)
    for n, ((before, after), got) in enumerate(zip(cases, ours)):
        expected = _commit_pair(Repo(tmp_path / f'repo{n}'), before, after)
        assert got == expected, (before, after)
    assert ours[-1] == b''


def test_modes_and_awkward_paths(tmp_path: Path) -> None:
    before = [Entry('run.sh', '100644', b'echo\n'), Entry('"quoted".c', '100644', b'a\n')]
    after = [Entry('run.sh', '100755', b'echo\n'), Entry('"quoted".c', '100644', b'b\n'),
             Entry('tab\there.c', '100644', b'c\n')]
    repo = Repo(tmp_path / 'repo')
    repo.set_tree({e.path: (e.data, e.mode) for e in before})
    repo.commit('before\n')
    repo.set_tree({e.path: (e.data, e.mode) for e in after})
    repo.commit('after\n')
    expected = repo.git('diff-tree', '-p', '-M', '--full-index', 'HEAD~1', 'HEAD')
    assert snapshots.diffs([(before, after)]) == [expected]


def test_the_users_git_config_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / 'gitconfig'
    config.write_text('[diff]\n\tnoprefix = true\n\tmnemonicPrefix = true\n\talgorithm = patience\n'
                      '[core]\n\tquotePath = false\n')
    pair = ([Entry('caf\u00e9.c', '100644', b'a\n')], [Entry('caf\u00e9.c', '100644', b'b\n')])
    plain = snapshots.diffs([pair])
    monkeypatch.setenv('GIT_CONFIG_GLOBAL', str(config))
    monkeypatch.setenv('HOME', str(tmp_path))
    assert snapshots.diffs([pair]) == plain
    assert plain[0].startswith(b'diff --git "a/caf\\303\\251.c" "b/caf\\303\\251.c"\n')


def test_attributes_pick_the_diff_driver() -> None:
    # A label is a heading by git's default rule, never by the cpp driver's.
    old = b'int f(void)\n{\nout:\n\tx();\n\ta();\n\tb();\n\tc();\n\td();\n}\n'
    new = old.replace(b'\td();', b'\te();')
    change = FileChange('f.c', 'f.c', old, new)
    default, = render([change])
    cpp, = render([change], KERNEL_ATTRIBUTES)
    assert b'@@ out:' in default.diff
    assert b'@@ int f(void)' in cpp.diff


def test_a_deletion_and_a_creation_stay_two_changes() -> None:
    """In one snapshot pair git would call them a rename (-M)."""
    gone = FileChange('old.c', 'old.c', HELPERS_C, None)
    born = FileChange('new.c', 'new.c', None, HELPERS_C)
    edit = FileChange('edit.c', 'edit.c', b'1\n', b'2\n')
    out = render([gone, edit, born])
    assert [c.path for c in out] == ['old.c', 'edit.c', 'new.c']
    assert b'deleted file mode 100644' in out[0].diff
    assert out[1].diff.startswith(b'diff --git a/edit.c b/edit.c\n')
    assert b'new file mode 100644' in out[2].diff


def test_nothing_to_render() -> None:
    assert render([]) == []
    assert snapshots.diffs([]) == []
