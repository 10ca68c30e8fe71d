"""Subject prefixes for split: from history, from paths, and kept distinct."""
from __future__ import annotations

import pytest

from codemod.kernel import prefixes


@pytest.mark.parametrize(('subject', 'expected'), [
    pytest.param('rust: sync: add Foo', ('rust: sync', 'add Foo'), id='two-words'),
    pytest.param('mm/slab: fix a leak', ('mm/slab', 'fix a leak'), id='slash'),
    pytest.param('ASoC: SOF: Intel: hda: fix x', ('ASoC: SOF: Intel: hda', 'fix x'), id='four-words'),
    pytest.param('net: fix: the thing', ('net: fix', 'the thing'), id='word-like-summary'),
    pytest.param('Revert "mm: foo"', (None, 'Revert "mm: foo"'), id='revert'),
    pytest.param('Fix typos', (None, 'Fix typos'), id='no-prefix'),
    pytest.param('drm: ', (None, 'drm: '), id='no-summary'),
    pytest.param('x86/mm: Fix: a: b', ('x86/mm: Fix: a', 'b'), id='greedy'),
])
def test_split_subject(subject: str, expected: tuple) -> None:
    assert prefixes.split_subject(subject) == expected


@pytest.mark.parametrize(('subjects', 'expected'), [
    pytest.param(['core: a', 'core: b', 'core/x: c'], 'core', id='most-common'),
    pytest.param(['b: new', 'a: old', 'a: older', 'b: oldest'], 'b', id='tie-goes-to-the-most-recent'),
    pytest.param(['treewide: x', 'treewide: y', 'mm: z'], 'mm', id='treewide-does-not-vote'),
    pytest.param(['Revert "mm: x"', 'Merge tag: y', 'Initial import'], None, id='nothing-votes'),
    pytest.param([], None, id='no-history'),
])
def test_history_prefix(subjects: list[str], expected: str | None) -> None:
    assert prefixes.history_prefix(subjects) == expected


@pytest.mark.parametrize(('paths', 'expected'), [
    pytest.param(['mm/slab.c'], 'mm: slab', id='one-file'),
    pytest.param(['mm/slab.c', 'mm/slab.h'], 'mm: slab', id='same-stem'),
    pytest.param(['drivers/gpu/drm/i915/a.c', 'drivers/gpu/drm/i915/gt/b.c'], 'drm: i915', id='common-dir'),
    pytest.param(['mm/a.c', 'mm/b.c'], 'mm', id='top-level-dir'),
    pytest.param(['include/linux/foo.h', 'drivers/foo/foo.c'], 'linux: foo', id='no-common-dir'),
    pytest.param(['Makefile'], 'Makefile', id='top-level-file'),
])
def test_path_prefix(paths: list[str], expected: str) -> None:
    assert prefixes.path_prefix(paths) == expected


@pytest.mark.parametrize(('given', 'paths', 'expected'), [
    pytest.param(
        ['rust: helpers', 'mm: slab', 'rust: helpers'],
        [['rust/helpers/mutex.c', 'rust/helpers/spinlock.c'], ['rust/helpers/slab.c'], ['rust/helpers/err.c']],
        ['rust: helpers: mutex, spinlock', 'mm: slab', 'rust: helpers: err'],
        id='shared-prefix-gets-the-stems',
    ),
    pytest.param(
        ['rust: helpers', 'rust: helpers'],
        [['rust/helpers/page.c', 'rust/helpers/page.h'], ['rust/helpers/err.c']],
        ['rust: helpers: page', 'rust: helpers: err'],
        id='one-stem-once',
    ),
    pytest.param(
        ['net: frob', 'net: frob'],
        [['net/a/frob.c'], ['net/b/frob.c']],
        ['net: frob', 'net: frob'],
        id='stems-alike-too-left-as-they-were',
    ),
])
def test_distinct_makes_shared_prefixes_specific(given, paths, expected):
    assert prefixes.distinct(given, paths) == expected


@pytest.mark.parametrize(('given', 'paths'), [
    pytest.param(['mm: slab', 'rust: sync'], [['mm/slab.c'], ['rust/helpers/mutex.c']], id='already-distinct'),
    pytest.param([], [], id='nothing'),
])
def test_distinct_leaves_distinct_prefixes_alone(given, paths):
    assert prefixes.distinct(given, paths) == given
