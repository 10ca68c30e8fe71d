"""codemod.mail.diff and codemod.mail.diffstat against real git, byte for byte.

Each case commits a "before" tree and an "after" tree in a throwaway
repository; git's own diff and format-patch stat of that commit must equal
what we compute from the same contents.
"""
from __future__ import annotations

import os
import random
import subprocess
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import HealthCheck
from hypothesis import settings
from hypothesis import strategies as st

from codemod.mail.diff import blob_hash
from codemod.mail.diff import file_diff
from codemod.mail.diff import FileChange
from codemod.mail.diff import quote_path
from codemod.mail.diff import render
from codemod.mail.diff import sorted_changes
from codemod.mail.diffstat import diffstat
from codemod.mail.diffstat import pprint_rename
from codemod.mail.diffstat import stat_lines
from codemod.mail.diffstat import summary_line

AUTHOR = ('A U Thor', 'author@example.com')
DATE = '1112911993 -0700'  # Thu, 7 Apr 2005 15:13:13 -0700


def git(cwd: Path, *args: str, input: bytes | None = None, env: dict[str, str] | None = None) -> bytes:
    """Run git isolated from the user's and the system's configuration."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith('GIT_')}
    full_env.update(LC_ALL='C', HOME=str(cwd), GIT_CONFIG_NOSYSTEM='1', GIT_CONFIG_GLOBAL=os.devnull,
                    GIT_AUTHOR_DATE=DATE, GIT_COMMITTER_DATE=DATE)
    full_env.update(env or {})
    proc = subprocess.run(['git', '--no-pager', *args], cwd=cwd, input=input, env=full_env,
                          capture_output=True)
    assert proc.returncode == 0, (args, proc.stderr.decode(errors='replace'))
    return proc.stdout


# A file is its bytes, or (bytes, mode).
Files = dict[str, 'bytes | tuple[bytes, str]']


def _entry(value: bytes | tuple[bytes, str]) -> tuple[bytes, str]:
    return value if isinstance(value, tuple) else (value, '100644')


class Repo:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        self.git('init', '-q', '-b', 'main')
        self.git('config', 'user.name', AUTHOR[0])
        self.git('config', 'user.email', AUTHOR[1])
        self.git('config', 'core.autocrlf', 'false')

    def git(self, *args: str, input: bytes | None = None, env: dict[str, str] | None = None) -> bytes:
        return git(self.path, *args, input=input, env=env)

    def set_tree(self, files: Files) -> None:
        """Make the work tree and index hold exactly `files`."""
        for old in self.git('ls-files', '-z').split(b'\0'):
            if old and old.decode('utf-8', 'surrogateescape') not in files:
                (self.path / os.fsdecode(old)).unlink()
        for name, value in files.items():
            data, mode = _entry(value)
            target = self.path / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            target.chmod(0o755 if mode == '100755' else 0o644)
        self.git('add', '-A')

    def commit(self, message: str, author: tuple[str, str] = AUTHOR, date: str = DATE) -> str:
        env = {'GIT_AUTHOR_NAME': author[0], 'GIT_AUTHOR_EMAIL': author[1], 'GIT_AUTHOR_DATE': date}
        self.git('commit', '-q', '--allow-empty', '--cleanup=verbatim', '-F', '-',
                 input=message.encode(), env=env)
        return self.git('rev-parse', 'HEAD').decode().strip()


KERNEL_ATTRIBUTES = b'*.[ch] diff=cpp\n*.rs diff=rust\n'  # as in linux/.gitattributes


def changes_between(before: Files, after: Files) -> list[FileChange]:
    """What git shows between two trees (exact renames paired, as git does),
    rendered; a tree with the kernel's .gitattributes gets its diff drivers."""
    attributes = after.get('.gitattributes', b'')
    return render(_changes_between(before, after), _entry(attributes)[0])


def _changes_between(before: Files, after: Files) -> list[FileChange]:
    changes = []
    gone = {p: _entry(v) for p, v in before.items() if p not in after}
    for path, value in after.items():
        data, mode = _entry(value)
        if path in before:
            old, old_mode = _entry(before[path])
            changes.append(FileChange(path, path, old, data, old_mode, mode))
            continue
        source = next((p for p, (d, _) in gone.items() if d == data and d), None)
        if source is not None:
            changes.append(FileChange(source, path, data, data, gone.pop(source)[1], mode))
        else:
            changes.append(FileChange(path, path, None, data, mode, mode))
    changes += [FileChange(p, p, d, None, m, m) for p, (d, m) in gone.items()]
    return changes


