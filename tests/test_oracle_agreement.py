"""The tree-sitter pass and the independent lexical oracle must agree exactly.

Both report (name, line of the first token, annotated?, enclosing macro) for
every helper definition; any disagreement on any file fails.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from codemod.c_source.helpers import scan_bytes
from tests import oracle

REPO = Path(__file__).resolve().parent.parent
FIXTURE_FILES = sorted((REPO / 'tests' / 'fixtures').glob('*/*.c'))
EXAMPLE_FILES = sorted((REPO / 'examples' / 'linux-mini' / 'rust' / 'helpers').rglob('*.c'))


def ours(data: bytes) -> list[tuple[str, int, bool, str | None]]:
    # A pasted name is compared by its parts: the oracle glues `a ## b` as `a##b`.
    return [('##'.join(h.parts), h.line, h.annotated, h.macro) for h in scan_bytes(data).helpers]


def theirs(data: bytes) -> list[tuple[str, int, bool, str | None]]:
    return [tuple(h) for h in oracle.helpers(data)]


def test_there_is_something_to_compare():
    assert len(FIXTURE_FILES) >= 40 and len(EXAMPLE_FILES) >= 8


@pytest.mark.parametrize('path', FIXTURE_FILES + EXAMPLE_FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_agree_on_fixtures_and_example(path):
    data = path.read_bytes()
    assert ours(data) == theirs(data)


@pytest.mark.kernel
def test_agree_on_the_real_tree(linux_612):
    files = sorted((linux_612 / 'rust' / 'helpers').rglob('*.c'))
    disagreements = {}
    total = 0
    for path in files:
        data = path.read_bytes()
        mine, other = ours(data), theirs(data)
        total += len(mine)
        if mine != other:
            disagreements[path.name] = (mine, other)
    assert disagreements == {}
    assert total == 31
