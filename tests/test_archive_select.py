"""archive/sift.py and archive/select.py, pure: bytes in, choices out."""
from __future__ import annotations

import pytest

from codemod.inbox import select
from codemod.inbox import sift
from tests.archives import helper_file
from tests.archives import mail
from tests.archives import new_file_diff
from tests.archives import patch_mail


@pytest.mark.parametrize(('subject', 'numbers'), [
    pytest.param('[PATCH] x', (1, 0), id='plain'),
    pytest.param('[PATCH v3 2/5] x', (3, 2), id='versioned'),
    pytest.param('[RFC PATCH V2 0/1] x', (2, 0), id='rfc-cover'),
    pytest.param('x: no prefix', (1, 0), id='none'),
])
def test_prefix_numbers(subject, numbers):
    assert sift.prefix_numbers(subject) == numbers


def posting(version: int) -> list[sift.Item]:
    v = f' v{version}' if version > 1 else ''
    cover = f'c{version}@example.org'
    items = [sift.sift('c', mail(cover, f'[PATCH{v} 0/1] rust: zap', 'cover\n'))]
    items.append(sift.sift('p', patch_mail(f'p{version}@example.org', f'[PATCH{v} 1/1] rust: zap: add',
                                           new_file_diff('rust/helpers/zap.c', helper_file('zap')),
                                           refs=(cover,))))
    return items


def split(items: list[sift.Item]) -> tuple[list[sift.Patch], dict[str, sift.Cover]]:
    return ([i for i in items if isinstance(i, sift.Patch)],
            {i.message_id: i for i in items if isinstance(i, sift.Cover)})


def test_sift_sorts_messages():
    cover, patch = posting(2)
    assert cover == sift.Cover('c2@example.org', 'rust: zap', 'zed@example.org', 2)
    assert isinstance(patch, sift.Patch) and (patch.version, patch.counter, patch.root) == (2, 1, 'c2@example.org')
    assert sift.sift('t', mail('t@example.org', 'Re: lunch', 'soon\n')) is None
    answer = mail('a@example.org', 'Re: x', 'needs __rust_helper\n', refs=('p2@example.org',))
    assert sift.sift('a', answer) == sift.Reply('a', 'p2@example.org')


@pytest.mark.parametrize(('known', 'reviewed'), [
    pytest.param({}, True, id='first-seen'),
    pytest.param({'zed@example.org rust: zap': 2}, True, id='same-version-again'),
    pytest.param({'zed@example.org rust: zap': 3}, False, id='newer-reviewed-before'),
])
def test_versions_seen_in_earlier_runs(known, reviewed):
    patches, covers = split(posting(2))
    chosen = select.select(patches, covers, set(), known)
    assert bool(chosen.review) is reviewed
    assert chosen.versions['zed@example.org rust: zap'] == max([2, *known.values()])


def test_newest_version_in_one_walk():
    patches, covers = split(posting(1) + posting(3))
    chosen = select.select(patches, covers, set(), {})
    assert [p.version for p in chosen.review] == [3]
    assert chosen.notes == ['p: note: skipped "rust: zap: add" and the rest of its v1: '
                            'v3 of the series is in the archive']