# --- sample sources -----------------------------------------------------------

HELPERS_C = b'''// SPDX-License-Identifier: GPL-2.0

#include <linux/frob.h>

void rust_helper_frob_grab(struct frob *frob)
{
\tfrob_grab(frob);
}

void rust_helper___frob_setup(struct frob *frob, const char *label,
\t\t\t       struct frob_class *class)
{
\t__frob_setup(frob, label, class);
}

void rust_helper_frob_assert_grabbed(struct frob *frob)
{
\tfrob_assert_grabbed(frob);
}
'''


def many_helpers(n: int, annotate: set[int] = frozenset()) -> bytes:
    out = [b'// SPDX-License-Identifier: GPL-2.0\n\n#include <linux/refcount.h>\n']
    for i in range(n):
        mark = b'__rust_helper ' if i in annotate else b''
        out.append(b'\n%sbool rust_helper_thing_%d(struct thing *t)\n{\n\treturn thing_%d(t);\n}\n'
                   % (mark, i, i))
    return b''.join(out)


def sub(data: bytes, old: bytes, new: bytes) -> bytes:
    assert data.count(old) == 1, old
    return data.replace(old, new)


@dataclass
class Case:
    before: Files
    after: Files
    message: str = 'rust: helpers: test change\n'
    options: dict = field(default_factory=dict)


LONG_FUNC = b'static inline int a_function_with_a_really_long_name_that_goes_on_and_on_forever(int x)\n'
LONG_NAME = 'drivers/gpu/drm/nouveau/nvkm/subdev/some_really_long_directory_name/helpers_for_rust.c'

