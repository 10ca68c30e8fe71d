"""series on Debian's real linux-source-6.12: grouping, re-rolls, the cover,
the output folder. get_maintainer.pl and git am are the oracles."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from codemod.cli import main
from tests.get_maintainer import header_people
from tests.get_maintainer import people
from tests.gitrepo import git

pytestmark = pytest.mark.kernel

FROM = 'Ada Example <ada@example.org>'
DATE = '2026-11-22T10:00:00+00:00'
JUMP_LABEL_C = '''\
// SPDX-License-Identifier: GPL-2.0

#include <linux/jump_label.h>

bool rust_helper_static_key_count_positive(struct static_key *key)
{
\treturn static_key_count(key) > 0;
}
'''


def _series(repo: Path, out: Path, *extra: str) -> list[Path]:
    assert main(['series', '--tree', str(repo), '-o', str(out), '--from', FROM, '--date', DATE, *extra]) == 0
    return sorted(out.glob('*.patch'))


def _subjects(patches: list[Path]) -> list[str]:
    return [' '.join(re.search(r'^Subject: (.*(?:\n .*)*)', p.read_text(), re.M).group(1).split())
            for p in patches]


def _files(patch: Path) -> list[str]:
    return re.findall(r'^diff --git a/(\S+) ', patch.read_text(), re.M)


def _add_to_section(maintainers: Path, title: str, *lines: str) -> None:
    """Append F: lines to a section of the copy's MAINTAINERS."""
    text = maintainers.read_text()
    start = text.index(f'\n{title}\n') + 1
    end = text.index('\n\n', start)
    maintainers.write_text(text[:end] + ''.join(f'\n{line}' for line in lines) + text[end:])


def _get_maintainer(linux_612: Path, maintainers: Path, args: list[str], *flags: str) -> set[str]:
    """The script run in the pristine tree (it checks for a whole kernel
    top), on the copy's MAINTAINERS; `args`: `-f FILES` or a patch file."""
    res = subprocess.run(
        ['perl', 'scripts/get_maintainer.pl', '--nogit', '--nogit-fallback', '--norolestats',
         f'--mpath={maintainers}', *flags, *args],
        cwd=linux_612, capture_output=True, text=True, check=True, env={'HOME': '/nonexistent', 'PATH': '/usr/bin:/bin'},
    )
    return {line for line in res.stdout.splitlines() if line}


def _header(text: str, name: str) -> set[str]:
    m = re.search(rf'^{name}: (.*(?:\n .*)*)', text, re.M)
    return {a.strip() for a in m.group(1).split(',\n')} if m else set()


def test_files_of_one_section_make_one_patch_and_a_tag_is_a_rust_module(linux_612, linux_612_repo, tmp_path):
    repo = linux_612_repo
    _add_to_section(repo / 'MAINTAINERS', 'SLAB ALLOCATOR', 'F:\trust/helpers/slab.c', 'F:\trust/helpers/vmalloc.c')
    _add_to_section(repo / 'MAINTAINERS', 'STATIC BRANCH/CALL', 'F:\trust/helpers/jump_label.c',
                    'F:\trust/kernel/generated_arch_static_branch_asm.rs.S', 'F:\trust/kernel/jump_label.rs')
    (repo / 'rust/helpers/jump_label.c').write_text(JUMP_LABEL_C)
    git(repo, 'add', '-A')
    git(repo, 'commit', '-qm', 'sections for some helpers')
    patches = _series(repo, tmp_path / 'out')
    subjects = _subjects(patches)
    assert '[PATCH 13/18] rust: slab, vmalloc: add __rust_helper to helpers' in subjects
    assert '[PATCH 06/18] rust: jump_label: add __rust_helper to helpers' in subjects
    assert not any('generated_arch' in s or 'rust: vmalloc:' in s or 'rust: slab:' in s for s in subjects)
    slab = next(p for p in patches if 'slab-vmalloc' in p.name)
    assert _files(slab) == ['rust/helpers/slab.c', 'rust/helpers/vmalloc.c']
    # One patch, to exactly the people get_maintainer.pl names for it, run
    # on the patch file as b4 runs it.
    to = _get_maintainer(linux_612, repo / 'MAINTAINERS', [str(slab)], '--nol')
    cc = _get_maintainer(linux_612, repo / 'MAINTAINERS', [str(slab)], '--nom') - to
    data = slab.read_bytes()
    assert set(header_people(data, 'To')) == set(people(tuple(to)))
    assert set(header_people(data, 'Cc')) == set(people(tuple(cc)))
    assert 'Vlastimil Babka <vbabka@suse.cz>' in to


def _split(repo: Path, out: Path, *extra: str) -> list[Path]:
    assert main(['split', 'HEAD', '--tree', str(repo), '-o', str(out), '--from', FROM, '--date', DATE,
                 *extra]) == 0
    return sorted(out.glob('*.patch'))


