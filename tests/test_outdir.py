from __future__ import annotations

import pytest

from codemod.plumbing import outdir
from codemod.plumbing.errors import PathError

FILES = [('0000-cover-letter.patch', b'cover\n'), ('0001-a.patch', b'one\n')]


def test_new_folder_is_created_whole(tmp_path):
    target = tmp_path / 'out' / 'patches'
    outdir.write_series(target, FILES, force=False)
    assert sorted(p.name for p in target.iterdir()) == ['0000-cover-letter.patch', '0001-a.patch']
    assert [p.name for p in target.parent.iterdir()] == ['patches']   # no temp folder left


def test_existing_series_is_refused_without_force(tmp_path):
    target = tmp_path / 'patches'
    outdir.write_series(target, FILES, force=False)
    with pytest.raises(PathError, match='already holds a patch series; use --force'):
        outdir.write_series(target, [('0001-b.patch', b'x')], force=False)
    assert (target / '0001-a.patch').read_bytes() == b'one\n'


def test_force_replaces_patches_and_keeps_other_files(tmp_path):
    target = tmp_path / 'patches'
    outdir.write_series(target, FILES, force=False)
    (target / 'notes.txt').write_text('mine')
    outdir.write_series(target, [('0001-b.patch', b'two\n')], force=True)
    assert sorted(p.name for p in target.iterdir()) == ['0001-b.patch', 'notes.txt']


def test_empty_existing_folder_is_fine(tmp_path):
    (tmp_path / 'patches').mkdir()
    outdir.write_series(tmp_path / 'patches', FILES, force=False)
    assert len(list((tmp_path / 'patches').iterdir())) == 2


def test_a_file_in_the_way_is_an_error(tmp_path):
    (tmp_path / 'patches').write_text('x')
    with pytest.raises(PathError, match='not a folder'):
        outdir.write_series(tmp_path / 'patches', FILES, force=True)