CASES = [
    pytest.param(Case({'rust/helpers/frob.c': HELPERS_C},
                      {'rust/helpers/frob.c': sub(HELPERS_C, b'void rust_helper_frob_grab',
                                                   b'__rust_helper void rust_helper_frob_grab')}),
                 id='insert-token-in-line'),
    pytest.param(Case({'rust/helpers/frob.c': HELPERS_C},
                      {'rust/helpers/frob.c': sub(
                          HELPERS_C,
                          b'void rust_helper___frob_setup(struct frob *frob, const char *label,\n'
                          b'\t\t\t       struct frob_class *class)\n',
                          b'__rust_helper void rust_helper___frob_setup(struct frob *frob,\n'
                          b'\t\t\t\t\t     const char *label,\n'
                          b'\t\t\t\t\t     struct frob_class *class)\n')}),
                 id='two-lines-become-three'),
    pytest.param(Case({'rust/helpers/refcount.c': many_helpers(30)},
                      {'rust/helpers/refcount.c': many_helpers(30, {2, 25})}),
                 id='hunks-far-apart'),
    pytest.param(Case({'rust/helpers/refcount.c': many_helpers(30)},
                      {'rust/helpers/refcount.c': many_helpers(30, {4, 5, 7, 9, 10, 11})}),
                 id='hunks-merged-and-not'),
    pytest.param(Case({'rust/helpers/refcount.c': many_helpers(30)},
                      {'rust/helpers/refcount.c': many_helpers(30, set(range(30)))}),
                 id='every-function'),
    pytest.param(Case({'a.c': HELPERS_C},
                      {'a.c': HELPERS_C, 'rust/helpers/new.c': b'// SPDX\n\n#include <x.h>\n',
                       'rust/helpers/empty.c': b''}),
                 id='new-files'),
    pytest.param(Case({'a.c': HELPERS_C, 'rust/helpers/old.c': b'int x;\nint y;\n', 'e': b''},
                      {'a.c': HELPERS_C}),
                 id='deleted-files'),
    pytest.param(Case({'scripts/gen.sh': b'#!/bin/sh\necho hi\n', 'b.sh': b'echo\n'},
                      {'scripts/gen.sh': (b'#!/bin/sh\necho hi\n', '100755'),
                       'b.sh': (b'echo there\n', '100755')}),
                 id='mode-change'),
    pytest.param(Case({'x.c': b'int a;\nint b;'}, {'x.c': b'int a;\nint b;\nint c;'}),
                 id='no-newline-both'),
    pytest.param(Case({'x.c': b'int a;\nint b;'}, {'x.c': b'int a;\nint b;\n'}),
                 id='newline-added'),
    pytest.param(Case({'x.c': b'int a;\nint b;\n'}, {'x.c': b'int a;\nint c;'}),
                 id='newline-removed'),
    pytest.param(Case({'crlf.c': HELPERS_C.replace(b'\n', b'\r\n')},
                      {'crlf.c': sub(HELPERS_C, b'void rust_helper_frob_assert',
                                     b'__rust_helper void rust_helper_frob_assert').replace(b'\n', b'\r\n')}),
                 id='crlf'),
    pytest.param(Case({'latin1.c': b'/* Copyright J\xe9r\xf4me */\n' + HELPERS_C},
                      {'latin1.c': b'/* Copyright J\xe9r\xf4me */\n'
                       + sub(HELPERS_C, b'void rust_helper_frob_grab',
                             b'__rust_helper void rust_helper_frob_grab')}),
                 id='non-utf8-bytes'),
    pytest.param(Case({LONG_NAME: many_helpers(3), 'short.c': b'a\n'},
                      {LONG_NAME: many_helpers(90), 'short.c': b'b\n'}),
                 id='stat-scaling-and-truncation'),
    pytest.param(Case({LONG_NAME + '/even/deeper/than/before/file.c': b'a\n',
                       'x' * 80 + '.c': b'a\n'},
                      {LONG_NAME + '/even/deeper/than/before/file.c': b'b\n',
                       'x' * 80 + '.c': b'b\n'}),
                 id='stat-name-truncation'),
    pytest.param(Case({'big.c': b''.join(b'line %d\n' % i for i in range(500))},
                      {'big.c': b''.join(b'line %d\n' % i for i in range(500) if i % 3)
                       + b'new\n' * 40}),
                 id='stat-scaling-both-signs'),
    pytest.param(Case({'rust/helpers/old_name.c': HELPERS_C}, {'rust/helpers/new_name.c': HELPERS_C}),
                 id='pure-rename'),
    pytest.param(Case({'tools/old.sh': b'echo\n'}, {'tools/bin/new.sh': (b'echo\n', '100755')}),
                 id='rename-with-mode-change'),
    pytest.param(Case({'dir with space/f.c': b'a\n', 'caf\u00e9.c': b'x\n'},
                      {'dir with space/f.c': b'b\n', 'caf\u00e9.c': b'y\n'}),
                 id='quoted-paths'),
    pytest.param(Case({'f.c': LONG_FUNC + b'{\n\tint a;\n\tint b;\n\tint c;\n\tint d;\n\treturn x;\n}\n'
                              b'$label:\n_under:\n\n\n\n\n\tint q;\n'},
                      {'f.c': LONG_FUNC + b'{\n\tint a;\n\tint b;\n\tint c;\n\tint d;\n\treturn x + 1;\n}\n'
                              b'$label:\n_under:\n\n\n\n\n\tint r;\n'}),
                 id='funcname-rules'),
    pytest.param(Case({'f.c': b'int a(void)\n{\n\treturn 0;\n}\n\nint b(void)\n{\n\treturn 1;\n}\n'},
                      {'f.c': b'int a(void)\n{\n\treturn 0;\n}\n\nint n(void)\n{\n\treturn 2;\n}\n'
                              b'\nint b(void)\n{\n\treturn 1;\n}\n'}),
                 id='indent-heuristic-slide'),
]


KERNEL_C = b'''// SPDX-License-Identifier: GPL-2.0

#include <linux/slab.h>

int rust_helper_thing_alloc(struct thing **out, gfp_t flags)
{
\tstruct thing *t;
\tint ret;

\tt = kzalloc(sizeof(*t), flags);
\tif (!t)
\t\treturn -ENOMEM;
\tret = thing_init(t);
\tif (ret)
\t\tgoto err_free;
\t*out = t;
\treturn 0;

err_free:
\tthing_cleanup(t);
\tkfree(t);
\tpr_debug("failed\\n");
\treturn ret;
}
'''

KERNEL_RS = b'''// SPDX-License-Identifier: GPL-2.0

use crate::bindings;

pub struct Thing {
    ptr: *mut bindings::thing,
}

impl Thing {
    pub fn new() -> Result<Self> {
        let mut ptr = core::ptr::null_mut();
        // SAFETY: FFI call.
        let ret = unsafe { bindings::thing_alloc(&mut ptr, GFP_KERNEL) };
        if ret != 0 {
            return Err(Error::from_errno(ret));
        }
        Ok(Self { ptr })
    }
}
'''


