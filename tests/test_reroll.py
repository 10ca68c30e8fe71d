from __future__ import annotations

import pytest

from codemod.mail import reroll


def _mail(subject: str, diff: str, prefix: str = 'PATCH 1/2', path: str = 'x') -> bytes:
    return (
        f'From 0 Mon Sep 17 00:00:00 2001\nSubject: [{prefix}] {subject}\n\nbody\n---\n'
        f' {path} | 1 +\n\ndiff --git a/{path} b/{path}\nindex 1..2 100644\n--- a/{path}\n+++ b/{path}\n'
        f'@@ -1 +1 @@\n{diff}\n'
    ).encode()


def _cover(prefix: str = 'PATCH 0/2', change_id: str = '20261122-t-123456789abc') -> bytes:
    return (f'Subject: [{prefix}] The title\n\nblurb\n\n---\nbase-commit: {"a" * 40}\n'
            f'change-id: {change_id}\n').encode()


def test_read_previous_series():
    prev = reroll.read([
        ('0000-cover-letter.patch', _cover()),
        ('0001-a.patch', _mail('rust: a: add __rust_helper to helpers', '-x\n+y')),
    ])
    assert prev.cover_change_id == '20261122-t-123456789abc'
    assert prev.base_commit == 'a' * 40
    assert prev.patches == (reroll.Mail('rust: a: add __rust_helper to helpers', ('x',), (b'-x', b'+y')),)


@pytest.mark.parametrize('names', [
    pytest.param(('v1-0000-cover-letter.patch', 'v1-0001-a.patch'), id='git-v1-names'),
    pytest.param(('0000-cover-letter.patch', '0001-a.patch'), id='plain-names'),
    pytest.param(('b4-cover.patch', 'a.patch'), id='other-names'),
])
def test_the_cover_is_the_mail_numbered_zero_however_named(names):
    prev = reroll.read([(names[0], _cover('PATCH v1 0/1')), (names[1], _mail('rust: a: x', '-a\n+A', 'PATCH v1 1/1'))])
    assert prev.cover_change_id == '20261122-t-123456789abc'
    assert [p.subject for p in prev.patches] == ['rust: a: x']
    assert prev.version == 1


def test_a_folder_of_several_versions_gives_the_newest_before_the_new_one():
    files = [
        ('v1-0000-cover-letter.patch', _cover('PATCH v1 0/1', '20261122-t-111111111111')),
        ('v1-0001-a.patch', _mail('rust: a: x', '-a\n+A', 'PATCH v1 1/1')),
        ('v2-0000-cover-letter.patch', _cover('PATCH v2 0/1', '20261122-t-222222222222')),
        ('v2-0001-a.patch', _mail('rust: a: x', '-a\n+B', 'PATCH v2 1/1')),
    ]
    assert reroll.read(files, before=3).version == 2
    assert reroll.read(files, before=3).cover_change_id == '20261122-t-222222222222'
    assert reroll.read(files, before=2).patches[0].diff == (b'-a', b'+A')
    assert reroll.read(files).version == 2


def test_folded_subject_is_unfolded():
    data = b'Subject: [PATCH v2 01/10] rust: a very long subject\n that was folded\n\n'
    assert reroll.read([('0001-x.patch', data)]).patches[0].subject == 'rust: a very long subject that was folded'


def _m(subject: str, *files: str, diff: tuple[bytes, ...] = (b'+x',)) -> reroll.Mail:
    return reroll.Mail(subject, files, diff)


def _prev(*patches: reroll.Mail, base: str | None = None) -> reroll.Previous:
    return reroll.Previous(None, patches, 1, base)


def test_changes_lists_dropped_new_and_changed():
    prev = _prev(_m('rust: a: x', 'a.c'), _m('rust: b: x', 'b.c'), _m('rust: c: x', 'c.c'))
    current = [
        _m('rust: b: x', 'b.c'),                        # same diff
        _m('rust: c: x', 'c.c', diff=(b'+y',)),         # changed
        _m('rust: d: x', 'd.c'),                        # new
    ]
    assert reroll.changes(prev, current).splitlines() == [
        '- Dropped "rust: a: x".',
        '- Changed "rust: c: x".',
        '- New: "rust: d: x".',
    ]


@pytest.mark.parametrize(('settled', 'applied', 'line'), [
    pytest.param({'a.c'}, {'rust: a: x': 'f' * 40}, '- Dropped "rust: a: x": merged (commit ffffffffffff).',
                 id='annotated-and-subject-in-history'),
    pytest.param({'a.c'}, {}, '- Dropped "rust: a: x": its files need no changes any more.',
                 id='annotated-under-another-subject'),
    pytest.param(set(), {'rust: a: x': 'f' * 40}, '- Dropped "rust: a: x".', id='not-annotated-not-merged'),
])
def test_a_dropped_patch_is_merged_only_when_the_tree_and_history_say_so(settled, applied, line):
    assert reroll.changes(_prev(_m('rust: a: x', 'a.c')), [], settled=settled, applied=applied) == line


def test_renamed_and_regrouped_patches_are_told_as_such():
    prev = _prev(_m('rust: mutex: x', 'mutex.c'), _m('rust: spinlock: x', 'spinlock.c'),
                 _m('rust: slab: x', 'slab.c'), _m('rust: mm: x', 'page.c', 'vmalloc.c'))
    current = [_m('rust: sync: x', 'mutex.c', 'spinlock.c'), _m('rust: kmem: x', 'slab.c'),
               _m('rust: page: x', 'page.c')]
    assert reroll.changes(prev, current, settled={'vmalloc.c'}).splitlines() == [
        '- Regrouped "rust: mutex: x": mutex.c is in "rust: sync: x".',
        '- Regrouped "rust: spinlock: x": spinlock.c is in "rust: sync: x".',
        '- Renamed "rust: slab: x" to "rust: kmem: x".',
        '- Regrouped "rust: mm: x": page.c is in "rust: page: x"; vmalloc.c needs no changes any more.',
    ]


def test_a_patch_that_gained_or_lost_files():
    prev = _prev(_m('rust: a: x', 'a.c', 'b.c'))
    assert reroll.changes(prev, [_m('rust: a: x', 'a.c', 'c.c')]) == \
        '- Changed "rust: a: x" (now also c.c; no longer b.c).'


@pytest.mark.parametrize(('old_base', 'new_base', 'expected'), [
    pytest.param('a' * 40, 'a' * 40, '- No changes to the patches.', id='same-base'),
    pytest.param('a' * 40, 'b' * 40, '- Rebased onto bbbbbbbbbbbb.', id='new-base'),
    pytest.param(None, 'b' * 40, '- No changes to the patches.', id='base-unknown'),
])
def test_no_changes_to_the_patches(old_base, new_base, expected):
    prev = _prev(_m('rust: a: x', 'a.c'), base=old_base)
    assert reroll.changes(prev, [_m('rust: a: x', 'a.c')], base_commit=new_base) == expected
