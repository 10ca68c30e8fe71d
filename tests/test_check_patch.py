"""check --patch: sample patches of our own, made with git on a copy of the example tree."""
from __future__ import annotations

import email.policy
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from codemod.cli import main
from tests.gitrepo import git
from tests.test_series import EXAMPLE

NEW_FILE = '''// SPDX-License-Identifier: GPL-2.0

#include <linux/zap.h>

void rust_helper_zap(struct zap *z)
{
	zap(z);
}

__rust_helper int rust_helper_zap_count(const struct zap *z)
{
	return zap_count(z);
}
'''
MACRO_FILE = '''// SPDX-License-Identifier: GPL-2.0

#define ZAP_GETTER(field)						\\
	int rust_helper_zap_##field(const struct zap *z)		\\
	{								\\
		return z->field;					\\
	}

ZAP_GETTER(size)
ZAP_GETTER(count)
'''


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / 'linux-mini'
    shutil.copytree(EXAMPLE, root)
    git(root, 'init', '-q')
    git(root, 'add', '-A')
    git(root, 'commit', '-qm', 'base')
    return root


def commit(root: Path, subject: str, files: dict[str, str], append: dict[str, str] | None = None) -> None:
    for rel, text in files.items():
        (root / rel).write_text(text)
    for rel, text in (append or {}).items():
        with open(root / rel, 'a') as f:
            f.write(text)
    git(root, 'add', '-A')
    git(root, 'commit', '-qm', subject)


def format_patch(root: Path, n: int = 1) -> bytes:
    return subprocess.run(['git', 'format-patch', f'-{n}', '--stdout'], cwd=root, check=True,
                          capture_output=True).stdout


def check_patch(capsys, data: bytes, *extra: str, tree: Path | None = None) -> tuple[int, str, str]:
    path = (tree or Path('/tmp')) / '..' / 'input.patch'
    path = path.resolve()
    path.write_bytes(data)
    argv = ['check', '--patch', str(path), *extra]
    if tree is not None:
        argv += ['--tree', str(tree)]
    rc = main(argv)
    out, err = capsys.readouterr()
    return rc, out, err


def test_new_helper_file_without_annotation(repo, capsys):
    commit(repo, 'rust: zap: add helpers', {'rust/helpers/zap.c': NEW_FILE})
    rc, out, err = check_patch(capsys, format_patch(repo), tree=repo)
    assert rc == 1
    assert out.splitlines() == [
        'rust/helpers/zap.c:5:1: error: rust_helper_zap is missing __rust_helper '
        '(patch "rust: zap: add helpers") [missing-annotation]',
        'rust/helpers/zap.c:1:1: warning: new helper file zap.c is not #included from '
        'rust/helpers/helpers.c, so it is never built [helper-not-included]',
        'rust/helpers/zap.c:1:1: warning: new helper file is covered only by the catch-all '
        'RUST section of MAINTAINERS [uncovered-helper-file]',
    ]
    # The annotated helper of this mixed file is not reported.
    assert 'rust_helper_zap_count' not in out
    assert err.endswith('1 helper missing __rust_helper, 2 warnings in 1 patch\n')


def test_helpers_added_to_an_existing_file_report_post_image_lines(repo, capsys):
    before = (repo / 'rust/helpers/blk.c').read_text().count('\n')
    commit(repo, 'rust: block: add a helper', {}, append={
        'rust/helpers/blk.c': '\nvoid rust_helper_blk_new(struct request *rq)\n{\n\tblk_new(rq);\n}\n',
    })
    data = format_patch(repo)
    rc, out, _ = check_patch(capsys, data, tree=repo)
    assert rc == 1
    assert out == (f'rust/helpers/blk.c:{before + 2}:1: error: rust_helper_blk_new is missing __rust_helper '
                   '(patch "rust: block: add a helper") [missing-annotation]\n')
    # Without a tree the hunks alone give the same post-image line.
    rc, out_without_tree, _ = check_patch(capsys, data, tree=None)
    assert (rc, out_without_tree) == (1, out)


def test_existing_unannotated_helpers_are_not_the_patch_s_fault(repo, capsys):
    text = (repo / 'rust/helpers/blk.c').read_text()
    commit(repo, 'rust: block: reword a comment', {'rust/helpers/blk.c': text.replace('\n', '\n// x\n', 1)})
    rc, out, err = check_patch(capsys, format_patch(repo), tree=repo)
    assert (rc, out) == (0, '')
    assert 'no problems in 1 patch' in err


def test_helper_in_a_define_body(repo, capsys):
    commit(repo, 'rust: zap: add getters', {'rust/helpers/zap_get.c': MACRO_FILE},
           append={'rust/helpers/helpers.c': '#include "zap_get.c"\n'})
    rc, out, _ = check_patch(capsys, format_patch(repo), tree=repo)
    assert rc == 1
    assert out.splitlines()[0] == (
        'rust/helpers/zap_get.c:4:2: error: rust_helper_zap_##field (in macro ZAP_GETTER) is missing '
        '__rust_helper (patch "rust: zap: add getters") [missing-annotation]'
    )
    assert 'helper-not-included' not in out


