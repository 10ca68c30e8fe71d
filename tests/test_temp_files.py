"""Temporary files of a killed run: removed by the next writer, never scanned."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from codemod.cli import main
from codemod.plumbing import fsio

EXAMPLE = Path(__file__).resolve().parent.parent / 'examples' / 'linux-mini'


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLE, tmp_path / 'tree')
    return tmp_path / 'tree'


KILLED_WRITER = """
import os, sys
from codemod.plumbing import fsio
target = sys.argv[1]
fsio._stage(target, open(target, 'rb').read().replace(b'void rust_helper_', b'void rust_helper_x'))
os._exit(137)   # killed between staging and renaming: nothing cleans up
"""


def _killed_run(tree: Path, target: str = 'mutex.c') -> Path:
    """What a write killed between staging and renaming leaves, made by fsio itself."""
    helpers = tree / 'rust' / 'helpers'
    subprocess.run([sys.executable, '-c', KILLED_WRITER, str(helpers / target)])
    [tmp] = helpers.glob(f'.{target}.*.tmp')
    return tmp


def _leftover(tree: Path, pid: int, target: str = 'mutex.c') -> Path:
    helpers = tree / 'rust' / 'helpers'
    tmp = helpers / f'.{target}.{pid}.0.tmp'
    tmp.write_bytes((helpers / target).read_bytes())
    return tmp


@pytest.mark.parametrize(('name', 'expected'), [
    pytest.param('.mutex.c.1234.0.tmp', ('mutex.c', 1234), id='ours'),
    pytest.param('.a.b.c.7.12.tmp', ('a.b.c', 7), id='dotted-target'),
    pytest.param('.mutex.c.tmp', None, id='no-pid'),
    pytest.param('mutex.c.1.0.tmp', None, id='not-hidden'),
    pytest.param('.mutex.c.x.0.tmp', None, id='pid-not-a-number'),
])
def test_temp_target(name, expected):
    assert fsio.temp_target(name) == expected


def test_check_never_scans_a_leftover(tree, capsys):
    assert main(['check', '--tree', str(tree)]) == 1
    clean = capsys.readouterr()
    _killed_run(tree)
    assert main(['check', '--tree', str(tree)]) == 1
    assert capsys.readouterr() == clean


def test_check_refuses_a_leftover_named_on_the_command_line(tree, capsys):
    tmp = _killed_run(tree)
    assert main(['check', '--tree', str(tree), str(tmp)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f'{tmp}: error: a temporary file of rust-helpers, not a helper file')
    assert err.count('\n') == 1


def test_annotate_removes_what_a_dead_run_left(tree, capsys):
    tmp = _killed_run(tree)
    assert main(['annotate', '--tree', str(tree)]) == 1
    assert not tmp.exists()
    err = capsys.readouterr().err
    assert f'rust/helpers/{tmp.name}: note: removed, left by an interrupted run\n' in err
    assert not [p for p in (tree / 'rust' / 'helpers').rglob('*.tmp')]


def test_annotate_leaves_a_running_writer_alone(tree, capsys):
    writer = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])
    try:
        tmp = _leftover(tree, writer.pid)
        assert main(['annotate', '--tree', str(tree)]) == 1
        assert tmp.exists()
        assert f'note: left alone, its run (pid {writer.pid}) is still going' in capsys.readouterr().err
    finally:
        writer.kill()
        writer.wait()


def test_dry_run_removes_nothing(tree, capsys):
    tmp = _killed_run(tree)
    assert main(['annotate', '--tree', str(tree), '--dry-run']) == 1
    assert tmp.exists()


def test_check_fix_removes_leftovers_too(tree, capsys):
    tmp = _killed_run(tree, 'slab.c')
    main(['check', '--tree', str(tree), '--fix'])
    assert not tmp.exists()
