"""series on Debian's real linux-source-6.12: grouping, re-rolls, the cover,
the output folder. get_maintainer.pl and git am are the oracles."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from codemod.cli import main
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


def _get_maintainer(linux_612: Path, maintainers: Path, files: list[str], *flags: str) -> set[str]:
    """The script run in the pristine tree (it checks for a whole kernel
    top), on the copy's MAINTAINERS."""
    res = subprocess.run(
        ['perl', 'scripts/get_maintainer.pl', '--nogit', '--nogit-fallback', '--norolestats',
         f'--mpath={maintainers}', *flags, '-f', *files],
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
    # One patch, to exactly the people get_maintainer.pl names for both files.
    files = ['rust/helpers/slab.c', 'rust/helpers/vmalloc.c']
    text = slab.read_text()
    to = _get_maintainer(linux_612, repo / 'MAINTAINERS', files, '--nol')
    cc = _get_maintainer(linux_612, repo / 'MAINTAINERS', files, '--nom') - to
    assert (_header(text, 'To'), _header(text, 'Cc')) == (to, cc)
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