def test_mbox_with_several_patches(repo, capsys):
    commit(repo, 'rust: zap: add helpers', {'rust/helpers/zap.c': NEW_FILE})
    maintainers = (repo / 'MAINTAINERS').read_text().replace(
        'THE REST\n', 'ZAP [RUST]\nM:\tZed Ap <zed@example.org>\nS:\tMaintained\nF:\trust/helpers/zap.c\n\nTHE REST\n')
    commit(repo, 'rust: zap: build and maintain the helpers', {'MAINTAINERS': maintainers},
           append={'rust/helpers/helpers.c': '#include "zap.c"\n'})
    commit(repo, 'rust: zap: add one more', {}, append={
        'rust/helpers/zap.c': '\nvoid rust_helper_zap_reset(struct zap *z)\n{\n\tzap_reset(z);\n}\n',
    })
    rc, out, err = check_patch(capsys, format_patch(repo, 3), tree=repo)
    assert rc == 1
    assert out.splitlines() == [
        'rust/helpers/zap.c:5:1: error: rust_helper_zap is missing __rust_helper '
        '(patch "rust: zap: add helpers") [missing-annotation]',
        'rust/helpers/zap.c:15:1: error: rust_helper_zap_reset is missing __rust_helper '
        '(patch "rust: zap: add one more") [missing-annotation]',
    ]
    assert err.endswith('2 helpers missing __rust_helper in 3 patches\n')


def test_quoted_printable_mail(repo, capsys):
    commit(repo, 'rust: zap: add helpers (café edition)', {'rust/helpers/zap.c': NEW_FILE.replace(
        '#include <linux/zap.h>', '#include <linux/zap.h> /* a = b, naïve */')},
        append={'rust/helpers/helpers.c': '#include "zap.c"\n'})
    msg = email.message_from_bytes(format_patch(repo), policy=email.policy.default)
    body = msg.get_content()
    del msg['Content-Transfer-Encoding']
    msg.set_content(body, cte='quoted-printable')
    data = msg.as_bytes()
    assert b'=3D' in data and b'Content-Transfer-Encoding: quoted-printable' in data
    rc, out, _ = check_patch(capsys, data, '--format', 'json', tree=repo)
    assert rc == 1
    [finding] = [f for f in json.loads(out) if f['severity'] == 'error']
    assert (finding['path'], finding['line'], finding['name']) == ('rust/helpers/zap.c', 5, 'rust_helper_zap')
    assert 'café edition' in finding['message']


def test_clean_patch_exits_0(repo, capsys):
    commit(repo, 'rust: zap: add helpers', {'rust/helpers/zap.c': NEW_FILE.replace(
        'void rust_helper_zap(', '__rust_helper void rust_helper_zap(')},
        append={'rust/helpers/helpers.c': '#include "zap.c"\n'})
    rc, out, _ = check_patch(capsys, format_patch(repo), tree=repo)
    assert rc == 0
    assert out == ('rust/helpers/zap.c:1:1: warning: new helper file is covered only by the catch-all '
                   'RUST section of MAINTAINERS [uncovered-helper-file]\n')


def test_stdin(repo, capsys, monkeypatch):
    import io
    import sys
    commit(repo, 'rust: zap: add helpers', {'rust/helpers/zap.c': NEW_FILE})
    monkeypatch.setattr(sys, 'stdin', io.TextIOWrapper(io.BytesIO(format_patch(repo))))
    assert main(['check', '--patch', '-', '--tree', str(repo)]) == 1
    assert 'rust_helper_zap is missing' in capsys.readouterr().out


@pytest.mark.parametrize(
    ('data', 'message'),
    (
        pytest.param(b'', 'empty input', id='empty'),
        pytest.param(b'hello there\n', 'no diff found', id='not-a-diff'),
        pytest.param(b'Subject: [PATCH] x\n\njust words\n', 'no diff found in the mail', id='mail-without-diff'),
    ),
)
def test_bad_input(tmp_path, capsys, data, message):
    path = tmp_path / 'in.patch'
    path.write_bytes(data)
    assert main(['check', '--patch', str(path)]) == 2
    err = capsys.readouterr().err
    assert message in err and err.startswith(f'{path}: error: ')


def test_patch_with_paths_is_a_usage_error(tmp_path, capsys):
    assert main(['check', '--patch', str(tmp_path / 'x'), 'rust/helpers/a.c']) == 2
    assert '--patch: error: takes no PATH arguments' in capsys.readouterr().err


def test_missing_patch_file(tmp_path, capsys):
    assert main(['check', '--patch', str(tmp_path / 'nope.patch')]) == 2
    assert 'nope.patch: error: cannot read: No such file or directory' in capsys.readouterr().err


WRAPPED = '''// SPDX-License-Identifier: GPL-2.0

#include <linux/zap.h>

void rust_helper_zap_many(struct zap *z,
			  int a,
			  int b,
			  int c,
			  int d)
{
	zap_many(z, a, b, c, d);
}
'''


def test_mbox_patches_apply_on_top_of_the_earlier_ones(repo, capsys):
    """Patch 2 adds a parameter to a helper patch 1 added: its hunk shows
    only the last lines of the declaration, so it is seen as a helper
    only on top of patch 1's file."""
    commit(repo, 'rust: zap: add zap_many', {'rust/helpers/zap.c': WRAPPED},
           append={'rust/helpers/helpers.c': '#include "zap.c"\n'})
    commit(repo, 'rust: zap: zap_many takes e', {'rust/helpers/zap.c': WRAPPED.replace(
        'int d)\n', 'int d,\n\t\t\t  int e)\n').replace('c, d)', 'c, d, e)')})
    both = format_patch(repo, 2)
    rc, out, _ = check_patch(capsys, both, tree=repo)
    assert rc == 1
    assert [line for line in out.splitlines() if 'missing-annotation' in line] == [
        'rust/helpers/zap.c:5:1: error: rust_helper_zap_many is missing __rust_helper '
        '(patch "rust: zap: add zap_many") [missing-annotation]',
        'rust/helpers/zap.c:5:1: error: rust_helper_zap_many is missing __rust_helper '
        '(patch "rust: zap: zap_many takes e") [missing-annotation]',
    ]
    # Alone, patch 2's hunk does not show the declaration's first line.
    rc, out, _ = check_patch(capsys, format_patch(repo, 1), tree=repo)
    assert (rc, out) == (0, '')
