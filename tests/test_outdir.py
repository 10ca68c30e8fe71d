from __future__ import annotations

import pytest

from codemod.plumbing import outdir
from codemod.plumbing.errors import PathError

FILES = [('0000-cover-letter.patch', b'cover\n'), ('0001-a.patch', b'one\n')]


def _listing(folder):
    return sorted(p.name for p in folder.iterdir())


def test_new_folder_is_created_whole(tmp_path):
    target = tmp_path / 'out' / 'patches'
    outdir.write_series(target, FILES, force=False)
    assert _listing(target) == [outdir.MANIFEST, '0000-cover-letter.patch', '0001-a.patch']
    assert [p.name for p in target.parent.iterdir()] == ['patches']   # no temp folder left
    assert sorted(outdir.read_manifest(target)) == ['0000-cover-letter.patch', '0001-a.patch']


def test_existing_series_is_refused_without_force(tmp_path):
    target = tmp_path / 'patches'
    outdir.write_series(target, FILES, force=False)
    with pytest.raises(PathError, match='already holds a patch series .*; use --force'):
        outdir.write_series(target, [('0001-b.patch', b'x')], force=False)
    assert (target / '0001-a.patch').read_bytes() == b'one\n'


def test_force_replaces_our_own_series_and_keeps_other_files(tmp_path):
    target = tmp_path / 'patches'
    outdir.write_series(target, FILES, force=False)
    (target / 'notes.txt').write_text('mine')
    outdir.write_series(target, [('0000-cover-letter.patch', b'new\n'), ('0001-b.patch', b'two\n')], force=True)
    # 0001-a.patch was ours, unchanged, and would have made a mixed series.
    assert _listing(target) == [outdir.MANIFEST, '0000-cover-letter.patch', '0001-b.patch', 'notes.txt']
    assert (target / 'notes.txt').read_text() == 'mine'


def test_a_new_version_goes_beside_the_old_one_without_force(tmp_path):
    target = tmp_path / 'patches'
    outdir.write_series(target, FILES, force=False)
    outdir.write_series(target, [('v2-0000-cover-letter.patch', b'v2\n'), ('v2-0001-a.patch', b'v2 one\n')],
                        force=False, previous=target)
    assert _listing(target) == [outdir.MANIFEST, '0000-cover-letter.patch', '0001-a.patch',
                                'v2-0000-cover-letter.patch', 'v2-0001-a.patch']
    assert (target / '0001-a.patch').read_bytes() == b'one\n'
    assert len(outdir.read_manifest(target)) == 4


@pytest.mark.parametrize('force', [pytest.param(False, id='plain'), pytest.param(True, id='forced')])
def test_the_previous_series_is_never_replaced(tmp_path, force):
    target = tmp_path / 'patches'
    outdir.write_series(target, FILES, force=False)
    with pytest.raises(PathError, match='holds the previous series that --previous reads .*-v N'):
        outdir.write_series(target, [('0000-cover-letter.patch', b'x')], force=force, previous=target)
    assert (target / '0000-cover-letter.patch').read_bytes() == b'cover\n'


@pytest.mark.parametrize('case', [pytest.param('foreign', id='not-ours'), pytest.param('edited', id='edited')])
def test_force_refuses_patches_it_did_not_write_or_that_were_edited(tmp_path, case):
    target = tmp_path / 'patches'
    outdir.write_series(target, FILES, force=False)
    if case == 'foreign':
        (target / '0007-my-own-fix.patch').write_bytes(b'precious\n')
        victim = '0007-my-own-fix.patch'
    else:
        (target / '0000-cover-letter.patch').write_bytes(b'cover, with a blurb I wrote\n')
        victim = '0000-cover-letter.patch'
    before = {p.name: p.read_bytes() for p in target.iterdir()}
    with pytest.raises(PathError, match=f'{victim}: not written by rust-helpers, or edited since'):
        outdir.write_series(target, FILES, force=True)
    assert {p.name: p.read_bytes() for p in target.iterdir()} == before


def test_patches_of_another_scheme_are_never_touched(tmp_path):
    target = tmp_path / 'patches'
    target.mkdir()
    (target / 'v1-0001-by-hand.patch').write_bytes(b'keep\n')
    (target / 'README.patch').write_bytes(b'keep too\n')
    outdir.write_series(target, FILES, force=True)
    assert (target / 'v1-0001-by-hand.patch').read_bytes() == b'keep\n'
    assert (target / 'README.patch').read_bytes() == b'keep too\n'


def test_empty_existing_folder_is_fine(tmp_path):
    (tmp_path / 'patches').mkdir()
    outdir.write_series(tmp_path / 'patches', FILES, force=False)
    assert len(list((tmp_path / 'patches').glob('*.patch'))) == 2


def test_a_file_in_the_way_is_an_error(tmp_path):
    (tmp_path / 'patches').write_text('x')
    with pytest.raises(PathError, match='not a folder'):
        outdir.write_series(tmp_path / 'patches', FILES, force=True)


def test_early_check_knows_the_scheme(tmp_path):
    target = tmp_path / 'patches'
    outdir.write_series(target, FILES, force=False)
    outdir.check_target(target, force=False, scheme='v2-')
    with pytest.raises(PathError, match='already holds a patch series'):
        outdir.check_target(target, force=False, scheme='')
