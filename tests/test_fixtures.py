"""Fixture pairs: tests/fixtures/<case>/input.c annotated must equal expected.c.

Run `pytest tests/test_fixtures.py --update` to regenerate expected.c, then
review every changed file by eye before committing it. The tree used has no
.clang-format, so the fallback kernel style applies.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from codemod.cli import main

FIXTURES = Path(__file__).parent / 'fixtures'
CASES = sorted(p.name for p in FIXTURES.iterdir() if (p / 'input.c').is_file()) if FIXTURES.is_dir() else []
# Where each case sits in the tree; the default is rust/helpers/<case>.c.
PLACES = {'subdirectory': 'rust/helpers/net/subdirectory.c', 'helpers_c': 'rust/helpers/helpers.c'}


def _annotate_in_tree(tmp_path: Path, case: str, data: bytes) -> bytes:
    rel = PLACES.get(case, f'rust/helpers/{case}.c')
    path = tmp_path / case / rel
    path.parent.mkdir(parents=True)
    path.write_bytes(data)
    rc = main(['annotate', '--tree', str(tmp_path / case)])
    assert rc in (0, 1)
    return path.read_bytes()


def test_every_form_has_a_fixture():
    assert len(CASES) >= 14, CASES


@pytest.mark.parametrize('case', CASES)
def test_fixture(case, tmp_path, update_fixtures, capsys):
    src = (FIXTURES / case / 'input.c').read_bytes()
    out = _annotate_in_tree(tmp_path, case, src)
    expected_path = FIXTURES / case / 'expected.c'
    if update_fixtures:
        expected_path.write_bytes(out)
    assert out == expected_path.read_bytes()


@pytest.mark.parametrize('case', CASES)
def test_fixture_expected_is_a_fixed_point(case, tmp_path, capsys):
    expected_path = FIXTURES / case / 'expected.c'
    expected = expected_path.read_bytes()
    assert _annotate_in_tree(tmp_path, case, expected) == expected
