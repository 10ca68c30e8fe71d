"""series on the bundled example tree: golden files, grouping, re-rolls, bad input."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from codemod.cli import main
from tests.gitrepo import git

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / 'examples' / 'linux-mini'
GOLDEN = REPO / 'tests' / 'golden' / 'linux-mini'
FROM = 'Ada Example <ada@example.org>'
DATE = '2026-11-22T10:00:00+00:00'


def series(tree: Path, out: Path, *extra: str) -> int:
    return main(['series', '--tree', str(tree), '-o', str(out), '--from', FROM, '--date', DATE, *extra])


@pytest.fixture
def example(tmp_path: Path) -> Path:
    dst = tmp_path / 'linux-mini'
    shutil.copytree(EXAMPLE, dst)
    return dst


def test_golden_series_for_the_example(tmp_path, update_fixtures, capsys):
    out = tmp_path / 'out'
    assert series(EXAMPLE, out) == 0
    produced = {p.name: p.read_bytes() for p in sorted(out.glob('*.patch'))}
    if update_fixtures:
        shutil.rmtree(GOLDEN, ignore_errors=True)
        GOLDEN.mkdir(parents=True)
        for name, data in produced.items():
            (GOLDEN / name).write_bytes(data)
    expected = {p.name: p.read_bytes() for p in sorted(GOLDEN.iterdir())}
    assert list(produced) == list(expected)
    for name in expected:
        assert produced[name].decode() == expected[name].decode(), name


def _subjects(out: Path) -> list[str]:
    return [re.search(r'^Subject: (.*)$', p.read_text(), re.M).group(1) for p in sorted(out.glob('*.patch'))]


def test_grouping_on_our_maintainers(tmp_path, capsys):
    """The tag heuristic on examples/linux-mini/MAINTAINERS:
    blk.c's section lists rust/kernel/block/ -> block; mutex.c and
    spinlock.c share the locking section with rust/kernel/sync/lock.rs ->
    sync, and sync.c (only the RUST section) joins them by its stem;
    net/frob.c -> net; files in sections without a Rust module keep their
    stem; the generated atomic_frob.c is left out."""
    assert series(EXAMPLE, tmp_path / 'out') == 0
    assert _subjects(tmp_path / 'out') == [
        '[PATCH 0/7] Allow inlining C helpers into Rust when using LTO',
        '[PATCH 1/7] rust: helpers: define __rust_helper',
        '[PATCH 2/7] rust: block: add __rust_helper to helpers',
        '[PATCH 3/7] rust: err: add __rust_helper to helpers',
        '[PATCH 4/7] rust: frob_table: add __rust_helper to helpers',
        '[PATCH 5/7] rust: net: add __rust_helper to helpers',
        '[PATCH 6/7] rust: slab: add __rust_helper to helpers',
        '[PATCH 7/7] rust: sync: add __rust_helper to helpers',
    ]
    sync = (tmp_path / 'out' / '0007-rust-sync-add-__rust_helper-to-helpers.patch').read_text()
    assert re.findall(r'^diff --git a/(\S+)', sync, re.M) == [
        'rust/helpers/mutex.c', 'rust/helpers/spinlock.c', 'rust/helpers/sync.c',
    ]
    cover = (tmp_path / 'out' / '0000-cover-letter.patch').read_text()
    assert 'rust/helpers/atomic_frob.c lacks __rust_helper on 2 helpers: change scripts/atomic/gen-rust-frob.sh' in cover


def test_group_by_file_and_manual_groups(tmp_path, capsys):
    assert series(EXAMPLE, tmp_path / 'a', '--group-by', 'file') == 0
    assert '[PATCH 8/9] rust: spinlock: add __rust_helper to helpers' in _subjects(tmp_path / 'a')
    groups = tmp_path / 'groups.toml'
    groups.write_text('locking = ["mutex.c", "spinlock.c"]\n')
    assert series(EXAMPLE, tmp_path / 'b', '--groups', str(groups)) == 0
    subjects = _subjects(tmp_path / 'b')
    assert '[PATCH 5/8] rust: locking: add __rust_helper to helpers' in subjects
    assert '[PATCH 8/8] rust: sync: add __rust_helper to helpers' in subjects   # sync.c alone now


def test_extra_recipients_and_macro_in_helpers_c(tmp_path, capsys):
    assert series(EXAMPLE, tmp_path / 'out', '--to', 'Extra Person <extra@example.org>',
                  '--cc', 'extra-list@example.org', '--macro-in', 'helpers.c', '--title', 'My title') == 0
    cover = (tmp_path / 'out' / '0000-cover-letter.patch').read_text()
    assert 'Subject: [PATCH 0/7] My title' in cover
    first = (tmp_path / 'out' / '0001-rust-helpers-define-__rust_helper.patch').read_text()
    assert 'Extra Person <extra@example.org>' in first.split('\n\n', 1)[0]
    assert 'extra-list@example.org' in first.split('\n\n', 1)[0]
    assert 'rust/helpers/helpers.h' not in first
    assert '+#define __rust_helper __always_inline' in first


def test_reroll_drops_applied_groups_and_picks_up_new_helpers(example, tmp_path, capsys):
    git(example, 'init', '-q')
    git(example, 'add', '-A')
    git(example, 'commit', '-qm', 'base')
    v1 = tmp_path / 'v1'
    assert series(example, v1) == 0
    v1_cover = (v1 / '0000-cover-letter.patch').read_text()
    # Maintainers take the macro patch and the block patch.
    git(example, 'am', str(v1 / '0001-rust-helpers-define-__rust_helper.patch'),
        str(v1 / '0002-rust-block-add-__rust_helper-to-helpers.patch'))
    # Someone adds a helper file since.
    (example / 'rust' / 'helpers' / 'zap.c').write_text(
        '// SPDX-License-Identifier: GPL-2.0\n\n#include <linux/zap.h>\n\n'
        'void rust_helper_zap(struct zap *z)\n{\n\tzap(z);\n}\n',
    )
    with open(example / 'rust' / 'helpers' / 'helpers.c', 'a') as f:
        f.write('#include "zap.c"\n')
    git(example, 'add', '-A')
    git(example, 'commit', '-qm', 'rust: zap: add a helper')

    v2 = tmp_path / 'v2'
    assert series(example, v2, '-v', '2', '--previous', str(v1)) == 0
    subjects = _subjects(v2)
    assert subjects[0] == '[PATCH v2 0/6] Allow inlining C helpers into Rust when using LTO'
    assert not any('define __rust_helper' in s or 'rust: block:' in s for s in subjects)
    assert '[PATCH v2 6/6] rust: zap: add __rust_helper to helpers' in subjects
    assert sorted(p.name for p in v2.glob('*.patch'))[:2] == [
        'v2-0000-cover-letter.patch', 'v2-0001-rust-err-add-__rust_helper-to-helpers.patch']
    cover = (v2 / 'v2-0000-cover-letter.patch').read_text()
    applied = git(example, 'log', '--format=%H %s').splitlines()
    macro_sha = next(line.split()[0] for line in applied if line.endswith('define __rust_helper'))
    block_sha = next(line.split()[0] for line in applied if 'rust: block:' in line)
    changes = cover.split('Changes in v2:\n', 1)[1].split('\n\n', 1)[0].splitlines()
    assert changes == [
        f'- Dropped "rust: helpers: define __rust_helper": merged (commit {macro_sha[:12]}).',
        f'- Dropped "rust: block: add __rust_helper to helpers": merged (commit {block_sha[:12]}).',
        '- New: "rust: zap: add __rust_helper to helpers".',
        f'- Rebased onto {git(example, "rev-parse", "HEAD")[:12]}.',
    ]
    change_id = re.search(r'^change-id: (\S+)$', v1_cover, re.M).group(1)
    assert f'change-id: {change_id}\n' in cover
    assert f'base-commit: {git(example, "rev-parse", "HEAD").strip()}\n' in cover


def _fails_cleanly(capsys, out: Path, argv: list[str], message: str) -> None:
    before = sorted(p.name for p in out.parent.iterdir())
    rc = main(argv)
    err = capsys.readouterr().err
    assert rc == 2, err
    assert message in err
    assert err.count('\n') == 1 and ': error: ' in err
    assert sorted(p.name for p in out.parent.iterdir()) == before   # no partial output


def test_no_maintainers(example, tmp_path, capsys):
    (example / 'MAINTAINERS').unlink()
    out = tmp_path / 'out'
    _fails_cleanly(capsys, out, ['series', '--tree', str(example), '-o', str(out), '--from', FROM],
                   'MAINTAINERS: error: no such file')


def test_malformed_maintainers_names_the_line(example, tmp_path, capsys):
    text = (example / 'MAINTAINERS').read_text().replace('S:\tOrphan\n', 'S:\tOrphan\nthis is not a tag line\n')
    (example / 'MAINTAINERS').write_text(text)
    line = text.splitlines().index('this is not a tag line') + 1
    out = tmp_path / 'out'
    _fails_cleanly(capsys, out, ['series', '--tree', str(example), '-o', str(out), '--from', FROM],
                   f'MAINTAINERS:{line}: error: ')


def test_no_identity_and_no_from(example, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv('HOME', str(tmp_path / 'home'))
    monkeypatch.setenv('GIT_CONFIG_NOSYSTEM', '1')
    monkeypatch.setenv('GIT_CONFIG_GLOBAL', str(tmp_path / 'no-gitconfig'))
    for var in ('GIT_AUTHOR_NAME', 'GIT_AUTHOR_EMAIL', 'EMAIL'):
        monkeypatch.delenv(var, raising=False)
    out = tmp_path / 'out'
    _fails_cleanly(capsys, out, ['series', '--tree', str(example), '-o', str(out)],
                   'error: no author: pass --from')


def test_bad_from(example, tmp_path, capsys):
    out = tmp_path / 'out'
    _fails_cleanly(capsys, out, ['series', '--tree', str(example), '-o', str(out), '--from', 'nobody'],
                   '--from: error: expected "Name <mail@example.org>"')


def test_output_folder_with_a_series_needs_force(tmp_path, capsys):
    out = tmp_path / 'out'
    assert series(EXAMPLE, out) == 0
    capsys.readouterr()
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    _fails_cleanly(capsys, out, ['series', '--tree', str(EXAMPLE), '-o', str(out), '--from', FROM],
                   "already holds a patch series (8 files named like this one's); use --force")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert series(EXAMPLE, out, '--force', '--group-by', 'file') == 0
    assert len(list(out.glob('*.patch'))) == 10   # our own 8 replaced: no mixed series


def test_force_never_deletes_patches_it_did_not_write(tmp_path, capsys):
    out = tmp_path / 'out'
    assert series(EXAMPLE, out) == 0
    (out / '0009-my-fix.patch').write_text('a patch of my own\n')
    cover = out / '0000-cover-letter.patch'
    capsys.readouterr()
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    _fails_cleanly(capsys, out, ['series', '--tree', str(EXAMPLE), '-o', str(out), '--from', FROM, '--force'],
                   '0009-my-fix.patch: not written by rust-helpers, or edited since')
    (out / '0009-my-fix.patch').unlink()
    cover.write_text(cover.read_text().replace('Allow inlining', 'My edited title: allow inlining'))
    _fails_cleanly(capsys, out, ['series', '--tree', str(EXAMPLE), '-o', str(out), '--from', FROM, '--force'],
                   '0000-cover-letter.patch: not written by rust-helpers, or edited since')
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.name != '0009-my-fix.patch'} == {
        n: d for n, d in before.items() if n not in ('0009-my-fix.patch', cover.name)} | {cover.name: cover.read_bytes()}


def test_a_reroll_into_the_previous_folder_keeps_the_previous_series(example, tmp_path, capsys):
    out = tmp_path / 'patches'
    assert series(example, out) == 0
    v1 = {p.name: p.read_bytes() for p in out.glob('*.patch')}
    # git's vN- names: the new one goes beside it.
    assert series(example, out, '--previous', str(out)) == 0
    assert {p.name: p.read_bytes() for p in out.glob('0*.patch')} == v1
    assert sorted(p.name for p in out.glob('v2-*.patch'))[0] == 'v2-0000-cover-letter.patch'
    v2 = {p.name: p.read_bytes() for p in out.glob('*.patch')}
    capsys.readouterr()
    # The same names as the previous series read: refused, even with --force.
    _fails_cleanly(capsys, out, ['series', '--tree', str(example), '-o', str(out), '--from', FROM,
                                 '--previous', str(out), '-v', '2', '--force'],
                   'holds the previous series that --previous reads')
    assert {p.name: p.read_bytes() for p in out.glob('*.patch')} == v2


def test_not_a_kernel_tree(tmp_path, capsys):
    out = tmp_path / 'out'
    _fails_cleanly(capsys, out, ['series', '--tree', str(tmp_path), '-o', str(out), '--from', FROM],
                   'not a kernel tree')


def test_nothing_to_send(example, tmp_path, capsys):
    out = tmp_path / 'out'
    assert main(['annotate', '--tree', str(example)]) == 1
    with open(example / 'rust' / 'helpers' / 'helpers.c', 'a') as f:
        f.write('#define __rust_helper __always_inline\n')
    assert series(example, out) == 0
    assert 'nothing to send' in capsys.readouterr().err
    assert not out.exists()


def _commit_all(tree: Path, message: str) -> None:
    git(tree, 'add', '-A')
    git(tree, 'commit', '-qm', message)


def test_v_n_names_files_as_git_format_patch_does(tmp_path, capsys):
    assert series(EXAMPLE, tmp_path / 'v3', '-v', '3') == 0
    names = sorted(p.name for p in (tmp_path / 'v3').glob('*.patch'))
    assert names[:2] == ['v3-0000-cover-letter.patch', 'v3-0001-rust-helpers-define-__rust_helper.patch']
    assert all(n.startswith('v3-') for n in names)
    assert _subjects(tmp_path / 'v3')[0] == '[PATCH v3 0/7] Allow inlining C helpers into Rust when using LTO'
    # Without --previous nothing is known about the changes: none are claimed.
    cover = (tmp_path / 'v3' / names[0]).read_text()
    assert 'Changes in' not in cover
    assert 'no "Changes in v3" without --previous' in capsys.readouterr().err


def test_reroll_from_a_series_named_the_git_v1_way(example, tmp_path, capsys):
    git(example, 'init', '-q')
    _commit_all(example, 'base')
    v1 = tmp_path / 'v1'
    assert series(example, v1, '-v', '1') == 0
    assert (v1 / 'v1-0000-cover-letter.patch').is_file()
    v1_id = re.search(r'^change-id: (\S+)$', (v1 / 'v1-0000-cover-letter.patch').read_text(), re.M).group(1)
    # The block helpers get annotated by hand, under a subject of their own.
    assert main(['annotate', '--tree', str(example), 'rust/helpers/blk.c']) == 1
    _commit_all(example, 'block: mark the helpers inline')

    v2 = tmp_path / 'v2'
    assert series(example, v2, '--previous', str(v1)) == 0   # no -v: the previous version + 1
    cover = (v2 / 'v2-0000-cover-letter.patch').read_text()
    assert f'change-id: {v1_id}\n' in cover
    changes = cover.split('Changes in v2:\n', 1)[1].split('\n\n', 1)[0].splitlines()
    assert changes == [
        '- Dropped "rust: block: add __rust_helper to helpers": its files need no changes any more.',
        f'- Rebased onto {git(example, "rev-parse", "HEAD")[:12]}.',
    ]
    assert 'Allow inlining' not in cover.split('Changes in v2:\n', 1)[1]   # the cover is no patch


def test_reroll_tells_regrouped_patches(example, tmp_path, capsys):
    v1 = tmp_path / 'v1'
    assert series(example, v1, '--group-by', 'file') == 0
    v2 = tmp_path / 'v2'
    assert series(example, v2, '-v', '2', '--previous', str(v1)) == 0
    changes = (v2 / 'v2-0000-cover-letter.patch').read_text().split('Changes in v2:\n', 1)[1]
    changes = changes.split('\n\n', 1)[0].splitlines()
    assert changes == [
        '- Renamed "rust: blk: add __rust_helper to helpers" to "rust: block: add __rust_helper to helpers".',
        '- Renamed "rust: frob: add __rust_helper to helpers" to "rust: net: add __rust_helper to helpers".',
        '- Regrouped "rust: mutex: add __rust_helper to helpers": rust/helpers/mutex.c is in '
        '"rust: sync: add __rust_helper to helpers".',
        '- Regrouped "rust: spinlock: add __rust_helper to helpers": rust/helpers/spinlock.c is in '
        '"rust: sync: add __rust_helper to helpers".',
        '- Changed "rust: sync: add __rust_helper to helpers" (now also rust/helpers/mutex.c, '
        'rust/helpers/spinlock.c).',
    ]


def test_cover_file_is_the_users_text(tmp_path, capsys):
    text = tmp_path / 'cover.txt'
    text.write_text('rust: inline the helpers\n\nMy own words about this series.\n\nA second paragraph.\n')
    assert series(EXAMPLE, tmp_path / 'out', '--cover', str(text)) == 0
    cover = (tmp_path / 'out' / '0000-cover-letter.patch').read_text()
    assert 'Subject: [PATCH 0/7] rust: inline the helpers\n' in cover
    body = cover.split('\n\n', 1)[1]
    assert body.startswith('My own words about this series.\n\nA second paragraph.\n\nAda Example (7):\n')
    assert 'Generated helper files' not in body and 'This series adds' not in body
    # Shortlog, diffstat, base-commit and change-id stay generated.
    assert ' 10 files changed, 45 insertions(+), 19 deletions(-)\n' in body
    assert re.search(r'^change-id: 20261122-rust-inline-the-helpers-[0-9a-f]{12}$', body, re.M)


def test_cover_file_keeps_its_own_changelog(example, tmp_path, capsys):
    v1 = tmp_path / 'v1'
    assert series(example, v1) == 0
    text = tmp_path / 'cover.txt'
    text.write_text('Title\n\nBody.\n\n---\nChanges in v2:\n- Reworded.\n')
    assert series(example, tmp_path / 'v2', '--cover', str(text), '--previous', str(v1)) == 0
    cover = (tmp_path / 'v2' / 'v2-0000-cover-letter.patch').read_text()
    assert cover.count('Changes in v2') == 1 and '- Reworded.\n' in cover
    text.write_text('Title\n\nBody.\n')
    assert series(example, tmp_path / 'v2b', '--cover', str(text), '--previous', str(v1)) == 0
    cover = (tmp_path / 'v2b' / 'v2-0000-cover-letter.patch').read_text()
    assert 'Body.\n\n---\nChanges in v2:\n- No changes to the patches.\n' in cover


def test_cover_file_errors(tmp_path, capsys):
    out = tmp_path / 'out'
    _fails_cleanly(capsys, out, ['series', '--tree', str(EXAMPLE), '-o', str(out), '--from', FROM,
                                 '--cover', str(tmp_path / 'nope.txt')], 'nope.txt: error: cannot read')
    (tmp_path / 'blank.txt').write_text('\n')
    _fails_cleanly(capsys, out, ['series', '--tree', str(EXAMPLE), '-o', str(out), '--from', FROM,
                                 '--cover', str(tmp_path / 'blank.txt')], 'blank.txt: error: no title')
    with pytest.raises(SystemExit) as e:
        main(['series', '--cover', 'x', '--title', 'y'])
    assert e.value.code == 2
    assert 'not allowed with argument' in capsys.readouterr().err


def test_default_cover_when_every_patch_goes_to_the_same_people(example, tmp_path, capsys):
    # Only the catch-all sections are left: every patch has the same recipients.
    text = (example / 'MAINTAINERS').read_text()
    head, sections = text.split('Maintainers List\n----------------\n\n', 1)
    kept = [s for s in sections.split('\n\n') if s.startswith(('RUST\n', 'THE REST\n'))]
    (example / 'MAINTAINERS').write_text(head + 'Maintainers List\n----------------\n\n' + '\n\n'.join(kept) + '\n')
    assert series(example, tmp_path / 'out') == 0
    cover = ' '.join((tmp_path / 'out' / '0000-cover-letter.patch').read_text().split())
    assert 'All of them go to the same maintainers and lists.' in cover
    assert 'its own tree' not in cover and 'own files' not in cover


@pytest.mark.parametrize('version', [pytest.param(None, id='no-v'), pytest.param(1, id='v1'),
                                     pytest.param(2, id='v2'), pytest.param(10, id='v10')])
def test_file_names_are_git_format_patchs(tmp_path, version):
    from codemod.mail.series import patch_file_name
    subjects = ['rust: helpers: define __rust_helper',
                'rust: a subject long enough to be cut by git at its sixty-four byte limit',
                'rust: odd..chars / here: (and) trailing...']
    repo = tmp_path / 'repo'
    repo.mkdir()
    git(repo, 'init', '-q')
    for i, subject in enumerate(subjects):
        (repo / f'f{i}').write_text(subject)
        git(repo, 'add', '-A')
        git(repo, 'commit', '-qm', subject)
    flags = [] if version is None else [f'-v{version}']
    out = git(repo, 'format-patch', '--cover-letter', '-o', str(tmp_path / 'fp'), *flags, '--root', 'HEAD')
    expected = [Path(line).name for line in out.splitlines()]
    ours = [patch_file_name(0, 'cover-letter', version)] + [
        patch_file_name(n, s, version) for n, s in enumerate(subjects, 1)]
    assert ours == expected