def _kernel(files: Files) -> Files:
    return {'.gitattributes': KERNEL_ATTRIBUTES, **files}


CASES += [
    pytest.param(Case(_kernel({'rust/helpers/thing.c': KERNEL_C}),
                      _kernel({'rust/helpers/thing.c': sub(KERNEL_C, b'\treturn ret;\n}',
                                                           b'\treturn ret ?: -EINVAL;\n}')})),
                 id='cpp-driver-skips-labels'),
    pytest.param(Case(_kernel({'rust/kernel/thing.rs': KERNEL_RS}),
                      _kernel({'rust/kernel/thing.rs': sub(KERNEL_RS, b'Ok(Self {', b'Ok(Thing {')})),
                 id='rust-driver'),
    pytest.param(Case(_kernel({'f.c': b'int a(void)\n$x\n\tint a;\n\tint b;\n\tint c;\n\tint d;\n'}),
                      _kernel({'f.c': b'int a(void)\n$x\n\tint a;\n\tint b;\n\tint c;\n\tint e;\n'})),
                 id='cpp-driver-ignores-dollar'),
]


def _commit_case(tmp_path: Path, case: Case) -> tuple[Repo, str]:
    repo = Repo(tmp_path / 'repo')
    repo.set_tree(case.before)
    repo.commit('base\n')
    repo.set_tree(case.after)
    return repo, repo.commit(case.message)


@pytest.mark.parametrize('case', CASES)
def test_file_diffs_match_git_diff(tmp_path: Path, case: Case) -> None:
    repo, _ = _commit_case(tmp_path, case)
    expected = repo.git('diff', 'HEAD~1', 'HEAD')
    changes = sorted_changes(changes_between(case.before, case.after))
    assert b''.join(file_diff(c) for c in changes) == expected


@pytest.mark.parametrize('case', CASES)
def test_diffstat_matches_format_patch(tmp_path: Path, case: Case) -> None:
    repo, _ = _commit_case(tmp_path, case)
    mail = repo.git('format-patch', '-1', '--stdout')
    expected = mail.split(b'\n---\n', 1)[1].split(b'\n\ndiff --git ', 1)[0] + b'\n'
    assert diffstat(changes_between(case.before, case.after)).encode() == expected


def test_blob_hash_matches_git(tmp_path: Path) -> None:
    for data in (b'', b'hello\n', b'\xff\x00binary', HELPERS_C):
        assert blob_hash(data) == git(tmp_path, 'hash-object', '--stdin', input=data).decode().strip()


def _git_hunks(tmp_path: Path, old: bytes, new: bytes) -> bytes:
    (tmp_path / 'a').write_bytes(old)
    (tmp_path / 'b').write_bytes(new)
    proc = subprocess.run(['git', '--no-pager', 'diff', '--no-index', 'a', 'b'], cwd=tmp_path,
                          capture_output=True, env={**os.environ, 'GIT_CONFIG_NOSYSTEM': '1',
                                                    'GIT_CONFIG_GLOBAL': os.devnull, 'LC_ALL': 'C'})
    start = proc.stdout.find(b'\n@@ ')
    return b'' if start < 0 else proc.stdout[start + 1:]


_LINES = [b'', b'{', b'}', b'\treturn 0;', b'int f(void)', b'static int g(int a)', b'  if (a)',
          b'\t\tfoo();', b'/* c */', b'_x:', b'#include <a.h>', b'\tint b;', b'\t}', b'   ']


def _edit(rnd: random.Random, lines: list[bytes]) -> list[bytes]:
    out = list(lines)
    for _ in range(rnd.randint(1, 6)):
        pos = rnd.randint(0, len(out))
        op = rnd.random()
        if op < 0.4:
            out[pos:pos] = [rnd.choice(_LINES) for _ in range(rnd.randint(1, 4))]
        elif op < 0.7:
            del out[pos:pos + rnd.randint(1, 4)]
        else:
            out[pos:pos + rnd.randint(1, 3)] = [rnd.choice(_LINES) for _ in range(rnd.randint(1, 4))]
    return out


