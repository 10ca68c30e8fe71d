from __future__ import annotations

import pytest

from codemod.kernel import grouping
from codemod.kernel.grouping import Group
from codemod.plumbing.errors import PathError

LOCKING = ('LOCKING PRIMITIVES', ('include/linux/mutex.h', 'rust/helpers/mutex.c', 'rust/helpers/spinlock.c',
                                   'rust/kernel/sync/lock.rs'))
BLOCK = ('BLOCK LAYER [RUST]', ('rust/helpers/blk.c', 'rust/kernel/block.rs', 'rust/kernel/block/'))
NO_MODULE = ('FROB DRIVER', ('drivers/frob/', 'rust/helpers/frob.c'))
SLAB = ('SLAB', ('mm/', 'rust/helpers/slab.c', 'rust/helpers/vmalloc.c'))

SECTIONS = {
    'rust/helpers/mutex.c': LOCKING,
    'rust/helpers/spinlock.c': LOCKING,
    'rust/helpers/blk.c': BLOCK,
    'rust/helpers/frob.c': NO_MODULE,
}


@pytest.mark.parametrize(
    ('patterns', 'tag'),
    (
        pytest.param(('rust/kernel/sync/lock.rs',), 'sync', id='file-in-module-dir'),
        pytest.param(('rust/kernel/block.rs', 'rust/kernel/block/'), 'block', id='module-file'),
        pytest.param(('drivers/x/', 'rust/kernel/net/phy.rs'), 'net', id='after-other-patterns'),
        pytest.param(('rust/kernel/*.rs',), None, id='glob-is-no-module'),
        pytest.param(('rust/kernel/generated_arch_static_branch_asm.rs.S', 'rust/kernel/jump_label.rs'),
                     'jump_label', id='other-file-is-no-module'),
        pytest.param(('rust/kernel/bindings_helper.h',), None, id='header-is-no-module'),
        pytest.param(('rust/kernel/',), None, id='the-crate-itself'),
        pytest.param(('rust/kernel/net/',), 'net', id='module-dir'),
        pytest.param(('rust/helpers/x.c',), None, id='no-rust-kernel'),
    ),
)
def test_module_tag(patterns, tag):
    assert grouping.module_tag(patterns) == tag


def test_by_section_merges_same_tags_and_falls_back_to_stems():
    paths = ['rust/helpers/blk.c', 'rust/helpers/frob.c', 'rust/helpers/mutex.c',
             'rust/helpers/spinlock.c', 'rust/helpers/sync.c', 'rust/helpers/net/genl.c']
    groups = grouping.by_section(paths, SECTIONS.get)
    assert groups == [
        Group('block', ('rust/helpers/blk.c',)),
        Group('frob', ('rust/helpers/frob.c',)),
        Group('genl', ('rust/helpers/net/genl.c',)),
        # sync.c has only the catch-all section, so its stem joins the locking files.
        Group('sync', ('rust/helpers/mutex.c', 'rust/helpers/spinlock.c', 'rust/helpers/sync.c')),
    ]


def test_files_of_one_section_share_a_patch_without_a_rust_module():
    groups = grouping.by_section(
        ['rust/helpers/vmalloc.c', 'rust/helpers/slab.c', 'rust/helpers/err.c'],
        {'rust/helpers/slab.c': SLAB, 'rust/helpers/vmalloc.c': SLAB}.get)
    assert groups == [
        Group('err', ('rust/helpers/err.c',)),
        Group('slab, vmalloc', ('rust/helpers/slab.c', 'rust/helpers/vmalloc.c')),
    ]


def test_by_file():
    assert grouping.by_file(['rust/helpers/b.c', 'rust/helpers/a.c']) == [
        Group('a', ('rust/helpers/a.c',)), Group('b', ('rust/helpers/b.c',)),
    ]


KNOWN = ['rust/helpers/blk.c', 'rust/helpers/mutex.c', 'rust/helpers/spinlock.c']


def test_manual_groups_override_and_fall_back():
    manual = grouping.parse_manual('locking = ["mutex.c", "rust/helpers/spinlock.c"]\n', 'g.toml', KNOWN)
    assert manual == {'rust/helpers/mutex.c': 'locking', 'rust/helpers/spinlock.c': 'locking'}
    fallback = grouping.by_section(KNOWN, SECTIONS.get)
    assert grouping.with_manual(KNOWN, manual, fallback) == [
        Group('block', ('rust/helpers/blk.c',)),
        Group('locking', ('rust/helpers/mutex.c', 'rust/helpers/spinlock.c')),
    ]


SPLIT_KNOWN = ['drivers/net/a.c', 'drivers/net/phy/b.c', 'drivers/gpu/c.c', 'include/linux/net.h', 'README']


@pytest.mark.parametrize(('text', 'expected'), [
    pytest.param('net = ["drivers/net/"]\n', {'drivers/net/a.c': 'net', 'drivers/net/phy/b.c': 'net'}, id='folder'),
    pytest.param('net = ["drivers/net"]\n', {'drivers/net/a.c': 'net', 'drivers/net/phy/b.c': 'net'},
                 id='folder-without-slash'),
    pytest.param('c = ["drivers/*/*.c"]\n', {'drivers/net/a.c': 'c', 'drivers/gpu/c.c': 'c'}, id='glob-one-level'),
    pytest.param('c = ["drivers/**/*.c"]\n', {'drivers/net/a.c': 'c', 'drivers/net/phy/b.c': 'c',
                                               'drivers/gpu/c.c': 'c'}, id='glob-any-depth'),
    pytest.param('h = ["include/linux/[mn]et.h"]\n', {'include/linux/net.h': 'h'}, id='glob-set'),
    pytest.param('net = ["drivers/net/"]\nphy = ["drivers/net/phy/b.c"]\n',
                 {'drivers/net/a.c': 'net', 'drivers/net/phy/b.c': 'phy'}, id='a-file-beats-a-folder'),
    pytest.param('x = ["fs/", "old.c", "drivers/gpu/c.c"]\n', {'drivers/gpu/c.c': 'x'}, id='untouched-ignored'),
])
def test_manual_groups_take_folders_and_globs(text, expected):
    assert grouping.parse_manual(text, 'g.toml', SPLIT_KNOWN, base='', what='changed file',
                                 ignore_unknown=True) == expected


def test_manual_groups_two_loose_claims_conflict():
    with pytest.raises(PathError, match='drivers/net/a.c is in two groups: a and b'):
        grouping.parse_manual('a = ["drivers/"]\nb = ["drivers/net/*.c"]\n', 'g.toml', SPLIT_KNOWN, base='')


def test_manual_groups_table_form():
    assert grouping.parse_manual('[groups]\nb = ["blk.c"]\n', 'g.toml', KNOWN) == {'rust/helpers/blk.c': 'b'}


@pytest.mark.parametrize(
    ('text', 'message'),
    (
        pytest.param('x = [', 'not valid TOML', id='syntax'),
        pytest.param('x = "blk.c"\n', 'expected a list', id='not-a-list'),
        pytest.param('x = ["nope.c"]\n', 'no helper file rust/helpers/nope.c', id='unknown-file'),
        pytest.param('x = ["nope*.c"]\n', 'no helper file rust/helpers/nope\\*.c', id='glob-matching-nothing'),
        pytest.param('x = ["blk.c"]\ny = ["blk.c"]\n', 'in two groups', id='twice'),
    ),
)
def test_manual_groups_errors(text, message):
    with pytest.raises(PathError, match=message) as e:
        grouping.parse_manual(text, 'g.toml', KNOWN)
    assert str(e.value).startswith('g.toml: error: ')
