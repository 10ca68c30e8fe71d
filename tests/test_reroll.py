from __future__ import annotations

from codemod.mail import reroll


def _mail(subject: str, diff: str, version: str = 'PATCH') -> bytes:
    return (
        f'From 0 Mon Sep 17 00:00:00 2001\nSubject: [{version} 1/2] {subject}\n\nbody\n---\n'
        f' x | 1 +\n\ndiff --git a/x b/x\nindex 1..2 100644\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n{diff}\n'
    ).encode()


COVER = b'Subject: [PATCH 0/2] t\n\nbase-commit: abc\nchange-id: 20261122-t-123456789abc\n'


def test_read_previous_series():
    prev = reroll.read([
        ('0000-cover-letter.patch', COVER),
        ('0001-a.patch', _mail('rust: a: add __rust_helper to helpers', '-x\n+y')),
    ])
    assert prev.cover_change_id == '20261122-t-123456789abc'
    assert prev.patches == (reroll.Mail('rust: a: add __rust_helper to helpers', (b'-x', b'+y')),)


def test_folded_subject_is_unfolded():
    data = b'Subject: [PATCH v2 01/10] rust: a very long subject\n that was folded\n\n'
    assert reroll.read([('0001-x.patch', data)]).patches[0].subject == 'rust: a very long subject that was folded'


def test_changes_lists_dropped_new_and_changed():
    prev = reroll.read([
        ('0001-a.patch', _mail('rust: a: x', '-a\n+A')),
        ('0002-b.patch', _mail('rust: b: x', '-b\n+B')),
        ('0003-c.patch', _mail('rust: c: x', '-c\n+C')),
    ])
    current = [
        ('rust: b: x', _mail('rust: b: x', '-b\n+B', 'PATCH v2')),   # same diff
        ('rust: c: x', _mail('rust: c: x', '-c\n+C2', 'PATCH v2')),  # changed
        ('rust: d: x', _mail('rust: d: x', '-d\n+D', 'PATCH v2')),   # new
    ]
    assert reroll.changes(prev, current).splitlines() == [
        '- Dropped "rust: a: x": its helpers are annotated in the tree now.',
        '- Changed: "rust: c: x".',
        '- New: "rust: d: x".',
    ]


def test_no_changes():
    prev = reroll.read([('0001-a.patch', _mail('rust: a: x', '-a\n+A'))])
    assert reroll.changes(prev, [('rust: a: x', _mail('rust: a: x', '-a\n+A'))]) == \
        '- No changes to the patches; rebased.'