@pytest.fixture
def docs_and_headers(linux_612: Path, linux_612_repo: Path) -> Path:
    """The repo with the real mutex.h and Documentation/rust/index.rst in its
    base commit (no prefix in their history), and a change touching them
    and rust/helpers/helpers.c."""
    repo = linux_612_repo
    for rel in ('include/linux/mutex.h', 'Documentation/rust/index.rst'):
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / rel).write_bytes((linux_612 / rel).read_bytes())
    git(repo, 'add', '-A')
    git(repo, 'commit', '-qm', 'more of the tree')
    for rel in ('include/linux/mutex.h', 'Documentation/rust/index.rst', 'rust/helpers/helpers.c'):
        with open(repo / rel, 'a') as f:
            f.write('\n')
    git(repo, 'commit', '-qam', 'tidy: add blank lines')
    return repo


def test_split_subject_prefixes_follow_kernel_conventions(docs_and_headers, tmp_path, capsys):
    subjects = [s.split('] ', 1)[1] for s in _subjects(_split(docs_and_headers, tmp_path / 'f', '--group-by',
                                                                'file'))[1:]]
    assert subjects == ['docs: rust: add blank lines', 'locking/mutex: add blank lines',
                        'rust: helpers: add blank lines']
    # By section (three sections here) the same.
    subjects = [s.split('] ', 1)[1] for s in _subjects(_split(docs_and_headers, tmp_path / 's'))[1:]]
    assert subjects == ['docs: rust: add blank lines', 'locking/mutex: add blank lines',
                        'rust: helpers: add blank lines']


def _changes(cover: Path, version: int) -> list[str]:
    text = cover.read_text()
    return text.split(f'Changes in v{version}:\n', 1)[1].split('\n\n', 1)[0].splitlines()


def test_a_reroll_on_612_beside_the_previous_one(linux_612_repo, tmp_path, capsys):
    repo = linux_612_repo
    patches = tmp_path / 'patches'
    v1 = _series(repo, patches, '-v', '1')
    assert v1[0].name == 'v1-0000-cover-letter.patch'
    v1_bytes = {p.name: p.read_bytes() for p in v1}
    change_id = re.search(r'^change-id: (\S+)$', v1[0].read_text(), re.M).group(1)
    # The macro and the blk patch are applied as sent; mutex.c is annotated
    # by someone else, under another subject.
    git(repo, 'am', str(v1[1]), str(next(p for p in v1 if '-rust-blk-' in p.name)))
    assert main(['annotate', '--tree', str(repo), 'rust/helpers/mutex.c']) == 1
    git(repo, 'commit', '-qam', 'locking: mark the mutex helpers inline')

    v2 = [p for p in _series(repo, patches, '--previous', str(patches)) if p.name.startswith('v2-')]
    # v1 is still there, byte for byte, beside v2.
    assert {p.name: p.read_bytes() for p in patches.glob('v1-*.patch')} == v1_bytes
    assert v2[0].name == 'v2-0000-cover-letter.patch' and len(v2) == 1 + 15
    cover = v2[0].read_text()
    assert f'change-id: {change_id}\n' in cover
    log = dict(reversed(line.split(' ', 1)) for line in git(repo, 'log', '--format=%H %s').splitlines())
    assert _changes(v2[0], 2) == [
        f'- Dropped "rust: helpers: define __rust_helper": merged (commit {log["rust: helpers: define __rust_helper"][:12]}).',
        f'- Dropped "rust: blk: add __rust_helper to helpers": merged (commit '
        f'{log["rust: blk: add __rust_helper to helpers"][:12]}).',
        '- Dropped "rust: mutex: add __rust_helper to helpers": its files need no changes any more.',
        f'- Rebased onto {git(repo, "rev-parse", "HEAD")[:12]}.',
    ]


def test_the_default_cover_on_612_states_what_the_mails_show(linux_612_repo, tmp_path, capsys):
    patches = _series(linux_612_repo, tmp_path / 'out')
    cover = ' '.join(patches[0].read_text().split())
    group_patches = patches[2:]
    helpers = sum(len(re.findall(r'^\+.*__rust_helper', p.read_text(), re.M)) for p in group_patches)
    files = sum(len(_files(p)) for p in group_patches)
    assert f'lack it: {helpers} helpers in {files} files.' in cover
    assert 'Patch 1 defines __rust_helper in a new rust/helpers/helpers.h' in cover
    assert f'Patches 2-{len(patches) - 1} add the annotation' in cover
    recipients = {(frozenset(_header(p.read_text(), 'To')), frozenset(_header(p.read_text(), 'Cc')))
                  for p in patches[1:]}
    same = 'All of them go to the same maintainers and lists.'
    own = 'Each patch is addressed to the maintainers and lists of its own files.'
    assert (same if len(recipients) == 1 else own) in cover
    assert (own if len(recipients) == 1 else same) not in cover
    assert ' ns ' not in cover and 'own tree' not in cover


def test_force_on_612_never_deletes_another_series(linux_612_repo, tmp_path, capsys):
    out = tmp_path / 'out'
    _series(linux_612_repo, out)
    # A hand-written series of the same naming in the folder: --force stops.
    (out / '0019-rust-foo-something-else.patch').write_text('From: me\nSubject: [PATCH] mine\n\n')
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert main(['series', '--tree', str(linux_612_repo), '-o', str(out), '--from', FROM, '--date', DATE,
                 '--force']) == 2
    assert '0019-rust-foo-something-else.patch: not written by rust-helpers' in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
