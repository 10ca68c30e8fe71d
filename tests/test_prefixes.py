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
    pytest.param(['include/linux/foo.h', 'drivers/foo/foo.c'], 'foo', id='code-names-a-mixed-group'),
    pytest.param(['kernel/locking/mutex.c', 'drivers/x/y.c'], 'locking: mutex', id='no-common-dir'),
    pytest.param(['Makefile'], 'Makefile', id='top-level-file'),
    pytest.param(['rust/helpers/helpers.c'], 'rust: helpers', id='file-named-after-its-folder'),
    pytest.param(['drivers/foo/foo.c'], 'foo', id='named-after-its-folder-under-drivers'),
    pytest.param(['Documentation/rust/index.rst'], 'docs: rust', id='docs'),
    pytest.param(['Documentation/rust/a.rst', 'Documentation/rust/b/c.rst'], 'docs: rust', id='docs-one-area'),
    pytest.param(['Documentation/rust/a.rst', 'Documentation/mm/b.rst'], 'docs', id='docs-two-areas'),
    pytest.param(['include/linux/jump_label.h'], 'jump_label', id='header-without-home'),
])
def test_path_prefix(paths: list[str], expected: str) -> None:
    assert prefixes.path_prefix(paths) == expected


HOMES = {'include/linux/mutex.h': 'locking', 'include/linux/spinlock.h': 'locking', 'include/linux/slab.h': 'mm',
         'include/linux/locking.h': 'locking'}


@pytest.mark.parametrize(('paths', 'expected'), [
    pytest.param(['include/linux/mutex.h'], 'locking/mutex', id='header-of-a-subsystem'),
    pytest.param(['include/linux/mutex.h', 'include/linux/spinlock.h'], 'locking', id='headers-of-one-subsystem'),
    pytest.param(['include/linux/mutex.h', 'include/linux/slab.h'], 'mutex', id='headers-of-two'),
    pytest.param(['include/linux/locking.h'], 'locking', id='header-named-as-its-subsystem'),
    pytest.param(['include/linux/mutex.h', 'kernel/locking/mutex.c'], 'locking: mutex', id='code-decides'),
])
def test_header_prefix_is_its_subsystems(paths: list[str], expected: str) -> None:
    assert prefixes.path_prefix(paths, HOMES.get) == expected


@pytest.mark.parametrize(('patterns', 'expected'), [
    pytest.param(['Documentation/locking/', 'arch/*/include/asm/spinlock*.h', 'include/linux/mutex*.h',
                  'kernel/locking/', 'lib/locking*.[ch]'], 'locking', id='locking'),
    pytest.param(['include/linux/sl?b*.h', 'mm/sl?b*'], 'mm', id='glob-in-a-top-dir'),
    pytest.param(['include/linux/jump_label*.h', 'kernel/jump_label.c'], None, id='generic-dir'),
    pytest.param(['kernel/jump_label.c', 'kernel/sched/'], 'sched', id='generic-then-a-subsystem'),
    pytest.param(['include/linux/x.h'], None, id='only-headers'),
])
def test_home_of(patterns, expected):
    assert prefixes.home_of(patterns) == expected


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
