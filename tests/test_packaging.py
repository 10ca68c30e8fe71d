"""The wheel ships the data files, and works outside the checkout."""
from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope='module')
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp('wheel')
    subprocess.run(
        [sys.executable, '-m', 'pip', 'wheel', '--no-deps', '--no-build-isolation', '-q', '-w', str(out), str(REPO)],
        check=True, capture_output=True,
    )
    [whl] = out.glob('rust_helper_codemod-*.whl')
    return whl


def test_wheel_contains_the_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert 'codemod/data/attribute_macros.txt' in names
    assert 'codemod/data/fallback.clang-format' in names
    entry_points = next(n for n in names if n.endswith('entry_points.txt'))
    assert 'rust-helpers = codemod.cli:run' in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_installed_wheel_runs_outside_the_checkout(wheel, tmp_path):
    target = tmp_path / 'site'
    subprocess.run(
        [sys.executable, '-m', 'pip', 'install', '--no-deps', '-q', '--target', str(target), str(wheel)],
        check=True, capture_output=True,
    )
    tree = tmp_path / 'linux'
    (tree / 'rust' / 'helpers').mkdir(parents=True)
    (tree / 'rust' / 'helpers' / 'a.c').write_text('void rust_helper_a(void)\n{\n}\n')
    # Dependencies come from this interpreter's site-packages; the package
    # itself only from the wheel.
    env = {**os.environ, 'PYTHONPATH': str(target)}
    code = (
        'import codemod, sys; '
        f'assert codemod.__file__.startswith({str(target)!r}), codemod.__file__; '
        'from codemod.cli import main; sys.exit(main())'
    )
    res = subprocess.run(
        [sys.executable, '-c', code, 'check', '--tree', str(tree)],
        cwd=tmp_path, env=env, capture_output=True, text=True,
    )
    assert res.returncode == 1, res.stderr
    assert 'rust/helpers/a.c:1:1: error: rust_helper_a is missing __rust_helper' in res.stdout