def _join(lines: list[bytes], final_newline: bool) -> bytes:
    data = b''.join(line + b'\n' for line in lines)
    return data if final_newline or not data else data[:-1]


def hunks(*pairs: tuple[bytes, bytes]) -> list[bytes]:
    """The hunks our render() gives for each (old, new), all in one pass."""
    rendered = render([FileChange('a', 'a', old, new) for old, new in pairs])
    out = []
    for change in rendered:
        start = change.diff.find(b'\n@@ ')
        out.append(b'' if start < 0 else change.diff[start + 1:])
    return out


def test_hunks_match_git_on_random_edits(tmp_path: Path) -> None:
    rnd = random.Random(1234)
    pairs = []
    for _ in range(150):
        old = [rnd.choice(_LINES) for _ in range(rnd.randint(0, 40))]
        pairs.append((_join(old, rnd.random() > 0.2), _join(_edit(rnd, old), rnd.random() > 0.2)))
    for (a, b), ours in zip(pairs, hunks(*pairs)):
        assert ours == _git_hunks(tmp_path, a, b), (a, b)


def test_hunks_match_git_on_large_rewrites(tmp_path: Path) -> None:
    """Big edit costs reach xdiff's cut-offs (mxcost and the snake heuristic)."""
    rnd = random.Random(99)
    for vocabulary in (4, 40, 4000):
        words = [b'w%d' % i for i in range(vocabulary)]
        old = [rnd.choice(words) for _ in range(3000)]
        new = [w if rnd.random() < 0.6 else rnd.choice(words) for w in old]
        a, b = _join(old, True), _join(new, True)
        assert hunks((a, b)) == [_git_hunks(tmp_path, a, b)]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(_LINES), max_size=25), st.randoms(use_true_random=False))
def test_hunks_match_git_property(tmp_path: Path, old: list[bytes], rnd: random.Random) -> None:
    a = _join(old, True)
    b = _join(_edit(rnd, old), True)
    assert hunks((a, b)) == [_git_hunks(tmp_path, a, b)]


@pytest.mark.parametrize(('old', 'new', 'expected'), [
    pytest.param('a/b/c.c', 'a/b/d.c', 'a/b/{c.c => d.c}', id='same-dir'),
    pytest.param('a/b/c.c', 'a/x/c.c', 'a/{b => x}/c.c', id='middle-dir'),
    pytest.param('c.c', 'd.c', 'c.c => d.c', id='top-level'),
    pytest.param('a/c.c', 'a/b/c.c', 'a/{ => b}/c.c', id='deeper'),
])
def test_pprint_rename(old: str, new: str, expected: str) -> None:
    assert pprint_rename(old, new) == expected


def test_summary_line_plurals() -> None:
    assert summary_line(1, 1, 0) == ' 1 file changed, 1 insertion(+)'
    assert summary_line(2, 0, 3) == ' 2 files changed, 3 deletions(-)'
    assert summary_line(1, 0, 0) == ' 1 file changed, 0 insertions(+), 0 deletions(-)'
    assert summary_line(3, 2, 1) == ' 3 files changed, 2 insertions(+), 1 deletion(-)'


def test_stat_line_of_unchanged_content() -> None:
    assert stat_lines([('x', 0, 0)]) == [' x | 0']


def test_quote_path() -> None:
    assert quote_path('plain/path.c', 'a/') == 'a/plain/path.c'
    assert quote_path('caf\u00e9.c', 'b/') == '"b/caf\\303\\251.c"'
    assert quote_path('tab\there') == '"tab\\there"'


def test_noop_change_shows_nothing() -> None:
    same = FileChange('a', 'a', b'x\n', b'x\n')
    assert file_diff(render([same])[0]) == b''
    assert sorted_changes([same]) == []


def test_binary_and_edited_renames_are_refused() -> None:
    with pytest.raises(ValueError, match='binary'):
        render([FileChange('a', 'a', b'x\0', b'y\0')])
    with pytest.raises(ValueError, match='pure renames'):
        render([FileChange('a', 'b', b'x\n', b'y\n')])


def test_abbrev_parameter() -> None:
    change = render([FileChange('a', 'a', b'x\n', b'y\n')])[0]
    index = file_diff(change, abbrev=12).split(b'\n')[1]
    assert index == b'index %s..%s 100644' % (blob_hash(b'x\n')[:12].encode(), blob_hash(b'y\n')[:12].encode())
